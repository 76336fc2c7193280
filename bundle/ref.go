package bundle

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zislint/zislint/internal/lazyre"
)

// Reference kinds in fully qualified names.
const (
	KindAction  = "action"
	KindFlow    = "flow"
	KindJobSpec = "job_spec"
)

// CommonKey is the pseudo integration that holds the built-in actions.
const CommonKey = "common"

// Builtins are the built-in actions an Action state may call.
var Builtins = []string{
	"zis:common:transform:Jq",
	"zis:common:action:LoadConfig",
	"zis:common:action:PatchConfig",
	"zis:common:action:LoadLinks",
	"zis:common:action:CreateLink",
	"zis:common:action:PatchLink",
	"zis:common:action:DeleteLink",
}

// IsBuiltin reports whether name is one of the built-in actions.
func IsBuiltin(name string) bool {
	for _, b := range Builtins {
		if b == name {
			return true
		}
	}
	return false
}

// Ref is a parsed fully qualified name: zis:<integration>:<kind>:<name>.
type Ref struct {
	Integration string
	Kind        string
	Name        string
}

func (r Ref) String() string { return "zis:" + r.Integration + ":" + r.Kind + ":" + r.Name }

// Qualifier returns a function that gives a name this reference's
// integration and kind.
func (r Ref) Qualifier() func(name string) string {
	return func(name string) string { return Ref{r.Integration, r.Kind, name}.String() }
}

// Errors of ParseRef that callers tell apart.
var (
	ErrRefShape       = errors.New("reference shape")
	ErrRefIntegration = errors.New("integration key")
)

