package zistest

import (
	"encoding/json"
	"maps"
	"slices"
	"sort"
)

// JobSpec is a job spec held by the fake.
type JobSpec struct {
	Name        string // bare name
	UUID        string
	EventSource string
	EventType   string
	FlowName    string
	Description string
	Installed   bool
	// InBundle is false for a job spec that left the bundle but is still
	// installed: it stays listed until uninstalled.
	InBundle bool
}

// Connection is a connection of an integration. Secret (API key,
// password, token or OAuth access token) is kept only so tests can check
// that it never appears anywhere; listings show "*****".
type Connection struct {
	Type          string // ConnAPIKey, ConnBasicAuth, ConnBearerToken or ConnOAuth
	Name          string
	UUID          string // assigned by SeedConnection when empty
	AllowedDomain string
	HeaderName    string // api_key only
	Username      string // basic_auth only
	Secret        string
}

// Integration is the state of one registered integration.
type Integration struct {
	Name          string
	Description   string
	JWTPublicKey  string
	OAuthClientID int64
	Identifier    string // zis_<name>
	Secret        string // the OAuth client secret returned at registration
	Bundle        []byte // the last bundle uploaded, byte for byte; nil if none
	BundleName    string
	JobSpecs      []JobSpec    // sorted by name
	Connections   []Connection // sorted by type, then name
}

// State is a snapshot of the whole registry.
type State struct {
	Integrations []Integration // sorted by name
}

// State returns a deep copy of the registry.
func (s *Server) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{Integrations: []Integration{}}
	for _, key := range slices.Sorted(maps.Keys(s.ints)) {
		st.Integrations = append(st.Integrations, s.snapshotLocked(s.ints[key]))
	}
	return st
}

// Integration returns the state of one integration.
func (s *Server) Integration(key string) (Integration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ig, ok := s.ints[key]
	if !ok {
		return Integration{}, false
	}
	return s.snapshotLocked(ig), true
}

func (s *Server) snapshotLocked(ig *integration) Integration {
	out := Integration{
		Name: ig.name, Description: ig.description, JWTPublicKey: ig.jwt, OAuthClientID: ig.clientID,
		Identifier: "zis_" + ig.name, Secret: ig.secret, BundleName: ig.bundleName,
		JobSpecs: []JobSpec{}, Connections: []Connection{},
	}
	if ig.bundle != nil {
		out.Bundle = append([]byte(nil), ig.bundle...)
	}
	for _, n := range slices.Sorted(maps.Keys(ig.jobSpecs)) {
		out.JobSpecs = append(out.JobSpecs, ig.jobSpecs[n].JobSpec)
	}
	for _, c := range ig.conns {
		out.Connections = append(out.Connections, *c)
	}
	sort.Slice(out.Connections, func(i, j int) bool {
		a, b := out.Connections[i], out.Connections[j]
		if ta, tb := typeIndex(a.Type), typeIndex(b.Type); ta != tb {
			return ta < tb
		}
		return a.Name < b.Name
	})
	return out
}

// Seeding changes the state directly: no calls are recorded and no
// counters move, so tests assert only on what the code under test did.
// Misuse (unknown integration, bad bundle) fails the test.

// SeedIntegration registers key as if it had been registered before the
// test, and returns its state (including the OAuth client secret).
func (s *Server) SeedIntegration(key, description string) Integration {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !keyRE.MatchString(key) {
		s.t.Fatalf("zistest: SeedIntegration(%q): invalid integration key", key)
	}
	if _, ok := s.ints[key]; ok {
		s.t.Fatalf("zistest: SeedIntegration(%q): already registered", key)
	}
	return s.snapshotLocked(s.registerLocked(key, description))
}

// SeedBundle stores bundle as if uploaded, with the upload's effect on
// job specs (see the package comment).
func (s *Server) SeedBundle(key string, bundle []byte) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	ig := s.mustLocked("SeedBundle", key)
	b, msg := parseBundle(bundle)
	if b == nil {
		s.t.Fatalf("zistest: SeedBundle(%q): %s", key, msg)
	}
	s.storeBundleLocked(ig, bundle, b)
}

// SeedJobSpec adds or replaces a job spec. Give InBundle: false and
// Installed: true for a stale install left by an earlier bundle. A
// missing UUID is assigned.
func (s *Server) SeedJobSpec(key string, js JobSpec) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	ig := s.mustLocked("SeedJobSpec", key)
	if js.Name == "" {
		s.t.Fatalf("zistest: SeedJobSpec(%q): empty name", key)
	}
	if js.UUID == "" {
		js.UUID = s.uuidLocked()
	}
	ig.jobSpecs[js.Name] = &jobSpec{js}
}

// SeedInstalled marks existing job specs (bare names) installed.
func (s *Server) SeedInstalled(key string, names ...string) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	ig := s.mustLocked("SeedInstalled", key)
	for _, n := range names {
		js, ok := ig.jobSpecs[n]
		if !ok {
			s.t.Fatalf("zistest: SeedInstalled(%q): no job spec %q", key, n)
		}
		js.Installed = true
	}
}

// SeedConnection adds or replaces (by name, across types) a connection.
func (s *Server) SeedConnection(key string, c Connection) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	ig := s.mustLocked("SeedConnection", key)
	if typeIndex(c.Type) == len(connTypes) {
		s.t.Fatalf("zistest: SeedConnection(%q): unknown type %q", key, c.Type)
	}
	if c.Name == "" {
		s.t.Fatalf("zistest: SeedConnection(%q): empty name", key)
	}
	if c.UUID == "" {
		c.UUID = s.uuidLocked()
	}
	ig.conns[c.Name] = &c
}

func (s *Server) mustLocked(fn, key string) *integration {
	ig, ok := s.ints[key]
	if !ok {
		s.t.Fatalf("zistest: %s(%q): integration not registered", fn, key)
	}
	return ig
}

// SeedConfig stores a config of the integration, as if created earlier.
func (s *Server) SeedConfig(key, scope string, config map[string]any) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	ig := s.mustLocked("SeedConfig", key)
	raw, err := json.Marshal(config)
	if err != nil {
		s.t.Fatalf("zistest: SeedConfig(%q, %q): %v", key, scope, err)
	}
	ig.configs[scope] = raw
}

// Configs returns the integration's configs by scope, as stored.
func (s *Server) Configs(key string) map[string]json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]json.RawMessage{}
	if ig, ok := s.ints[key]; ok {
		for scope, raw := range ig.configs {
			out[scope] = append(json.RawMessage(nil), raw...)
		}
	}
	return out
}
