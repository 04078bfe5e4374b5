# METADATA
# title: Credential without a finite, tracked lifetime
# description: >-
#   A pipeline file never shows when the token behind `secrets.CODEX_ACCESS_TOKEN`
#   expires, who owns it or when it is due for rotation. pipeguard keeps that knowledge in
#   a credential inventory next to the code (`.pipeguard/credentials.yml`, metadata only,
#   never values) and checks both against each other: every referenced credential needs
#   an entry; every entry needs an owner that is a team or workflow, a finite expiry or a
#   rotation period, and a pipeline that still uses it. In pipelines it reports tokens
#   minted without an expiry and GitLab's deprecated long-lived CI_JOB_JWT.
# custom:
#   id: credential-expiry
#   severity: medium
#   confidence: high
#   category: missing expiration
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-324
#   help: >-
#     List every credential the pipelines reference in `.pipeguard/credentials.yml`
#     (`pipeguard credentials --init` writes a skeleton; docs/credentials.md describes the
#     format) with its owner (a team or workflow, not a person), `created`, `expires` (a
#     date; `never` only with `rotation_days`) and `rotation_days`, and keep it current:
#     rotate before `expires` and every `rotation_days`, and revoke what no pipeline uses.
#     Mint tokens with an expiry: GitLab API `expires_at`, `glab token create --duration`
#     or `--expires-at`, `glab deploy-token create --expires-at`. Let
#     actions/create-github-app-token revoke its token (drop `skip-token-revoke`). On
#     GitLab replace CI_JOB_JWT/CI_JOB_JWT_V2 with `id_tokens:`. Run `pipeguard
#     credentials` monthly for the audit.
package pipeguard.rules.credential_expiry

import rego.v1

import data.pipeguard.lib
import data.pipeguard.lib.credentials

# A referenced secret the repository's inventory does not list.
deny contains finding if {
	input.inventory
	some ref in credentials.first_references(missing)
	finding := {
		"msg": sprintf("%s is not in the credential inventory %s: add it with its owner, expiry and rotation", [ref.name, input.inventory.file]),
		"pos": ref.pos,
		"severity": "medium",
		"job": ref.job,
		"evidence": ref.name,
	}
}

# Without an inventory, agent and personal tokens have no recorded expiry anywhere.
deny contains finding if {
	not input.inventory
	some ref in credentials.first_references(untracked_tokens)
	what := token_kind(ref)
	finding := {
		"msg": sprintf("%s is %s with no recorded expiry: list it in a credential inventory (.pipeguard/credentials.yml) with its owner, expiry and rotation", [ref.name, what]),
		"pos": ref.pos,
		"severity": "low",
		"persona": "pedantic",
		"job": ref.job,
		"evidence": ref.name,
	}
}

# missing are the references the inventory does not account for.
missing := [ref |
	names := credentials.inventory_names
	some ref in credentials.references
	not credentials.covered(ref, names)
]

# untracked_tokens are the references to agent and personal tokens.
untracked_tokens := [ref |
	some ref in credentials.references
	token_kind(ref)
]

token_kind(ref) := "an AI agent credential" if ref.agent

else := "a personal token" if credentials.personal_token(ref.name)

# http_client_commands are the commands (lib.commands entries) of the HTTP clients that
# can mint a token through the GitLab API (curl, wget, glab, httpie), looked up by
# program (lib.programs).
http_client_commands := [c |
	count(http_client_programs) > 0
	some c in lib.commands
	http_client_programs[c.cmd.program]
]

http_client_programs := lib.programs_in(credentials.tables.http_clients)

# commands_with(needle) lists, as {job, label, cmd}, the commands of the steps whose
# script contains needle: a cheap test that spares the walk of every command of the file.
commands_with(needle) := [{"job": job, "label": step.label, "cmd": cmd} |
	some job in input.jobs
	some step in job.steps
	contains(step.run.script.value, needle)
	some cmd in step.run.commands
]

