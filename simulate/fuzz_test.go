package simulate

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/itchyny/gojq"
)

// FuzzRun feeds arbitrary events, config and response bodies through the
// orders and refund flows: no input may panic, and every run ends within
// the transition guard.
func FuzzRun(f *testing.F) {
	f.Add([]byte(`{"order": {"id": 1, "items": [{"sku": "A", "quantity": 1}]}}`), []byte(`{"enabled": true}`), 201)
	f.Add([]byte(`{"activity_event": {"user_activity": {"type": "refund_request", "properties": {"refund_amount": "5"}}}}`), []byte(`{}`), 500)
	f.Add([]byte(`[]`), []byte(`null`), 99)
	orders, refunds := ordersProgram(f), refundProgram(f)
	f.Fuzz(func(t *testing.T, event, settings []byte, status int) {
		var ev, cfg any
		if json.Unmarshal(event, &ev) != nil || json.Unmarshal(settings, &cfg) != nil {
			return
		}
		fx := &Fixture{Path: "fuzz.yaml", Event: clone(ev), Config: map[string]any{"settings": clone(cfg)},
			Responses: map[string][]Response{}}
		for _, a := range []string{"PostItem", "GetUserProfile", "InitiateRefund", "CreateZendeskTicket"} {
			fx.Responses[a] = []Response{{Status: status, Body: clone(cfg)}, {Status: 200, Body: "text"}}
		}
		for name, p := range map[string]*Program{"OrderSyncFlow": orders, "RefundRequestFlow": refunds} {
			fx.Flow = name
			before := jsonOf(t, fx)
			res, err := p.Run(fx)
			if after := jsonOf(t, fx); after != before {
				t.Fatalf("the run wrote into its fixture: %s, then %s", before, after)
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.States) > transitionGuard+1 {
				t.Fatalf("%d transitions", len(res.States))
			}
			if _, err := json.Marshal(res); err != nil {
				t.Fatalf("result does not marshal: %v", err)
			}
		}
	})
}

