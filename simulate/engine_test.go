package simulate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
)

func refundProgram(t testing.TB) *Program {
	t.Helper()
	b, err := bundle.Load("../testdata/refunds/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(b, Options{IntegrationKey: "acme_refunds", Connections: []*config.Connection{{Name: "zendesk", Type: "oauth", AllowedDomain: "*.zendesk.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func refundEvent(kind, amount, order string) any {
	return map[string]any{"activity_event": map[string]any{"user_activity": map[string]any{
		"type": kind, "profile_id": "01HPROFILE", "user_id": float64(9001),
		"properties": map[string]any{"order_id": order, "refund_amount": amount},
	}}}
}

func refundFixture(amount, order, membership string) *Fixture {
	return &Fixture{
		Path: "refund.yaml", Flow: "RefundRequestFlow",
		Account: Account{Subdomain: "acme", AccountID: float64(1234)},
		Event:   refundEvent("refund_request", amount, order),
		Responses: map[string][]Response{
			"GetUserProfile":      {{Status: 200, Body: map[string]any{"profile": map[string]any{"attributes": map[string]any{"membership": membership}}}}},
			"InitiateRefund":      {{Status: 202, Body: map[string]any{"refund_id": "r-1"}}},
			"CreateZendeskTicket": {{Status: 201, Body: map[string]any{"ticket": map[string]any{"id": float64(75)}}}},
		},
	}
}

func TestRefundTutorialOutcomes(t *testing.T) {
	p := refundProgram(t)
	refund := func(order, amount string) []Request {
		return []Request{{State: "InitiateRefund", Action: "zis:acme_refunds:action:InitiateRefund", Method: "POST",
			URL: "https://refunds.acme-store.example/api/v1/refunds", Headers: map[string]string{},
			Body: map[string]any{"order_id": order, "refund_amount": amount, "user_profile_id": "01HPROFILE"}}}
	}
	tests := []struct {
		name     string
		fixture  *Fixture
		states   string
		requests []Request
	}{
		{"$100 refund", refundFixture("100.00", "789", "basic"),
			"CheckEventSourceAndType ConvertRefundAmountToNum CheckRefundAmount InitiateRefund Finish", refund("789", "100.00")},
		{"$200 premium", refundFixture("200.00", "456", "premium"),
			"CheckEventSourceAndType ConvertRefundAmountToNum CheckRefundAmount GetUserProfile CheckForPremiumMembership InitiateRefund Finish",
			append([]Request{{State: "GetUserProfile", Action: "zis:acme_refunds:action:GetUserProfile", Method: "GET",
				URL: "https://acme.zendesk.com/api/v2/user_profiles/01HPROFILE", Headers: map[string]string{"Authorization": "Bearer [redacted]"}, Connection: "zendesk"}},
				refund("456", "200.00")...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := p.Run(tt.fixture)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != StatusSucceeded || strings.Join(res.States, " ") != tt.states {
				t.Errorf("status %s, states %v", res.Status, res.States)
			}
			if diff := cmp.Diff(tt.requests, res.Requests); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefundCreatesTicket(t *testing.T) {
	res, err := refundProgram(t).Run(refundFixture("200.00", "123", "basic"))
	if err != nil {
		t.Fatal(err)
	}
	last := res.Requests[len(res.Requests)-1]
	body, _ := json.Marshal(last.Body)
	want := `{"ticket":{"comment":{"body":"Hi,\n I'm requesting a $200.00 refund for order 123."},"requester_id":9001,"subject":"Refund request for order 123"}}`
	if last.URL != "https://acme.zendesk.com/api/v2/tickets.json" || string(body) != want {
		t.Errorf("ticket request %s %s", last.URL, body)
	}
}
