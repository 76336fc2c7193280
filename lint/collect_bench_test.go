package lint

import "testing"

// BenchmarkCollect walks and reads the 1,000 bundles of BenchmarkLintRepo
// without linting them: the cost of finding and opening files.
func BenchmarkCollect(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	b.ResetTimer()
	for b.Loop() {
		files, err := collect([]string{dir}, Options{})
		if err != nil || len(files) != repoBundles {
			b.Fatal(len(files), err)
		}
	}
}
