package rules

import (
	"sort"
	"strconv"
	"strings"

	"github.com/itchyny/gojq"
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/didyoumean"
	"github.com/zislint/zislint/internal/memo"
)

const jqFieldID = "ZIS230"

// JqField reports field paths of a Jq program that its data never has.
var JqField = &analysis.Analyzer{
	Name: "jq_field",
	Doc: `a Jq program's field paths must name keys its data can have

The built-in zis:common:transform:Jq action runs "expr" on "data". A field
the data does not have gives null in jq, with no error: a misspelt
.input.ticket_event.tiket.id quietly makes the result null. This rule
parses each program (it never runs one) and follows its simple field
paths, such as .a.b and .a[0].b, at the top level of the program, in
object and array constructions, and on the right of a pipe whose left side
is such a path. It reports a key only where the data is known to be an
object without it: data.$ pointing into the flow's catalogued event, keys
written by earlier states, or a literal data object. Open objects, values
of type any and the results of actions give nothing. Function arguments,
update assignments, variables, reduce and foreach are not followed. The
nearest known key is suggested.`,
	Requires: []*analysis.Analyzer{Root, DataFlow},
	Run:      runJqField,
}

const jqAction = "zis:common:transform:Jq"

func runJqField(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, jqFieldID)
	flows := pass.ResultOf[DataFlow].(*Flows)
	var steps []jqStep // one buffer for every program's field paths
	for s := range r.in.Bundle.States() {
		obj := s.Entry.Value()
		if name, _ := obj.Get("ActionName").Str(); s.Type() != bundle.StateAction || name != jqAction {
			continue
		}
		params := obj.Get("Parameters")
		expr := params.Get("expr")
		src, ok := expr.Str()
		doc := flows.Input(s)
		if !ok || doc == nil {
			continue
		}
		data := jqDataValue(params, effectiveInput(s, doc))
		if data == nil {
			continue
		}
		q := parseJqCached(src)
		if q == nil {
			continue // jq_syntax reports it
		}
		c := &jqFieldChecker{r: r, expr: expr, src: src, params: params, steps: steps}
		c.query(q, data)
		steps = c.steps
	}
	return nil, nil
}

// jqQueries caches parsed programs by text for the whole process, as
// jqVerdicts does their verdicts: the bundles of a repository repeat
// their programs, and parsing was most of this rule's time. A parsed
// query is only read, so runs share it. A program that does not parse
// is kept as nil.
var jqQueries = memo.Table[*gojq.Query]{Max: maxJqPrograms}

// parseJqCached parses src, or returns nil when it does not parse.
func parseJqCached(src string) *gojq.Query {
	return jqQueries.Get(src, func(src string) *gojq.Query {
		q, err := gojq.Parse(src)
		if err != nil {
			return nil
		}
		return q
	})
}

// jqDataValue is what "data" holds in the resolved Parameters params,
// or nil when they have no "data": the value of parametersValue's "data"
// key, resolving that member alone. The last member naming the key,
// with or without ".$", is the one resolved Parameters keep.
func jqDataValue(params *bundle.Node, input *DocValue) *DocValue {
	if params == nil || params.Kind() != bundle.Object {
		return nil
	}
	members := params.Members()
	for i := len(members) - 1; i >= 0; i-- {
		switch m := &members[i]; m.Key() {
		case "data":
			return parametersValue(m.Value(), input)
		case "data.$":
			return dynamicValue(m.Value(), input)
		}
	}
	return nil
}

// jqDataName names the data for a message: its path, or "object".
func jqDataName(params *bundle.Node) string {
	if s, ok := params.Get("data.$").Str(); ok {
		return "its data (" + quote(s) + ")"
	}
	return "its data object"
}

// jqFieldChecker follows the field paths of one program.
type jqFieldChecker struct {
	r        *reporter
	expr     *bundle.Node
	src      string
	params   *bundle.Node // the state's, named in a message by jqDataName
	steps    []jqStep     // simplePath's buffer, reused: no steps outlive a check
	reported bool         // one finding per program: later reads often repeat the slip
	depth    int          // of query and term nesting, bounded by maxJqDepth
}

// maxJqDepth bounds how deep into nested queries and terms the checker goes, so a
// program nested a million times does not take a million stack frames;
// real programs nest a few levels.
const maxJqDepth = 100

