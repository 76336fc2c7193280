package zistest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Zendesk OAuth, as much of it as a deploy uses:
//   - POST /oauth/tokens, the client credentials grant, issues admin
//     access tokens that expire after WithTokenLifetime seconds (the fake
//     does not measure time: ExpireAccessTokens ends them all, as the
//     clock would);
//   - an admin access token is accepted wherever an API token is,
//     registering and uploading included (the migration guide moves every
//     API-token use to OAuth), unless WithRegistryRefusesOAuth;
//   - GET /api/v2/oauth/clients.json lists the OAuth clients (the
//     configured ones, then zis_<integration> of each registration),
//     cursor-paginated with meta.after_cursor as Zendesk's API does;
//   - POST /api/v2/oauth/tokens.json creates a ZIS OAuth token of an
//     integration's client, which then works only for that integration
//     ("integration mismatch" elsewhere), and DELETE
//     /api/v2/oauth/tokens/{id}.json revokes it.
// The /api/v2/oauth endpoints want an admin: Basic or an admin access
// token; a ZIS OAuth token gets 403.

// The OAuth client accepted when no WithOAuthClient option is given.
const (
	DefaultClientID     = "zistest_deployer"
	DefaultClientSecret = "zistest-client-secret-7c2e91b4d0a6"
	// DefaultTokenLifetime is the expires_in of issued access tokens, in
	// seconds: 30 minutes, as Zendesk gives new OAuth clients.
	DefaultTokenLifetime = 1800
)

// The OAuth endpoints.
const (
	OpOAuthToken       Op = "oauth_token"        // POST   /oauth/tokens
	OpListOAuthClients Op = "list_oauth_clients" // GET    /api/v2/oauth/clients.json
	OpCreateOAuthToken Op = "create_oauth_token" // POST   /api/v2/oauth/tokens.json
	OpRevokeOAuthToken Op = "revoke_oauth_token" // DELETE /api/v2/oauth/tokens/{id}.json
)

type oauthClient struct{ id, secret string }

// WithOAuthClient accepts the client credentials grant for this client.
// Each use adds a client; any use replaces DefaultClientID.
func WithOAuthClient(id, secret string) Option {
	return func(c *config) { c.oauthClients = append(c.oauthClients, oauthClient{id, secret}) }
}

// WithTokenLifetime sets the expires_in, in seconds, of issued access
// tokens; 0 sends none.
func WithTokenLifetime(seconds int) Option { return func(c *config) { c.tokenLifetime = &seconds } }

// WithRegistryRefusesOAuth refuses every Bearer token when registering
// and uploading, as the registry docs still say and one account was seen
// to do in 2026.
func WithRegistryRefusesOAuth() Option { return func(c *config) { c.registryRefusesOAuth = true } }

// ZISToken is a ZIS OAuth token created through the fake.
type ZISToken struct {
	ID          int64
	Token       string
	Integration string
	Revoked     bool
}

type accessGrant struct {
	scope   string
	expired bool
}

// AccessTokens returns every admin access token issued, in order, so
// tests can search output for them.
func (s *Server) AccessTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.accessOrder...)
}

// ExpireAccessTokens ends every access token issued so far, as their
// expiry would: a request with one gets 401.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.access {
		g.expired = true
	}
}

