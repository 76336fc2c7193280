package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/zislint/zislint/bundle"
)

// schemaInputs are bundles to compare the acceptor with jsonschema on.
func schemaInputs(t testing.TB) map[string][]byte {
	paths, _ := filepath.Glob("testdata/*/*.json")
	corpus, _ := filepath.Glob("../../shared/corpus/*.json")
	paths = append(append(paths, "../testdata/refunds/bundle.json"), corpus...)
	out := map[string][]byte{}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = src
	}
	return out
}

// checkAcceptorAgrees fails when the acceptor accepts a bundle or a state
// that jsonschema rejects: the acceptor may only ever be stricter.
func checkAcceptorAgrees(t testing.TB, name string, src []byte) (accepted, rejected int) {
	acc, err := compiledAcceptors()
	if err != nil {
		t.Fatal(err)
	}
	v, err := compiledSchema()
	if err != nil {
		t.Fatal(err)
	}
	full, err := testFullSchema()
	if err != nil {
		t.Fatal(err)
	}
	b := bundle.Parse(name, src)
	if b.Root == nil {
		return 0, 0
	}
	if acc.accept.accepts(b.Root) {
		accepted++
		if err := full.Validate(b.Root.Interface()); err != nil {
			t.Errorf("%s: acceptor accepts the bundle, jsonschema says %v", name, err)
		}
	} else {
		rejected++
	}
	for _, m := range b.Machines() {
		for _, s := range m.States {
			a := acc.acceptState[s.Type()]
			if a == nil || !a.accepts(s.Entry.Value()) {
				continue
			}
			if err := v.state.Validate(s.Entry.Value().Interface()); err != nil {
				t.Errorf("%s: acceptor accepts state %q, jsonschema says %v", name, s.Name, err)
			}
		}
	}
	return accepted, rejected
}

func TestAcceptorNeverAcceptsWhatTheSchemaRejects(t *testing.T) {
	accepted, rejected := 0, 0
	for name, src := range schemaInputs(t) {
		a, r := checkAcceptorAgrees(t, name, src)
		accepted, rejected = accepted+a, rejected+r
	}
	// Both outcomes must occur, or the comparison proves nothing.
	if accepted == 0 || rejected == 0 {
		t.Errorf("accepted %d bundles, rejected %d; the inputs should include both", accepted, rejected)
	}
}

// TestAcceptorRejectsWhatTheSchemaRejects checks the other direction on
// bundles jsonschema rejects: the acceptor must not accept them either
// (it would hide their errors).
func TestAcceptorRejectsWhatTheSchemaRejects(t *testing.T) {
	acc, err := compiledAcceptors()
	if err != nil {
		t.Fatal(err)
	}
	full, err := testFullSchema()
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range schemaInputs(t) {
		b := bundle.Parse(name, src)
		if b.Root == nil {
			continue
		}
		if full.Validate(b.Root.Interface()) != nil && acc.accept.accepts(b.Root) {
			t.Errorf("%s: jsonschema rejects it but the acceptor accepts it", name)
		}
	}
}

// testFullSchema compiles the full schema once for all tests.
var testFullSchema = sync.OnceValues(fullSchema)

func FuzzSchemaAcceptor(f *testing.F) {
	for _, src := range schemaInputs(f) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkAcceptorAgrees(t, "fuzz.json", src)
		checkShortcutsAgree(t, "fuzz.json", src)
	})
}

// testKeywordAcceptors are the acceptors without their shortcuts.
var testKeywordAcceptors = sync.OnceValues(compileKeywordAcceptors)

// checkShortcutsAgree fails when the acceptors with shortcuts answer
// otherwise than keyword by keyword, on the bundle or any of its states.
func checkShortcutsAgree(t testing.TB, name string, src []byte) {
	fast, err := compiledAcceptors()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := testKeywordAcceptors()
	if err != nil {
		t.Fatal(err)
	}
	b := bundle.Parse(name, src)
	if b.Root == nil {
		return
	}
	if got, want := fast.accept.accepts(b.Root), plain.accept.accepts(b.Root); got != want {
		t.Errorf("%s: with shortcuts the acceptor says %v, keyword by keyword %v", name, got, want)
	}
	for _, m := range b.Machines() {
		for _, s := range m.States {
			for typ, a := range fast.acceptState {
				if got, want := a.accepts(s.Entry.Value()), plain.acceptState[typ].accepts(s.Entry.Value()); got != want {
					t.Errorf("%s: state %q as %s: with shortcuts the acceptor says %v, keyword by keyword %v", name, s.Name, typ, got, want)
				}
			}
		}
	}
}

func TestSchemaShortcutsAgree(t *testing.T) {
	for name, src := range schemaInputs(t) {
		checkShortcutsAgree(t, name, src)
	}
	// Types a choice of branches can trip on: repeated, mixed, missing.
	for i, tail := range []string{
		`"Type": "Action", "Type": "Action", "ActionName": "a", "End": true`,
		`"Type": "Action", "Type": "Pass", "ActionName": "a", "End": true`,
		`"Type": 1, "End": true`,
		`"End": true`,
		`"Type": "Pass", "Type": "Action", "End": true`,
	} {
		src := `{"zis_template_version": "2019-10-14", "name": "n", "resources": {"f": {"type": "ZIS::Flow", "type": "ZIS::Flow",
"properties": {"name": "f", "definition": {"StartAt": "s", "States": {"s": {` + tail + `}}}}}}}`
		checkShortcutsAgree(t, fmt.Sprintf("tricky%d.json", i), []byte(src))
	}
}

func TestSchemaShortcutsApply(t *testing.T) {
	a, err := compiledAcceptors()
	if err != nil {
		t.Fatal(err)
	}
	// The resource's three branches and the state's seven are chosen by
	// their type.
	var switches []int
	for _, x := range reachable(a.accept) {
		if x.byConst != nil {
			switches = append(switches, len(x.byConst.cases))
		}
	}
	slices.Sort(switches)
	if !slices.Equal(switches, []int{3, 7}) {
		t.Errorf("switches with %v cases, want [3 7]", switches)
	}
}
