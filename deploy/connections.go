package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Connection types, as ZIS names them.
const (
	ConnAPIKey      = "api_key"
	ConnBasicAuth   = "basic_auth"
	ConnBearerToken = "bearer_token"
	ConnOAuth       = "oauth"
)

// DeclaredConnection is a connection zislint.yaml declares for the
// integration. The plan checks the account's connection of that name
// against it and, when it is missing, creates it from the secrets (when
// they were given) or leaves it to an admin (OAuth).
type DeclaredConnection struct {
	Name          string
	Type          string
	AllowedDomain string
	HeaderName    string // api_key only
	// From names the environment variables the secrets came from, for
	// the plan: "SHOP_KEY", "ERP_USER and ERP_PASS".
	From     string
	Username string // basic_auth
	// Secret is the API key, the bearer token or the password. It is
	// never printed; String leaves it out.
	Secret string
	// Unset says the variables were not set where the plan was made (a
	// pull request's plan has no secrets): the plan still shows the
	// creation, and a deploy refuses to start without them.
	Unset bool
}

// String describes the connection without its secrets, so printing one
// by mistake (%v of a Target) leaks nothing.
func (d DeclaredConnection) String() string {
	return fmt.Sprintf("connection %s (%s, allowed domain %s)", d.Name, d.Type, d.AllowedDomain)
}

// GoString is String, for %#v.
func (d DeclaredConnection) GoString() string { return d.String() }

// creatable reports whether deploy can create the connection: its type
// takes a secret and the secret was read.
func (d DeclaredConnection) creatable() bool {
	return (d.Secret != "" || d.Unset) && d.Type != ConnOAuth
}

// ErrConnectionExists is returned by CreateConnection when the
// integration already has a connection of that name.
var ErrConnectionExists = errors.New("a connection of that name already exists")

// Step kinds of connections.
const (
	StepCreateConnection = "create_connection"
	// StepAdminConnection is a connection only an admin can create (an
	// OAuth connection, which takes signing in to the provider); Apply
	// does not run it.
	StepAdminConnection = "admin_connection"
)

// StatusForAdmin is the status of a step left to an admin.
const StatusForAdmin = "left for an admin"

// planConnections checks the declared connections against the account's
// (have; nil for an integration not registered) and adds a step for each
// declared one missing. It returns false when a connection of the
// account cannot become the declared one, which blocks the plan.
func (p *Plan) planConnections(have []Connection) bool {
	byName := map[string]Connection{}
	for _, c := range have {
		byName[c.Name] = c
	}
	var conflicts []string
	for _, d := range p.target.Declared {
		c, exists := byName[d.Name]
		switch {
		case exists:
			if why := conflict(d, c); why != "" {
				conflicts = append(conflicts, why)
			}
		case d.creatable():
			p.Steps = append(p.Steps, Step{Action: StepCreateConnection, Connection: d.Name, Reason: createReason(d)})
		case d.Type == ConnOAuth:
			p.Steps = append(p.Steps, Step{Action: StepAdminConnection, Connection: d.Name, Reason: adminHow(p.Integration, d)})
		}
	}
	if len(conflicts) > 0 {
		p.Steps = []Step{}
		p.ConflictingConnections = conflicts
		p.Blocked = strings.Join(conflicts, "; ") + "; ZIS does not let a connection's type or allowed domain change: an admin deletes the connection (Admin Center › Apps and integrations › Integrations › ZIS connections), or zislint.yaml declares what the account has, then deploy again"
		return false
	}
	return true
}

// conflict says how the account's connection c differs from the
// declared d in what ZIS cannot change, or "". The declared type or
// domain left empty matches anything.
func conflict(d DeclaredConnection, c Connection) string {
	var diffs []string
	if d.Type != "" && d.Type != c.Type {
		diffs = append(diffs, fmt.Sprintf("its type is %s, not %s", c.Type, d.Type))
	}
	if d.AllowedDomain != "" && !strings.EqualFold(d.AllowedDomain, c.AllowedDomain) {
		diffs = append(diffs, fmt.Sprintf("its allowed domain is %q, not %q", cut(c.AllowedDomain, maxName), d.AllowedDomain))
	}
	if len(diffs) == 0 {
		return ""
	}
	return "connection " + d.Name + " exists, but " + strings.Join(diffs, " and ")
}