# A token minted through the GitLab API without expires_at.
deny contains finding if {
	some c in http_client_commands
	client := credentials.tables.http_clients[c.cmd.program]
	client_subcommand(client, c.cmd.argv)
	some w in c.cmd.argv
	contains(w.value, "_tokens")
	some endpoint in credentials.tables.token_endpoints
	regex.match(endpoint.pattern, w.value)
	posts(client, c.cmd.argv)
	not mentions_expiry(c.cmd)
	not body_unknown(client, c.cmd.argv)
	finding := {
		"msg": sprintf("%s requests %s from the GitLab API without %s: %s; set %s", [c.cmd.program, endpoint.what, credentials.tables.expiry_field, endpoint.why, credentials.tables.expiry_field]),
		"pos": w.pos,
		"severity": endpoint.severity,
		"job": c.job.id,
		"step": c.label,
		"evidence": concat(" ", [c.cmd.program, endpoint.what]),
	}
}

# `glab token create` without --duration/--expires-at, `glab deploy-token create`
# without --expires-at.
deny contains finding if {
	some c in http_client_commands
	c.cmd.program == "glab"
	some spec in credentials.tables.glab_token_commands
	[w.value | some w in array.slice(c.cmd.argv, 1, count(spec.args) + 1)] == spec.args
	not has_flag(c.cmd.argv, spec.expiry_flags)
	finding := {
		"msg": sprintf("glab %s makes %s without an expiry: %s; pass %s", [concat(" ", spec.args), spec.what, spec.why, concat(" or ", [f | some f in spec.expiry_flags; startswith(f, "--")])]),
		"pos": c.cmd.argv[0].pos,
		"severity": spec.severity,
		"job": c.job.id,
		"step": c.label,
		"evidence": concat(" ", spec.args),
	}
}

# app_token_repos are the repository names of the token actions, a cheap test of each
# step before the lookup by owner/repo.
app_token_repos := {lower(split(key, "/")[1]) | some key, _ in credentials.tables.app_token_actions}

# actions/create-github-app-token told not to revoke its token at the end of the job.
deny contains finding if {
	some s in lib.steps
	app_token_repos[lower(s.step.uses.repo)]
	job := s.job
	step := s.step
	u := step.uses
	input_name := credentials.tables.app_token_actions[lower(concat("/", [u.owner, u.repo]))]
	some w in step.with
	w.name == input_name
	lower(trim_space(w.value.value)) == "true"
	finding := {
		"msg": sprintf("%s/%s with %s: true leaves the installation token valid for up to an hour after the job: let the action revoke it", [u.owner, u.repo, input_name]),
		"pos": w.value.pos,
		"severity": "medium",
		"job": job.id,
		"step": step.label,
		"evidence": input_name,
	}
}

# GitLab's deprecated long-lived job JWTs, read by a script.
deny contains finding if {
	input.platform == "gitlab"
	some c in commands_with("CI_JOB_JWT")
	some w in c.cmd.argv
	some r in w.refs
	r.kind == "shell"
	instead := credentials.tables.deprecated_variables[r.name]
	finding := jwt_finding(r.name, instead, r.pos, c.job.id)
}

# … or by a variable of the pipeline or the job.
deny contains finding if {
	input.platform == "gitlab"
	some job in input.jobs
	some v in array.concat(input.env, job.env)
	contains(v.value.value, "CI_JOB_JWT")
	some name, instead in credentials.tables.deprecated_variables
	regex.match(sprintf(`\$\{?%s\b`, [name]), v.value.value)
	finding := jwt_finding(name, instead, v.value.pos, job.id)
}

jwt_finding(name, instead, pos, job) := {
	"msg": sprintf("%s is deprecated and long-lived (removed in GitLab 17.0): use %s", [name, instead]),
	"pos": pos,
	"severity": "medium",
	"job": job,
	"evidence": name,
}

client_subcommand(client, _) if not client.subcommand

client_subcommand(client, argv) if argv[1].value == client.subcommand

# posts is true when the command sends a POST: an explicit method, or a body without
# another method.
posts(client, argv) if {
	some i, w in argv
	w.value in {f | some f in object.get(client, "method_flags", [])}
	upper(argv[i + 1].value) == "POST"
}

posts(client, argv) if {
	some w in argv
	some f in object.get(client, "method_flags", [])
	upper(trim_prefix(trim_prefix(w.value, f), "=")) == "POST"
	startswith(w.value, f)
}

posts(client, argv) if {
	some w in argv
	w.value in {m | some m in object.get(client, "method_words", [])}
}

posts(client, argv) if {
	has_flag(argv, client.body_flags)
	not has_flag(argv, object.get(client, "method_flags", []))
}

has_flag(argv, flags) if {
	some w in argv
	some f in flags
	flag_word(w.value, f)
}

