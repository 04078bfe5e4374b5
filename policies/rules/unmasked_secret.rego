# METADATA
# title: Secret can reach the log or an artifact unmasked
# description: >-
#   A secret, or a value derived from one, can reach the job log or an uploaded artifact
#   in the clear. CI platforms mask a secret only where they see its exact stored value:
#   a transformed or partial copy (base64, rev, cut, jq, a substring, a field of a JSON
#   secret), a value Groovy interpolated into a Jenkins step, a debug trace, a variable
#   written in the pipeline file, or a file in an uploaded artifact escapes that masking,
#   and printing even the exact value leaves the log as the only thing protecting it.
#   Feeding a secret to another command's standard input (`printf '%s' "$T" | codex login
#   --with-access-token`, `docker login --password-stdin`) is no finding.
# custom:
#   id: unmasked-secret
#   severity: high
#   confidence: high
#   category: unmasked secret
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-532
#   help: >-
#     Never print a secret or anything computed from it. Pass it to the program that needs
#     it through an environment variable or standard input (`printf '%s' "$TOKEN" | tool
#     login --stdin`) instead of echoing it, tracing it (`set -x`) or dumping the
#     environment (`env`, `printenv`). GitHub: register every derived value with `echo
#     "::add-mask::$VALUE"` before it is printed or written to $GITHUB_OUTPUT/$GITHUB_ENV,
#     store each credential as its own secret instead of a JSON document read with
#     `fromJSON(secrets.X).field`, reference secrets by name instead of `toJSON(secrets)`
#     or `secrets[…]`, and leave ACTIONS_STEP_DEBUG/ACTIONS_RUNNER_DEBUG to a re-run with
#     debug logging. GitLab: define credentials as project or group CI/CD variables with
#     Masked and Protected on, never in .gitlab-ci.yml; keep CI_DEBUG_TRACE and
#     CI_DEBUG_SERVICES off; let `secrets:` entries stay files (the default). Jenkins:
#     reference credentials in single-quoted strings (`sh 'curl -u "$USER:$PASS" …'`) so
#     the shell, not Groovy, expands them. Everywhere: never write a secret into a file
#     under a path the job uploads or stashes (`artifacts:paths`, `upload-artifact`,
#     `store_artifacts`, `persist_to_workspace`, `archiveArtifacts`, `stash`).
package pipeguard.rules.unmasked_secret

import rego.v1

import data.pipeguard.lib
import data.pipeguard.lib.masking

# secret_steps are the steps with a secret in scope (lib.steps entries: job, step,
# label). The rule walks all steps of the file here and once more for debug variables,
# through the view the other rules share: it runs on every file, and most steps have no
# secret.
secret_steps := [s | some s in lib.steps; s.step.secrets_in_scope[0]]

# run_steps are the secret_steps with commands, with their analysis: the secret flows
# of the step (masking.step_flows).
run_steps := [{"job": s.job, "step": s.step, "label": s.label, "analysis": a} |
	some s in secret_steps
	s.step.run.commands[0]
	a := masking.step_flows(s.job, s.step)
]

# ---------------------------------------------------------------------------------
# A secret printed to the log, or written to a special file or an uploaded one

deny contains finding if {
	some s in run_steps
	some f in s.analysis.flows
	f.sink == "log"
	not expression_finding(f.origin)
	finding := result(s, print_message(s, f, "prints", "to the job log"), print_pos(s, f), print_severity(f), concat(" ", ["print", f.origin.secret]))
}

# A printed job token (GITHUB_TOKEN, CI_JOB_TOKEN) expires with the job.
print_severity(f) := "medium" if {
	f.origin.platform_token
	not derived(f)
} else := "high"

deny contains finding if {
	some s in run_steps
	some f in s.analysis.flows
	some r in f.files
	not expression_finding(f.origin)
	finding := file_finding(s, f, r)
}

