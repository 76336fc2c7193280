package simulate

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/itchyny/gojq"
)

// TestJqOneStepWalksAreBounded runs programs that build, in a few steps,
// a value whose shared parts counted out have no end, then hand it to a
// builtin that walks it whole in one step. Each must end the run with
// zislint.JqLimit, whatever try the program wraps around it.
func TestJqOneStepWalksAreBounded(t *testing.T) {
	const shared = `reduce range(40) as $i (1; [., .])`
	const sharedObj = `reduce range(40) as $i ({}; {a: ., b: .})`
	tests := []struct{ name, expr string }{
		{"tojson", shared + ` | tojson | length`},
		{"tostring", shared + ` | tostring | length`},
		{"interpolation", shared + ` | "\(.)" | length`},
		{"format", shared + ` | @json | length`},
		{"format string", shared + ` | @base64 "x\(.)" | length`},
		{"equality", shared + ` | . == .`},
		{"order", shared + ` | . < .`},
		{"subtraction", shared + ` | . - . `},
		{"flatten", shared + ` | flatten | length`},
		{"sort", `[` + shared + `, ` + shared + `] | sort | length`},
		{"unique_by", `[` + shared + `, 2] | unique_by(.) | length`},
		{"contains", shared + ` | contains(.)`},
		{"index key", shared + ` | .[.] | length`},
		{"add of shared text", `reduce range(30) as $i ("xy"; [., .]) | flatten(1) | add | length`},
		{"add/1", `("0123456789" * 1000000) as $s | add(range(40) | $s) | length`},
		{"caught error value", shared + ` | try error catch (. | tojson)`},
		{"deep merge", sharedObj + ` | . * .`},
		{"deep merge update", sharedObj + ` | .a *= .b`},
		{"string repeat", `"x" * 1e9 | length`},
		{"string repeat reversed", `1e9 * "x" | length`},
		{"integer squaring", `reduce range(40) as $i (3; . * .) | tostring | length`},
		{"global match on long text", `"x" * 1000000 | [match(""; "g")] | length`},
		{"gsub on long text", `"x" * 1000000 | gsub(""; "y") | length`},
		{"splits on long text", `"x" * 1000000 | [splits("")] | length`},
		{"split by regex", `"x" * 1000000 | split(""; null) | length`},
		{"scan with array form", `"x" * 1000000 | [scan(["", "g"])] | length`},
		{"try does not save it", `[range(5) | try (` + shared + ` | tojson) catch "caught"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := jqFlow(t, tt.expr).Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Error == nil || res.Error.Error != errJqLimit || res.Error.State != "S" {
				t.Fatalf("error = %+v, output = %.200v; want %s in state S", res.Error, res.Output, errJqLimit)
			}
		})
	}
}

// TestJqTextBuiltinsRefuseHugeText fails the state, as the builtin's own
// error would, before gojq parses a number of a million digits (time
// growing with its square) or cuts text into more values than a result
// may hold.
func TestJqTextBuiltinsRefuseHugeText(t *testing.T) {
	for _, expr := range []string{
		`"1" * 1000000 | tonumber | . > 1`,
		`"[" + "1" * 1000000 + "]" | fromjson | length`,
		`"x" * 10000000 | explode | length`,
		`"x," * 10000000 | split(",") | length`,
	} {
		res, err := jqFlow(t, expr).Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		caught, _ := res.Output.(map[string]any)
		cause, _ := caught["Cause"].(string)
		if res.Error != nil || !strings.Contains(cause, "past zislint's bound") {
			t.Errorf("%s: error = %+v, output = %.300v", expr, res.Error, res.Output)
		}
	}
}

// TestJqErrorOfHugeValue fails the state, as error does, with a short
// cause: the flow's Catch takes it.
func TestJqErrorOfHugeValue(t *testing.T) {
	res, err := jqFlow(t, `reduce range(40) as $i (1; [., .]) | error`).Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	caught, _ := res.Output.(map[string]any)
	cause, _ := caught["Cause"].(string)
	if res.Error != nil || !strings.Contains(cause, "a value of more than 1000000 values") || len(cause) > 200 {
		t.Fatalf("error = %+v, output = %.300v", res.Error, res.Output)
	}
}

// TestJqErrorValueBounded keeps the message of error(v) short when v
// cannot be written out, even without a guard in the way.
func TestJqErrorValueBounded(t *testing.T) {
	q, _ := gojq.Parse(`reduce range(40) as $i (1; [., .]) | error`)
	code, err := gojq.Compile(q)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := code.Run(nil).Next()
	msg := boundedError(v.(error)).Error()
	if !strings.Contains(msg, "more than") || len(msg) > 200 {
		t.Fatalf("message = %.300q", msg)
	}
	small := boundedError(fmt.Errorf("plain")).Error()
	if small != "plain" {
		t.Fatalf("an error without a value changed: %q", small)
	}
}

// TestJqReservedNames refuses programs that would replace a guard or
// read the budget.
func TestJqReservedNames(t *testing.T) {
	for _, expr := range []string{
		`def _zislint_bound(f): .; tojson`,
		`$__zislint_budget | tojson`,
		`. as $__zislint_right | . * 2`,
		`def f($zislint_x): 1; f(2)`,
		`reduce .[] as {a: $zislint_a} (0; .)`,
	} {
		if _, err := compileJq(expr); err == nil || !strings.Contains(err.Error(), "reserved") {
			t.Errorf("compileJq(%q) = %v, want a reserved-name error", expr, err)
		}
	}
}

// TestJqGuardKeepsResults compares the guarded programs with the same
// programs compiled plainly: every output and every error message must
// be the same, generators, paths and updates included.
func TestJqGuardKeepsResults(t *testing.T) {
	input := map[string]any{"a": 1.0, "b": []any{3.0, 1.0, 2.0}, "o": map[string]any{"x": map[string]any{"y": 1.0}},
		"s": "text", "k": "a", "items": []any{map[string]any{"id": 2.0}, map[string]any{"id": 1.0}}}
	for _, expr := range []string{
		`[(1,2) * (10,20)]`, `[(1,2) == (1,2)]`, `[(3,4) - (1,2)]`, `[(1,2) < (2,1)]`,
		`"ab" * 3`, `3 * "ab"`, `"ab" * 0`, `{a:{b:1}} * {a:{c:2}}`, `.o * {x: {z: 2}}`, `4 * 5`, `9007199254740993 * 3`,
		`.a *= 3`, `.o *= {w: 1}`, `.b[] *= 2`, `.a -= 1`, `.b -= [1]`, `[.b[] | select(. == 1)]`,
		`"\(.a)-\(.s)-\(.b)"`, `"\(1,2)/\(3,4)"`, `@base64 "x\(.s)y"`, `@json`, `@csv "\(.b)"`, `.b | @csv`,
		`.b | tojson[0:3]`, `.items | sort_by(.id)`, `.items | group_by(.id) | length`, `.b | sort`, `.b | unique`,
		`.b | min, max`, `.items | min_by(.id), max_by(.id)`, `add(.b[])`, `.b | add`, `[.b[] | tostring] | join(",")`,
		`.b | flatten`, `.b | contains([1])`, `[1] | inside([1,2])`, `.b | index(1), rindex(2), indices(3)`,
		`.b | .[[1]]`, `.[.k]`, `.o[.k]`, `.[.k] |= 5`, `del(.[.k])`, `[paths]`, `to_entries | map(.key)`,
		`path(.o.x[.k])`, `[.b[] as $x | $x * 2]`, `reduce .b[] as $x (0; . + $x * $x)`,
		`[foreach .b[] as $x (0; . + $x; [$x, .])]`, `label $out | .b[] | if . == 1 then ., break $out else . end`,
		`[limit(3; repeat(1))]`, `.a | IN(1, 2)`, `.b | bsearch(2)`, `[[1,2],[3,4]] | transpose`, `[65,66] | implode`,
		`.s | ascii_upcase`, `"12" | tonumber`, `try error({a: 1}) catch .`, `try error("x") catch .`,
		`.s * .a`, `.s * .s`, `{} * 2`, `.b < .o`, `.a | tojson`, `.o | tostring`, `[.b[] | . * 1.5]`,
		`def f(x): x * 2; f(.a)`, `.s | test("e")`, `.s | [match("t"; "g") | .offset]`, `.s | [match(["T", "gi"]) | .offset]`,
		`.s | capture("(?<a>e)")`, `.s | [scan("t")]`, `.s | [splits("e")]`, `.s | split("e"; null)`, `.s | split("e")`,
		`.s | sub("t"; "T")`, `.s | gsub("t"; "<\(.)>")`, `.s | sub("(?<x>t)"; "\(.x)!"; "g")`, `[.s | test("a", "e")]`,
		`[.s | match(("t", "x"); ("g", null)) | .offset]`, `"12.5" | tonumber`, `"{\"a\": [1, 2]}" | fromjson`, `.s | explode`,
		`("x" * 5000) | [match("x"; "g")] | length`, `("x" * 5000) | gsub("x"; "y") | length`,
		`("x" * 100000 + "yy") | [match("y"; "g") | .offset]`, `("x" * 100000 + "yy") | gsub("y"; "z") | length`, `def g: . == 1; [.b[] | g]`, `.b | delpaths([[0]])`, `"x" * -1`, `null * 3`,
	} {
		t.Run(expr, func(t *testing.T) {
			want := runPlainJq(t, expr, input)
			code, err := compileJq(expr)
			if err != nil {
				t.Fatalf("compileJq: %v", err)
			}
			var vars []any
			if code.budgeted {
				vars = append(vars, newTestBudget())
			}
			got := collectJq(code.code, input, vars...)
			if got != want {
				t.Errorf("guarded %s\n got %s\nwant %s", expr, got, want)
			}
		})
	}
}

func newTestBudget() *jqBudget {
	b := new(jqBudget)
	b.reset()
	b.end()
	return b
}

func runPlainJq(t *testing.T, expr string, input any) string {
	t.Helper()
	q, err := gojq.Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		t.Fatal(err)
	}
	return collectJq(code, input)
}

// collectJq writes every output of code on input, errors included, as
// one line each.
func collectJq(code *gojq.Code, input any, vars ...any) string {
	var b strings.Builder
	iter := code.Run(input, vars...)
	for {
		v, ok := iter.Next()
		if !ok {
			return b.String()
		}
		if err, isErr := v.(error); isErr {
			fmt.Fprintf(&b, "error: %v\n", err)
			continue
		}
		out, _ := json.Marshal(v)
		fmt.Fprintf(&b, "%s\n", out)
	}
}
