package rules

import (
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

// Graph builds, once per bundle, the transition graph of every state
// machine (each flow and each Map iterator) for the flow rules. The
// builder is bundle.NewGraph, which the diagrams share.
var Graph = &analysis.Analyzer{
	Name:       "flowgraph",
	Doc:        "build the transition graph of every flow and Map iterator, with the states reachable from StartAt and the states that can reach an end",
	Requires:   []*analysis.Analyzer{Root},
	Run:        runGraph,
	ResultType: reflect.TypeOf([]*bundle.Graph(nil)),
}

func runGraph(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[Root].(*Input)
	var graphs []*bundle.Graph
	for m := range in.Bundle.EachMachine() {
		graphs = append(graphs, bundle.NewGraph(m))
	}
	return graphs, nil
}
