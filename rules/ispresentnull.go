package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const isPresentNullID = "ZIS231"

// IsPresentNull reports IsPresent tests on a path the flow itself set to
// null on every path to the Choice.
var IsPresentNull = &analysis.Analyzer{
	Name: "is_present_null",
	Doc: `IsPresent on a path the flow set to null is always true

A key that holds null is still present: a Choice rule testing IsPresent on
it always matches when IsPresent is true, and never when it is false. When
every path to the Choice sets the path to null itself (a Pass state's
Result or Parameters holding null, placed by its ResultPath), the test
cannot tell anything apart; IsNull, or a comparison of the value, is
probably what was meant. The rule follows every path from StartAt with the
data-flow analysis and reports only where each of them wrote the null;
null in an event or an action's result is never assumed.`,
	Requires: []*analysis.Analyzer{Root, DataFlow},
	Run:      runIsPresentNull,
}

func runIsPresentNull(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, isPresentNullID)
	flows := pass.ResultOf[DataFlow].(*Flows)
	var room [pathRoom]bundle.Segment
	for s := range r.in.Bundle.States() {
		if s.Type() != bundle.StateChoice {
			continue
		}
		doc := flows.ReadInput(s)
		if doc == nil {
			continue
		}
		for _, read := range flows.stateReads(s) {
			if read.kind() != readPresence {
				continue
			}
			if rd := read.parse(room[:0]); surelyNull(doc, rd.segs) {
				r.readSpan(rd, 0, quote(rd.raw())+" is set to null on every path to state "+quote(s.Name)+
					", and a key holding null is present, so "+presenceVerdict(rd.choiceRule(s))+"; test the value with IsNull instead")
			}
		}
	}
	return nil, nil
}

// presenceVerdict says what an IsPresent test on a present key does.
func presenceVerdict(rule *bundle.Node) string {
	if want := rule.Get("IsPresent"); want.Kind() == bundle.Bool && !want.Bool() {
		return `"IsPresent": false is always false here`
	}
	return `"IsPresent": true is always true here`
}

// surelyNull reports whether every path puts null at segs in doc.
func surelyNull(doc *DocValue, segs []bundle.Segment) bool {
	cur := doc
	for _, seg := range segs {
		next, p := cur.step(seg)
		if p != Sure {
			return false
		}
		cur = next
	}
	return cur.Null
}
