package simulate

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/itchyny/gojq"
)

// The step bound of a jq run counts interpreter steps, but some builtins
// do all their work in one step: tojson, sort, == and their kin walk
// every part of a value. jq values share their parts, so a few steps
// build a value whose parts, counted out, number 2^40
// (reduce range(40) as $i (1; [., .])), and one tojson of it never ends.
// compileJq therefore rewrites a program before compiling it: the input
// and value arguments of each builtin that walks a value pass through
// _zislint_bound first, which counts the value out, charges what it
// counted to the run's steps, and stops the run past the bounds a
// result has. A builtin then never walks more than a result may hold,
// and the rewrite changes no output of a program within the bounds.

const (
	// guardFunc checks the size of its input; guardMulFunc the operands
	// of a multiplication, which repeats strings and grows integers.
	guardFunc    = "_zislint_bound"
	guardMulFunc = "_zislint_times"
	// guardDigitsFunc and guardCharsFunc check the text a builtin parses
	// or cuts apart; guardRegexFunc the work a regular expression's
	// matches cost.
	guardDigitsFunc = "_zislint_digits"
	guardCharsFunc  = "_zislint_chars"
	guardRegexFunc  = "_zislint_regex"
	// budgetVar hands the running budget to the guards.
	budgetVar = "$__zislint_budget"
	// mulRightVar holds a multiplication's right operand.
	mulRightVar = "$__zislint_right"
	// reservedPrefix starts every name the rewrite adds; a program may
	// not use such names, so it cannot replace a guard or read the budget.
	reservedPrefix = "zislint_"
	// jqMaxIntBits bounds the integers a multiplication makes: far past
	// any float64 (a document's numbers), far below what makes one
	// multiplication slow.
	jqMaxIntBits = 1 << 16
)

// walkingBuiltins are the builtins whose work grows with the whole size
// of their input or arguments rather than with the steps that built
// them. add/1 is handled apart: its values are summed together.
var walkingBuiltins = map[string]bool{
	"tojson": true, "tostring": true, "add": true, "join": true, "flatten": true,
	"sort": true, "sort_by": true, "group_by": true, "unique": true, "unique_by": true,
	"min": true, "max": true, "min_by": true, "max_by": true,
	"contains": true, "inside": true, "index": true, "rindex": true, "indices": true,
	"bsearch": true, "transpose": true, "implode": true, "delpaths": true, "IN": true,
}

// guardFunctions are the guards every program is compiled with.
var guardFunctions = []gojq.CompilerOption{
	gojq.WithFunction(guardFunc, 1, 1, guardValue),
	gojq.WithFunction(guardMulFunc, 2, 2, guardProduct),
	gojq.WithFunction(guardDigitsFunc, 0, 0, guardDigits),
	gojq.WithFunction(guardCharsFunc, 0, 0, guardChars),
	gojq.WithFunction(guardRegexFunc, 4, 4, guardRegex),
}

// jqProgram is a compiled, guarded program; budgeted tells whether its
// guards read the budget, which is then passed as $__zislint_budget
// (binding it costs each run a few allocations, so a program without
// such guards goes without).
type jqProgram struct {
	code     *gojq.Code
	budgeted bool
	// writesInput marks a program that may write into its input (see
	// inputWriters); it gets a copy of its data.
	writesInput bool
}

// guardJq rewrites q in place as described above. It reports whether it
// added guards that read the budget and whether the program may write
// into its input. It refuses a program that uses a reserved name.
func guardJq(q *gojq.Query) (budgeted, writesInput bool, err error) {
	g := &guarder{}
	g.query(q)
	return g.budgeted, g.writes, g.err
}

type guarder struct {
	err      error
	budgeted bool
	writes   bool
}

// gojq copies what it updates, with one exception: deleting paths
// (delpaths, and |= when its update yields nothing) ends with a pass
// that stores every member of the result back in place, shared parts of
// the input included. The values stay the same, but a write into a map
// that another run reads at the same time is a crash in Go. Programs
// that may delete are given a copy of their data: those naming these
// functions or using an update-assignment operator, which all run
// through gojq's _modify.
var inputWriters = map[string]bool{"del": true, "delpaths": true, "_modify": true, "map_values": true, "walk": true}

