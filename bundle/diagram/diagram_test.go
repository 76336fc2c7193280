package diagram

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
)

var update = flag.Bool("update", false, "rewrite the golden diagrams from the code")

const (
	refundsBundle = "../../testdata/refunds/bundle.json"
	ordersBundle  = "../../testdata/orders/bundle.json"
	corpusDir     = "../../../shared/corpus"
)

// goldenCase is one diagram checked against testdata/<name>.mmd and .dot.
type goldenCase struct {
	name  string
	build func(t *testing.T) []*Diagram // skips the test when its input is absent
}

func TestGoldenDiagrams(t *testing.T) {
	cases := []goldenCase{
		{"refunds", func(t *testing.T) []*Diagram { return one(plain(t, refundsBundle, "RefundRequestFlow")) }},
		{"orders", func(t *testing.T) []*Diagram { return one(plain(t, ordersBundle, "OrderSyncFlow")) }},
		// Every flow of a real bundle with names like 001.ZIS.LoadConfig.
		{"corpus_workflow_manager", func(t *testing.T) []*Diagram {
			var out []*Diagram
			for _, f := range Flows(load(t, filepath.Join(corpusDir, "workflow_manager_sample_bundle.json"))) {
				out = append(out, Build(f, Options{}))
			}
			return out
		}},
		{"refunds_path_premium", func(t *testing.T) []*Diagram {
			return one(withPath(t, refundsBundle, "../../testdata/refunds/tests/refund_200_premium.golden.json"))
		}},
		{"refunds_path_api_down", func(t *testing.T) []*Diagram {
			return one(withPath(t, refundsBundle, "../../testdata/refunds/tests/refund_api_down.golden.json"))
		}},
		{"orders_path_two_items", func(t *testing.T) []*Diagram {
			return one(withPath(t, ordersBundle, "../../testdata/orders/tests/order_sent.golden.json"))
		}},
		{"orders_path_rejected", func(t *testing.T) []*Diagram {
			return one(withPath(t, ordersBundle, "../../testdata/orders/tests/warehouse_rejects.golden.json"))
		}},
		{"refunds_changed", func(t *testing.T) []*Diagram { return one(refundsChanged(t)) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mermaid, dot []string
			for _, d := range c.build(t) {
				mermaid, dot = append(mermaid, d.Mermaid()), append(dot, d.DOT())
			}
			checkGolden(t, filepath.Join("testdata", c.name+".mmd"), strings.Join(mermaid, "\n"))
			checkGolden(t, filepath.Join("testdata", c.name+".dot"), strings.Join(dot, "\n"))
		})
	}
}

func one(d *Diagram) []*Diagram { return []*Diagram{d} }

// load reads a bundle, skipping the test when it is a corpus file and the
// corpus is absent.
func load(t *testing.T, path string) *bundle.Bundle {
	t.Helper()
	b, err := bundle.Load(path)
	if err != nil {
		if strings.HasPrefix(path, corpusDir) && os.IsNotExist(err) {
			t.Skipf("corpus absent: %v", err)
		}
		t.Fatal(err)
	}
	if b.Syntax != nil {
		t.Fatalf("%s: %v", path, b.Syntax)
	}
	return b
}

// flowOf returns the named flow, or the first one when name is "".
func flowOf(t *testing.T, b *bundle.Bundle, name string) *bundle.Resource {
	t.Helper()
	if name == "" && len(Flows(b)) > 0 {
		return Flows(b)[0]
	}
	f := FindFlow(b, name)
	if f == nil {
		t.Fatalf("%s has no flow %q; it has %v", b.Path, name, FlowNames(b))
	}
	return f
}

func plain(t *testing.T, path, flow string) *Diagram {
	b := load(t, path)
	return Build(flowOf(t, b, flow), Options{})
}

// withPath draws the run recorded in a simulator golden over its flow.
func withPath(t *testing.T, bundlePath, goldenPath string) *Diagram {
	t.Helper()
	var run struct {
		Flow   string
		States []string
		Error  *struct{ State string }
	}
	src, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(src, &run); err != nil {
		t.Fatal(err)
	}
	p := &Path{States: run.States}
	if run.Error != nil {
		p.Failed = run.Error.State
	}
	d := Build(flowOf(t, load(t, bundlePath), run.Flow), Options{Path: p})
	if len(d.Unmatched) > 0 {
		t.Errorf("the flow lacks states of the run: %v", d.Unmatched)
	}
	return d
}

// refundsChanged edits the tutorial flow as a pull request might: a new
// threshold, a new state before the ticket, and the premium check gone.
func refundsChanged(t *testing.T) *Diagram {
	base := load(t, refundsBundle)
	src := string(base.Src)
	for _, r := range [][2]string{
		{`"NumericLessThanEquals": 100`, `"NumericLessThanEquals": 150`},
		{`"Next": "CheckForPremiumMembership"`, `"Next": "CreateZendeskTicket"`},
		{`"Next": "Finish"`, `"Next": "Notify"`}, // the ticket's, the first
		{`"Finish": {`, `"Notify": {"Type": "Pass", "Next": "Finish"}, "Finish": {`},
	} {
		if !strings.Contains(src, r[0]) {
			t.Fatalf("the tutorial bundle no longer holds %s", r[0])
		}
		src = strings.Replace(src, r[0], r[1], 1)
	}
	src = removeState(t, src, "CheckForPremiumMembership", "CreateZendeskTicket")
	head := bundle.Parse("bundle.json", []byte(src))
	changes := Compare(base, head)
	if len(changes) != 1 {
		t.Fatalf("Compare: %d flows, want 1", len(changes))
	}
	c := changes[0]
	want := &FlowChange{Key: "RefundRequestFlow", Name: "RefundRequestFlow", Status: FlowChanged,
		Added: []string{"Notify"}, Changed: []string{"CheckRefundAmount", "GetUserProfile", "CreateZendeskTicket"}, Removed: []string{"CheckForPremiumMembership"}}
	want.Flow = FindFlow(head, "RefundRequestFlow")
	if diff := cmp.Diff(want, c, cmp.AllowUnexported(FlowChange{}), cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".added" || p.Last().String() == ".changed"
	}, cmp.Ignore()), cmp.Comparer(func(a, b *bundle.Resource) bool { return a == b })); diff != "" {
		t.Errorf("Compare (-want +got):\n%s", diff)
	}
	return Build(flowOf(t, head, "RefundRequestFlow"), Options{Change: c})
}

// removeState cuts the state name out of the States object, from its key
// up to the key of the state after it.
func removeState(t *testing.T, src, name, next string) string {
	start := strings.Index(src, `"`+name+`": {`)
	if start < 0 {
		t.Fatalf("cannot find state %s", name)
	}
	end := strings.Index(src[start:], `"`+next+`": {`)
	if end < 0 {
		t.Fatalf("cannot find state %s after %s", next, name)
	}
	return src[:start] + src[start+end:]
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bundle/diagram -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); run go test ./bundle/diagram -update and review the diff:\n%s", path, diff)
	}
}