file_finding(s, f, r) := result(s, print_message(s, f, "writes", "to the job summary"), r.pos, "high", concat(" ", ["summary", f.origin.secret])) if {
	input.platform == "github"
	masking.sink_variable(r.target) == "summary"
} else := result(s, print_message(s, f, "prints", "to the job log"), print_pos(s, f), print_severity(f), concat(" ", ["print", f.origin.secret])) if {
	masking.to_log(r.target)
} else := result(s, write_message(s, f, r), r.pos, write_severity(f), concat(" ", ["write", f.origin.secret])) if {
	input.platform == "github"
	masking.sink_variable(r.target) in {"output", "env"}
	not masked(s, f)
} else := result(s, artifact_message(s, f.origin, target, a), r.pos, "high", concat(" ", ["artifact", f.origin.secret, target])) if {
	not masking.discarded(r.target)
	not masking.sink_variable(r.target)
	target := masking.file_target(r.target)
	a := masking.uploaded_by(s.job, target)
}

# A GitHub expression that derives from a secret or reads every secret is reported where
# it is written (see below), not again where it is printed.
expression_finding(o) if {
	o.ref.kind == "github-expression"
	o.derived
}

expression_finding(o) if {
	o.ref.kind == "github-expression"
	o.all
}

# masked(s, f) is true when the step registers the variable that carries the value with
# `::add-mask::` before the command that writes it.
masked(s, f) if {
	f.origin.ref.kind == "shell"
	masking.masked_before(s.step.run.commands, f.origin.index, f.origin.ref.name)
}

write_severity(f) := "high" if derived(f)

else := "medium"

derived(f) if f.origin.derived

derived(f) if f.transform

# print_pos(s, f) is the word that prints or transforms the secret: the transform in the
# pipeline, the expansion that takes a part of it, or the printing command.
print_pos(s, f) := s.step.run.commands[f.transform].argv[0].pos if {
	f.transform
} else := f.origin.ref.pos if {
	object.get(f.origin.ref, "expansion", "") in {"part", "transform"}
} else := s.step.run.commands[f.origin.index].argv[0].pos

print_message(s, f, verb, where) := sprintf("`%s` %s %s %s in job `%s`%s", [
	command_name(s, f),
	verb,
	value_text(f),
	where,
	s.job.id,
	derived_note(f),
])

command_name(s, f) := s.step.run.commands[f.transform].argv[0].value if {
	f.transform
} else := s.step.run.commands[f.origin.index].argv[0].value

value_text(f) := sprintf("a transformed copy of %s", [secret_text(f.origin)]) if {
	f.transform
} else := sprintf("part of %s", [secret_text(f.origin)]) if {
	object.get(f.origin.ref, "expansion", "") in {"part", "transform"}
} else := sprintf("a value derived from %s", [secret_text(f.origin)]) if {
	f.origin.derived
} else := secret_text(f.origin)

derived_note(f) := ", which masking does not recognise" if derived(f)

else := "; only masking hides it there"

write_message(s, f, r) := sprintf("%s is written to $%s in job `%s` without `::add-mask::` first: %s", [
	upper_first(value_text(f)),
	variable_of(r.target),
	s.job.id,
	write_reason(f),
])

write_reason(f) := "nothing masks it in the steps and jobs that read it" if derived(f)

else := "it leaves the step under a new name that nothing marks as secret"

variable_of(word) := [r.name |
	some r in word.refs
	r.kind == "shell"
	masking.tables.sink_variables.github[r.name]
][0]

artifact_message(s, o, target, a) := sprintf("%s is written to `%s`, which job `%s` %s", [
	upper_first(secret_text(o)),
	target,
	s.job.id,
	artifact_use(a),
])

# artifact_use(a) says what the job does with the artifact and who reads it.
artifact_use(a) := sprintf("keeps for later jobs (%s): every job that attaches it reads the secret", [artifact_text(a)]) if {
	a.kind in {"persist_to_workspace", "stash"}
} else := sprintf("uploads (%s): anyone who can download the artifact reads the secret", [artifact_text(a)])

artifact_text(a) := sprintf("%s `%s`", [a.kind, a.name]) if object.get(a, "name", "") != ""

else := a.kind

# ---------------------------------------------------------------------------------
# The environment dumped

deny contains finding if {
	some s in run_steps
	cmds := s.step.run.commands
	some f in masking.dump_flows(cmds, s.analysis.programs, s.analysis.shell_commands)
	secrets := masking.env_secrets(s.job, s.step)
	count(secrets) > 0
	finding := dump_finding(s, f, secrets, cmds[f.origin.index].argv[0])
}