func isUpdate(op gojq.Operator) bool { return op >= gojq.OpModify && op <= gojq.OpUpdateAlt }

func (g *guarder) name(n string) {
	if g.err == nil && strings.Contains(n, reservedPrefix) {
		g.err = fmt.Errorf("the name %q is reserved by zislint; rename it", n)
	}
}

func (g *guarder) query(q *gojq.Query) {
	if q == nil {
		return
	}
	for _, fd := range q.FuncDefs {
		g.name(fd.Name)
		for _, a := range fd.Args {
			g.name(a)
		}
		g.query(fd.Body)
	}
	g.patterns(q.Patterns)
	g.term(q.Term)
	g.query(q.Left)
	g.query(q.Right)
	g.writes = g.writes || isUpdate(q.Op)
	switch q.Op {
	case gojq.OpEq, gojq.OpNe, gojq.OpLt, gojq.OpLe, gojq.OpGt, gojq.OpGe, gojq.OpSub, gojq.OpUpdateSub:
		q.Right = g.guarded(q.Right)
		if q.Op != gojq.OpUpdateSub { // its left side is a path
			q.Left = g.guarded(q.Left)
		}
	case gojq.OpMul:
		g.budgeted = true
		*q = *guardedProduct(q.Left, q.Right)
	case gojq.OpUpdateMul:
		g.budgeted = true
		// a *= b is b as $x | a |= . * $x, one output per b.
		update := guardedProduct(&gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeIdentity}}, variable(mulRightVar))
		modify := &gojq.Query{Left: q.Left, Op: gojq.OpModify, Right: update}
		*q = gojq.Query{Left: q.Right, Op: gojq.OpPipe, Patterns: []*gojq.Pattern{{Name: mulRightVar}}, Right: modify}
	}
}

func (g *guarder) patterns(ps []*gojq.Pattern) {
	for _, p := range ps {
		g.name(p.Name)
		g.patterns(p.Array)
		for _, o := range p.Object {
			g.name(o.Key)
			g.str(o.KeyString)
			g.query(o.KeyQuery)
			g.patterns([]*gojq.Pattern{o.Val})
		}
	}
}

func (g *guarder) term(t *gojq.Term) {
	if t == nil {
		return
	}
	g.parts(t)
	for _, s := range t.SuffixList {
		g.index(s.Index)
	}
	switch {
	case t.Type == gojq.TermTypeFunc && t.Func.Name == "add" && len(t.Func.Args) == 1:
		// add(f) is [f] | add: the sum of all of f's values.
		all := &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeArray, Array: &gojq.Array{Query: t.Func.Args[0]}}}
		sum := &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeFunc, Func: &gojq.Func{Name: "add"}}}
		wrapTerm(t, pipe(g.guarded(all), sum))
	case t.Type == gojq.TermTypeFunc && regexShapeOf(t.Func) != nil:
		g.budgeted = true
		wrapTerm(t, guardedRegex(cloneTerm(t), regexShapeOf(t.Func)))
	case t.Type == gojq.TermTypeFunc && textGuards[t.Func.Name] != "":
		guard := &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeFunc, Func: &gojq.Func{Name: textGuards[t.Func.Name]}}}
		wrapTerm(t, pipe(guard, &gojq.Query{Term: cloneTerm(t)}))
	case t.Type == gojq.TermTypeFunc && walkingBuiltins[t.Func.Name]:
		g.budgeted = true
		for i, a := range t.Func.Args {
			t.Func.Args[i] = g.guarded(a)
		}
		wrapTerm(t, pipe(guardQuery(), &gojq.Query{Term: cloneTerm(t)}))
	case t.Type == gojq.TermTypeFormat && t.Str == nil:
		g.budgeted = true
		wrapTerm(t, pipe(guardQuery(), &gojq.Query{Term: cloneTerm(t)}))
	}
}

