package simulate

import "gopkg.in/yaml.v3"

// fixtureVars reads a fixture's vars: the values of the bundle's {{name}}
// variables for this run. The line of each is kept as "vars.NAME", so a
// message about one can point at it.
func (d *loader) fixtureVars(n *yaml.Node, lines map[string]int) map[string]string {
	out := map[string]string{}
	d.mapping(n, "vars", nil, func(name string, k, v *yaml.Node) {
		v = resolve(v)
		if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
			d.errorf(v, "variable %s must be a string: the text that replaces {{%s}} in the bundle", name, name)
			return
		}
		out[name] = v.Value
		lines["vars."+name] = k.Line
	})
	return out
}
