package deploy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestUnreachableFailsAtOnce: a host name that does not resolve and a
// refused connection fail the call on the first attempt, naming the
// host, with no wait for a retry.
func TestUnreachableFailsAtOnce(t *testing.T) {
	refused := closedPort(t)
	for _, tt := range []struct {
		name, subdomain, baseURL string
		dial                     func(ctx context.Context, network, addr string) (net.Conn, error)
		want                     []string
	}{
		{name: "unknown host", subdomain: "acme-typo",
			// The resolver's answer for a name that does not exist,
			// injected so the test never needs a network.
			dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "acme-typo.zendesk.com", IsNotFound: true}}
			},
			want: []string{`cannot reach "acme-typo.zendesk.com"`, "no such host", "subdomain"}},
		{name: "refused connection", baseURL: "http://" + refused,
			want: []string{`cannot reach "` + refused + `"`, "connection was refused"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var dials, waits atomic.Int32
			dialer := &net.Dialer{}
			transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				dials.Add(1)
				if tt.dial != nil {
					return tt.dial(ctx, network, addr)
				}
				return dialer.DialContext(ctx, network, addr)
			}}
			c, err := NewClient(ClientOptions{Subdomain: tt.subdomain, BaseURL: tt.baseURL, Credentials: bothCreds,
				HTTPClient: &http.Client{Transport: transport},
				Sleep: func(ctx context.Context, d time.Duration) error {
					waits.Add(1)
					return ctx.Err()
				}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.IntegrationExists(context.Background(), "acme_refunds")
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to contain %q", err, w)
				}
			}
			if errors.Is(err, ErrBudget) || dials.Load() != 1 || waits.Load() != 0 {
				t.Errorf("%d dials and %d waits (err %v); want one dial and no retry", dials.Load(), waits.Load(), err)
			}
		})
	}
}

// closedPort returns a loopback address where nothing listens: a port
// taken and given back.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
