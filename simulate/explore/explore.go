// Package explore is zislint test --explore: it searches, flow by flow,
// for fixtures that take transitions no existing fixture takes, by
// mutating the existing fixtures with values drawn from the flow itself,
// and can save what it finds as fixtures with goldens.
package explore

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
	"github.com/zislint/zislint/simulate"
	"github.com/zislint/zislint/simulate/runner"
)

// DefaultBudget is how long an exploration may take when the caller
// does not say.
const DefaultBudget = 10 * time.Second

// Options are what a caller chooses for an exploration.
type Options struct {
	// Seed makes the search repeatable: the same seed, fixtures and
	// bundle give the same fixtures.
	Seed uint64
	// Budget bounds the whole exploration in time; 0 means no bound.
	Budget time.Duration
	// MaxRuns bounds it in runs of the simulator; 0 means no bound.
	MaxRuns int
	// Now is the clock the budget is measured on; nil is time.Now.
	Now func() time.Time
	// Write saves each fixture found, with its golden.
	Write bool
	// Env fills the bundle's {{name}} variables, as for zislint test.
	Env string
	// Filter keeps the fixtures to start from, as -run does; nil keeps
	// all.
	Filter *regexp.Regexp
	// Log receives the problems that leave a bundle or fixture out.
	Log io.Writer
}

// Found is a fixture the search kept: it takes the transitions Adds,
// which no fixture before it took.
type Found struct {
	Name    string // its file name without extension
	File    string // where it is (or would be) written
	Written bool
	From    string // the file name of the fixture it was made from
	Adds    []simulate.Transition
	Fixture *simulate.Fixture
	Run     *simulate.Result
}

// Unreached is a transition the search did not take, and why when it
// can tell.
type Unreached struct {
	simulate.Transition
	Reason string
}

// FlowReport is the exploration of one flow.
type FlowReport struct {
	Bundle    string
	Flow      string
	Seeds     []string // the fixtures it started from
	Before    simulate.FlowCoverage
	After     simulate.FlowCoverage
	Found     []Found
	Unreached []Unreached
}

// Explorer explores the flows of one bundle after another, sharing one
// budget.
type Explorer struct {
	o       Options
	budget  *budget
	configs *runner.ConfigCache
	log     io.Writer
	Flows   []FlowReport
	// Broken is set when a bundle, config or fixture folder could not
	// be read or a found fixture could not be written.
	Broken bool
}

// New returns an explorer whose budget starts now.
func New(o Options) *Explorer {
	if o.Filter == nil {
		o.Filter = regexp.MustCompile("")
	}
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	return &Explorer{o: o, budget: newBudget(o), configs: runner.NewConfigCache(), log: log}
}

// Runs is how many times the simulator ran.
func (x *Explorer) Runs() int { return x.budget.runs }

// BudgetSpent reports whether the search stopped at the budget.
func (x *Explorer) BudgetSpent() bool { return x.budget.out }

func (x *Explorer) fail(format string, args ...any) {
	fmt.Fprintf(x.log, "zislint test: "+format+"\n", args...)
	x.Broken = true
}

// seedRun is a fixture to start from, with its run.
type seedRun struct {
	f   *simulate.Fixture
	res *simulate.Result
}

// Bundle explores every flow of the bundle at path.
func (x *Explorer) Bundle(path string) {
	cfg, err := x.configs.ForBundle(path, "")
	if err != nil {
		x.fail("%v", err)
		return
	}
	testsDir := cfg.TestsDir(cfg.IntegrationFor(path))
	files, err := simulate.FindFixtures(path, testsDir)
	if err != nil {
		x.fail("%v", err)
		return
	}
	if testsDir == "" {
		testsDir = filepath.Join(filepath.Dir(path), simulate.TestsFolder)
	}
	rb, err := runner.NewBundle(path, cfg, x.o.Env)
	if err != nil {
		x.fail("%v", err)
		return
	}
	if len(rb.Variables()) == 0 {
		// A bundle that cannot compile fails as a whole, once, as in
		// zislint test; with variables, each fixture's vars decide.
		if _, err := rb.Program(nil); err != nil {
			x.fail("%v", err)
			return
		}
	}
	seeds := x.seeds(rb, files)
	names := newNamer(testsDir)
	start := len(x.Flows)
	for _, flow := range rb.Model().OfType(bundle.TypeFlow) {
		if flow.Flow == nil || flow.Flow.Machine == nil {
			continue
		}
		fr, ok := x.flow(rb, flow, seeds[flow.NameText()], testsDir)
		if !ok {
			continue
		}
		for i := range fr.Found {
			fr.Found[i].Name = names.next(fr.Found[i].Adds[0])
			fr.Found[i].File = filepath.Join(testsDir, fr.Found[i].Name+".yaml")
		}
		x.Flows = append(x.Flows, fr)
	}
	if x.o.Write {
		x.write(path, x.Flows[start:])
	}
}

