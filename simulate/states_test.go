package simulate

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
)

func ordersProgram(t testing.TB) *Program {
	t.Helper()
	b, err := bundle.Load("../testdata/orders/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(b, Options{IntegrationKey: "acme_orders", Connections: []*config.Connection{{Name: "warehouse", Type: "bearer_token"}}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func order(id float64, skus ...string) any {
	var items []any
	for _, s := range skus {
		items = append(items, map[string]any{"sku": s, "quantity": float64(1)})
	}
	return map[string]any{"order": map[string]any{"id": id, "items": items}}
}

func replies(statuses ...int) []Response {
	var out []Response
	for _, s := range statuses {
		out = append(out, Response{Status: s, Body: map[string]any{"status": float64(s)}})
	}
	return out
}

func ordersFixture(event any, enabled bool, statuses ...int) *Fixture {
	return &Fixture{Path: "t.yaml", EventSource: "shopfront", EventType: "order_created", Account: Account{Subdomain: "acme"},
		Event: event, Config: map[string]any{"settings": map[string]any{"enabled": enabled}},
		Responses: map[string][]Response{"PostItem": replies(statuses...)}}
}

func TestMapWaitAndPatchConfig(t *testing.T) {
	res, err := ordersProgram(t).Run(ordersFixture(order(5001, "TEA", "CUP"), true, 201, 201))
	if err != nil {
		t.Fatal(err)
	}
	wantStates := "LoadSettings IsEnabled AttachOrderId SendItems SendItems[0]/Send SendItems[1]/Send Settle RememberOrder Done"
	if got := strings.Join(res.States, " "); got != wantStates {
		t.Errorf("states = %s", got)
	}
	var got []string
	for _, r := range res.Requests {
		got = append(got, r.Method+" "+r.URL+" "+r.Headers["Authorization"])
	}
	want := []string{
		"POST https://api.warehouse.example/v1/orders/5001/items Bearer [redacted]",
		"POST https://api.warehouse.example/v1/orders/5001/items Bearer [redacted]",
		"PATCH zis-config:settings ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if res.WaitedSeconds != 5 || res.Status != StatusSucceeded || *res.Message != "Order 5001 sent to the warehouse" {
		t.Errorf("waited %v, status %s, message %v", res.WaitedSeconds, res.Status, res.Message)
	}
	sent := res.Output.(map[string]any)["sent"].([]any)
	if len(sent) != 2 || sent[1].(map[string]any)["warehouse"].(map[string]any)["status"] != float64(201) {
		t.Errorf("Map results = %v", sent)
	}
}

func TestRetryWaitsOnTheVirtualClock(t *testing.T) {
	res, _ := ordersProgram(t).Run(ordersFixture(order(5002, "TEA"), true, 503, 201))
	if res.Status != StatusSucceeded || res.WaitedSeconds != 2+5 {
		t.Errorf("status %s, waited %v; want success after a 2 s retry and the 5 s wait", res.Status, res.WaitedSeconds)
	}
	if len(res.UnusedResponses()) != 0 {
		t.Errorf("unused responses %v", res.UnusedResponses())
	}
}

func TestCatchLeadsToFail(t *testing.T) {
	res, _ := ordersProgram(t).Run(ordersFixture(order(5003, "GONE"), true, 422, 422, 422, 422))
	want := &RunError{Error: "WarehouseRejected", Cause: "Order 5003: external action failed due to status code: 422", State: "SyncFailed"}
	if diff := cmp.Diff(want, res.Error); diff != "" || res.Status != StatusFailed {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	// Two retries: 2 s, then 4 s.
	if res.WaitedSeconds != 6 {
		t.Errorf("waited %v, want 6", res.WaitedSeconds)
	}
	if len(res.RepeatedOnRetry) != 0 {
		t.Error("a run ending on a Fail state is not retried by ZIS, so nothing repeats")
	}
	if got := res.UnusedResponses(); len(got) != 1 || got[0] != "PostItem#4" {
		t.Errorf("unused = %v", got)
	}
}

func TestMissingResponseEndsTheRun(t *testing.T) {
	res, _ := ordersProgram(t).Run(ordersFixture(order(5005, "TEA", "CUP"), true, 201))
	if res.Error == nil || res.Error.Error != ErrFixture || !strings.Contains(res.Error.Cause, "no recorded response for call 2 of action PostItem") {
		t.Fatalf("error = %+v", res.Error)
	}
	if len(res.RepeatedOnRetry) != 1 {
		t.Errorf("the first POST happened before the failure and repeats on retry: %v", res.RepeatedOnRetry)
	}
}

func TestFlowByEventAndUnknownFlow(t *testing.T) {
	p := ordersProgram(t)
	if _, err := p.Run(&Fixture{Path: "x.yaml", Flow: "Nope"}); err == nil || !strings.Contains(err.Error(), `no flow named "Nope"; its flows are OrderSyncFlow`) {
		t.Errorf("err = %v", err)
	}
	if _, err := p.Run(&Fixture{Path: "x.yaml", EventSource: "support", EventType: "ticket.TicketCreated"}); err == nil {
		t.Error("an event no job spec binds ran a flow")
	}
}

// flowBundle wraps states into a one-flow bundle.
func flowBundle(t testing.TB, states string) *Program {
	t.Helper()
	src := `{"zis_template_version": "2019-10-14", "name": "t", "resources": {
	  "Call": {"type": "ZIS::Action::Http", "properties": {"name": "Call", "definition": {"method": "POST", "url": "https://x.example/y"}}},
	  "F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "S", "States": {` + states + `}}}}}}`
	b := bundle.Parse("t.json", []byte(src))
	p, err := Compile(b, Options{IntegrationKey: "t"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name, states, wantError, wantCause string
		event                              any
	}{
		{"timeout", `"S": {"Type": "Wait", "Seconds": 60, "Next": "T"}, "T": {"Type": "Wait", "Seconds": 60, "End": true}`,
			errTimeout, "the flow reached the 100-second limit: state T waits 60 s from 60 s of virtual time, so ZIS ends the flow at 100 s", nil},
		{"endless loop", `"S": {"Type": "Pass", "Next": "T"}, "T": {"Type": "Pass", "Next": "S"}`,
			errTransitions, "it loops through S → T", nil},
		{"no choice", `"S": {"Type": "Choice", "Choices": [{"Variable": "$.input.a", "NumericEquals": 1, "Next": "D"}]}, "D": {"Type": "Succeed"}`,
			errNoChoice, "no rule of Choice state S matched and it has no Default", map[string]any{"a": float64(2)}},
		{"map limit", `"S": {"Type": "Map", "ItemsPath": "$.input.items", "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "End": true}`,
			errMapItemsLimit, "Map state S got 101 items; ZIS stops the flow when a Map has more than 100", map[string]any{"items": objects(101)}},
		{"endless retry", `"S": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": "error(\"no\")"},
			"Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 0, "MaxAttempts": 1e9}], "End": true}`,
			errTransitions, "state S was retried 10000 times", nil},
		{"retry going back in time", `"S": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": "error(\"no\")"},
			"Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": -5, "BackoffRate": 1e308, "MaxAttempts": 1e300}], "End": true}`,
			errTransitions, "state S was retried 10000 times", nil},
		{"retry interval overflowing to infinity", `"S": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": "error(\"no\")"},
			"Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": -1e300, "BackoffRate": -1e300, "MaxAttempts": 3}], "End": true}`,
			errTimeout, "state S waits +Inf s from 0 s of virtual time", nil},
		{"non-2xx without catch", `"S": {"Type": "Action", "ActionName": "zis:t:action:Call", "End": true}`,
			errTaskFailed, "external action failed due to status code: 500", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := flowBundle(t, tt.states).Run(&Fixture{Path: "t.yaml", Flow: "F", Event: tt.event,
				Responses: map[string][]Response{"Call": replies(500)}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Error == nil || res.Error.Error != tt.wantError || !strings.Contains(res.Error.Cause, tt.wantCause) {
				t.Errorf("error = %+v, want %s: %s", res.Error, tt.wantError, tt.wantCause)
			}
			if _, err := json.Marshal(res); err != nil {
				t.Errorf("the result does not encode: %v", err)
			}
			if res.WaitedSeconds > flowTimeout {
				t.Errorf("waited_seconds = %v; a wait cut short by the flow limit ends at %v s", res.WaitedSeconds, flowTimeout)
			}
		})
	}
}

// TestTimeoutEndsAtTheLimit: a wait past the 100-second limit is cut
// short, so the run ends at 100 s, not at the end of the wait.
func TestTimeoutEndsAtTheLimit(t *testing.T) {
	res, err := flowBundle(t, `"S": {"Type": "Wait", "Seconds": 30, "Next": "T"}, "T": {"Type": "Wait", "Seconds": 3600, "End": true}`).
		Run(&Fixture{Path: "t.yaml", Flow: "F"})
	if err != nil {
		t.Fatal(err)
	}
	if res.WaitedSeconds != flowTimeout || res.Error == nil || res.Error.Error != errTimeout || res.Error.State != "T" {
		t.Errorf("waited %v s, error %+v; want %v s and %s in state T", res.WaitedSeconds, res.Error, flowTimeout, errTimeout)
	}
}

func objects(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"i": float64(i)}
	}
	return out
}

func TestJqOutputs(t *testing.T) {
	for expr, want := range map[string]any{
		".[]":                        []any{float64(1), float64(2)},
		".[0]":                       float64(1),
		"empty":                      nil,
		"length":                     float64(2),
		"{n: length}":                map[string]any{"n": float64(2)},
		"[infinite, -infinite, nan]": []any{math.MaxFloat64, -math.MaxFloat64, nil},
	} {
		p := flowBundle(t, `"S": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": "`+expr+`", "data.$": "$.input"}, "ResultPath": "$.out", "End": true}`)
		res, _ := p.Run(&Fixture{Path: "t.yaml", Flow: "F", Event: []any{float64(1), float64(2)}})
		if diff := cmp.Diff(want, res.Output.(map[string]any)["out"]); diff != "" {
			t.Errorf("jq %s (-want +got):\n%s", expr, diff)
		}
	}
}

func TestChoiceOperators(t *testing.T) {
	doc := map[string]any{"s": "b", "n": float64(5), "t": true, "ts": "2024-05-01T10:00:00Z", "null": nil, "other": float64(5)}
	tests := []struct {
		rule string
		want bool
	}{
		{`{"Variable": "$.s", "StringEquals": "b"}`, true},
		{`{"Variable": "$.s", "StringLessThan": "c"}`, true},
		{`{"Variable": "$.s", "StringGreaterThanEquals": "c"}`, false},
		{`{"Variable": "$.n", "NumericGreaterThan": 4}`, true},
		{`{"Variable": "$.n", "NumericLessThanEquals": 4}`, false},
		{`{"Variable": "$.n", "NumericEqualsPath": "$.other"}`, true},
		{`{"Variable": "$.s", "NumericEquals": 5}`, false},
		{`{"Variable": "$.t", "BooleanEquals": true}`, true},
		{`{"Variable": "$.ts", "TimestampLessThan": "2024-05-01T11:00:00+00:00"}`, true},
		{`{"Variable": "$.ts", "TimestampEquals": "2024-05-01T12:00:00+02:00"}`, true},
		{`{"Variable": "$.missing", "IsPresent": false}`, true},
		{`{"Variable": "$.null", "IsNull": true}`, true},
		{`{"Variable": "$.missing", "StringEquals": "b"}`, false},
		{`{"And": [{"Variable": "$.s", "StringEquals": "b"}, {"Not": {"Variable": "$.t", "BooleanEquals": false}}]}`, true},
		{`{"Or": [{"Variable": "$.s", "StringEquals": "x"}, {"Variable": "$.n", "NumericEquals": 6}]}`, false},
	}
	for _, tt := range tests {
		b := bundle.Parse("r.json", []byte(tt.rule))
		r, err := compileRule(b, &machine{states: map[string]*state{}}, b.Root)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.matches(doc); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.rule, got, tt.want)
		}
	}
}

