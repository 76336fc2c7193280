package deploy

import (
	"encoding/base64"
	"errors"
	"strings"
)

// Environment variables read by CredentialsFromEnv.
const (
	EnvEmail      = "ZENDESK_EMAIL"
	EnvAPIToken   = "ZENDESK_API_TOKEN"
	EnvOAuthToken = "ZIS_OAUTH_TOKEN"
)

// Credentials authenticate the Client. Email with APIToken make the
// Basic credential ("{email}/token:{token}"); OAuthToken is a ZIS OAuth
// access token sent as Bearer. Either or both may be set.
//
// String and GoString redact the secrets, so printing Credentials, or a
// ClientOptions holding them, never shows a token.
type Credentials struct {
	Email      string
	APIToken   string
	OAuthToken string
}

// CredentialsFromEnv reads ZENDESK_EMAIL and ZENDESK_API_TOKEN (Basic
// auth with an API token) and ZIS_OAUTH_TOKEN (Bearer). getenv is
// os.Getenv outside tests.
func CredentialsFromEnv(getenv func(string) string) (Credentials, error) {
	c := Credentials{
		Email:      strings.TrimSpace(getenv(EnvEmail)),
		APIToken:   strings.TrimSpace(getenv(EnvAPIToken)),
		OAuthToken: strings.TrimSpace(getenv(EnvOAuthToken)),
	}
	if c.hasBasic() || c.hasBearer() {
		// Half a Basic credential next to an OAuth token is ignored: the
		// calls that need Basic say which variables to set.
		return c, nil
	}
	// Half a Basic credential alone is a mistake worth naming precisely.
	switch {
	case c.Email != "":
		return Credentials{}, errors.New(EnvEmail + " is set but " + EnvAPIToken + " is not; set both for API-token authentication")
	case c.APIToken != "":
		return Credentials{}, errors.New(EnvAPIToken + " is set but " + EnvEmail + " is not; set both for API-token authentication")
	}
	return Credentials{}, errors.New("no Zendesk credentials: set " + EnvEmail + " and " + EnvAPIToken +
		" (an admin's API token; registering and uploading need it), and/or " + EnvOAuthToken + " (a ZIS OAuth token)")
}

func (c Credentials) hasBasic() bool  { return c.Email != "" && c.APIToken != "" }
func (c Credentials) hasBearer() bool { return c.OAuthToken != "" }

// basicHeader is the Authorization value for API-token auth, which
// Zendesk spells as the user "{email}/token" with the token as password.
func (c Credentials) basicHeader() string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(c.Email+"/token:"+c.APIToken))
}

func (c Credentials) bearerHeader() string { return "Bearer " + c.OAuthToken }

// String describes which credentials are set without showing them.
func (c Credentials) String() string {
	var parts []string
	if c.Email != "" || c.APIToken != "" {
		parts = append(parts, "api token for "+c.Email)
	}
	if c.OAuthToken != "" {
		parts = append(parts, "oauth token")
	}
	if len(parts) == 0 {
		return "no credentials"
	}
	return strings.Join(parts, " and ") + " (redacted)"
}

// GoString keeps %#v from printing the fields.
func (c Credentials) GoString() string { return "deploy.Credentials{" + c.String() + "}" }

// secrets lists every string derived from the credentials that must not
// appear in a log line or an error.
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
	if c.APIToken != "" {
		s = append(s, c.APIToken)
	}
	if c.OAuthToken != "" {
		s = append(s, c.bearerHeader(), c.OAuthToken)
	}
	return s
}

// authMode says which credentials an endpoint accepts.
type authMode int

const (
	// authPreferBasic: Basic when available, else Bearer (job specs,
	// connections, listing integrations).
	authPreferBasic authMode = iota
	// authBasicOnly: the docs allow only basic auth or an API token to
	// register an integration and upload a bundle; OAuth gets a 401.
	authBasicOnly
)