// parts visits what a term holds.
func (g *guarder) parts(t *gojq.Term) {
	switch t.Type {
	case gojq.TermTypeIndex:
		g.index(t.Index)
	case gojq.TermTypeFunc:
		g.name(t.Func.Name)
		g.writes = g.writes || inputWriters[t.Func.Name]
		for _, a := range t.Func.Args {
			g.query(a)
		}
	case gojq.TermTypeObject:
		for _, kv := range t.Object.KeyVals {
			g.str(kv.KeyString)
			g.query(kv.KeyQuery)
			g.query(kv.Val)
		}
	case gojq.TermTypeArray:
		g.query(t.Array.Query)
	case gojq.TermTypeUnary:
		g.term(t.Unary.Term)
	case gojq.TermTypeFormat, gojq.TermTypeString:
		g.str(t.Str)
	case gojq.TermTypeIf:
		g.ifTerm(t.If)
	case gojq.TermTypeTry:
		g.query(t.Try.Body)
		g.query(t.Try.Catch)
	case gojq.TermTypeReduce:
		g.query(t.Reduce.Query)
		g.patterns(t.Reduce.Patterns)
		g.query(t.Reduce.Start)
		g.query(t.Reduce.Update)
	case gojq.TermTypeForeach:
		g.query(t.Foreach.Query)
		g.patterns(t.Foreach.Patterns)
		g.query(t.Foreach.Start)
		g.query(t.Foreach.Update)
		g.query(t.Foreach.Extract)
	case gojq.TermTypeLabel:
		g.name(t.Label.Ident)
		g.query(t.Label.Body)
	case gojq.TermTypeBreak:
		g.name(t.Break)
	case gojq.TermTypeQuery:
		g.query(t.Query)
	}
}

func (g *guarder) ifTerm(x *gojq.If) {
	g.query(x.Cond)
	g.query(x.Then)
	for _, e := range x.Elif {
		g.query(e.Cond)
		g.query(e.Then)
	}
	g.query(x.Else)
}

// str guards each value a string interpolates: it is written out whole.
func (g *guarder) str(s *gojq.String) {
	if s == nil {
		return
	}
	for i, q := range s.Queries {
		if q.Term != nil && q.Term.Str != nil {
			continue // a literal piece, which the compiler tells apart by its Str
		}
		g.query(q)
		s.Queries[i] = &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeQuery, Query: g.guarded(q)}}
	}
}

// index guards a computed key: an array key is searched for in an
// array, comparing whole values.
func (g *guarder) index(x *gojq.Index) {
	if x == nil {
		return
	}
	g.str(x.Str)
	g.query(x.Start)
	g.query(x.End)
	if !x.IsSlice && x.Start != nil && !isLiteral(x.Start) {
		x.Start = g.guarded(x.Start)
	}
}

func isLiteral(q *gojq.Query) bool {
	if q.Term == nil || len(q.Term.SuffixList) > 0 {
		return false
	}
	switch q.Term.Type {
	case gojq.TermTypeNumber, gojq.TermTypeNull, gojq.TermTypeTrue, gojq.TermTypeFalse:
		return true
	case gojq.TermTypeString:
		return len(q.Term.Str.Queries) == 0
	}
	return false
}

// guarded is q | _zislint_bound($budget).
func (g *guarder) guarded(q *gojq.Query) *gojq.Query {
	g.budgeted = true
	return guarded(q)
}

func guarded(q *gojq.Query) *gojq.Query {
	if q == nil {
		return nil
	}
	return pipe(q, guardQuery())
}

// guardedProduct is l * r with its operands checked first, keeping jq's
// order: the right operand's values outside, the left's inside.
func guardedProduct(l, r *gojq.Query) *gojq.Query {
	check := &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeFunc, Func: &gojq.Func{Name: guardMulFunc,
		Args: []*gojq.Query{variable(budgetVar), variable(mulRightVar)}}}}
	product := &gojq.Query{Left: &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeIdentity}}, Op: gojq.OpMul, Right: variable(mulRightVar)}
	return &gojq.Query{Left: r, Op: gojq.OpPipe, Patterns: []*gojq.Pattern{{Name: mulRightVar}},
		Right: pipe(l, pipe(check, product))}
}

