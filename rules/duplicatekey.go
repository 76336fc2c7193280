package rules

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const duplicateKeyID = "ZIS002"

// DuplicateKey reports a key written twice in one JSON object.
var DuplicateKey = &analysis.Analyzer{
	Name: "duplicate_key",
	Doc: `a key may appear only once in a JSON object

JSON decoders keep the last of two equal keys and silently drop the first,
so a state with "Next" written twice goes where the second one says, and a
resource written twice under one key loses the first definition. The
suggested fix deletes the earlier occurrence, which is what ZIS ignores
anyway; if the earlier one was the one you meant, delete the later one
instead.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runDuplicateKey,
}

func runDuplicateKey(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, duplicateKeyID)
	b := r.in.Bundle
	for _, d := range b.Duplicates {
		line, col := b.Line(int(d.First.KeyStart))
		msg := fmt.Sprintf("key %q is already set at line %d column %d in this object; only the last value is kept", d.Key, line, col)
		fix := r.deleteMember(d.Object, int(d.First.KeyStart))
		r.span(int(d.Dup.KeyStart), int(d.Dup.KeyEnd()), msg, fix...)
	}
	return nil, nil
}

// deleteMember returns a fix removing the member of obj whose key starts
// at keyStart, with the comma that separates it from a neighbour.
func (r *reporter) deleteMember(obj *bundle.Node, keyStart int) []analysis.SuggestedFix {
	start, end, ok := obj.RemovalSpan(keyStart)
	if !ok {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "delete the earlier occurrence",
		TextEdits: []analysis.TextEdit{{Pos: r.in.Pos(start), End: r.in.Pos(end)}},
	}}
}
