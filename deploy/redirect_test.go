package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// redirectingServer answers every request to a path under /api with
// status, pointing at the same path under /moved, where everything
// succeeds as a real registry would. It records the requests it gets.
type redirectingServer struct {
	status int
	mu     sync.Mutex
	seen   []string
}

func (s *redirectingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seen = append(s.seen, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	if rest, ok := strings.CutPrefix(r.URL.Path, "/moved"); ok {
		if strings.HasSuffix(rest, "/acme") { // a registration
			writeJSON(w, 200, registrationBody("acme"))
			return
		}
		writeJSON(w, 200, map[string]any{})
		return
	}
	w.Header().Set("Location", "/moved"+r.URL.RequestURI())
	w.WriteHeader(s.status)
}

func (s *redirectingServer) Seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// TestRedirectedChangesFail replays a 3xx answer to each request that
// changes the account: before, Go followed a 302 as a GET of the new
// address, whose 200 made the step "done" though nothing was stored.
func TestRedirectedChangesFail(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client) error{
		"register": func(c *Client) error { _, err := c.RegisterIntegration(ctx, "acme", "x"); return err },
		"upload":   func(c *Client) error { return c.UploadBundle(ctx, "acme", []byte(zisBundle)) },
		"install":  func(c *Client) error { return c.InstallJobSpec(ctx, "acme", "on_create") },
		"uninstall": func(c *Client) error {
			return c.UninstallJobSpec(ctx, "acme", "on_create")
		},
		"put": func(c *Client) error {
			_, err := c.send(ctx, request{method: http.MethodPut, path: "/api/x", body: []byte("{}"), safe: true}, c.newBudget())
			return err
		},
		"patch": func(c *Client) error {
			_, err := c.send(ctx, request{method: http.MethodPatch, path: "/api/x", body: []byte("{}"), safe: true}, c.newBudget())
			return err
		},
	}
	for _, status := range []int{301, 302, 303, 307, 308} {
		for name, call := range calls {
			t.Run(fmt.Sprintf("%s %d", name, status), func(t *testing.T) {
				srv := &redirectingServer{status: status}
				h := newHarness(t, srv)
				err := call(h.c)
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Status != status {
					t.Fatalf("got %v; want a failure with HTTP %d", err, status)
				}
				for _, want := range []string{"redirected", "nothing is known to be stored", "/moved/api/"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
				for _, req := range srv.Seen() {
					if strings.HasPrefix(req, "GET ") || strings.Contains(req, "/moved") {
						t.Errorf("the redirect was followed: %v", srv.Seen())
						break
					}
				}
				if len(h.Waits()) != 0 {
					t.Errorf("a redirect was retried: waits %v", h.Waits())
				}
			})
		}
	}
}

// TestRedirectedStepIsNotDone runs a deploy step on a redirecting server:
// the step fails and says so; it is never reported done.
func TestRedirectedStepIsNotDone(t *testing.T) {
	h := newHarness(t, &redirectingServer{status: http.StatusFound})
	tg, err := NewTarget("staging", "acme", "acme", []byte(zisBundle))
	if err != nil {
		t.Fatal(err)
	}
	p := &Plan{Integration: "acme", target: tg, Steps: []Step{{Action: StepUpload}, {Action: StepInstall, JobSpec: "on_create"}}}
	err = Apply(context.Background(), h.c, p, ApplyOptions{})
	if err == nil || p.Steps[0].Status != StatusFailed || p.Steps[1].Status != StatusNotRun ||
		!strings.Contains(p.Steps[0].Error, "nothing is known to be stored") {
		t.Errorf("Apply: %v; steps %+v", err, p.Steps)
	}
}

// TestRedirectLocationRedacted: the Location a failure quotes comes from
// the server and passes the same redaction as any excerpt.
func TestRedirectLocationRedacted(t *testing.T) {
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://elsewhere.example/?auth="+r.Header.Get("Authorization")+"&access_token=abcdefghijkl")
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	err := h.c.UploadBundle(context.Background(), "acme", nil)
	if err == nil || !strings.Contains(err.Error(), "elsewhere.example") {
		t.Fatalf("got %v", err)
	}
	noSecretStart(t, "error", errText(err))
	if strings.Contains(err.Error(), "abcdefghijkl") {
		t.Errorf("an echoed token shows: %v", err)
	}
}
