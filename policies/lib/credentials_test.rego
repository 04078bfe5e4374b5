package pipeguard.lib.credentials_test

import rego.v1

import data.pipeguard.lib.credentials

test_person_like if {
	credentials.person_like("jane.doe@example.com")
	credentials.person_like("jane.doe")
	credentials.person_like("JANE_CI_KEY")
	credentials.person_like("jane-ci-key")
	not credentials.person_like("team-release")
	not credentials.person_like("nightly-audit-prod")
	not credentials.person_like("CODEX_ACCESS_TOKEN")
	not credentials.person_like("@org/platform-team")
}

test_personal_token if {
	credentials.personal_token("GH_PAT")
	credentials.personal_token("PERSONAL_ACCESS_TOKEN")
	not credentials.personal_token("PATH_TOKEN_X")
	not credentials.personal_token("NPM_TOKEN")
}

test_covered if {
	credentials.covered({"names": ["X", "ctx"]}, {"ctx"})
	not credentials.covered({"names": ["X"]}, {"Y"})
}
