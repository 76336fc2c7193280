package rules

import (
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/didyoumean"
)

// suggest returns the candidate nearest to name, or "" when none is close
// enough to be a likely typo.
func suggest(name string, candidates []string) string {
	return didyoumean.Nearest(name, candidates)
}

// didYouMean formats a suggestion for a message, or "" without one.
func didYouMean(name string, candidates []string) string {
	return didyoumean.Hint(name, candidates)
}

// reportName reports msg on n, a name that matches none of candidates;
// when one is close, the message suggests it and a fix writes it in.
func (r *reporter) reportName(n *bundle.Node, msg, name string, candidates []string) {
	best := suggest(name, candidates)
	if best == "" {
		r.node(n, "%s", msg)
		return
	}
	r.span(int(n.Start), int(n.End()), msg+"; did you mean "+strconv.Quote(best)+"?",
		r.replaceString(n, "use "+strconv.Quote(best), best))
}

func quote(s string) string { return strconv.Quote(s) }

// keyName shows a key from the bundle in a message: as written when it
// is a plain word such as StringEquals, quoted otherwise, so a key that
// holds spaces, line breaks or markup reads as one name.
func keyName(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == "" {
		return s
	}
	return strconv.Quote(s)
}

// jsonText renders a small node for a message.
func jsonText(n *bundle.Node) string {
	if s, ok := n.Str(); ok {
		return strconv.Quote(s)
	}
	return "a " + n.Kind().String()
}