// TestNumbersOutOfRangeDoNotRun: a Wait of 1e309 seconds must not run as
// a 0-second wait, nor -1e999 as negative infinity in a document.
func TestNumbersOutOfRangeDoNotRun(t *testing.T) {
	for _, tt := range []struct{ states, want string }{
		{`"S": {"Type": "Wait", "Seconds": 1e309, "End": true}`, "t.json:2:134: number out of range: 1e309 is beyond"},
		{`"S": {"Type": "Pass", "Result": {"n": -1e999}, "End": true}`, "t.json:2:139: number out of range: -1e999 is beyond"},
	} {
		src := `{"zis_template_version": "2019-10-14", "name": "t", "resources": {
	  "F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "S", "States": {` + tt.states + `}}}}}}`
		_, err := Compile(bundle.Parse("t.json", []byte(src)), Options{IntegrationKey: "t"})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Compile error = %v, want one starting %q", err, tt.want)
		}
	}
}

// TestWholeFlowRetryByStatus: ZIS runs a failed flow again unless a 4xx
// other than 429 failed it (developer-guide/state-retry-error-handling),
// so only then do the writes up to the failure not repeat.
func TestWholeFlowRetryByStatus(t *testing.T) {
	twoCalls := `"S": {"Type": "Action", "ActionName": "zis:t:action:Call", "Next": "T"},
		"T": {"Type": "Action", "ActionName": "zis:t:action:Call", "End": true}`
	inMap := `"S": {"Type": "Action", "ActionName": "zis:t:action:Call", "ResultPath": null, "Next": "M"},
		"M": {"Type": "Map", "ItemsPath": "$.input.items", "Iterator": {"StartAt": "T", "States": {
			"T": {"Type": "Action", "ActionName": "zis:t:action:Call", "End": true}}}, "End": true}`
	for _, tt := range []struct {
		name, states string
		status       int
		repeated     int
	}{
		{"400 is not retried", twoCalls, 400, 0},
		{"404 is not retried", twoCalls, 404, 0},
		{"422 is not retried", twoCalls, 422, 0},
		{"429 is retried", twoCalls, 429, 2},
		{"500 is retried", twoCalls, 500, 2},
		{"503 is retried", twoCalls, 503, 2},
		{"404 inside a Map is not retried", inMap, 404, 0},
		{"502 inside a Map is retried", inMap, 502, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := flowBundle(t, tt.states).Run(&Fixture{Path: "t.yaml", Flow: "F",
				Event:     map[string]any{"items": objects(1)},
				Responses: map[string][]Response{"Call": replies(201, tt.status)}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != StatusFailed || len(res.Requests) != 2 {
				t.Fatalf("status %s with %d requests (%+v); want a failure on the second call", res.Status, len(res.Requests), res.Error)
			}
			if len(res.RepeatedOnRetry) != tt.repeated {
				t.Errorf("repeated_on_retry has %d requests, want %d", len(res.RepeatedOnRetry), tt.repeated)
			}
		})
	}
}

// TestCreateLinkResponse: CreateLink answers with the link as the ZIS
// links page shows it, scoped to the run's account and integration.
func TestCreateLinkResponse(t *testing.T) {
	p := flowBundle(t, `"S": {"Type": "Action", "ActionName": "zis:common:action:CreateLink", "Parameters": {
			"link_type": "ticket_to_message_link", "left_object": {"name.$": "$.input.id"}, "right_object": {"name": "1234567890.123456"}},
			"ResultPath": "$.created", "Next": "L"},
		"L": {"Type": "Action", "ActionName": "zis:common:action:LoadLinks", "Parameters": {
			"link_type": "ticket_to_message_link", "left_object_name": "1234567"}, "ResultPath": "$.loaded", "End": true}`)
	res, err := p.Run(&Fixture{Path: "t.yaml", Flow: "F", Account: Account{Subdomain: "acme", AccountID: float64(12345678)},
		Event: map[string]any{"id": "1234567"}})
	if err != nil {
		t.Fatal(err)
	}
	link := map[string]any{
		"account_id":   float64(12345678),
		"integration":  "t",
		"left_object":  map[string]any{"name": "1234567"},
		"link_type":    "ticket_to_message_link",
		"right_object": map[string]any{"name": "1234567890.123456"},
		"uuid":         "00000000-0000-4000-8000-000000000001",
	}
	out, _ := res.Output.(map[string]any)
	if diff := cmp.Diff(map[string]any{"link": link}, out["created"]); diff != "" {
		t.Errorf("CreateLink result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"links": []any{link}}, out["loaded"]); diff != "" {
		t.Errorf("LoadLinks after CreateLink (-want +got):\n%s", diff)
	}
}

// TestConnectionTokenTheOlderWay: a token read from
// $.connections.<name>.access_token, as older ZIS docs do, reaches the
// request redacted instead of failing the state.
func TestConnectionTokenTheOlderWay(t *testing.T) {
	src := `{"zis_template_version": "2019-10-14", "name": "t", "resources": {
	  "Call": {"type": "ZIS::Action::Http", "properties": {"name": "Call", "definition": {"method": "GET", "path": "/api/v2/tickets/1.json",
	    "headers": [{"key": "Authorization", "value.$": "Bearer {{$.token}}"}, {"key": "X-Direct", "value": "{{$.direct}}"}]}}},
	  "F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "S", "States": {
	    "S": {"Type": "Action", "ActionName": "zis:t:action:Call", "Parameters": {"token.$": "$.connections.zendesk.access_token",
	      "direct.$": "{{$.connections.zendesk.access_token}}"}, "End": true}}}}}}}`
	p, err := Compile(bundle.Parse("t.json", []byte(src)), Options{IntegrationKey: "t"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(&Fixture{Path: "t.yaml", Flow: "F", Account: Account{Subdomain: "acme"},
		Responses: map[string][]Response{"Call": replies(200)}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusSucceeded || len(res.Requests) != 1 {
		t.Fatalf("status %s, error %+v, %d requests", res.Status, res.Error, len(res.Requests))
	}
	want := map[string]string{"Authorization": "Bearer " + redacted, "X-Direct": redacted}
	if diff := cmp.Diff(want, res.Requests[0].Headers); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}
