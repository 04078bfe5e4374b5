# METADATA
# title: Code or text from a fork runs where secrets are
# description: >-
#   A fork or an outsider can start a job that holds secrets or a write token. Worst is
#   the "pwn request": a GitHub job on `pull_request_target`, `workflow_run` or a comment
#   trigger that checks out the pull request's code and then builds it, runs its
#   scripts or an AI agent on it — the pull request's package.json, Makefile, local
#   actions and AGENTS.md then run with the repository's secrets. An AI agent's token
#   carries its creator's full permissions, so an agent job that anyone can trigger
#   hands them out. GitLab merge-request pipelines, CircleCI builds of forked pull
#   requests and Jenkins change-request stages expose their credentials the same way
#   when fork builds run with the project's secrets.
# custom:
#   id: fork-secret-exposure
#   severity: critical
#   confidence: high
#   category: fork exposure
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-829
#   help: >-
#     Never run a pull request's code where secrets are. GitHub: on `pull_request_target`,
#     `workflow_run` and comment triggers check out only the base (no `ref:` from the pull
#     request), or build in a `pull_request` workflow, which gets no secrets, and hand its
#     results on as an artifact treated as data; a job that must read the pull request
#     checks it out into a subdirectory (`path: pr`) that nothing runs from. Gate jobs that
#     outsiders can start on `github.event.pull_request.head.repo.full_name ==
#     github.repository`, an `author_association` check or an `environment:` with required
#     reviewers; keep the write-access check of codex-action and claude-code-action (no `*`
#     in `allow-users`, `allowed_non_write_users`, `allowed_bots`); pass named secrets
#     instead of `secrets: inherit`; run pull requests on GitHub-hosted runners and require
#     approval for workflows of fork pull requests. GitLab: add
#     `$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID` (or `$CI_COMMIT_REF_PROTECTED
#     == "true"`) to the merge-request rule of jobs with secrets, and make their variables
#     protected. CircleCI: give contexts only to workflow entries filtered to trusted
#     branches or tags (`filters: branches: only: main`), keep "Pass secrets to builds from
#     forked pull requests" off and restrict contexts to security groups. Jenkins: bind
#     credentials only in stages that change requests do not run (`when { not {
#     changeRequest() } }`, `branch 'main'`) or behind `env.CHANGE_FORK == null`, or let the
#     branch source not build pull requests from forks.
package pipeguard.rules.fork_secret_exposure

import rego.v1

import data.pipeguard.lib
import data.pipeguard.lib.agents
import data.pipeguard.lib.fork

# File-level gates, evaluated once per file, so that files no fork can reach cost
# nothing more: a GitHub workflow with a trigger that outsiders start with secrets, or
# one that pull requests start; a CircleCI config that builds pull requests; GitLab
# merge-request pipelines; Jenkins change-request builds.
secret_trigger_file if {
	input.platform == "github"
	some t in input.triggers
	t.trust == "untrusted"
	t.secrets
}

pull_request_workflow if {
	input.platform == "github"
	some t in input.triggers
	t.event in {"pull_request", "pull_request_target"}
}

pull_request_config if {
	input.platform == "circleci"
	some t in input.triggers
	t.event == "pull_request"
}

merge_request_file if {
	input.platform == "gitlab"
	some t in input.triggers
	t.event == "merge_request_event"
}

change_request_file if {
	input.platform == "jenkins"
	some t in input.triggers
	t.event == "change_request"
}

# --- GitHub, critical: the pull request's code checked out and run with secrets -------

# pwn_requests are the checkouts of a pull request's code in GitHub jobs that a fork
# can start with secrets, with what runs the checkout afterwards (runs) and, for a
# checkout at the workspace root, the secrets in scope after it (secrets).
pwn_requests := [p |
	secret_trigger_file
	some job in input.jobs
	some i, step in job.steps
	some co in step.checkouts
	co.target == "pull-request"
	triggers := [t | some t in fork.exposed_triggers(job, step); t.secrets]
	count(triggers) > 0
	start := in_workspace(job, i, co)
	path := fork.dir(object.get(co, "path", ""))
	p := {
		"job": job, "step": step, "checkout": co, "triggers": triggers, "path": path,
		"runs": runs_after(job, start, path),
		"secrets": secrets_after(job, start, co, path),
	}
	exposes(p)
]

