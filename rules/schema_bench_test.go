package rules

import (
	"testing"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/benchgen"
)

// BenchmarkSchemaAccept runs the schema's fast check on a valid bundle of
// 20 states, the check every clean bundle gets.
func BenchmarkSchemaAccept(b *testing.B) {
	root, _, perr := bundle.ParseJSON(benchgen.Bundle("bench", 20))
	if perr != nil {
		b.Fatal(perr)
	}
	a, err := compiledAcceptors()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !a.accept.accepts(root) {
			b.Fatal("the acceptor rejects a valid bundle")
		}
	}
}
