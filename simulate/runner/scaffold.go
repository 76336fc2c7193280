package runner

import (
	"errors"
	"fmt"
	"github.com/zislint/zislint/internal/lazyre"
	"github.com/zislint/zislint/internal/repofs"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
	"github.com/zislint/zislint/simulate"
)

// ScaffoldOptions say which fixture zislint test --new writes.
type ScaffoldOptions struct {
	Bundle  string // the bundle file
	Name    string // the fixture's file name, without .yaml
	JobSpec string // the job spec whose event starts the run (its key), or ""
	Flow    string // the flow to run (its name or key), or ""
}

// fixtureNamePattern keeps --new to a plain file name in the tests folder.
var fixtureNamePattern = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Scaffold writes a fixture for the flow a job spec starts (or for a
// named flow), with a sample of the job spec's event from the events
// catalogue and a response stub for each custom action the flow can
// call, then runs it once, with run's Env and Log, to write its golden.
// It never overwrites a fixture or golden. It returns the fixture's path
// and the run's result.
func Scaffold(o ScaffoldOptions, run Options) (string, Result, error) {
	if !fixtureNamePattern().MatchString(o.Name) || strings.HasSuffix(o.Name, simulate.GoldenSuffix) {
		return "", Result{}, fmt.Errorf("--new %q: give a file name of letters, digits, '_', '-' and '.', without a folder", o.Name)
	}
	b, err := bundle.Load(o.Bundle)
	if err != nil {
		return "", Result{}, fmt.Errorf("cannot read %s: %w", o.Bundle, repofs.WithoutPath(err))
	}
	start, err := chooseStart(b, o)
	if err != nil {
		return "", Result{}, err
	}
	cfg, err := NewConfigCache().ForBundle(o.Bundle, "")
	if err != nil {
		return "", Result{}, err
	}
	dir := cfg.TestsDir(cfg.IntegrationFor(o.Bundle))
	if dir == "" {
		dir = filepath.Join(filepath.Dir(o.Bundle), simulate.TestsFolder)
	}
	path := filepath.Join(dir, o.Name+".yaml")
	if err := refuseOverwrite(dir, o.Name); err != nil {
		return "", Result{}, err
	}
	text, err := fixtureText(b, o.Name, start)
	if err != nil {
		return "", Result{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", Result{}, err
	}
	// O_EXCL: a fixture written meanwhile is not overwritten either.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", Result{}, err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return "", Result{}, err
	}
	if err := f.Close(); err != nil {
		return "", Result{}, err
	}
	run.Update, run.Filter = true, regexp.MustCompile("^"+regexp.QuoteMeta(o.Name)+"$")
	r := New(run)
	r.Bundle(o.Bundle)
	for _, res := range r.Results {
		if res.File == path {
			return path, res, nil
		}
	}
	return path, Result{}, fmt.Errorf("%s was written but did not run; zislint test %s says why", path, o.Bundle)
}

// refuseOverwrite fails when the tests folder has a fixture or golden of
// that name.
func refuseOverwrite(dir, name string) error {
	for _, ext := range []string{".yaml", ".yml", ".json", simulate.GoldenSuffix} {
		p := filepath.Join(dir, name+ext)
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s exists; --new does not overwrite, so pick another name or delete it", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// start is what a scaffolded fixture runs: the event of a job spec, or a
// flow by name.
type start struct {
	source, eventType string
	flow              *bundle.Resource
}

// chooseStart finds the job spec or flow the options name; without
// either, the bundle's only job spec.
func chooseStart(b *bundle.Bundle, o ScaffoldOptions) (start, error) {
	specs := b.OfType(bundle.TypeJobSpec)
	if o.JobSpec != "" && o.Flow != "" {
		return start{}, errors.New("give --job-spec or --flow, not both")
	}
	if o.Flow != "" {
		flow := findFlow(b, o.Flow)
		if flow == nil {
			return start{}, fmt.Errorf("%s has no flow %q; its flows are %s", b.Path, o.Flow, strings.Join(flowNames(b), ", "))
		}
		for _, js := range specs {
			if startsFlow(js, flow) {
				return jobSpecStart(b, js)
			}
		}
		return start{flow: flow}, nil
	}
	var keys []string
	for _, js := range specs {
		keys = append(keys, js.Key)
		if js.Key == o.JobSpec {
			return jobSpecStart(b, js)
		}
	}
	switch {
	case o.JobSpec != "":
		return start{}, fmt.Errorf("%s has no job spec %q; its job specs are %s", b.Path, o.JobSpec, strings.Join(keys, ", "))
	case len(specs) == 1:
		return jobSpecStart(b, specs[0])
	case len(specs) == 0:
		return start{}, fmt.Errorf("%s has no job spec; name the flow with --flow", b.Path)
	}
	return start{}, fmt.Errorf("%s has %d job specs; name one with --job-spec: %s", b.Path, len(specs), strings.Join(keys, ", "))
}

func jobSpecStart(b *bundle.Bundle, js *bundle.Resource) (start, error) {
	s := start{}
	s.source, _ = js.JobSpec.EventSource.Str()
	s.eventType, _ = js.JobSpec.EventType.Str()
	for _, f := range b.OfType(bundle.TypeFlow) {
		if startsFlow(js, f) {
			s.flow = f
		}
	}
	if s.flow == nil {
		return start{}, fmt.Errorf("job spec %q starts no flow of %s", js.Key, b.Path)
	}
	return s, nil
}

// startsFlow reports whether the job spec's flow_name names flow.
func startsFlow(js *bundle.Resource, flow *bundle.Resource) bool {
	name, _ := js.JobSpec.FlowName.Str()
	ref, err := bundle.ParseRef(name)
	return err == nil && ref.Name == flow.NameText()
}

func findFlow(b *bundle.Bundle, name string) *bundle.Resource {
	for _, f := range b.OfType(bundle.TypeFlow) {
		if f.NameText() == name || f.Key == name {
			return f
		}
	}
	return nil
}

func flowNames(b *bundle.Bundle) []string {
	var out []string
	for _, f := range b.OfType(bundle.TypeFlow) {
		out = append(out, f.NameText())
	}
	return out
}

// customCalls maps each custom action of the bundle that the flow can
// call to the states that call it, in source order.
func customCalls(b *bundle.Bundle, flow *bundle.Resource) map[string][]string {
	actions := map[string]bool{}
	for _, a := range b.OfType(bundle.TypeAction) {
		actions[a.NameText()] = true
	}
	calls := map[string][]string{}
	for _, m := range b.Machines() {
		if m.Flow != flow {
			continue
		}
		for _, s := range m.States {
			name, _ := s.Entry.Value().Get("ActionName").Str()
			ref, err := bundle.ParseRef(name)
			if err != nil || ref.Integration == "common" || !actions[ref.Name] {
				continue // a built-in action, or one the bundle lacks
			}
			if !slices.Contains(calls[ref.Name], s.Name) {
				calls[ref.Name] = append(calls[ref.Name], s.Name)
			}
		}
	}
	return calls
}

// fixtureText writes the fixture as YAML, with comments saying what to
// change.
func fixtureText(b *bundle.Bundle, name string, s start) (string, error) {
	var w strings.Builder
	fmt.Fprintf(&w, "# Written by zislint test --new. Change the event and the responses to the case this fixture\n")
	fmt.Fprintf(&w, "# tests, then run zislint test -update to record its golden again.\n")
	fmt.Fprintf(&w, "name: %s\n", name)
	event := map[string]any{}
	if s.source != "" {
		fmt.Fprintf(&w, "event_source: %s\nevent_type: %s\n", yamlScalar(s.source), yamlScalar(s.eventType))
		if e, ok := events.Lookup(s.source, s.eventType); ok {
			if input, ok := e.Sample()["input"].(map[string]any); ok {
				event = input
			}
			fmt.Fprintf(&w, "# The event is a sample of %s from zislint's event catalogue.\n", s.eventType)
		} else {
			fmt.Fprintf(&w, "# zislint's event catalogue has no %s event of source %s: write its payload below.\n", s.eventType, s.source)
		}
	} else {
		fmt.Fprintf(&w, "flow: %s\n", yamlScalar(s.flow.NameText()))
	}
	w.WriteString("account: {subdomain: example}\n")
	body, err := YAMLBlock(map[string]any{"event": event})
	if err != nil {
		return "", err
	}
	w.WriteString(body)
	calls := customCalls(b, s.flow)
	if len(calls) == 0 {
		return w.String(), nil
	}
	w.WriteString("responses:\n")
	names := make([]string, 0, len(calls))
	for n := range calls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&w, "  # called by %s; one entry per call, in order\n", strings.Join(calls[n], ", "))
		fmt.Fprintf(&w, "  %s:\n    - status: 200\n      body: {}\n", yamlScalar(n))
	}
	return w.String(), nil
}

// YAMLBlock encodes v as block YAML indented by two spaces a level.
func YAMLBlock(v any) (string, error) {
	var w strings.Builder
	enc := yaml.NewEncoder(&w)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return w.String(), enc.Close()
}

// yamlScalar writes s as a YAML scalar, quoted when it needs to be.
func yamlScalar(s string) string {
	out, err := YAMLBlock(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(out, "\n")
}
