// Package rules holds zislint's checks. Each rule is an
// *analysis.Analyzer in a file of its own; it requires Root (and perhaps
// the shared Graph analyzer) and reports diagnostics whose Category is the
// rule's stable id.
package rules

import (
	"embed"
	"fmt"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/internal/didyoumean"
)

// Rule is an analyzer with its stable id and default severity.
type Rule struct {
	ID       string
	Severity config.Severity
	Analyzer *analysis.Analyzer
}

// Name is the analyzer's name, the rule's other handle.
func (r *Rule) Name() string { return r.Analyzer.Name }

// Summary is the first line of the rule's documentation.
func (r *Rule) Summary() string {
	summary, _, _ := strings.Cut(r.Analyzer.Doc, "\n")
	return summary
}

// All returns every rule, ordered by id. The rules are shared; treat
// them as read-only.
func All() []*Rule { return append([]*Rule(nil), table...) }

// table is the rule list, built once; it never changes after.
var table = sortedByID([]*Rule{
	{syntaxID, config.SeverityError, Syntax},
	{duplicateKeyID, config.SeverityError, DuplicateKey},
	{StaleIgnoreID, config.SeverityWarning, StaleIgnore},
	{numberRangeID, config.SeverityError, NumberRange},
	{schemaID, config.SeverityError, Schema},
	{requiredResourcesID, config.SeverityError, RequiredResources},
	{integrationKeyID, config.SeverityError, IntegrationKey},
	{referenceFormatID, config.SeverityError, ReferenceFormat},
	{nameMismatchID, config.SeverityWarning, NameMismatch},
	{duplicateNameID, config.SeverityError, DuplicateName},
	{placeholderID, config.SeverityError, Placeholder},
	{unknownActionID, config.SeverityError, UnknownAction},
	{unknownFlowID, config.SeverityError, UnknownFlow},
	{startAtID, config.SeverityError, StartAt},
	{unknownStateID, config.SeverityError, UnknownState},
	{unreachableStateID, config.SeverityWarning, UnreachableState},
	{missingTransitionID, config.SeverityError, MissingTransition},
	{invalidTransitionID, config.SeverityError, InvalidTransition},
	{noExitID, config.SeverityError, NoExit},
	{choiceDefaultID, config.SeverityWarning, ChoiceDefault},
	{choiceRuleID, config.SeverityError, ChoiceRule},
	{errorEqualsID, config.SeverityError, ErrorEquals},
	{waitStateID, config.SeverityError, WaitState},
	{waitTooLongID, config.SeverityWarning, WaitTooLong},
	{failStateID, config.SeverityWarning, FailState},
	{httpTargetID, config.SeverityError, HTTPTarget},
	{unauthenticatedCallID, config.SeverityWarning, UnauthenticatedCall},
	{unknownConnectionID, config.SeverityError, UnknownConnection},
	{connectionDomainID, config.SeverityError, ConnectionDomain},
	{runtimeHostID, config.SeverityInfo, RuntimeHost},
	{connectionTokenID, config.SeverityWarning, ConnectionToken},
	{connectionConfigID, config.SeverityError, ConnectionConfig},
	{allowedDomainID, config.SeverityError, AllowedDomain},
	{headerNameID, config.SeverityError, HeaderName},
	{reservedHeaderID, config.SeverityWarning, ReservedHeader},
	{eventTypeID, config.SeverityError, EventType},
	{eventSourceID, config.SeverityInfo, EventSource},
	{eventPathID, config.SeverityError, EventPath},
	{unwrittenReadID, config.SeverityWarning, UnwrittenRead},
	{actionParameterID, config.SeverityError, ActionParameter},
	{isPresentNullID, config.SeverityInfo, IsPresentNull},
	{duplicateJobSpecID, config.SeverityWarning, DuplicateJobSpec},
	{unusedFlowID, config.SeverityWarning, UnusedFlow},
	{unusedActionID, config.SeverityWarning, UnusedAction},
	{hardcodedSecretID, config.SeverityError, HardcodedSecret},
	{pathSyntaxID, config.SeverityError, PathSyntax},
	{templateSyntaxID, config.SeverityError, TemplateSyntax},
	{dollarSuffixID, config.SeverityWarning, DollarSuffix},
	{jqSyntaxID, config.SeverityError, JqSyntax},
	{intrinsicFunctionID, config.SeverityError, IntrinsicFunction},
	{choiceTypeID, config.SeverityWarning, ChoiceType},
	{jqFieldID, config.SeverityWarning, JqField},
})

