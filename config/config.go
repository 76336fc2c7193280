// Package config reads zislint.yaml: the integrations of a repository,
// their bundles and connections, and rule severity overrides. Every
// problem is reported with the file, line and column it comes from.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/repofs"
)

// FileName is the configuration file zislint looks for.
const FileName = "zislint.yaml"

// Config is a parsed zislint.yaml.
type Config struct {
	Path         string // the file it was read from
	Dir          string // its directory; bundle paths are relative to it
	Integrations []*Integration
	Rules        []RuleSetting // in file order
	Ignores      []*Ignore
	Environments map[string]*Environment
	// Excludes are the "exclude:" patterns: what folder walks skip.
	Excludes []Exclude
}

// Ignore suppresses findings: those in bundles matching Path, of Rules
// (all when empty), inside the value at Pointer (the whole file when "").
type Ignore struct {
	Path    string   // glob relative to Config.Dir
	Rules   []string // rule ids or names
	Pointer string   // JSON pointer into the bundle
	Pos     Pos
}

// Matches reports whether the entry covers the bundle file at path.
func (c *Config) Matches(ig *Ignore, path string) bool {
	rel, err := relPath(c.Dir, path)
	if err != nil {
		return false
	}
	ok, _ := filepath.Match(filepath.ToSlash(filepath.Clean(ig.Path)), rel)
	return ok
}

// Integration is one entry of "integrations".
type Integration struct {
	Key         string
	Bundle      string // path or glob relative to Config.Dir; "" matches every bundle
	Connections []*Connection
	// Tests is the folder of the integration's simulator fixtures,
	// relative to Config.Dir; "" means the tests folder beside each
	// bundle.
	Tests string
	Pos   Pos // of the entry
	// BundlePos is where the bundle: value is written, for messages.
	BundlePos Pos
}

// Connection is a connection the integration's actions may use.
type Connection struct {
	Name          string
	Type          string
	AllowedDomain string
	HeaderName    string
	// SecretEnv names the environment variable holding the API key
	// (api_key) or the token (bearer_token); UsernameEnv and PasswordEnv
	// those of a basic_auth connection. When set, deploy creates the
	// connection if the account lacks it. The config never holds the
	// secret itself, so a repository cannot leak it.
	SecretEnv   string
	UsernameEnv string
	PasswordEnv string
	Pos         Pos
}

// Connection types, as ZIS names them.
const (
	ConnAPIKey      = "api_key"
	ConnBasicAuth   = "basic_auth"
	ConnBearerToken = "bearer_token"
	ConnOAuth       = "oauth"
)

// Creatable reports whether deploy can create the connection unattended:
// it names where its secret comes from.
func (c *Connection) Creatable() bool {
	return c.SecretEnv != "" || c.UsernameEnv != "" || c.PasswordEnv != ""
}

// RuleSetting overrides the severity of one rule, named by id or name.
type RuleSetting struct {
	Rule     string
	Severity Severity
	Pos      Pos
}

// Pos is a 1-based position in the config file.
type Pos struct{ Line, Col int }

// Error is a problem in a config file.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Load reads and parses the config file at path and checks that each
// bundle: names a file. All problems are returned together, joined, each
// an *Error.
func Load(path string) (*Config, error) {
	src, err := repofs.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := Parse(path, src)
	if err != nil {
		return nil, err
	}
	if err := c.CheckBundles(); err != nil {
		return nil, err
	}
	return c, nil
}

// Parse parses src, read from path.
func Parse(path string, src []byte) (*Config, error) {
	c := &Config{Path: path, Dir: filepath.Dir(path)}
	d := &decoder{file: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, &Error{File: path, Pos: Pos{yamlErrLine(err), 1}, Msg: "invalid YAML: " + yamlErrMsg(err)}
	}
	if len(doc.Content) == 0 {
		return c, nil // an empty file is an empty config
	}
	d.config(doc.Content[0], c)
	d.checkIntegrations(c)
	d.checkEnvironments(c)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return c, nil
}

// Find returns the config file that applies to path: the nearest
// zislint.yaml in its directory or any parent up to the top of its git
// work tree (a config above the repository is not the repository's). It
// returns "" when none exists. Given a relative path, it returns one
// relative to the working directory, as the bundle paths in findings are,
// so that editors and GitHub annotations can open the file.
func Find(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	dir := abs
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		dir = filepath.Dir(abs)
	}
	for {
		candidate := filepath.Join(dir, FileName)
		if _, err := os.Lstat(candidate); err == nil {
			// A link is found, and refused when read if it leads outside.
			return likeInput(path, candidate), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir || repofs.IsRepoTop(dir) {
			return "", nil
		}
		dir = parent
	}
}

// likeInput returns found, an absolute path, relative to the working
// directory when input was relative.
func likeInput(input, found string) string {
	if filepath.IsAbs(input) {
		return found
	}
	wd, err := os.Getwd()
	if err != nil {
		return found
	}
	if rel, err := filepath.Rel(wd, found); err == nil {
		return rel
	}
	return found
}

// IntegrationFor returns the integration whose bundle pattern matches the
// bundle file at path, or nil.
func (c *Config) IntegrationFor(path string) *Integration {
	if c == nil {
		return nil
	}
	rel, err := relPath(c.Dir, path)
	if err != nil {
		return nil
	}
	for _, in := range c.Integrations {
		if in.Bundle == "" {
			return in
		}
		if ok, _ := filepath.Match(filepath.ToSlash(filepath.Clean(in.Bundle)), rel); ok {
			return in
		}
	}
	return nil
}

// TestsDir returns the fixture folder configured for in, resolved
// against the config file's folder, or "" when in sets none (the caller
// then uses the tests folder beside the bundle).
func (c *Config) TestsDir(in *Integration) string {
	if c == nil || in == nil || in.Tests == "" {
		return ""
	}
	if filepath.IsAbs(in.Tests) {
		return filepath.Clean(in.Tests)
	}
	return filepath.Join(c.Dir, in.Tests)
}

func relPath(dir, path string) (string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	absPath, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absDir, absPath)
	return filepath.ToSlash(rel), err
}

// checkIntegrations reports what can only be seen across entries.
func (d *decoder) checkIntegrations(c *Config) {
	seen := map[string]bool{}
	for _, in := range c.Integrations {
		if in.Bundle == "" && len(c.Integrations) > 1 {
			d.errorf(in.Pos, "integration %q needs \"bundle:\" (the bundle file or glob it applies to) when there are several integrations", in.Key)
		}
		if seen[in.Key] && in.Key != "" {
			d.errorf(in.Pos, "integration %q is declared twice", in.Key)
		}
		seen[in.Key] = true
	}
}

func knownKeys(fields map[string]bool) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func validKey(key string) string { return bundle.KeyProblem(key) }