# in_workspace(job, i, co) is where the pull request's code of checkout co (of step i)
# enters the workspace, {index, pos}: at the checkout, or for a `git fetch` of the pull
# request's ref at the first later git command that brings it into the working tree
# (`git checkout FETCH_HEAD`, `git merge`, …). A fetch that nothing checks out leaves the
# workspace as it was.
in_workspace(job, i, co) := {"index": i, "pos": co.pos} if {
	not startswith(co.reason, "git fetch")
} else := [{"index": k, "pos": cmd.pos} |
	some k, step in job.steps
	k >= i
	some cmd in step.run.commands
	not before(cmd.pos, co.pos, k == i)
	cmd.argv[0].value == "git"
	some w in array.slice(cmd.argv, 1, count(cmd.argv))
	w.value in {c | some c in fork.ws.git_tree_commands}
][0]

# A checkout is exposed when something runs it, or when it lies at the workspace root
# with a secret in scope (any action may run what it reads there). A subdirectory that
# nothing runs from holds the pull request as data.
exposes(p) if count(p.runs) > 0

exposes(p) if {
	p.path == ""
	count(p.secrets) > 0
}

pwn_jobs := {p.job.id | some p in pwn_requests}

deny contains finding if {
	some p in pwn_requests
	finding := {
		"msg": pwn_message(p),
		"pos": p.checkout.pos,
		"job": p.job.id,
		"step": p.step.label,
		"evidence": concat(" ", ["checkout", p.checkout.reason]),
	}
}

pwn_message(p) := sprintf("job `%s` runs the pull request's code with secrets on %s: it checks out the pull request (%s), then runs %s (line %d); a fork controls that code, which reaches %s", [
	p.job.id, fork.event_names(p.triggers), p.checkout.reason, p.runs[0].what, p.runs[0].pos.line, reach(p.secrets),
]) if count(p.runs) > 0

else := sprintf("job `%s` exposes secrets to the pull request's code on %s: it checks out the pull request (%s) into the workspace with %s in scope (line %d); any tool that reads the checkout can run the fork's code with %s", [
	p.job.id, fork.event_names(p.triggers), p.checkout.reason, p.secrets[0].name, p.secrets[0].pos.line, reach(p.secrets),
])

# reach(secrets) says what the fork's code reaches: the secrets by name (three at most)
# and the job's token.
reach(secrets) := "the job's GITHUB_TOKEN" if count(secrets) == 0

else := sprintf("%s and the job's GITHUB_TOKEN", [names(secrets)])

names(secrets) := concat(", ", [n | some n in array.slice(distinct_names(secrets), 0, 3)]) if count(distinct_names(secrets)) <= 3

else := sprintf("%s (and %d more)", [concat(", ", array.slice(distinct_names(secrets), 0, 3)), count(distinct_names(secrets)) - 3])

distinct_names(secrets) := [s.name | some i, s in secrets; not s.name in {o.name | some o in array.slice(secrets, 0, i)}]

# runs_after lists what runs the checkout in path after it enters the workspace at
# start, in order: {what, pos}.
runs_after(job, start, path) := [r |
	some k, step in job.steps
	k >= start.index
	not replaced(job, start.index, k, path)
	some r in step_runs(step, path, start.pos, k == start.index)
]

# replaced(job, i, k, path) is true when a step between i and k checks out other code
# into the same path.
replaced(job, i, k, path) if {
	some j, step in job.steps
	j > i
	j < k
	some c in step.checkouts
	c.target != "pull-request"
	fork.dir(object.get(c, "path", "")) == path
}

step_runs(step, path, start, same) := array.concat(
	[r | not same; r := action_run(step, path)],
	[r |
		some j, cmd in step.run.commands
		not before(cmd.pos, start, same)
		from_checkout(step, j, cmd, path)
		r := {"what": command_what(cmd), "pos": cmd.pos}
	],
)

# action_run is what an action step runs of the workspace.
action_run(step, path) := {"what": sprintf("the local action `%s`", [step.uses.ref]), "pos": step.uses.pos} if {
	step.uses.local
	from_path(step.uses.path, path)
} else := {"what": sprintf("%s (`%s`)", [agents.clis[action.cli].title, step.uses.ref]), "pos": step.uses.pos} if {
	action := agents.action_of(step)
	inputs_in(step, path)
} else := {"what": sprintf("`%s`", [step.uses.ref]), "pos": step.uses.pos} if {
	fork.action_runs(step)
	inputs_in(step, path)
}

