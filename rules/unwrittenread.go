package rules

import (
	"maps"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/didyoumean"
)

const unwrittenReadID = "ZIS227"

// UnwrittenRead reports reads of a path that nothing before the reading
// state puts in the document.
var UnwrittenRead = &analysis.Analyzer{
	Name: "unwritten_read",
	Doc: `a path a state reads must be written before it, or be in the start document

A flow's document starts with account_id, subdomain, integration_key and
the event under input; states add to it through ResultPath. A path that
no state writes on any path to the reading state, and that the start
document does not hold, is never there when the state runs: a Choice test
on it is never true (IsPresent is always false; without another match the
Choice takes its Default), a ".$" value fails at run time with "JSON path
not found", and a {{$.…}} placeholder renders empty. The usual causes are a misspelt key, a
ResultPath that writes elsewhere, and settings read from $.config without
a LoadConfig state writing them there.

The rule follows every path from StartAt with the data-flow analysis (see
the README): it is silent below anything it cannot know (an action's
result, a Jq output, an open part of the event catalogue, a webhook's
input) and where any path writes the key. LoadConfig's result is known to
hold config and CreateLink's link; other keys below them stay unknown.
Inside a Map iterator $ is one item of ItemsPath, known only when the
catalogue knows the array's items. A state with an InputPath reads the
part it selects. Reads under $.input that the flow's event never carries
are event_path's (ZIS226). A key of the document spelt closely to the
missing one is suggested. Checked: Choice Variable and ...Path operands,
".$" values and their {{$.…}} placeholders in Parameters (a Jq action's
data among them), ItemsPath, SecondsPath, a Succeed's Message and a
Fail's Error and Cause.`,
	Requires: []*analysis.Analyzer{Root, DataFlow},
	Run:      runUnwrittenRead,
}

func runUnwrittenRead(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unwrittenReadID)
	flows := pass.ResultOf[DataFlow].(*Flows)
	for _, m := range r.in.Bundle.Machines() {
		eventChecked := m.Parent == nil && len(flows.Events(m)) > 0
		var room [pathRoom]bundle.Segment
		for _, s := range m.States {
			doc := flows.ReadInput(s)
			if doc == nil {
				continue
			}
			for _, read := range flows.stateReads(s) {
				rd := read.parse(room[:0])
				miss, ok := missingAt(doc, rd)
				if ok && !(eventChecked && isEventMiss(rd, miss)) {
					r.readSpan(rd, miss.found, unwrittenMessage(flows, s, rd, miss))
				}
			}
		}
	}
	return nil, nil
}

// unwrittenMessage says what is missing, where nothing puts it, and
// what follows at run time.
func unwrittenMessage(flows *Flows, s *bundle.State, rd parsedRead, miss readMiss) string {
	msg := quote(rd.raw()) + " reads " + quote(stepName(rd.segs[miss.found]))
	if miss.found > 0 {
		msg += " at " + quote(rawPrefix(rd.path(), miss.found))
	}
	msg += ", which no path to state " + quote(s.Name) + " puts in the document"
	inputPath, narrowed := s.Entry.Value().Get("InputPath").Str()
	switch {
	case narrowed:
		msg += " (the state reads below its InputPath " + quote(inputPath) + ")"
	case s.Machine.Parent != nil:
		msg += " (in a Map iterator $ starts as one item of ItemsPath)"
	case flows.startHolds(s.Machine, rd.segs[:miss.found+1]):
		msg += ": a state before it replaced the whole document (a ResultPath of \"$\", or none, on an Action, Pass or Catch)"
	}
	return msg + "; " + rd.kind().consequence() + keyHint(rd, miss)
}

// keyHint suggests a key the document does hold beside the missing one,
// when one is spelt closely enough to be the one meant.
func keyHint(rd parsedRead, miss readMiss) string {
	seg := rd.segs[miss.found]
	if seg.IsIndex {
		return ""
	}
	var keys []string
	for _, f := range miss.parent.Fields {
		keys = append(keys, f.Key)
	}
	for _, n := range miss.parent.Events {
		// Sorted, so that a tie between two keys always goes the same way.
		keys = append(keys, slices.Sorted(maps.Keys(n.Fields))...)
	}
	best := didyoumean.Nearest(seg.Name, keys)
	if best == "" {
		return ""
	}
	rest := ""
	if next := miss.found + 1; next < len(rd.segs) {
		rest = rd.raw()[rd.segs[next].Offset:]
	}
	return "; did you mean " + quote(rawPrefix(rd.path(), miss.found)+"."+best+rest) + "?"
}
