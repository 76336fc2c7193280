package rules

import (
	"golang.org/x/tools/go/analysis"
)

const unknownConnectionID = "ZIS403"

// UnknownConnection reports a connectionName the integration lacks.
var UnknownConnection = &analysis.Analyzer{
	Name: "unknown_connection",
	Doc: `connectionName must be a connection the integration declares

An HTTP action authenticates with the connection named by connectionName.
When zislint.yaml lists the integration's connections, every connectionName
must be one of them: a missing connection fails every call at run time. The
finding suggests the nearest declared name, with a fix.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runUnknownConnection,
}

func runUnknownConnection(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unknownConnectionID)
	in := r.in.Integration
	if in == nil || len(in.Connections) == 0 {
		return nil, nil
	}
	for _, t := range r.in.actionTargets() {
		if t.connection != nil && t.name != "" && connectionNamed(in, t.name) == nil {
			r.reportName(t.connection, "action "+quote(t.res.Key)+" uses connection "+quote(t.name)+", which integration "+quote(in.Key)+" does not declare in "+r.in.Config.Path,
				t.name, connectionNames(in))
		}
	}
	return nil, nil
}
