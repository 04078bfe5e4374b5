# METADATA
# title: AI agent run with its sandbox or approvals turned off
# description: >-
#   An AI coding agent runs headless with its sandbox or its approval prompts disabled
#   (`--sandbox danger-full-access`, `--yolo`, `--dangerously-skip-permissions`, …). Any
#   text the agent reads (issues, pull requests, files, web pages) can then make it run
#   arbitrary commands with the job's credentials. On a runner that is not isolated the
#   damage outlives the job: other jobs, caches and the host itself are exposed.
# custom:
#   id: agent-sandbox-bypass
#   severity: critical
#   confidence: high
#   category: agent isolation
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-250
#   help: >-
#     Keep the agent's sandbox on (`codex exec --sandbox workspace-write`, Claude Code
#     with an allow-list of tools instead of `--dangerously-skip-permissions`, Gemini
#     without `--yolo`). If the agent truly needs full access, run the job in a throwaway
#     container or VM (GitHub `container:`, CircleCI `docker:`, Jenkins
#     `agent { docker … }`) without privileged mode, host networking or the Docker socket,
#     and give it no long-lived credentials.
package pipeguard.rules.agent_sandbox_bypass

import rego.v1

import data.pipeguard.lib
import data.pipeguard.lib.agents

# command_runs are the agent runs that are command lines (not action steps).
command_runs := [r | some r in lib.agent_runs; r.cmd]

# command_dangers(r) are the dangerous flags and env prefixes on the command line itself.
command_dangers(r) := agents.dangers(r.cmd, r.cli) | agents.env_dangers(r.cmd.env_prefix, r.cli)

# run_env(r) is the environment the agent sees: the step's effective environment with the
# command's env prefixes over it, as a list of Vars.
run_env(r) := [v | some v in object.union(lib.env_of(r.step), {p.name: p | some p in r.cmd.env_prefix})]

# A command line that runs an agent with a dangerous flag or environment prefix.
deny contains finding if {
	some r in command_runs
	some d in command_dangers(r)
	finding := result(r, d.flag, d.pos)
}

# The environment of the step (the innermost definition of each variable, from the
# pipeline, the job, the step) turns approvals off for the agent.
deny contains finding if {
	some r in command_runs
	count(command_dangers(r)) == 0
	some d in agents.env_dangers(run_env(r), r.cli)
	finding := result(r, d.flag, d.pos)
}

# Agents whose default mode runs tools without asking (Goose without GOOSE_MODE).
deny contains finding if {
	some r in command_runs
	env := run_env(r)
	agents.unsafe_by_default(env, r.cli)
	count(agents.env_dangers(env, r.cli)) == 0
	finding := result(r, "no approval mode set (defaults to auto)", r.cmd.argv[0].pos)
}

# An agent action with an input that disables its sandbox.
deny contains finding if {
	some r in lib.agent_runs
	some input_var in r.step.with
	unsafe := object.get(object.get(r.action, "inputs", {}), input_var.name, [])
	lower(trim_space(input_var.value.value)) in {v | some v in unsafe}
	finding := result(r, sprintf("%s: %s", [input_var.name, input_var.value.value]), input_var.value.pos)
}

# An agent action whose extra CLI arguments disable the sandbox.
deny contains finding if {
	some r in lib.agent_runs
	some input_var in r.step.with
	input_var.name in {n | some n in object.get(r.action, "args_inputs", [])}
	words := agents.args_words(input_var.value)
	some d in agents.flag_dangers(words, agents.clis[r.cli])
	finding := result(r, d.flag, input_var.value.pos)
}

# An agent action that always runs without a sandbox.
deny contains finding if {
	some r in lib.agent_runs
	what := r.action.always_unsandboxed
	finding := result(r, what, r.step.uses.pos)
}

result(r, flag, pos) := {
	"msg": sprintf("%s runs with its sandbox or approvals off (%s) on %s", [agents.clis[r.cli].title, flag, isolation_text(r.job.runner)]),
	"pos": pos,
	"severity": severity[r.job.runner.isolation],
	"persona": persona[r.job.runner.isolation],
	"job": r.job.id,
	"step": r.label,
	"evidence": concat(" ", [r.cli, flag]),
}

severity := {"none": "critical", "unknown": "critical", "ephemeral-vm": "high", "isolated": "info"}

persona := {"none": "regular", "unknown": "regular", "ephemeral-vm": "regular", "isolated": "pedantic"}

isolation_text(runner) := "a runner that is not isolated" if runner.isolation == "none"

else := "a runner whose isolation is unknown" if runner.isolation == "unknown"

else := "a fresh VM (secrets and the repository are still exposed)" if runner.isolation == "ephemeral-vm"

else := "an isolated container"
