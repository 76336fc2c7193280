package runner

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/textsafe"
	"github.com/zislint/zislint/simulate"
)

// CoverProfile is what the fixtures covered of every flow of the bundles
// they ran. Its JSON form, written by --cover-profile, is a contract that
// zislint graph and other tools read.
type CoverProfile struct {
	Flows []simulate.FlowCoverage `json:"flows"`
	Total CoverTotal              `json:"total"`
}

// CoverTotal adds up the flows of a profile.
type CoverTotal struct {
	States      simulate.Count `json:"states"`
	Transitions simulate.Count `json:"transitions"`
}

// Cover measures the runs of results against every flow of their
// bundles, so that a flow no fixture runs shows as not covered at all.
// Bundles and their flows keep the order of results and of the bundle.
func Cover(results []Result) *CoverProfile {
	p := &CoverProfile{Flows: []simulate.FlowCoverage{}}
	var order []*bundle.Bundle
	runs := map[*bundle.Bundle][]*simulate.Result{}
	for _, r := range results {
		if r.Model == nil {
			continue // an orphan golden or a bundle that cannot run
		}
		if _, seen := runs[r.Model]; !seen {
			order = append(order, r.Model)
			runs[r.Model] = nil
		}
		if r.Run != nil {
			runs[r.Model] = append(runs[r.Model], r.Run)
		}
	}
	for _, b := range order {
		for _, fc := range coverBundle(b, runs[b]) {
			p.Flows = append(p.Flows, fc)
			p.Total.States = p.Total.States.Plus(fc.States)
			p.Total.Transitions = p.Total.Transitions.Plus(fc.Transitions)
		}
	}
	return p
}

// coverBundle measures each flow of b with the runs of it.
func coverBundle(b *bundle.Bundle, runs []*simulate.Result) []simulate.FlowCoverage {
	var out []simulate.FlowCoverage
	for _, flow := range b.OfType(bundle.TypeFlow) {
		if flow.Flow == nil || flow.Flow.Machine == nil {
			continue
		}
		c := simulate.NewCoverage(b, flow)
		for _, run := range runs {
			if run.Flow == c.FlowName() {
				c.Add(run)
			}
		}
		out = append(out, c.Report())
	}
	return out
}

// WriteCoverText writes the coverage of each flow, the transitions no
// fixture took with where they are written, and the total.
func WriteCoverText(w io.Writer, p *CoverProfile) error {
	var b strings.Builder
	for _, fc := range p.Flows {
		fmt.Fprintf(&b, "coverage: %s flow %s: %s\n", textsafe.Name(fc.Bundle), textsafe.Name(fc.Flow), counts(fc.States, fc.Transitions))
		for _, t := range fc.Uncovered {
			fmt.Fprintf(&b, "    not taken: %s:%d:%d %s → %s (%s)\n",
				textsafe.Name(fc.Bundle), t.Line, t.Column, textsafe.Name(t.From), textsafe.Name(t.To), t.Kind)
		}
	}
	fmt.Fprintf(&b, "coverage: total: %s\n", counts(p.Total.States, p.Total.Transitions))
	_, err := io.WriteString(w, b.String())
	return err
}

func counts(states, transitions simulate.Count) string {
	return fmt.Sprintf("states %d/%d (%s), transitions %d/%d (%s)",
		states.Covered, states.Total, Percent(states), transitions.Covered, transitions.Total, Percent(transitions))
}

// Percent writes a count's share with one decimal, as the reports show it.
func Percent(c simulate.Count) string {
	return fmt.Sprintf("%.1f%%", c.Percent())
}

// WriteCoverProfile writes the profile's JSON to the file at path.
func WriteCoverProfile(path string, p *CoverProfile) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadCoverProfile reads a profile --cover-profile wrote.
func ReadCoverProfile(path string) (*CoverProfile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p CoverProfile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s: not a coverage profile: %v", path, err)
	}
	return &p, nil
}