// query follows q, whose input is input (nil when not known).
func (c *jqFieldChecker) query(q *gojq.Query, input *DocValue) {
	if q == nil || input == nil || c.reported || q.Patterns != nil || c.depth >= maxJqDepth {
		return
	}
	c.depth++
	defer func() { c.depth-- }()
	switch q.Op {
	case 0:
		c.term(q.Term, input)
	case gojq.OpPipe:
		c.query(q.Left, input)
		c.query(q.Right, c.pathValue(q.Left, input))
	case gojq.OpComma, gojq.OpAdd, gojq.OpSub, gojq.OpMul, gojq.OpDiv, gojq.OpMod,
		gojq.OpEq, gojq.OpNe, gojq.OpGt, gojq.OpLt, gojq.OpGe, gojq.OpLe, gojq.OpAnd, gojq.OpOr, gojq.OpAlt:
		c.query(q.Left, input)
		c.query(q.Right, input)
	}
	// Assignments and updates write the paths they name: not reads.
}

// term follows the parts of a term that read the same input.
func (c *jqFieldChecker) term(t *gojq.Term, input *DocValue) {
	if t == nil || c.depth >= maxJqDepth {
		return
	}
	c.depth++
	defer func() { c.depth-- }()
	switch t.Type {
	case gojq.TermTypeIndex:
		c.fieldPath(t, input)
	case gojq.TermTypeObject:
		for _, kv := range t.Object.KeyVals {
			c.keyVal(kv, input)
		}
	case gojq.TermTypeArray:
		c.query(t.Array.Query, input)
	case gojq.TermTypeQuery:
		c.query(t.Query, input)
	case gojq.TermTypeUnary:
		c.term(t.Unary.Term, input)
	case gojq.TermTypeString:
		for _, q := range t.Str.Queries {
			c.query(q, input)
		}
	case gojq.TermTypeIf:
		c.ifTerm(t.If, input)
	case gojq.TermTypeTry:
		c.query(t.Try.Body, input)
	}
}

func (c *jqFieldChecker) keyVal(kv *gojq.ObjectKeyVal, input *DocValue) {
	if kv.Val != nil {
		c.query(kv.Val, input)
		return
	}
	// {id} is {id: .id}; {$x} and {"\(...)"} read no field.
	if kv.Key != "" && !strings.HasPrefix(kv.Key, "$") && kv.KeyQuery == nil {
		c.steps = append(c.steps[:0], jqStep{key: kv.Key})
		c.check(c.steps, input)
	}
}

func (c *jqFieldChecker) ifTerm(i *gojq.If, input *DocValue) {
	c.query(i.Cond, input)
	c.query(i.Then, input)
	for _, elif := range i.Elif {
		c.query(elif.Cond, input)
		c.query(elif.Then, input)
	}
	c.query(i.Else, input)
}

// jqStep is one step of a simple field path: a key or an array index.
type jqStep struct {
	key     string
	index   int
	isIndex bool
}

// simplePath returns the leading simple steps of an index term: .a,
// ."a", .["a"] and .[0], up to the first other suffix.
//
// The steps are appended to steps[:0].
func simplePath(t *gojq.Term, steps []jqStep) (_ []jqStep, complete bool) {
	steps = steps[:0]
	step, ok := indexStep(t.Index)
	if !ok {
		return steps, false
	}
	steps = append(steps, step)
	for _, s := range t.SuffixList {
		if s.Optional {
			continue
		}
		step, ok := indexStep(s.Index)
		if !ok {
			return steps, false
		}
		steps = append(steps, step)
	}
	return steps, true
}

func indexStep(ix *gojq.Index) (jqStep, bool) {
	switch {
	case ix == nil || ix.IsSlice || ix.End != nil:
		return jqStep{}, false
	case ix.Name != "":
		return jqStep{key: ix.Name}, true
	case ix.Str != nil && ix.Str.Queries == nil:
		return jqStep{key: ix.Str.Str}, true
	case ix.Start != nil && ix.Start.Op == 0 && ix.Start.Term != nil:
		return constantStep(ix.Start.Term)
	}
	return jqStep{}, false
}

