package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/simulate"
	"github.com/zislint/zislint/simulate/runner"
)

// runSimulate runs one flow once, from one fixture file or from an event
// and a responses file, and prints the result as a golden would hold it.
func runSimulate(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("zislint simulate", flag.ContinueOnError)
	fset.SetOutput(stderr)
	bundlePath := fset.String("bundle", "", "the bundle file (required)")
	fixturePath := fset.String("fixture", "", "a zislint test fixture (YAML or JSON) to run: its flow or event, account, event, responses, config and links")
	flow := fset.String("flow", "", "the flow to run, by properties.name")
	source := fset.String("event-source", "", "with --event-type: run the flow a job spec binds to this event")
	eventType := fset.String("event-type", "", "with --event-source: the event's type, e.g. activity.UserActivityCreated")
	eventPath := fset.String("event", "", "JSON or YAML file holding the event payload, the flow's $.input (required)")
	responsesPath := fset.String("responses", "", "JSON or YAML file mapping custom action names to lists of {status, body, headers}")
	subdomain := fset.String("subdomain", simulate.DefaultSubdomain, "the Zendesk subdomain the run happens in")
	cfgPath := fset.String("config", "", "config file to use instead of the zislint.yaml found above the bundle")
	env := fset.String("env", "", "fill the bundle's {{name}} variables from this environment of zislint.yaml")
	addMaxFileSize(fset)
	graph := fset.Bool("graph", false, "print the flow with the run's path drawn on it instead of the result")
	graphFormat := fset.String("graph-format", "mermaid", "with --graph: "+strings.Join(diagram.Formats, ", "))
	rest, err := parseInterleaved(fset, args)
	if err != nil {
		return exitUsage
	}
	usageErr := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "zislint simulate: "+format+"\n", args...)
		return exitUsage
	}
	if len(rest) > 0 {
		return usageErr("unexpected argument %q; name the bundle with --bundle", rest[0])
	}
	if *bundlePath == "" {
		return usageErr("--bundle is required")
	}
	if *graph && !slices.Contains(diagram.Formats, *graphFormat) {
		return usageErr("--graph-format %q: use one of %s", *graphFormat, strings.Join(diagram.Formats, ", "))
	}
	if *fixturePath != "" {
		// The fixture says all of these; a flag beside it would be
		// ignored or contradict it.
		if set := setFlags(fset, "event", "responses", "flow", "event-source", "event-type", "subdomain"); len(set) > 0 {
			return usageErr("--fixture holds the run's flow, event, responses and account; leave out %s", strings.Join(set, ", "))
		}
	} else {
		switch {
		case *eventPath == "":
			return usageErr("--event is required: a JSON or YAML file holding the event payload (or run a test fixture with --fixture FILE)")
		case *flow != "" && (*source != "" || *eventType != ""):
			return usageErr("give --flow, or --event-source and --event-type, not both")
		case *flow == "" && (*source == "" || *eventType == ""):
			return usageErr("give --flow NAME, or both --event-source and --event-type")
		case *subdomain == "":
			return usageErr("--subdomain must not be empty")
		}
	}

	cfg, err := runner.NewConfigCache().ForBundle(*bundlePath, *cfgPath)
	if err != nil {
		return usageErr("%v", err)
	}
	bundleRun, err := runner.NewBundle(*bundlePath, cfg, *env)
	if err != nil {
		return usageErr("%v", err)
	}
	var f *simulate.Fixture
	var prog *simulate.Program
	if *fixturePath != "" {
		// The fixture's vars: fill the bundle's variables first.
		f, err = simulate.LoadFixture(*fixturePath)
		if err == nil {
			prog, err = bundleRun.Program(f)
		}
		if err == nil {
			err = runner.CheckResponseNames(prog, f)
		}
	} else {
		prog, err = bundleRun.Program(nil)
		if err == nil {
			f, err = fixtureFromFlags(prog, flagRun{*eventPath, *responsesPath, *flow, *source, *eventType, *subdomain})
		}
	}
	if err != nil {
		return usageErr("%v", err)
	}
	model := bundleRun.Model()
	res, err := prog.Run(f)
	if err != nil {
		if *fixturePath == "" { // a fixture names its own flow, at its line
			err = flowChoiceError(err, *flow)
		}
		return usageErr("%v", err)
	}
	out, err := simulate.MarshalResult(res)
	if *graph {
		var text string
		text, err = diagram.Render(*graphFormat, runDiagram(model, res))
		out = []byte(text)
	}
	if err != nil {
		return usageErr("%v", err)
	}
	if _, err := stdout.Write(out); err != nil {
		return usageErr("%v", err)
	}
	// Not a failure of the run, but a sign the responses file expects
	// calls the flow did not make.
	if unused := res.UnusedResponses(); len(unused) > 0 {
		fmt.Fprintf(stderr, "zislint simulate: responses never used: %s\n", strings.Join(unused, ", "))
	}
	if res.Status != simulate.StatusSucceeded {
		msg := "the run failed"
		if res.Error != nil {
			msg += fmt.Sprintf(" in state %q: %s: %s", res.Error.State, res.Error.Error, res.Error.Cause)
		}
		fmt.Fprintf(stderr, "zislint simulate: %s\n", msg)
		return exitFindings
	}
	return exitOK
}

// flagRun is a run described by flags rather than a fixture.
type flagRun struct {
	eventPath, responsesPath string
	flow, source, eventType  string
	subdomain                string
}

// fixtureFromFlags builds the fixture a run from --event and --responses
// amounts to.
func fixtureFromFlags(prog *simulate.Program, r flagRun) (*simulate.Fixture, error) {
	event, err := simulate.LoadValue(r.eventPath)
	if err != nil {
		return nil, err
	}
	if _, ok := event.(map[string]any); !ok {
		return nil, fmt.Errorf("%s: the event must be an object: the event payload, which the flow reads as $.input", r.eventPath)
	}
	f := &simulate.Fixture{
		// The flags choose the flow and the responses file holds the
		// responses: messages name those, never the event file.
		Path:          "zislint simulate",
		ResponsesFile: "a file given with --responses",
		Name:          runner.FixtureName(r.eventPath),
		Flow:          r.flow,
		EventSource:   r.source,
		EventType:     r.eventType,
		Account:       simulate.Account{Subdomain: r.subdomain, AccountID: simulate.DefaultAccountID},
		Event:         event,
		Line:          map[string]int{},
	}
	if r.responsesPath != "" {
		f.ResponsesFile = r.responsesPath
		if f.Responses, err = simulate.LoadResponses(r.responsesPath); err != nil {
			return nil, err
		}
		// Named after the responses file, since that is where a typo is.
		named := &simulate.Fixture{Path: r.responsesPath, Responses: f.Responses}
		if err := runner.CheckResponseNames(prog, named); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// setFlags returns, as --name, those of names set on the command line.
func setFlags(fset *flag.FlagSet, names ...string) []string {
	var set []string
	fset.Visit(func(fl *flag.Flag) {
		if slices.Contains(names, fl.Name) {
			set = append(set, "--"+fl.Name)
		}
	})
	return set
}

// flowChoiceError names the flag that chose no flow, or the job spec that
// names a missing one, instead of a fixture there is none of.
func flowChoiceError(err error, flow string) error {
	var nf *simulate.NoFlowError
	switch {
	case !errors.As(err, &nf) || nf.JobSpec != "":
		return err
	case flow != "":
		return fmt.Errorf("--flow: %s", nf.Reason)
	}
	return fmt.Errorf("--event-source, --event-type: %s", nf.Reason)
}
