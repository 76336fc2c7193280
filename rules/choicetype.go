package rules

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const choiceTypeID = "ZIS229"

// ChoiceType reports Choice comparisons that can never be true for the
// type of the value they test.
var ChoiceType = &analysis.Analyzer{
	Name: "choice_type",
	Doc: `a Choice comparison must fit the JSON type of the value it tests

Each Choice comparison tests one type of value: String... and Timestamp...
compare strings, Numeric... numbers, BooleanEquals booleans. Given a value of
another type it is simply false: "StringEquals": "4127" on
$.input.ticket_event.ticket.id, a number, never matches, and the Choice
goes on to the next rule or its Default without a word. This rule takes
the type of the Variable (and of the other side of a ...Path comparison)
from the data-flow analysis: the events catalogue for the flow's event,
and the literals Pass states wrote. It is silent where the type is not
known: a value of type any in the catalogue, an open object, an action's
result, a value that differs in type from one path to another in a way
the comparison may fit. The message says what the comparison then does
and which comparison would fit.`,
	Requires: []*analysis.Analyzer{Root, DataFlow},
	Run:      runChoiceType,
}

func runChoiceType(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, choiceTypeID)
	flows := pass.ResultOf[DataFlow].(*Flows)
	c := &choiceTypeChecker{r: r} // one for every Choice state, each in turn
	for s := range r.in.Bundle.States() {
		choices := s.Entry.Value().Get("Choices")
		if s.Type() != bundle.StateChoice || choices == nil {
			continue
		}
		doc := flows.Input(s)
		if doc == nil {
			continue
		}
		c.doc = effectiveInput(s, doc)
		for _, rule := range choices.Elems() {
			c.rule(rule, c.within[:0])
		}
	}
	return nil, nil
}

// choiceTypeChecker checks the rules of one Choice state against the
// document it receives.
type choiceTypeChecker struct {
	r   *reporter
	doc *DocValue
	// within is room for rule's lists: a rule's list extends its
	// parent's, each in turn, and no message keeps one, so all share
	// this array and a nested rule costs no allocation.
	within [4]string
}

// rule checks a rule; within lists the And, Or and Not around it,
// outermost first. A rule's list extends within in place: the lists of
// sibling rules take turns in the same array.
func (c *choiceTypeChecker) rule(rule *bundle.Node, within []string) {
	if rule == nil || rule.Kind() != bundle.Object {
		return
	}
	members := rule.Members()
	for i := range members {
		m := &members[i]
		switch m.Key() {
		case "And", "Or":
			for _, sub := range m.Value().Elems() {
				c.rule(sub, append(within, m.Key()))
			}
		case "Not":
			c.rule(m.Value(), append(within, "Not"))
		default:
			if cmp, ok := parseComparison(m.Key()); ok {
				c.comparison(rule, m, cmp, within)
			}
		}
	}
}

// comparison checks the Variable of a comparison, then the other side of
// a ...Path one; it reports the first side whose type cannot fit.
func (c *choiceTypeChecker) comparison(rule *bundle.Node, m *bundle.Member, cmp comparison, within []string) {
	sides := []*bundle.Node{rule.Get("Variable")}
	if cmp.path {
		sides = append(sides, m.Value())
	}
	var room [pathRoom]bundle.Segment
	for i, side := range sides {
		segs, ok := stepsOf(side, room[:0])
		if !ok {
			continue
		}
		types, known := c.doc.TypesAt(segs)
		if !known || types&cmp.family.wants != 0 {
			continue
		}
		raw, _ := side.Str()
		what := quote(raw)
		if i == 1 {
			what += " (the value " + m.Key() + " compares with)"
		}
		c.r.node(side, "%s is %s and %s compares %s: it is never true here, so %s; %s",
			what, types, m.Key(), cmp.family.compares, consequence(within), cmp.fit(types))
		return
	}
}

// comparisonFamily is a kind of comparison and the type it compares.
type comparisonFamily struct {
	prefix   string
	wants    JSONTypes
	compares string
}

var comparisonFamilies = []comparisonFamily{
	{"String", TypeString, "strings"},
	{"Numeric", TypeNumber, "numbers"},
	{"Boolean", TypeBoolean, "booleans"},
	{"Timestamp", TypeString, "timestamps, which are strings"},
}

// comparison is a parsed comparison operator such as NumericLessThanPath.
type comparison struct {
	family comparisonFamily
	test   string // Equals, LessThan, ...
	path   bool
}

var comparisonTests = []string{"Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"}

// parseComparison recognises the typed comparisons; IsPresent, IsNull
// and keys the schema rule reports are not.
func parseComparison(key string) (comparison, bool) {
	for _, f := range comparisonFamilies {
		rest, ok := strings.CutPrefix(key, f.prefix)
		if !ok {
			continue
		}
		test, path := strings.CutSuffix(rest, "Path")
		if !slices.Contains(comparisonTests, test) || f.prefix == "Boolean" && test != "Equals" {
			return comparison{}, false
		}
		return comparison{family: f, test: test, path: path}, true
	}
	return comparison{}, false
}

// zisPathComparisons are the ...Path comparisons ZIS documents.
var zisPathComparisons = []string{
	"StringEqualsPath", "NumericEqualsPath", "NumericLessThanPath", "NumericGreaterThanPath",
	"NumericLessThanEqualsPath", "NumericGreaterThanEqualsPath", "BooleanEqualsPath",
}

// fit names the comparison that fits a value of types.
func (cmp comparison) fit(types JSONTypes) string {
	var family, compares string
	switch types &^ TypeNull {
	case TypeString:
		family, compares = "String", "strings"
	case TypeNumber:
		family, compares = "Numeric", "numbers"
	case TypeBoolean:
		family, compares = "Boolean", "booleans"
	case 0:
		return "test for null with IsNull"
	case TypeObject, TypeArray:
		return "no comparison tests " + (types &^ TypeNull).String() + " as a whole: compare a value inside it"
	default:
		return "make the value one type before comparing it"
	}
	test := cmp.test
	if family == "Boolean" {
		test = "Equals"
	}
	op := family + test
	if cmp.path {
		if !slices.Contains(zisPathComparisons, op+"Path") {
			return "compare " + compares + " with a " + family + " comparison"
		}
		op += "Path"
	}
	return "compare " + compares + " with " + op
}

// consequence says what a comparison that is never true does to the
// Choice, given the And, Or and Not around it (outermost first).
func consequence(within []string) string {
	always := false
	for i := len(within) - 1; i >= 0; i-- {
		switch within[i] {
		case "Not":
			always = !always
		case "And":
			if always {
				return "the And it is in rests on its other tests"
			}
		case "Or":
			if !always {
				return "the Or it is in rests on its other tests"
			}
		}
	}
	if always {
		return "the rule always matches and the rules after it and the Default are never taken"
	}
	return "the rule never matches and the Choice goes on to the next rule or its Default"
}
