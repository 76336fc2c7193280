package deploy

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/zislint/zislint/internal/lazyre"
)

const (
	redacted = "[REDACTED]"
	// minPartial is the shortest start of a secret that is redacted when
	// a text ends with it: a server that cut its own echo of a token.
	minPartial = 6
	// excerptMargin is how far past an excerpt's cut redaction reads:
	// far more than the longest secret or echoed credential.
	excerptMargin = 4096
)

// echoedCredentialREs find credentials a server may echo that zislint
// does not know, such as a token a proxy added: the value after Bearer
// or Basic, and after names like access_token= or "secret":. Values
// shorter than real tokens are left, so "Basic authentication" stays.
var echoedCredentialREs = []func() *regexp.Regexp{
	lazyre.New(`(?i)(\b(?:bearer|basic)\s+)[A-Za-z0-9\-._~+/]{20,}=*`),
	lazyre.New(`(?i)((?:token|secret|password|authorization)["']?\s*[:=]\s*["']?)[^\s"'&,;<>]{8,}`),
}

// redactor removes secrets from text bound for a log or an error. It
// starts with the credentials and learns the OAuth client secret of a
// registration, in case a later answer were to repeat it.
type redactor struct {
	mu      sync.RWMutex
	secrets []string // longest first, each with its escaped forms
	r       *strings.Replacer
}

func newRedactor(secrets []string) *redactor {
	x := &redactor{}
	for _, s := range secrets {
		x.add(s)
	}
	return x
}

func (x *redactor) add(secret string) {
	if secret == "" {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, form := range escapedForms(secret) {
		if !slices.Contains(x.secrets, form) {
			x.secrets = append(x.secrets, form)
		}
	}
	// At one position the Replacer tries the patterns in order, so the
	// longer ones go first: the whole Basic value before its parts.
	sort.SliceStable(x.secrets, func(i, j int) bool { return len(x.secrets[i]) > len(x.secrets[j]) })
	var pairs []string
	for _, s := range x.secrets {
		pairs = append(pairs, s, redacted)
	}
	x.r = strings.NewReplacer(pairs...)
}

// escapedForms are the ways a secret can come back inside a URL, a
// query, or a JSON string that escapes slashes.
func escapedForms(s string) []string {
	forms := []string{s}
	for _, f := range []string{url.QueryEscape(s), url.PathEscape(s), strings.ReplaceAll(s, "/", `\/`)} {
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
}

// Replace redacts every known secret, anything that looks like an
// echoed credential, and the start of a known secret that ends s.
func (x *redactor) Replace(s string) string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.r != nil {
		s = x.r.Replace(s)
	}
	for _, re := range echoedCredentialREs {
		s = re().ReplaceAllString(s, "${1}"+redacted)
	}
	return x.trimPartialLocked(s)
}

// trimPartialLocked redacts the start of a secret that s ends with.
func (x *redactor) trimPartialLocked(s string) string {
	for _, secret := range x.secrets {
		for n := len(secret) - 1; n >= minPartial; n-- {
			if strings.HasSuffix(s, secret[:n]) {
				return s[:len(s)-n] + redacted
			}
		}
	}
	return s
}

// Excerpt is the one way text from a server (an error body, a detail, a
// header, a transport error) reaches an error or a log. It is folded into
// one printable line, secrets are redacted, and only then is it cut to at
// most limit bytes, so a cut can never leave the start of a secret that
// redaction would no longer recognise.
//
// Redaction reads the first limit+excerptMargin bytes of the folded text,
// not all of a body of up to 32 MiB (the patterns would take seconds
// there). That is as safe: a secret holds no space or control character,
// so folding keeps it whole, and one that starts before the cut ends well
// inside the margin; one cut by the margin ends the window, where its
// start is redacted too.
func (x *redactor) Excerpt(s string, limit int) string {
	s = x.Replace(oneLine(s, limit+excerptMargin))
	if len(s) <= limit {
		return s
	}
	// Everything was redacted above; checking the end again covers the
	// start of a secret that a server had cut itself, right at the cut.
	x.mu.RLock()
	s = x.trimPartialLocked(cut(s, limit))
	x.mu.RUnlock()
	// Only the marker can have grown it, and cutting that shows nothing.
	return cut(s, limit) + "…"
}

// cut shortens s to at most limit bytes without splitting a rune.
func cut(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	s = s[:limit]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// oneLine folds each run of spaces and control characters of s into one
// space, trimming both ends, and writes invalid UTF-8 as "?". It stops
// once it holds more than limit bytes, so a huge body costs no more than
// a short one.
func oneLine(s string, limit int) string {
	var b strings.Builder
	gap := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			r = '?'
		}
		if isBreak(r) {
			gap = b.Len() > 0
			continue
		}
		if gap {
			b.WriteByte(' ')
			gap = false
		}
		b.WriteRune(r)
		if b.Len() > limit {
			break
		}
	}
	return b.String()
}

// isBreak splits text into the words of one line: spaces and control
// characters go, so a server cannot start a new line in a plan.
func isBreak(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }
