package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// tokenPath is Zendesk's OAuth token endpoint. It is joined to the
// Client's base URL like every API path, so the client secret goes only
// to the host the deploy talks to.
const tokenPath = "/oauth/tokens"

// accessToken is the current access token of the client credentials
// grant. The lock is held while a new one is obtained, so concurrent
// calls wait for it instead of each asking for their own.
type accessToken struct {
	mu      sync.Mutex
	token   string
	expires time.Time // zero: the server gave no lifetime
}

// expiryMargin is how long before its announced end a token is renewed:
// a request sent with a token about to expire could arrive too late.
func expiryMargin(lifetime time.Duration) time.Duration { return min(time.Minute, lifetime/5) }

// clientToken returns the access token, obtaining a new one when there
// is none, when it has expired, or when stale (a token the server just
// refused) is still the current one.
func (c *Client) clientToken(ctx context.Context, b *budget, stale string) (string, error) {
	a := &c.access
	a.mu.Lock()
	defer a.mu.Unlock()
	fresh := a.token != "" && (a.expires.IsZero() || c.now().Before(a.expires))
	if fresh && (stale == "" || a.token != stale) {
		return a.token, nil
	}
	switch {
	case fresh:
		c.logf("obtaining a new OAuth access token: the server refused the last one")
	case a.token != "":
		c.logf("obtaining a new OAuth access token: the last one expires")
	}
	token, lifetime, err := c.requestAccessToken(ctx, b)
	if err != nil {
		return "", err
	}
	a.token, a.expires = token, time.Time{}
	if lifetime > 0 {
		a.expires = c.now().Add(lifetime - expiryMargin(lifetime))
	}
	return token, nil
}

// requestAccessToken asks the token endpoint for an access token with
// the client credentials grant.
func (c *Client) requestAccessToken(ctx context.Context, b *budget) (string, time.Duration, error) {
	body, err := json.Marshal(map[string]string{
		"grant_type": "client_credentials", "client_id": c.creds.ClientID,
		"client_secret": c.creds.ClientSecret, "scope": c.creds.scope(),
	})
	if err != nil {
		return "", 0, err
	}
	// Asking again for a token has no side effect worth avoiding, so a
	// failed request is retried like a read.
	r := request{method: http.MethodPost, path: tokenPath, body: body, auth: authNone, safe: true, sensitive: true}
	resp, err := c.send(ctx, r, b)
	if err != nil {
		return "", 0, fmt.Errorf("obtaining an OAuth access token with %s and %s: %w; check that the client is confidential, "+
			"that its identifier is the client id, and that its creator is an admin", EnvClientID, EnvClientSecret, err)
	}
	var out struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(resp.body, &out); err != nil || out.AccessToken == "" {
		return "", 0, fmt.Errorf("obtaining an OAuth access token: %s answered without an access_token; check the base URL or subdomain", r)
	}
	c.learnSecret(out.AccessToken)
	return out.AccessToken, seconds(out.ExpiresIn), nil
}

// seconds reads expires_in, a number of seconds that some servers send
// as a string; anything else counts as no lifetime (renewed on a 401).
func seconds(raw json.RawMessage) time.Duration {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > int64(365*24*time.Hour/time.Second) {
		return 0
	}
	return time.Duration(n) * time.Second
}

// learnSecret makes a secret obtained at run time redacted from now on
// and hands it to OnSecret, before anything can use it.
func (c *Client) learnSecret(s string) {
	if s == "" {
		return
	}
	c.redact.add(s)
	c.onSecret(s)
}

// zisHeader is the Bearer of the ZIS OAuth token for integration key:
// the one the Client created for it, else ZIS_OAUTH_TOKEN.
func (c *Client) zisHeader(key string) string {
	if t, ok := c.zisTokens.Load(key); ok {
		return "Bearer " + t.(*zisToken).token
	}
	return c.creds.bearerHeader()
}

func (c *Client) hasZISToken(key string) bool {
	_, ok := c.zisTokens.Load(key)
	return ok || c.creds.hasBearer()
}

// refusal explains a 401 or 403 answer to a credential: which one the
// server refused and which to try instead.
func (c *Client) refusal(r request, authz string) string {
	zis := authz != "" && (authz == c.zisHeader(r.integration) || authz == c.creds.bearerHeader())
	switch {
	case authz == "":
		return "the OAuth client was refused: check " + EnvClientID + " (the client's identifier) and " + EnvClientSecret
	case zis:
		return "the ZIS OAuth token was refused here: it must belong to integration " + cmpOr(r.integration, "of the request") +
			"; set " + EnvClientID + " and " + EnvClientSecret + " so that zislint obtains one, or a " + EnvOAuthToken + " of that integration"
	case c.creds.admin() == adminAPIToken:
		return "the API token was refused: check " + EnvEmail + " and " + EnvAPIToken + " (turned off by Zendesk on " + APITokenCutoff +
			"), or set " + EnvClientID + " and " + EnvClientSecret
	case r.auth == authAdminOnly:
		return "the OAuth access token was refused for this endpoint: check that the OAuth client's scope holds write (" + EnvScope +
			") and that its creator is an admin; if this account still accepts only an API token here, set " + EnvEmail + " and " +
			EnvAPIToken + " (which work until " + APITokenCutoff + ")"
	}
	return "the OAuth access token was refused for this endpoint: check the OAuth client's scope (" + EnvScope +
		") and that its creator is an admin, or set " + EnvOAuthToken + " (a ZIS OAuth token of the integration)"
}

// RevokeTimeout bounds revoking a created ZIS OAuth token.
const RevokeTimeout = 30 * time.Second

