// Package didyoumean finds the name a typo was meant to be, for every
// message that names something unknown: rules, flags, commands, fixture
// keys, flows.
package didyoumean

import (
	"strconv"
	"strings"
)

// Nearest returns the candidate nearest to name, or "" when none is
// close enough to be a likely typo. A case-insensitive match wins
// outright; next, the one candidate whose last part (after its last "."
// or ":") is name, since a qualified name is often written without its
// qualifier (TicketCreated for ticket.TicketCreated).
func Nearest(name string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
	}
	if c := qualifiedForm(name, candidates); c != "" {
		return c
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

// qualifiedForm returns the only candidate that is name with a
// qualifier in front, or "" when none or several are.
func qualifiedForm(name string, candidates []string) string {
	if name == "" || strings.ContainsAny(name, ".:") {
		return ""
	}
	found := ""
	for _, c := range candidates {
		last := c[strings.LastIndexAny(c, ".:")+1:]
		if last != c && strings.EqualFold(last, name) {
			if found != "" {
				return ""
			}
			found = c
		}
	}
	return found
}

// Hint formats the suggestion for the end of a message,
// `; did you mean "x"?`, or "" without one.
func Hint(name string, candidates []string) string {
	if s := Nearest(name, candidates); s != "" {
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
