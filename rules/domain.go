package rules

import (
	"fmt"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/zislint/zislint/internal/memo"
)

// Limits on a connection's allowed domain, from the ZIS connection docs.
const (
	maxDomainLen = 128
	maxLabelLen  = 63
)

// domainVerdicts keeps domainProblem's answers for the whole process:
// every bundle of a repository asks, twice, about the same few domains of
// its config, and each answer split the name and looked up its public
// suffix.
var domainVerdicts = memo.Table[string]{Max: 1024}

// checkDomain is domainProblem with the cache.
func checkDomain(d string) string { return domainVerdicts.Get(d, domainProblem) }

// domainProblem explains why d is not a valid allowed domain, or returns
// "" when it is.
func domainProblem(d string) string {
	host := strings.TrimPrefix(d, "*.")
	switch {
	case d == "":
		return "allowed_domain is empty; set the host name the connection's credentials may be sent to"
	case strings.Contains(d, "://") || strings.ContainsAny(d, "/:"):
		return fmt.Sprintf("allowed_domain %q must be a bare host name such as api.example.com, without scheme, port or path (ZIS always uses https)", d)
	case len(d) > maxDomainLen:
		return fmt.Sprintf("allowed_domain is %d characters long; the limit is %d", len(d), maxDomainLen)
	case strings.Contains(host, "*"):
		return fmt.Sprintf("allowed_domain %q has a wildcard in the wrong place; a wildcard may only be the leading \"*.\" (as in *.example.com)", d)
	}
	for _, label := range strings.Split(host, ".") {
		if msg := labelProblem(d, label); msg != "" {
			return msg
		}
	}
	if strings.HasPrefix(d, "*.") {
		if suffix, _ := publicsuffix.PublicSuffix(host); suffix == host {
			return fmt.Sprintf("allowed_domain %q would send credentials to every site under the public suffix %q; name your own domain, e.g. *.example.%s", d, host, host)
		}
	}
	return ""
}

func labelProblem(d, label string) string {
	switch {
	case label == "":
		return fmt.Sprintf("allowed_domain %q has an empty label (two dots in a row, or a dot at an end)", d)
	case len(label) > maxLabelLen:
		return fmt.Sprintf("allowed_domain %q has a label of %d characters; each label may have at most %d", d, len(label), maxLabelLen)
	case label[0] == '-' || label[len(label)-1] == '-':
		return fmt.Sprintf("allowed_domain %q has a label starting or ending with '-'", d)
	}
	for _, c := range label {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Sprintf("allowed_domain %q contains %q; a host name uses letters, digits, '-' and '.'", d, c)
		}
	}
	return ""
}

// covers reports whether allowed domain d lets credentials go to host:
// *.example.com covers example.com and every subdomain of it; a plain
// domain covers only itself.
func covers(d, host string) bool {
	d, host = strings.ToLower(d), strings.ToLower(host)
	if base, ok := strings.CutPrefix(d, "*."); ok {
		return host == base || strings.HasSuffix(host, "."+base)
	}
	return host == d
}
