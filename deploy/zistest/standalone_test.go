package zistest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

func TestNewServerServesWithoutATest(t *testing.T) {
	fake, err := zistest.NewServer(zistest.WithOAuthClient("local", "local-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if fake.URL() != "" {
		t.Errorf("URL() = %q; a server its caller serves has none of its own", fake.URL())
	}
	if err := fake.Seed(func(s *zistest.Server) { s.SeedIntegration("app", "") }); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/services/zis/registry/integrations", nil)
	req.Header.Set("Authorization", zistest.BasicAuth(zistest.DefaultEmail, zistest.DefaultAPIToken))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(fake.Calls()) != 1 {
		t.Errorf("status %d, %d calls; want 200 and the call recorded", resp.StatusCode, len(fake.Calls()))
	}
	if fake.Credentials().ClientID != "local" {
		t.Errorf("client %q; want the one given", fake.Credentials().ClientID)
	}
	fake.Close()
	fake.Close() // twice is fine
}

func TestNewServerSeedMisuseIsAnError(t *testing.T) {
	fake, err := zistest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	for name, seed := range map[string]func(*zistest.Server){
		"invalid integration key": func(s *zistest.Server) { s.SeedIntegration("Not Valid", "") },
		"not registered": func(s *zistest.Server) {
			s.SeedConnection("nobody", zistest.Connection{Type: zistest.ConnOAuth, Name: "z"})
		},
		"bad bundle": func(s *zistest.Server) { s.SeedIntegration("app", ""); s.SeedBundle("app", []byte("[]")) },
	} {
		if err := fake.Seed(seed); err == nil || !strings.Contains(err.Error(), "zistest:") {
			t.Errorf("%s: Seed = %v; want the misuse as an error", name, err)
		}
	}
	// The lock was released on the way out: the server still answers.
	if _, ok := fake.Integration("app"); !ok {
		t.Error("the integration seeded before the misuse is gone")
	}
	if _, err := zistest.NewServer(zistest.WithMaxPageSize(0)); err == nil {
		t.Error("NewServer(WithMaxPageSize(0)) gave no error")
	}
}
