package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/ident"
	"github.com/zislint/zislint/internal/textsafe"
)

// A plan compares the rendered bundle with the deployed one structure by
// structure, so a reviewer sees what a merge changes in the account: the
// resources added, removed and changed; inside a changed flow, its states;
// for everything else, its fields with their old and new values. The
// deployed bundle comes from the server: every name and value from it is
// cut short, and the listing stops after maxChanges fields, so a huge or
// deeply nested answer costs a bounded plan.

// Kinds of change.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeChanged = "changed"
)

const (
	maxChanges   = 200 // resource, state and field changes listed in one plan
	maxDiffDepth = 12  // levels of a value compared field by field; deeper, the subtree is one change
	maxValueText = 120 // bytes of a value shown in a change
	maxLabel     = 120 // bytes of a resource key or state name shown
	redactedText = "[redacted]"
)

// BundleType is the Type of the change that holds the bundle's own
// fields (name, description, zis_template_version).
const BundleType = "bundle"

// FieldChange is one field whose value differs, by its path inside the
// resource (or state): "definition.headers[0].value". Old and New are
// compact JSON, shortened, with values that look secret replaced by
// "[redacted]"; Old is absent for an added field, New for a removed one.
type FieldChange struct {
	Path string  `json:"path"`
	Old  *string `json:"old,omitempty"`
	New  *string `json:"new,omitempty"`
}

// StateChange is a state of a flow that was added, removed or changed,
// named by its path ("Map / Inner" inside a Map's iterator).
type StateChange struct {
	State  string        `json:"state"`
	Change string        `json:"change"`
	Fields []FieldChange `json:"fields,omitempty"`
}

// ResourceChange is a resource of the bundle that was added, removed or
// changed. For a changed flow, States lists its states and Fields the
// rest of it; for other resources, Fields lists every field.
type ResourceChange struct {
	Resource string        `json:"resource"` // the resource key; "" for the bundle's own fields
	Type     string        `json:"type"`     // ZIS::Flow, ZIS::Action::Http, ZIS::JobSpec, ..., or "bundle"
	Change   string        `json:"change"`
	States   []StateChange `json:"states,omitempty"`
	Fields   []FieldChange `json:"fields,omitempty"`
}

// bundleDiff compares two bundles.
type bundleDiff struct {
	changes []ResourceChange
	listed  int // field and state changes listed so far
	omitted int // those left out past maxChanges
}

// registryFields are added by Show Bundle; they are not the bundle's own.
var registryFields = map[string]bool{"uuid": true, "integration": true, "zendesk_account_id": true}

// decodeObject reads a JSON object with numbers kept exact.
func decodeObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	return obj, nil
}

// diffBundles compares the deployed bundle (nil: none) with the rendered
// one. It returns the changes and how many it left out (see take).
func diffBundles(deployed, rendered map[string]any) ([]ResourceChange, int) {
	d := &bundleDiff{}
	d.bundleFields(deployed, rendered)
	oldRes, _ := deployed["resources"].(map[string]any)
	newRes, _ := rendered["resources"].(map[string]any)
	for _, key := range unionKeys(oldRes, newRes) {
		d.resource(key, oldRes[key], newRes[key])
	}
	return d.changes, d.omitted
}

// bundleFields compares the bundle's own fields. A field the registry
// does not return (description is read-only) is not a change.
func (d *bundleDiff) bundleFields(deployed, rendered map[string]any) {
	if deployed == nil {
		return
	}
	var fields []FieldChange
	for _, k := range unionKeys(deployed, rendered) {
		if k == "resources" || registryFields[k] {
			continue
		}
		old, had := deployed[k]
		v, has := rendered[k]
		if !had && k == "description" {
			continue
		}
		fields = d.value(fields, joinPath("", k), old, v, had, has, false, 0)
	}
	if len(fields) > 0 {
		d.changes = append(d.changes, ResourceChange{Type: BundleType, Change: ChangeChanged, Fields: fields})
	}
}

func (d *bundleDiff) resource(key string, old, v any) {
	oldObj, _ := old.(map[string]any)
	newObj, _ := v.(map[string]any)
	c := ResourceChange{Resource: cut(key, maxLabel), Type: cut(resourceType(newObj, oldObj), maxLabel)}
	switch {
	case old == nil:
		c.Change = ChangeAdded
	case v == nil:
		c.Change = ChangeRemoved
	case sameJSON(old, v):
		return
	}
	if !d.take() {
		return
	}
	if c.Change == "" {
		c.Change = ChangeChanged
		d.changedResource(&c, oldObj, newObj)
	}
	d.changes = append(d.changes, c)
}