// zisToken is a ZIS OAuth token the Client created.
type zisToken struct {
	id    int64
	token string
}

// ErrNoOAuthClient is returned by ObtainIntegrationToken when the
// account has no OAuth client zis_<integration>: the integration is not
// registered yet.
var ErrNoOAuthClient = errors.New("no OAuth client of the integration")

// ObtainIntegrationToken gives the Client a ZIS OAuth token of
// integration key, created with the admin credential as the ZIS docs
// describe: the OAuth client whose identifier is zis_<key>, then a token
// of that client with scopes read and write. From then on it is sent
// wherever ZIS_OAUTH_TOKEN would be, for that integration. revoke deletes
// the token; call it when the run ends, whatever way it ends: it has a
// context of its own (RevokeTimeout, not cancelled with ctx), so a run a
// signal stopped still revokes.
//
// Nothing is created when ZIS_OAUTH_TOKEN is set or there is no admin
// credential; revoke is then a no-op, as it is after an error.
func (c *Client) ObtainIntegrationToken(ctx context.Context, key string) (revoke func() error, err error) {
	noop := func() error { return nil }
	if err := checkKey(key); err != nil {
		return noop, err
	}
	if c.creds.hasBearer() || !c.creds.hasAdmin() {
		return noop, nil
	}
	if _, ok := c.zisTokens.Load(key); ok {
		return noop, nil
	}
	b := c.newBudget()
	clientID, err := c.findOAuthClient(ctx, b, "zis_"+key)
	if err != nil {
		return noop, fmt.Errorf("obtaining a ZIS OAuth token for %s: %w", key, err)
	}
	tok, err := c.createOAuthToken(ctx, b, clientID)
	if err != nil {
		return noop, fmt.Errorf("obtaining a ZIS OAuth token for %s: %w", key, err)
	}
	c.zisTokens.Store(key, tok)
	return func() error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RevokeTimeout)
		defer cancel()
		c.zisTokens.Delete(key)
		if err := c.revokeOAuthToken(ctx, tok.id); err != nil {
			return fmt.Errorf("revoking the ZIS OAuth token zislint created for %s (id %d): %w; an admin can delete it in Admin Center", key, tok.id, err)
		}
		return nil
	}, nil
}

// findOAuthClient lists the account's OAuth clients and returns the id
// of the one with the identifier.
func (c *Client) findOAuthClient(ctx context.Context, b *budget, identifier string) (int64, error) {
	var id int64
	found := false
	r := request{method: http.MethodGet, path: "/api/v2/oauth/clients.json", auth: authAdminOnly, safe: true, sensitive: true}
	err := c.paginate(ctx, r, b, true, func(body []byte) (pageMeta, bool, error) {
		var page struct {
			Clients []struct {
				ID         json.Number `json:"id"`
				Identifier string      `json:"identifier"`
			} `json:"clients"`
			Meta pageMeta `json:"meta"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return pageMeta{}, false, err
		}
		for _, cl := range page.Clients {
			if cl.Identifier == identifier {
				n, err := cl.ID.Int64()
				if err != nil {
					return pageMeta{}, false, fmt.Errorf("the id of OAuth client %s is not an integer", identifier)
				}
				id, found = n, true
				return page.Meta, true, nil
			}
		}
		return page.Meta, false, nil
	})
	if err != nil {
		return 0, err
	}
	if !found {
		return 0, fmt.Errorf("%w: the account has no OAuth client %s; register the integration first (zislint deploy does)", ErrNoOAuthClient, identifier)
	}
	return id, nil
}

// createOAuthToken creates a token of OAuth client id. Sending it again
// after a lost answer would leave a token nobody revokes, so it is not
// retried after an uncertain failure.
func (c *Client) createOAuthToken(ctx context.Context, b *budget, clientID int64) (*zisToken, error) {
	body, err := json.Marshal(map[string]any{"token": map[string]any{"client_id": clientID, "scopes": []string{"read", "write"}}})
	if err != nil {
		return nil, err
	}
	r := request{method: http.MethodPost, path: "/api/v2/oauth/tokens.json", body: body, auth: authAdminOnly, sensitive: true}
	resp, err := c.send(ctx, r, b)
	if err != nil {
		var apiErr *APIError
		if !errors.As(err, &apiErr) || classify(apiErr.Status) == uncertain {
			// No answer, or a 5xx: the token may exist, and only an
			// admin can find it now.
			return nil, fmt.Errorf("%w; the token may have been created: an admin can delete it in Admin Center (OAuth clients)", err)
		}
		return nil, err
	}
	var out struct {
		Token struct {
			ID        json.Number `json:"id"`
			FullToken string      `json:"full_token"`
		} `json:"token"`
	}
	if err := json.Unmarshal(resp.body, &out); err != nil || out.Token.FullToken == "" {
		return nil, fmt.Errorf("%s answered without token.full_token", r)
	}
	c.learnSecret(out.Token.FullToken)
	id, err := out.Token.ID.Int64()
	if err != nil {
		return nil, fmt.Errorf("%s answered a token id that is not an integer; an admin should delete the token it created in Admin Center", r)
	}
	return &zisToken{id: id, token: out.Token.FullToken}, nil
}

// revokeOAuthToken deletes a token; one already gone counts as revoked.
func (c *Client) revokeOAuthToken(ctx context.Context, id int64) error {
	r := request{method: http.MethodDelete, path: "/api/v2/oauth/tokens/" + strconv.FormatInt(id, 10) + ".json", auth: authAdminOnly, safe: true}
	_, err := c.send(ctx, r, c.newBudget())
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		return nil
	}
	return err
}
