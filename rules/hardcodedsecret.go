package rules

import (
	"bytes"
	"math"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const hardcodedSecretID = "ZIS501"

// HardcodedSecret reports credentials written into the bundle.
var HardcodedSecret = &analysis.Analyzer{
	Name: "hardcoded_secret",
	Doc: `no credentials in the bundle; keep them in a connection

A bundle is plain JSON that is committed, shared and shown by the Show
Bundle API, so a password, token or API key written into it is leaked.
Store the credential in a connection (API key, basic auth, bearer token or
OAuth) and set "connectionName" on the action: ZIS then adds the
Authorization (or API key) header itself, and only for the connection's
allowed domain. This rule looks at action definitions and at the
Parameters and Result of flow states, and reports:

  - a literal Authorization header value;
  - a literal value under a name that says credential: password, passwd,
    secret, token, api_key / apikey, private_key, secret_key, and names
    ending in them such as client_secret, access_token or X-Api-Key
    (but not page_token and other pagination cursors);
  - a password in a URL (https://user:password@host), or a literal value
    under such a name in its query string (?api_key=..., &token=...);
  - a long random-looking word in another header's value: 20 characters
    or more, letters and digits, at least 3.5 bits of entropy per
    character, and switching between lower case, upper case and digits
    at least every third character (readable slugs and identifiers
    rarely do).

A path ("$.token"), a {{$.token}} template (also after a scheme word, as in
"Bearer {{$.token}}"), a build-time template variable and a masked "*****"
are not secrets. For the random-looking words, values of descriptive
headers (Accept*, Content-*, If-*, User-Agent, Cache-Control) and
hexadecimal strings such as UUIDs, hashes and ETags are left out, since
under a header whose name does not say credential they are nearly always
ids; under a credential name they are reported like any other literal.
Messages never repeat the value.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runHardcodedSecret,
}

const secretAdvice = "store it in a connection and name that with \"connectionName\" on the action that sends it (a bundle is plain text: anyone who can read it can use the credential)"

func runHardcodedSecret(pass *analysis.Pass) (any, error) {
	w := secretWalker{r: newReporter(pass, hardcodedSecretID)}
	for _, res := range w.r.in.Bundle.OfType(bundle.TypeAction) {
		if def := res.Action.Definition; def != nil {
			w.name, w.machine, w.path = res.Key, nil, w.path[:0]
			w.walk(def, false)
		}
	}
	for m := range w.r.in.Bundle.EachMachine() {
		for _, s := range m.States {
			params, result := paramsAndResult(s.Entry.Value())
			for _, f := range [...]struct {
				name string
				n    *bundle.Node
			}{{"Parameters", params}, {"Result", result}} {
				if f.n != nil {
					w.name, w.machine, w.path = s.Name, m, append(w.path[:0], f.name)
					w.walk(f.n, false)
				}
			}
		}
	}
	return nil, nil
}

// paramsAndResult returns a state's Parameters and Result, the last of
// each name as Get finds it, in one pass over its members.
func paramsAndResult(state *bundle.Node) (params, result *bundle.Node) {
	members := state.Members()
	for i := range members {
		switch m := &members[i]; m.Key() {
		case "Parameters":
			params = m.Value()
		case "Result":
			result = m.Value()
		}
	}
	return params, result
}

// secretWalker looks for credentials in one JSON tree at a time: an
// action's definition, or a part of a flow's state.
type secretWalker struct {
	r       *reporter
	name    string          // the action's or the state's
	machine *bundle.Machine // the state's flow; nil for an action
	path    []string        // the keys down to the value walked
}

// where places the tree, for messages. It is built only for a finding:
// nearly every tree has none.
func (w *secretWalker) where() string {
	if w.machine == nil {
		return "in action " + quote(w.name)
	}
	return "in state " + quote(w.name) + " of " + w.machine.Describe()
}

// pathText is the dotted path of the value walked, for messages; it too
// is built only for a finding.
func (w *secretWalker) pathText() string {
	text := ""
	for _, key := range w.path {
		text = join(text, key)
	}
	return text
}

// walk visits n, found at w.path. inHeaders is set for the elements of a
// headers array.
func (w *secretWalker) walk(n *bundle.Node, inHeaders bool) {
	switch n.Kind() {
	case bundle.Array:
		// Only an action definition's own headers are sent as headers.
		headers := w.machine == nil && len(w.path) > 0 && w.path[len(w.path)-1] == "headers" && w.pathText() == "headers"
		for _, e := range n.Elems() {
			w.walk(e, headers)
		}
	case bundle.Object:
		// Headers and query parameters are lists of {"key": name,
		// "value": ...} entries: the name to judge is in "key".
		name, isEntry := n.Get("key").Str()
		members := n.Members()
		for i := range members {
			m := &members[i]
			switch {
			case isEntry && (m.Key() == "value" || m.Key() == "value.$"):
				w.entry(name, m.Value(), inHeaders)
			case isEntry && m.Key() == "key":
			default:
				w.entry(m.Key(), m.Value(), false)
			}
		}
	case bundle.String:
		w.checkURL(n)
	}
}

// entry checks a value that has a name: an object member or a named
// header or query parameter.
// The value's path is w.path and name while it is checked.
func (w *secretWalker) entry(name string, v *bundle.Node, header bool) {
	w.path = append(w.path, name)
	defer func() { w.path = w.path[:len(w.path)-1] }()
	s, ok := v.Str()
	if !ok {
		w.walk(v, false)
		return
	}
	switch {
	case bundle.IsCredentialName(name) && isLiteralSecret(s):
		w.r.node(v, "%s %s is a hard-coded credential; %s", quote(w.pathText()), w.where(), secretAdvice)
	case header && !isDescriptiveHeader(name) && hasRandomWord(s):
		w.r.node(v, "header %s %s holds a long random-looking value, likely a hard-coded credential; %s", quote(name), w.where(), secretAdvice)
	default:
		w.checkURL(v)
	}
}

// checkURL reports a URL with a password in it (https://user:pass@host)
// or a credential in its query string (?api_key=...).
func (w *secretWalker) checkURL(n *bundle.Node) {
	if name := queryCredential(n.Text()); name != "" {
		w.r.node(n, "the URL in %s %s passes the credential %s in its query string; %s", quote(w.pathText()), w.where(), quote(name), secretAdvice)
		return
	}
	s := n.Text()
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			return
		}
		s = s[i+3:]
		authority := s
		if end := strings.IndexAny(authority, "/?# \t\r\n\"'"); end >= 0 {
			authority = authority[:end]
		}
		at := strings.LastIndexByte(authority, '@')
		if at < 0 {
			continue
		}
		if _, password, ok := strings.Cut(authority[:at], ":"); ok && isLiteralSecret(password) {
			w.r.node(n, "the URL in %s %s holds a password (https://user:password@host); %s", quote(w.pathText()), w.where(), secretAdvice)
			return
		}
	}
}

// queryCredential returns the name of the first query parameter of URL
// or path s that carries a literal credential (?api_key=..., &token=...),
// or "". Its value is judged as a queryParams entry's would be.
func queryCredential(s string) string {
	if !strings.Contains(s, "?") {
		return "" // most strings: no query, and no need to look for placeholders
	}
	// A placeholder fills in a value at run time (or at render time);
	// it is no secret, and may hold spaces or a '?'.
	_, query, ok := strings.Cut(bundle.ReplaceTemplateSpans(s, ""), "?")
	if !ok {
		return ""
	}
	if end := strings.IndexAny(query, "# \t\r\n\"'"); end >= 0 {
		query = query[:end]
	}
	for _, pair := range strings.Split(query, "&") {
		name, value, _ := strings.Cut(pair, "=")
		if bundle.IsCredentialName(name) && isLiteralSecret(value) {
			return name
		}
	}
	return ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// authSchemes are the words that may precede a credential in an
// Authorization value; on their own they are not secret.
var authSchemes = map[string]bool{"bearer": true, "basic": true, "token": true, "digest": true, "apikey": true, "oauth": true}

// isLiteralSecret reports whether s, found under a credential's name, is
// a value written into the bundle rather than a reference to one.
func isLiteralSecret(s string) bool {
	s = strings.TrimSpace(s)
	switch {
	case s == "", strings.HasPrefix(s, "$"), bundle.LooksLikePlaceholder(s):
		return false
	case strings.Trim(s, "*") == "":
		return false // masked, as the Zendesk APIs return secrets
	}
	switch strings.ToLower(s) {
	case "true", "false", "null", "none":
		return false
	}
	rest := strings.TrimSpace(bundle.ReplaceTemplateSpans(s, ""))
	if scheme, after, _ := strings.Cut(rest, " "); authSchemes[strings.ToLower(scheme)] {
		rest = strings.TrimSpace(after)
	} else if authSchemes[strings.ToLower(rest)] {
		rest = ""
	}
	return rest != ""
}

// isDescriptiveHeader reports whether a header describes the request
// rather than authenticating it.
func isDescriptiveHeader(name string) bool {
	var buf [32]byte
	lower, ok := appendASCIILower(buf[:0], strings.TrimSpace(name))
	if !ok {
		lower = []byte(strings.ToLower(strings.TrimSpace(name)))
	}
	return bytes.HasPrefix(lower, []byte("accept")) || bytes.HasPrefix(lower, []byte("content-")) || bytes.HasPrefix(lower, []byte("if-")) ||
		string(lower) == "user-agent" || string(lower) == "cache-control"
}

// hasRandomWord reports whether the literal part of a header value holds
// a long word that looks randomly generated, as keys and tokens do.
func hasRandomWord(s string) bool {
	s = bundle.ReplaceTemplateSpans(s, " ")
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == ';' || r == '"' }) {
		if len(word) >= 20 && !strings.Contains(word, "://") && !isHexID(word) && hasLetterAndDigit(word) &&
			entropy(word) >= 3.5 && switchesOften(word) {
			return true
		}
	}
	return false
}

// isHexID reports whether word is hexadecimal with optional dashes: a
// UUID, a hash or an ETag.
func isHexID(word string) bool {
	for _, c := range word {
		if !(c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func hasLetterAndDigit(word string) bool {
	var letter, digit bool
	for _, c := range word {
		letter = letter || unicode.IsLetter(c)
		digit = digit || unicode.IsDigit(c)
	}
	return letter && digit
}

// switchesOften reports whether word changes between lower case, upper
// case and digits at least once every three letters or digits. Entropy
// alone does not tell a key from a readable slug such as
// support-team-eu-west-2024, whose letters are varied too; generated keys
// switch class all the time, words and identifiers rarely.
func switchesOften(word string) bool {
	class := func(c rune) int {
		switch {
		case unicode.IsLower(c):
			return 1
		case unicode.IsUpper(c):
			return 2
		case unicode.IsDigit(c):
			return 3
		}
		return 0
	}
	alnum, switches, prev := 0, 0, 0
	for _, c := range word {
		k := class(c)
		if k == 0 {
			continue
		}
		if prev != 0 && k != prev {
			switches++
		}
		alnum++
		prev = k
	}
	return switches*3 >= alnum
}

// entropy is the Shannon entropy of word in bits per byte.
func entropy(word string) float64 {
	var counts [256]int
	for i := 0; i < len(word); i++ {
		counts[word[i]]++
	}
	h := 0.0
	n := float64(len(word))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
