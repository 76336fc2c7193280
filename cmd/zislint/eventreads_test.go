package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A fixture whose event lacks a value its run reads passes with a
// warning that names the path, the state and where the state reads it.
func TestTestWarnsOfMissingEventReads(t *testing.T) {
	dir := copyRefunds(t)
	fixture := filepath.Join(dir, "tests", "refund_200_basic.yaml")
	editFile(t, fixture, "        order_id: \"123\"\n", "")
	if code, out, errOut := runCLI(t, "test", "-update", "-run", "refund_200_basic", dir); code != exitOK {
		t.Fatalf("-update: exit %d:\n%s\n%s", code, out, errOut)
	}
	code, out, _ := runCLI(t, "test", "-run", "refund_200_basic", dir)
	want := "    warning: " + fixture + ":14:7: the event has no $.input.activity_event.user_activity.properties.order_id, " +
		`which state "CreateZendeskTicket" reads (` + filepath.Join(dir, "bundle.json") + ":121:58); add it, or the run takes " +
		"the way a missing value takes: the placeholder renders as empty text\n"
	if code != exitOK || !strings.HasPrefix(out, "ok ") || !strings.HasSuffix(out, want) || strings.Count(out, "warning:") != 1 {
		t.Errorf("exit %d, want %d; output:\n%s\nwant it to end with\n%s", code, exitOK, out, want)
	}
}
