package rules

import "github.com/zislint/zislint/bundle"

// Built-in actions whose response Zendesk documents (developer guide,
// "ZIS built-in actions" and "ZIS links"). Each documented result is an
// open object: the documented key is surely there, and since the pages
// show examples rather than schemas, other keys may be too.
var (
	// LoadConfig answers {"config": {…settings}}. Bundles in use read the
	// settings right below the ResultPath as well, so keys other than
	// config stay unknown rather than absent.
	loadConfigResult = openResult("config")
	// CreateLink answers {"link": {account_id, integration, …}}.
	createLinkResult = openResult("link")
)

// openResult is an open object surely holding key, with an opaque value.
func openResult(key string) *DocValue {
	return &DocValue{Open: true, Fields: []DocField{{Key: key, Value: opaqueValue, Sure: true}}}
}

// actionResult is what an Action state's action answers, as far as it
// is documented; anything else is opaque.
func actionResult(obj *bundle.Node) *DocValue {
	name, _ := obj.Get("ActionName").Str()
	switch name {
	case "zis:common:action:LoadConfig":
		return loadConfigResult
	case "zis:common:action:CreateLink":
		return createLinkResult
	case "zis:common:action:PatchConfig":
		// "No response from this action": nothing lies below its
		// ResultPath. What becomes of a document it would replace
		// (no ResultPath, or "$") is not documented, so that stays
		// opaque.
		if writesBelowRoot(obj.Member("ResultPath")) {
			return leafValue
		}
	}
	return opaqueValue
}

// writesBelowRoot reports whether a ResultPath names a place inside the
// document rather than the document itself or nothing.
func writesBelowRoot(m *bundle.Member) bool {
	if m == nil {
		return false
	}
	var room [pathRoom]bundle.Segment
	segs, ok := stepsOf(m.Value(), room[:0])
	return ok && len(segs) > 0
}
