package bundle

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// credentialSuffixes are the word sequences that end a credential's name,
// last word first; names are split into lower-case words first (X-Api-Key,
// apiKey and api_key all become api key).
var credentialSuffixes = [][]string{
	{"password"}, {"passwd"}, {"secret"}, {"token"}, {"apikey"}, {"credential"}, {"credentials"},
	{"key", "api"}, {"key", "private"}, {"key", "secret"}, {"authorization"},
}

// notSecretTokens are words before "token" that make it a pagination or
// sync cursor, which is not a credential.
var notSecretTokens = []string{"page", "next", "continuation", "cursor", "sync"}

// IsCredentialName reports whether a key or header name says its value is
// a credential. Only the end of the name counts: token_type and
// password_hint name something else. A last word written solid counts
// too (accesstoken, clientsecret, dbpassword), so the plan redacts what
// a lower-case API names that way.
//
// It allocates nothing: the linter asks it about every key of every
// bundle, so it keeps only the name's last two words, as slices of name,
// and compares them lower-cased rune by rune.
func IsCredentialName(name string) bool {
	name = strings.TrimSuffix(name, ".$")
	if !mayEndInCredentialWord(name) {
		return false
	}
	last, n := lastWords(name)
	if n == 0 {
		return false
	}
	for _, suffix := range credentialSuffixes {
		if n < len(suffix) || !wordsAre(last[:len(suffix)], suffix) {
			continue
		}
		if suffix[0] == "token" && n > 1 && isNotSecretToken(last[1]) {
			return false
		}
		return true
	}
	return solidCredentialWord(last[0])
}

// mayEndInCredentialWord is a quick look at the last letter or digit of
// name, which ends its last word: every credential word ends in d, t, n,
// y, l or s, and most names end otherwise. A non-ASCII rune is left to
// the full check, as one lower-cases to ASCII.
func mayEndInCredentialWord(name string) bool {
	for i := len(name) - 1; i >= 0; i-- {
		c := name[i]
		switch {
		case c >= utf8.RuneSelf:
			return true
		case '0' <= c && c <= '9':
			return false
		case 'a' <= c|0x20 && c|0x20 <= 'z':
			switch c | 0x20 {
			case 'd', 't', 'n', 'y', 'l', 's':
				return true
			}
			return false
		}
	}
	return false // no letter or digit: no word at all
}

// wordsAre reports whether each word, lower-cased, is its suffix word.
func wordsAre(words []string, suffix []string) bool {
	for i, w := range words {
		if !lowerIs(w, suffix[i]) {
			return false
		}
	}
	return true
}

func isNotSecretToken(w string) bool {
	for _, t := range notSecretTokens {
		if lowerIs(w, t) {
			return true
		}
	}
	return false
}

// solidCredentialEnds end a one-word credential name such as accesstoken.
var solidCredentialEnds = []string{"password", "passwd", "secret", "token", "apikey", "privatekey", "secretkey",
	"credential", "credentials", "authorization"}

// solidCredentialWord reports whether word w (as written, not yet
// lower-cased) ends in a credential word after at least one other rune.
func solidCredentialWord(w string) bool {
	for _, end := range solidCredentialEnds {
		prefix, ok := cutLowerSuffix(w, end)
		if !ok || prefix == "" {
			continue
		}
		return end != "token" || !isNotSecretToken(prefix) && !lowerIs(prefix, "nextpage")
	}
	return false
}

// lastWords returns the last two words of name, last first, as nameWords
// in the tests splits it: at punctuation and at camel-case humps (APIKey
// is api key, oauth2Token is oauth2 token). The words are not lower-cased.
func lastWords(name string) (last [2]string, n int) {
	start := -1 // byte offset of the current word, or -1 between words
	flush := func(end int) {
		if start >= 0 {
			last[1], last[0] = last[0], name[start:end]
			n++
			start = -1
		}
	}
	var prev rune
	for i, c := range name {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			flush(i)
		} else {
			if i > 0 && unicode.IsUpper(c) && isHump(prev, name[i+utf8.RuneLen(c):]) {
				flush(i)
			}
			if start < 0 {
				start = i
			}
		}
		prev = c
	}
	flush(len(name))
	return last, min(n, 2)
}

// isHump reports whether an upper-case letter after prev, followed by
// rest, starts a new word.
func isHump(prev rune, rest string) bool {
	next, _ := utf8.DecodeRuneInString(rest)
	nextLower := rest != "" && unicode.IsLower(next)
	return unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower)
}

// lowerIs reports whether w, lower-cased rune by rune, is the ASCII word
// want. Some non-ASCII letters lower-case to ASCII (the Kelvin sign to k),
// so it compares runes rather than bytes.
func lowerIs(w, want string) bool {
	j := 0
	for _, c := range w {
		if j == len(want) || unicode.ToLower(c) != rune(want[j]) {
			return false
		}
		j++
	}
	return j == len(want)
}

// cutLowerSuffix is strings.CutSuffix on w lower-cased, for an ASCII
// suffix; the prefix it returns is w's own, not lower-cased. Words hold
// only letters and digits, so decoding backwards is exact.
func cutLowerSuffix(w, suffix string) (string, bool) {
	for j := len(suffix) - 1; j >= 0; j-- {
		c, size := utf8.DecodeLastRuneInString(w)
		if size == 0 || unicode.ToLower(c) != rune(suffix[j]) {
			return w, false
		}
		w = w[:len(w)-size]
	}
	return w, true
}
