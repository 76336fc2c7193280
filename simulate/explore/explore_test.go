package explore

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zislint/zislint/simulate/runner"
)

// example copies an example of testdata into a temporary folder with
// only the fixtures named (and their goldens), so that exploring starts
// from them and writing leaves the repository alone.
func example(t testing.TB, name string, fixtures ...string) string {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", name)
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(filepath.Join(dir, "tests"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := []string{"bundle.json", "zislint.yaml"}
	for _, f := range fixtures {
		files = append(files, filepath.Join("tests", f+".yaml"), filepath.Join("tests", f+".golden.json"))
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "bundle.json")
}

func exploreOne(t testing.TB, bundle string, o Options) *Explorer {
	t.Helper()
	x := New(o)
	x.Bundle(bundle)
	if x.Broken {
		t.Fatalf("exploring %s broke", bundle)
	}
	if len(x.Flows) != 1 {
		t.Fatalf("explored %d flows, want 1", len(x.Flows))
	}
	return x
}

func TestRefundsFromTheHundredDollarFixtureReachesEveryTransition(t *testing.T) {
	bundle := example(t, "refunds", "refund_100_basic")
	fr := exploreOne(t, bundle, Options{Seed: 1}).Flows[0]
	if fr.Before.Transitions.Covered >= fr.Before.Transitions.Total {
		t.Fatalf("the $100 fixture alone covers %+v; the test needs a gap to fill", fr.Before.Transitions)
	}
	if got := fr.After.Transitions; got.Covered != got.Total || len(fr.Unreached) != 0 {
		t.Errorf("after exploring: %+v, unreached %+v; want every transition", got, fr.Unreached)
	}
	added := 0
	for _, fd := range fr.Found {
		added += len(fd.Adds)
		if fd.Written || fd.Run == nil || !strings.HasPrefix(fd.Name, "explore-") {
			t.Errorf("found %+v: want an unwritten fixture named explore-… with its run", fd)
		}
	}
	if want := fr.After.Transitions.Covered - fr.Before.Transitions.Covered; added != want {
		t.Errorf("the fixtures found add %d transitions, coverage grew by %d", added, want)
	}
}

func TestOrdersFromOneFixtureReachesEveryReachableTransition(t *testing.T) {
	for _, start := range []string{"order_sent", "sync_switched_off", "warehouse_rejects"} {
		t.Run(start, func(t *testing.T) {
			fr := exploreOne(t, example(t, "orders", start), Options{Seed: 7}).Flows[0]
			if got := fr.After.Transitions; got.Covered != got.Total {
				t.Errorf("after exploring from %s: %+v, unreached %+v", start, got, fr.Unreached)
			}
		})
	}
}

// report is the text an exploration prints, and its summary.
func report(t *testing.T, x *Explorer) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteText(&b, x.Flows); err != nil {
		t.Fatal(err)
	}
	return b.String() + x.Summary() + "\n"
}

func TestSameSeedGivesTheSameOutput(t *testing.T) {
	for _, name := range []string{"refunds", "orders"} {
		bundle := filepath.Join("..", "..", "testdata", name, "bundle.json")
		filter := regexp.MustCompile("refund_100|order_sent")
		first := report(t, exploreOne(t, bundle, Options{Seed: 42, Filter: filter}))
		for range 3 {
			if again := report(t, exploreOne(t, bundle, Options{Seed: 42, Filter: filter})); again != first {
				t.Fatalf("%s: seed 42 gave two outputs:\n%s\n---\n%s", name, first, again)
			}
		}
		if !strings.Contains(first, "found ") {
			t.Errorf("%s: nothing found:\n%s", name, first)
		}
	}
}

func TestWrittenFixturesPassAsTests(t *testing.T) {
	bundle := example(t, "refunds", "refund_100_basic")
	x := exploreOne(t, bundle, Options{Seed: 3, Write: true})
	fr := x.Flows[0]
	if len(fr.Found) == 0 {
		t.Fatal("nothing found")
	}
	for _, fd := range fr.Found {
		if !fd.Written {
			t.Errorf("%s was not written", fd.File)
		}
		if _, err := os.Stat(strings.TrimSuffix(fd.File, ".yaml") + ".golden.json"); err != nil {
			t.Errorf("no golden for %s: %v", fd.File, err)
		}
	}
	r := runner.New(runner.Options{})
	r.Bundle(bundle)
	if r.Failed() > 0 || r.Broken || len(r.Results) != len(fr.Found)+1 {
		t.Fatalf("zislint test after --write: %d results, %d failed: %+v", len(r.Results), r.Failed(), r.Results)
	}
	cover := runner.Cover(r.Results)
	if got := cover.Total.Transitions; got.Covered != got.Total {
		t.Errorf("the written fixtures cover %+v", got)
	}
	// With them, there is nothing left to find.
	again := exploreOne(t, bundle, Options{Seed: 3}).Flows[0]
	if len(again.Found) != 0 || again.Before.Transitions.Covered != again.Before.Transitions.Total {
		t.Errorf("exploring again found %d fixtures from coverage %+v", len(again.Found), again.Before.Transitions)
	}
}

func TestWriteNeverOverwrites(t *testing.T) {
	bundle := example(t, "refunds", "refund_100_basic")
	dir := filepath.Join(filepath.Dir(bundle), "tests")
	// Find the names first, then put a file where the first one goes.
	first := exploreOne(t, bundle, Options{Seed: 1}).Flows[0].Found[0]
	taken := filepath.Join(dir, first.Name+".yml")
	const mine = "name: mine\nflow: RefundRequestFlow\nevent: {}\n"
	if err := os.WriteFile(taken, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	got := exploreOne(t, bundle, Options{Seed: 1, Write: true, Filter: regexp.MustCompile("refund_100")}).Flows[0].Found[0]
	if got.Name != first.Name+"-2" || !got.Written {
		t.Errorf("with %s taken, the fixture is %s (written %v); want %s-2", taken, got.Name, got.Written, first.Name)
	}
	if data, _ := os.ReadFile(taken); string(data) != mine {
		t.Errorf("%s was changed:\n%s", taken, data)
	}
}

func TestBudgetStopsTheSearch(t *testing.T) {
	bundle := filepath.Join("..", "..", "testdata", "refunds", "bundle.json")
	filter := regexp.MustCompile("refund_100")
	t.Run("runs", func(t *testing.T) {
		x := exploreOne(t, bundle, Options{Seed: 1, MaxRuns: 5, Filter: filter})
		if x.Runs() != 5 || !x.BudgetSpent() || !strings.Contains(x.Summary(), "stopped at the budget") {
			t.Errorf("MaxRuns 5: %d runs, spent %v, summary %q", x.Runs(), x.BudgetSpent(), x.Summary())
		}
		for _, u := range x.Flows[0].Unreached {
			if u.Reason != "the search stopped at the budget before taking it" {
				t.Errorf("%s → %s: %q; want the budget named", u.From, u.To, u.Reason)
			}
		}
		if len(x.Flows[0].Unreached) == 0 {
			t.Error("5 runs reached everything; the test needs the budget to stop the search")
		}
	})
	t.Run("clock", func(t *testing.T) {
		// Each reading of the clock moves it a millisecond on.
		now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		clock := func() time.Time { now = now.Add(time.Millisecond); return now }
		x := exploreOne(t, bundle, Options{Seed: 1, Budget: 20 * time.Millisecond, Now: clock, Filter: filter})
		if !x.BudgetSpent() || x.Runs() == 0 || x.Runs() > 20 {
			t.Errorf("a 20 ms budget on a clock that ticks 1 ms a reading: %d runs, spent %v", x.Runs(), x.BudgetSpent())
		}
		if got := x.Flows[0].After.Transitions; got.Covered == got.Total {
			t.Errorf("the search reached everything within the budget (%+v); the test needs it to stop early", got)
		}
	})
}

func TestAFlowWithoutFixturesStartsFromAScaffoldedOne(t *testing.T) {
	bundle := example(t, "refunds")
	fr := exploreOne(t, bundle, Options{Seed: 1}).Flows[0]
	if len(fr.Seeds) != 1 || fr.Seeds[0] != scaffolded {
		t.Fatalf("seeds %q, want the scaffolded fixture", fr.Seeds)
	}
	if got := fr.After.Transitions; got.Covered != got.Total {
		t.Errorf("from the catalogue's sample event: %+v, unreached %+v", got, fr.Unreached)
	}
	for _, fd := range fr.Found {
		if fd.Fixture.EventType != "activity.UserActivityCreated" || fd.Fixture.Flow != "" {
			t.Errorf("%s runs flow %q / event %q; want the job spec's event", fd.Name, fd.Fixture.Flow, fd.Fixture.EventType)
		}
	}
}

func TestAChoiceInsideAMapIsSteeredThroughTheItems(t *testing.T) {
	bundle := flowBundle(t, `
      "Start": {"Type": "Map", "ItemsPath": "$.input.order.lines", "Next": "Done", "Iterator": {"StartAt": "Kind", "States": {
        "Kind": {"Type": "Choice", "Choices": [{"Variable": "$.kind", "StringEquals": "gift", "Next": "Gift"}], "Default": "Plain"},
        "Gift": {"Type": "Succeed"},
        "Plain": {"Type": "Succeed"}}}},
      "Done": {"Type": "Succeed"}`, "{order: {lines: [{kind: book}, {kind: pen}]}}")
	fr := exploreOne(t, bundle, Options{Seed: 1}).Flows[0]
	if got := fr.After.Transitions; got.Covered != got.Total {
		t.Fatalf("after exploring: %+v, unreached %+v", got, fr.Unreached)
	}
	gift := fr.Found[0].Fixture.Event.(map[string]any)["order"].(map[string]any)["lines"].([]any)
	if kind := gift[0].(map[string]any)["kind"]; kind != "gift" {
		t.Errorf("the first fixture found has lines %v; want a gift", gift)
	}
}