func resourceType(objs ...map[string]any) string {
	for _, o := range objs {
		if t, ok := o["type"].(string); ok {
			return t
		}
	}
	return ""
}

// changedResource lists the fields of a changed resource; a flow's
// states are compared one by one, the rest of it field by field.
func (d *bundleDiff) changedResource(c *ResourceChange, old, v map[string]any) {
	oldDef, oldIsFlow := flowStates(old)
	newDef, newIsFlow := flowStates(v)
	if !oldIsFlow || !newIsFlow {
		c.Fields = d.value(nil, "", old, v, old != nil, v != nil, false, 0)
		return
	}
	c.States = d.states(oldDef, newDef, "")
	c.Fields = d.value(nil, "", withoutStates(old), withoutStates(v), true, true, false, 0)
}

// flowStates returns properties.definition.States of a flow resource.
func flowStates(res map[string]any) (map[string]any, bool) {
	props, _ := res["properties"].(map[string]any)
	def, _ := props["definition"].(map[string]any)
	states, ok := def["States"].(map[string]any)
	return states, ok && res["type"] == "ZIS::Flow"
}

// withoutStates copies the path down to the States of a flow and drops
// them, so the rest of the flow compares as fields.
func withoutStates(res map[string]any) map[string]any {
	props, _ := res["properties"].(map[string]any)
	def, _ := props["definition"].(map[string]any)
	return with(res, "properties", with(props, "definition", with(def, "States", nil)))
}

// with copies obj with key set to v (removed when v is nil).
func with(obj map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(obj))
	for k, e := range obj {
		out[k] = e
	}
	if v == nil {
		delete(out, key)
	} else {
		out[key] = v
	}
	return out
}

// states compares two States objects, descending into the Iterator of
// a Map so an edit inside marks the inner state.
func (d *bundleDiff) states(old, v map[string]any, prefix string) []StateChange {
	var out []StateChange
	for _, name := range unionKeys(old, v) {
		path := prefix + cut(name, maxLabel)
		o, n := old[name], v[name]
		if sameJSON(o, n) {
			continue
		}
		if !d.take() {
			continue
		}
		sc := StateChange{State: path, Change: ChangeChanged}
		switch {
		case o == nil:
			sc.Change = ChangeAdded
		case n == nil:
			sc.Change = ChangeRemoved
		}
		oldObj, _ := o.(map[string]any)
		newObj, _ := n.(map[string]any)
		oldInner, oldMap := iteratorStates(oldObj)
		newInner, newMap := iteratorStates(newObj)
		if sc.Change == ChangeChanged {
			if oldMap && newMap {
				// The iterator's states are listed as states of their own.
				oldObj = with(oldObj, "Iterator", withoutIterStates(oldObj))
				newObj = with(newObj, "Iterator", withoutIterStates(newObj))
			}
			sc.Fields = d.value(nil, "", oldObj, newObj, true, true, false, 0)
		}
		// A Map whose only change is inside its iterator is not listed.
		if (sc.Change != ChangeChanged || len(sc.Fields) > 0) && d.take() {
			out = append(out, sc)
		}
		if sc.Change == ChangeChanged && oldMap && newMap && len(strings.Split(path, pathSep)) < maxDiffDepth {
			out = append(out, d.states(oldInner, newInner, path+pathSep)...)
		}
	}
	return out
}

// pathSep joins the names of a state path; it is only shown.
const pathSep = " / "

func iteratorStates(state map[string]any) (map[string]any, bool) {
	it, _ := state["Iterator"].(map[string]any)
	states, ok := it["States"].(map[string]any)
	return states, ok
}

func withoutIterStates(state map[string]any) any {
	it, _ := state["Iterator"].(map[string]any)
	return with(it, "States", nil)
}

// take counts one listed change, and reports false once maxChanges are
// listed (the change is then counted as omitted).
func (d *bundleDiff) take() bool {
	if d.listed >= maxChanges {
		d.omitted++
		return false
	}
	d.listed++
	return true
}

