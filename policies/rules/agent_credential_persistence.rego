# METADATA
# title: Agent login or transcript that outlives the job
# description: >-
#   An AI coding agent logs in with a stored credential (`codex login --with-access-token`,
#   `copilot login`, `claude setup-token`, …), which writes it to the runner user's home
#   (`~/.codex/auth.json`): on a runner that is not isolated every later job, and anyone
#   who reaches the host, can read it. A credential written on the command line is visible
#   in the process list and in the script the CI system writes to disk. `codex exec`
#   without `--ephemeral` and `claude -p` without `--no-session-persistence` keep session
#   transcripts, with whatever the agent read, on the runner.
# custom:
#   id: agent-credential-persistence
#   severity: high
#   confidence: high
#   category: missing expiration
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-522
#   help: >-
#     Give the agent its credential through the step's environment instead of logging in:
#     GitHub `env: CODEX_ACCESS_TOKEN: ${{ secrets.CODEX_ACCESS_TOKEN }}`, a masked and
#     protected GitLab variable, a CircleCI context, Jenkins `withCredentials` — and run
#     `codex exec --ephemeral` (Claude Code: `claude -p --no-session-persistence`). If a
#     login is unavoidable, point CODEX_HOME at a temporary directory for the step
#     (`${{ runner.temp }}/codex`) or run `codex logout` in a later step that always runs
#     (`if: always()`, GitLab `after_script`, Jenkins `post { always { … } }`), and only on
#     a fresh VM or container. Never paste a secret into the command line.
package pipeguard.rules.agent_credential_persistence

import rego.v1

import data.pipeguard.lib
import data.pipeguard.lib.agents

unisolated := {"none", "unknown"}

# agent_commands are lib.agent_commands with the CLI's table entry (spec).
agent_commands := [object.union(c, {"spec": agents.clis[c.cli]}) | some c in lib.agent_commands]

# logins are the agent commands that log in with a stored credential.
logins := [c |
	some c in agent_commands
	login := c.spec.login
	c.cmd.argv[1].value == login.subcommand
	with_credential(c.cmd.argv, login)
]

with_credential(_, login) if not login.flags

with_credential(argv, login) if {
	some w in argv
	some f in login.flags
	flag_word(w.value, f)
}

# A login on a runner that is not isolated: the credential stays for later jobs.
deny contains finding if {
	some c in logins
	c.job.runner.isolation in unisolated
	finding := {
		"msg": sprintf("%s leaves its credential behind (%s) on %s, where later jobs can read it: give the agent the credential through the step's environment instead", [login_text(c), c.spec.login.stores, isolation_text(c.job.runner.isolation)]),
		"pos": c.cmd.argv[0].pos,
		"severity": "high",
		"job": c.job.id,
		"step": c.label,
		"evidence": login_text(c),
	}
}

# A login on a fresh VM that nothing undoes: the credential stays until the VM goes.
deny contains finding if {
	some c in logins
	c.job.runner.isolation == "ephemeral-vm"
	not temporary_home(c)
	not logged_out_later(c)
	finding := {
		"msg": sprintf("%s leaves its credential behind (%s) for the rest of the job, where every later step can read it: %s", [login_text(c), c.spec.login.stores, cleanup_advice(c.cli, c.spec)]),
		"pos": c.cmd.argv[0].pos,
		"severity": "medium",
		"job": c.job.id,
		"step": c.label,
		"evidence": login_text(c),
	}
}

login_text(c) := concat(" ", [c.cli, c.spec.login.subcommand])

cleanup_advice(cli, spec) := sprintf("set %s to a temporary directory for the step or run `%s %s` in a later step that always runs", [spec.home_env, cli, spec.logout]) if {
	spec.home_env
	spec.logout
} else := sprintf("set %s to a temporary directory for the step", [spec.home_env]) if {
	spec.home_env
} else := sprintf("run `%s %s` in a later step that always runs", [cli, spec.logout]) if {
	spec.logout
} else := "give the agent the credential through the step's environment instead"

