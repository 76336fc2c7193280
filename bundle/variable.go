package bundle

import "regexp"

// variableRE matches a {{name}} render variable: a value zislint fills in
// from zislint.yaml when it renders a bundle for an environment. ZIS's own
// {{$.path}} placeholders start with $ and never match.
var variableRE = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}`)

// Variable is one {{name}} render variable in a string.
type Variable struct {
	Name       string
	Start, End int // byte offsets of "{{" and just past "}}" in the string
}

// Variables returns the render variables in s, in order.
func Variables(s string) []Variable {
	var out []Variable
	for _, m := range variableRE.FindAllStringSubmatchIndex(s, -1) {
		out = append(out, Variable{Name: s[m[2]:m[3]], Start: m[0], End: m[1]})
	}
	return out
}
