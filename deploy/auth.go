package deploy

import (
	"encoding/base64"
	"errors"
	"strings"
)

// Environment variables read by CredentialsFromEnv, in the order of
// preference of the admin credential: an OAuth client, then an OAuth
// access token, then an API token. ZIS_OAUTH_TOKEN is the integration's
// own token, used where the admin credential is refused.
const (
	EnvClientID     = "ZENDESK_OAUTH_CLIENT_ID"
	EnvClientSecret = "ZENDESK_OAUTH_CLIENT_SECRET"
	EnvScope        = "ZENDESK_OAUTH_SCOPE"
	EnvAccessToken  = "ZENDESK_OAUTH_TOKEN"
	EnvEmail        = "ZENDESK_EMAIL"
	EnvAPIToken     = "ZENDESK_API_TOKEN"
	EnvOAuthToken   = "ZIS_OAUTH_TOKEN"
)

// DefaultScope is the scope asked of the client credentials grant when
// ZENDESK_OAUTH_SCOPE is empty: registering and uploading write.
const DefaultScope = "read write"

// APITokenCutoff is the day Zendesk turns off every remaining API token
// (none can be created since 2026-10-27).
const APITokenCutoff = "2027-04-30"

// Credentials authenticate the Client. The admin credential is the first
// of: ClientID with ClientSecret (a confidential Zendesk OAuth client;
// the Client obtains access tokens with the client credentials grant),
// AccessToken (a Zendesk OAuth access token obtained elsewhere), Email
// with APIToken (Basic "{email}/token:{token}"). OAuthToken is a ZIS
// OAuth token of the integration, sent as Bearer where no admin
// credential is set or the admin credential is refused.
//
// String and GoString redact the secrets, so printing Credentials, or a
// ClientOptions holding them, never shows a token.
type Credentials struct {
	ClientID     string
	ClientSecret string
	Scope        string // default DefaultScope
	AccessToken  string
	Email        string
	APIToken     string
	OAuthToken   string
}

// adminKind is which admin credential the Client uses.
type adminKind int

const (
	adminNone adminKind = iota
	adminClient
	adminAccessToken
	adminAPIToken
)

// CredentialsFromEnv reads the credential variables (see the Env
// constants). getenv is os.Getenv outside tests. Half of a pair alone is
// an error naming the missing variable; half a pair next to a complete
// credential is ignored.
func CredentialsFromEnv(getenv func(string) string) (Credentials, error) {
	read := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := Credentials{
		ClientID: read(EnvClientID), ClientSecret: read(EnvClientSecret), Scope: read(EnvScope),
		AccessToken: read(EnvAccessToken),
		Email:       read(EnvEmail), APIToken: read(EnvAPIToken),
		OAuthToken: read(EnvOAuthToken),
	}
	if c.admin() != adminNone || c.hasBearer() {
		return c, nil
	}
	for _, pair := range [][2]string{{EnvClientID, EnvClientSecret}, {EnvEmail, EnvAPIToken}} {
		a, b := read(pair[0]), read(pair[1])
		if a != "" && b == "" {
			return Credentials{}, errors.New(pair[0] + " is set but " + pair[1] + " is not; set both")
		}
		if b != "" && a == "" {
			return Credentials{}, errors.New(pair[1] + " is set but " + pair[0] + " is not; set both")
		}
	}
	return Credentials{}, errors.New("no Zendesk credentials: set " + EnvClientID + " and " + EnvClientSecret +
		" (a confidential OAuth client of an admin, client credentials grant), or " + EnvAccessToken +
		" (an admin's OAuth access token), or " + EnvEmail + " and " + EnvAPIToken + " (an API token, turned off on " +
		APITokenCutoff + "); registering and uploading need one of them. " + EnvOAuthToken +
		" alone (a ZIS OAuth token) can only read and install")
}

