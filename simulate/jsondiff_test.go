package simulate

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/internal/linediff/difftest"
)

var update = flag.Bool("update", false, "rewrite the golden files of the tests in testdata")

// changedResult differs from sampleResult in a list, a request, a header
// with a dash in its name, the output's number and the error.
func changedResult() *Result {
	r := sampleResult()
	r.States = append(r.States, "After")
	r.Requests[0].Body = map[string]any{"order_id": "457", "amount": 4712.0}
	r.Requests[0].Headers["X-B"] = "3"
	r.Output = map[string]any{"status": "pending", "id": 8.0}
	r.Error = &RunError{Error: "zislint.ActionFailed", Cause: "500", State: "InitiateRefund"}
	return r
}

func decoded(t *testing.T, r *Result) any {
	t.Helper()
	data, err := MarshalResult(r)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// The diff a user reads is kept in testdata; go test ./simulate -update
// rewrites it from the code, for review.
func TestDescribeDiffGolden(t *testing.T) {
	got := describeDiff(decoded(t, sampleResult()), decoded(t, changedResult())) + "\n"
	path := filepath.Join("testdata", "jsondiff.golden.txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; run go test ./simulate -update", err)
	}
	if got != string(want) {
		t.Errorf("describeDiff changed; if that is intended, run go test ./simulate -update and review testdata:\n%s", got)
	}
}

func TestDescribeDiffStableAndPlain(t *testing.T) {
	path := writeGolden(t, sampleResult())
	first, err := CompareGolden(path, changedResult())
	if err != nil || first == "" {
		t.Fatalf("CompareGolden = %q, %v; want a difference", first, err)
	}
	for i := 0; i < 50; i++ {
		if again, _ := CompareGolden(path, changedResult()); again != first {
			t.Fatalf("run %d differs from the first:\n%s\n---\n%s", i, again, first)
		}
	}
	// No Go syntax and no spaces other than the ASCII one: the text is
	// for users and for tools that read the json report.
	for _, bad := range []string{"map[", "float64(", "any(", "\u00a0", "\u2009", "\t"} {
		if strings.Contains(first, bad) {
			t.Errorf("the diff holds %q:\n%s", bad, first)
		}
	}
	for _, want := range []string{
		`requests[0].body.amount (state "InitiateRefund"): not in the golden, got 4712`,
		`output.id: want 7, got 8`,
		`requests[0].headers["X-B"] (state "InitiateRefund"): want "2", got "3"`,
	} {
		if !strings.Contains(first, want+"\n") {
			t.Errorf("the diff lacks the line %q:\n%s", want, first)
		}
	}
}

// The pretty-printed run is byte for byte what a golden written by -update
// holds, so the diff's line numbers are the golden file's; and the diff
// part is a patch that turns the golden into the run.
func TestDescribeDiffIsAPatchOfTheGolden(t *testing.T) {
	for _, r := range []*Result{sampleResult(), changedResult()} {
		data, err := MarshalResult(r)
		if err != nil {
			t.Fatal(err)
		}
		if pretty := prettyJSON(decoded(t, r)); !bytes.Equal(pretty, data) {
			t.Errorf("prettyJSON:\n%s\nwant MarshalResult's:\n%s", pretty, data)
		}
	}
	want, got := decoded(t, sampleResult()), decoded(t, changedResult())
	diff := describeDiff(want, got)
	_, patch, ok := strings.Cut(diff, "--- want (golden)\n")
	if !ok {
		t.Fatalf("no unified diff in:\n%s", diff)
	}
	patch = strings.Replace("--- a/f\n"+patch, "+++ got (this run)\n", "+++ b/f\n", 1) + "\n"
	difftest.Check(t, string(prettyJSON(want)), string(prettyJSON(got)), patch)
}

func TestDescribeDiffCapsThePaths(t *testing.T) {
	want, got := sampleResult(), sampleResult()
	want.States, got.States = nil, nil
	for i := 0; i < 30; i++ {
		want.States = append(want.States, fmt.Sprint("A", i))
		got.States = append(got.States, fmt.Sprint("B", i))
	}
	diff := describeDiff(decoded(t, want), decoded(t, got))
	lines := strings.Split(diff, "\n")
	if lines[maxPathLines-1] != `states[19]: want "A19", got "B19"` ||
		lines[maxPathLines] != "… and 10 more differences, all in the diff below" {
		t.Errorf("want %d path lines, then a count of the rest:\n%s", maxPathLines, diff)
	}
	if !strings.Contains(diff, "-    \"A29\"") || !strings.Contains(diff, "+    \"B29\"") {
		t.Errorf("the unified diff lacks the capped paths:\n%s", diff)
	}
}

func TestJSONPathString(t *testing.T) {
	for _, tt := range []struct {
		path jsonPath
		want string
	}{
		{jsonPath{}, "the document"},
		{jsonPath{"states", 2}, "states[2]"},
		{jsonPath{"requests", 0, "body", "order_id"}, "requests[0].body.order_id"},
		{jsonPath{"requests", 0, "headers", "Content-Type"}, `requests[0].headers["Content-Type"]`},
		{jsonPath{"output", "1st", "a\"b"}, `output["1st"]["a\"b"]`},
		{jsonPath{"output", ""}, `output[""]`},
	} {
		if got := tt.path.String(); got != tt.want {
			t.Errorf("%v: got %s, want %s", tt.path, got, tt.want)
		}
	}
}