dump_finding(s, f, secrets, word) := result(s, sprintf("`%s` prints the whole environment of job `%s` to the job log, with %s%s", [
	word.value,
	s.job.id,
	scoped_text(secrets[0]),
	more_text(count(secrets) - 1),
]), word.pos, "high", concat(" ", ["dump", word.value])) if {
	f.sink == "log"
} else := result(s, sprintf("`%s` writes the whole environment of job `%s`, with %s%s, to `%s`, which the job %s", [
	word.value,
	s.job.id,
	scoped_text(secrets[0]),
	more_text(count(secrets) - 1),
	target,
	artifact_use(a),
]), r.pos, "high", concat(" ", ["dump", word.value, target])) if {
	some r in f.files
	target := masking.file_target(r.target)
	a := masking.uploaded_by(s.job, target)
}

more_text(0) := ""

more_text(n) := sprintf(" and %d more", [n]) if n > 0

# ---------------------------------------------------------------------------------
# Shell tracing

deny contains finding if {
	some s in run_steps
	cmds := s.step.run.commands
	some i in s.analysis.shell_commands
	s.analysis.programs[i] == "set"
	cmd := cmds[i]
	flag := masking.trace_on(cmd, "set")
	read := masking.traced_read(cmds, i, s.analysis.holders, s.analysis.interpolations)
	not read.platform_token
	finding := result(s, sprintf("`%s %s` prints the commands after it with their variables expanded: %s, read on line %d, reaches the job log in job `%s`", [
		cmd.argv[0].value,
		flag.value,
		secret_text(read),
		read.ref.pos.line,
		s.job.id,
	]), flag.pos, "medium", concat(" ", ["trace", read.secret]))
}

deny contains finding if {
	some s in run_steps
	some i in s.analysis.shell_commands
	prog := s.analysis.programs[i]
	masking.role(prog) == "shell"
	cmd := s.step.run.commands[i]
	flag := masking.traced_shell(cmd, prog)
	secrets := masking.env_secrets(s.job, s.step)
	count(secrets) > 0
	finding := result(s, sprintf("`%s %s` prints every command of the script it runs, expanded, to the job log in job `%s`, with %s%s in its environment", [
		cmd.argv[0].value,
		flag.value,
		s.job.id,
		scoped_text(secrets[0]),
		more_text(count(secrets) - 1),
	]), flag.pos, "medium", concat(" ", ["trace", cmd.argv[0].value]))
}

# ---------------------------------------------------------------------------------
# GitHub expressions that derive from a secret or read every secret

deny contains finding if {
	input.platform == "github"
	some s in secret_steps
	some secret in s.step.secrets_in_scope
	secret.derived
	finding := expression_result(s, secret)
}

deny contains finding if {
	input.platform == "github"
	some s in secret_steps
	some secret in s.step.secrets_in_scope
	secret.name == "*"
	finding := expression_result(s, secret)
}

# expression_result(s, secret) reports a secret the step reads in part or whole (model
# ScopedSecret derived, or named "*"), where the expression is written: once for the
# workflow, the job or the step, after the level that defines it.
expression_result(s, secret) := object.union({
	"msg": sprintf("`${{ %s }}` takes part of secret `%s`%s, a value GitHub never masks: the step's log shows it wherever it is used (its env, inputs and script are printed with the step)", [
		expression_name(s.step, secret.pos),
		secret.name,
		level_text(s, secret),
	]),
	"pos": secret.pos,
	"severity": "high",
	"evidence": concat(" ", ["derived", secret.name]),
}, level_ids(s, secret)) if {
	object.get(secret, "derived", false)
	secret.name != "*"
} else := object.union({
	"msg": sprintf("`${{ %s }}` reads every secret of the repository%s: the runner keeps them all in memory for the job, and a JSON copy of them is not masked where its escaping changes a value", [
		expression_name(s.step, secret.pos),
		level_text(s, secret),
	]),
	"pos": secret.pos,
	"severity": "medium",
	"evidence": concat(" ", ["all-secrets", expression_name(s.step, secret.pos)]),
}, level_ids(s, secret)) if {
	secret.name == "*"
}

