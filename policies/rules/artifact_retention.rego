# METADATA
# title: Artifacts kept without an expiry
# description: >-
#   Build artifacts, logs and archived files are kept for as long as the platform's
#   default allows — on some instances forever. Whatever the job wrote into them (a
#   token in a config file, a transcript of an agent run, a dump of the environment)
#   stays downloadable long after the job. GitLab `artifacts:` with no `expire_in` from
#   the job, its `extends` chain or `default:`, or `expire_in: never`; GitHub
#   `actions/upload-artifact` without `retention-days`; a declarative Jenkins pipeline
#   without `options { buildDiscarder(…) }`.
# custom:
#   id: artifact-retention
#   severity: low
#   confidence: high
#   category: missing expiration
#   platforms: [github, gitlab, jenkins]
#   persona: regular
#   cwe: CWE-459
#   help: >-
#     Give every artifact an expiry that matches its use: GitLab `artifacts: expire_in: 1
#     week` (or once in `default: artifacts:`), GitHub `actions/upload-artifact` with
#     `retention-days: 7`, Jenkins `options { buildDiscarder(logRotator(numToKeepStr:
#     '20', artifactNumToKeepStr: '5')) }`. Never keep artifacts of jobs that can read
#     secrets with `expire_in: never`.
package pipeguard.rules.artifact_retention

import rego.v1

import data.pipeguard.lib

# A GitLab job's artifacts with no expiry, or one that never comes.
deny contains finding if {
	input.platform == "gitlab"
	some job in input.jobs
	some a in job.artifacts
	a.kind == "gitlab-artifacts"
	not object.get(a, "reports_only", false)
	uploads(a)
	problem := gitlab_expiry_problem(a)
	secrets := job_reads_secrets(job)
	finding := {
		"msg": sprintf("the artifacts of job %s %s%s", [job.id, problem, secret_note[secrets]]),
		"pos": gitlab_pos(a),
		"severity": gitlab_severity[secrets],
		"job": job.id,
		"evidence": problem,
	}
}

uploads(a) if count(a.paths) > 0

uploads(a) if object.get(a, "untracked", false)

gitlab_expiry_problem(a) := "have no expire_in: GitLab keeps them as long as the instance's default allows (forever on some instances)" if {
	not a.expire_in
} else := "never expire (expire_in: never)" if {
	lower(trim_space(a.expire_in.value)) == "never"
}

gitlab_pos(a) := a.expire_in.pos if a.expire_in

else := a.pos

job_reads_secrets(job) := true if {
	some step in job.steps
	count(lib.secrets_in_scope(job, step)) > 0
} else := false

secret_note := {true: ", and the job can read secrets that may end up in them", false: ""}

gitlab_severity := {true: "medium", false: "low"}

# A GitHub artifact upload without retention-days.
deny contains finding if {
	input.platform == "github"
	some job in input.jobs
	some a in job.artifacts
	a.kind == "upload-artifact"
	not a.expire_in
	finding := {
		"msg": sprintf("actions/upload-artifact keeps %s for the repository's default retention (90 days unless changed): set retention-days", [artifact_name(a)]),
		"pos": a.pos,
		"severity": "low",
		"persona": "pedantic",
		"job": job.id,
		"step": object.get(a, "step", ""),
		"evidence": artifact_name(a),
	}
}

artifact_name(a) := sprintf("artifact %q", [a.name]) if a.name

else := "its artifact"

# A declarative Jenkins pipeline that keeps every build forever.
deny contains finding if {
	input.platform == "jenkins"
	pos := input.declarative
	not discards_builds
	finding := {
		"msg": "declarative pipeline without options { buildDiscarder(…) }: Jenkins keeps every build's log and archived artifacts until someone deletes them",
		"pos": pos,
		"severity": "low",
		"persona": "pedantic",
		"evidence": "buildDiscarder",
	}
}

discards_builds if {
	some o in input.options
	o.name == "buildDiscarder"
}
