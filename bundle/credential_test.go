package bundle

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestNameWords(t *testing.T) {
	tests := map[string][]string{
		"X-Api-Key":           {"x", "api", "key"},
		"APIKey":              {"api", "key"},
		"clientSecret":        {"client", "secret"},
		"oauth2Token":         {"oauth2", "token"},
		"access_token.$":      {"access", "token"},
		"Proxy-Authorization": {"proxy", "authorization"},
	}
	for name, want := range tests {
		if got := nameWords(name); !slices.Equal(got, want) {
			t.Errorf("nameWords(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestIsCredentialName(t *testing.T) {
	for _, name := range []string{"password", "Passwd", "client_secret", "clientSecret", "access_token", "token.$",
		"api_key", "credentials", "accesstoken", "clientsecret", "dbpassword", "awsprivatekey", "aws_credential", "apikey", "APIKEY", "X-Api-Key", "private_key", "secretKey", "Authorization", "X-Auth-Token"} {
		if !IsCredentialName(name) {
			t.Errorf("IsCredentialName(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"key", "value", "token_type", "password_hint", "tokenUrl", "page_token", "nextPageToken",
		"monkey", "pagetoken", "nextpagetoken", "synctoken", "tokenizer", "keyboard", "tokens", "secretary", "author"} {
		if IsCredentialName(name) {
			t.Errorf("IsCredentialName(%q) = true, want false", name)
		}
	}
}

// nameWords splits a name into lower-case words at punctuation and at
// camel-case humps (APIKey is api key, oauth2Token is oauth2 token). It is
// the plain statement of the split that lastWords does without allocating.
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

// referenceIsCredentialName is IsCredentialName written over nameWords,
// as it was before it stopped allocating.
func referenceIsCredentialName(name string) bool {
	words := nameWords(strings.TrimSuffix(name, ".$"))
	if len(words) == 0 {
		return false
	}
	for _, suffix := range [][]string{{"password"}, {"passwd"}, {"secret"}, {"token"}, {"apikey"}, {"credential"},
		{"credentials"}, {"api", "key"}, {"private", "key"}, {"secret", "key"}, {"authorization"}} {
		if len(words) < len(suffix) || !slices.Equal(words[len(words)-len(suffix):], suffix) {
			continue
		}
		return suffix[0] != "token" || len(words) == 1 || !slices.Contains(notSecretTokens, words[len(words)-2])
	}
	w := words[len(words)-1]
	for _, end := range solidCredentialEnds {
		prefix, ok := strings.CutSuffix(w, end)
		if !ok || prefix == "" {
			continue
		}
		return end != "token" || !slices.Contains(notSecretTokens, prefix) && prefix != "nextpage"
	}
	return false
}

// credentialNameSeeds are names whose split or case is easy to get wrong.
var credentialNameSeeds = []string{"", ".$", "-", "password", "PASSWORD", "Api_Key", "APIKey", "apiKEY", "my-api-key",
	"privateKey", "secret_KEY", "X-Api-Key.$", "page_token", "nextPageToken", "NEXTPAGETOKEN", "next_page_token",
	"Sync-Token", "cursorToken", "continuationtoken", "token", "Token", "TOKEN", "oauth2Token", "OAuth2TOKEN",
	"dbPassword2", "password2", "\u212aey", "api\u212aey", "ap\u0130key", "\u0130password", "p\u00e4sswordToken",
	"\xffpassword", "pass\xffword", "token\xe2\x82", "\xe2\x82\xactoken", "ÄÖÜSecret", "ÉcoleToken", "secret\u00a0key",
	"PAGEToken", "PageTOKEN", "aToken", "ASecret", "a1B2c3", "tokenizer", "Authorization", "Proxy-Authorization",
	"accessToken.$.$", "credentialS", "x_credentials", "secretkey", "SECRETKEY", "privatekey", "nextpage_token"}

func TestIsCredentialNameMatchesWordSplit(t *testing.T) {
	for _, name := range credentialNameSeeds {
		if got, want := IsCredentialName(name), referenceIsCredentialName(name); got != want {
			t.Errorf("IsCredentialName(%q) = %v, want %v (words %q)", name, got, want, nameWords(name))
		}
	}
}

func FuzzIsCredentialName(f *testing.F) {
	for _, name := range credentialNameSeeds {
		f.Add(name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := IsCredentialName(name), referenceIsCredentialName(name); got != want {
			t.Errorf("IsCredentialName(%q) = %v, want %v (words %q)", name, got, want, nameWords(name))
		}
	})
}

func TestIsCredentialNameAllocatesNothing(t *testing.T) {
	for _, name := range credentialNameSeeds {
		if n := testing.AllocsPerRun(10, func() { IsCredentialName(name) }); n != 0 {
			t.Errorf("IsCredentialName(%q) allocates %v times, want 0", name, n)
		}
	}
}

func BenchmarkIsCredentialName(b *testing.B) {
	names := []string{"ticket_id", "X-Api-Key", "nextPageToken", "Content-Type", "clientSecret", "requester.email"}
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range names {
			IsCredentialName(name)
		}
	}
}

func BenchmarkReferenceIsCredentialName(b *testing.B) {
	names := []string{"ticket_id", "X-Api-Key", "nextPageToken", "Content-Type", "clientSecret", "requester.email"}
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range names {
			referenceIsCredentialName(name)
		}
	}
}

// TestQuickLookKeepsEveryCredentialWord: the quick look at a name's last
// letter must let through every word a credential name may end in.
func TestQuickLookKeepsEveryCredentialWord(t *testing.T) {
	var words []string
	for _, suffix := range credentialSuffixes {
		words = append(words, suffix[0])
	}
	words = append(words, solidCredentialEnds...)
	for _, w := range words {
		for _, name := range []string{w, strings.ToUpper(w), "x_" + w + "_", w + ".$"} {
			if !mayEndInCredentialWord(strings.TrimSuffix(name, ".$")) {
				t.Errorf("the quick look turns away %q", name)
			}
		}
	}
}
