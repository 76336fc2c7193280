// Package zisfake runs the in-memory ZIS registry of package zistest as
// a local server, so that zislint plan and deploy can be tried without a
// Zendesk account. The zisfake command is its doorway; the README test
// starts it in-process through the same functions.
package zisfake

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/zislint/zislint/deploy/zistest"
)

// Options are the command's flags.
type Options struct {
	Addr         string
	ClientID     string
	ClientSecret string
	// Integrations are registered before the first request, as an
	// earlier deploy would have.
	Integrations []string
	// Connections are created before the first request, as an admin
	// would; their integrations are registered if they are not already.
	Connections []Connection
	// Dump prints the state as JSON on standard output when the server
	// stops.
	Dump bool
}

// Connection is one -connection flag.
type Connection struct {
	Integration string
	zistest.Connection
}

// ParseArgs reads the command's flags; usage and errors go to stderr.
// flag.ErrHelp is returned for -h.
func ParseArgs(args []string, stderr io.Writer) (Options, error) {
	o := Options{}
	fs := flag.NewFlagSet("zisfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free one)")
	fs.StringVar(&o.ClientID, "client-id", zistest.DefaultClientID, "the OAuth client `id` the token endpoint accepts")
	fs.StringVar(&o.ClientSecret, "client-secret", zistest.DefaultClientSecret, "the OAuth client's `secret`")
	fs.Func("integration", "register the integration `key` (repeatable)", func(key string) error {
		o.Integrations = append(o.Integrations, key)
		return nil
	})
	fs.Func("connection", "create a connection, `integration:name:type:allowed_domain` (repeatable; type is "+
		strings.Join(connectionTypes, ", ")+")", func(v string) error {
		c, err := parseConnection(v)
		o.Connections = append(o.Connections, c)
		return err
	})
	fs.BoolVar(&o.Dump, "dump", false, "print the registry's state as JSON on standard output on exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: zisfake [flags]\n\nA local, in-memory ZIS registry for zislint plan and deploy --base-url.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.ClientID == "" || o.ClientSecret == "" {
		return o, errors.New("-client-id and -client-secret must not be empty")
	}
	return o, nil
}

var connectionTypes = []string{zistest.ConnOAuth, zistest.ConnAPIKey, zistest.ConnBasicAuth, zistest.ConnBearerToken}

// parseConnection reads integration:name:type:allowed_domain. The domain
// comes last so that it may hold a port ("localhost:9000").
func parseConnection(v string) (Connection, error) {
	parts := strings.SplitN(v, ":", 4)
	if len(parts) != 4 || parts[0] == "" || parts[1] == "" || parts[3] == "" {
		return Connection{}, fmt.Errorf("want integration:name:type:allowed_domain, as in acme_refunds_dev:zendesk:oauth:*.zendesk.com")
	}
	known := false
	for _, t := range connectionTypes {
		known = known || parts[2] == t
	}
	if !known {
		return Connection{}, fmt.Errorf("connection type %q: want one of %s", parts[2], strings.Join(connectionTypes, ", "))
	}
	return Connection{Integration: parts[0], Connection: zistest.Connection{
		Name: parts[1], Type: parts[2], AllowedDomain: parts[3],
		// The fake never calls the domain; the secret exists so that
		// the listing has something to hide.
		Secret: "zisfake-connection-secret",
	}}, nil
}

// NewFake makes the registry the options describe, seeded.
func (o Options) NewFake() (*zistest.Server, error) {
	fake, err := zistest.NewServer(zistest.WithOAuthClient(o.ClientID, o.ClientSecret))
	if err != nil {
		return nil, err
	}
	err = fake.Seed(func(s *zistest.Server) {
		for _, key := range o.Integrations {
			registerOnce(s, key)
		}
		for _, c := range o.Connections {
			registerOnce(s, c.Integration)
			s.SeedConnection(c.Integration, c.Connection)
		}
	})
	return fake, err
}

// registerOnce lets an integration be named by several flags.
func registerOnce(s *zistest.Server, key string) {
	if _, ok := s.Integration(key); !ok {
		s.SeedIntegration(key, key+" (registered by zisfake)")
	}
}