// value appends the changes between old and v at path to out. had and
// has say whether each side exists at all; secret marks a value that
// must not be shown.
func (d *bundleDiff) value(out []FieldChange, path string, old, v any, had, has, secret bool, depth int) []FieldChange {
	if had && has && sameJSON(old, v) {
		return out
	}
	oldObj, oldIsObj := old.(map[string]any)
	newObj, newIsObj := v.(map[string]any)
	if oldIsObj && newIsObj && depth < maxDiffDepth {
		secretValue := secret || namesCredential(oldObj) || namesCredential(newObj)
		for _, k := range unionKeys(oldObj, newObj) {
			o, hadK := oldObj[k]
			n, hasK := newObj[k]
			childSecret := secret || bundle.IsCredentialName(k) || (secretValue && k == "value")
			out = d.value(out, joinPath(path, k), o, n, hadK, hasK, childSecret, depth+1)
		}
		return out
	}
	oldArr, oldIsArr := old.([]any)
	newArr, newIsArr := v.([]any)
	if oldIsArr && newIsArr && depth < maxDiffDepth {
		for i := 0; i < max(len(oldArr), len(newArr)); i++ {
			o, n := index(oldArr, i), index(newArr, i)
			out = d.value(out, fmt.Sprintf("%s[%d]", path, i), o, n, i < len(oldArr), i < len(newArr), secret, depth+1)
		}
		return out
	}
	if !d.take() {
		return out
	}
	fc := FieldChange{Path: path}
	if had {
		fc.Old = ptr(shown(old, secret))
	}
	if has {
		fc.New = ptr(shown(v, secret))
	}
	return append(out, fc)
}

func index(a []any, i int) any {
	if i < len(a) {
		return a[i]
	}
	return nil
}

func ptr(s string) *string { return &s }

// joinPath adds an object key to a path; a key that is not a plain name
// is quoted, so a path cannot be forged with dots or control characters.
func joinPath(path, key string) string {
	if !plainName(key) {
		key = "[" + strconv.Quote(cut(key, maxLabel)) + "]"
	} else if path != "" {
		key = "." + key
	}
	return path + key
}

// plainName reports whether the plan shows the name s without quotes: a
// letter, '_' or '$', then up to 63 more of those, digits and '-'.
func plainName(s string) bool {
	word := func(c byte) bool { return ident.Letter(c) || c == '_' || c == '$' }
	return s != "" && word(s[0]) && ident.Span(s[1:], 0, 63, func(c byte) bool { return word(c) || ident.Digit(c) || c == '-' })
}

// plainType reports whether the plan shows the resource type t without
// quotes: 1 to 64 letters, ':' and '_'.
func plainType(t string) bool {
	return ident.Span(t, 1, 64, func(c byte) bool { return ident.Letter(c) || c == ':' || c == '_' })
}

// shown is the value as compact JSON for a change, cut to maxValueText
// bytes, with every part that is secret, or looks like a credential,
// replaced by [redacted].
func shown(v any, secret bool) string {
	var b strings.Builder
	preview(&b, v, secret, maxValueText+1, 0)
	if b.Len() > maxValueText {
		return cut(b.String(), maxValueText) + "…"
	}
	return b.String()
}

