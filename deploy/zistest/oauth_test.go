package zistest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

// grant runs the client credentials grant and returns the access token.
func grant(t *testing.T, s *zistest.Server, scope string) string {
	t.Helper()
	c := s.Credentials()
	body := fmt.Sprintf(`{"grant_type":"client_credentials","client_id":%q,"client_secret":%q,"scope":%q}`, c.ClientID, c.ClientSecret, scope)
	r := do(t, s, http.MethodPost, "/oauth/tokens", "", body)
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &out) != nil || out.AccessToken == "" {
		t.Fatalf("grant: %d %s", r.status, r.body)
	}
	return out.AccessToken
}

func TestFakeClientCredentialsGrant(t *testing.T) {
	s := zistest.New(t, zistest.WithTokenLifetime(60))
	if r := do(t, s, http.MethodPost, "/oauth/tokens", "", `{"grant_type":"client_credentials","client_id":"x","client_secret":"y"}`); r.status != 401 ||
		!strings.Contains(string(r.body), "invalid_client") {
		t.Errorf("unknown client: %d %s", r.status, r.body)
	}
	if r := do(t, s, http.MethodPost, "/oauth/tokens", "", `{"grant_type":"password"}`); r.status != 400 {
		t.Errorf("other grant: %d", r.status)
	}
	writer, reader := "Bearer "+grant(t, s, "read write"), "Bearer "+grant(t, s, "read")
	if r := do(t, s, http.MethodPost, registry+"refunds", writer, `{"description":"d"}`); r.status != 200 {
		t.Errorf("register with an admin access token: %d %s", r.status, r.body)
	}
	if r := do(t, s, http.MethodPost, registry+"refunds/bundles", reader, bundle("refunds", "a")); r.status != 403 {
		t.Errorf("upload with a read-only token: %d", r.status)
	}
	s.ExpireAccessTokens()
	if r := do(t, s, http.MethodGet, registry+"refunds/job_specs", writer, ""); r.status != 401 {
		t.Errorf("expired token: %d", r.status)
	}
	refusing := zistest.New(t, zistest.WithRegistryRefusesOAuth())
	if r := do(t, refusing, http.MethodPost, registry+"refunds", "Bearer "+grant(t, refusing, "read write"), `{}`); r.status != 401 ||
		!strings.Contains(string(r.body), "OAuth being disabled") {
		t.Errorf("WithRegistryRefusesOAuth: %d %s", r.status, r.body)
	}
}

func TestFakeZISTokens(t *testing.T) {
	s := zistest.New(t, zistest.WithMaxPageSize(1))
	s.SeedIntegration("refunds", "r")
	s.SeedIntegration("other", "o")
	admin := "Bearer " + grant(t, s, "read write")
	// Every client, one per page.
	var idents []string
	path := "/api/v2/oauth/clients.json?page[size]=1"
	for n := 0; n < 10; n++ {
		r := do(t, s, http.MethodGet, path, admin, "")
		var page struct {
			Clients []struct {
				ID         int64  `json:"id"`
				Identifier string `json:"identifier"`
			} `json:"clients"`
			Meta struct {
				HasMore     bool   `json:"has_more"`
				AfterCursor string `json:"after_cursor"`
			} `json:"meta"`
		}
		if r.status != 200 || json.Unmarshal(r.body, &page) != nil {
			t.Fatalf("clients: %d %s", r.status, r.body)
		}
		for _, c := range page.Clients {
			idents = append(idents, c.Identifier)
		}
		if !page.Meta.HasMore {
			break
		}
		path = "/api/v2/oauth/clients.json?page[size]=1&page[after]=" + page.Meta.AfterCursor
	}
	if strings.Join(idents, ",") != "zis_other,zis_refunds,"+zistest.DefaultClientID {
		t.Errorf("clients %v", idents)
	}
	ig, _ := s.Integration("refunds")
	r := do(t, s, http.MethodPost, "/api/v2/oauth/tokens.json", admin, fmt.Sprintf(`{"token":{"client_id":%d,"scopes":["read","write"]}}`, ig.OAuthClientID))
	var created struct {
		Token struct {
			ID        int64  `json:"id"`
			FullToken string `json:"full_token"`
		} `json:"token"`
	}
	if r.status != 201 || json.Unmarshal(r.body, &created) != nil || created.Token.FullToken == "" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	zis := "Bearer " + created.Token.FullToken
	if r := do(t, s, http.MethodGet, "/api/services/zis/integrations/refunds/connections/all", zis, ""); r.status != 200 {
		t.Errorf("own integration: %d", r.status)
	}
	if r := do(t, s, http.MethodGet, "/api/services/zis/integrations/other/connections/all", zis, ""); r.status != 401 ||
		!strings.Contains(string(r.body), "integration mismatch") {
		t.Errorf("other integration: %d %s", r.status, r.body)
	}
	if r := do(t, s, http.MethodGet, "/api/v2/oauth/clients.json", zis, ""); r.status != 403 {
		t.Errorf("a ZIS OAuth token listing clients: %d", r.status)
	}
	revoke := fmt.Sprintf("/api/v2/oauth/tokens/%d.json", created.Token.ID)
	if r := do(t, s, http.MethodDelete, revoke, admin, ""); r.status != 204 {
		t.Errorf("revoke: %d", r.status)
	}
	if r := do(t, s, http.MethodDelete, revoke, admin, ""); r.status != 404 {
		t.Errorf("revoke again: %d", r.status)
	}
	if r := do(t, s, http.MethodGet, "/api/services/zis/integrations/refunds/connections/all", zis, ""); r.status != 401 {
		t.Errorf("revoked token: %d", r.status)
	}
	if toks := s.ZISTokens(); len(toks) != 1 || !toks[0].Revoked || toks[0].Integration != "refunds" {
		t.Errorf("ZISTokens %+v", toks)
	}
}
