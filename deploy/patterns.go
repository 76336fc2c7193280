package deploy

import "github.com/zislint/zislint/internal/lazyre"

// The plan's regular expressions, compiled on first use: every zislint
// command links this package, and only a plan needs them.
var (
	// plainNameRE is a name the plan shows without quotes.
	plainNameRE = lazyre.New(`^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$`)

	// inlineSecretRE finds credentials inside a longer string: the
	// value of a query parameter named like one (?api_key=...,
	// &access_token=...) and the password of a URL
	// (https://user:password@host).
	inlineSecretRE = lazyre.New(`(?i)([?&][A-Za-z0-9_.-]*(?:key|token|secret|password|passwd|signature|sig)=)([^&#\s"]+)|(://[^/@\s:]+:)([^/@\s]+)@`)

	// placeholderRE finds a {{…}} placeholder, which is a reference,
	// not a value.
	placeholderRE = lazyre.New(`\{\{[^{}]*\}\}`)
)
