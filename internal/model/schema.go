package model

import _ "embed" // for the input schema

// inputSchema is the JSON Schema of the Rego input (a Pipeline as the engine hands it to
// the policies), generated from the Go structs and their doc comments by
// TestInputSchemaIsCurrent (`go test ./internal/model -update` rewrites it together with
// docs/input.md).
//
//go:embed input.schema.json
var inputSchema []byte

// InputSchema returns the JSON Schema (draft 07) of the Rego input document. Objects are
// closed (`additionalProperties: false`), so the Rego compiler, which type-checks the
// policies against it, rejects a policy that reads a field the model does not have.
func InputSchema() []byte { return inputSchema }
