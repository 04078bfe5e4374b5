package pipeguard.lib_test

import rego.v1

import data.pipeguard.lib

test_agent_credential_names_are_case_insensitive if {
	lib.is_agent_credential("codex_access_token")
	not lib.is_agent_credential("NPM_TOKEN")
}
