package rules_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/rules"
)

// jqBundle is a flow whose one state runs expr on a literal data object.
func jqBundle(t *testing.T, expr string) string {
	t.Helper()
	exprJSON, err := json.Marshal(expr)
	if err != nil {
		t.Fatal(err)
	}
	src := `{"zis_template_version": "2019-10-14", "name": "jq", "resources": {
  "F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "T", "States": {
    "T": {"Type": "Action", "ActionName": "zis:common:transform:Jq",
          "Parameters": {"expr": ` + string(exprJSON) + `, "data": {"order": {"id": 7, "total": 12.5}, "lines": [{"sku": "A-1"}]}},
          "ResultPath": "$.out", "End": true}}}}},
  "J": {"type": "ZIS::JobSpec", "properties": {"name": "J", "event_source": "support", "event_type": "ticket.TicketCreated", "flow_name": "zis:acme:flow:F"}}}}`
	path := filepath.Join(t.TempDir(), "jq.json")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Which reads of a program jq_field follows, and which it leaves alone.
func TestJqFieldFollowsSimplePaths(t *testing.T) {
	tests := []struct {
		expr string
		want string // the path the finding names, "" for none
	}{
		{".order.id", ""},
		{".order.ID", ".order.ID"},
		{`."order".totl`, ".order.totl"},
		{`.["order"]["totl"]`, ".order.totl"},
		{".ordr", ".ordr"},
		{".order | .idd", ".idd"},
		{".order | {id, totl}", ".totl"},
		{"{id: .order.idd}", ".order.idd"},
		{"[.order.id, .lnes]", ".lnes"},
		{"if .order then .nope else 1 end", ".nope"},
		{"try .nope", ".nope"},
		{`"order \(.order.nope)"`, ".order.nope"},
		{".order.id + .order.tax", ".order.tax"},
		{".nope // 0", ".nope"},
		{".order.id.deeper", ""},    // a number has no keys to check
		{".lines[0].nope", ""},      // the elements of a literal array are not known
		{".lines | map(.nope)", ""}, // function arguments are not followed
		{".nope |= 1", ""},          // an update writes the path
		{". as $d | $d.nope", ""},   // variables are not followed
		{"def f: .nope; f", ""},     // nor function bodies
		{"reduce .lines[] as $l (0; .nope)", ""},
		{".order | (.nope", ""}, // does not parse: jq_syntax's concern
		{strings.Repeat("(", 30) + ".nope" + strings.Repeat(")", 30), ".nope"},
		{strings.Repeat("(", 500) + ".nope" + strings.Repeat(")", 500), ""}, // past the depth followed
		{strings.Repeat("-", 500) + ".nope", ""},
	}
	only := []*rules.Rule{rules.Lookup("jq_field")}
	for _, tt := range tests {
		res, err := lint.Run([]string{jqBundle(t, tt.expr)}, lint.Options{NoConfigSearch: true, Rules: only})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Message)
		}
		switch {
		case tt.want == "" && len(got) != 0:
			t.Errorf("%s: want no finding, got %q", tt.expr, got)
		case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], "reads "+`"`+tt.want+`"`)):
			t.Errorf("%s: want one finding naming %s, got %q", tt.expr, tt.want, got)
		}
	}
}
