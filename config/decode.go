package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zislint/zislint/internal/lazyre"
	"github.com/zislint/zislint/internal/repofs"
)

// decoder walks the YAML node tree by hand so that every unknown key and
// bad value is reported with its own line and column.
type decoder struct {
	file string
	errs []error
}

func (d *decoder) errorf(p Pos, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Pos: p, Msg: fmt.Sprintf(format, args...)})
}

func pos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

// mapping calls fn for each key/value pair of n after checking that n is
// a mapping and each key is one of allowed. what names n in messages.
func (d *decoder) mapping(n *yaml.Node, what string, allowed map[string]bool, fn func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.errorf(pos(n), "%s must be a mapping of keys to values", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !allowed[k.Value]:
			d.errorf(pos(k), "unknown key %q in %s; known keys are: %s", k.Value, what, knownKeys(allowed))
		case seen[k.Value]:
			d.errorf(pos(k), "key %q appears twice in %s", k.Value, what)
		default:
			seen[k.Value] = true
			fn(k.Value, k, v)
		}
	}
}

func (d *decoder) sequence(n *yaml.Node, what string, fn func(item *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(pos(n), "%s must be a list", what)
		return
	}
	for _, item := range n.Content {
		fn(item)
	}
}

func (d *decoder) scalar(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(pos(n), "%s must be a string", what)
		return ""
	}
	return n.Value
}

var topKeys = map[string]bool{"integrations": true, "rules": true, "ignore": true, "environments": true, "exclude": true}

func (d *decoder) config(n *yaml.Node, c *Config) {
	d.mapping(n, "the config", topKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "integrations":
			d.sequence(v, "integrations", func(item *yaml.Node) {
				c.Integrations = append(c.Integrations, d.integration(item))
			})
		case "rules":
			d.rules(v, c)
		case "environments":
			d.environments(v, c)
		case "exclude":
			d.excludes(v, c)
		case "ignore":
			d.sequence(v, "ignore", func(item *yaml.Node) {
				c.Ignores = append(c.Ignores, d.ignore(item))
			})
		}
	})
}

var ignoreKeys = map[string]bool{"path": true, "rules": true, "pointer": true}

func (d *decoder) ignore(n *yaml.Node) *Ignore {
	ig := &Ignore{Pos: pos(n)}
	d.mapping(n, "an ignore entry", ignoreKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "path":
			ig.Path = d.scalar(v, "ignore path")
			if _, err := filepath.Match(ig.Path, ""); err != nil {
				d.errorf(pos(v), "ignore path %q is not a valid glob: %v", ig.Path, err)
			}
		case "rules":
			if v.Kind == yaml.ScalarNode {
				ig.Rules = []string{v.Value}
				return
			}
			d.sequence(v, "ignore rules", func(item *yaml.Node) {
				ig.Rules = append(ig.Rules, d.scalar(item, "rule id or name"))
			})
		case "pointer":
			ig.Pointer = d.scalar(v, "ignore pointer")
			if ig.Pointer != "" && !strings.HasPrefix(ig.Pointer, "/") {
				d.errorf(pos(v), "ignore pointer %q must be a JSON pointer starting with '/', e.g. /resources/MyFlow", ig.Pointer)
			}
		}
	})
	if ig.Path == "" {
		d.errorf(ig.Pos, "ignore entry has no \"path:\"; set the bundle file or glob it applies to, relative to this file")
	}
	return ig
}

var integrationKeys = map[string]bool{"key": true, "bundle": true, "connections": true, "tests": true}

func (d *decoder) integration(n *yaml.Node) *Integration {
	in := &Integration{Pos: pos(n)}
	d.mapping(n, "an integration", integrationKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "key":
			in.Key = d.scalar(v, "integration key")
			if msg := validKey(in.Key); msg != "" && in.Key != "" {
				d.errorf(pos(v), "%s", msg)
			}
		case "bundle":
			in.Bundle = d.scalar(v, "bundle")
			in.BundlePos = pos(v)
			d.insideRepository(v, "bundle", in.Bundle)
		case "tests":
			in.Tests = d.scalar(v, "tests")
			d.insideRepository(v, "tests", in.Tests)
			if in.Tests == "" && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				d.errorf(pos(v), "tests must name a folder of simulator fixtures, relative to this file")
			}
		case "connections":
			d.sequence(v, "connections", func(item *yaml.Node) {
				in.Connections = append(in.Connections, d.connection(item))
			})
		}
	})
	if in.Key == "" {
		d.errorf(in.Pos, "integration has no \"key:\"; set it to the integration key registered with ZIS")
	}
	return in
}

