# METADATA
# title: Hard-coded credential
# description: >-
#   A credential is written as a literal in a pipeline file. Anyone who can read the
#   repository, its forks or its history can use it, and CI logs may show it unmasked.
# custom:
#   id: hardcoded-token
#   severity: critical
#   confidence: high
#   category: hard-coded token
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-798
#   help: >-
#     Revoke the credential now (it is in the repository's history), create a new one, and
#     store it in the platform's secret store: GitHub `secrets.*`, GitLab masked and
#     protected CI/CD variables, CircleCI contexts or project environment variables,
#     Jenkins credentials bound with `withCredentials` or `credentials()`. Reference it by
#     name in the pipeline instead of writing the value.
package pipeguard.rules.hardcoded_token

import rego.v1

deny contains finding if {
	some secret in input.found_secrets
	finding := {
		"msg": message(secret),
		"pos": secret.pos,
		"severity": severity(secret),
		"confidence": secret.confidence,
		"job": object.get(secret, "job", ""),
		"step": object.get(secret, "step", ""),
		"evidence": secret.fingerprint,
	}
}

# A structural finding (a credential-named key holding a literal) is high; a token in a
# provider's own format is critical unless the detector is unsure of it. Agent
# credentials are critical whatever their format.
severity(secret) := "critical" if secret.agent

else := "high" if secret.rule == "credential-key"

else := "critical" if secret.confidence == "high"

else := "medium" if secret.confidence == "medium"

else := "low"

message(secret) := sprintf("%s%s%s", [what(secret), where(secret), masking_note]) if {
	masking_note := gitlab_note
}

what(secret) := sprintf("hard-coded %s credential %s", [secret.provider, secret.redacted]) if {
	object.get(secret, "provider", "") != ""
} else := sprintf("hard-coded credential %s", [secret.redacted])

where(secret) := sprintf(" in `%s`", [secret.key]) if object.get(secret, "key", "") != ""

else := ""

gitlab_note := "; variables written in .gitlab-ci.yml are never masked in job logs" if input.platform == "gitlab"

else := ""
