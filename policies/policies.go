// Package policies embeds pipeguard's built-in Rego rules, their helpers and the data
// tables they use (agent CLIs, their flags, packages and actions; the build tools,
// interpreters and actions that run a workspace's code). The directory is a
// plain OPA bundle: `opa check policies/` and `opa test policies/` work on it as they do
// on any policy directory, and the engine loads it with OPA's own loader.
package policies

import "embed"

// FS holds every built-in policy file: rules/*.rego, lib/*.rego and the data tables in
// pipeguard/ (mounted at data.pipeguard, as OPA's loader mounts a directory).
//
//go:embed rules lib pipeguard
var FS embed.FS
