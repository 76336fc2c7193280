// Package simulate runs ZIS flows offline: from a recorded event and
// recorded HTTP responses, deterministically, on a virtual clock, with no
// network access. A Result records the states visited, the requests the
// flow would make and its final document, for comparison with a golden.
package simulate

// Fixture is one test case: an event, the flow it starts, and the
// recorded responses of the custom actions it calls. Its values are
// document values as LoadFixture makes them (numbers float64); a number
// of another type, in a fixture built in code, is converted by each run.
// Runs read a fixture without writing into it and share its values (see
// Program.Run).
type Fixture struct {
	Path string // the file it was read from, for messages
	// ResponsesFile is where a missing response is to be recorded when
	// the responses come from a file of their own (zislint simulate
	// --responses) rather than from the fixture's responses key.
	ResponsesFile string
	Name          string
	// Flow names the flow to run (its properties.name). When empty, the
	// flow is chosen through the job specs bound to EventSource and
	// EventType.
	Flow        string
	EventSource string
	EventType   string
	Account     Account
	Event       any                   // becomes $.input
	Responses   map[string][]Response // by custom action name, consumed in order
	Config      map[string]any        // scope -> settings, for LoadConfig and PatchConfig
	Links       []any                 // initial links, for the Links actions
	// Vars are the values of the bundle's {{name}} variables for this
	// run; the caller renders the bundle with them before compiling.
	Vars map[string]string
	// Line is the 1-based line of each top-level key and of each
	// responses entry ("responses.GetUserProfile"), for error messages.
	Line map[string]int
}

// Account is the Zendesk account a run happens in.
type Account struct {
	Subdomain string
	AccountID any
}

// Response is a recorded HTTP response. A Body that is a string is a
// non-JSON response body.
type Response struct {
	Status  int
	Body    any
	Headers map[string]string
}

// Result is the outcome of one run. Its JSON form is a public contract:
// goldens and other tools read it, so fields keep their names and order.
type Result struct {
	Flow            string    `json:"flow"`
	Status          string    `json:"status"` // "succeeded" or "failed"
	States          []string  `json:"states"`
	Requests        []Request `json:"requests"`
	Output          any       `json:"output"`
	Message         *string   `json:"message,omitempty"` // a Succeed state's Message
	Error           *RunError `json:"error"`
	WaitedSeconds   float64   `json:"waited_seconds"`
	RepeatedOnRetry []Request `json:"repeated_on_retry"`
	// responses and used are the fixture's responses and how many of
	// each action's the run consumed, for UnusedResponses.
	responses map[string][]Response
	used      consumed
	cover     trail // the states and transitions taken, for coverage
}

// Request is a call the flow makes: an HTTP request of a custom action,
// or a write to the config or link store by a built-in action.
type Request struct {
	State      string            `json:"state"`
	Action     string            `json:"action"`
	Method     string            `json:"method"`
	URL        string            `json:"url"`
	Headers    map[string]string `json:"headers"`
	Connection string            `json:"connection,omitempty"`
	Body       any               `json:"body"`
}

// RunError says why a run failed: a Fail state's Error and Cause, or an
// error ZIS raises (a failed action, a timeout, an unmatched Choice).
type RunError struct {
	Error string `json:"error"`
	Cause string `json:"cause"`
	State string `json:"state"`
}

// Status values of a Result.
const (
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
)
