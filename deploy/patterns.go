package deploy

import "github.com/zislint/zislint/internal/lazyre"

// The plan's regular expressions, compiled on first use: every zislint
// command links this package, and only a plan needs them.
var (
	// inlineSecretRE finds credentials inside a longer string: the
	// value of a query parameter named like one (?api_key=...,
	// &access_token=...) and the password of a URL
	// (https://user:password@host).
	inlineSecretRE = lazyre.New(`(?i)([?&][A-Za-z0-9_.-]*(?:key|token|secret|password|passwd|signature|sig)=)([^&#\s"]+)|(://[^/@\s:]+:)([^/@\s]+)@`)

	// secretValueRE matches values that are credentials whatever their
	// name: an Authorization value with a scheme, or a well-known key shape.
	secretValueRE = lazyre.New(`(?i)^\s*(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}\s*$|^(sk|pk|rk)_(live|test)_[A-Za-z0-9]{8,}|^gh[pousr]_[A-Za-z0-9]{20,}|^AKIA[0-9A-Z]{16}$|^xox[baprs]-[A-Za-z0-9-]{10,}`)
)
