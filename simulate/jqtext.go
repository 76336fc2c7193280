package simulate

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/itchyny/gojq"
)

// Text builtins whose one step costs more than their input's size:
// gojq turns each match of a global regular expression into character
// offsets by counting from the start of the text (time grows with the
// text's length times the matches), parses an integer of n digits in
// time growing with n², and splits or explodes text into as many values
// as it has characters. The guards below ask, before the builtin runs,
// what it would cost, and end the run past a bound.

const (
	// jqMaxRegexWork bounds a global match: the text's length times the
	// number of matches, about the characters gojq counts to place them.
	jqMaxRegexWork = 1 << 30
	// jqRegexFreeText is the text below which no match count can pass
	// jqMaxRegexWork, so the guard does not look.
	jqRegexFreeText = 32 << 10
	// jqMaxDigits bounds a run of digits parsed as one number.
	jqMaxDigits = 4096
)

// regexBuiltins are jq's builtins over regular expressions, each with
// the shape of its arguments: which is the expression, which the flags
// (-1: none), whether it always matches globally, and which arguments
// are closures run per match rather than values.
var regexBuiltins = map[string]*regexShape{
	"test": {flags: 1}, "match": {flags: 1}, "capture": {flags: 1},
	"scan": {flags: 1, global: true}, "splits": {flags: 1, global: true},
	"sub": {flags: 2, closure: 1}, "gsub": {flags: 2, closure: 1, global: true},
}

type regexShape struct {
	flags   int  // index of the flags argument
	closure int  // index of the replacement, a closure; 0 when none
	global  bool // matches globally whatever the flags
}

// splitByRegex is split/2; split/1 cuts at a fixed string.
var splitByRegex = &regexShape{flags: 1, global: true}

// regexShapeOf returns the shape of f when it is a regular expression
// builtin.
func regexShapeOf(f *gojq.Func) *regexShape {
	if f.Name == "split" {
		if len(f.Args) == 2 {
			return splitByRegex
		}
		return nil
	}
	if len(f.Args) == 0 {
		return nil
	}
	return regexBuiltins[f.Name]
}

// textGuards are the guards of the builtins that parse or cut apart their
// input in one step. They need no budget: what they check costs no more
// than the builtin's own reading of the text, so their error may be
// caught like the builtin's own.
var textGuards = map[string]string{"tonumber": guardDigitsFunc, "fromjson": guardDigitsFunc,
	"explode": guardCharsFunc, "split": guardCharsFunc}

// guardedRegex is f(a; b; …) written as jq's own definitions read it,
// a as $a | b as $b | …, with the guard before the call: each value
// argument is computed once, in jq's order, and the guard sees them.
func guardedRegex(t *gojq.Term, shape *regexShape) *gojq.Query {
	call := &gojq.Func{Name: t.Func.Name}
	var binds []*gojq.Query
	var names []string
	for i, a := range t.Func.Args {
		if shape.closure != 0 && i == shape.closure {
			call.Args = append(call.Args, a)
			continue
		}
		name := fmt.Sprintf("$__zislint_arg%d", i)
		binds, names = append(binds, a), append(names, name)
		call.Args = append(call.Args, variable(name))
	}
	flags := &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeNull}}
	if shape.flags < len(t.Func.Args) {
		flags = variable(fmt.Sprintf("$__zislint_arg%d", shape.flags))
	}
	global := gojq.TermTypeFalse
	if shape.global {
		global = gojq.TermTypeTrue
	}
	check := &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeFunc, Func: &gojq.Func{Name: guardRegexFunc,
		Args: []*gojq.Query{variable(budgetVar), variable(names[0]), flags, {Term: &gojq.Term{Type: global}}}}}}
	body := pipe(check, &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeFunc, Func: call}})
	for i := len(binds) - 1; i >= 0; i-- {
		body = &gojq.Query{Left: binds[i], Op: gojq.OpPipe, Patterns: []*gojq.Pattern{{Name: names[i]}}, Right: body}
	}
	return body
}

// guardDigits is _zislint_digits: no run of digits may be longer than
// jqMaxDigits.
func guardDigits(v any, _ []any) any {
	if s, ok := v.(string); ok {
		if n := longestDigitRun(s); n > jqMaxDigits {
			return fmt.Errorf("the jq program asked to read a number of %d digits, past zislint's bound of %d on one jq run", n, jqMaxDigits)
		}
	}
	return v
}

// guardChars is _zislint_chars: text cut into its characters may not
// give more values than a result may hold.
func guardChars(v any, _ []any) any {
	if s, ok := v.(string); ok && len(s) > JqMaxOutputValues {
		if n := utf8.RuneCountInString(s); n > JqMaxOutputValues {
			return fmt.Errorf("the jq program asked to cut %d characters apart, past zislint's bound of %d values on one jq run", n, JqMaxOutputValues)
		}
	}
	return v
}

func longestDigitRun(s string) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// guardRegex is _zislint_regex($budget; re; flags; global): it counts the
// matches of a global match on long text, as gojq would find them, and
// ends the run when placing them would cost past jqMaxRegexWork.
func guardRegex(v any, args []any) any {
	b, ok := args[0].(*jqBudget)
	if !ok {
		return errNoBudget
	}
	s, ok := v.(string)
	if !ok || len(s) <= jqRegexFreeText {
		return v
	}
	re, flags := regexArgs(args[1], args[2])
	if global, _ := args[3].(bool); !global && !strings.Contains(flags, "g") {
		return v // one match: linear
	}
	r, err := regexp.Compile(regexFlags(flags) + re)
	if err != nil {
		return v // gojq reports it
	}
	limit := jqMaxRegexWork / len(s)
	if n := len(r.FindAllStringIndex(s, limit+1)); n > limit {
		return b.fail(fmt.Errorf("the jq program matches a regular expression more than %d times in %d bytes of text, past zislint's bound on one jq run", limit, len(s)))
	}
	return v
}

// regexArgs reads re and flags as jq does: re may be [re, flags].
func regexArgs(re, flags any) (string, string) {
	if pair, ok := re.([]any); ok && len(pair) > 0 {
		re = pair[0]
		if len(pair) > 1 {
			flags = pair[1]
		}
	}
	r, _ := re.(string)
	f, _ := flags.(string)
	return r, f
}

// regexFlags maps jq's flags as gojq does: i ignores case, m lets . match
// line breaks.
func regexFlags(flags string) string {
	var p string
	if strings.Contains(flags, "i") {
		p += "(?i)"
	}
	if strings.Contains(flags, "m") {
		p += "(?s)"
	}
	return p
}
