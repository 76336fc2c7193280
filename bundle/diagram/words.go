package diagram

import (
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// comparisons maps a Choice comparison operator, without its "Path"
// suffix, to the word or symbol a reader expects between the two sides.
var comparisons = map[string]string{
	"StringEquals":               "==",
	"StringLessThan":             "<",
	"StringLessThanEquals":       "<=",
	"StringGreaterThan":          ">",
	"StringGreaterThanEquals":    ">=",
	"StringMatches":              "matches",
	"NumericEquals":              "==",
	"NumericLessThan":            "<",
	"NumericLessThanEquals":      "<=",
	"NumericGreaterThan":         ">",
	"NumericGreaterThanEquals":   ">=",
	"BooleanEquals":              "==",
	"TimestampEquals":            "==",
	"TimestampLessThan":          "before",
	"TimestampLessThanEquals":    "at or before",
	"TimestampGreaterThan":       "after",
	"TimestampGreaterThanEquals": "at or after",
}

// tests maps the type tests to what they say when true and when false.
var tests = map[string][2]string{
	"IsPresent":   {"is present", "is absent"},
	"IsNull":      {"is null", "is not null"},
	"IsString":    {"is a string", "is not a string"},
	"IsNumeric":   {"is a number", "is not a number"},
	"IsBoolean":   {"is a boolean", "is not a boolean"},
	"IsTimestamp": {"is a timestamp", "is not a timestamp"},
}

// Condition says a Choice rule in words, such as
// `refund_amount_num <= 100` or `type == "refund_request" and not (x is null)`.
func Condition(rule *bundle.Node) string {
	return condition(rule, false)
}

// condition renders rule; nested marks an operand of and/or, which gets
// parentheses when it is itself an and/or. A not always wraps its operand:
// "not (x is present)" cannot be misread.
func condition(rule *bundle.Node, nested bool) string {
	if rule == nil || rule.Kind() != bundle.Object {
		return "?"
	}
	if list := rule.Get("And"); list != nil {
		return group(joinRules(list, " and "), nested)
	}
	if list := rule.Get("Or"); list != nil {
		return group(joinRules(list, " or "), nested)
	}
	if not := rule.Get("Not"); not != nil {
		return "not (" + condition(not, false) + ")"
	}
	return comparison(rule)
}

func group(s string, nested bool) string {
	if nested {
		return "(" + s + ")"
	}
	return s
}

func joinRules(list *bundle.Node, sep string) string {
	var parts []string
	for _, r := range list.Items() {
		parts = append(parts, condition(r, true))
	}
	if len(parts) == 0 {
		return "?"
	}
	return strings.Join(parts, sep)
}

// comparison renders a rule with a Variable and one operator.
func comparison(rule *bundle.Node) string {
	variable, _ := rule.Get("Variable").Str()
	subject := shortPath(variable)
	members := rule.Members()
	for i := range members {
		m := &members[i]
		if m.Key() == "Variable" || m.Key() == "Next" || m.Key() == "Comment" {
			continue
		}
		if words, ok := tests[m.Key()]; ok {
			if m.Value().Kind() == bundle.Bool && !m.Value().Bool() {
				return subject + " " + words[1]
			}
			return subject + " " + words[0]
		}
		op, isPath := strings.CutSuffix(m.Key(), "Path")
		if sym, ok := comparisons[op]; ok {
			if isPath {
				text, _ := m.Value().Str()
				return subject + " " + sym + " " + shortPath(text)
			}
			return subject + " " + sym + " " + literal(m.Value())
		}
	}
	return subject + " ?"
}

// shortPath drops the "$." every path starts with: the reader knows the
// document, not JSONPath.
func shortPath(p string) string {
	switch {
	case p == "":
		return "?"
	case p == "$":
		return "the document"
	}
	return strings.TrimPrefix(p, "$.")
}

// literal renders a comparison value as written in JSON.
func literal(n *bundle.Node) string {
	switch n.Kind() {
	case bundle.String:
		return strconv.Quote(n.Text())
	case bundle.Number:
		return n.Text()
	case bundle.Bool:
		return strconv.FormatBool(n.Bool())
	case bundle.Null:
		return "null"
	}
	return "…"
}

// catchLabel names the errors a Catch entry handles.
func catchLabel(entry *bundle.Node) string {
	var names []string
	for _, e := range entry.Get("ErrorEquals").Items() {
		if s, ok := e.Str(); ok {
			names = append(names, s)
		}
	}
	if len(names) == 0 {
		return "catch"
	}
	return "catch " + strings.Join(names, ", ")
}

// ShortActionName is the part of an ActionName a reader recognizes:
// "GetUserProfile" for "zis:acme_refunds:action:GetUserProfile", "Jq" for
// "zis:common:transform:Jq".
func ShortActionName(name string) string {
	if i := strings.LastIndexByte(name, ':'); i >= 0 && i+1 < len(name) {
		return name[i+1:]
	}
	return name
}

// caption is the second line of a state's box: what the state does.
func caption(s *bundle.State) string {
	n := s.Entry.Value()
	switch s.Type() {
	case bundle.StateAction:
		if name, ok := n.Get("ActionName").Str(); ok {
			return "action " + ShortActionName(name)
		}
	case bundle.StateWait:
		return waitCaption(n)
	case bundle.StateMap:
		if p, ok := n.Get("ItemsPath").Str(); ok {
			return "for each of " + shortPath(p)
		}
		return "for each item"
	case bundle.StateFail:
		if e, ok := n.Get("Error").Str(); ok {
			return "error " + e
		}
	}
	return ""
}

func waitCaption(n *bundle.Node) string {
	if s := n.Get("Seconds"); s != nil && s.Kind() == bundle.Number {
		return "wait " + s.Text() + " s"
	}
	for _, key := range [...]string{"SecondsPath", "Timestamp", "TimestampPath"} {
		if v, ok := n.Get(key).Str(); ok {
			if strings.HasSuffix(key, "Path") {
				v = shortPath(v)
			}
			if key == "SecondsPath" {
				return "wait " + v + " s"
			}
			return "wait until " + v
		}
	}
	return "wait"
}
