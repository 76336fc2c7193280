package simulate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadFixtureYAML(t *testing.T) {
	src := `name: basic member
event_source: sunshine
event_type: activity.UserActivityCreated
account: {subdomain: acme, account_id: 42}
event:
  activity_event:
    user_activity:
      type: refund_request
      user_id: 38712000303
      ratio: 0.5
      hex: 0x1F
      big: 1_000
      flag: true
      none: ~
      when: 2024-05-01T10:00:00Z
      quoted: "100.00"
      list: [1, "two", {three: 3}]
responses:
  GetUserProfile:
    - status: 200
      headers: {Content-Type: application/json, Retry-After: 5}
      body: {profile: {attributes: {membership: basic}}}
    - status: 404
      body: not found
  CreateZendeskTicket:
    - status: 201
config:
  settings: {threshold: 100}
links:
  - {link_type: order, left_object: {name: "zen:user:1"}}
`
	path := writeFile(t, t.TempDir(), "basic.yaml", src)
	f, err := LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &Fixture{
		Path:        path,
		Name:        "basic member",
		EventSource: "sunshine",
		EventType:   "activity.UserActivityCreated",
		Account:     Account{Subdomain: "acme", AccountID: 42.0},
		Event: map[string]any{"activity_event": map[string]any{"user_activity": map[string]any{
			"type":    "refund_request",
			"user_id": 38712000303.0,
			"ratio":   0.5,
			"hex":     31.0,
			"big":     1000.0,
			"flag":    true,
			"none":    nil,
			"when":    "2024-05-01T10:00:00Z", // as the JSON event would carry it
			"quoted":  "100.00",
			"list":    []any{1.0, "two", map[string]any{"three": 3.0}},
		}}},
		Responses: map[string][]Response{
			"GetUserProfile": {
				{Status: 200, Headers: map[string]string{"Content-Type": "application/json", "Retry-After": "5"},
					Body: map[string]any{"profile": map[string]any{"attributes": map[string]any{"membership": "basic"}}}},
				{Status: 404, Body: "not found"},
			},
			"CreateZendeskTicket": {{Status: 201}},
		},
		Config: map[string]any{"settings": map[string]any{"threshold": 100.0}},
		Links:  []any{map[string]any{"link_type": "order", "left_object": map[string]any{"name": "zen:user:1"}}},
		Line: map[string]int{
			"name": 1, "event_source": 2, "event_type": 3, "account": 4, "event": 5,
			"responses": 18, "responses.GetUserProfile": 19, "responses.CreateZendeskTicket": 25,
			"config": 27, "links": 29,
		},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("LoadFixture (-want +got):\n%s", diff)
	}
}

// JSON is YAML, so a JSON fixture loads the same way, and the defaults
// fill what it leaves out.
func TestLoadFixtureJSONDefaults(t *testing.T) {
	src := `{
  "flow": "RefundRequestFlow",
  "event": {"id": 7, "tags": ["a", "b"], "nested": {"n": -1.5e3}}
}
`
	path := writeFile(t, t.TempDir(), "case.json", src)
	f, err := LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &Fixture{
		Path:    path,
		Name:    "case", // the file name, without its extension
		Flow:    "RefundRequestFlow",
		Account: Account{Subdomain: "example", AccountID: 1.0},
		Event:   map[string]any{"id": 7.0, "tags": []any{"a", "b"}, "nested": map[string]any{"n": -1500.0}},
		Line:    map[string]int{"flow": 2, "event": 3},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("LoadFixture (-want +got):\n%s", diff)
	}
}

func TestLoadFixtureAnchorsAndMerge(t *testing.T) {
	src := `flow: F
event:
  base: &base {a: 1, b: 2}
  merged:
    <<: *base
    b: 3
  copy: *base
`
	f, err := ParseFixture("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"base":   map[string]any{"a": 1.0, "b": 2.0},
		"merged": map[string]any{"a": 1.0, "b": 3.0}, // the written key wins over the merged one
		"copy":   map[string]any{"a": 1.0, "b": 2.0},
	}
	if diff := cmp.Diff(want, f.Event); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
}

