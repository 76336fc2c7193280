package lint

import (
	"fmt"

	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/rules"
)

// ignoreRules resolves the rules named by each ignore entry to ids.
func ignoreRules(cfg *config.Config) ([]map[string]bool, error) {
	out := make([]map[string]bool, len(cfg.Ignores))
	for i, ig := range cfg.Ignores {
		if len(ig.Rules) == 0 {
			continue // nil: every rule
		}
		out[i] = map[string]bool{}
		for _, name := range ig.Rules {
			r := rules.Lookup(name)
			if r == nil {
				return nil, &config.Error{File: cfg.Path, Pos: ig.Pos,
					Msg: fmt.Sprintf("ignore entry names unknown rule %q; run \"zislint rules\" for the list of ids and names%s", name, rules.UnknownHint(name))}
			}
			out[i][r.ID] = true
		}
	}
	return out, nil
}

// located is a finding with its byte offset in its bundle, for
// pointer-scoped ignores.
type located struct {
	Finding
	offset int // -1 outside the bundle file
}

// ignoreState is how far an ignore entry got with the bundles of a run;
// states only grow, so the run keeps the highest any bundle reached.
type ignoreState int

const (
	ignoreUnmatched ignoreState = iota // its path matched no linted bundle
	ignoreMatched                      // path matched, pointer resolved nowhere
	ignoreArmed                        // path matched and pointer resolved
	ignoreUsed                         // it suppressed a finding
)

// applyIgnores drops the bundle's findings that the config's ignore
// entries cover, and returns how far each entry got on this bundle.
func applyIgnores(lc *loadedConfig, path string, in *rules.Input, found []located) ([]Finding, []ignoreState) {
	states := make([]ignoreState, len(lc.cfg.Ignores))
	for i, ig := range lc.cfg.Ignores {
		switch {
		case !lc.cfg.Matches(ig, path):
		case ig.Pointer == "" || (in.Bundle.Root != nil && in.Bundle.Root.Pointer(ig.Pointer) != nil):
			states[i] = ignoreArmed
		default:
			states[i] = ignoreMatched
		}
	}
	var kept []Finding
	for _, f := range found {
		if f.offset < 0 || f.Rule == rules.StaleIgnoreID || !lc.suppressed(path, in, f, states) {
			kept = append(kept, f.Finding)
		}
	}
	return kept, states
}

func (lc *loadedConfig) suppressed(path string, in *rules.Input, f located, states []ignoreState) bool {
	for i, ig := range lc.cfg.Ignores {
		if !lc.cfg.Matches(ig, path) || (lc.ignoreRules[i] != nil && !lc.ignoreRules[i][f.Rule]) {
			continue
		}
		if ig.Pointer != "" {
			start, end, ok := in.Bundle.Root.PointerSpan(ig.Pointer)
			if !ok || f.offset < start || f.offset >= end {
				continue
			}
		}
		states[i] = ignoreUsed
		return true
	}
	return false
}

// staleIgnores reports the entries of one config that applied to a
// linted bundle but suppressed nothing in the whole run. Entries whose
// pointer named nothing are left to the stale_ignore analyzer, and those
// for bundles outside this run are not judged.
func staleIgnores(lc *loadedConfig, states []ignoreState) []Finding {
	rule := rules.Lookup(rules.StaleIgnoreID)
	sev := lc.severity(rule)
	if sev == config.SeverityOff {
		return nil
	}
	var out []Finding
	for i, ig := range lc.cfg.Ignores {
		if states[i] != ignoreArmed {
			continue
		}
		out = append(out, Finding{
			File: lc.cfg.Path, Line: ig.Pos.Line, Column: ig.Pos.Col, EndLine: ig.Pos.Line, EndColumn: ig.Pos.Col,
			Rule: rule.ID, Name: rule.Name(), Severity: sev,
			Message: "ignore entry suppresses no finding; remove it, since a stale entry would hide the next problem at that place",
		})
	}
	return out
}
