package deploy

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode"
)

// secretStarts are the first bytes of every credential form: none may
// appear in an error, even cut short.
func secretStarts() []string {
	var out []string
	for _, s := range append(tSecrets, base64.RawStdEncoding.EncodeToString([]byte(tBasicPlain))) {
		out = append(out, s[:minPartial])
	}
	return out
}

func noSecretStart(t *testing.T, what, s string) {
	t.Helper()
	noSecrets(t, what, s)
	for _, start := range secretStarts() {
		if strings.Contains(s, start) {
			t.Errorf("%s holds the start of a secret (%q):\n%s", what, start, s)
		}
	}
}

// htmlEcho is an HTML error page that echoes echo so that it starts
// near byte at of the page once its whitespace is folded.
func htmlEcho(at int, echo string) string {
	head := "<html><body><h1>400 Bad Request</h1><p>Your request header was: "
	pad := strings.Repeat("x", max(0, at-len(head)))
	return head + pad + echo + " and that is not allowed.</p></body></html>"
}

// TestSecretsRedactedBeforeTheCut replays the attack of an HTML error body
// that echoes a credential around its 300th byte, where the excerpt of
// an APIError is cut: whatever the cut point, no part of it shows.
func TestSecretsRedactedBeforeTheCut(t *testing.T) {
	echoes := map[string]string{
		"api token":         tToken,
		"basic header":      tBasic,
		"basic base64 bare": base64.RawStdEncoding.EncodeToString([]byte(tBasicPlain)),
		"basic plain":       tBasicPlain,
		"bearer header":     tBearer,
		"query-escaped":     "token=" + strings.ReplaceAll(tBasicPlain, "/", "%2F"),
	}
	for name, echo := range echoes {
		for at := maxDetail - len(echo) - 2; at <= maxDetail+2; at++ {
			body := htmlEcho(at, echo)
			h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, body)
			}))
			err := h.c.UploadBundle(context.Background(), "acme", []byte("{}"))
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("%s at %d: %v", name, at, err)
			}
			noSecretStart(t, fmt.Sprintf("%s at %d", name, at), errText(err))
			if len(apiErr.Detail) > maxDetail+len("…") {
				t.Errorf("%s at %d: detail of %d bytes", name, at, len(apiErr.Detail))
			}
		}
	}
}

func TestRedactorExcerpt(t *testing.T) {
	x := newRedactor(bothCreds.secrets())
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	for _, tc := range []struct{ name, in, want string }{
		{"unknown bearer token echoed", "Authorization: Bearer " + jwt + " refused", "Authorization: Bearer [REDACTED] refused"},
		{"unknown token in a query", "GET /x?access_token=" + jwt + "&a=b", "GET /x?access_token=[REDACTED]&a=b"},
		{"a secret in JSON", `{"client_secret": "` + jwt + `"}`, `{"client_secret": "[REDACTED]"}`},
		{"a server cut its echo of the token", "header was " + tToken[:11], "header was [REDACTED]"},
		{"JSON-escaped basic", strings.ReplaceAll(tBasicPlain, "/", `\/`), "[REDACTED]"},
		{"url-safe base64 basic", base64.RawURLEncoding.EncodeToString([]byte(tBasicPlain)), "[REDACTED]"},
		{"words stay", "Basic authentication was refused; token expired", "Basic authentication was refused; token expired"},
		{"lines fold", "bad\n\x1b[31mrequest\r\n  here\u2028now", "bad [31mrequest here now"},
	} {
		if got := x.Excerpt(tc.in, 1000); got != tc.want {
			t.Errorf("%s: Excerpt(%q) = %q; want %q", tc.name, tc.in, got, tc.want)
		}
	}
	// A cut never splits a rune or leaves control characters.
	got := x.Excerpt(strings.Repeat("é", 400), 301)
	if !strings.HasSuffix(got, "é…") || len(got) > 301+len("…") {
		t.Errorf("cut = %q", got)
	}
	if strings.IndexFunc(x.Excerpt("a\x00b\x7fc", 10), unicode.IsControl) >= 0 {
		t.Error("control characters survive")
	}
	// A body of the largest size, all short words, with the token at
	// its very end.
	huge := strings.Repeat("a ", maxBody/2-len(tToken)) + tToken
	if got := x.Excerpt(huge, maxDetail); len(got) > maxDetail+len("…") || strings.Contains(got, tToken[:minPartial]) {
		t.Errorf("excerpt of a huge body: %d bytes", len(got))
	}
}

