package deploy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zislint/zislint/config"
)

// connectionSecrets are the declared connections of each integration
// run, in the order of the runs, and every secret read for them.
type connectionSecrets struct {
	declared [][]DeclaredConnection
	secrets  []string
}

// readConnections reads each integration's declared connections and, for
// those deploy creates, their secrets from the environment variables
// zislint.yaml names. With strict (a deploy that changes the account) a
// variable not set is an error, returned before any request is sent;
// otherwise (a plan, a dry run) the plan shows the creation all the same,
// so a pull request's plan needs no secrets.
func readConnections(runs []integrationRun, getenv func(string) string, strict bool) (connectionSecrets, error) {
	var out connectionSecrets
	var errs []error
	for _, r := range runs {
		var list []DeclaredConnection
		for _, c := range r.in.Connections {
			d, err := declare(c, getenv, strict)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d:%d: %w", r.configPath, c.Pos.Line, c.Pos.Col, err))
				continue
			}
			out.secrets = append(out.secrets, d.Secret, d.Username)
			list = append(list, d)
		}
		out.declared = append(out.declared, list)
	}
	return out, errors.Join(errs...)
}

// declare makes the deploy's view of one connection of zislint.yaml.
func declare(c *config.Connection, getenv func(string) string, strict bool) (DeclaredConnection, error) {
	d := DeclaredConnection{Name: c.Name, Type: c.Type, AllowedDomain: c.AllowedDomain, HeaderName: c.HeaderName}
	if !c.Creatable() {
		return d, nil
	}
	var names []string
	read := func(name string) string {
		names = append(names, name)
		return getenv(name)
	}
	var unset []string
	if c.Type == config.ConnBasicAuth {
		d.Username, d.Secret = read(c.UsernameEnv), read(c.PasswordEnv)
		if d.Username == "" {
			unset = append(unset, c.UsernameEnv)
		}
	} else {
		d.Secret = read(c.SecretEnv)
	}
	if d.Secret == "" {
		unset = append(unset, names[len(names)-1])
	}
	d.From = strings.Join(names, " and ")
	if len(unset) == 0 {
		return d, nil
	}
	if strict {
		return d, fmt.Errorf("connection %s: environment variable %s is not set (or empty); set %s to the connection's %s (in CI, from a secret) before deploying; nothing was sent",
			c.Name, strings.Join(unset, " and "), pronounFor(len(unset)), secretKind(c.Type))
	}
	d.Username, d.Secret, d.Unset = "", "", true
	return d, nil
}

func pronounFor(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

func secretKind(typ string) string {
	switch typ {
	case config.ConnAPIKey:
		return "API key"
	case config.ConnBearerToken:
		return "bearer token"
	}
	return "user name and password"
}
