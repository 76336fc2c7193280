package zistest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zislint/zislint/deploy/zistest"
)

const (
	registry = "/api/services/zis/registry/"
	install  = registry + "job_specs/install?job_spec_name="
)

type result struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// json decodes the body generically, so shapes are compared field by
// field (and extra fields show up in diffs).
func (r result) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return v
}

func send(t *testing.T, c *http.Client, s *zistest.Server, method, path, authz, body string) result {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}

func do(t *testing.T, s *zistest.Server, method, path, authz, body string) result {
	t.Helper()
	r := send(t, s.Client(), s, method, path, authz, body)
	if r.err != nil {
		t.Fatalf("%s %s: %v", method, path, r.err)
	}
	return r
}

func basic(s *zistest.Server) string  { return s.Credentials().BasicHeader() }
func bearer(s *zistest.Server) string { return s.Credentials().BearerHeader() }

// bundle is a bundle with one flow and the given job specs.
func bundle(key string, jobSpecs ...string) string {
	res := map[string]any{
		"flow": map[string]any{"type": "ZIS::Flow", "properties": map[string]any{
			"name": "flow", "definition": map[string]any{"StartAt": "Done", "States": map[string]any{"Done": map[string]any{"Type": "Succeed"}}},
		}},
	}
	for _, js := range jobSpecs {
		res["js_"+js] = map[string]any{"type": "ZIS::JobSpec", "properties": map[string]any{
			"name": js, "event_source": "support", "event_type": "ticket.TicketCreated", "flow_name": "zis:" + key + ":flow:flow",
		}}
	}
	b, _ := json.Marshal(map[string]any{"zis_template_version": "2019-10-14", "name": key + "_bundle", "description": "d", "resources": res})
	return string(b)
}

func errBody(code, detail, status, message string) any {
	return map[string]any{"errors": []any{map[string]any{"code": code, "detail": detail, "status": status}}, "message": message}
}

