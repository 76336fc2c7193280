package rules

import (
	"strconv"

	"github.com/zislint/zislint/bundle"
	"golang.org/x/tools/go/analysis"
)

const startAtID = "ZIS301"

// StartAt reports a StartAt that names no state.
var StartAt = &analysis.Analyzer{
	Name: "start_at",
	Doc: `StartAt must name a state of its flow or iterator

A flow (and each Map state's Iterator) begins at the state named by
StartAt. If no state has that name, the flow fails as soon as it starts.
The finding suggests the nearest state name, with a fix.`,
	Requires: []*analysis.Analyzer{Root, Graph},
	Run:      runStartAt,
}

func runStartAt(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, startAtID)
	for _, g := range pass.ResultOf[Graph].([]*bundle.Graph) {
		m := g.Machine
		name, ok := m.StartAt.Str()
		if !ok || g.Start != nil || len(m.States) == 0 {
			continue
		}
		r.reportName(m.StartAt, "StartAt "+strconv.Quote(name)+" names no state of the "+m.Describe(), name, m.Names())
	}
	return nil, nil
}
