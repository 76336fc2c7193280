package simulate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sampleResult() *Result {
	return &Result{
		Flow:   "RefundRequestFlow",
		Status: StatusSucceeded,
		States: []string{"CheckRefundAmount", "InitiateRefund", "Finish"},
		Requests: []Request{{
			State:   "InitiateRefund",
			Action:  "zis:acme:action:InitiateRefund",
			Method:  "POST",
			URL:     "https://refunds.example/api?a=1&b=<2>",
			Headers: map[string]string{"X-B": "2", "Content-Type": "application/json"},
			Body:    map[string]any{"refund_amount": "200.00", "order_id": "456"},
		}},
		Output:          map[string]any{"status": "pending", "id": 7.0},
		RepeatedOnRetry: []Request{},
	}
}

func TestMarshalResult(t *testing.T) {
	got, err := MarshalResult(sampleResult())
	if err != nil {
		t.Fatal(err)
	}
	// Fields in struct order, map keys sorted, two-space indent, "<" and
	// "&" as written, and a final newline.
	want := `{
  "flow": "RefundRequestFlow",
  "status": "succeeded",
  "states": [
    "CheckRefundAmount",
    "InitiateRefund",
    "Finish"
  ],
  "requests": [
    {
      "state": "InitiateRefund",
      "action": "zis:acme:action:InitiateRefund",
      "method": "POST",
      "url": "https://refunds.example/api?a=1&b=<2>",
      "headers": {
        "Content-Type": "application/json",
        "X-B": "2"
      },
      "body": {
        "order_id": "456",
        "refund_amount": "200.00"
      }
    }
  ],
  "output": {
    "id": 7,
    "status": "pending"
  },
  "error": null,
  "waited_seconds": 0,
  "repeated_on_retry": []
}
`
	if string(got) != want {
		t.Errorf("MarshalResult:\n%s\nwant:\n%s", got, want)
	}
}

func writeGolden(t *testing.T, r *Result) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "case.golden.json")
	changed, err := WriteGolden(path, r)
	if err != nil || !changed {
		t.Fatalf("WriteGolden = %v, %v; want a write", changed, err)
	}
	return path
}

func TestCompareGoldenEqual(t *testing.T) {
	path := writeGolden(t, sampleResult())
	diff, err := CompareGolden(path, sampleResult())
	if err != nil || diff != "" {
		t.Fatalf("CompareGolden = %q, %v; want no difference", diff, err)
	}
	// Formatting and key order of the golden do not matter.
	if err := os.WriteFile(path, []byte(`{"repeated_on_retry":[],"waited_seconds":0,"error":null,"output":{"status":"pending","id":7.0},
"requests":[{"body":{"order_id":"456","refund_amount":"200.00"},"headers":{"X-B":"2","Content-Type":"application/json"},
"url":"https://refunds.example/api?a=1\u0026b=\u003c2\u003e","method":"POST","action":"zis:acme:action:InitiateRefund","state":"InitiateRefund"}],
"states":["CheckRefundAmount","InitiateRefund","Finish"],"status":"succeeded","flow":"RefundRequestFlow"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if diff, err := CompareGolden(path, sampleResult()); err != nil || diff != "" {
		t.Fatalf("CompareGolden of a reformatted golden = %q, %v; want no difference", diff, err)
	}
	// Writing the same result again leaves the file alone.
	if changed, err := WriteGolden(path, sampleResult()); err != nil || !changed {
		t.Fatalf("WriteGolden over a reformatted golden = %v, %v; want a rewrite", changed, err)
	}
	if changed, err := WriteGolden(path, sampleResult()); err != nil || changed {
		t.Fatalf("WriteGolden of the same result = %v, %v; want no write", changed, err)
	}
}

func TestCompareGoldenSummary(t *testing.T) {
	tests := []struct {
		name    string
		change  func(r *Result)
		summary string
	}{
		{"status", func(r *Result) { r.Status = StatusFailed },
			`status: want "succeeded", got "failed"`},
		{"state", func(r *Result) { r.States[1] = "GetUserProfile" },
			`states[1]: want "InitiateRefund", got "GetUserProfile"`},
		{"extra state", func(r *Result) { r.States = append(r.States, "After") },
			`states[3]: not in the golden, got "After"`},
		{"request body", func(r *Result) { r.Requests[0].Body = map[string]any{"order_id": "457"} },
			`requests[0].body.order_id (state "InitiateRefund"): want "456", got "457"`},
		{"request url", func(r *Result) { r.Requests[0].URL = "https://other.example/" },
			`requests[0].url (state "InitiateRefund"): want "https://refunds.example/api?a=1&b=<2>", got "https://other.example/"`},
		{"request header", func(r *Result) { r.Requests[0].Headers["X-B"] = "3" },
			`requests[0].headers["X-B"] (state "InitiateRefund"): want "2", got "3"`},
		{"request state", func(r *Result) { r.Requests[0].State = "Other" },
			`requests[0].state (state "InitiateRefund" in the golden, "Other" in the run): want "InitiateRefund", got "Other"`},
		{"missing request", func(r *Result) { r.Requests = []Request{} },
			`requests[0] (state "InitiateRefund"): want {"action":"zis:acme:action:InitiateRefund","body":{"order_id…, the run has none`},
		{"extra request", func(r *Result) {
			r.Requests = append(r.Requests, Request{State: "CreateTicket", Method: "POST"})
		}, `requests[1] (state "CreateTicket"): not in the golden, got {"action":"","body":null,"headers":null,"method":"POST","sta…`},
		{"output", func(r *Result) { r.Output = "done" },
			`output: want {"id":7,"status":"pending"}, got "done"`},
		{"error", func(r *Result) {
			r.Error = &RunError{Error: "zislint.ActionFailed", Cause: "500", State: "InitiateRefund"}
		},
			`error: want null, got {"cause":"500","error":"zislint.ActionFailed","state":"Initi…`},
		{"long value", func(r *Result) { r.Output = strings.Repeat("é", 100) },
			`output: want {"id":7,"status":"pending"}, got "` + strings.Repeat("é", 29) + `…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeGolden(t, sampleResult())
			r := sampleResult()
			tt.change(r)
			diff, err := CompareGolden(path, r)
			if err != nil {
				t.Fatal(err)
			}
			first, rest, _ := strings.Cut(diff, "\n")
			if first != tt.summary {
				t.Errorf("summary:\n got %s\nwant %s", first, tt.summary)
			}
			if !strings.Contains(rest, "--- want (golden)\n+++ got (this run)\n@@ ") {
				t.Errorf("no unified diff below the paths:\n%s", diff)
			}
		})
	}
}

func TestCompareGoldenErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.golden.json")
	_, err := CompareGolden(missing, sampleResult())
	if err == nil || !strings.Contains(err.Error(), "run zislint test -update") || !strings.HasPrefix(err.Error(), missing) {
		t.Errorf("missing golden: err = %v, want the -update hint", err)
	}
	bad := filepath.Join(dir, "bad.golden.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = CompareGolden(bad, sampleResult())
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("bad golden: err = %v, want a JSON error", err)
	}
}
