package rules

import (
	"golang.org/x/tools/go/analysis"
)

const numberRangeID = "ZIS004"

// NumberRange reports numbers too large for a 64-bit float.
var NumberRange = &analysis.Analyzer{
	Name: "number_range",
	Doc: `numbers must fit in a 64-bit float

JSON's grammar allows any number of digits, but ZIS and every JSON decoder
read numbers as 64-bit floats, which end near 1.8e308. A larger number,
such as 1e309 or -1e999, is rejected or read as infinity; a Wait of
"Seconds": 1e309 does not wait forever, it fails. Write a number within
range; the simulator refuses to run a bundle holding one.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runNumberRange,
}

func runNumberRange(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, numberRangeID)
	for _, n := range r.in.Bundle.NumbersOutOfRange() {
		r.node(n, "%s does not fit in a 64-bit float, which is how ZIS reads numbers (up to about ±1.8e308 in size); write a number within that range", n.Text())
	}
	return nil, nil
}