// preview writes v as compact JSON, stopping once b holds limit bytes, so
// a huge value costs no more than a short one. Keys are sorted. A member
// named like a credential, the value of a header so named, and a string
// shaped like a credential are written as [redacted]; a reference to a
// secret held elsewhere is shown.
func preview(b *strings.Builder, v any, secret bool, limit, depth int) {
	if b.Len() >= limit {
		return
	}
	if depth > maxDiffDepth {
		b.WriteString("…")
		return
	}
	if s, ok := v.(string); ok && looksLikeSecretValue(s) {
		secret = true
	}
	switch v := v.(type) {
	case map[string]any:
		named := namesCredential(v)
		b.WriteByte('{')
		for i, k := range sortedKeys(v) {
			if b.Len() >= limit {
				return
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(textsafe.Quote(cut(k, maxValueText)))
			b.WriteByte(':')
			preview(b, v[k], secret || bundle.IsCredentialName(k) || named && k == "value", limit, depth+1)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if b.Len() >= limit {
				return
			}
			if i > 0 {
				b.WriteByte(',')
			}
			preview(b, e, secret, limit, depth+1)
		}
		b.WriteByte(']')
	case string:
		if secret && !isReference(v) {
			b.WriteString(redactedText)
			return
		}
		b.WriteString(textsafe.Quote(redactInline(cut(v, limit))))
	case json.Number:
		if secret {
			b.WriteString(redactedText)
			return
		}
		b.WriteString(cut(string(v), limit))
	default:
		data, _ := json.Marshal(v) // bool or null
		b.Write(data)
	}
}

// namesCredential reports whether obj is a named entry (a header or
// query parameter {"key": ..., "value": ...}) whose name says its value
// is a credential.
func namesCredential(obj map[string]any) bool {
	for _, k := range []string{"key", "name"} {
		if s, ok := obj[k].(string); ok && bundle.IsCredentialName(strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

func looksLikeSecretValue(s string) bool { return !isReference(s) && secretValueRE().MatchString(s) }

// isReference reports whether v only points at a secret held elsewhere
// ({{$.connections.x.access_token}}, $.config.key): showing it leaks
// nothing and says what changed.
func isReference(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "$.") {
		return true
	}
	if !bundle.HasTemplateSpan(s) {
		return false
	}
	rest := strings.Fields(bundle.ReplaceTemplateSpans(s, " "))
	if len(rest) > 0 && authSchemes[strings.ToLower(rest[0])] {
		rest = rest[1:]
	}
	return len(rest) == 0
}

// authSchemes may precede a reference in an Authorization value.
var authSchemes = map[string]bool{"bearer": true, "basic": true, "token": true}

// redactInline replaces the credentials inside s; a {{placeholder}} in
// their place is a reference and stays.
func redactInline(s string) string {
	return inlineSecretRE().ReplaceAllStringFunc(s, func(m string) string {
		parts := inlineSecretRE().FindStringSubmatch(m)
		name, value, tail := parts[1], parts[2], ""
		if name == "" {
			name, value, tail = parts[3], parts[4], "@"
		}
		if bundle.HasTemplateSpan(value) {
			return m
		}
		return name + redactedText + tail
	})
}

// sameJSON compares two JSON values by value: 100 and 100.0 are the same
// number to ZIS, and key order never matters. It walks both values in
// place, copying nothing, since the diff calls it at every level.
func sameJSON(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameJSON(a[i], b[i]) {
				return false
			}
		}
		return true
	case json.Number:
		b, ok := b.(json.Number)
		return ok && sameNumber(a, b)
	}
	return a == b // strings, booleans and null; a map or slice in b never equals them
}

func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	x, errA := a.Float64()
	y, errB := b.Float64()
	return errA == nil && errB == nil && x == y
}

// unionKeys lists the keys of both objects, sorted.
func unionKeys(a, b map[string]any) []string {
	seen := make(map[string]bool, len(a)+len(b))
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func sortedKeys(m map[string]any) []string { return unionKeys(m, nil) }

// writeChanges prints the changes terraform-style: + added, - removed,
// ~ changed, one resource a line, then its states and fields indented.
// Every name and value is quoted, so server text cannot forge a line.
func (p *Plan) writeChanges(w io.Writer) {
	if len(p.Changes) == 0 {
		return
	}
	fmt.Fprintf(w, "  bundle changes (deployed -> rendered):\n")
	for _, c := range p.Changes {
		if c.Type == BundleType {
			fmt.Fprintf(w, "    ~ bundle\n")
		} else {
			fmt.Fprintf(w, "    %s %s (%s)\n", changeSign(c.Change), textsafe.Quote(c.Resource), typeLabel(c.Type))
		}
		for _, s := range c.States {
			fmt.Fprintf(w, "        %s state %s\n", changeSign(s.Change), textsafe.Quote(s.State))
			writeFields(w, s.Fields, "            ")
		}
		writeFields(w, c.Fields, "        ")
	}
	if p.ChangesOmitted > 0 {
		fmt.Fprintf(w, "    … %d more change%s not shown\n", p.ChangesOmitted, plural(p.ChangesOmitted))
	}
}

func writeFields(w io.Writer, fields []FieldChange, indent string) {
	for _, f := range fields {
		switch {
		case f.Old == nil:
			fmt.Fprintf(w, "%s+ %s: %s\n", indent, fieldLabel(f.Path), *f.New)
		case f.New == nil:
			fmt.Fprintf(w, "%s- %s: %s\n", indent, fieldLabel(f.Path), *f.Old)
		default:
			fmt.Fprintf(w, "%s~ %s: %s -> %s\n", indent, fieldLabel(f.Path), *f.Old, *f.New)
		}
	}
}

// fieldLabel is a path as printed; the empty path is the whole value.
func fieldLabel(path string) string {
	if path == "" {
		return "(value)"
	}
	return path
}

func typeLabel(t string) string {
	if plainType(t) {
		return t
	}
	return textsafe.Quote(t)
}

func changeSign(change string) string {
	switch change {
	case ChangeAdded:
		return "+"
	case ChangeRemoved:
		return "-"
	}
	return "~"
}
