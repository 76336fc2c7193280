package rules_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/zislint/zislint/lint"
)

// TestSecretsNotRepeated checks that no hardcoded_secret message repeats
// any part of the value it flags: no word of the value that mixes letters
// and digits, as keys, tokens and passwords do, appears in the message.
func TestSecretsNotRepeated(t *testing.T) {
	dir := filepath.Join("testdata", "hardcoded_secret")
	res, err := lint.Run([]string{dir}, lint.Options{NoConfigSearch: true, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range res.Findings {
		if f.Rule != "ZIS501" {
			continue
		}
		if f.Line != f.EndLine {
			t.Fatalf("%s:%d: finding spans lines", f.File, f.Line)
		}
		line := bytes.Split(res.Sources[f.File], []byte("\n"))[f.Line-1]
		flagged := string(line[f.Column-1 : f.EndColumn-1])
		for _, word := range strings.FieldsFunc(flagged, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len(word) >= 4 && strings.ContainsAny(word, "0123456789") && strings.IndexFunc(word, unicode.IsLetter) >= 0 &&
				strings.Contains(f.Message, word) {
				t.Errorf("%s:%d: message repeats %q: %s", f.File, f.Line, word, f.Message)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("only %d hardcoded_secret findings checked; the test data should have more", checked)
	}
}
