package bundle

import (
	"encoding/json"
	"testing"

	"github.com/zislint/zislint/internal/benchgen"
)

// BenchmarkParseJSON parses a 20-state bundle, the size of most real
// ones, with the tree parser and, as the floor to compare with, decodes
// it with encoding/json into any.
func BenchmarkParseJSON(b *testing.B) {
	src := benchgen.Bundle("bench", 20)
	b.Run("tree", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := ParseJSONShared(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			var v any
			if err := json.Unmarshal(src, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