// seeds runs the fixtures -run keeps and groups them by the flow they
// run. One that does not load or run is left out, with the reason.
func (x *Explorer) seeds(rb *runner.Bundle, files []string) map[string][]seedRun {
	out := map[string][]seedRun{}
	for _, file := range files {
		keep := func(name string) bool {
			return x.o.Filter.MatchString(filepath.Base(file)) || x.o.Filter.MatchString(runner.FixtureName(file)) || x.o.Filter.MatchString(name)
		}
		f, kept, err := simulate.LoadFixtureIf(file, keep)
		if !kept {
			continue
		}
		var res *simulate.Result
		if err == nil {
			x.budget.runs++
			res, err = runFixture(rb, f)
		}
		if err != nil {
			fmt.Fprintf(x.log, "zislint test: %v (left out of the exploration)\n", err)
			continue
		}
		out[res.Flow] = append(out[res.Flow], seedRun{f, res})
	}
	return out
}

// runFixture runs a fixture as zislint test would, refusing responses
// for actions the bundle lacks.
func runFixture(rb *runner.Bundle, f *simulate.Fixture) (*simulate.Result, error) {
	prog, err := rb.Program(f)
	if err != nil {
		return nil, err
	}
	if err := runner.CheckResponseNames(prog, f); err != nil {
		return nil, err
	}
	return prog.Run(f)
}

// flow explores one flow from its fixtures, or from a scaffolded one
// when it has none.
func (x *Explorer) flow(rb *runner.Bundle, flow *bundle.Resource, seeds []seedRun, testsDir string) (FlowReport, bool) {
	model := newFlowModel(rb.Model(), flow)
	cover := simulate.NewCoverage(rb.Model(), flow)
	s := newSearch(model, cover, x.o.Seed, x.budget, func(f *simulate.Fixture) (*simulate.Result, error) { return runFixture(rb, f) })
	fr := FlowReport{Bundle: rb.Model().Path, Flow: cover.FlowName()}
	for _, sr := range seeds {
		s.seed(sr.f, sr.res, filepath.Base(sr.f.Path))
		fr.Seeds = append(fr.Seeds, filepath.Base(sr.f.Path))
	}
	if len(seeds) == 0 {
		f := scaffoldSeed(rb.Model(), flow, testsDir)
		x.budget.runs++
		res, err := runFixture(rb, f)
		if err != nil && f.Flow == "" {
			// The job spec does not lead to the flow in the simulator
			// (its flow_name is broken): run the flow by name instead.
			f.Flow, f.EventSource, f.EventType = flow.NameText(), "", ""
			x.budget.runs++
			res, err = runFixture(rb, f)
		}
		if err != nil {
			// Nothing to start from: the bundle (or --env) is what
			// stops the flow from running, as zislint test would say.
			x.fail("flow %s has no fixture, and a scaffolded one does not run: %v", fr.Flow, err)
			return fr, false
		}
		s.seed(f, res, scaffolded)
		fr.Seeds = []string{scaffolded}
	}
	fr.Before = cover.Report()
	s.explore()
	fr.After = cover.Report()
	fr.Found = s.found
	fr.Unreached = s.unreached(fr.After.Uncovered)
	return fr, true
}

// scaffolded names the fixture a flow without fixtures starts from.
const scaffolded = "(scaffolded)"

// scaffoldSeed is a fixture for a flow that has none, as zislint test
// --new writes it: the event of the job spec that starts the flow, from
// the event catalogue, and no responses (the search adds them as calls
// need them).
func scaffoldSeed(b *bundle.Bundle, flow *bundle.Resource, testsDir string) *simulate.Fixture {
	f := &simulate.Fixture{Path: filepath.Join(testsDir, "scaffolded.yaml"), Name: "scaffolded", Event: map[string]any{},
		Account: simulate.Account{Subdomain: simulate.DefaultSubdomain, AccountID: simulate.DefaultAccountID},
		Line:    map[string]int{}}
	for _, js := range b.OfType(bundle.TypeJobSpec) {
		if !startsFlow(js, flow) {
			continue
		}
		f.EventSource, _ = js.JobSpec.EventSource.Str()
		f.EventType, _ = js.JobSpec.EventType.Str()
		if e, ok := events.Lookup(f.EventSource, f.EventType); ok {
			f.Event = asDocument(e.Sample()["input"])
		}
		return f
	}
	f.Flow = flow.NameText()
	return f
}

// startsFlow reports whether the job spec's flow_name names the flow,
// also when its integration key is a placeholder that is no valid key
// ("zis:%INTEGRATION%:flow:Name"): the flow is still the one meant.
func startsFlow(js, flow *bundle.Resource) bool {
	name, _ := js.JobSpec.FlowName.Str()
	if ref, err := bundle.ParseRef(name); err == nil {
		return ref.Name == flow.NameText()
	}
	return flow.NameText() != "" && strings.HasSuffix(name, ":flow:"+flow.NameText())
}

// asDocument turns a value into a document value, as a fixture holds it:
// float64 numbers, map[string]any objects.
func asDocument(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return map[string]any{}
	}
	var out any
	if json.Unmarshal(data, &out) != nil || out == nil {
		return map[string]any{}
	}
	return out
}
