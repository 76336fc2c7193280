package bundle

import (
	"slices"
	"testing"
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