// FuzzParseFixture feeds arbitrary YAML to the fixture loader: it must
// return a fixture or errors with positions, never panic or run away,
// however the text nests aliases and << merges.
func FuzzParseFixture(f *testing.F) {
	f.Add([]byte("flow: F\nevent: {a: 1}\nresponses:\n  Call:\n    - status: 200\n      body: {ok: true}\n"))
	f.Add([]byte("flow: F\nevent: &self\n  a: 1\n  <<: *self\n"))
	f.Add([]byte("flow: F\nevent:\n  m0: &m0 {a: 1}\n  m1: &m1 {<<: [*m0, *m0]}\n  m2: {<<: [*m1, *m1]}\n"))
	f.Add([]byte("event_source: support\nevent_type: x\nevent: &a [*a]\nconfig: {s: {<<: {k: v}}}\nlinks: [{<<: *a}]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fx, err := ParseFixture("fuzz.yaml", src)
		if err != nil {
			for _, e := range unjoin(err) {
				if le, ok := e.(*LoadError); !ok || le.Line < 1 {
					t.Fatalf("error without a position: %#v", e)
				}
			}
			return
		}
		if _, err := json.Marshal(fx.Event); err != nil {
			t.Fatalf("event does not encode: %v", err)
		}
	})
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// FuzzJqGuard holds the guards to their promise: a program compiled with
// them gives the same outputs and errors as the program compiled plainly,
// whenever neither run meets a bound. Both run under a small step budget,
// so a program that loops ends either way.
func FuzzJqGuard(f *testing.F) {
	for _, expr := range []string{
		`[(1,2) * (10,20)]`, `.a == .b`, `"\(.a)-\(.b)"`, `.b | sort_by(.)`, `.a *= 2`, `del(.[.k])`,
		`.s | gsub("e"; "E")`, `[.s | match(("e","t"); "g") | .offset]`, `try error(.) catch .`, `@base64 "\(.)"`,
		`reduce .b[] as $x (0; . + $x)`, `.b - [1]`, `add(.b[])`, `.s * 2`, `path(.o[.k])`, `.b | .[[1]]`,
		`.A*.A=0`,
	} {
		f.Add(expr)
	}
	input := map[string]any{"a": 1.0, "b": []any{3.0, 1.0, 2.0}, "s": "test", "k": "a",
		"o": map[string]any{"a": map[string]any{"y": 1.0}}}
	f.Fuzz(func(t *testing.T, expr string) {
		q, err := gojq.Parse(expr)
		if err != nil {
			return
		}
		plain, err := gojq.Compile(q)
		if err != nil {
			return
		}
		guarded, err := compileJq(expr)
		if err != nil {
			if strings.Contains(err.Error(), "reserved") {
				return
			}
			t.Fatalf("guarded %q does not compile: %v", expr, err)
		}
		inputBefore := jsonOf(t, input)
		want, wantOK := collectBounded(plain, input, false)
		got, gotOK := collectBounded(guarded.code, input, guarded.budgeted)
		if wantOK && gotOK && got != want && !samePathFailure(want, got) {
			t.Fatalf("guarded %q\n got %s\nwant %s", expr, got, want)
		}
		// The simulator shares the data it gives a program, and the
		// results it takes from one: neither may change.
		if after := jsonOf(t, input); after != inputBefore {
			t.Fatalf("%q changed its input to %s", expr, after)
		}
		if err := outputsKept(guarded.code, input, guarded.budgeted); err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
	})
}

// samePathFailure reports whether got differs from want only where the
// plain program failed with "invalid path" and the guarded one with
// another error. gojq rejects an operator on two paths in a path
// expression (.a * .b = 0) before it computes; the guarded operator
// computes first (bounded), so the same program fails with the
// operator's own error. Both fail at the same output.
func samePathFailure(want, got string) bool {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	if len(w) != len(g) {
		return false
	}
	for i := range w {
		if w[i] != g[i] && !(strings.HasPrefix(w[i], "error: invalid path against: ") && strings.HasPrefix(g[i], "error: ")) {
			return false
		}
	}
	return true
}

// outputsKept runs code as collectBounded does and checks that no output
// changed after it was emitted, while the program ran on.
func outputsKept(code *gojq.Code, input any, budgeted bool) error {
	iter, b := runBounded(code, input, budgeted)
	defer b.end()
	var outs []any
	var texts []string
	for range 1000 {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if _, isErr := v.(error); isErr {
			continue
		}
		data, _ := json.Marshal(v)
		outs, texts = append(outs, v), append(texts, string(data))
	}
	for i, v := range outs {
		if data, _ := json.Marshal(v); string(data) != texts[i] {
			return fmt.Errorf("output %d was %s when emitted, %s at the end", i, texts[i], data)
		}
	}
	return nil
}

// runBounded starts code on input under a budget of 100,000 steps, which
// a guarded program (budgeted) also gets as its variable; the caller ends
// the budget.
func runBounded(code *gojq.Code, input any, budgeted bool) (gojq.Iter, *jqBudget) {
	b := new(jqBudget)
	b.reset()
	b.maxSteps = 100_000
	var vars []any
	if budgeted {
		vars = append(vars, b)
	}
	return code.RunWithContext(b, input, vars...), b
}

// collectBounded runs code under a budget of 100,000 steps and writes
// its outputs and errors, one a line; ok is false when the budget ran out
// or a guard ended the run.
func collectBounded(code *gojq.Code, input any, budgeted bool) (string, bool) {
	iter, b := runBounded(code, input, budgeted)
	defer b.end()
	var out strings.Builder
	for range 1000 {
		v, ok := iter.Next()
		if !ok {
			return out.String(), b.err == nil
		}
		if err, isErr := v.(error); isErr {
			fmt.Fprintf(&out, "error: %v\n", err)
			continue
		}
		data, _ := json.Marshal(v)
		fmt.Fprintf(&out, "%s\n", data)
	}
	return out.String(), false
}
