package zisfake

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sort"
	"time"

	"github.com/zislint/zislint/deploy/zistest"
)

// StatePath answers the registry's state as JSON. It lives outside the
// Zendesk paths, so it cannot shadow an endpoint.
const StatePath = "/_zisfake/state"

// Running is a started fake.
type Running struct {
	Fake *zistest.Server
	url  string
	srv  *http.Server
	done chan error
}

// URL is the base URL to give zislint as --base-url.
func (r *Running) URL() string { return r.url }

// Start seeds the registry, listens on o.Addr and serves in the
// background, logging a line per request to logw.
func Start(o Options, logw io.Writer) (*Running, error) {
	fake, err := o.NewFake()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, err
	}
	logger := log.New(logw, "zisfake: ", log.LstdFlags)
	r := &Running{
		Fake: fake,
		url:  "http://" + ln.Addr().String(),
		srv:  &http.Server{Handler: Handler(fake, logger), ReadHeaderTimeout: 10 * time.Second},
		done: make(chan error, 1),
	}
	go func() { r.done <- r.srv.Serve(ln) }()
	return r, nil
}

// Stop lets requests in progress finish (for up to five seconds) and
// closes the listener.
func (r *Running) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	r.Fake.Close()
	if serveErr := <-r.done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}

// Run serves until ctx ends (SIGINT or SIGTERM in the command), then
// stops and, with o.Dump, prints the state on stdout.
func Run(ctx context.Context, o Options, stdout, logw io.Writer) error {
	r, err := Start(o, logw)
	if err != nil {
		return err
	}
	printBanner(logw, o, r.URL())
	<-ctx.Done()
	fmt.Fprintln(logw, "zisfake: stopping")
	err = r.Stop()
	if o.Dump {
		if dumpErr := WriteState(stdout, r.Fake); err == nil {
			err = dumpErr
		}
	}
	return err
}

// printBanner says how to point zislint at the server. The default
// client secret is printed because the user needs it and it is public
// (zistest.DefaultClientSecret); one given with -client-secret is not
// repeated. The request log never shows a secret.
func printBanner(w io.Writer, o Options, url string) {
	secret := o.ClientSecret
	if secret != zistest.DefaultClientSecret {
		secret = "<your -client-secret>"
	}
	fmt.Fprintf(w, "zisfake: listening on %s (state: %s%s)\n", url, url, StatePath)
	fmt.Fprintf(w, "zisfake: export ZENDESK_OAUTH_CLIENT_ID=%s ZENDESK_OAUTH_CLIENT_SECRET=%s\n", o.ClientID, secret)
	fmt.Fprintf(w, "zisfake: then: zislint plan --env ENV --base-url %s\n", url)
}

// Handler serves the state at StatePath and everything else as the
// registry, logging method, path and status of each request. The query
// and body are never logged: the token request carries the client
// secret in its body.
func Handler(fake *zistest.Server, logger *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		if r.URL.Path == StatePath {
			serveState(rec, r, fake)
		} else {
			fake.ServeHTTP(rec, r)
		}
		// The escaped path, so that a client cannot write control
		// characters to the terminal through the log.
		logger.Printf("%s %s %s %s", r.Method, r.URL.EscapedPath(), rec.statusText(), time.Since(start).Round(time.Microsecond))
	})
}

func serveState(w http.ResponseWriter, r *http.Request, fake *zistest.Server) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "only GET", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	WriteState(w, fake)
}

// statusRecorder keeps the status sent; it passes Hijack through because
// the fake drops connections that way when a fault asks it to.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be hijacked")
	}
	s.hijacked = true
	return hj.Hijack()
}

func (s *statusRecorder) statusText() string {
	switch {
	case s.hijacked:
		return "dropped"
	case s.status == 0:
		return "no answer"
	}
	return fmt.Sprint(s.status)
}

// State is what StatePath and -dump show: what a deploy changed, without
// any secret (no client secrets, tokens or connection credentials).
type State struct {
	Integrations []Integration `json:"integrations"`
	ZISTokens    []ZISToken    `json:"zis_oauth_tokens"`
}

// Integration is one registered integration.
type Integration struct {
	Key         string              `json:"key"`
	OAuthClient string              `json:"oauth_client"`
	BundleName  string              `json:"bundle_name,omitempty"`
	Resources   []Resource          `json:"resources"`
	JobSpecs    []JobSpec           `json:"job_specs"`
	Connections []ConnectionSummary `json:"connections"`
}

// JobSpec is one job spec and whether it is installed.
type JobSpec struct {
	Name      string `json:"name"`
	FlowName  string `json:"flow_name"`
	Installed bool   `json:"installed"`
	InBundle  bool   `json:"in_bundle"`
}

// Resource is one resource of the uploaded bundle. The bundle itself is
// not shown: it is the user's file, and may hold what should not be in a
// log.
type Resource struct {
	Key  string `json:"key"`
	Type string `json:"type"`
}

// bundleResources lists the resources of an uploaded bundle by key; the
// fake accepted it, so it is a JSON object with resources.
func bundleResources(bundle []byte) []Resource {
	var b struct {
		Resources map[string]struct {
			Type string `json:"type"`
		} `json:"resources"`
	}
	out := []Resource{}
	if json.Unmarshal(bundle, &b) != nil {
		return out
	}
	for key, r := range b.Resources {
		out = append(out, Resource{Key: key, Type: r.Type})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// ConnectionSummary is a connection without its credential.
type ConnectionSummary struct {
	Type          string `json:"type"`
	Name          string `json:"name"`
	AllowedDomain string `json:"allowed_domain"`
}

// ZISToken is a ZIS OAuth token a deploy created, without the token.
type ZISToken struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	Revoked     bool   `json:"revoked"`
}

// Snapshot reads the fake's state.
func Snapshot(fake *zistest.Server) State {
	st := State{Integrations: []Integration{}, ZISTokens: []ZISToken{}}
	for _, ig := range fake.State().Integrations {
		out := Integration{Key: ig.Name, OAuthClient: ig.Identifier, BundleName: ig.BundleName,
			JobSpecs: []JobSpec{}, Connections: []ConnectionSummary{}}
		out.Resources = bundleResources(ig.Bundle)
		for _, js := range ig.JobSpecs {
			out.JobSpecs = append(out.JobSpecs, JobSpec{Name: js.Name, FlowName: js.FlowName, Installed: js.Installed, InBundle: js.InBundle})
		}
		for _, c := range ig.Connections {
			out.Connections = append(out.Connections, ConnectionSummary{Type: c.Type, Name: c.Name, AllowedDomain: c.AllowedDomain})
		}
		st.Integrations = append(st.Integrations, out)
	}
	for _, t := range fake.ZISTokens() {
		st.ZISTokens = append(st.ZISTokens, ZISToken{ID: t.ID, Integration: t.Integration, Revoked: t.Revoked})
	}
	return st
}

// WriteState writes Snapshot as indented JSON.
func WriteState(w io.Writer, fake *zistest.Server) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Snapshot(fake))
}