func sortedByID(rules []*Rule) []*Rule {
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}

// Lookup finds a rule by id (ZIS302) or name (unknown_state), ignoring
// case. It returns nil when none matches.
func Lookup(idOrName string) *Rule {
	for _, r := range table {
		if strings.EqualFold(r.ID, idOrName) || strings.EqualFold(r.Name(), idOrName) {
			return r
		}
	}
	return nil
}

// UnknownHint is the "did you mean" for a rule id or name that Lookup
// does not find, or "".
func UnknownHint(idOrName string) string {
	var names []string
	for _, r := range table {
		names = append(names, r.Name(), r.ID)
	}
	return didyoumean.Hint(idOrName, names)
}

// Analyzers returns the analyzers of rules.
func Analyzers(rules []*Rule) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(rules))
	for i, r := range rules {
		out[i] = r.Analyzer
	}
	return out
}

//go:embed testdata/*/example_*
var examples embed.FS

// Example is a bundle that shows a rule, with the zislint.yaml it is
// linted with when the rule reads the config. Examples are also test
// inputs.
type Example struct {
	Bundle string
	Config string // "" when the example needs no config
}

// Examples returns the rule's failing and passing examples.
func (r *Rule) Examples() (fail, pass Example, err error) {
	if fail, err = r.example("fail"); err != nil {
		return fail, pass, err
	}
	pass, err = r.example("pass")
	return fail, pass, err
}

func (r *Rule) example(kind string) (Example, error) {
	base := "testdata/" + r.Name() + "/example_" + kind
	b, err := examples.ReadFile(base + ".json")
	if err != nil {
		return Example{}, fmt.Errorf("rule %s has no %sing example: %w", r.ID, kind, err)
	}
	c, _ := examples.ReadFile(base + ".zislint.yaml")
	return Example{Bundle: string(b), Config: string(c)}, nil
}

// reporter reports diagnostics of one rule on one bundle.
type reporter struct {
	pass *analysis.Pass
	in   *Input
	id   string
}

func newReporter(pass *analysis.Pass, id string) *reporter {
	return &reporter{pass: pass, in: pass.ResultOf[Root].(*Input), id: id}
}

// span reports a finding over the byte range [start, end).
func (r *reporter) span(start, end int, msg string, fixes ...analysis.SuggestedFix) {
	r.pass.Report(analysis.Diagnostic{
		Pos: r.in.Pos(start), End: r.in.Pos(end),
		Category: r.id, Message: msg, SuggestedFixes: fixes,
	})
}

// config reports a finding at a position in the config file.
func (r *reporter) config(p config.Pos, format string, args ...any) {
	pos := r.in.ConfigPos(p)
	if pos == token.NoPos {
		return
	}
	r.pass.Report(analysis.Diagnostic{Pos: pos, Category: r.id, Message: fmt.Sprintf(format, args...)})
}

// node reports a finding on a value.
func (r *reporter) node(n *bundle.Node, format string, args ...any) {
	r.span(int(n.Start), int(n.End()), fmt.Sprintf(format, args...))
}

// key reports a finding on a member's key.
func (r *reporter) key(m *bundle.Member, format string, args ...any) {
	r.span(int(m.KeyStart), int(m.KeyEnd()), fmt.Sprintf(format, args...))
}

// replaceString returns a fix that replaces the value n with the string
// value, encoded as JSON.
func (r *reporter) replaceString(n *bundle.Node, message, value string) analysis.SuggestedFix {
	return r.replace(n, message, string(bundle.QuoteJSON(value)))
}

// replace returns a fix that replaces the value n with the JSON text.
func (r *reporter) replace(n *bundle.Node, message, text string) analysis.SuggestedFix {
	return analysis.SuggestedFix{Message: message, TextEdits: []analysis.TextEdit{
		{Pos: r.in.Pos(int(n.Start)), End: r.in.Pos(int(n.End())), NewText: []byte(text)},
	}}
}
