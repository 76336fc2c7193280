// Package benchgen writes the synthetic bundles that the benchmarks of
// several packages lint: realistic, valid, and of any size.
package benchgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// flowStates writes n states: a chain of Jq transforms and custom
// action calls, with a Choice every fifth state that can jump ahead or
// end, and a final Succeed. Every state is reachable and can end.
func flowStates(b *strings.Builder, key string, n int) {
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

// Bundle returns a realistic bundle with one flow of n states, two
// actions and a job spec.
func Bundle(key string, n int) []byte {
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
	flowStates(&b, key, n)
	fmt.Fprintf(&b, `
    }}}},
    "MainJobSpec": {"type": "ZIS::JobSpec", "properties": {"name": "MainJobSpec", "event_source": "support", "event_type": "ticket.TicketCreated", "flow_name": "zis:%s:flow:MainFlow"}}
  }
}
`, key)
	return []byte(b.String())
}

// Repo writes count bundles of states states each under dir, one per
// folder as integrations/iNNNN/bundle.json, with a zislint.yaml covering
// them.
func Repo(dir string, count, states int) error {
	cfg := "integrations:\n  - key: bench\n    bundle: \"integrations/*/bundle.json\"\n    connections:\n      - {name: zendesk, type: oauth, allowed_domain: \"*.zendesk.com\"}\n      - {name: example, type: bearer_token, allowed_domain: api.example.com}\n"
	if err := os.WriteFile(filepath.Join(dir, "zislint.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	src := Bundle("bench", states)
	for i := 0; i < count; i++ {
		sub := filepath.Join(dir, "integrations", fmt.Sprintf("i%05d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(sub, "bundle.json"), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