func createReason(d DeclaredConnection) string {
	reason := fmt.Sprintf("%s to %s, secret from %s", d.Type, d.AllowedDomain, d.From)
	if d.Unset {
		reason += ", not set here: the deploy needs it"
	}
	return reason
}

// adminHow says how an admin creates an OAuth connection: it takes an
// OAuth client and a sign-in that no deploy can do unattended.
func adminHow(key string, d DeclaredConnection) string {
	return fmt.Sprintf("an OAuth connection needs an admin to sign in: create the OAuth client (POST /api/services/zis/connections/oauth/clients/%s), "+
		"start the flow with name %s (POST /api/services/zis/connections/oauth/start/%s) and open the redirect_url it returns as an admin, "+
		"or use the integration's own setup page; then deploy again", key, d.Name, key)
}

// usedNotCreated lists the connections the bundle uses that the account
// does not have (have) and that the plan does not create.
func (p *Plan) usedNotCreated(have []Connection) []string {
	created := map[string]bool{}
	for _, s := range p.Steps {
		if s.Action == StepCreateConnection {
			created[s.Connection] = true
		}
	}
	var out []string
	for _, name := range missingConnections(p.target.Connections, have) {
		if !created[name] {
			out = append(out, name)
		}
	}
	return out
}

// declared returns the declared connection of that name.
func (t *Target) declared(name string) (DeclaredConnection, bool) {
	for _, d := range t.Declared {
		if d.Name == name {
			return d, true
		}
	}
	return DeclaredConnection{}, false
}

// connectionBody is the documented create body of d's type.
func connectionBody(d DeclaredConnection) (map[string]string, error) {
	if d.Secret == "" {
		return nil, fmt.Errorf("connection %s: %s is not set; set it before deploying", d.Name, d.From)
	}
	body := map[string]string{"name": d.Name, "allowed_domain": d.AllowedDomain}
	switch d.Type {
	case ConnAPIKey:
		body["header_name"], body["api_key"] = d.HeaderName, d.Secret
	case ConnBasicAuth:
		body["username"], body["password"] = d.Username, d.Secret
	case ConnBearerToken:
		body["token"] = d.Secret
	default:
		return nil, fmt.Errorf("connection %s: type %q cannot be created by a deploy", d.Name, d.Type)
	}
	return body, nil
}

// CreateConnection creates the connection d with its secret. It is sent
// with the integration's ZIS OAuth token, which the docs name for the
// connections API. When the answer is lost, the connections are listed
// before sending again, so a connection is never created twice; one
// that exists already returns ErrConnectionExists.
func (c *Client) CreateConnection(ctx context.Context, key string, d DeclaredConnection) error {
	if err := checkKey(key); err != nil {
		return err
	}
	fields, err := connectionBody(d)
	if err != nil {
		return err
	}
	// Known before anything is sent, so no answer or log can show them.
	c.redact.add(d.Secret)
	c.redact.add(d.Username)
	body, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	r := request{
		method: http.MethodPost, path: "/api/services/zis/integrations/" + url.PathEscape(key) + "/connections/" + d.Type,
		body: body, auth: authZIS, sensitive: true, integration: key,
		uncertain: func(ctx context.Context, b *budget, cause error) error {
			if exists, err := c.connectionExists(ctx, key, d.Name); err != nil {
				return fmt.Errorf("creating connection %s: it is unknown whether it was created (%v), and checking failed: %w", d.Name, cause, err)
			} else if exists {
				return fmt.Errorf("creating connection %s: %w (the answer was lost)", d.Name, ErrConnectionExists)
			}
			return nil
		},
	}
	_, err = c.send(ctx, r, c.newBudget())
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict {
		return fmt.Errorf("creating connection %s: %w", d.Name, ErrConnectionExists)
	}
	if err != nil {
		return fmt.Errorf("creating connection %s: %w", d.Name, err)
	}
	return nil
}

func (c *Client) connectionExists(ctx context.Context, key, name string) (bool, error) {
	have, err := c.ListConnections(ctx, key)
	if err != nil {
		return false, err
	}
	for _, x := range have {
		if x.Name == name {
			return true, nil
		}
	}
	return false, nil
}
