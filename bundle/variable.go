package bundle

import (
	"strings"

	"github.com/zislint/zislint/internal/lazyre"
)

// variableRE matches a {{name}} render variable: a value zislint fills in
// from zislint.yaml when it renders a bundle for an environment. ZIS's own
// {{$.path}} placeholders start with $ and never match. It is compiled on
// first use, as most runs never need it.
var variableRE = lazyre.New(`\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}`)

// Variable is one {{name}} render variable in a string.
type Variable struct {
	Name       string
	Start, End int // byte offsets of "{{" and just past "}}" in the string
}

// Variables returns the render variables in s, in order.
func Variables(s string) []Variable {
	if !strings.Contains(s, "{{") {
		return nil // most strings; the regexp is not needed to tell
	}
	var out []Variable
	for _, m := range variableRE().FindAllStringSubmatchIndex(s, -1) {
		out = append(out, Variable{Name: s[m[2]:m[3]], Start: m[0], End: m[1]})
	}
	return out
}