# temporary_home(c) is true when the step points the agent's home at a place of its own:
# its environment, the command's env prefix or an earlier export in the script.
temporary_home(c) if {
	some v in c.step.effective_env
	v.name == c.spec.home_env
}

temporary_home(c) if {
	some v in c.cmd.env_prefix
	v.name == c.spec.home_env
}

temporary_home(c) if {
	some other in c.step.run.commands
	other.argv[0].value == "export"
	some w in other.argv
	startswith(w.value, concat("", [c.spec.home_env, "="]))
}

# logged_out_later(c) is true when a later step of the job that always runs logs out.
logged_out_later(c) if {
	some i, s in c.job.steps
	s.label == c.label
	some later in array.slice(c.job.steps, i + 1, count(c.job.steps))
	later.always
	some cmd in later.run.commands
	agents.cli_of(cmd) == c.cli
	cmd.argv[1].value == c.spec.logout
}

# A credential flag with its value on an agent's command line.
deny contains finding if {
	some c in agent_commands
	some i, w in c.cmd.argv
	some f in object.get(c.spec, "credential_flags", [])
	flag_word(w.value, f)
	i > 0
	finding := argv_finding(c, sprintf("%s gets a credential on its command line (%s), where the process list and the CI system's script file show it: %s", [c.spec.title, f, argv_advice]), w.pos, f)
}

# A GitHub secret pasted into an agent's command line, or into a command that pipes into
# an agent login.
deny contains finding if {
	some c in agent_commands
	some w in c.cmd.argv
	some r in w.refs
	pasted_secret(r)
	finding := argv_finding(c, sprintf("%s is pasted into %s's command line: the CI system writes it into the script file on the runner; %s", [r.name, c.spec.title, argv_advice]), r.pos, r.name)
}

deny contains finding if {
	some c in logins
	pipe := c.cmd.pipe
	some other in c.step.run.commands
	other.pipe.id == pipe.id
	other.pipe.index < pipe.index
	some w in other.argv
	some r in w.refs
	pasted_secret(r)
	finding := argv_finding(c, sprintf("%s is pasted into the command line that feeds %s: the CI system writes it into the script file on the runner; %s", [r.name, login_text(c), argv_advice]), r.pos, r.name)
}

pasted_secret(r) if {
	r.kind == "github-expression"
	regex.match(`(^|[^A-Za-z0-9_.])secrets\.`, r.name)
}

argv_finding(c, msg, pos, what) := {
	"msg": msg,
	"pos": pos,
	"severity": "high",
	"job": c.job.id,
	"step": c.label,
	"evidence": concat(" ", [c.cli, what]),
}

argv_advice := "put it in the step's environment and let the agent read it from there"

# An agent run that keeps its session transcript on the runner.
deny contains finding if {
	some r in agent_commands
	t := r.spec.transcripts
	agents.is_run(r.cmd, r.cli)
	not has_any_flag(r.cmd.argv, t.safe_flags)
	severity := transcript_severity(t, r.job.runner.isolation)
	finding := {
		"msg": sprintf("%s without %s writes %s to %s: %s", [agents.clis[r.cli].title, concat(" or ", t.safe_flags), t.what, isolation_text(r.job.runner.isolation), transcript_consequence(r.job.runner.isolation)]),
		"pos": r.cmd.argv[0].pos,
		"severity": severity,
		"job": r.job.id,
		"step": r.label,
		"evidence": concat(" ", [r.cli, "transcripts"]),
	}
}

transcript_severity(t, isolation) := "medium" if isolation in unisolated

else := "low" if t.on_every_runner

transcript_consequence(isolation) := "later jobs on this runner can read what the agent saw" if isolation in unisolated

else := "they stay for the rest of the job"

has_any_flag(argv, flags) if {
	some w in argv
	some f in flags
	flag_word(w.value, f)
}

flag_word(value, f) if value == f

flag_word(value, f) if startswith(value, concat("", [f, "="]))

isolation_text("none") := "a runner that is not isolated"

isolation_text("unknown") := "a runner whose isolation is unknown"

isolation_text("ephemeral-vm") := "a fresh VM"

isolation_text("isolated") := "an isolated container"
