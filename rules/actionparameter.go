package rules

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const actionParameterID = "ZIS228"

// ActionParameter reports reads in a custom action's definition that a
// calling state's Parameters do not provide.
var ActionParameter = &analysis.Analyzer{
	Name: "action_parameter",
	Doc: `what a custom action's definition reads, each calling state must pass

Inside a ZIS::Action::Http definition $ is the calling state's resolved
Parameters, not the flow's document: what the Action state passes as
"ticket_id.$" is $.ticket_id in the action's url, path, headers,
queryParams or requestBody. A path the definition
reads that a caller's Parameters do not hold is empty in that call: a
{{$.…}} placeholder renders empty (a request to /api/v2/tickets/.json), a
".$" value fails the call at run time. The finding points at the read in
the action and names each calling state (and its flow) that leaves the
path out. Reads are ".$" values and {{$.…}} placeholders anywhere in the
definition, as ZIS fills placeholders there with or without the suffix.
Silent where a caller passes something not known here (a value copied
from an action's result, a Jq output), for callers no path reaches, and
for $.connections (connection_token's concern).`,
	Requires: []*analysis.Analyzer{Root, DataFlow},
	Run:      runActionParameter,
}

func runActionParameter(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, actionParameterID)
	flows := pass.ResultOf[DataFlow].(*Flows)
	callers := actionCallers(r.in.Bundle)
	var room [pathRoom]bundle.Segment
	for _, res := range r.in.Bundle.OfType(bundle.TypeAction) {
		calls := callers.of(res.NameText())
		if res.Name == nil || res.Action.Definition == nil || len(calls) == 0 {
			continue
		}
		for _, read := range definitionReads(res.Action.Definition) {
			rd := read.parse(room[:0])
			if readsOlderConnections(rd) {
				continue
			}
			if gaps := parameterGaps(flows, calls, rd); gaps != "" {
				r.readSpan(rd, 0, "action "+quote(res.NameText())+" reads "+quote(rd.raw())+", but "+gaps+"; "+
					rd.kind().consequence()+"; add it to those Parameters")
			}
		}
	}
	return nil, nil
}

// readsOlderConnections reports whether rd reads $.connections, where
// the older documentation kept connection tokens; connection_token
// reports that practice, and what ZIS then provided is not known.
func readsOlderConnections(rd parsedRead) bool {
	segs := rd.segs
	return len(segs) > 0 && !segs[0].IsIndex && segs[0].Name == "connections"
}

// actionCalls lists the Action states that call each custom action, by
// name.
type actionCalls struct {
	list []actionCall
	// byName indexes list once it is long: a bundle calls a few
	// actions, for which a search of the list beats a map, but may
	// name thousands.
	byName map[string]int
}

type actionCall struct {
	name   string
	states []*bundle.State // in bundle order
}

// maxListedActions is how many actions actionCalls searches in its list.
const maxListedActions = 16

// actionCallers lists the Action states that call each custom action,
// in bundle order. A first pass notes the action each state calls, a
// second places the callers, all in one array: appending to each
// action's own list grew that of an action called from 40,000 states
// through 3 MB of copies.
func actionCallers(b *bundle.Bundle) *actionCalls {
	out := &actionCalls{}
	states := 0
	for m := range b.EachMachine() {
		states += len(m.States)
	}
	calls := make([]int32, 0, states) // per state, in order: the action's place in out.list, or -1
	var counts []int                  // per action of out.list: its callers
	for s := range b.States() {
		call := -1
		if s.Type() == bundle.StateAction {
			// As callsCustomAction, parsing the name once.
			name, _ := s.Entry.Value().Get("ActionName").Str()
			ref, err := bundle.ParseRef(name)
			if err == nil && ref.Integration != bundle.CommonKey && ref.Kind == bundle.KindAction {
				call = out.place(ref.Name)
				if call == len(counts) {
					counts = append(counts, 0)
				}
				counts[call]++
			}
		}
		calls = append(calls, int32(call))
	}
	callers := make([]*bundle.State, 0, len(calls))
	for i, n := range counts {
		out.list[i].states = callers[len(callers) : len(callers) : len(callers)+n]
		callers = callers[:len(callers)+n]
	}
	k := 0
	for s := range b.States() {
		if call := calls[k]; call >= 0 {
			out.list[call].states = append(out.list[call].states, s)
		}
		k++
	}
	return out
}

// place returns where the action name is in the list, adding it with no
// callers when it is not there.
func (c *actionCalls) place(name string) int {
	if i := c.index(name); i >= 0 {
		return i
	}
	c.list = append(c.list, actionCall{name: name})
	switch {
	case c.byName != nil:
		c.byName[name] = len(c.list) - 1
	case len(c.list) > maxListedActions:
		c.byName = make(map[string]int, 2*len(c.list))
		for i, call := range c.list {
			c.byName[call.name] = i
		}
	}
	return len(c.list) - 1
}

// index is where name is in the list, or -1.
func (c *actionCalls) index(name string) int {
	if c.byName != nil {
		if i, ok := c.byName[name]; ok {
			return i
		}
		return -1
	}
	for i := range c.list {
		if c.list[i].name == name {
			return i
		}
	}
	return -1
}

// of returns the states that call the action name.
func (c *actionCalls) of(name string) []*bundle.State {
	if i := c.index(name); i >= 0 {
		return c.list[i].states
	}
	return nil
}

// parameterGaps says which callers' Parameters surely lack what rd
// reads, or "" when none does. Callers of one machine that lack the same
// step are named together.
func parameterGaps(flows *Flows, calls []*bundle.State, rd parsedRead) string {
	type gap struct {
		where  string // the machine and what its states lack
		states []string
	}
	var gaps []*gap
	for _, s := range calls {
		presence, found, ok := flows.callerLookup(s, rd.segs)
		if !ok || presence != Absent {
			continue
		}
		where := " (" + s.Machine.Describe() + ") hold no " + quote(stepName(rd.segs[found]))
		if found > 0 {
			where += " at " + quote(rawPrefix(rd.path(), found))
		}
		i := slices.IndexFunc(gaps, func(g *gap) bool { return g.where == where })
		if i < 0 {
			gaps = append(gaps, &gap{where: where})
			i = len(gaps) - 1
		}
		gaps[i].states = append(gaps[i].states, quote(s.Name))
	}
	var parts []string
	for _, g := range gaps {
		noun := "state "
		if len(g.states) > 1 {
			noun = "states "
		}
		parts = append(parts, "the Parameters of "+noun+andList(g.states)+g.where)
	}
	return strings.Join(parts, ", and ")
}

// andList joins items as "a", "a and b" or "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
