package rules

import (
	"net/url"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
)

// zendeskHost stands for the account's own host, where "path" calls go.
const zendeskHost = "subdomain.zendesk.com"

// actionTarget is where an HTTP action sends its request.
type actionTarget struct {
	res        *bundle.Resource
	connection *bundle.Node // the connectionName value, or nil
	name       string       // its text
	node       *bundle.Node // the url or path value
	host       string       // "" when known only at run time
	zendesk    bool         // a path call to the account's own host
}

// actionTargets lists the HTTP actions whose target can be read.
func actionTargets(b *bundle.Bundle) []actionTarget {
	var out []actionTarget
	for _, res := range b.OfType(bundle.TypeAction) {
		def := res.Action.Definition
		if def == nil {
			continue
		}
		t := actionTarget{res: res, connection: def.Get("connectionName")}
		t.name, _ = t.connection.Str()
		if u, ok := findTarget(def, "url", "url.$"); ok && u.text != "" {
			t.node, t.host = u.member.Value(), literalHost(u.text)
			if t.host == "" && !runtimeHost(u.text) {
				continue // not a URL at all; http_target reports it
			}
		} else if p, ok := findTarget(def, "path", "path.$"); ok && p.text != "" {
			t.node, t.host, t.zendesk = p.member.Value(), zendeskHost, true
		} else {
			continue
		}
		out = append(out, t)
	}
	return out
}

// authority returns the host part of an http(s) URL as written, and
// whether s starts with a scheme at all.
func authority(s string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(s), "https://")
	if !ok {
		rest, ok = strings.CutPrefix(strings.ToLower(s), "http://")
	}
	a, _, _ := strings.Cut(rest, "/")
	return a, ok
}

// runtimeHost reports whether the data decides the URL's host: a path,
// or a placeholder at the start or in the host.
func runtimeHost(s string) bool {
	a, isURL := authority(s)
	return strings.HasPrefix(s, "$") || strings.HasPrefix(s, "{{") || (isURL && strings.Contains(a, "{{"))
}

// literalHost returns the host of an http(s) URL written out in full, or
// "" otherwise.
func literalHost(s string) string {
	if a, isURL := authority(s); !isURL || strings.Contains(a, "{{") {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// connectionNamed returns the integration's connection called name.
func connectionNamed(in *config.Integration, name string) *config.Connection {
	if in == nil {
		return nil
	}
	for _, c := range in.Connections {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func connectionNames(in *config.Integration) []string {
	var out []string
	for _, c := range in.Connections {
		out = append(out, c.Name)
	}
	return out
}