# expression_name(step, pos) names the secrets context read at pos: `toJSON(secrets)`,
# `secrets[…]`, or the secret's path.
expression_name(step, pos) := e.expr if {
	some e in expressions_at(step, pos)
} else := "secrets"

expressions_at(step, pos) := [i |
	some text in array.concat(array.concat([v.value | some v in step.effective_env], [v.value | some v in step.with]), [object.get(step, "run", {"script": {"interpolations": []}}).script])
	some i in text.interpolations
	some c in object.get(i, "contexts", [])
	c.pos == pos
]

# level_ids and level_text place a scoped secret at the level that defines it: the
# workflow's env (no job), the job's env (the job) or the step itself.
level_ids(s, secret) := {} if secret.source == "pipeline-env"

else := {"job": s.job.id} if secret.source == "job-env"

else := {"job": s.job.id, "step": s.label}

level_text(s, secret) := "" if secret.source == "pipeline-env"

else := sprintf(" in job `%s`", [s.job.id])

# ---------------------------------------------------------------------------------
# Debug logging switched on

deny contains finding if {
	debug := masking.tables.debug_variables[input.platform]
	some v in input.env
	spec := debug[v.name]
	finding := debug_finding(v, spec, {}, "")
}

deny contains finding if {
	debug := masking.tables.debug_variables[input.platform]
	some job in input.jobs
	some v in job.env
	spec := debug[v.name]
	finding := debug_finding(v, spec, {"job": job.id}, sprintf(" in job `%s`", [job.id]))
}

deny contains finding if {
	debug := masking.tables.debug_variables[input.platform]
	some s in lib.steps
	some v in s.step.env
	spec := debug[v.name]
	finding := debug_finding(v, spec, {"job": s.job.id, "step": s.label}, sprintf(" in step `%s` of job `%s`", [s.label, s.job.id]))
}

debug_finding(v, spec, ids, where) := object.union({
	"msg": sprintf("`%s: %s` turns on %s%s: secrets and values derived from them reach the job log", [v.name, v.value.value, spec.what, where]),
	"pos": v.pos,
	"severity": spec.severity,
	"evidence": concat(" ", ["debug", v.name]),
}, ids) if {
	lower(trim(trim_space(v.value.value), `"'`)) == "true"
}

# ---------------------------------------------------------------------------------
# GitLab: credentials defined in the file, secrets given as values

# A credential-named variable built from other values in the file. (One holding a
# literal credential is a hardcoded-token finding, whose GitLab message says that it is
# never masked.)
deny contains finding if {
	input.platform == "gitlab"
	some v in input.env
	v.credential
	finding := composed_variable(v)
}

# A job variable shared through extends is in every job that extends it; its finding
# names no job, so it is reported once.
deny contains finding if {
	input.platform == "gitlab"
	some job in input.jobs
	some v in job.env
	v.credential
	finding := composed_variable(v)
}

composed_variable(v) := {
	"msg": sprintf("credential variable `%s` is built from other values in the pipeline file: GitLab masks only variables stored in project or group settings with Masked on, never a value composed in .gitlab-ci.yml, so only the parts that are masked variables themselves stay hidden", [v.name]),
	"pos": v.pos,
	"severity": "medium",
	"confidence": "medium",
	"evidence": concat(" ", ["gitlab-composed", v.name]),
} if {
	not v.secret_ref
	not v.value.literal
	trim_space(v.value.value) != ""
}

deny contains finding if {
	input.platform == "gitlab"
	some job in input.jobs
	some c in job.credentials
	c.kind == "gitlab-secret"
	at := c.not_file
	finding := {
		"msg": sprintf("secret `%s` is given to the job as its value (`file: false`) instead of a file: a command that prints the variable prints the secret itself, not a file path", [c.id]),
		"pos": at,
		"severity": "low",
		"persona": "pedantic",
		"evidence": concat(" ", ["gitlab-secret-value", c.id]),
	}
}

# ---------------------------------------------------------------------------------
# Jenkins: credentials interpolated by Groovy

# jenkins_steps are the steps of a Jenkinsfile that receive Groovy strings and have a
# credential in scope, as {job, step, label}.
jenkins_steps := [s | some s in secret_steps; s.step.name in groovy_steps]

groovy_steps := {n | some n in masking.tables.groovy_steps}

