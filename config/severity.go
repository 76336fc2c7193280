package config

import "fmt"

// Severity ranks a finding. SeverityOff disables a rule.
type Severity int

// Severities, from disabled to most severe.
const (
	SeverityOff Severity = iota
	SeverityInfo
	SeverityWarning
	SeverityError
)

var severityNames = [...]string{"off", "info", "warning", "error"}

func (s Severity) String() string {
	if s < SeverityOff || s > SeverityError {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses off, info, warning or error.
func ParseSeverity(s string) (Severity, error) {
	for i, name := range severityNames {
		if s == name {
			return Severity(i), nil
		}
	}
	return SeverityOff, fmt.Errorf("unknown severity %q: use off, info, warning or error", s)
}