func TestLoadFixtureErrors(t *testing.T) {
	const ok = "flow: F\nevent: {a: 1}\n"
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown key", ok + "respones: {}\n", []string{
			`x.yaml:3:1: unknown key "respones" in the fixture; known keys are: account, config, event, event_source, event_type, flow, links, name, responses, vars; did you mean "responses"?`}},
		{"unknown key, nothing close", ok + "expected: {}\n", []string{
			`x.yaml:3:1: unknown key "expected" in the fixture; known keys are: account, config, event, event_source, event_type, flow, links, name, responses, vars`}},
		{"unknown account key", ok + "account: {sub_domain: acme}\n", []string{
			`x.yaml:3:11: unknown key "sub_domain" in account; known keys are: account_id, subdomain; did you mean "subdomain"?`}},
		{"unknown response key", ok + "responses:\n  A:\n    - {status: 200, bdy: {}}\n", []string{
			`x.yaml:5:21: unknown key "bdy" in a response of A; known keys are: body, headers, status; did you mean "body"?`}},
		{"not a mapping", "- flow: F\n", []string{
			`x.yaml:1:1: the fixture must be a mapping of keys to values`}},
		{"name not a string", ok + "name: [a]\n", []string{
			`x.yaml:3:7: name must be a string`}},
		{"event not a mapping", "flow: F\nevent: [1]\n", []string{
			`x.yaml:2:8: event must be a mapping: the event payload, which the flow reads as $.input`}},
		{"responses not a list", ok + "responses:\n  A: {status: 200}\n", []string{
			`x.yaml:4:6: responses of A must be a list of {status, body, headers}, one per call, in call order`}},
		{"response without status", ok + "responses:\n  A:\n    - body: {}\n", []string{
			`x.yaml:5:7: a response of A has no status; set status: to the HTTP status code, e.g. 200`}},
		{"status too high", ok + "responses:\n  A:\n    - status: 600\n", []string{
			`x.yaml:5:15: status 600 is not an HTTP status code; use a number from 100 to 599`}},
		{"status too low", ok + "responses:\n  A:\n    - status: 99\n", []string{
			`x.yaml:5:15: status 99 is not an HTTP status code; use a number from 100 to 599`}},
		{"status a string", ok + "responses:\n  A:\n    - status: \"200\"\n", []string{
			`x.yaml:5:15: status must be an HTTP status code, a number from 100 to 599`}},
		{"header not a string", ok + "responses:\n  A:\n    - {status: 200, headers: {X: [1]}}\n", []string{
			`x.yaml:5:34: header X must be a string`}},
		{"config scope not a mapping", ok + "config:\n  settings: 3\n", []string{
			`x.yaml:4:13: config scope settings must be a mapping: the settings object LoadConfig returns for it`}},
		{"links not a list", ok + "links: {a: 1}\n", []string{
			`x.yaml:3:8: links must be a list of link objects`}},
		{"account_id a list", ok + "account: {account_id: [1]}\n", []string{
			`x.yaml:3:23: account_id must be a number or a string`}},
		{"flow and event", "flow: F\nevent_source: support\nevent_type: ticket.TicketCreated\nevent: {}\n", []string{
			`x.yaml:1:1: set either flow or event_source and event_type, not both: flow runs the named flow, the event pair picks it through the job specs`}},
		{"no flow", "event: {}\n", []string{
			`x.yaml:1:1: the fixture names no flow; set flow: <flow name>, or event_source and event_type to pick it through a job spec`}},
		{"source without type", "event_source: support\nevent: {}\n", []string{
			`x.yaml:1:1: event_source needs event_type (e.g. activity.UserActivityCreated) beside it`}},
		{"type without source", "event_type: ticket.TicketCreated\nevent: {}\n", []string{
			`x.yaml:1:1: event_type needs event_source (e.g. support or sunshine) beside it`}},
		{"no event", "flow: F\n", []string{
			`x.yaml:1:1: the fixture has no event; set event: to the event payload, which the flow reads as $.input`}},
		{"duplicate key", "flow: F\nflow: G\nevent: {}\n", []string{
			`x.yaml:2:1: key "flow" appears twice in the fixture`}},
		{"duplicate key in event", "flow: F\nevent:\n  a: 1\n  a: 2\n", []string{
			`x.yaml:4:3: key "a" appears twice in this object`}},
		{"infinity", "flow: F\nevent: {a: .inf}\n", []string{
			`x.yaml:2:12: .inf is not a number JSON can hold; quote it to make it a string`}},
		{"custom tag", "flow: F\nevent: {a: !secret x}\n", []string{
			`x.yaml:2:12: unsupported YAML tag !secret; fixtures hold JSON values only`}},
		// yaml.v3 reports the line of a syntax error's context, 0-based,
		// so the line here is 1; the message is what matters.
		{"invalid YAML", "flow: F\nevent: {a: [1}\n", []string{
			`x.yaml:1:1: invalid YAML or JSON: did not find expected ',' or ']'`}},
		{"invalid JSON", "{\"flow\": \"F\",\n \"event\": {\"a\": 1,}}\n", nil}, // yaml.v3 accepts the trailing comma
		{"empty", "", []string{`x.yaml:1:1: the file is empty`}},
		{"several problems", "flow: F\nevent: {}\nname: {}\nlinks: 3\n", []string{
			`x.yaml:3:7: name must be a string`,
			`x.yaml:4:8: links must be a list of link objects`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFixture("x.yaml", []byte(tt.src))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("ParseFixture: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("ParseFixture succeeded, want errors")
			}
			got := strings.Split(err.Error(), "\n")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// A few lines of nested aliases name billions of values; loading must
// refuse them quickly instead of expanding them.
func TestLoadFixtureAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("flow: F\nevent:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	_, err := ParseFixture("bomb.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "too large or nested too deeply") {
		t.Fatalf("err = %v, want the size limit", err)
	}
}

func TestLoadFixtureMissingFile(t *testing.T) {
	if _, err := LoadFixture(filepath.Join(t.TempDir(), "none.yaml")); err == nil {
		t.Fatal("LoadFixture of a missing file succeeded")
	}
}

func TestLoadValueAndResponses(t *testing.T) {
	dir := t.TempDir()
	ev := writeFile(t, dir, "event.json", `{"activity_event": {"user_activity": {"type": "page_view", "user_id": 12}}}`)
	v, err := LoadValue(ev)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"activity_event": map[string]any{"user_activity": map[string]any{"type": "page_view", "user_id": 12.0}}}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("LoadValue (-want +got):\n%s", diff)
	}

	resp := writeFile(t, dir, "responses.yaml", "GetUserProfile:\n  - status: 200\n    body: {profile: {id: p1}}\n")
	got, err := LoadResponses(resp)
	if err != nil {
		t.Fatal(err)
	}
	wantResp := map[string][]Response{"GetUserProfile": {{Status: 200, Body: map[string]any{"profile": map[string]any{"id": "p1"}}}}}
	if diff := cmp.Diff(wantResp, got); diff != "" {
		t.Errorf("LoadResponses (-want +got):\n%s", diff)
	}

	bad := writeFile(t, dir, "bad.yaml", "GetUserProfile:\n  - status: 700\n")
	_, err = LoadResponses(bad)
	if want := bad + ":2:13: status 700 is not an HTTP status code; use a number from 100 to 599"; err == nil || err.Error() != want {
		t.Errorf("LoadResponses error = %v, want %s", err, want)
	}
}

