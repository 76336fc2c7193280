package explore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"

	"github.com/zislint/zislint/internal/repofs"
	"github.com/zislint/zislint/simulate"
	"github.com/zislint/zislint/simulate/runner"
)

// write saves the fixtures found in a bundle's flows, then records their
// goldens the way zislint test -update does, and checks that each
// passes.
func (x *Explorer) write(bundlePath string, flows []FlowReport) {
	var names []string
	for fi := range flows {
		for i := range flows[fi].Found {
			fd := &flows[fi].Found[i]
			if err := writeFixture(fd, x.o.Seed); err != nil {
				x.fail("writing %s: %v", fd.File, repofs.WithoutPath(err))
				continue
			}
			fd.Written = true
			names = append(names, regexp.QuoteMeta(fd.Name))
		}
	}
	if len(names) == 0 {
		return
	}
	r := runner.New(runner.Options{Update: true, Env: x.o.Env, Log: io.Discard,
		Filter: regexp.MustCompile("^(" + strings.Join(names, "|") + ")$")})
	r.Bundle(bundlePath)
	for _, res := range r.Results {
		if res.Status != runner.StatusPass && res.Status != runner.StatusUpdated {
			x.fail("%s does not pass as written: %s", res.File, runner.Details(res))
		}
	}
}

// writeFixture writes a found fixture, refusing to replace a file.
func writeFixture(fd *Found, seed uint64) error {
	if _, err := os.Lstat(fd.File); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s exists; exploring never overwrites a file", fd.File)
	}
	text, err := fixtureText(fd, seed)
	if err != nil {
		return err
	}
	back, err := simulate.ParseFixture(fd.File, []byte(text))
	if err != nil || !sameFixture(fd.Fixture, back) {
		// The golden would record the file's run, which would not be
		// the run that took the transitions.
		return fmt.Errorf("its values do not read back from YAML as they are (%v); it is not written", err)
	}
	if err := os.MkdirAll(filepath.Dir(fd.File), 0o755); err != nil {
		return err
	}
	return repofs.WriteFile(fd.File, []byte(text), 0o644)
}

// sameFixture reports whether b, read back from a's YAML, holds the
// same event, responses and stores.
func sameFixture(a, b *simulate.Fixture) bool {
	if !reflect.DeepEqual(a.Event, b.Event) || len(a.Config) != len(b.Config) || len(a.Links) != len(b.Links) ||
		len(a.Config) > 0 && !reflect.DeepEqual(a.Config, b.Config) || len(a.Links) > 0 && !reflect.DeepEqual(a.Links, b.Links) ||
		!maps.Equal(a.Vars, b.Vars) || len(a.Responses) != len(b.Responses) {
		return false
	}
	for action, list := range a.Responses {
		other := b.Responses[action]
		if len(other) != len(list) {
			return false
		}
		for i, r := range list {
			o := other[i]
			if r.Status != o.Status || !reflect.DeepEqual(r.Body, o.Body) || !maps.Equal(r.Headers, o.Headers) {
				return false
			}
		}
	}
	return true
}

// fixtureDoc is a fixture file's keys in the order a reader expects.
type fixtureDoc struct {
	Name        string                   `yaml:"name"`
	Flow        string                   `yaml:"flow,omitempty"`
	EventSource string                   `yaml:"event_source,omitempty"`
	EventType   string                   `yaml:"event_type,omitempty"`
	Account     map[string]any           `yaml:"account"`
	Event       any                      `yaml:"event"`
	Responses   map[string][]responseDoc `yaml:"responses,omitempty"`
	Config      map[string]any           `yaml:"config,omitempty"`
	Links       []any                    `yaml:"links,omitempty"`
	Vars        map[string]string        `yaml:"vars,omitempty"`
}

type responseDoc struct {
	Status  int               `yaml:"status"`
	Headers map[string]string `yaml:"headers,omitempty"`
	Body    any               `yaml:"body"`
}

// fixtureText writes the fixture as YAML, with a comment saying where it
// comes from and what it covers.
func fixtureText(fd *Found, seed uint64) (string, error) {
	f := fd.Fixture
	doc := fixtureDoc{Name: fd.Name, Flow: f.Flow, EventSource: f.EventSource, EventType: f.EventType,
		Account: map[string]any{"subdomain": f.Account.Subdomain, "account_id": readable(f.Account.AccountID)},
		Event:   readable(f.Event), Config: readableMap(f.Config), Links: readableList(f.Links), Vars: f.Vars}
	if len(f.Responses) > 0 {
		doc.Responses = map[string][]responseDoc{}
		for action, list := range f.Responses {
			for _, r := range list {
				doc.Responses[action] = append(doc.Responses[action], responseDoc{r.Status, r.Headers, readable(r.Body)})
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Found by zislint test --explore --seed %d, starting from %s.\n", seed, fd.From)
	b.WriteString("# It was the first fixture to take:\n")
	for _, t := range fd.Adds {
		fmt.Fprintf(&b, "#   %s → %s (%s)\n", oneLine(t.From), oneLine(t.To), t.Kind)
	}
	b.WriteString("# Its golden is the simulator's run; review both, and rename it after the case it tests.\n")
	body, err := runner.YAMLBlock(doc)
	return b.String() + body, err
}

// oneLine keeps a state's name on its comment line.
func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// readable writes whole numbers as integers, which YAML shows as they
// are (a float64 100 would be written 100, but 10543210 as 1.054321e+07);
// both read back as the same JSON number.
func readable(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	case map[string]any:
		return readableMap(x)
	case []any:
		return readableList(x)
	}
	return v
}

func readableMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = readable(v)
	}
	return out
}

func readableList(l []any) []any {
	if l == nil {
		return nil
	}
	out := make([]any, len(l))
	for i, v := range l {
		out[i] = readable(v)
	}
	return out
}
