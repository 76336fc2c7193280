// Package deploy renders a bundle for an environment, plans the changes
// that bring a Zendesk account to it (register the integration, upload
// the bundle, install its job specs, uninstall those that left it) and
// applies the plan. The Client is the only code that speaks HTTP.
package deploy

import (
	"context"
	"errors"
)

// API is what a deploy needs from the ZIS registry. Client implements it
// over HTTP; tests may use the fake registry in package zistest through
// a Client pointed at it.
type API interface {
	// IntegrationExists reports whether the integration key is registered
	// in the account.
	IntegrationExists(ctx context.Context, key string) (bool, error)
	// RegisterIntegration registers key. When it is already registered
	// (HTTP 409) it returns ErrExists and a nil Registration.
	RegisterIntegration(ctx context.Context, key, description string) (*Registration, error)
	// UploadBundle creates or updates the bundle (the upload is an upsert).
	UploadBundle(ctx context.Context, key string, bundle []byte) error
	// ListBundles returns every bundle of the integration, all pages, in
	// the registry's order.
	ListBundles(ctx context.Context, key string) ([]BundleInfo, error)
	// ShowBundle returns the bundle with that uuid as the registry holds
	// it: JSON, untrusted, at most maxBody bytes.
	ShowBundle(ctx context.Context, key, uuid string) ([]byte, error)
	// ListJobSpecs returns every job spec of the integration, all pages.
	ListJobSpecs(ctx context.Context, key string) ([]JobSpec, error)
	// InstallJobSpec installs zis:<key>:job_spec:<name>. A name of
	// another integration is refused (*ForeignJobSpecError).
	InstallJobSpec(ctx context.Context, key, name string) error
	// UninstallJobSpec uninstalls zis:<key>:job_spec:<name>, refusing a
	// name of another integration as InstallJobSpec does.
	UninstallJobSpec(ctx context.Context, key, name string) error
	// ListConnections returns every connection of the integration, of all
	// types, all pages.
	ListConnections(ctx context.Context, key string) ([]Connection, error)
	// CreateConnection creates a declared connection with its secret;
	// one of that name that exists already returns ErrConnectionExists.
	CreateConnection(ctx context.Context, key string, d DeclaredConnection) error
	// GetConfig returns the config of scope, and whether there is one.
	GetConfig(ctx context.Context, key, scope string) (map[string]any, bool, error)
	// CreateConfig stores a config under a new scope; a scope that has
	// one returns ErrConfigExists.
	CreateConfig(ctx context.Context, key, scope string, config map[string]any) error
	// ReplaceConfig replaces the config of scope.
	ReplaceConfig(ctx context.Context, key, scope string, config map[string]any) error
}

// ErrExists is returned by RegisterIntegration for a key that is
// already registered; a deploy treats it as success.
var ErrExists = errors.New("integration already registered")

// Registration is the answer to registering an integration. Secret is
// the OAuth client secret: it must never be printed or logged.
type Registration struct {
	Description   string `json:"description"`
	JWTPublicKey  string `json:"jwt_public_key"`
	OAuthClientID int64  `json:"oauth_client_id"`
	Identifier    string `json:"identifier"` // zis_<integration>
	Secret        string `json:"secret"`
}

// JobSpec is a job spec as the registry lists it. Name is the bare name
// (the part after zis:<key>:job_spec:) when the API returns the listed
// integration's qualified form, else the name as returned. Integration
// is the key the registry gives it, when it gives one. A plan checks
// both before it acts on the job spec.
type JobSpec struct {
	Name        string `json:"name"`
	Integration string `json:"integration,omitempty"`
	UUID        string `json:"uuid,omitempty"`
	EventSource string `json:"event_source"`
	EventType   string `json:"event_type"`
	FlowName    string `json:"flow_name"`
	Installed   bool   `json:"installed"`
}

// BundleInfo is a bundle as the registry lists it.
type BundleInfo struct {
	UUID        string `json:"uuid"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Connection is a connection of the integration.
type Connection struct {
	Name          string `json:"name"`
	Type          string `json:"type"` // api_key, basic_auth, bearer_token or oauth
	AllowedDomain string `json:"allowed_domain,omitempty"`
}