// The fixtures of the refund example load, and their lines point at the
// keys, for the messages of zislint test.
func TestLoadRefundFixtures(t *testing.T) {
	files, err := FindFixtures("../testdata/refunds/bundle.json", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 4 {
		t.Fatalf("found %d fixtures, want at least 4: %v", len(files), files)
	}
	for _, file := range files {
		f, err := LoadFixture(file)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if f.EventSource != "sunshine" || f.Line["event"] == 0 {
			t.Errorf("%s: event_source %q, event line %d", file, f.EventSource, f.Line["event"])
		}
	}
}

// TestLoadFixtureMergeBombs: << merges expand like aliases, so they get
// the same bounds; a merge of the mapping itself is a cycle, reported
// where it is written instead of overflowing the stack.
func TestLoadFixtureMergeBombs(t *testing.T) {
	doubling := func(levels int) string {
		var b strings.Builder
		b.WriteString("flow: F\nevent:\n  m0: &m0 {a: 1, b: 2}\n")
		for i := 1; i <= levels; i++ {
			fmt.Fprintf(&b, "  m%d: &m%d {<<: [*m%d, *m%d], k%d: %d}\n", i, i, i-1, i-1, i, i)
		}
		return b.String()
	}
	tests := []struct{ name, src, want string }{
		{"merge of itself", "flow: F\nevent: &self\n  a: 1\n  <<: *self\n",
			"self.yaml:4:7: this << merge names a mapping that contains it"},
		{"merge of an ancestor", "flow: F\nevent: &top\n  a:\n    b:\n      <<: *top\n",
			"self.yaml:5:11: this << merge names a mapping that contains it"},
		{"alias of an ancestor", "flow: F\nevent: &top\n  a: [1, *top]\n",
			"self.yaml:3:10: alias *top names a value that contains this alias"},
		{"nested merges doubling each level", doubling(40),
			"too large or nested too deeply (aliases and << merges expand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFixture("self.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestLoadFixtureMergeStillWorks: merges within the bounds keep YAML's
// meaning, keys written out winning over merged ones.
func TestLoadFixtureMergeStillWorks(t *testing.T) {
	src := "flow: F\nevent:\n  base: &base {a: 1, b: 2}\n  more: &more {c: 3}\n  x:\n    <<: [*base, *more]\n    b: 20\n  y: *base\n"
	f, err := ParseFixture("ok.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": 1.0, "b": 20.0, "c": 3.0}
	if diff := cmp.Diff(want, f.Event.(map[string]any)["x"]); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
}

// TestLoadFixtureErrorFlood: an alias expanded many times repeats its
// problem each time; the list stays short and says how many were left.
func TestLoadFixtureErrorFlood(t *testing.T) {
	var b strings.Builder
	b.WriteString("flow: F\nevent:\n  a0: &a0 [!x 1, !x 2, !x 3, !x 4]\n")
	for i := 1; i < 8; i++ {
		fmt.Fprintf(&b, "  a%d: &a%d [*a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1)
	}
	_, err := ParseFixture("flood.yaml", []byte(b.String()))
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxLoadErrors+1 || !strings.Contains(lines[len(lines)-1], "more problems; fix these first") {
		t.Errorf("%d lines, last %q; want %d and a count of the rest", len(lines), lines[len(lines)-1], maxLoadErrors+1)
	}
}
