package lint

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/rules"
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
		{"ZIS228", `"path": "https://d3v-incode.zendesk.com/api/v2/tickets/{{$.parameters.ticket_id}}`},
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
	res := lintCorpus(t)
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

// dataFlowRules are the rules that judge what a flow reads, from the
// data-flow analysis. On the valid bundles they must stay silent but for
// the findings listed in trueDataFlowFindings, each a real defect.
var dataFlowRules = map[string]bool{"ZIS226": true, "ZIS227": true, "ZIS228": true, "ZIS231": true}

// trueDataFlowFindings are the data-flow findings on bundles the corpus
// README calls valid (zero errors), each checked by hand against the
// bundle and its repository.
var trueDataFlowFindings = map[string][]defect{
	// Both flows read the survey's base URL from $.config, but nothing
	// loads a config: no LoadConfig state, and the repository's setup
	// scripts create none. ZIS puts no config in a flow's document by
	// itself (developer guide, "ZIS built-in actions"), so the Jq data's
	// ".$" finds nothing. A warning: the bundle still has zero errors.
	"surveysparrow_bundle_with_webhook.json": {
		{"ZIS227", `"survey_base_url.$": "$.config.survey_base_url"`},
		{"ZIS227", `"survey_base_url.$": "$.config.survey_base_url"`},
	},
}

// TestCorpusDataFlowPrecision holds the data-flow rules to their
// promise on real bundles: on every valid one, no finding but the known
// true ones, and each of those still found.
func TestCorpusDataFlowPrecision(t *testing.T) {
	res := lintCorpus(t)
	got := map[string][]defect{}
	for _, f := range res.Findings {
		name := filepath.Base(f.File)
		if !dataFlowRules[f.Rule] || corpusVerdicts[name] != nil {
			continue
		}
		line := strings.TrimSpace(string(sourceLine(res.Sources[f.File], f.Line)))
		got[name] = append(got[name], defect{f.Rule, line})
	}
	for name := range corpusVerdicts {
		if corpusVerdicts[name] != nil {
			continue
		}
		want := trueDataFlowFindings[name]
		if len(got[name]) != len(want) {
			t.Errorf("%s: %d data-flow findings %v, want %d %v", name, len(got[name]), got[name], len(want), want)
			continue
		}
		for i, d := range want {
			if got[name][i].rule != d.rule || !strings.Contains(got[name][i].line, d.line) {
				t.Errorf("%s: finding %d is %v, want %v", name, i, got[name][i], d)
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

// TestDocumentedExamplesDataFlowPrecision lints the repository's example
// bundles (the refund tutorial of Zendesk's developer guide among them)
// with the data-flow rules: they read only what is there.
func TestDocumentedExamplesDataFlowPrecision(t *testing.T) {
	var selected []*rules.Rule
	for id := range dataFlowRules {
		selected = append(selected, rules.Lookup(id))
	}
	res, err := Run([]string{"../testdata"}, Options{NoConfigSearch: true, Rules: selected})
	if err != nil {
		t.Fatal(err)
	}
	if res.Bundles < 2 {
		t.Fatalf("linted %d bundles in ../testdata, want the refund and order examples", res.Bundles)
	}
	for _, f := range res.Findings {
		t.Errorf("%s:%d:%d: %s %s", f.File, f.Line, f.Column, f.Rule, f.Message)
	}
}

// corpusResult is the corpus linted once for the tests that read it.
var corpusResult = sync.OnceValues(func() (*Result, error) {
	return Run([]string{corpusDir}, Options{NoConfigSearch: true})
})

// lintCorpus returns the corpus linted, skipping the test when the corpus
// is not there.
func lintCorpus(t *testing.T) *Result {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available at %s: %v", corpusDir, err)
	}
	res, err := corpusResult()
	if err != nil {
		t.Fatal(err)
	}
	return res
}