from_path(_, "")

from_path(p, path) if fork.under(p, path)

inputs_in(_, "")

inputs_in(step, path) if fork.with_under(step, path)

# before(a, b, same) is true when, in the checkout's own step, position a comes before
# (or is) the checkout command at b.
before(a, b, true) if a.line < b.line

before(a, b, true) if {
	a.line == b.line
	a.col <= b.col
}

# from_checkout is true when command j of step runs from the checkout at path: path is
# the workspace root, the step's working directory or the target of an earlier `cd`, or
# the command names it as what it runs (fork.runs_from).
from_checkout(_, _, _, "")

from_checkout(step, _, _, path) if fork.under(fork.dir(step.working_directory.value), path)

from_checkout(step, j, _, path) if {
	some cmd in array.slice(step.run.commands, 0, j)
	fork.changes_dir(cmd.argv, path)
}

from_checkout(_, _, cmd, path) if fork.runs_from(cmd.argv, path)

command_what(cmd) := sprintf("%s (`%s`)", [fork.agent_cli(cmd), fork.command_text(cmd.argv)]) if fork.agent_cli(cmd)

else := sprintf("`%s`", [fork.command_text(cmd.argv)]) if fork.runs_workspace(cmd.argv)

# secrets_after lists the secrets in scope once the checkout is in the workspace (not
# the job's token): those of later steps, of the step it enters in when that is a
# script or keeps its token in the git config.
secrets_after(job, start, co, path) := [s |
	some k, step in job.steps
	k >= start.index
	own_step_counts(k, start.index, step, co)
	not replaced(job, start.index, k, path)
	some s in lib.secrets_in_scope(job, step)
]

own_step_counts(k, i, _, _) if k > i

own_step_counts(i, i, step, _) if step.run

own_step_counts(i, i, _, co) if co.persist_credentials

# --- GitHub, high: secrets, agent allowlists, secrets: inherit, self-hosted runners ----

# write_checked(step) is true for an agent action that checks the actor's write access
# itself and no `*` allowlist widens.
write_checked(step) if {
	action := agents.action_of(step)
	action.checks_write_access
	not open_input(step, action)
}

# open_input(step, action) is the allowlist input of an agent action set to `*`.
open_input(step, action) := v if {
	some v in step.with
	v.name in {n | some n in object.get(action, "allow_all_inputs", [])}
	trim_space(v.value.value) == "*"
}

# secret_exposures are the stored secrets (`secrets.X`) of GitHub steps that outsiders
# can start with secrets, outside pwn-request jobs and agent steps with their own gate
# or finding. (A credential-named input holding a token minted from such a secret, a
# `steps.app.outputs.token`, is reported through the secret it comes from.)
secret_exposures := [e |
	secret_trigger_file
	some job in input.jobs
	not job.id in pwn_jobs
	count([t | some t in fork.exposed_triggers(job, {}); t.secrets]) > 0
	some step in job.steps
	not write_checked(step)
	not open_agent(step)
	triggers := [t | some t in fork.exposed_triggers(job, step); t.secrets]
	count(triggers) > 0
	some s in lib.secrets_in_scope(job, step)
	s.kind == "github-secret"
	e := {"job": job, "step": step, "secret": s, "triggers": triggers, "key": concat("|", [job.id, s.name])}
]

open_agent(step) if open_input(step, agents.action_of(step))

# agent_job(job) is true when the job runs an AI agent.
agent_job(job) if {
	some r in lib.agent_runs
	r.job.id == job.id
}

# Each secret once per job (at its first reference), and each reference once: a
# workflow-level `env:` shared by several jobs is one finding that names them all.
deny contains finding if {
	secret_trigger_file
	some g in fork.grouped([object.union(e, {"key": concat("|", [e.secret.name, fork.position_key(e.secret.pos)])}) |
		some e in fork.firsts(secret_exposures)
	])
	e := g.first
	ids := [m.job.id | some m in g.members]
	finding := object.union(secret_finding(e, ids, g.members), {
		"pos": e.secret.pos,
		"severity": "high",
		"job": e.job.id,
		"step": e.step.label,
		"evidence": concat(" ", ["secret", e.secret.name]),
	})
}

