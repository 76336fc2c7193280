package zistest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

// The fake lists every bundle name uploaded, oldest first and cursor
// paginated, and shows each as last uploaded under its name.
func TestListAndShowBundles(t *testing.T) {
	s := zistest.New(t)
	s.SeedIntegration("app", "")
	first := bundle("app", "js1")
	second := strings.Replace(bundle("app", "js2"), `"app_bundle"`, `"other"`, 1)
	third := bundle("app", "js3") // same name as the first: replaces it
	for _, b := range []string{first, second, third} {
		if r := do(t, s, "POST", registry+"app/bundles", basic(s), b); r.status != 200 {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
	}
	var names, uuids []string
	path := registry + "app/bundles?page[size]=1"
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("the listing does not end")
		}
		r := do(t, s, "GET", path, basic(s), "")
		var page struct {
			Bundles []struct{ UUID, Name string }
			Meta    struct {
				After   string
				HasMore bool `json:"has_more"`
			}
		}
		if err := json.Unmarshal(r.body, &page); err != nil || r.status != 200 {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		for _, b := range page.Bundles {
			names, uuids = append(names, b.Name), append(uuids, b.UUID)
		}
		if !page.Meta.HasMore {
			break
		}
		path = registry + "app/bundles?page[size]=1&page[after]=" + page.Meta.After
	}
	if strings.Join(names, ",") != "app_bundle,other" {
		t.Fatalf("listed %v, want app_bundle then other", names)
	}
	r := do(t, s, "GET", registry+"app/bundles/"+uuids[0], basic(s), "")
	var shown map[string]any
	if err := json.Unmarshal(r.body, &shown); err != nil || r.status != 200 {
		t.Fatalf("show: %d %s", r.status, r.body)
	}
	if shown["uuid"] != uuids[0] || shown["integration"] != "app" {
		t.Errorf("show adds uuid %v and integration %v; want %s and app", shown["uuid"], shown["integration"], uuids[0])
	}
	res := shown["resources"].(map[string]any)
	if _, ok := res["js_js3"]; !ok {
		t.Errorf("show answers the bundle of the first upload, want the last one of that name: %v", res)
	}
	if r := do(t, s, "GET", registry+"app/bundles/00000000-0000-4000-8000-999999999999", basic(s), ""); r.status != http.StatusNotFound {
		t.Errorf("an unknown uuid: %d, want 404", r.status)
	}
	if r := do(t, s, "DELETE", registry+"app/bundles/"+uuids[0], basic(s), ""); r.status != http.StatusMethodNotAllowed {
		t.Errorf("DELETE of a bundle: %d, want 405", r.status)
	}
	if got := len(s.CallsFor(zistest.OpShowBundle)); got != 2 {
		t.Errorf("%d show calls recorded, want 2", got)
	}
}
