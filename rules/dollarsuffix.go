package rules

import (
	"encoding/json"

	"golang.org/x/tools/go/analysis"
)

const dollarSuffixID = "ZIS603"

// DollarSuffix warns about path-like values under plain keys.
var DollarSuffix = &analysis.Analyzer{
	Name: "dollar_suffix",
	Doc: `a key whose value is a path needs the ".$" suffix

ZIS evaluates a value only when its key ends in ".$": "ticket_id.$":
"$.input.ticket_event.ticket.id" passes the ticket id, while "ticket_id":
"$.input.ticket_event.ticket.id" passes the literal text
"$.input.ticket_event.ticket.id". Likewise, in the Parameters of a flow
state, "note": "Ticket {{$.id}}" is sent as written, braces and all; it
needs "note.$". (HTTP action definitions fill {{…}} in plain keys too.)
The fix renames the key. Paths are checked in the Parameters of states and
in HTTP action definitions, placeholders in Parameters.`,
	Requires: []*analysis.Analyzer{Root, Exprs},
	Run:      runDollarSuffix,
}

func runDollarSuffix(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, dollarSuffixID)
	for site := range pass.ResultOf[Exprs].(*ExprSites).All() {
		if site.Kind != SuffixSite {
			continue
		}
		m := site.Member()
		if m == nil {
			continue
		}
		newKey, _ := json.Marshal(m.Key() + ".$")
		fix := analysis.SuggestedFix{
			Message:   "rename the key to " + string(newKey),
			TextEdits: []analysis.TextEdit{{Pos: r.in.Pos(int(m.KeyStart)), End: r.in.Pos(int(m.KeyEnd())), NewText: newKey}},
		}
		what := " looks like a path"
		if s, _ := site.Node.Str(); zisPlaceholder().MatchString(s) {
			what = " holds a {{…}} placeholder"
		}
		r.span(int(m.KeyStart), int(m.KeyEnd()), site.Where()+what+", but without \".$\" at the end of the key ZIS passes it as literal text; rename the key to "+string(newKey), fix)
	}
	return nil, nil
}