deny contains finding if {
	input.platform == "jenkins"
	some s in jenkins_steps
	credentials := jenkins_credentials(s.job, s.step)
	some text in groovy_texts(s.step)
	some i in text.interpolations
	i.kind == "groovy"
	some c in object.get(i, "contexts", [])
	name := trim_prefix(c.path, "env.")
	cred := credentials[name]
	finding := result(s, sprintf("Groovy interpolates credential `%s` (`%s`) into the `%s` step's %s in job `%s` before the step runs: the secret is in the step's arguments, where Jenkins can only warn, not mask", [
		cred.name,
		name,
		s.step.name,
		groovy_what(s.step),
		s.job.id,
	]), i.pos, "high", concat(" ", ["groovy", cred.name, name]))
}

# jenkins_credentials(job, step) maps each variable that a Jenkins credential binding
# sets for the step to its secret (model ScopedSecret), the first one when several bind
# it; a binding's user name is no secret.
jenkins_credentials(job, step) := {v: [c | some c in bound; c.var == v][0] |
	bound := [c |
		some c in step.secrets_in_scope
		c.kind == "jenkins-credential"
		c.var != ""
		not masking.binding_lists(job, step, c, "usernames")
	]
	some b in bound
	v := b.var
}

# groovy_texts(step) are the Groovy strings a step receives: its script, or its
# arguments.
groovy_texts(step) := [step.run.script] if step.run

else := [v.value | some v in step.with]

groovy_what(step) := "script" if step.run

else := "arguments"

deny contains finding if {
	input.platform == "jenkins"
	some s in jenkins_steps
	s.step.name == "writeFile"
	credentials := jenkins_credentials(s.job, s.step)
	file := [v | some v in s.step.with; v.name == "file"][0]
	some text in [v.value | some v in s.step.with; v.name == "text"]
	some name in written_variables(text)
	cred := credentials[name]
	target := masking.file_target(file.value)
	a := masking.uploaded_by(s.job, target)
	finding := result(s, sprintf("`writeFile` writes credential `%s` (`%s`) to `%s`, which job `%s` %s", [
		cred.name,
		cred.var,
		target,
		s.job.id,
		artifact_use(a),
	]), file.value.pos, "high", concat(" ", ["artifact", cred.name, target]))
}

# written_variables(text) are the variables whose values a `writeFile` text holds: those
# a Groovy string interpolates (`"${TOKEN}"`), or the one variable the text is
# (`text: TOKEN`, `text: env.TOKEN`).
written_variables(text) := [trim_prefix(c.path, "env.") |
	some i in text.interpolations
	some c in object.get(i, "contexts", [])
] if {
	count(text.interpolations) > 0
} else := [trim_prefix(text.value, "env.")] if {
	not text.literal
	regex.match(`^(env\.)?[A-Za-z_][A-Za-z0-9_]*$`, text.value)
}

# ---------------------------------------------------------------------------------
# Helpers

result(s, msg, pos, severity, evidence) := {
	"msg": msg,
	"pos": pos,
	"severity": severity,
	"job": s.job.id,
	"step": s.label,
	"evidence": evidence,
}

kind_words := {
	"github-secret": "secret",
	"jenkins-credential": "credential",
	"gitlab-variable": "CI/CD variable",
	"circleci-context": "context",
	"variable": "credential variable",
	"vault": "secret",
	"oidc": "ID token",
}

# secret_text(o) names the secret a value comes from and the variable it went through.
secret_text(o) := "every secret of the repository" if o.all

else := sprintf("%s `%s`%s", [object.get(kind_words, o.kind, "secret"), o.secret, through_text(o)])

through_text(o) := sprintf(" (in `$%s`)", [o.ref.name]) if {
	o.ref.kind == "shell"
	o.ref.name != o.secret
} else := ""

# scoped_text(s) names a secret in scope (model ScopedSecret).
scoped_text(s) := sprintf("%s `%s`%s", [object.get(kind_words, s.kind, "secret"), s.name, scoped_var(s)])

scoped_var(s) := sprintf(" (in `$%s`)", [s.var]) if {
	object.get(s, "var", "") != ""
	s.var != s.name
} else := ""

upper_first(text) := concat("", [upper(substring(text, 0, 1)), substring(text, 1, -1)])