// constantStep is .[0] or .["a"].
func constantStep(t *gojq.Term) (jqStep, bool) {
	switch {
	case t.SuffixList != nil:
	case t.Type == gojq.TermTypeNumber:
		if n, err := strconv.Atoi(t.Number); err == nil && n >= 0 {
			return jqStep{index: n, isIndex: true}, true
		}
	case t.Type == gojq.TermTypeString && t.Str.Queries == nil:
		return jqStep{key: t.Str.Str}, true
	}
	return jqStep{}, false
}

func (c *jqFieldChecker) fieldPath(t *gojq.Term, input *DocValue) {
	c.steps, _ = simplePath(t, c.steps)
	if len(c.steps) > 0 {
		c.check(c.steps, input)
	}
}

// pathValue is the value a pipe's left side gives its right side: known
// when the left side is a simple field path to a known value.
func (c *jqFieldChecker) pathValue(q *gojq.Query, input *DocValue) *DocValue {
	if q == nil || q.Op != 0 || q.Term == nil || q.Term.Type != gojq.TermTypeIndex {
		return nil
	}
	var complete bool
	c.steps, complete = simplePath(q.Term, c.steps)
	if !complete {
		return nil
	}
	cur := input
	for _, s := range c.steps {
		next, p := s.from(cur)
		if p != Sure && p != Maybe {
			return nil
		}
		cur = next
	}
	return cur
}

func (s jqStep) from(v *DocValue) (*DocValue, Presence) {
	if s.isIndex {
		return v.step(bundle.Segment{IsIndex: true, Index: s.index})
	}
	return v.child(s.key)
}

// check follows steps from input and reports the first key a closed
// object surely lacks.
func (c *jqFieldChecker) check(steps []jqStep, input *DocValue) {
	cur := input
	for i, s := range steps {
		next, p := s.from(cur)
		switch p {
		case Open:
			return
		case Absent:
			if !s.isIndex && closedObject(cur) {
				c.report(steps, i, cur)
			}
			return
		}
		cur = next
	}
}

// closedObject reports whether v is known to be an object (or null)
// whose keys are all known.
func closedObject(v *DocValue) bool {
	types, ok := v.Types()
	return ok && types&TypeObject != 0 && types&^(TypeObject|TypeNull) == 0
}

func (c *jqFieldChecker) report(steps []jqStep, miss int, at *DocValue) {
	c.reported = true
	read := jqPathText(steps[:miss+1])
	where := "the top"
	if miss > 0 {
		where = quote(jqPathText(steps[:miss]))
	}
	key := steps[miss].key
	msg := "the jq program reads " + quote(read) + ", but " + jqDataName(c.params) + " never has " + quote(key) + " at " + where +
		", so jq gives null there" + didyoumean.Hint(key, knownKeys(at))
	off := locateKeys(c.src, steps[:miss+1])
	src := c.r.in.Bundle.Src
	start := c.expr.SourceOffset(src, off)
	end := c.expr.SourceOffset(src, off+len(key))
	c.r.span(start, max(start+1, end), msg)
}

// jqPathText writes steps as jq: .a.b[0].
func jqPathText(steps []jqStep) string {
	var b strings.Builder
	for _, s := range steps {
		if s.isIndex {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		b.WriteString("." + s.key)
	}
	return b.String()
}

// knownKeys lists the keys v is known to have, for did-you-mean.
func knownKeys(v *DocValue) []string {
	seen := map[string]bool{}
	for _, f := range v.Fields {
		seen[f.Key] = true
	}
	for _, n := range v.Events {
		for k := range n.Fields {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// locateKeys finds, in the program's text, where the last key of steps
// is written, looking for the keys in order; 0 when not found. The jq
// parser keeps no positions.
func locateKeys(src string, steps []jqStep) int {
	pos, at := 0, 0
	for _, s := range steps {
		if s.isIndex {
			continue
		}
		i := indexKey(src[pos:], s.key)
		if i < 0 {
			return 0
		}
		at = pos + i
		pos = at + len(s.key)
	}
	return at
}

// indexKey finds key written as a field name (.key, "key") in src and
// returns where the name starts, or -1.
func indexKey(src, key string) int {
	for from := 0; from < len(src); {
		i := strings.Index(src[from:], key)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(key)
		before := i > 0 && (src[i-1] == '.' || src[i-1] == '"' || src[i-1] == '{' || src[i-1] == ' ' || src[i-1] == ',')
		after := end == len(src) || !isIdentByte(src[end])
		if before && after {
			return i
		}
		from = i + 1
	}
	return -1
}

func isIdentByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}