// admin says which admin credential is set, in the order of preference.
func (c Credentials) admin() adminKind {
	switch {
	case c.ClientID != "" && c.ClientSecret != "":
		return adminClient
	case c.AccessToken != "":
		return adminAccessToken
	case c.Email != "" && c.APIToken != "":
		return adminAPIToken
	}
	return adminNone
}

func (c Credentials) hasBasic() bool  { return c.Email != "" && c.APIToken != "" }
func (c Credentials) hasBearer() bool { return c.OAuthToken != "" }
func (c Credentials) hasAdmin() bool  { return c.admin() != adminNone }

func (c Credentials) scope() string { return cmpOr(c.Scope, DefaultScope) }

// Warnings are said once before a deploy: an API token still works, but
// not for long.
func (c Credentials) Warnings() []string {
	if c.admin() != adminAPIToken {
		return nil
	}
	return []string{"authenticating with " + EnvEmail + " and " + EnvAPIToken + ": Zendesk turns off every API token on " +
		APITokenCutoff + " (and no new one can be created since 2026-10-27); create a confidential OAuth client and set " +
		EnvClientID + " and " + EnvClientSecret + " instead"}
}

// basicHeader is the Authorization value for API-token auth, which
// Zendesk spells as the user "{email}/token" with the token as password.
func (c Credentials) basicHeader() string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(c.Email+"/token:"+c.APIToken))
}

func (c Credentials) bearerHeader() string { return "Bearer " + c.OAuthToken }

// String describes which credentials are set without showing them.
func (c Credentials) String() string {
	var parts []string
	if c.ClientID != "" || c.ClientSecret != "" {
		parts = append(parts, "oauth client")
	}
	if c.AccessToken != "" {
		parts = append(parts, "oauth access token")
	}
	if c.Email != "" || c.APIToken != "" {
		parts = append(parts, "api token for "+c.Email)
	}
	if c.OAuthToken != "" {
		parts = append(parts, "zis oauth token")
	}
	if len(parts) == 0 {
		return "no credentials"
	}
	return strings.Join(parts, " and ") + " (redacted)"
}

// GoString keeps %#v from printing the fields.
func (c Credentials) GoString() string { return "deploy.Credentials{" + c.String() + "}" }

// secrets lists every string derived from the credentials that must not
// appear in a log line or an error. Tokens the Client obtains while it
// runs are added to its redactor as they arrive.
func (c Credentials) secrets() []string {
	var s []string
	if c.hasBasic() {
		plain := []byte(c.Email + "/token:" + c.APIToken)
		s = append(s, c.basicHeader(), string(plain),
			// The base64 forms a server might echo: padded, and without
			// the padding, which is a prefix of the padded one.
			base64.StdEncoding.EncodeToString(plain), base64.RawStdEncoding.EncodeToString(plain),
			base64.URLEncoding.EncodeToString(plain), base64.RawURLEncoding.EncodeToString(plain))
	}
	for _, secret := range []string{c.APIToken, c.ClientSecret, c.AccessToken, c.OAuthToken} {
		if secret != "" {
			s = append(s, "Bearer "+secret, secret)
		}
	}
	return s
}

// authMode says which credentials an endpoint accepts.
type authMode int

const (
	// authAdmin: the admin credential when set, else the ZIS OAuth token
	// (job specs, connections, listing integrations).
	authAdmin authMode = iota
	// authAdminOnly: registering an integration and uploading a bundle,
	// which no ZIS OAuth token may do.
	authAdminOnly
	// authNone: the OAuth token endpoint, which reads the client's
	// credentials from the body.
	authNone
	// authZIS: the integration's ZIS OAuth token when the Client has
	// one, else the admin credential (creating connections, configs,
	// which the docs authenticate with the ZIS OAuth token).
	authZIS
)

// The earlier names of the modes, kept so that code written against
// them still reads.
const (
	authPreferBasic = authAdmin
	authBasicOnly   = authAdminOnly
)
