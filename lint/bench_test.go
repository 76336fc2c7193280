package lint

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// genFlowStates writes n states: a chain of Jq transforms and custom
// action calls, with a Choice every fifth state that can jump ahead or
// end, and a final Succeed. Every state is reachable and can end.
func genFlowStates(b *strings.Builder, key string, n int) {
	for i := 0; i < n-1; i++ {
		next := fmt.Sprintf("S%d", i+1)
		if i > 0 {
			b.WriteString(",\n")
		}
		switch {
		case i%5 == 4:
			skip := fmt.Sprintf("S%d", min(i+3, n-1))
			fmt.Fprintf(b, `        "S%d": {"Type": "Choice", "Choices": [{"Variable": "$.r%d.status", "StringEquals": "skip", "Next": %q}, {"And": [{"Variable": "$.r%d.n", "NumericGreaterThan": 3}, {"Variable": "$.r%d.ok", "BooleanEquals": true}], "Next": %q}], "Default": %q}`,
				i, i-1, skip, i-1, i-1, next, next)
		case i%2 == 0:
			fmt.Fprintf(b, `        "S%d": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": ".input.ticket_event.ticket | {id, status}", "data.$": "$"}, "ResultPath": "$.r%d", "Next": %q}`, i, i, next)
		default:
			fmt.Fprintf(b, `        "S%d": {"Type": "Action", "ActionName": "zis:%s:action:GetTicket", "Parameters": {"ticket_id.$": "$.input.ticket_event.ticket.id"}, "ResultPath": "$.r%d", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "S%d"}], "Next": %q}`, i, key, i, n-1, next)
		}
	}
	if n > 1 {
		b.WriteString(",\n")
	}
	if n > 2 {
		// The run ends by posting a note, so the bundle's second action is used.
		fmt.Fprintf(b, `        "S%d": {"Type": "Action", "ActionName": "zis:%s:action:PostNote", "Parameters": {"id.$": "$.input.ticket_event.ticket.id"}, "End": true}`, n-1, key)
		return
	}
	fmt.Fprintf(b, `        "S%d": {"Type": "Succeed", "Message": "done"}`, n-1)
}

// genBundle returns a realistic bundle with one flow of n states, two
// actions and a job spec.
func genBundle(key string, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{
  "zis_template_version": "2019-10-14",
  "name": "generated %s",
  "description": "benchmark bundle",
  "resources": {
    "GetTicket": {"type": "ZIS::Action::Http", "properties": {"name": "GetTicket", "definition": {"method": "GET", "path.$": "/api/v2/tickets/{{$.ticket_id}}.json", "connectionName": "zendesk"}}},
    "PostNote": {"type": "ZIS::Action::Http", "properties": {"name": "PostNote", "definition": {"method": "POST", "url": "https://api.example.com/notes", "connectionName": "example", "headers": [{"key": "Content-Type", "value": "application/json"}], "requestBody": {"id.$": "$.id"}}}},
    "MainFlow": {"type": "ZIS::Flow", "properties": {"name": "MainFlow", "definition": {"StartAt": "S0", "States": {
`, key)
	genFlowStates(&b, key, n)
	fmt.Fprintf(&b, `
    }}}},
    "MainJobSpec": {"type": "ZIS::JobSpec", "properties": {"name": "MainJobSpec", "event_source": "support", "event_type": "ticket.TicketCreated", "flow_name": "zis:%s:flow:MainFlow"}}
  }
}
`, key)
	return []byte(b.String())
}

// benchRepo writes count bundles of states states each under a temp dir,
// with a zislint.yaml covering them.
func benchRepo(b *testing.B, count, states int) string {
	dir := b.TempDir()
	cfg := "integrations:\n  - key: bench\n    bundle: \"integrations/*/bundle.json\"\n    connections:\n      - {name: zendesk, type: oauth, allowed_domain: \"*.zendesk.com\"}\n      - {name: example, type: bearer_token, allowed_domain: api.example.com}\n"
	if err := os.WriteFile(filepath.Join(dir, "zislint.yaml"), []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < count; i++ {
		sub := filepath.Join(dir, "integrations", fmt.Sprintf("i%04d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, "bundle.json"), genBundle("bench", states), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

func TestGeneratedBundlesAreClean(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{3, 4, 20, 101} {
		path := filepath.Join(dir, fmt.Sprintf("b%d.json", n))
		if err := os.WriteFile(path, genBundle("bench", n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run([]string{dir}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("generated bundles draw findings: %v", res.Findings[:min(5, len(res.Findings))])
	}
}

const repoBundles, repoStates = 1000, 20

// BenchmarkLintRepo lints 1,000 bundles of 20 states, one at a time, with
// every rule: the cost to compare with BenchmarkDecodeRepo.
func BenchmarkLintRepo(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	b.ResetTimer()
	for b.Loop() {
		res, err := Run([]string{dir}, Options{Jobs: 1})
		if err != nil || res.Bundles != repoBundles || len(res.Findings) != 0 {
			b.Fatalf("bundles %d, findings %d, err %v", res.Bundles, len(res.Findings), err)
		}
	}
}

// BenchmarkLintRepoParallel is the same run on all cores, as users get it.
func BenchmarkLintRepoParallel(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run([]string{dir}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeRepo walks the same repository and only decodes each
// bundle with encoding/json: the floor a linter is measured against.
func BenchmarkDecodeRepo(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	b.ResetTimer()
	for b.Loop() {
		decodeRepo(b, dir)
	}
}

// BenchmarkLargeFlow lints one flow of growing size; ns/state staying
// flat shows the rules are linear in the number of states.
func BenchmarkLargeFlow(b *testing.B) {
	p, err := newPlan(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000, 100000} {
		src := genBundle("bench", n)
		b.Run(fmt.Sprintf("states=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				r := p.lintFile(&file{path: "large.json", src: src}, nil)
				if r.err != nil || len(r.findings) != 0 {
					b.Fatalf("findings %v, err %v", r.findings[:min(3, len(r.findings))], r.err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/state")
		})
	}
}

// BenchmarkLintOverDecode lints the repository of BenchmarkLintRepo and
// decodes it with encoding/json in the same iteration, alternately, and
// reports lint time over decode time: both halves see the same load on a
// shared machine, so the ratio is steadier than two separate benchmarks.
func BenchmarkLintOverDecode(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	var lintTime, decodeTime time.Duration
	for b.Loop() {
		start := time.Now()
		res, err := Run([]string{dir}, Options{Jobs: 1})
		if err != nil || res.Bundles != repoBundles || len(res.Findings) != 0 {
			b.Fatalf("bundles %d, findings %d, err %v", res.Bundles, len(res.Findings), err)
		}
		lintTime += time.Since(start)
		start = time.Now()
		decodeRepo(b, dir)
		decodeTime += time.Since(start)
	}
	b.ReportMetric(float64(lintTime)/float64(decodeTime), "lint/decode")
	b.ReportMetric(float64(lintTime.Microseconds())/float64(b.N), "lint-µs/op")
	b.ReportMetric(float64(decodeTime.Microseconds())/float64(b.N), "decode-µs/op")
}

// decodeRepo reads every bundle under dir and decodes it with
// encoding/json: the floor a linter is measured against.
func decodeRepo(b *testing.B, dir string) {
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v any
		n++
		return json.Unmarshal(src, &v)
	})
	if err != nil || n != repoBundles {
		b.Fatal(n, err)
	}
}
