package rules

import (
	"golang.org/x/tools/go/analysis"
)

const runtimeHostID = "ZIS405"

// RuntimeHost notes authenticated calls whose host is computed at run time.
var RuntimeHost = &analysis.Analyzer{
	Name: "runtime_host",
	Doc: `an authenticated call to a host known only at run time cannot be checked

When an action that uses a connection takes its host from the data
("url.$": "$.endpoint" or "https://{{$.shop}}.example.com/..."), zislint
cannot tell whether the host is one the connection's allowed domain covers.
ZIS still refuses to send credentials elsewhere, so a wrong host fails at
run time. This is information, not an error: make sure the data always
names a covered host.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runRuntimeHost,
}

func runRuntimeHost(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, runtimeHostID)
	for _, t := range r.in.actionTargets() {
		if t.host != "" || t.name == "" {
			continue
		}
		allowed := "its allowed domain"
		if c := connectionNamed(r.in.Integration, t.name); c != nil && c.AllowedDomain != "" {
			allowed = quote(c.AllowedDomain)
		}
		r.node(t.node, "action %q sends connection %q's credentials to a host known only at run time; make sure it is always covered by %s", t.res.Key, t.name, allowed)
	}
	return nil, nil
}
