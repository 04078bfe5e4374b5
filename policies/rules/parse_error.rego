# METADATA
# title: File could not be parsed
# description: >-
#   The file could not be parsed, or only partly. pipeguard names the position and the
#   reason and goes on with the other files; nothing in the unreadable part was checked.
# custom:
#   id: parse-error
#   severity: high
#   confidence: high
#   category: input
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-1173
#   help: >-
#     Fix the syntax error at the reported position. Until the file parses, pipeguard
#     cannot check it, so a real problem in it may be hidden.
package pipeguard.rules.parse_error

import rego.v1

deny contains finding if {
	some err in input.parse_errors
	not err.partial
	finding := {
		"msg": err.message,
		"pos": err.pos,
	}
}

# A value that could not be analysed (a script the shell parser rejects) leaves the rest
# of the file checked: that is worth knowing, not worth failing a build for.
deny contains finding if {
	some err in input.parse_errors
	err.partial
	finding := {
		"msg": err.message,
		"pos": err.pos,
		"severity": "low",
		"confidence": "medium",
		"persona": "pedantic",
	}
}
