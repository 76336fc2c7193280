package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Retry limits. The budget (ClientOptions.Budget) bounds the time; the
// attempt cap stops a tight loop when the waits come out tiny (full
// jitter can draw zero).
const (
	backoffBase   = time.Second
	backoffCap    = 30 * time.Second  // longest single wait we choose
	retryAfterCap = 120 * time.Second // longest wait a server may ask for
	maxAttempts   = 8
)

// budget is the retry time of one API call, shared by all its requests
// (the pages of a listing, the name fallback of an install, the
// existence check of a registration). Only failed attempts and waits
// count: a long listing that never fails spends nothing.
type budget struct {
	limit, spent time.Duration
}

// ErrBudget is wrapped by the error of a call that stopped retrying
// because its time budget or attempt limit ran out; the error also wraps
// the last failure (often an *APIError).
var ErrBudget = errors.New("retry budget exhausted")

// failKind classifies a failed attempt.
type failKind int

const (
	// final: retrying cannot help (4xx, a refused redirect, …).
	final failKind = iota
	// notProcessed: 429 and 503 say the request was not processed, so
	// any request may be repeated.
	notProcessed
	// uncertain: 500/502/504 or a connection error; the request may
	// have taken effect, so only requests that are safe to repeat are.
	uncertain
)

func classify(status int) failKind {
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return notProcessed
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return uncertain
	}
	return final
}

// backoff is exponential backoff with full jitter: a uniform draw in
// [0, min(cap, base·2^(attempt-1))), which spreads clients that failed
// together better than a fixed or half-jittered wait.
func (c *Client) backoff(attempt int) time.Duration {
	ceil := backoffCap
	if attempt < 16 {
		if d := backoffBase << (attempt - 1); d < ceil {
			ceil = d
		}
	}
	r := c.rand()
	if r < 0 || r >= 1 {
		r = 0.5 // a broken Rand must not stretch or negate the wait
	}
	return time.Duration(r * float64(ceil))
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date, capped
// at retryAfterCap (ZIS itself treats 120 s and more as 120 s). ok is
// false when the header is absent or unreadable.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	// On overflow ParseInt returns the largest int64 (or the smallest)
	// with ErrRange: a number of seconds too large to read is a large
	// number of seconds, capped like any other.
	if n, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if n < 0 {
			return 0, false
		}
		if n >= int64(retryAfterCap/time.Second) {
			return retryAfterCap, true
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d = t.Sub(now)
	if d < 0 {
		d = 0
	}
	return min(d, retryAfterCap), true
}

// unreachable says why a failed exchange can never succeed, or "": a
// host name that does not exist (a typo in the subdomain) or a host that
// refuses the connection. Both answer the same to every retry.
func unreachable(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "no such host (the name does not resolve)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused (nothing listens there)"
	}
	return ""
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// stopped is the error of a call whose context ended, naming the cause
// when it has one, such as the signal that stopped a deploy.
func stopped(ctx context.Context) error {
	err := ctx.Err()
	if cause := context.Cause(ctx); cause != nil && cause != err {
		return fmt.Errorf("%w (%v)", err, cause)
	}
	return err
}

// send performs r, retrying what is safe to retry within b. It returns
// the response of a 2xx status; any other status is an *APIError.
func (c *Client) send(ctx context.Context, r request, b *budget) (*response, error) {
	authz, err := c.authorization(ctx, r, b)
	if err != nil {
		return nil, err
	}
	triedBearer, renewed := false, false
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", r, stopped(ctx))
		}
		start := c.now()
		resp, err := c.attempt(ctx, r, authz)
		if err == nil && resp.status < 300 {
			return resp, nil
		}
		if err == nil && isRedirect(resp.status) {
			// Never retried: the same answer would come back.
			return nil, c.redirected(r, resp)
		}
		b.spent += c.now().Sub(start)
		if ctx.Err() != nil {
			// The caller gave up: report that, not the failure it caused.
			return nil, fmt.Errorf("%s: %w", r, stopped(ctx))
		}

		var (
			kind     failKind
			lastErr  error
			wait     time.Duration
			asked    bool // the server said how long to wait
			transErr *transportError
		)
		switch {
		case errors.As(err, &transErr):
			if why := unreachable(err); why != "" {
				// No attempt can get through: say so now rather than
				// after a minute of retries.
				return nil, fmt.Errorf("%s: cannot reach %q: %s; check the environment's subdomain in zislint.yaml (or --subdomain, --base-url)", r, c.base.Host, why)
			}
			kind, lastErr = uncertain, err
		case err != nil:
			return nil, err
		default:
			apiErr := c.apiError(r, resp)
			if resp.status == http.StatusUnauthorized && !renewed && c.creds.admin() == adminClient && authz != "" &&
				authz != c.zisHeader(r.integration) {
				// The access token expired early or was revoked: obtain
				// a new one, once, and send the request again.
				renewed = true
				token, err := c.clientToken(ctx, b, strings.TrimPrefix(authz, "Bearer "))
				if err != nil {
					return nil, fmt.Errorf("%s: %w (after: %v)", r, err, apiErr)
				}
				authz = "Bearer " + token
				attempt--
				continue
			}
			if resp.status == http.StatusUnauthorized && r.auth == authAdmin && !triedBearer &&
				c.creds.hasAdmin() && c.hasZISToken(r.integration) {
				// The docs name only ZIS OAuth for some endpoints
				// (connections); try the ZIS OAuth token before giving up.
				c.logf("%s: the admin credential was refused (HTTP 401); trying the ZIS OAuth token", r)
				authz, triedBearer = c.zisHeader(r.integration), true
				attempt--
				continue
			}
			if resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden {
				apiErr.Hint = c.refusal(r, authz)
			}
			kind, lastErr = classify(resp.status), apiErr
			if kind == notProcessed {
				wait, asked = parseRetryAfter(resp.header.Get("Retry-After"), c.now())
			}
		}

		switch {
		case kind == final:
			return nil, lastErr
		case kind == uncertain && !r.safe:
			if r.uncertain == nil {
				return nil, lastErr
			}
			// The hook finds out whether the request took effect; nil
			// means it did not, so sending it again is safe.
			if err := r.uncertain(ctx, b, lastErr); err != nil {
				return nil, err
			}
		}

		if attempt >= maxAttempts {
			return nil, fmt.Errorf("giving up after %d attempts (%w): %w", attempt, ErrBudget, lastErr)
		}
		if !asked {
			wait = c.backoff(attempt)
		}
		if b.spent+wait > b.limit {
			return nil, fmt.Errorf("giving up after %d attempts: waiting %s more would exceed the retry budget of %s (%w): %w",
				attempt, wait.Round(time.Millisecond), b.limit, ErrBudget, lastErr)
		}
		c.logf("%v; retrying in %s (attempt %d of at most %d)", lastErr, wait.Round(time.Millisecond), attempt+1, maxAttempts)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s: %w (while waiting to retry after: %v)", r, err, lastErr)
		}
		b.spent += wait
	}
}
