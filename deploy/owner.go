package deploy

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/zislint/zislint/bundle"
)

// A deploy changes one integration's job specs and nothing else. The
// names it acts on come from the bundle (written by whoever opens a pull
// request) and from the registry's listing (written by the server), and
// either may name another integration's job spec: a qualified name
// zis:<other>:job_spec:<x>, or a listing entry whose integration field
// is another key. ownJobSpecName and ownListedJobSpec are the one check:
// NewTarget runs it on the bundle's job specs (what a plan installs),
// planning on every listed job spec (what a plan uninstalls), and the
// Client again before it sends any install or uninstall.

// ForeignJobSpecError is a job spec name that does not belong to the
// integration being deployed; nothing is installed or uninstalled for it.
type ForeignJobSpecError struct {
	Key   string // the integration being deployed
	Name  string // the name as given
	Owner string // the integration it belongs to, when known
	why   string // set when the name is not a job spec name at all
}

func (e *ForeignJobSpecError) Error() string {
	if e.why != "" {
		return fmt.Sprintf("job spec name %q %s; want a bare name, or %s<name>", e.Name, e.why, jobSpecPrefix(e.Key))
	}
	return fmt.Sprintf("job spec %q belongs to integration %q, not %q; zislint installs and uninstalls only the deployed integration's own job specs",
		e.Name, e.Owner, e.Key)
}

// ownJobSpecName returns the bare name of a job spec of integration key,
// given either form: name or zis:<key>:job_spec:<name>. Any other form is
// an error, since the registry resolves a qualified name to whichever
// integration it names.
func ownJobSpecName(key, name string) (string, error) {
	bare := name
	if strings.HasPrefix(name, "zis:") {
		ref, err := bundle.ParseRef(name)
		switch {
		case errors.Is(err, bundle.ErrRefShape) || ref.Integration == "" || ref.Kind != "job_spec":
			return "", &ForeignJobSpecError{Key: key, Name: name, why: "is not of the form zis:<integration>:job_spec:<name>"}
		case ref.Integration != key:
			return "", &ForeignJobSpecError{Key: key, Name: name, Owner: ref.Integration}
		}
		bare = ref.Name
	}
	switch {
	case bare == "":
		return "", &ForeignJobSpecError{Key: key, Name: name, why: "is empty"}
	case strings.Contains(bare, ":"):
		// A colon would make the registry read it as another qualified
		// name once the bare form is sent.
		return "", &ForeignJobSpecError{Key: key, Name: name, why: "holds a colon"}
	case strings.IndexFunc(bare, unicode.IsControl) >= 0:
		// It is printed in plans, one step a line.
		return "", &ForeignJobSpecError{Key: key, Name: name, why: "holds control characters"}
	}
	return bare, nil
}

// ownListedJobSpec checks a job spec from the registry's listing of
// integration key: its integration field, when the server sends one,
// and its name. It returns the bare name.
func ownListedJobSpec(key string, js JobSpec) (string, error) {
	if js.Integration != "" && js.Integration != key {
		return "", &ForeignJobSpecError{Key: key, Name: js.Name, Owner: js.Integration}
	}
	return ownJobSpecName(key, js.Name)
}
