package bundle

import _ "embed" // for the bundle schema

// SchemaJSON is the JSON Schema (draft 2020-12) of a ZIS bundle, as
// zislint checks it. Editors can use it for completion and validation.
//
//go:embed schema.json
var SchemaJSON []byte