func TestRegister(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("taken", "already there")
	long := strings.Repeat("a", 64)
	tests := []struct {
		name, key, authz, body string
		status                 int
		want                   any // nil: checked below
	}{
		{"new", "my_app-1", basic(s), `{"description":"My app"}`, 200, nil},
		{"64 chars", long, basic(s), `{"description":"x"}`, 200, nil},
		{"exists", "taken", basic(s), `{"description":"x"}`, 409, errBody("1010", "integration taken already exists", "409", "Conflict")},
		{"upper case", "MyApp", basic(s), `{}`, 400, errBody("1010", "invalid integration key", "400", "Invalid integration key")},
		{"65 chars", long + "a", basic(s), `{}`, 400, errBody("1010", "invalid integration key", "400", "Invalid integration key")},
		{"dot", "my.app", basic(s), `{}`, 400, errBody("1010", "invalid integration key", "400", "Invalid integration key")},
		{"encoded slash", "a%2Fb", basic(s), `{}`, 400, errBody("1010", "invalid integration key", "400", "Invalid integration key")},
		{"bad json", "other", basic(s), `{`, 400, errBody("1010", "the body is not valid JSON", "400", "Bad request")},
		{"oauth refused", "other", bearer(s), `{}`, 401, errBody("1001", "Authorization failed due to OAuth being disabled for this API request", "401", "Authorization failed due to OAuth being disabled for this API request")},
		{"no auth", "other", "", `{}`, 401, errBody("1001", "Couldn't authenticate you", "401", "Couldn't authenticate you")},
		{"wrong token", "other", zistest.BasicAuth(zistest.DefaultEmail, "nope"), `{}`, 401, errBody("1001", "Couldn't authenticate you", "401", "Couldn't authenticate you")},
		{"password not token", "other", "Basic " + b64(zistest.DefaultEmail+":"+zistest.DefaultAPIToken), `{}`, 401, errBody("1001", "Couldn't authenticate you", "401", "Couldn't authenticate you")},
		{"other scheme", "other", "Token abc", `{}`, 401, errBody("1001", "Couldn't authenticate you", "401", "Couldn't authenticate you")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, s, "POST", registry+tt.key, tt.authz, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			want := tt.want
			if want == nil {
				key, _ := url.PathUnescape(tt.key)
				ig, ok := s.Integration(key)
				if !ok {
					t.Fatalf("%s not registered", key)
				}
				want = map[string]any{
					"description":    ig.Description,
					"jwt_public_key": ig.JWTPublicKey,
					"zendesk_oauth_client": map[string]any{
						"id": float64(ig.OAuthClientID), "identifier": "zis_" + key, "secret": ig.Secret,
					},
				}
				if ig.Secret == "" || ig.JWTPublicKey == "" || ig.OAuthClientID == 0 {
					t.Errorf("incomplete registration %+v", ig)
				}
			}
			if diff := cmp.Diff(want, r.json(t)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
	if got := s.Counters().Registrations; got != 2 {
		t.Errorf("registrations = %d, want 2 (refused ones do not count)", got)
	}
	if ig, _ := s.Integration("my_app-1"); ig.Description != "My app" {
		t.Errorf("description = %q", ig.Description)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestListIntegrations(t *testing.T) {
	s := zistest.New(t)
	if r := do(t, s, "GET", registry+"integrations", basic(s), ""); r.status != 200 || string(r.body) != `{"integrations":[]}` {
		t.Fatalf("empty registry: %d %s", r.status, r.body)
	}
	b := s.SeedIntegration("bbb", "B")
	do(t, s, "POST", registry+"aaa", basic(s), `{"description":"A"}`)
	a, _ := s.Integration("aaa")
	for _, authz := range []string{basic(s), bearer(s)} {
		r := do(t, s, "GET", registry+"integrations", authz, "")
		want := map[string]any{"integrations": []any{
			map[string]any{"name": "aaa", "description": "A", "jwt_public_key": a.JWTPublicKey, "zendesk_oauth_client": map[string]any{"id": float64(a.OAuthClientID), "identifier": "zis_aaa"}},
			map[string]any{"name": "bbb", "description": "B", "jwt_public_key": b.JWTPublicKey, "zendesk_oauth_client": map[string]any{"id": float64(b.OAuthClientID), "identifier": "zis_bbb"}},
		}}
		if diff := cmp.Diff(want, r.json(t)); diff != "" {
			t.Errorf("listing (-want +got):\n%s", diff)
		}
		if strings.Contains(string(r.body), a.Secret) || strings.Contains(string(r.body), b.Secret) {
			t.Errorf("listing shows a client secret: %s", r.body)
		}
	}
}

func TestUpload(t *testing.T) {
	tests := []struct {
		name   string
		opts   []zistest.Option
		key    string
		authz  func(*zistest.Server) string
		body   string
		status int
		detail string // for errors
	}{
		{"ok", nil, "app", basic, bundle("app", "js1"), 200, ""},
		{"201 when configured", []zistest.Option{zistest.WithUploadStatus(201)}, "app", basic, bundle("app", "js1"), 201, ""},
		{"not json", nil, "app", basic, `nope`, 400, "the bundle is not a JSON object"},
		{"array", nil, "app", basic, `[]`, 400, "the bundle is not a JSON object"},
		{"no template version", nil, "app", basic, `{"resources":{}}`, 400, "zis_template_version is required"},
		{"no resources", nil, "app", basic, `{"zis_template_version":"2019-10-14"}`, 400, "resources is required and must be an object"},
		{"job spec without name", nil, "app", basic, `{"zis_template_version":"2019-10-14","resources":{"j":{"type":"ZIS::JobSpec","properties":{}}}}`, 400, "job spec j: properties.name is required"},
		{"duplicate job spec", nil, "app", basic, `{"zis_template_version":"2019-10-14","resources":{"a":{"type":"ZIS::JobSpec","properties":{"name":"x"}},"b":{"type":"ZIS::JobSpec","properties":{"name":"x"}}}}`, 400, "Bundle contains duplicated resources"},
		{"unknown integration", nil, "nope", basic, bundle("nope", "js1"), 404, "integration nope not found"},
		{"oauth refused", nil, "app", bearer, bundle("app", "js1"), 401, "Authorization failed due to OAuth being disabled for this API request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := zistest.New(t, append(tt.opts, zistest.WithAccountID(42))...)
			s.SeedIntegration("app", "")
			r := do(t, s, "POST", registry+tt.key+"/bundles", tt.authz(s), tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			ig, _ := s.Integration("app")
			if tt.detail != "" {
				got := r.json(t).(map[string]any)["errors"].([]any)[0].(map[string]any)["detail"]
				if got != tt.detail {
					t.Errorf("detail %q, want %q", got, tt.detail)
				}
				if ig.Bundle != nil || s.Counters().Uploads != 0 {
					t.Errorf("a refused upload changed the state")
				}
				return
			}
			got := r.json(t).(map[string]any)
			if got["uuid"] == "" {
				t.Errorf("no uuid: %v", got)
			}
			delete(got, "uuid")
			want := map[string]any{"name": "app_bundle", "description": "d", "integration": "app", "zendesk_account_id": float64(42), "zis_template_version": "2019-10-14"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			if string(ig.Bundle) != tt.body || ig.BundleName != "app_bundle" {
				t.Errorf("stored bundle %q (%q)", ig.Bundle, ig.BundleName)
			}
			wantJS := []zistest.JobSpec{{Name: "js1", EventSource: "support", EventType: "ticket.TicketCreated", FlowName: "zis:app:flow:flow", InBundle: true}}
			if diff := cmp.Diff(wantJS, ig.JobSpecs, ignoreUUID); diff != "" {
				t.Errorf("job specs (-want +got):\n%s", diff)
			}
			if s.Counters().Uploads != 1 {
				t.Errorf("uploads = %d", s.Counters().Uploads)
			}
		})
	}
}

var ignoreUUID = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".UUID" }, cmp.Ignore())

func TestUploadKeepsBundleUUID(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "")
	var uuids []any
	for range 2 {
		r := do(t, s, "POST", registry+"app/bundles", basic(s), bundle("app", "js1"))
		uuids = append(uuids, r.json(t).(map[string]any)["uuid"])
	}
	if uuids[0] != uuids[1] {
		t.Errorf("an upsert of the same bundle changed its uuid: %v", uuids)
	}
}

// listJobSpecs fetches one page.
func listJobSpecs(t *testing.T, s *zistest.Server, key, query string) (names []string, meta map[string]any) {
	t.Helper()
	r := do(t, s, "GET", registry+key+"/job_specs"+query, basic(s), "")
	if r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	v := r.json(t).(map[string]any)
	for _, js := range v["job_specs"].([]any) {
		names = append(names, js.(map[string]any)["name"].(string))
	}
	return names, v["meta"].(map[string]any)
}

func TestListJobSpecsShape(t *testing.T) {
	for _, qualified := range []bool{false, true} {
		t.Run(fmt.Sprint("qualified=", qualified), func(t *testing.T) {
			var opts []zistest.Option
			if qualified {
				opts = append(opts, zistest.WithQualifiedJobSpecNames())
			}
			s := zistest.New(t, opts...)
			s.SeedIntegration("app", "")
			s.SeedJobSpec("app", zistest.JobSpec{Name: "js1", UUID: "u1", EventSource: "support", EventType: "ticket.TicketCreated", FlowName: "zis:app:flow:f", Description: "first", Installed: true, InBundle: true})
			for _, authz := range []string{basic(s), bearer(s)} {
				r := do(t, s, "GET", registry+"app/job_specs", authz, "")
				name := "js1"
				if qualified {
					name = "zis:app:job_spec:js1"
				}
				cur := r.json(t).(map[string]any)["meta"].(map[string]any)["after"]
				want := map[string]any{
					"job_specs": []any{map[string]any{"name": name, "uuid": "u1", "integration": "app", "event_source": "support", "event_type": "ticket.TicketCreated", "flow_name": "zis:app:flow:f", "installed": true, "description": "first"}},
					"meta":      map[string]any{"after": cur, "before": cur, "has_more": false},
				}
				if diff := cmp.Diff(want, r.json(t)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestListJobSpecsPagination(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "")
	s.SeedIntegration("empty", "")
	var all []string
	for i := range 45 {
		n := fmt.Sprintf("js%02d", i)
		all = append(all, n)
		s.SeedJobSpec("app", zistest.JobSpec{Name: n, InBundle: true})
	}

	// Default page size 20: 20, 20, 5.
	var got []string
	var sizes []int
	query := ""
	for {
		names, meta := listJobSpecs(t, s, "app", query)
		got = append(got, names...)
		sizes = append(sizes, len(names))
		if meta["has_more"] != true {
			break
		}
		query = "?page[after]=" + url.QueryEscape(meta["after"].(string))
	}
	if diff := cmp.Diff(all, got); diff != "" {
		t.Errorf("all pages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{20, 20, 5}, sizes); diff != "" {
		t.Errorf("page sizes (-want +got):\n%s", diff)
	}

	tests := []struct {
		name, query string
		want        []string
		hasMore     bool
	}{
		{"size 100", "?page[size]=100", all, false},
		{"size 45 exactly", "?page[size]=45", all, false},
		{"size 7", "?page[size]=7", all[:7], true},
		{"encoded brackets", "?page%5Bsize%5D=3", all[:3], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names, meta := listJobSpecs(t, s, "app", tt.query)
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if meta["has_more"] != tt.hasMore {
				t.Errorf("has_more = %v", meta["has_more"])
			}
		})
	}

	// before goes back from a page's first item.
	_, meta := listJobSpecs(t, s, "app", "?page[size]=10")
	second, meta2 := listJobSpecs(t, s, "app", "?page[size]=10&page[after]="+meta["after"].(string))
	if diff := cmp.Diff(all[10:20], second); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}
	back, metaBack := listJobSpecs(t, s, "app", "?page[size]=10&page[before]="+meta2["before"].(string))
	if diff := cmp.Diff(all[:10], back); diff != "" || metaBack["has_more"] != false {
		t.Errorf("page before (-want +got):\n%s has_more=%v", diff, metaBack["has_more"])
	}

	// Past the end and an empty integration: empty page, null cursors.
	last, metaLast := listJobSpecs(t, s, "app", "?page[size]=100")
	_ = last
	end, metaEnd := listJobSpecs(t, s, "app", "?page[after]="+metaLast["after"].(string))
	wantEnd := map[string]any{"after": nil, "before": nil, "has_more": false}
	if len(end) != 0 || !cmp.Equal(wantEnd, metaEnd) {
		t.Errorf("after the end: %v %v", end, metaEnd)
	}
	if names, m := listJobSpecs(t, s, "empty", ""); len(names) != 0 || !cmp.Equal(wantEnd, m) {
		t.Errorf("empty integration: %v %v", names, m)
	}

	bad := []struct{ name, query, detail string }{
		{"size 0", "?page[size]=0", "page[size] must be between 1 and 100"},
		{"size 101", "?page[size]=101", "page[size] must be between 1 and 100"},
		{"size word", "?page[size]=ten", "page[size] must be between 1 and 100"},
		{"bad cursor", "?page[after]=js01", "invalid cursor"},
		{"both cursors", "?page[after]=a&page[before]=b", "page[after] and page[before] cannot be used together"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, s, "GET", registry+"app/job_specs"+tt.query, basic(s), "")
			if diff := cmp.Diff(errBody("1010", tt.detail, "400", "Bad request"), r.json(t)); r.status != 400 || diff != "" {
				t.Errorf("status %d (-want +got):\n%s", r.status, diff)
			}
		})
	}
	if r := do(t, s, "GET", registry+"nope/job_specs", basic(s), ""); r.status != 404 {
		t.Errorf("unknown integration: %d", r.status)
	}
}

func TestMaxPageSize(t *testing.T) {
	s := zistest.New(t, zistest.WithMaxPageSize(2))
	s.SeedIntegration("app", "")
	for _, n := range []string{"a", "b", "c"} {
		s.SeedJobSpec("app", zistest.JobSpec{Name: n, InBundle: true})
	}
	names, meta := listJobSpecs(t, s, "app", "?page[size]=100")
	if diff := cmp.Diff([]string{"a", "b"}, names); diff != "" || meta["has_more"] != true {
		t.Errorf("capped page (-want +got):\n%s has_more=%v", diff, meta["has_more"])
	}
}

func TestInstallUninstall(t *testing.T) {
	type step struct {
		method, name string
		authz        string // "" = basic; "bearer"; "none"
		status       int
	}
	tests := []struct {
		name       string
		opts       []zistest.Option
		steps      []step
		installed  map[string]bool
		counters   zistest.Counters
		statusBody string
	}{
		{
			name: "bare and qualified, idempotent install",
			steps: []step{
				{"POST", "js1", "", 200},
				{"POST", "zis:app:job_spec:js1", "bearer", 200},
				{"POST", "zis:app:job_spec:js2", "", 200},
				{"DELETE", "js2", "bearer", 200},
			},
			installed: map[string]bool{"js1": true, "js2": false},
			counters: zistest.Counters{Installs: 3, Uninstalls: 1,
				InstallsByName:   map[string]int{"zis:app:job_spec:js1": 2, "zis:app:job_spec:js2": 1},
				UninstallsByName: map[string]int{"zis:app:job_spec:js2": 1}},
		},
		{
			name: "uninstalling an uninstalled job spec is 404",
			steps: []step{
				{"DELETE", "js1", "", 404},
				{"POST", "js1", "", 200},
				{"DELETE", "js1", "", 200},
				{"DELETE", "zis:app:job_spec:js1", "", 404},
			},
			installed: map[string]bool{"js1": false, "js2": false},
			counters: zistest.Counters{Installs: 1, Uninstalls: 1,
				InstallsByName: map[string]int{"zis:app:job_spec:js1": 1}, UninstallsByName: map[string]int{"zis:app:job_spec:js1": 1}},
		},
		{
			name:      "lenient uninstall",
			opts:      []zistest.Option{zistest.WithUninstallNotInstalledOK(), zistest.WithInstallStatus(204)},
			steps:     []step{{"DELETE", "js1", "", 204}},
			installed: map[string]bool{"js1": false, "js2": false},
			counters:  zistest.Counters{Uninstalls: 1, InstallsByName: map[string]int{}, UninstallsByName: map[string]int{"zis:app:job_spec:js1": 1}},
		},
		{
			name: "errors",
			steps: []step{
				{"POST", "nope", "", 404},
				{"POST", "zis:app:job_spec:nope", "", 404},
				{"POST", "zis:other:job_spec:js1", "", 404},
				{"POST", "", "", 400},
				{"POST", "zis:app:js1", "", 400},
				{"POST", "js1", "none", 401},
				{"DELETE", "js1", "none", 401},
				{"PUT", "js1", "", 405},
			},
			installed: map[string]bool{"js1": false, "js2": false},
			counters:  zistest.Counters{InstallsByName: map[string]int{}, UninstallsByName: map[string]int{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := zistest.New(t, tt.opts...)
			s.SeedIntegration("app", "")
			s.SeedBundle("app", []byte(bundle("app", "js1", "js2")))
			for _, st := range tt.steps {
				authz := basic(s)
				switch st.authz {
				case "bearer":
					authz = bearer(s)
				case "none":
					authz = ""
				}
				r := do(t, s, st.method, install+url.QueryEscape(st.name), authz, "")
				if r.status != st.status {
					t.Errorf("%s %s: status %d, want %d: %s", st.method, st.name, r.status, st.status, r.body)
				}
				if r.status/100 == 2 && len(r.body) != 0 {
					t.Errorf("%s %s: body %q, want none", st.method, st.name, r.body)
				}
			}
			ig, _ := s.Integration("app")
			got := map[string]bool{}
			for _, js := range ig.JobSpecs {
				got[js.Name] = js.Installed
			}
			if diff := cmp.Diff(tt.installed, got); diff != "" {
				t.Errorf("installed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.counters, s.Counters()); diff != "" {
				t.Errorf("counters (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInstallBareNameAmbiguity(t *testing.T) {
	s := zistest.New(t, zistest.WithOAuthToken("tok-a", "a"), zistest.WithOAuthToken("tok-any"))
	for _, k := range []string{"a", "b"} {
		s.SeedIntegration(k, "")
		s.SeedJobSpec(k, zistest.JobSpec{Name: "same", InBundle: true})
	}
	tests := []struct {
		name, authz, jobSpec string
		status               int
	}{
		{"basic: bare name in two integrations", basic(s), "same", 400},
		{"basic: qualified", basic(s), "zis:b:job_spec:same", 200},
		{"scoped token: bare name resolves to its integration", "Bearer tok-a", "same", 200},
		{"scoped token: other integration", "Bearer tok-a", "zis:b:job_spec:same", 401},
		{"unscoped token: ambiguous", "Bearer tok-any", "same", 400},
		{"unknown token", "Bearer " + zistest.DefaultOAuthToken, "same", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := do(t, s, "POST", install+url.QueryEscape(tt.jobSpec), tt.authz, ""); r.status != tt.status {
				t.Errorf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
		})
	}
	want := map[string]int{"zis:a:job_spec:same": 1, "zis:b:job_spec:same": 1}
	if diff := cmp.Diff(want, s.Counters().InstallsByName); diff != "" {
		t.Errorf("installs (-want +got):\n%s", diff)
	}
	r := do(t, s, "GET", registry+"b/job_specs", "Bearer tok-a", "")
	if diff := cmp.Diff(errBody("1001", "Authorization failed due to integration mismatch", "401", "Authorization failed due to integration mismatch"), r.json(t)); r.status != 401 || diff != "" {
		t.Errorf("scoped token on another integration: %d (-want +got):\n%s", r.status, diff)
	}
}

// TestUploadOrphansInstalls models what a deploy must undo: after an
// upload the bundle's job specs are not installed, and an installed job
// spec that left the bundle stays installed.
func TestUploadOrphansInstalls(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "")
	type row struct {
		Name      string
		Installed bool
	}
	list := func() []row {
		r := do(t, s, "GET", registry+"app/job_specs", basic(s), "")
		var v struct {
			JobSpecs []row `json:"job_specs"`
		}
		json.Unmarshal(r.body, &v)
		return v.JobSpecs
	}
	upload := func(jobSpecs ...string) {
		if r := do(t, s, "POST", registry+"app/bundles", basic(s), bundle("app", jobSpecs...)); r.status != 200 {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
	}
	inst := func(method, name string, status int) {
		t.Helper()
		if r := do(t, s, method, install+"zis:app:job_spec:"+name, basic(s), ""); r.status != status {
			t.Fatalf("%s %s: %d, want %d", method, name, r.status, status)
		}
	}

	upload("keep", "old", "idle")
	inst("POST", "keep", 200)
	inst("POST", "old", 200)
	before, _ := s.Integration("app")

	upload("keep", "new")
	want := []row{{"keep", false}, {"new", false}, {"old", true}}
	if diff := cmp.Diff(want, list()); diff != "" {
		t.Errorf("after the upload (-want +got):\n%s", diff)
	}
	after, _ := s.Integration("app")
	if before.JobSpecs[0].UUID == after.JobSpecs[0].UUID {
		t.Errorf("re-uploaded job spec kept uuid %s; the fake gives it a new one", after.JobSpecs[0].UUID)
	}
	if after.JobSpecs[2].InBundle || !after.JobSpecs[2].Installed {
		t.Errorf("stale job spec: %+v", after.JobSpecs[2])
	}

	inst("POST", "keep", 200)
	inst("POST", "new", 200)
	inst("DELETE", "old", 200)
	want = []row{{"keep", true}, {"new", true}}
	if diff := cmp.Diff(want, list()); diff != "" {
		t.Errorf("after the deploy (-want +got):\n%s", diff)
	}
	inst("DELETE", "old", 404)
	inst("POST", "old", 404)
}

func TestConnections(t *testing.T) {
	s := zistest.New(t, zistest.WithMaxPageSize(3))
	s.SeedIntegration("app", "")
	s.SeedIntegration("bare", "")
	secrets := []string{"sk-apikey-secret", "pw-basic-secret", "tok-bearer-secret", "oauth-access-secret"}
	s.SeedConnection("app", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", UUID: "u4", AllowedDomain: "acme.zendesk.com", Secret: secrets[3]})
	s.SeedConnection("app", zistest.Connection{Type: zistest.ConnBearerToken, Name: "slack", UUID: "u3", AllowedDomain: "slack.com", Secret: secrets[2]})
	s.SeedConnection("app", zistest.Connection{Type: zistest.ConnBasicAuth, Name: "jira", UUID: "u2", AllowedDomain: "*.atlassian.net", Username: "bot", Secret: secrets[1]})
	s.SeedConnection("app", zistest.Connection{Type: zistest.ConnAPIKey, Name: "shop", UUID: "u1", AllowedDomain: "api.shop.com", HeaderName: "X-Api-Key", Secret: secrets[0]})

	path := "/api/services/zis/integrations/app/connections/all"
	r := do(t, s, "GET", path, bearer(s), "")
	v := r.json(t).(map[string]any)
	after := v["meta"].(map[string]any)["after"]
	want := map[string]any{
		"api_key":      []any{map[string]any{"name": "shop", "uuid": "u1", "integration": "app", "allowed_domain": "api.shop.com", "header_name": "X-Api-Key", "api_key": "*****"}},
		"basic_auth":   []any{map[string]any{"name": "jira", "uuid": "u2", "integration": "app", "allowed_domain": "*.atlassian.net", "username": "bot", "password": "*****"}},
		"bearer_token": []any{map[string]any{"name": "slack", "uuid": "u3", "integration": "app", "allowed_domain": "slack.com", "token": "*****"}},
		"oauth":        []any{},
		"meta":         map[string]any{"after": after, "before": v["meta"].(map[string]any)["before"], "has_more": true},
	}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("first page (-want +got):\n%s", diff)
	}
	r2 := do(t, s, "GET", path+"?page[after]="+after.(string), basic(s), "")
	v2 := r2.json(t).(map[string]any)
	want2 := map[string]any{
		"api_key": []any{}, "basic_auth": []any{}, "bearer_token": []any{},
		"oauth": []any{map[string]any{"name": "zendesk", "uuid": "u4", "integration": "app", "allowed_domain": "acme.zendesk.com", "access_token": "*****", "token_type": "bearer"}},
		"meta":  map[string]any{"after": v2["meta"].(map[string]any)["after"], "before": v2["meta"].(map[string]any)["before"], "has_more": false},
	}
	if diff := cmp.Diff(want2, v2); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}
	for _, body := range [][]byte{r.body, r2.body} {
		for _, sec := range secrets {
			if strings.Contains(string(body), sec) {
				t.Errorf("listing shows secret %q", sec)
			}
		}
	}
	if r := do(t, s, "GET", "/api/services/zis/integrations/bare/connections/all", basic(s), ""); string(r.body) != `{"api_key":[],"basic_auth":[],"bearer_token":[],"meta":{"after":null,"before":null,"has_more":false},"oauth":[]}` {
		t.Errorf("no connections: %s", r.body)
	}
	if r := do(t, s, "GET", "/api/services/zis/integrations/nope/connections/all", basic(s), ""); r.status != 404 {
		t.Errorf("unknown integration: %d", r.status)
	}
	if r := do(t, s, "GET", path, "", ""); r.status != 401 {
		t.Errorf("no auth: %d", r.status)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name       string
		fault      zistest.Fault
		status     int
		retryAfter string
		installed  bool // the side effect happened
		dropped    bool
	}{
		{"429 with Retry-After", zistest.Fault{Status: 429, RetryAfter: "2"}, 429, "2", false, false},
		{"429 without Retry-After", zistest.Fault{Status: 429}, 429, "", false, false},
		{"500", zistest.Fault{Status: 500}, 500, "", false, false},
		{"502", zistest.Fault{Status: 502}, 502, "", false, false},
		{"503", zistest.Fault{Status: 503, RetryAfter: "0"}, 503, "0", false, false},
		{"503 after processing", zistest.Fault{Status: 503, AfterProcessing: true}, 503, "", true, false},
		{"drop", zistest.Fault{Drop: true}, 0, "", false, true},
		{"drop after processing", zistest.Fault{Drop: true, AfterProcessing: true}, 0, "", true, true},
		{"slow", zistest.Fault{Delay: 30 * time.Millisecond}, 200, "", true, false},
		{"zero fault passes", zistest.Fault{}, 200, "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := zistest.New(t)
			s.SeedIntegration("app", "")
			s.SeedBundle("app", []byte(bundle("app", "js1")))
			s.QueueFaults(zistest.OpInstall, tt.fault)
			start := time.Now()
			r := send(t, s.Client(), s, "POST", install+"zis:app:job_spec:js1", basic(s), "")
			if elapsed := time.Since(start); elapsed < tt.fault.Delay {
				t.Errorf("answered after %v, before the delay %v", elapsed, tt.fault.Delay)
			}
			if tt.dropped {
				if r.err == nil {
					t.Fatalf("dropped connection: got status %d, want a connection error", r.status)
				}
			} else if r.err != nil || r.status != tt.status {
				t.Fatalf("status %d err %v, want %d", r.status, r.err, tt.status)
			}
			if got := r.header.Get("Retry-After"); !tt.dropped && got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			if tt.status >= 400 {
				want := errBody("1010", http.StatusText(tt.status), fmt.Sprint(tt.status), "Rate limit exceeded")
				if tt.status >= 500 {
					want = errBody("1050", http.StatusText(tt.status), fmt.Sprint(tt.status), "Internal error")
				}
				if diff := cmp.Diff(want, r.json(t)); diff != "" {
					t.Errorf("fault body (-want +got):\n%s", diff)
				}
			}
			ig, _ := s.Integration("app")
			if ig.JobSpecs[0].Installed != tt.installed {
				t.Errorf("installed = %v, want %v", ig.JobSpecs[0].Installed, tt.installed)
			}
			wantInstalls := 0
			if tt.installed {
				wantInstalls = 1
			}
			if got := s.Counters().Installs; got != wantInstalls {
				t.Errorf("installs = %d, want %d", got, wantInstalls)
			}
			calls := s.Calls()
			if len(calls) != 1 || calls[0].Dropped != tt.dropped || calls[0].Status != tt.status {
				t.Errorf("calls = %+v", calls)
			}
			if (calls[0].Fault == nil) != (tt.fault == zistest.Fault{}) {
				t.Errorf("recorded fault %+v", calls[0].Fault)
			}

			// The queue held one fault: the next request goes through.
			if r := do(t, s, "POST", install+"js1", basic(s), ""); r.status != 200 {
				t.Errorf("after the fault: %d", r.status)
			}
		})
	}
}

func TestFaultSelection(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "")
	list := func() int {
		return do(t, s, "GET", registry+"app/job_specs", basic(s), "").status
	}
	// The second list fails; an OpAny fault hits the next request of
	// any op once the op's own queue is empty.
	s.QueueFaults(zistest.OpListJobSpecs, zistest.Fault{}, zistest.Fault{Status: 502})
	s.QueueFaults(zistest.OpAny, zistest.Fault{Status: 500})
	got := []int{list(), list(), list(), list()}
	if diff := cmp.Diff([]int{200, 502, 500, 200}, got); diff != "" {
		t.Errorf("queued (-want +got):\n%s", diff)
	}

	// FailRequest counts every request; it beats the queue.
	s.QueueFaults(zistest.OpListJobSpecs, zistest.Fault{Status: 502})
	s.FailRequest(s.Requests()+1, zistest.Fault{Status: 429, RetryAfter: "1"})
	s.FailRequest(s.Requests()+3, zistest.Fault{Status: 503})
	got = []int{list(), list(), list(), list()}
	if diff := cmp.Diff([]int{429, 502, 503, 200}, got); diff != "" {
		t.Errorf("nth (-want +got):\n%s", diff)
	}

	// The hook sees what queues do not claim.
	var seen []zistest.Op
	s.SetFaultHook(func(seq int, op zistest.Op, r *http.Request) *zistest.Fault {
		seen = append(seen, op)
		_ = s.Counters() // the hook may call the server
		if op == zistest.OpListIntegrations {
			return &zistest.Fault{Status: 503}
		}
		return nil
	})
	if r := do(t, s, "GET", registry+"integrations", basic(s), ""); r.status != 503 {
		t.Errorf("hook fault: %d", r.status)
	}
	if st := list(); st != 200 {
		t.Errorf("hook pass: %d", st)
	}
	s.SetFaultHook(nil)
	if diff := cmp.Diff([]zistest.Op{zistest.OpListIntegrations, zistest.OpListJobSpecs}, seen); diff != "" {
		t.Errorf("hook saw (-want +got):\n%s", diff)
	}

	// A custom body that is not JSON is sent as text.
	s.QueueFaults(zistest.OpAny, zistest.Fault{Status: 502, Body: "<html>Bad Gateway</html>"})
	r := do(t, s, "GET", registry+"integrations", basic(s), "")
	if r.status != 502 || string(r.body) != "<html>Bad Gateway</html>" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Errorf("custom body: %d %q %q", r.status, r.body, r.header.Get("Content-Type"))
	}
}

// TestDropUploadAfterProcessing: the client sees a connection error, yet
// the bundle is stored; a retry uploads it again (an upsert).
func TestDropUploadAfterProcessing(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "")
	s.QueueFaults(zistest.OpUpload, zistest.Fault{Drop: true, AfterProcessing: true})
	r := send(t, s.Client(), s, "POST", registry+"app/bundles", basic(s), bundle("app", "js1"))
	if r.err == nil {
		t.Fatalf("want a connection error, got %d", r.status)
	}
	if ig, _ := s.Integration("app"); ig.Bundle == nil || s.Counters().Uploads != 1 {
		t.Errorf("the upload did not happen before the drop")
	}
	if r := do(t, s, "POST", registry+"app/bundles", basic(s), bundle("app", "js1")); r.status != 200 {
		t.Errorf("retry: %d", r.status)
	}
}

func TestDelayEndsWhenClientGivesUp(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "")
	s.QueueFaults(zistest.OpAny, zistest.Fault{Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+registry+"app/job_specs", nil)
	req.Header.Set("Authorization", basic(s))
	start := time.Now()
	_, err := s.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	// The call was recorded on arrival; the handler then notices that the
	// client left and finishes it without a status.
	if calls := s.Calls(); len(calls) != 1 {
		t.Fatalf("calls = %+v", calls)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !s.Calls()[0].Done && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if c := s.Calls()[0]; !c.Done || c.Status != 0 {
		t.Errorf("call = %+v", c)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("the delay was not cut short")
	}
}

func TestCallsRecorded(t *testing.T) {
	s := zistest.New(t)
	do(t, s, "POST", registry+"app", basic(s), `{"description":"A"}`)
	do(t, s, "GET", registry+"app/job_specs?page[size]=5", bearer(s), "")
	do(t, s, "DELETE", install+"zis:app:job_spec:x", "", "")
	do(t, s, "GET", "/api/v2/tickets", basic(s), "")
	do(t, s, "PUT", registry+"app/bundles", basic(s), "")
	type brief struct {
		Seq         int
		Op          zistest.Op
		Integration string
		Method      string
		Path        string
		Query       url.Values
		Body        string
		Auth        zistest.AuthKind
		Status      int
	}
	var got []brief
	for _, c := range s.Calls() {
		if c.Header.Get("Authorization") != "" {
			t.Errorf("call %d keeps the Authorization header", c.Seq)
		}
		if !c.Done {
			t.Errorf("call %d answered but not Done", c.Seq)
		}
		got = append(got, brief{c.Seq, c.Op, c.Integration, c.Method, c.Path, c.Query, string(c.Body), c.Auth, c.Status})
	}
	want := []brief{
		{1, zistest.OpRegister, "app", "POST", registry + "app", url.Values{}, `{"description":"A"}`, zistest.AuthBasic, 200},
		{2, zistest.OpListJobSpecs, "app", "GET", registry + "app/job_specs", url.Values{"page[size]": {"5"}}, "", zistest.AuthBearer, 200},
		{3, zistest.OpUninstall, "app", "DELETE", registry + "job_specs/install", url.Values{"job_spec_name": {"zis:app:job_spec:x"}}, "", zistest.AuthNone, 401},
		{4, zistest.OpUnknown, "", "GET", "/api/v2/tickets", url.Values{}, "", zistest.AuthBasic, 404},
		{5, zistest.OpUnknown, "app", "PUT", registry + "app/bundles", url.Values{}, "", zistest.AuthBasic, 405},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[1:2], briefs(s.CallsFor(zistest.OpListJobSpecs), func(c zistest.Call) brief {
		return brief{c.Seq, c.Op, c.Integration, c.Method, c.Path, c.Query, string(c.Body), c.Auth, c.Status}
	})); diff != "" {
		t.Errorf("CallsFor (-want +got):\n%s", diff)
	}

	s.ClearHistory()
	if len(s.Calls()) != 0 || s.Counters().Registrations != 0 || s.Requests() != 5 {
		t.Errorf("ClearHistory: %d calls, %+v, %d requests", len(s.Calls()), s.Counters(), s.Requests())
	}
	if _, ok := s.Integration("app"); !ok {
		t.Errorf("ClearHistory dropped the state")
	}
}

func briefs[T any](calls []zistest.Call, f func(zistest.Call) T) []T {
	var out []T
	for _, c := range calls {
		out = append(out, f(c))
	}
	return out
}

// TestNoCredentialEcho runs every endpoint, successes and failures, and
// checks that no answer carries a credential; the registration secret
// appears in the registration answer only.
func TestNoCredentialEcho(t *testing.T) {
	s := zistest.New(t)
	creds := s.Credentials()
	conn := "conn-secret-value-77"
	badToken := "wrong-token-value-55"
	reqs := []struct{ method, path, authz, body string }{
		{"POST", registry + "app", basic(s), `{"description":"A"}`},
		{"POST", registry + "app", basic(s), `{"description":"A"}`},
		{"POST", registry + "app", bearer(s), `{}`},
		{"POST", registry + "BAD", basic(s), `{}`},
		{"GET", registry + "integrations", basic(s), ""},
		{"GET", registry + "integrations", bearer(s), ""},
		{"POST", registry + "app/bundles", basic(s), bundle("app", "js1")},
		{"POST", registry + "app/bundles", bearer(s), bundle("app", "js1")},
		{"GET", registry + "app/job_specs", bearer(s), ""},
		{"POST", install + "js1", bearer(s), ""},
		{"DELETE", install + "js1", basic(s), ""},
		{"DELETE", install + "js1", basic(s), ""},
		{"GET", "/api/services/zis/integrations/app/connections/all", bearer(s), ""},
		{"GET", registry + "integrations", zistest.BasicAuth(creds.Email, badToken), ""},
		{"GET", registry + "integrations", "Bearer " + badToken, ""},
	}
	var secret string
	for i, rq := range reqs {
		if i == 1 {
			ig, _ := s.Integration("app")
			secret = ig.Secret
			s.SeedConnection("app", zistest.Connection{Type: zistest.ConnAPIKey, Name: "c", AllowedDomain: "x.com", HeaderName: "X-Key", Secret: conn})
		}
		r := do(t, s, rq.method, rq.path, rq.authz, rq.body)
		text := string(r.body) + fmt.Sprint(r.header)
		for _, c := range []string{creds.APIToken, creds.OAuthToken, conn, badToken, basic(s)[6:]} {
			if strings.Contains(text, c) {
				t.Errorf("%s %s: answer contains credential %q", rq.method, rq.path, c)
			}
		}
		if i > 0 && strings.Contains(text, secret) {
			t.Errorf("%s %s: answer contains the registration secret", rq.method, rq.path)
		}
	}
	if !strings.Contains(string(s.Calls()[0].Response), secret) {
		t.Errorf("the registration answer lacks the secret")
	}
}

// TestConcurrentInstalls exercises the lock (run with -race).
func TestConcurrentInstalls(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "")
	var names []string
	for i := range 20 {
		names = append(names, fmt.Sprintf("js%d", i))
	}
	s.SeedBundle("app", []byte(bundle("app", names...)))
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := send(t, s.Client(), s, "POST", install+n, basic(s), "")
			if r.err != nil || r.status != 200 {
				t.Errorf("install %s: %d %v", n, r.status, r.err)
			}
			_ = s.State()
		}()
	}
	wg.Wait()
	if got := s.Counters().Installs; got != len(names) {
		t.Errorf("installs = %d", got)
	}
	seqs := map[int]bool{}
	for _, c := range s.Calls() {
		seqs[c.Seq] = true
	}
	if len(seqs) != len(names) {
		t.Errorf("sequence numbers not unique: %d", len(seqs))
	}
}

func TestSeedState(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "desc")
	s.SeedBundle("app", []byte(bundle("app", "a", "b")))
	s.SeedInstalled("app", "a")
	s.SeedJobSpec("app", zistest.JobSpec{Name: "stale", UUID: "u", Installed: true})
	st := s.State()
	want := []zistest.JobSpec{
		{Name: "a", EventSource: "support", EventType: "ticket.TicketCreated", FlowName: "zis:app:flow:flow", Installed: true, InBundle: true},
		{Name: "b", EventSource: "support", EventType: "ticket.TicketCreated", FlowName: "zis:app:flow:flow", InBundle: true},
		{Name: "stale", UUID: "u", Installed: true},
	}
	if len(st.Integrations) != 1 {
		t.Fatalf("state %+v", st)
	}
	if diff := cmp.Diff(want, st.Integrations[0].JobSpecs, ignoreUUID); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c := s.Counters(); c.Installs != 0 || c.Uploads != 0 || c.Registrations != 0 || len(s.Calls()) != 0 {
		t.Errorf("seeding counted: %+v", c)
	}
	// Snapshots are copies.
	st.Integrations[0].JobSpecs[0].Installed = false
	if ig, _ := s.Integration("app"); !ig.JobSpecs[0].Installed {
		t.Errorf("a snapshot aliases the state")
	}
}

// TestDropGETOnReusedConnection pins down the net/http behaviour noted on
// Fault.Drop: a GET dropped on a reused connection is resent by the
// Transport, so the client only sees the second drop.
func TestDropGETOnReusedConnection(t *testing.T) {
	s := zistest.New(t)
	c := s.Client()
	path := registry + "integrations"
	send(t, c, s, "GET", path, basic(s), "") // leaves an idle connection
	s.QueueFaults(zistest.OpAny, zistest.Fault{Drop: true})
	if r := send(t, c, s, "GET", path, basic(s), ""); r.err != nil || r.status != 200 {
		t.Errorf("one drop: %d %v, want the Transport's retry to succeed", r.status, r.err)
	}
	s.QueueFaults(zistest.OpAny, zistest.Fault{Drop: true}, zistest.Fault{Drop: true})
	if r := send(t, c, s, "GET", path, basic(s), ""); r.err == nil {
		t.Errorf("two drops: got %d, want a connection error", r.status)
	}
	var dropped int
	for _, call := range s.Calls() {
		if call.Dropped {
			dropped++
		}
	}
	if dropped != 3 {
		t.Errorf("%d dropped calls recorded, want 3", dropped)
	}
}