secret_finding(e, ids, members) := {"msg": sprintf("%s %s agent credential %s and outsiders can start %s (%s) with no actor gate: %s", [
	fork.listed("job", ids), fork.verb(ids, "holds", "hold"), e.secret.name, fork.verb(ids, "it", "them"), fork.event_names(e.triggers), steered(e.triggers),
])} if object.get(e.secret, "agent", false)

else := {"msg": sprintf("%s %s an AI agent with secret %s in scope and outsiders can start %s (%s) with no actor gate: %s", [
	fork.listed("job", ids), fork.verb(ids, "runs", "run"), e.secret.name, fork.verb(ids, "it", "them"), fork.event_names(e.triggers), steered(e.triggers),
])} if {
	some m in members
	agent_job(m.job)
}

else := {"msg": sprintf("%s %s secret %s and outsiders can start %s (%s) with no actor gate: %s", [
	fork.listed("job", ids), fork.verb(ids, "holds", "hold"), e.secret.name, fork.verb(ids, "it", "them"), fork.event_names(e.triggers), injected(e.triggers),
]), "confidence": "medium", "persona": "pedantic"}

# steered says who controls a job that an agent or a whole secret store is given to.
steered(triggers) := sprintf("anyone who can %s steers what is done with it (an agent follows instructions hidden in the text it reads)", [actions_of(triggers)])

# injected says how outsiders' text reaches a plain secret.
injected(triggers) := sprintf("whatever they write (%s) reaches it through any injection", [written_by_outsiders(triggers)])

# actions_of names what outsiders do to start the triggers.
actions_of(triggers) := concat(" or ", [a |
	some i, t in triggers
	a := outsider_action[t.event]
	not a in {outsider_action[u.event] | some u in array.slice(triggers, 0, i)}
])

outsider_action := {
	"pull_request_target": "open a pull request",
	"workflow_run": "open a pull request",
	"issues": "open an issue",
	"issue_comment": "comment",
	"discussion": "start a discussion",
	"discussion_comment": "comment",
	"pull_request_review": "review",
	"pull_request_review_comment": "comment",
}

written_by_outsiders(triggers) := concat(", ", [w |
	some i, t in triggers
	w := outsider_text_of[t.event]
	not w in {outsider_text_of[u.event] | some u in array.slice(triggers, 0, i)}
])

outsider_text_of := {
	"pull_request_target": "the pull request's title, body and branch",
	"workflow_run": "the triggering run's branch and artifacts",
	"issues": "the issue",
	"issue_comment": "the comment",
	"discussion": "the discussion",
	"discussion_comment": "the comment",
	"pull_request_review": "the review",
	"pull_request_review_comment": "the comment",
}

# An agent action whose `*` allowlist lets anyone through its write-access check.
deny contains finding if {
	secret_trigger_file
	some r in lib.agent_runs
	action := r.action
	job := r.job
	step := r.step
	v := open_input(step, action)
	triggers := [t | some t in fork.exposed_triggers(job, step); t.secrets]
	count(triggers) > 0
	finding := {
		"msg": sprintf("`%s: \"*\"` lets anyone who can %s run %s in job `%s` (%s) with %s: its write-access check no longer keeps outsiders out", [
			v.name, actions_of(triggers), agents.clis[action.cli].title, job.id, fork.event_names(triggers), step_reach(job, step),
		]),
		"pos": v.value.pos,
		"severity": "high",
		"job": job.id,
		"step": step.label,
		"evidence": concat(" ", ["allowlist", v.name]),
	}
}

step_reach(job, step) := names(lib.secrets_in_scope(job, step)) if count(lib.secrets_in_scope(job, step)) > 0

else := "the job's GITHUB_TOKEN"

# A reusable-workflow call that outsiders can start passes secrets on.
deny contains finding if {
	secret_trigger_file
	some job in input.jobs
	job.uses
	triggers := [t | some t in fork.exposed_triggers(job, {}); t.secrets]
	count(triggers) > 0
	some s in call_secrets(job)
	finding := object.union(call_finding(job, s, triggers), {
		"pos": s.pos,
		"severity": "high",
		"job": job.id,
		"evidence": concat(" ", ["call", s.name]),
	})
}

