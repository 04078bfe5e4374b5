# METADATA
# title: pipeguard views
# description: >-
#   Views of the normalized model that rules share, so that ten rules on four platforms
#   do not repeat the same walk. Each view is computed once per evaluation of a rule.
#   They read the model only (data.pipeguard tables through pipeguard.lib.agents).
package pipeguard.lib

import rego.v1

import data.pipeguard.lib.agents

# steps lists every step of every job as {job, step, label}.
steps := [{"job": job, "step": step, "label": step.label} |
	some job in input.jobs
	some step in job.steps
]

# env_of(step) is the step's effective environment (pipeline, job and step variables,
# the innermost winning) as an object name → Var.
env_of(step) := {v.name: v | some v in step.effective_env}

# commands lists every command of every run step as {job, step, label, cmd}.
commands := [{"job": job, "step": step, "label": step.label, "cmd": cmd} |
	some job in input.jobs
	some step in job.steps
	some cmd in step.run.commands
]

# programs is the set of programs (model Command.program) the file's commands run. A view
# that picks commands by a table of programs looks each program up once, here, and walks
# the commands only when the file runs one of them: most files run no agent CLI, HTTP
# client or package manager, and a table lookup per command costs several times a walk.
programs := {c.cmd.program | some c in commands}

# programs_in(table) is the set of the file's programs that are keys of table.
programs_in(table) := {p | some p in programs; table[p]}

# agent_programs maps each program of the file that starts an agent CLI to that CLI.
agent_programs := {p: cli | some p in programs; cli := agents.cli_by_program[p]}

# agent_commands lists every command that starts an agent CLI, for any purpose
# (running it, logging in, installing, printing its version), as {job, step, label,
# cmd, cli}.
agent_commands := [{"job": c.job, "step": c.step, "label": c.label, "cmd": c.cmd, "cli": cli} |
	count(agent_programs) > 0
	some c in commands
	cli := agent_programs[c.cmd.program]
]

# agent_runs lists every headless AI coding agent run: command lines that run an agent
# CLI ({job, step, label, cmd, cli}) and steps that use an agent action ({job, step,
# label, action, cli}). Installing an agent or printing its help is no run.
agent_runs := array.concat(
	[c | some c in agent_commands; agents.is_run(c.cmd, c.cli)],
	[{"job": s.job, "step": s.step, "label": s.label, "action": action, "cli": action.cli} |
		some s in steps
		lower(s.step.uses.owner) in agents.action_owners
		action := agents.action_of(s.step)
	],
)

# secrets_in_scope(job, step) lists the secrets a step can read (model ScopedSecret),
# leaving out the platform's own short-lived job token (GITHUB_TOKEN, CI_JOB_TOKEN).
# A GitHub job that passes `secrets: inherit` to a reusable workflow has every secret
# in scope: it gives one entry named "*".
secrets_in_scope(job, step) := [{"name": "*", "kind": "github-secret", "source": "with", "pos": job.uses.pos}] if {
	job.secrets_inherit
} else := [s | some s in step.secrets_in_scope; not object.get(s, "platform_token", false)]

# triggers(job) are the events that start the job: its own (GitLab rules, Jenkins when,
# CircleCI workflow entries) or, when it has none, the pipeline's.
triggers(job) := job.triggers if count(job.triggers) > 0

else := input.triggers

# untrusted_triggers(job) are the job's triggers that text or code from a fork or an
# outsider can reach.
untrusted_triggers(job) := [t | some t in triggers(job); t.trust == "untrusted"]

# guarded(job, kinds) is true when the job has a guard of one of kinds (model Guard).
guarded(job, kinds) if {
	some g in job.guards
	g.kind in kinds
}