// insideRepository reports a path (or glob) that leads out of the
// repository holding the config file: zislint would read, and test
// -update write, whatever it names, and a pull request must not point
// that at /etc/passwd.
func (d *decoder) insideRepository(n *yaml.Node, what, value string) {
	if value == "" {
		return
	}
	target := filepath.Join(filepath.Dir(d.file), value)
	if filepath.IsAbs(value) {
		target = filepath.Clean(value)
	}
	root, ok, err := repofs.Inside(d.file, target)
	switch {
	case err != nil:
		d.errorf(pos(n), "%s %q: %v", what, value, err)
	case !ok:
		d.errorf(pos(n), "%s %q leads outside the repository %s; name a path inside it, relative to this file", what, value, root)
	}
}

var connectionKeys = map[string]bool{
	"name": true, "type": true, "allowed_domain": true, "header_name": true,
	"secret_env": true, "username_env": true, "password_env": true,
}

// envNameRE is a portable environment variable name.
var envNameRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (d *decoder) connection(n *yaml.Node) *Connection {
	c := &Connection{Pos: pos(n)}
	d.mapping(n, "a connection", connectionKeys, func(key string, _, v *yaml.Node) {
		val := d.scalar(v, "connection "+key)
		switch key {
		case "name":
			c.Name = val
		case "type":
			c.Type = val
		case "allowed_domain":
			c.AllowedDomain = val
		case "header_name":
			c.HeaderName = val
		case "secret_env":
			c.SecretEnv = d.envName(v, key, val)
		case "username_env":
			c.UsernameEnv = d.envName(v, key, val)
		case "password_env":
			c.PasswordEnv = d.envName(v, key, val)
		}
	})
	if c.Name == "" {
		d.errorf(c.Pos, "connection has no \"name:\"")
	}
	if c.Creatable() {
		d.checkCreatable(c)
	}
	return c
}

// envName checks a *_env value. Its text is not quoted back: someone who
// wrote the secret there by mistake must not see it in a CI log.
func (d *decoder) envName(n *yaml.Node, key, val string) string {
	if !envNameRE().MatchString(val) {
		d.errorf(pos(n), "%s must name an environment variable (letters, digits and _, not starting with a digit), never hold the secret itself", key)
	}
	return val
}

// checkCreatable checks that a connection deploy is to create names the
// secrets its type needs, and the fields ZIS requires to create it.
func (d *decoder) checkCreatable(c *Connection) {
	switch c.Type {
	case ConnAPIKey, ConnBearerToken:
		if c.SecretEnv == "" || c.UsernameEnv != "" || c.PasswordEnv != "" {
			d.errorf(c.Pos, "connection %s (%s) takes its secret from \"secret_env:\" alone (the variable holding the %s)", c.Name, c.Type, secretWord(c.Type))
		}
		if c.Type == ConnAPIKey && c.HeaderName == "" {
			d.errorf(c.Pos, "connection %s (api_key) needs \"header_name:\", the HTTP header that carries the key (e.g. X-Api-Key)", c.Name)
		}
	case ConnBasicAuth:
		if c.UsernameEnv == "" || c.PasswordEnv == "" || c.SecretEnv != "" {
			d.errorf(c.Pos, "connection %s (basic_auth) takes its credentials from \"username_env:\" and \"password_env:\" together", c.Name)
		}
	case ConnOAuth:
		d.errorf(c.Pos, "connection %s is an OAuth connection: an admin creates it by signing in, so it takes no secret_env, username_env or password_env", c.Name)
	default:
		d.errorf(c.Pos, "connection %s: a connection deploy creates needs \"type:\" api_key, basic_auth or bearer_token (got %q)", c.Name, c.Type)
	}
	if c.AllowedDomain == "" {
		d.errorf(c.Pos, "connection %s needs \"allowed_domain:\", the only domain ZIS will send its secret to (e.g. api.example.com)", c.Name)
	}
}

func secretWord(typ string) string {
	if typ == ConnAPIKey {
		return "API key"
	}
	return "bearer token"
}

func (d *decoder) rules(n *yaml.Node, c *Config) {
	if n.Kind != yaml.MappingNode {
		d.errorf(pos(n), "rules must be a mapping of rule id or name to severity (off, info, warning, error)")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		sev, err := ParseSeverity(v.Value)
		if err != nil || v.Kind != yaml.ScalarNode {
			d.errorf(pos(v), "rule %s: severity %q is not one of off, info, warning, error", k.Value, v.Value)
			continue
		}
		c.Rules = append(c.Rules, RuleSetting{Rule: k.Value, Severity: sev, Pos: pos(k)})
	}
}

var yamlLineRE = lazyre.New(`^yaml: line (\d+): `)

// yamlErrLine extracts the line from a yaml.v3 syntax error.
func yamlErrLine(err error) int {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

func yamlErrMsg(err error) string {
	return strings.TrimPrefix(yamlLineRE().ReplaceAllString(err.Error(), ""), "yaml: ")
}