# call_secrets(job) are the secrets a reusable-workflow call passes on, each name once:
# "*" for `secrets: inherit`.
call_secrets(job) := [{"name": "*", "pos": job.uses.pos}] if job.secrets_inherit

else := [s |
	named := [x | some x in job.passed_secrets; x.kind == "github-secret"; not object.get(x, "platform_token", false)]
	some i, s in named
	not s.name in {o.name | some o in array.slice(named, 0, i)}
]

call_finding(job, s, triggers) := {"msg": sprintf("job `%s` passes every secret (`secrets: inherit`) to reusable workflow `%s` and outsiders can start it (%s) with no actor gate: anyone who can %s runs the called workflow with all of the repository's secrets", [
	job.id, job.uses.ref, fork.event_names(triggers), actions_of(triggers),
])} if s.name == "*"

else := {"msg": sprintf("job `%s` passes agent credential %s to reusable workflow `%s` and outsiders can start it (%s) with no actor gate: %s", [
	job.id, s.name, job.uses.ref, fork.event_names(triggers), steered(triggers),
])} if object.get(s, "agent", false)

else := {"msg": sprintf("job `%s` passes secret %s to reusable workflow `%s` and outsiders can start it (%s) with no actor gate: %s", [
	job.id, s.name, job.uses.ref, fork.event_names(triggers), injected(triggers),
]), "confidence": "medium", "persona": "pedantic"}

# A self-hosted runner that a fork's pull request can reach.
deny contains finding if {
	pull_request_workflow
	some job in input.jobs
	job.runner.kind == "self-hosted"
	triggers := [t | some t in fork.exposed_triggers(job, {}); t.event in {"pull_request", "pull_request_target"}]
	count(triggers) > 0
	finding := {
		"msg": sprintf("job `%s` runs on a self-hosted runner (%s) that a fork's pull request can reach (%s): %s", [
			job.id, concat(", ", job.runner.labels), fork.event_names(triggers), self_hosted_risk(triggers),
		]),
		"pos": job.runner.pos,
		"severity": "high",
		"job": job.id,
		"evidence": concat(" ", ["self-hosted", concat(",", job.runner.labels)]),
	}
}

self_hosted_risk(triggers) := "the pull request's own code runs there (`pull_request` runs the fork's copy of the workflow), can stay on the machine and reach later jobs and their secrets" if {
	some t in triggers
	t.event == "pull_request"
} else := "the job runs with secrets and a write token on a machine that keeps state between jobs, where whatever runs the pull request's text or code can stay"

# --- GitLab, medium: merge-request pipelines with secrets ------------------------------

gitlab_exposures := [e |
	merge_request_file
	some job in input.jobs
	triggers := [t | some t in fork.exposed_triggers(job, {}); t.event == "merge_request_event"]
	count(triggers) > 0
	some x in job_secrets(job) | job_environment(job)
	e := {"job": job, "trigger": triggers[0], "exposed": x, "key": concat("|", [x.kind, x.name, fork.position_key(x.pos)])}
]

# job_secrets(job) are the secrets some step of the job can read, each reference once.
job_secrets(job) := {{"kind": "secret", "name": s.name, "pos": s.pos} |
	some step in job.steps
	some s in lib.secrets_in_scope(job, step)
}

job_environment(job) := {{"kind": "environment", "name": job.environment.name, "pos": job.environment.pos}} if job.environment

else := set()

# One finding per secret reference or environment: a variable or template shared by
# many jobs is one finding that names them.
deny contains finding if {
	merge_request_file
	some g in fork.grouped(gitlab_exposures)
	e := g.first
	ids := fork.distinct([m.job.id | some m in g.members])
	finding := {
		"msg": sprintf("%s in merge-request pipelines%s %s, and no rule keeps forks out: %s", [
			merge_request_subject(ids), trigger_line(ids, e.trigger), exposed_text(e.exposed), merge_request_note(e.exposed),
		]),
		"pos": e.exposed.pos,
		"severity": "medium",
		"job": e.job.id,
		"evidence": concat(" ", ["merge-request", e.exposed.kind, e.exposed.name]),
	}
}

merge_request_subject(ids) := sprintf("%s %s", [fork.listed("job", ids), fork.verb(ids, "runs", "run")])