// TestTransportErrorsRedacted: a server that answers with no HTTP at all
// has its bytes quoted by Go's transport; they pass the same redaction.
func TestTransportErrorsRedacted(t *testing.T) {
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		buf.WriteString("NOTHTTP " + strings.Repeat("y", 250) + r.Header.Get("Authorization") + "\r\n\r\n")
		buf.Flush()
		conn.Close()
	}))
	_, err := h.c.ListJobSpecs(context.Background(), "acme")
	if err == nil {
		t.Fatal("no error")
	}
	noSecretStart(t, "transport error", errText(err))
}

// TestHostileCursor: a page cursor is server text that goes into the
// next request, whose name errors and logs quote. One that echoes a
// credential, breaks a line or is huge stops the listing at once.
func TestHostileCursor(t *testing.T) {
	for name, cursor := range map[string]func(r *http.Request) string{
		"authorization echoed": func(r *http.Request) string { return r.Header.Get("Authorization") },
		"token echoed":         func(*http.Request) string { return "c-" + tToken },
		"new line":             func(*http.Request) string { return "abc\n  + install job spec evil" },
		"huge":                 func(*http.Request) string { return strings.Repeat("c", 4096) },
	} {
		t.Run(name, func(t *testing.T) {
			pages := 0
			h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				pages++
				if r.URL.Query().Get("page[after]") != "" {
					zisError(w, 500, "", "page two fails")
					return
				}
				writeJSON(w, 200, map[string]any{"job_specs": []any{}, "meta": map[string]any{"has_more": true, "after": cursor(r)}})
			}))
			_, err := h.c.ListJobSpecs(context.Background(), "acme")
			if err == nil || !strings.Contains(err.Error(), "gives a cursor that") || pages != 1 {
				t.Fatalf("after %d pages: %v", pages, err)
			}
			noSecretStart(t, "error", errText(err))
			if strings.ContainsAny(err.Error(), "\n") || len(err.Error()) > 400 {
				t.Errorf("error %q", err)
			}
		})
	}
}

// BenchmarkExcerptLargestBody: an error body of the largest size costs
// about as much as a short one, since redaction reads only the window
// the excerpt can show.
func BenchmarkExcerptLargestBody(b *testing.B) {
	x := newRedactor(bothCreds.secrets())
	body := strings.Repeat("a ", maxBody/2)
	for b.Loop() {
		x.Excerpt(body, maxDetail)
	}
}

// TestHostileJobSpecNames: listed names and keys go into plans and
// errors as they are, so one that echoes a credential, breaks a line or
// is huge makes the listing fail without quoting it.
func TestHostileJobSpecNames(t *testing.T) {
	for name, entry := range map[string]func(r *http.Request) map[string]any{
		"token as a name":         func(*http.Request) map[string]any { return map[string]any{"name": "x-" + tToken} },
		"authorization as a name": func(r *http.Request) map[string]any { return map[string]any{"name": r.Header.Get("Authorization")} },
		"token as the key":        func(*http.Request) map[string]any { return map[string]any{"name": "x", "integration": tToken} },
		"line break":              func(*http.Request) map[string]any { return map[string]any{"name": "x\n  - uninstall job spec y"} },
		"huge":                    func(*http.Request) map[string]any { return map[string]any{"name": strings.Repeat("n", 100000)} },
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, listingOf(map[string]any{"name": "ok"}, entry(r)))
			}))
			_, err := h.c.ListJobSpecs(context.Background(), "acme")
			if err == nil || !strings.Contains(err.Error(), "job spec 2 of the page: its ") {
				t.Fatalf("got %v", err)
			}
			noSecretStart(t, "error", errText(err))
			if strings.Contains(err.Error(), "\n") || len(err.Error()) > 300 {
				t.Errorf("error %q", err)
			}
		})
	}
}