// ZISTokens returns the ZIS OAuth tokens created, in order.
func (s *Server) ZISTokens() []ZISToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []ZISToken{}
	for _, t := range s.zisTokens {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// routeOAuth maps the OAuth endpoints, which live outside the ZIS API.
func routeOAuth(p, method string) (routed, bool) {
	want := func(m string, op Op) (routed, bool) {
		if method != m {
			return routed{op: OpUnknown, status: http.StatusMethodNotAllowed}, true
		}
		return routed{op: op}, true
	}
	switch {
	case p == "/oauth/tokens":
		return want(http.MethodPost, OpOAuthToken)
	case p == "/api/v2/oauth/clients.json":
		return want(http.MethodGet, OpListOAuthClients)
	case p == "/api/v2/oauth/tokens.json":
		return want(http.MethodPost, OpCreateOAuthToken)
	case strings.HasPrefix(p, "/api/v2/oauth/tokens/") && strings.HasSuffix(p, ".json"):
		rt, ok := want(http.MethodDelete, OpRevokeOAuthToken)
		rt.tokenID = strings.TrimSuffix(strings.TrimPrefix(p, "/api/v2/oauth/tokens/"), ".json")
		return rt, ok
	}
	return routed{}, false
}

// oauthError is the shape of Zendesk's OAuth errors.
func oauthError(status int, code, description string) response {
	return jsonResp(status, map[string]string{"error": code, "error_description": description})
}

// grantToken is the client credentials grant. Only JSON bodies are read,
// which is what zislint sends.
func (s *Server) grantToken(body []byte) response {
	var req struct {
		GrantType    string `json:"grant_type"`
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		Scope        string `json:"scope"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return oauthError(http.StatusBadRequest, "invalid_request", "The request is missing a required parameter or is malformed.")
	}
	if req.GrantType != "client_credentials" {
		return oauthError(http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported.")
	}
	known := false
	for _, c := range s.cfg.oauthClients {
		known = known || (c.id == req.ClientID && c.secret == req.ClientSecret)
	}
	if !known {
		return oauthError(http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
	}
	token := fmt.Sprintf("zistest-access-token-%d-%s", s.newIDLocked(), "b81f")
	s.access[token] = &accessGrant{scope: req.Scope}
	s.accessOrder = append(s.accessOrder, token)
	out := map[string]any{"access_token": token, "token_type": "bearer", "scope": req.Scope}
	if *s.cfg.tokenLifetime > 0 {
		out["expires_in"] = *s.cfg.tokenLifetime
	}
	return jsonResp(http.StatusOK, out)
}

// bearerAuth checks a Bearer token: an admin access token, then a ZIS
// OAuth token created through the fake, then the configured ones.
func (s *Server) bearerAuth(token string) (auth, bool) {
	if g, ok := s.access[token]; ok {
		return auth{kind: AuthBearer, admin: true, writes: scopeHas(g.scope, "write")}, !g.expired
	}
	for _, t := range s.zisTokens {
		if t.Token == token {
			return auth{kind: AuthBearer, scoped: []string{t.Integration}}, !t.Revoked
		}
	}
	for _, c := range s.cfg.bearer {
		if c.token == token {
			scoped := c.integrations
			if scoped != nil {
				scoped = append([]string{}, scoped...)
			}
			return auth{kind: AuthBearer, scoped: scoped}, true
		}
	}
	return auth{}, false
}

func scopeHas(scope, want string) bool {
	for _, s := range strings.Fields(scope) {
		if s == want {
			return true
		}
	}
	return false
}

// handleOAuth serves the /api/v2/oauth endpoints for an admin.
func (s *Server) handleOAuth(rt routed, a auth, q url.Values, body []byte) response {
	if !a.admin {
		return errResp(http.StatusForbidden, "only an admin may manage OAuth clients and tokens", "Forbidden")
	}
	switch rt.op {
	case OpListOAuthClients:
		return s.listOAuthClients(q)
	case OpCreateOAuthToken:
		if !a.writes {
			return errResp(http.StatusForbidden, "the token's scope does not allow writing", "Forbidden")
		}
		return s.createZISToken(body)
	}
	if !a.writes {
		return errResp(http.StatusForbidden, "the token's scope does not allow writing", "Forbidden")
	}
	return s.revokeZISToken(rt.tokenID)
}

func (s *Server) listOAuthClients(q url.Values) response {
	type wire struct {
		ID         int64  `json:"id"`
		Identifier string `json:"identifier"`
		Name       string `json:"name"`
		Kind       string `json:"kind"`
	}
	byIdent := map[string]wire{}
	for i, c := range s.cfg.oauthClients {
		byIdent[c.id] = wire{int64(1000 + i), c.id, "Deploys", "confidential"}
	}
	for _, ig := range s.ints {
		byIdent["zis_"+ig.name] = wire{ig.clientID, "zis_" + ig.name, "ZIS " + ig.name, "confidential"}
	}
	keys := slices.Sorted(maps.Keys(byIdent))
	lo, hi, meta, fail := s.paginate(keys, q)
	if fail != nil {
		return *fail
	}
	out := []wire{}
	for _, k := range keys[lo:hi] {
		out = append(out, byIdent[k])
	}
	return jsonResp(http.StatusOK, map[string]any{
		"clients": out,
		"meta":    map[string]any{"has_more": meta.HasMore, "after_cursor": meta.After, "before_cursor": meta.Before},
	})
}

func (s *Server) createZISToken(body []byte) response {
	var req struct {
		Token struct {
			ClientID int64    `json:"client_id"`
			Scopes   []string `json:"scopes"`
		} `json:"token"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return errResp(http.StatusBadRequest, "the body is not valid JSON", "Bad request")
	}
	for _, key := range slices.Sorted(maps.Keys(s.ints)) {
		if s.ints[key].clientID == req.Token.ClientID {
			t := &ZISToken{ID: s.newIDLocked(), Integration: key}
			t.Token = fmt.Sprintf("zistest-zis-token-%d-%s", t.ID, key)
			s.zisTokens = append(s.zisTokens, t)
			return jsonResp(http.StatusCreated, map[string]any{"token": map[string]any{
				"id": t.ID, "client_id": req.Token.ClientID, "scopes": req.Token.Scopes, "full_token": t.Token,
			}})
		}
	}
	return notFound("no OAuth client with id " + strconv.FormatInt(req.Token.ClientID, 10))
}

func (s *Server) revokeZISToken(id string) response {
	for _, t := range s.zisTokens {
		if strconv.FormatInt(t.ID, 10) == id && !t.Revoked {
			t.Revoked = true
			return response{status: http.StatusNoContent}
		}
	}
	return notFound("no token " + id)
}
