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

import data.pipeguard.lib.agents

# A command line that runs an agent with a dangerous flag or environment setting.
deny contains finding if {
	some job in input.jobs
	some i, step in job.steps
	some cmd in step.run.commands
	cli := agents.cli_of(cmd)
	agents.is_run(cmd, cli)
	env := array.concat(array.concat(array.concat(input.env, job.env), step.env), cmd.env_prefix)
	dangers := agents.dangers(cmd, cli, env) | agents.env_dangers(cmd.env_prefix, cli)
	some d in dangers
	finding := result(job, step_label(step, i), cli, d.flag, d.pos)
}

# Environment set on the step, job or pipeline that turns approvals off for the agent.
deny contains finding if {
	some job in input.jobs
	some i, step in job.steps
	some cmd in step.run.commands
	cli := agents.cli_of(cmd)
	agents.is_run(cmd, cli)
	count(agents.dangers(cmd, cli, []) | agents.env_dangers(cmd.env_prefix, cli)) == 0
	some d in agents.env_dangers(array.concat(array.concat(input.env, job.env), step.env), cli)
	finding := result(job, step_label(step, i), cli, d.flag, d.pos)
}

# Agents whose default mode runs tools without asking (Goose without GOOSE_MODE).
deny contains finding if {
	some job in input.jobs
	some i, step in job.steps
	some cmd in step.run.commands
	cli := agents.cli_of(cmd)
	agents.is_run(cmd, cli)
	env := array.concat(array.concat(array.concat(input.env, job.env), step.env), cmd.env_prefix)
	agents.unsafe_by_default(env, cli)
	count(agents.env_dangers(env, cli)) == 0
	finding := result(job, step_label(step, i), cli, "no approval mode set (defaults to auto)", cmd.argv[0].pos)
}

# An agent action with an input that disables its sandbox.
deny contains finding if {
	some job in input.jobs
	some i, step in job.steps
	action := agents.action_of(step)
	some input_var in step.with
	unsafe := object.get(object.get(action, "inputs", {}), input_var.name, [])
	lower(trim_space(input_var.value.value)) in {v | some v in unsafe}
	flag := sprintf("%s: %s", [input_var.name, input_var.value.value])
	finding := result(job, step_label(step, i), action.cli, flag, input_var.value.pos)
}

# An agent action whose extra CLI arguments disable the sandbox.
deny contains finding if {
	some job in input.jobs
	some i, step in job.steps
	action := agents.action_of(step)
	some input_var in step.with
	input_var.name in {n | some n in object.get(action, "args_inputs", [])}
	words := agents.args_words(input_var.value)
	some d in agents.flag_dangers(words, agents.clis[action.cli], false)
	finding := result(job, step_label(step, i), action.cli, d.flag, input_var.value.pos)
}

# An agent action that always runs without a sandbox.
deny contains finding if {
	some job in input.jobs
	some i, step in job.steps
	action := agents.action_of(step)
	what := action.always_unsandboxed
	finding := result(job, step_label(step, i), action.cli, what, step.uses.pos)
}

result(job, step, cli, flag, pos) := {
	"msg": sprintf("%s runs with its sandbox or approvals off (%s) on %s", [agents.clis[cli].title, flag, isolation_text(job.runner)]),
	"pos": pos,
	"severity": severity[job.runner.isolation],
	"persona": persona[job.runner.isolation],
	"job": job.id,
	"step": step,
	"evidence": concat(" ", [cli, flag]),
}

severity := {"none": "critical", "unknown": "critical", "ephemeral-vm": "high", "isolated": "info"}

persona := {"none": "regular", "unknown": "regular", "ephemeral-vm": "regular", "isolated": "pedantic"}

isolation_text(runner) := "a runner that is not isolated" if runner.isolation == "none"

else := "a runner whose isolation is unknown" if runner.isolation == "unknown"

else := "a fresh VM (secrets and the repository are still exposed)" if runner.isolation == "ephemeral-vm"

else := "an isolated container"

# step_label names a step as model.StepLabel does: its id, its name, or "#index".
step_label(step, _) := step.id if object.get(step, "id", "") != ""

else := step.name if object.get(step, "name", "") != ""

step_label(step, i) := sprintf("#%d", [i + 1]) if {
	object.get(step, "id", "") == ""
	object.get(step, "name", "") == ""
}