trigger_line(ids, trigger) := sprintf(" (line %d)", [trigger.pos.line]) if count(ids) == 1

else := ""

exposed_text(x) := sprintf("with %s in scope", [x.name]) if x.kind == "secret"

else := sprintf("to deploy to environment `%s`", [x.name])

merge_request_note(x) := "dangerous when pipelines for fork merge requests run in the parent project, where the fork's code runs with it" if x.kind == "secret"

else := "dangerous when pipelines for fork merge requests run in the parent project, where the fork's code deploys with the environment's credentials"

# --- CircleCI, medium: contexts and CIRCLE_PR_* scripts on forked pull requests --------

circleci_pass_note := "builds of forked pull requests get them when \"Pass secrets to builds from forked pull requests\" is on"

context_exposures := [e |
	pull_request_config
	some job in input.jobs
	count(pull_request_triggers(job)) > 0
	some c in job.credentials
	c.kind == "circleci-context"
	e := {"job": job, "context": c, "key": concat("|", [c.id, fork.position_key(c.pos)])}
]

# One finding per `context:` entry: an anchor merged into many workflow entries is one
# finding that names them.
deny contains finding if {
	pull_request_config
	some g in fork.grouped(context_exposures)
	e := g.first
	ids := [m.job.id | some m in g.members]
	finding := {
		"msg": sprintf("%s %s context `%s` without branch or tag filters that keep pull requests out: %s, and run the fork's code with the context's secrets", [
			fork.listed("workflow entry", ids), fork.verb(ids, "gives", "give"), e.context.id, circleci_pass_note,
		]),
		"pos": e.context.pos,
		"severity": "medium",
		"job": e.job.id,
		"evidence": concat(" ", ["context", e.context.id]),
	}
}

deny contains finding if {
	pull_request_config
	some job in input.jobs
	count(pull_request_triggers(job)) > 0
	some step in job.steps
	secrets := [s | some s in lib.secrets_in_scope(job, step); s.kind != "circleci-context"]
	count(secrets) > 0
	refs := [r | some cmd in step.run.commands; some w in cmd.argv; some r in object.get(w, "refs", []); startswith(r.name, "CIRCLE_PR_")]
	count(refs) > 0
	finding := {
		"msg": sprintf("job `%s` acts on forked pull requests (`$%s`) with %s in scope: builds of forked pull requests get the project's environment variables when \"Pass secrets to builds from forked pull requests\" is on", [
			job.id, refs[0].name, names(secrets),
		]),
		"pos": refs[0].pos,
		"severity": "medium",
		"job": job.id,
		"step": step.label,
		"evidence": concat(" ", ["circle-pr", refs[0].name]),
	}
}

pull_request_triggers(job) := [t | some t in fork.exposed_triggers(job, {}); t.event == "pull_request"]

# --- Jenkins, medium: credentials bound in change-request stages and branches ----------

jenkins_exposures := [e |
	change_request_file
	some job in input.jobs
	some step in job.steps
	triggers := [t | some t in fork.exposed(array.concat(job.triggers, step.triggers), fork.guards_of(job, step)); t.event == "change_request"]
	count(triggers) > 0
	some c in step.credentials
	e := {"job": job, "step": step, "credential": c, "trigger": triggers[0], "key": concat("|", [c.kind, c.id, fork.position_key(c.pos)])}
]

# One finding per binding, naming the change-request stages it holds in.
deny contains finding if {
	change_request_file
	some g in fork.grouped(jenkins_exposures)
	e := g.first
	ids := fork.distinct([m.job.id | some m in g.members])
	finding := {
		"msg": sprintf("%s in change-request builds%s with %s bound: the pull request's code runs with it, a fork's too unless the branch source does not build pull requests from forks", [
			stages_subject(ids), trigger_line(ids, e.trigger), binding_text(e.credential),
		]),
		"pos": e.credential.pos,
		"severity": "medium",
		"job": e.job.id,
		"step": e.step.label,
		"evidence": concat(" ", ["change-request", e.credential.kind, e.credential.id]),
	}
}

stages_subject(ids) := sprintf("%s %s", [fork.listed("stage", ids), fork.verb(ids, "runs", "run")])

binding_text(c) := sprintf("SSH key `%s` (sshagent)", [c.id]) if c.kind == "ssh-agent"

else := sprintf("credential `%s`", [c.id])
