package bundle

import (
	"slices"
	"strings"
	"unicode"
)

// credentialSuffixes are the word sequences that end a credential's name;
// names are split into lower-case words first (X-Api-Key, apiKey and
// api_key all become api key).
var credentialSuffixes = [][]string{
	{"password"}, {"passwd"}, {"secret"}, {"token"}, {"apikey"}, {"credential"}, {"credentials"},
	{"api", "key"}, {"private", "key"}, {"secret", "key"}, {"authorization"},
}

// notSecretTokens are words before "token" that make it a pagination or
// sync cursor, which is not a credential.
var notSecretTokens = map[string]bool{"page": true, "next": true, "continuation": true, "cursor": true, "sync": true}

// IsCredentialName reports whether a key or header name says its value is
// a credential. Only the end of the name counts: token_type and
// password_hint name something else. A last word written solid counts
// too (accesstoken, clientsecret, dbpassword), so the plan redacts what
// a lower-case API names that way.
func IsCredentialName(name string) bool {
	words := nameWords(strings.TrimSuffix(name, ".$"))
	if len(words) == 0 {
		return false
	}
	for _, suffix := range credentialSuffixes {
		if len(words) < len(suffix) {
			continue
		}
		tail := words[len(words)-len(suffix):]
		if !slices.Equal(tail, suffix) {
			continue
		}
		if suffix[0] == "token" && len(words) > 1 && notSecretTokens[words[len(words)-2]] {
			return false
		}
		return true
	}
	return solidCredentialWord(words[len(words)-1])
}

// solidCredentialEnds end a one-word credential name such as accesstoken.
var solidCredentialEnds = []string{"password", "passwd", "secret", "token", "apikey", "privatekey", "secretkey",
	"credential", "credentials", "authorization"}

func solidCredentialWord(w string) bool {
	for _, end := range solidCredentialEnds {
		prefix, ok := strings.CutSuffix(w, end)
		if !ok || prefix == "" {
			continue
		}
		return end != "token" || !notSecretTokens[prefix] && prefix != "nextpage"
	}
	return false
}

// nameWords splits a name into lower-case words at punctuation and at
// camel-case humps (APIKey is api key, oauth2Token is oauth2 token).
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, c := range runes {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			flush()
			continue
		}
		if i > 0 && unicode.IsUpper(c) {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, unicode.ToLower(c))
	}
	flush()
	return words
}
