package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const refundsBundle = "../../testdata/refunds/bundle.json"

// simulateFiles writes an event of the given type and amount, and a
// responses file, and returns their paths.
func simulateFiles(t *testing.T, activity, amount, responses string) (event, resp string) {
	t.Helper()
	dir := t.TempDir()
	event = filepath.Join(dir, "event.yaml")
	src := "activity_event:\n  user_activity:\n    type: " + activity + "\n    profile_id: p1\n    user_id: 5\n" +
		"    properties: {order_id: \"123\", refund_amount: \"" + amount + "\"}\n"
	if err := os.WriteFile(event, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	resp = filepath.Join(dir, "responses.json")
	if err := os.WriteFile(resp, []byte(responses), 0o644); err != nil {
		t.Fatal(err)
	}
	return event, resp
}

func TestSimulateSucceeds(t *testing.T) {
	event, resp := simulateFiles(t, "refund_request", "200.00",
		`{"GetUserProfile": [{"status": 200, "body": {"profile": {"attributes": {"membership": "basic"}}}}],
		  "CreateZendeskTicket": [{"status": 201, "body": {"ticket": {"id": 75}}}]}`)
	code, out, errOut := runCLI(t, "simulate", "--bundle", refundsBundle,
		"--event-source", "sunshine", "--event-type", "activity.UserActivityCreated",
		"--event", event, "--responses", resp, "--subdomain", "acme")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	var res struct {
		Flow     string `json:"flow"`
		Status   string `json:"status"`
		Requests []struct {
			Method, URL string
			Body        map[string]any
		} `json:"requests"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Flow != "RefundRequestFlow" || res.Status != "succeeded" || len(res.Requests) != 2 {
		t.Fatalf("result:\n%s", out)
	}
	last := res.Requests[1]
	if last.Method != "POST" || last.URL != "https://acme.zendesk.com/api/v2/tickets.json" {
		t.Errorf("last request %s %s, want the ticket POST", last.Method, last.URL)
	}
	if !strings.HasSuffix(out, "}\n") || errOut != "" {
		t.Errorf("stdout should be the result alone, stderr empty; stderr: %q", errOut)
	}
}

func TestSimulateByFlowName(t *testing.T) {
	event, _ := simulateFiles(t, "page_view", "0", "{}")
	code, out, errOut := runCLI(t, "simulate", "--bundle", refundsBundle, "--flow", "RefundRequestFlow", "--event", event)
	if code != 0 || !strings.Contains(out, `"requests": [],`) {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestSimulateRunFails(t *testing.T) {
	event, resp := simulateFiles(t, "refund_request", "50.00", `{"InitiateRefund": [{"status": 503, "body": "unavailable"}], "GetUserProfile": [{"status": 200}]}`)
	code, out, errOut := runCLI(t, "simulate", "--bundle", refundsBundle, "--flow", "RefundRequestFlow", "--event", event, "--responses", resp)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, `"status": "failed"`) {
		t.Errorf("stdout:\n%s", out)
	}
	for _, want := range []string{"responses never used: GetUserProfile#1", `the run failed in state "InitiateRefund"`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestSimulateUsageErrors(t *testing.T) {
	event, resp := simulateFiles(t, "refund_request", "50.00", "InitiateRefund:\n  - status: 700\n")
	unknownAction := filepath.Join(t.TempDir(), "responses.yaml")
	if err := os.WriteFile(unknownAction, []byte("GetProfile:\n  - status: 200\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notObject := filepath.Join(t.TempDir(), "list.json")
	if err := os.WriteFile(notObject, []byte("[1, 2]"), 0o644); err != nil {
		t.Fatal(err)
	}
	flow := []string{"--flow", "RefundRequestFlow"}
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no bundle", append([]string{"--event", event}, flow...), "--bundle is required"},
		{"no event", append([]string{"--bundle", refundsBundle}, flow...), "--event is required"},
		{"no flow", []string{"--bundle", refundsBundle, "--event", event}, "give --flow NAME, or both --event-source and --event-type"},
		{"half an event", []string{"--bundle", refundsBundle, "--event", event, "--event-source", "sunshine"}, "give --flow NAME"},
		{"flow and event", append([]string{"--bundle", refundsBundle, "--event", event, "--event-type", "x"}, flow...), "not both"},
		{"positional", append([]string{"--bundle", refundsBundle, "--event", event, "extra"}, flow...), `unexpected argument "extra"`},
		{"unknown flow", []string{"--bundle", refundsBundle, "--event", event, "--flow", "Nope"}, `the bundle has no flow named "Nope"`},
		{"no job spec", []string{"--bundle", refundsBundle, "--event", event, "--event-source", "support", "--event-type", "ticket.TicketCreated"}, "no job spec"},
		{"bad responses", append([]string{"--bundle", refundsBundle, "--event", event, "--responses", resp}, flow...), resp + ":2:13: status 700"},
		{"unknown action", append([]string{"--bundle", refundsBundle, "--event", event, "--responses", unknownAction}, flow...),
			unknownAction + `:1: responses for "GetProfile", which is no custom action of the bundle`},
		{"event not an object", append([]string{"--bundle", refundsBundle, "--event", notObject}, flow...), "the event must be an object"},
		{"missing event file", append([]string{"--bundle", refundsBundle, "--event", "no/such.json"}, flow...), "no/such.json"},
		{"missing bundle", append([]string{"--bundle", "no/such/bundle.json", "--event", event}, flow...), "no/such/bundle.json"},
		{"missing config", append([]string{"--bundle", refundsBundle, "--event", event, "--config", "no/such.yaml"}, flow...), "no/such.yaml"},
		{"unknown flag", []string{"--nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"simulate"}, tt.args...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if !strings.Contains(errOut, tt.msg) {
				t.Errorf("stderr lacks %q:\n%s", tt.msg, errOut)
			}
			if out != "" {
				t.Errorf("stdout should be empty:\n%s", out)
			}
		})
	}
}

// TestSimulateFixture runs one fixture of the refund tutorial with
// --fixture: the result printed is its reviewed golden, and the exit
// status is that of the run.
func TestSimulateFixture(t *testing.T) {
	for _, c := range []struct {
		fixture  string
		wantCode int
	}{
		{"refund_200_basic", exitOK},
		{"refund_api_down", exitFindings},
	} {
		fixture := filepath.Join("../../testdata/refunds/tests", c.fixture+".yaml")
		code, out, errOut := runCLI(t, "simulate", "--bundle", refundsBundle, "--fixture", fixture)
		if code != c.wantCode {
			t.Errorf("%s: exit %d, want %d; stderr %q", c.fixture, code, c.wantCode, errOut)
		}
		golden, err := os.ReadFile(filepath.Join("../../testdata/refunds/tests", c.fixture+".golden.json"))
		if err != nil {
			t.Fatal(err)
		}
		if out != string(golden) {
			t.Errorf("%s: printed\n%s\nwant its golden\n%s", c.fixture, out, golden)
		}
	}
}

func TestSimulateFixtureErrors(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.yaml")
	src := "flow: RefundRequestFlow\nevent: {}\nresponses:\n  GetUserProfil:\n    - status: 200\n"
	if err := os.WriteFile(typo, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	basic := "../../testdata/refunds/tests/refund_200_basic.yaml"
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"flags the fixture holds", []string{"--bundle", refundsBundle, "--fixture", basic, "--subdomain", "acme", "--event", "e.json"},
			"--fixture holds the run's flow, event, responses and account; leave out --event, --subdomain"},
		{"no bundle", []string{"--fixture", basic}, "--bundle is required"},
		{"no event nor fixture", []string{"--bundle", refundsBundle, "--flow", "RefundRequestFlow"},
			"--event is required: a JSON or YAML file holding the event payload (or run a test fixture with --fixture FILE)"},
		{"unknown action", []string{"--bundle", refundsBundle, "--fixture", typo},
			typo + `:4: responses for "GetUserProfil", which is no custom action of the bundle`},
		{"missing fixture", []string{"--bundle", refundsBundle, "--fixture", filepath.Join(dir, "none.yaml")}, "none.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"simulate"}, c.args...)...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and stderr holding %q", code, out, errOut, c.want)
			}
		})
	}
}
