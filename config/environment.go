package config

import (
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/zislint/zislint/internal/ident"
	"github.com/zislint/zislint/internal/lazyre"
)

// Environment is a Zendesk account to deploy to. ZIS integration keys are
// global, so each environment may deploy an integration under a key of
// its own (a development key in the test account), with variables for
// the values that differ between accounts.
type Environment struct {
	Name         string
	Subdomain    string
	Integrations map[string]*EnvIntegration // by the integration's key in the config
	Pos          Pos
}

// EnvIntegration is how one integration is deployed in an environment.
type EnvIntegration struct {
	Key  string            // the key to deploy under; "" keeps the config's key
	Vars map[string]string // values for {{name}} placeholders
	// Configs are the integration's configs in this environment, in
	// file order.
	Configs []ZISConfig
	Pos     Pos
}

// KeyFor returns the key integration in is deployed under in env.
func (env *Environment) KeyFor(in *Integration) string {
	if ei := env.Integrations[in.Key]; ei != nil && ei.Key != "" {
		return ei.Key
	}
	return in.Key
}

// ConfigsFor returns the configs of integration in in env.
func (env *Environment) ConfigsFor(in *Integration) []ZISConfig {
	if ei := env.Integrations[in.Key]; ei != nil {
		return ei.Configs
	}
	return nil
}

// VarsFor returns the variables of integration in in env.
func (env *Environment) VarsFor(in *Integration) map[string]string {
	if ei := env.Integrations[in.Key]; ei != nil {
		return ei.Vars
	}
	return nil
}

// Environment returns the environment called name, or an error that lists
// the ones there are.
func (c *Config) Environment(name string) (*Environment, error) {
	if env := c.Environments[name]; env != nil {
		return env, nil
	}
	names := make([]string, 0, len(c.Environments))
	for n := range c.Environments {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("%s has no environments; add an \"environments:\" section with %q in it", c.Path, name)
	}
	return nil, fmt.Errorf("%s has no environment %q; its environments are %v", c.Path, name, names)
}

var (
	envKeys        = map[string]bool{"subdomain": true, "integrations": true}
	envIntegKeys   = map[string]bool{"key": true, "vars": true, "configs": true}
	variableNameRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
)

func (d *decoder) environments(n *yaml.Node, c *Config) {
	if n.Kind != yaml.MappingNode {
		d.errorf(pos(n), "environments must be a mapping of environment name to its settings")
		return
	}
	c.Environments = map[string]*Environment{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		env := &Environment{Name: k.Value, Integrations: map[string]*EnvIntegration{}, Pos: pos(k)}
		d.mapping(v, "environment "+k.Value, envKeys, func(key string, _, val *yaml.Node) {
			switch key {
			case "subdomain":
				env.Subdomain = d.scalar(val, "subdomain")
				if !ident.Label(env.Subdomain, false) {
					d.errorf(pos(val), "subdomain %q is not a Zendesk subdomain; write the part before .zendesk.com, e.g. acme", env.Subdomain)
				}
			case "integrations":
				d.envIntegrations(val, env)
			}
		})
		c.Environments[env.Name] = env
	}
}

func (d *decoder) envIntegrations(n *yaml.Node, env *Environment) {
	if n.Kind != yaml.MappingNode {
		d.errorf(pos(n), "integrations of environment %s must map integration keys to {key, vars}", env.Name)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ei := &EnvIntegration{Pos: pos(k)}
		var configs *yaml.Node
		d.mapping(v, "integration "+k.Value+" of environment "+env.Name, envIntegKeys, func(key string, _, val *yaml.Node) {
			switch key {
			case "key":
				ei.Key = d.scalar(val, "key")
				if msg := validKey(ei.Key); msg != "" {
					d.errorf(pos(val), "%s", msg)
				}
			case "vars":
				ei.Vars = d.vars(val)
			case "configs":
				configs = val // read once vars are known, wherever they are written
			}
		})
		if configs != nil {
			ei.Configs = d.configs(configs, ei.Vars)
		}
		env.Integrations[k.Value] = ei
	}
}

func (d *decoder) vars(n *yaml.Node) map[string]string {
	out := map[string]string{}
	if n.Kind != yaml.MappingNode {
		d.errorf(pos(n), "vars must map variable names to values")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !variableNameRE().MatchString(k.Value) {
			d.errorf(pos(k), "variable name %q must start with a letter or '_' and use letters, digits, '_', '.' and '-'", k.Value)
		}
		out[k.Value] = d.scalar(v, "variable "+k.Value)
	}
	return out
}

// checkEnvironments reports environment entries for integrations the
// config does not declare.
func (d *decoder) checkEnvironments(c *Config) {
	declared := map[string]bool{}
	for _, in := range c.Integrations {
		declared[in.Key] = true
	}
	for _, env := range c.Environments {
		for key, ei := range env.Integrations {
			if !declared[key] {
				d.errorf(ei.Pos, "environment %s configures integration %q, which is not under integrations:", env.Name, key)
			}
		}
	}
}

// EnvironmentNames returns the names of the config's environments,
// sorted.
func (c *Config) EnvironmentNames() []string {
	if c == nil {
		return nil
	}
	names := make([]string, 0, len(c.Environments))
	for n := range c.Environments {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DefinesVariable reports whether some environment gives integration in
// a value for the {{name}} variable: a bundle written with it can then be
// rendered for that environment.
func (c *Config) DefinesVariable(in *Integration, name string) bool {
	if c == nil || in == nil {
		return false
	}
	for _, env := range c.Environments {
		if _, ok := env.VarsFor(in)[name]; ok {
			return true
		}
	}
	return false
}
