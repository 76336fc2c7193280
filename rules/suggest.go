package rules

import (
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// suggest returns the candidate nearest to name, or "" when none is close
// enough to be a likely typo. A case-insensitive match wins outright.
func suggest(name string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
	}
	limit := len(name)/3 + 1
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c), bestDist); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean formats a suggestion for a message, or "" without one.
func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
		return "; did you mean " + strconv.Quote(s) + "?"
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b, computed in one
// row and abandoned once it must reach max.
func editDistance(a, b string, max int) int {
	if d := len(a) - len(b); d >= max || -d >= max {
		return max
	}
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := row[0]
		row[0] = i
		rowMin := row[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur := min(row[j]+1, row[j-1]+1, prev+cost)
			prev, row[j] = row[j], cur
			rowMin = min(rowMin, cur)
		}
		if rowMin >= max {
			return max
		}
	}
	return row[len(b)]
}

// reportName reports msg on n, a name that matches none of candidates;
// when one is close, the message suggests it and a fix writes it in.
func (r *reporter) reportName(n *bundle.Node, msg, name string, candidates []string) {
	best := suggest(name, candidates)
	if best == "" {
		r.node(n, "%s", msg)
		return
	}
	r.span(n.Start, n.End, msg+"; did you mean "+strconv.Quote(best)+"?",
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
	return "a " + n.Kind.String()
}
