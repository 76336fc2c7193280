package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/config"
)

// corpusDir holds real bundles from public repositories, shared with the
// project but never copied into it.
const corpusDir = "../../shared/corpus"

// defect is a finding a broken corpus bundle must draw: a rule id and a
// fragment of the line it points at.
type defect struct {
	rule, line string
}

var corpusVerdicts = map[string][]defect{
	"tsanet_connect_bundle.json":             nil, // valid
	"surveysparrow_bundle.json":              nil,
	"surveysparrow_bundle_with_webhook.json": nil,
	"make_comment_private_bundle.json": {
		{"ZIS202", `"ActionName": "zis:%INTEGRATION_NAME%:action:`},
		{"ZIS202", `"flow_name": "zis:%INTEGRATION_NAME%:flow:`},
		{"ZIS203", `"name": "MakeTargetMessagePrivate"`},
	},
	"workflow_manager_sample_bundle.json": {
		{"ZIS202", `"ActionName": "zis:{{zis_integration_key}}:action:`},
		{"ZIS205", `"event_source": "{{jobspec_etg_event_source}}"`},
		{"ZIS205", `"event_type": "{{jobspec_etg_event_type}}"`},
		{"ZIS205", `"{{jobspec_etg}}_flow": {`},
		{"ZIS212", `"flow_name": "zis:sandbox_ashwin_22:flow:etg_genesys_integration_flow"`},
		{"ZIS303", `"Debugger.PrintLogOne": {`},
		{"ZIS303", `"logStep": {`},
		{"ZIS303", `"logStep.payload": {`},
	},
	"incode_identity_bundle.json": {
		{"ZIS102", `"resources": {`},
		{"ZIS401", `"path": "https://d3v-incode.zendesk.com/`},
		{"ZIS402", `"path": "https://d3v-incode.zendesk.com/`},
		{"ZIS101", `"schema": {`},
	},
	"zis_explorer_mock_bundle.json": {
		{"ZIS101", `"uuid":`},
		{"ZIS101", `"integration": "my_mocked_integration"`},
		{"ZIS101", `"zendesk_account_id":`},
		{"ZIS201", `"flow_name": "zis:example:flow:my_flow"`},
		{"ZIS203", `"name": "my_flow"`},
	},
}

// TestCorpus lints the real-world bundles and checks the verdicts in the
// corpus README: zero errors on the valid ones; on the broken ones at
// least one error and every listed defect.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available at %s: %v", corpusDir, err)
	}
	res, err := Run([]string{corpusDir}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]Finding{}
	for _, f := range res.Findings {
		byFile[filepath.Base(f.File)] = append(byFile[filepath.Base(f.File)], f)
	}
	if res.Bundles != len(corpusVerdicts) {
		t.Errorf("linted %d bundles, want %d (the API response samples must be skipped)", res.Bundles, len(corpusVerdicts))
	}
	for name, defects := range corpusVerdicts {
		findings := byFile[name]
		errors := 0
		for _, f := range findings {
			if f.Severity == config.SeverityError {
				errors++
			}
		}
		if defects == nil {
			if errors != 0 {
				t.Errorf("%s is valid but drew %d errors: %v", name, errors, findings)
			}
			continue
		}
		if errors == 0 {
			t.Errorf("%s is broken but drew no error", name)
		}
		src := res.Sources[filepath.Join(corpusDir, name)]
		for _, d := range defects {
			if !hasDefect(src, findings, d) {
				t.Errorf("%s: no %s finding on a line containing %s", name, d.rule, d.line)
			}
		}
	}
}

func hasDefect(src []byte, findings []Finding, d defect) bool {
	for _, f := range findings {
		if f.Rule == d.rule && strings.Contains(string(sourceLine(src, f.Line)), d.line) {
			return true
		}
	}
	return false
}