flag_word(value, f) if value == f

flag_word(value, f) if startswith(value, concat("", [f, "="]))

mentions_expiry(cmd) if {
	some w in cmd.argv
	contains(w.value, credentials.tables.expiry_field)
}

mentions_expiry(cmd) if contains(cmd.stdin.value, credentials.tables.expiry_field)

# body_unknown is true when the request body is only known at run time (a file, a
# variable): it may well set the expiry.
body_unknown(client, argv) if {
	some i, w in argv
	w.value in {f | some f in client.body_flags}
	body := argv[i + 1]
	unknown_body(body)
}

body_unknown(client, argv) if {
	some w in argv
	some f in client.body_flags
	startswith(w.value, concat("", [f, "="]))
	unknown_body({"value": substring(w.value, count(f) + 1, -1), "dynamic": w.dynamic})
}

body_unknown(_, argv) if {
	some w in argv
	w.value in {"--post-file", "--body-file", "--input"}
}

unknown_body(word) if word.dynamic

unknown_body(word) if startswith(word.value, "@")

# The inventory's own entries, judged in the repository pass.
inventory := input.repository.inventory

at(pos) := object.union(pos, {"file": inventory.file})

entry_finding(e, msg, pos, severity) := {
	"msg": msg,
	"pos": at(pos),
	"severity": severity,
	"evidence": concat(" ", [e.name, severity]),
}

deny_repository contains finding if {
	some e in inventory.credentials
	not e.expires
	finding := entry_finding(e, sprintf("%s has no expiry in the inventory: set expires to the date it stops working (or never, with rotation_days)", [e.name]), e.pos, "high")
}

deny_repository contains finding if {
	some e in inventory.credentials
	e.expires == "never"
	not e.rotation_days
	finding := entry_finding(e, sprintf("%s never expires and has no rotation_days: set an expiry date or a rotation period", [e.name]), e.expires_pos, "high")
}

deny_repository contains finding if {
	some e in inventory.credentials
	e.days_left < 0
	finding := entry_finding(e, sprintf("%s expired on %s (%d days ago): rotate it and update the inventory", [e.name, e.expires, 0 - e.days_left]), e.expires_pos, "critical")
}

deny_repository contains finding if {
	some e in inventory.credentials
	e.days_left >= 0
	e.days_left <= inventory.warn_days
	finding := entry_finding(e, sprintf("%s expires on %s, %s: rotate it before then", [e.name, e.expires, in_days(e.days_left)]), e.expires_pos, "medium")
}

deny_repository contains finding if {
	some e in inventory.credentials
	e.lifetime_days > inventory.max_lifetime_days
	finding := entry_finding(e, sprintf("%s lives %d days (%s to %s), over the %d-day maximum: issue it with a shorter expiry", [e.name, e.lifetime_days, e.created, e.expires, inventory.max_lifetime_days]), e.expires_pos, "medium")
}

deny_repository contains finding if {
	some e in inventory.credentials
	e.rotation_days_left < 0
	finding := entry_finding(e, sprintf("%s was due for rotation on %s (every %d days from %s): rotate it and update created", [e.name, e.rotation_due, e.rotation_days, e.created]), e.rotation_pos, "medium")
}

deny_repository contains finding if {
	some e in inventory.credentials
	credentials.person_like(e.name)
	finding := entry_finding(e, sprintf("%s is named after a person: name credentials after the workflow that uses them, so that they survive a departure", [e.name]), e.pos, "low")
}

deny_repository contains finding if {
	some e in inventory.credentials
	credentials.person_like(e.owner)
	finding := entry_finding(e, sprintf("%s is owned by %s, who looks like a person: make a team or workflow its owner, so that it is rotated or revoked when people leave", [e.name, e.owner]), e.owner_pos, "low")
}

# An entry that no scanned pipeline references.
deny_repository contains finding if {
	some e in inventory.credentials
	not e.name in referenced
	finding := entry_finding(e, sprintf("%s is in the inventory but no scanned pipeline references it by name: if nothing else uses it, revoke it and remove its entry", [e.name]), e.pos, "low")
}

referenced contains s.inventory_names[0] if {
	some f in input.repository.files
	some s in f.secrets
	count(object.get(s, "inventory_names", [])) > 0
}

in_days(0) := "today"

in_days(1) := "tomorrow"

in_days(n) := sprintf("in %d days", [n]) if n > 1
