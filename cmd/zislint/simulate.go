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
)

// runSimulate runs one flow once, from files given on the command line
// instead of a fixture, and prints the result as a golden would hold it.
func runSimulate(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("zislint simulate", flag.ContinueOnError)
	fset.SetOutput(stderr)
	bundlePath := fset.String("bundle", "", "the bundle file (required)")
	flow := fset.String("flow", "", "the flow to run, by properties.name")
	source := fset.String("event-source", "", "with --event-type: run the flow a job spec binds to this event")
	eventType := fset.String("event-type", "", "with --event-source: the event's type, e.g. activity.UserActivityCreated")
	eventPath := fset.String("event", "", "JSON or YAML file holding the event payload, the flow's $.input (required)")
	responsesPath := fset.String("responses", "", "JSON or YAML file mapping custom action names to lists of {status, body, headers}")
	subdomain := fset.String("subdomain", simulate.DefaultSubdomain, "the Zendesk subdomain the run happens in")
	cfgPath := fset.String("config", "", "config file to use instead of the zislint.yaml found above the bundle")
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
	switch {
	case len(rest) > 0:
		return usageErr("unexpected argument %q; name the bundle with --bundle", rest[0])
	case *bundlePath == "":
		return usageErr("--bundle is required")
	case *eventPath == "":
		return usageErr("--event is required: a JSON or YAML file holding the event payload")
	case *flow != "" && (*source != "" || *eventType != ""):
		return usageErr("give --flow, or --event-source and --event-type, not both")
	case *flow == "" && (*source == "" || *eventType == ""):
		return usageErr("give --flow NAME, or both --event-source and --event-type")
	case *subdomain == "":
		return usageErr("--subdomain must not be empty")
	case *graph && !slices.Contains(diagram.Formats, *graphFormat):
		return usageErr("--graph-format %q: use one of %s", *graphFormat, strings.Join(diagram.Formats, ", "))
	}

	cfg, err := newConfigCache().forBundle(*bundlePath, *cfgPath)
	if err != nil {
		return usageErr("%v", err)
	}
	prog, model, err := compileBundle(*bundlePath, cfg)
	if err != nil {
		return usageErr("%v", err)
	}
	event, err := simulate.LoadValue(*eventPath)
	if err != nil {
		return usageErr("%v", err)
	}
	if _, ok := event.(map[string]any); !ok {
		return usageErr("%s: the event must be an object: the event payload, which the flow reads as $.input", *eventPath)
	}
	f := &simulate.Fixture{
		// The flags choose the flow and the responses file holds the
		// responses: messages name those, never the event file.
		Path:          "zislint simulate",
		ResponsesFile: "a file given with --responses",
		Name:          fixtureName(*eventPath),
		Flow:          *flow,
		EventSource:   *source,
		EventType:     *eventType,
		Account:       simulate.Account{Subdomain: *subdomain, AccountID: simulate.DefaultAccountID},
		Event:         event,
		Line:          map[string]int{},
	}
	if *responsesPath != "" {
		f.ResponsesFile = *responsesPath
		if f.Responses, err = simulate.LoadResponses(*responsesPath); err != nil {
			return usageErr("%v", err)
		}
		// Named after the responses file, since that is where a typo is.
		named := &simulate.Fixture{Path: *responsesPath, Responses: f.Responses}
		if err := checkResponseNames(prog, named); err != nil {
			return usageErr("%v", err)
		}
	}
	res, err := prog.Run(f)
	if err != nil {
		return usageErr("%v", flowChoiceError(err, *flow))
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
