package simulate

import (
	"errors"
	"strings"
	"testing"

	"github.com/zislint/zislint/bundle"
)

// danglingJobSpecProgram has a job spec whose flow_name names a flow the
// bundle lacks (a typo), and one bound to another event that is fine.
func danglingJobSpecProgram(t *testing.T) *Program {
	t.Helper()
	src := `{"zis_template_version": "2019-10-14", "name": "t", "resources": {
  "F": {"type": "ZIS::Flow", "properties": {"name": "OrderFlow", "definition": {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}}},
  "Good": {"type": "ZIS::JobSpec", "properties": {"name": "Good", "event_source": "support", "event_type": "ticket.TicketCreated",
    "flow_name": "zis:t:flow:OrderFlow"}},
  "Typo": {"type": "ZIS::JobSpec", "properties": {"name": "Typo", "event_source": "support", "event_type": "ticket.CommentAdded",
    "flow_name": "zis:t:flow:OrderFlw"}}
}}`
	p, err := Compile(bundle.Parse("b.json", []byte(src)), Options{IntegrationKey: "t"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNoFlowBlamesTheJobSpec(t *testing.T) {
	p := danglingJobSpecProgram(t)
	f := &Fixture{Path: "x.yaml", EventSource: "support", EventType: "ticket.CommentAdded", Line: map[string]int{"event_type": 3}}
	_, err := p.Run(f)
	var nf *NoFlowError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v, want a NoFlowError", err)
	}
	// flow_name of Typo is on line 6, its value at column 18.
	want := `b.json:6:18: job spec "Typo" starts flow "OrderFlw" for event_source "support" and event_type "ticket.CommentAdded", ` +
		`but the bundle has no flow named "OrderFlw"; fix its flow_name or add the flow; did you mean "OrderFlow"?`
	if err.Error() != want || nf.Fixture != "x.yaml:3" {
		t.Errorf("err =\n%v\nwant\n%s\n(fixture at %q)", err, want, nf.Fixture)
	}
	// The other event still finds its flow.
	f.EventType = "ticket.TicketCreated"
	if res, err := p.Run(f); err != nil || res.Flow != "OrderFlow" {
		t.Errorf("Run = %v, %v; want OrderFlow", res, err)
	}
}

func TestNoFlowBlamesTheFixture(t *testing.T) {
	p := danglingJobSpecProgram(t)
	for _, tt := range []struct {
		f    *Fixture
		want string
	}{
		{&Fixture{Path: "x.yaml", Flow: "orderflow", Line: map[string]int{"flow": 4}},
			`x.yaml:4: the bundle has no flow named "orderflow"; its flows are OrderFlow; did you mean "OrderFlow"?`},
		{&Fixture{Path: "x.yaml", EventSource: "support", EventType: "TicketCreated", Line: map[string]int{"event_source": 2, "event_type": 3}},
			`x.yaml:3: no job spec of the bundle starts a flow for event_source "support" and event_type "TicketCreated"; did you mean "ticket.TicketCreated"?`},
		{&Fixture{Path: "x.yaml", EventSource: "support", EventType: "ticket.TicketCreatd"},
			`x.yaml: no job spec of the bundle starts a flow for event_source "support" and event_type "ticket.TicketCreatd"; did you mean "ticket.TicketCreated"?`},
	} {
		_, err := p.Run(tt.f)
		var nf *NoFlowError
		if !errors.As(err, &nf) || nf.JobSpec != "" || err.Error() != tt.want {
			t.Errorf("err =\n%v\nwant\n%s", err, tt.want)
		}
	}
}

func TestMissingResponseNamesTheResponsesFile(t *testing.T) {
	f := ordersFixture(order(5005, "TEA", "CUP"), true, 201)
	f.ResponsesFile = "responses.yaml"
	res, _ := ordersProgram(t).Run(f)
	if res.Error == nil || !strings.HasSuffix(res.Error.Cause, "add one to the list of PostItem in responses.yaml") {
		t.Fatalf("error = %+v", res.Error)
	}
}

// ZIS names no error but States.ALL, the one name ErrorEquals takes (rule
// error_equals says so); the simulator's labels keep to their own
// namespace, so that no result suggests a name to match. A failed action
// is labelled so in the result and in what a Catch writes.
func TestErrorNamesAreTheSimulatorsOwn(t *testing.T) {
	for _, name := range []string{errRuntime, errTaskFailed, errTimeout, errNoChoice, ErrFixture, errTransitions, errMapItemsLimit} {
		if !strings.HasPrefix(name, "zislint.") {
			t.Errorf("error name %q is not in the zislint namespace", name)
		}
	}
	f := refundFixture("100.00", "789", "basic")
	f.Responses["InitiateRefund"] = []Response{{Status: 503}, {Status: 503}, {Status: 503}, {Status: 503}}
	res, err := refundProgram(t).Run(f)
	if err != nil {
		t.Fatal(err)
	}
	if res.Error == nil || res.Error.Error != "zislint.ActionFailed" || !strings.HasPrefix(res.Error.Cause, "external action failed due to status code: ") {
		t.Errorf("a failed action: error %+v", res.Error)
	}
}
