package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

const shopSecret = "sk-live-5f1e-SHOP-never-printed"

// shopConnection is an API-key connection zislint.yaml declares, with
// the secret its secret_env gave.
func shopConnection() DeclaredConnection {
	return DeclaredConnection{Name: "shop", Type: ConnAPIKey, AllowedDomain: "api.shop.example", HeaderName: "X-Api-Key", From: "SHOP_KEY", Secret: shopSecret}
}

// tokenClient is a fake client holding a ZIS OAuth token of
// acme_refunds, as the command obtains one before a deploy.
func tokenClient(t *testing.T, fake *zistest.Server) *Client {
	t.Helper()
	client := fakeClient(t, fake)
	revoke, err := client.ObtainIntegrationToken(context.Background(), "acme_refunds")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { revoke() })
	return client
}

// printedPlan is everything a plan prints: its text and its JSON.
func printedPlan(t *testing.T, p *Plan) string {
	t.Helper()
	var b bytes.Buffer
	p.WriteText(&b)
	if err := json.NewEncoder(&b).Encode(p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDeployCreatesDeclaredConnection(t *testing.T) {
	ctx := context.Background()
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	tg.Declared = []DeclaredConnection{shopConnection()}
	client := tokenClient(t, fake)

	p, err := MakePlan(ctx, client, tg)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) == 0 || p.Steps[0].Action != StepCreateConnection || p.Steps[0].Connection != "shop" || p.Steps[1].Action != StepUpload {
		t.Fatalf("steps %+v; want the connection created before the upload", p.Steps)
	}
	text := printedPlan(t, p)
	if !strings.Contains(text, "+ create connection shop (api_key to api.shop.example, secret from SHOP_KEY)") {
		t.Errorf("plan text:\n%s", text)
	}
	if err := Apply(ctx, client, p, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(printedPlan(t, p), shopSecret) || strings.Contains(text, shopSecret) {
		t.Error("the plan shows the secret")
	}
	ig, _ := fake.Integration("acme_refunds")
	var got *zistest.Connection
	for i, c := range ig.Connections {
		if c.Name == "shop" {
			got = &ig.Connections[i]
		}
	}
	if got == nil || got.Type != zistest.ConnAPIKey || got.Secret != shopSecret || got.HeaderName != "X-Api-Key" || got.AllowedDomain != "api.shop.example" {
		t.Fatalf("connection in the account: %+v", got)
	}
	calls := fake.CallsFor(zistest.OpCreateConnection)
	if len(calls) != 1 || calls[0].Auth != zistest.AuthBearer {
		t.Errorf("create calls %+v; want one, with the ZIS OAuth token", calls)
	}

	again, err := MakePlan(ctx, client, tg)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Steps) != 0 || again.Blocked != "" {
		t.Errorf("second plan %+v; want no changes", again.Steps)
	}
}

func TestCreateConnectionRefusesAnotherIntegrationsToken(t *testing.T) {
	ctx := context.Background()
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	fake.SeedIntegration("other", "other")
	tg.Declared = []DeclaredConnection{shopConnection()}
	client := fakeClient(t, fake)
	if _, err := client.ObtainIntegrationToken(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	// The token of "other" is sent for acme_refunds: the fake refuses it.
	client.zisTokens.Store("acme_refunds", mustLoadToken(t, client, "other"))
	err := client.CreateConnection(ctx, "acme_refunds", shopConnection())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || !strings.Contains(err.Error(), "integration mismatch") {
		t.Fatalf("error %v; want the mismatch refused", err)
	}
	if strings.Contains(err.Error(), shopSecret) {
		t.Error("the error shows the secret")
	}
	if ig, _ := fake.Integration("acme_refunds"); len(ig.Connections) != 1 {
		t.Errorf("connections %+v; want none created", ig.Connections)
	}
}

func mustLoadToken(t *testing.T, c *Client, key string) any {
	t.Helper()
	tok, ok := c.zisTokens.Load(key)
	if !ok {
		t.Fatalf("no token for %s", key)
	}
	return tok
}

func TestMismatchingConnectionBlocksPlan(t *testing.T) {
	ctx := context.Background()
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	fake.SeedConnection("acme_refunds", zistest.Connection{Type: zistest.ConnBearerToken, Name: "shop", AllowedDomain: "old.shop.example", Secret: "x"})
	tg.Declared = []DeclaredConnection{shopConnection()}
	client := tokenClient(t, fake)
	p, err := MakePlan(ctx, client, tg)
	if err != nil {
		t.Fatal(err)
	}
	want := `connection shop exists, but its type is bearer_token, not api_key and its allowed domain is "old.shop.example", not "api.shop.example"`
	if len(p.Steps) != 0 || !strings.Contains(p.Blocked, want) || !strings.Contains(p.Blocked, "does not let a connection's type or allowed domain change") ||
		len(p.ConflictingConnections) != 1 {
		t.Fatalf("plan steps %+v blocked %q", p.Steps, p.Blocked)
	}
	if err := Apply(ctx, client, p, ApplyOptions{}); err == nil {
		t.Error("a blocked plan applied without error")
	}
	if n := len(fake.CallsFor(zistest.OpCreateConnection)) + len(fake.CallsFor(zistest.OpUpload)); n != 0 {
		t.Errorf("%d changes sent for a blocked plan", n)
	}
}

func TestOAuthConnectionIsAnAdminStep(t *testing.T) {
	ctx := context.Background()
	fake := zistest.New(t)
	src := seededTarget(t, fake)
	// A new integration whose bundle uses the OAuth connection zendesk.
	tg, err := NewTarget("staging", "acme-sandbox", "acme_new", src.Bundle)
	if err != nil {
		t.Fatal(err)
	}
	tg.Declared = []DeclaredConnection{{Name: "zendesk", Type: ConnOAuth, AllowedDomain: "*.zendesk.com"}, shopConnection()}
	client := fakeClient(t, fake)
	p, err := MakePlan(ctx, client, tg)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, s := range p.Steps {
		actions = append(actions, s.Action+" "+s.Connection)
	}
	if strings.Join(actions, ",") != "register ,admin_connection zendesk,create_connection shop" {
		t.Fatalf("steps %v", actions)
	}
	text := printedPlan(t, p)
	if !strings.Contains(text, "! for an admin: create OAuth connection zendesk (an OAuth connection needs an admin to sign in") ||
		!strings.Contains(text, "/api/services/zis/connections/oauth/start/acme_new") || !strings.Contains(p.Blocked, "zendesk") {
		t.Errorf("plan:\n%s", text)
	}
	// The ZIS OAuth token appears once the integration is registered.
	var revoke func() error
	err = Apply(ctx, client, p, ApplyOptions{AfterRegister: func(ctx context.Context) error {
		revoke, err = client.ObtainIntegrationToken(ctx, "acme_new")
		return err
	}})
	if revoke != nil {
		defer revoke()
	}
	if err == nil || !strings.Contains(err.Error(), "zendesk") {
		t.Fatalf("apply: %v; want it blocked on the OAuth connection", err)
	}
	if p.Steps[1].Status != StatusForAdmin || p.Steps[2].Status != StatusDone {
		t.Errorf("statuses %+v", p.Steps)
	}
	if strings.Contains(printedPlan(t, p), shopSecret) {
		t.Error("the applied plan shows the secret")
	}
}

func TestInterruptedConnectionCreateConverges(t *testing.T) {
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	tg.Declared = []DeclaredConnection{shopConnection()}
	client := tokenClient(t, fake)
	// The connection is created, but the answer never arrives.
	fake.QueueFaults(zistest.OpCreateConnection, zistest.Fault{Drop: true, AfterProcessing: true})
	if !deployOnce(t, client, tg) {
		t.Fatal("the deploy did not finish after a lost answer")
	}
	if !deployOnce(t, client, tg) {
		t.Fatal("the second deploy failed")
	}
	if n := len(fake.CallsFor(zistest.OpCreateConnection)); n != 1 {
		t.Errorf("%d create requests; want one, never repeated", n)
	}
	ig, _ := fake.Integration("acme_refunds")
	if len(ig.Connections) != 2 {
		t.Errorf("connections %+v", ig.Connections)
	}
}

// TestConnectionErrorNeverEchoesTheSecret has the server refuse the
// connection and echo the request body: the error names the refusal,
// with the key redacted.
func TestConnectionErrorNeverEchoesTheSecret(t *testing.T) {
	fake := zistest.New(t)
	seededTarget(t, fake)
	client := tokenClient(t, fake)
	echo := `{"errors":[{"code":"422","detail":"invalid api_key ` + shopSecret + ` for shop"}]}`
	fake.QueueFaults(zistest.OpCreateConnection, zistest.Fault{Status: 422, Body: echo})
	err := client.CreateConnection(context.Background(), "acme_refunds", shopConnection())
	if err == nil || !strings.Contains(err.Error(), "invalid api_key [REDACTED] for shop") {
		t.Fatalf("error %v; want the refusal, redacted", err)
	}
}

// TestCreateEachConnectionType sends each type's documented fields.
func TestCreateEachConnectionType(t *testing.T) {
	fake := zistest.New(t)
	seededTarget(t, fake)
	client := tokenClient(t, fake)
	for _, d := range []DeclaredConnection{
		{Name: "erp", Type: ConnBasicAuth, AllowedDomain: "erp.example.com", Username: "svc-erp", Secret: "erp-password-1"},
		{Name: "crm", Type: ConnBearerToken, AllowedDomain: "*.crm.example", Secret: "crm-token-2"},
	} {
		if err := client.CreateConnection(context.Background(), "acme_refunds", d); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
	}
	ig, _ := fake.Integration("acme_refunds")
	got := map[string]zistest.Connection{}
	for _, c := range ig.Connections {
		c.UUID = ""
		got[c.Name] = c
	}
	if c := got["erp"]; c.Type != zistest.ConnBasicAuth || c.Username != "svc-erp" || c.Secret != "erp-password-1" || c.AllowedDomain != "erp.example.com" {
		t.Errorf("erp: %+v", c)
	}
	if c := got["crm"]; c.Type != zistest.ConnBearerToken || c.Secret != "crm-token-2" || c.AllowedDomain != "*.crm.example" {
		t.Errorf("crm: %+v", c)
	}
	err := client.CreateConnection(context.Background(), "acme_refunds", DeclaredConnection{Name: "x", Type: ConnOAuth, Secret: "s"})
	if err == nil || len(fake.CallsFor(zistest.OpCreateConnection)) != 2 {
		t.Errorf("an OAuth connection: %v; want refused before sending", err)
	}
}
