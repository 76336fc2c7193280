package config

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/ident"
)

// ZISConfig is one config of an integration in an environment: the
// object stored under a scope with the ZIS configs API. Deploy creates or
// replaces it; the scopes zislint.yaml does not name are never touched.
type ZISConfig struct {
	Scope string
	// Value is the object, as JSON would decode it (map[string]any,
	// []any, string, float64 or int, bool, nil), with the environment's
	// {{vars}} filled in.
	Value map[string]any
	Pos   Pos
}

// validScope keeps a scope one plain path segment of 1–128 letters,
// digits, '_', '.', ':' or '-', without the configs API's * wildcard,
// which would make the plan read other scopes.
func validScope(s string) bool {
	return ident.Span(s, 1, 128, func(c byte) bool { return ident.Alnum(c) || strings.IndexByte("_.:-", c) >= 0 })
}

// configs reads "configs:" of an environment's integration, filling in
// vars (the same entry's "vars:", wherever it is written).
func (d *decoder) configs(n *yaml.Node, vars map[string]string) []ZISConfig {
	if n.Kind != yaml.MappingNode {
		d.errorf(pos(n), "configs must map each scope to its config object")
		return nil
	}
	var out []ZISConfig
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !validScope(k.Value) {
			d.errorf(pos(k), "config scope %q must be 1–128 letters, digits, '_', '.', ':' or '-' (no '*': it would match other scopes)", k.Value)
			continue
		}
		if v.Kind != yaml.MappingNode {
			d.errorf(pos(v), "config %s must be an object (a mapping of keys to values)", k.Value)
			continue
		}
		obj, _ := d.configValue(v, vars).(map[string]any)
		out = append(out, ZISConfig{Scope: k.Value, Value: obj, Pos: pos(k)})
	}
	return out
}

// configValue turns a YAML node into the JSON value it stands for,
// replacing each {{name}} in its strings by the variable's value.
func (d *decoder) configValue(n *yaml.Node, vars map[string]string) any {
	switch n.Kind {
	case yaml.AliasNode:
		d.errorf(pos(n), "aliases are not allowed in configs; write the value out")
		return nil
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[d.fill(n.Content[i], vars)] = d.configValue(n.Content[i+1], vars)
		}
		return m
	case yaml.SequenceNode:
		list := []any{}
		for _, e := range n.Content {
			list = append(list, d.configValue(e, vars))
		}
		return list
	}
	switch n.Tag {
	case "!!str":
		return d.fill(n, vars)
	case "!!null":
		return nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		d.errorf(pos(n), "config value: %v", err)
	}
	return v
}

// fill replaces the {{name}} variables of a string node.
func (d *decoder) fill(n *yaml.Node, vars map[string]string) string {
	s := n.Value
	var out []byte
	last := 0
	for _, v := range bundle.Variables(s) {
		value, ok := vars[v.Name]
		if !ok {
			d.errorf(pos(n), "variable {{%s}} has no value in this environment; set it under vars: beside configs:", v.Name)
			continue
		}
		out = append(append(out, s[last:v.Start]...), value...)
		last = v.End
	}
	return string(append(out, s[last:]...))
}