// ValidIntegrationKey reports whether key is a legal integration key:
// 1 to 64 characters of a-z, 0-9, '_' and '-'. It is a loop rather than
// a regexp: it runs on every reference of every bundle.
func ValidIntegrationKey(key string) bool {
	if len(key) < 1 || len(key) > 64 {
		return false
	}
	for i := 0; i < len(key); i++ {
		switch c := key[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// KeyProblem explains why key is not a valid integration key, or returns
// "" when it is valid.
func KeyProblem(key string) string {
	switch {
	case ValidIntegrationKey(key):
		return ""
	case LooksLikePlaceholder(key):
		return fmt.Sprintf("integration key %q is an unsubstituted template variable; replace it with the real key before linting and uploading", key)
	case key == "":
		return "integration key is empty"
	case len(key) > 64:
		return fmt.Sprintf("integration key %q is %d characters long; the limit is 64", key, len(key))
	case strings.ToLower(key) == key:
		return fmt.Sprintf("integration key %q may only use a-z, 0-9, '_' and '-'", key)
	default:
		return fmt.Sprintf("integration key %q must be lower case (a-z, 0-9, '_' and '-'); try %q", key, strings.ToLower(key))
	}
}

// placeholderRE is compiled on first use, as most runs never need it.
var placeholderRE = lazyre.New(`\{\{[^$}][^}]*\}\}|%[A-Za-z_][A-Za-z0-9_]*%|\$\{[^}]*\}|<[A-Za-z_ -]+>`)

// LooksLikePlaceholder reports whether s holds a template variable left
// for a build step to fill in, such as {{integration_key}}, %NAME%,
// ${NAME} or <integration>. ZIS's own {{$.path}} placeholders do not count.
func LooksLikePlaceholder(s string) bool {
	// Every form has one of these bytes; most strings have none, and skip
	// the regexp.
	if !strings.ContainsAny(s, "{%<") {
		return false
	}
	return placeholderRE().MatchString(s)
}

// ParseRef parses a fully qualified name. Errors wrap ErrRefShape when the
// text is not of the form zis:<integration>:<kind>:<name>, and
// ErrRefIntegration when only the integration key is wrong.
func ParseRef(s string) (Ref, error) {
	// Cut rather than SplitN: this runs on every reference of every
	// bundle, and the three cuts allocate nothing.
	rest, isZis := strings.CutPrefix(s, "zis:")
	integration, rest, ok1 := strings.Cut(rest, ":")
	kind, name, ok2 := strings.Cut(rest, ":")
	if !isZis || !ok1 || !ok2 || name == "" {
		return Ref{}, fmt.Errorf("%w: %q is not of the form zis:<integration>:<kind>:<name>", ErrRefShape, s)
	}
	r := Ref{Integration: integration, Kind: kind, Name: name}
	if r.Integration != CommonKey {
		if msg := KeyProblem(r.Integration); msg != "" {
			return r, fmt.Errorf("%w: %s", ErrRefIntegration, msg)
		}
	}
	return r, nil
}

// RefUse is one fully qualified reference written in a bundle: 24
// bytes, as a large flow has one per Action state. Its Ref is not kept
// but cut from the node's text, where the parse found its parts, and
// its error, rare, is made again when asked for.
type RefUse struct {
	Node *Node // the string holding the reference
	// integrationEnd and kindEnd are where the integration key and the
	// kind end in the text; 0 when it is not of the form zis:…:…:….
	integrationEnd, kindEnd int32
	flowName                bool // a job spec's flow_name, not an ActionName
	bad                     bool // ParseRef returned an error
}

// Err returns ParseRef's error for the reference, nil when it has none.
func (u RefUse) Err() error {
	if !u.bad {
		return nil
	}
	_, err := ParseRef(u.Node.Text())
	return err
}

// Field returns the field the reference is written in: "ActionName" or
// "flow_name".
func (u RefUse) Field() string {
	if u.flowName {
		return "flow_name"
	}
	return "ActionName"
}

// Ref returns the reference as ParseRef parsed it.
func (u RefUse) Ref() Ref {
	if u.integrationEnd == 0 {
		return Ref{}
	}
	text := u.Node.Text()
	return Ref{Integration: text[len("zis:"):u.integrationEnd], Kind: text[u.integrationEnd+1 : u.kindEnd], Name: text[u.kindEnd+1:]}
}

// newRefUse returns the use of the reference in the string node n, of
// the given field.
func newRefUse(n *Node, s, field string) RefUse {
	r, err := ParseRef(s)
	u := RefUse{Node: n, bad: err != nil, flowName: field == "flow_name"}
	if r.Name != "" { // the text has the parts, whatever the key's problem
		u.integrationEnd = int32(len("zis:") + len(r.Integration))
		u.kindEnd = u.integrationEnd + 1 + int32(len(r.Kind))
	}
	return u
}

// References returns every ActionName of an Action state and every job
// spec's flow_name, in source order.
func (b *Bundle) References() []RefUse {
	// Sized for every job spec and Action state, so it is never grown.
	size := 0
	for _, r := range b.Resources {
		if r.JobSpec != nil {
			size++
		}
	}
	for s := range b.States() {
		if s.Type() == StateAction {
			size++
		}
	}
	refs := make([]RefUse, 0, size)
	add := func(n *Node, field string) {
		if s, ok := n.Str(); ok {
			refs = append(refs, newRefUse(n, s, field))
		}
	}
	for _, r := range b.Resources {
		if r.JobSpec != nil {
			add(r.JobSpec.FlowName, "flow_name")
		}
	}
	for s := range b.States() {
		if s.Type() == StateAction {
			add(s.Entry.Value().Get("ActionName"), "ActionName")
		}
	}
	// Source order makes "the first one seen" mean what readers expect.
	// Each reference is its own node, so there are no ties to keep in order.
	// Most bundles list them in source order already, and sorting the
	// wide RefUse values anyway cost more than finding them.
	bySource := func(a, b RefUse) int { return cmp.Compare(a.Node.Start, b.Node.Start) }
	if !slices.IsSortedFunc(refs, bySource) {
		slices.SortFunc(refs, bySource)
	}
	return refs
}

// InferKey returns the integration key a bundle names itself: its
// top-level "integration" field (bundles saved from the Show Bundle API),
// else the key most of its references use, the first seen winning a tie;
// "" when it names none. fromField reports the first case.
func (b *Bundle) InferKey() (key string, fromField bool) {
	return b.InferKeyFrom(b.References())
}

// InferKeyFrom is InferKey for a caller that already holds the bundle's
// References, which are costly to list again for a large flow.
func (b *Bundle) InferKeyFrom(refs []RefUse) (key string, fromField bool) {
	if s, ok := b.Root.Get("integration").Str(); ok {
		return s, true
	}
	count := map[string]int{}
	for _, u := range refs {
		integration := u.Ref().Integration
		if u.bad || integration == CommonKey {
			continue
		}
		count[integration]++
		if key == "" || count[integration] > count[key] {
			key = integration
		}
	}
	return key, false
}