func guardQuery() *gojq.Query {
	return &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeFunc, Func: &gojq.Func{Name: guardFunc,
		Args: []*gojq.Query{variable(budgetVar)}}}}
}

func variable(name string) *gojq.Query {
	return &gojq.Query{Term: &gojq.Term{Type: gojq.TermTypeFunc, Func: &gojq.Func{Name: name}}}
}

func pipe(l, r *gojq.Query) *gojq.Query { return &gojq.Query{Left: l, Op: gojq.OpPipe, Right: r} }

// wrapTerm makes t the parenthesized query q, keeping t's suffixes
// (tojson[0:10]) outside the parentheses.
func wrapTerm(t *gojq.Term, q *gojq.Query) {
	*t = gojq.Term{Type: gojq.TermTypeQuery, Query: q, SuffixList: t.SuffixList}
}

// cloneTerm is t without its suffixes, for wrapTerm to put inside.
func cloneTerm(t *gojq.Term) *gojq.Term {
	c := *t
	c.SuffixList = nil
	return &c
}

var errNoBudget = errors.New("zislint's jq guard was called without its budget")

// guardValue is _zislint_bound: it returns its input when the input,
// counted out, stays within what a jq result may hold.
func guardValue(v any, args []any) any {
	b, ok := args[0].(*jqBudget)
	if !ok {
		return errNoBudget
	}
	if err := b.measure(v); err != nil {
		return err
	}
	return v
}

// guardProduct is _zislint_times: l * r may repeat a string or grow an
// integer past every bound in one step, and merges objects deeply.
func guardProduct(l any, args []any) any {
	b, ok := args[0].(*jqBudget)
	if !ok {
		return errNoBudget
	}
	r := args[1]
	if err := b.measure(r); err != nil {
		return err
	}
	if s, n, ok := repetition(l, r); ok && float64(len(s))*n > JqMaxOutputBytes {
		return b.fail(fmt.Errorf("the jq program repeats a string of %d bytes %g times, past %d MiB of text, zislint's bound on one jq run", len(s), n, JqMaxOutputBytes>>20))
	}
	if bits := intBits(l) + intBits(r); bits > jqMaxIntBits {
		return b.fail(fmt.Errorf("the jq program multiplies integers into one of about %d bits, past zislint's bound of %d bits on one jq run", bits, jqMaxIntBits))
	}
	return l
}

// repetition reports whether l * r repeats a string, and how often.
func repetition(l, r any) (string, float64, bool) {
	if s, ok := l.(string); ok {
		n, ok := gojq.ToFloat64(r)
		return s, n, ok
	}
	if s, ok := r.(string); ok {
		n, ok := gojq.ToFloat64(l)
		return s, n, ok
	}
	return "", 0, false
}

func intBits(v any) int {
	if n, ok := v.(*big.Int); ok {
		return n.BitLen()
	}
	return 64
}

// measure counts v out, as a result would be, charging each value
// counted to the run's steps; past a bound it ends the run.
func (b *jqBudget) measure(v any) error {
	if b.err != nil {
		return b.err
	}
	var size outputBudget
	err := size.count(v, 0)
	b.steps += size.values
	switch {
	case err != nil:
		return b.fail(fmt.Errorf("the jq program asked a builtin to walk a value of more than %d values, %d MiB of text or %d levels of nesting, zislint's bound on one jq run", JqMaxOutputValues, JqMaxOutputBytes>>20, maxDepth))
	case b.steps > b.maxSteps:
		return b.fail(fmt.Errorf("the jq program ran more than %d steps, zislint's bound on one jq run; it likely loops forever (def f: f, until, repeat, a huge range)", b.maxSteps))
	}
	return nil
}

// fail ends the run: a guard's error could be caught by the program's
// try, but Done answers closed from now on, so the run stops at its next
// step whatever the program does.
func (b *jqBudget) fail(err error) error {
	b.err = err
	return err
}
