package pipeguard.lib_test

import rego.v1

import data.pipeguard.lib

pos := {"line": 1, "col": 1, "end_line": 1, "end_col": 2}

word(v) := {"value": v, "dynamic": false, "pos": pos}

var(name, value) := {"name": name, "pos": pos, "value": {"value": value, "pos": pos, "literal": true, "interpolations": [], "literal_secrets": []}, "credential": false}

step(label, env, cmds) := {
	"kind": "run", "label": label, "pos": pos, "env": [], "effective_env": env,
	"secrets_in_scope": [], "credentials": [], "with": [], "checkouts": [], "always": false, "via": [],
	"run": {"shell": "bash", "script": {"value": "", "pos": pos, "literal": true, "interpolations": [], "literal_secrets": []}, "commands": cmds},
}

cmd(words) := {"argv": [word(w) | some w in words], "program": words[0], "env_prefix": [], "pos": pos}

job(id, steps, triggers) := {"id": id, "pos": pos, "steps": steps, "triggers": triggers, "guards": [], "secrets_inherit": false}

pipeline := {"platform": "github", "triggers": [{"event": "push", "trust": "trusted", "secrets": true, "pos": pos}], "jobs": [
	job("a", [step("one", [var("GOOSE_MODE", "approve")], [cmd(["codex", "exec", "x"]), cmd(["echo", "hi"])])], []),
	job("b", [step("two", [], [cmd(["codex", "--version"])])], [{"event": "pull_request_target", "trust": "untrusted", "secrets": true, "pos": pos}]),
]}

test_steps_and_commands if {
	[s.label | some s in lib.steps] with input as pipeline == ["one", "two"]
	[[c.job.id, c.cmd.argv[0].value] | some c in lib.commands] with input as pipeline == [["a", "codex"], ["a", "echo"], ["b", "codex"]]
	[lib.env_of(s.step).GOOSE_MODE.value.value | some s in lib.steps] with input as pipeline == ["approve"]
}

test_programs_and_agent_programs if {
	lib.programs with input as pipeline == {"codex", "echo"}
	lib.agent_programs with input as pipeline == {"codex": "codex"}
	lib.programs_in({"echo": true, "curl": true}) with input as pipeline == {"echo"}
}

test_no_agent_commands_without_agent_programs if {
	no_agent := json.patch(pipeline, [{"op": "replace", "path": "/jobs/0/steps/0/run/commands", "value": [cmd(["echo", "hi"])]}, {"op": "remove", "path": "/jobs/1"}])
	lib.agent_commands with input as no_agent == []
}

test_agent_commands_include_non_runs if {
	[[c.job.id, c.cmd.argv[1].value] | some c in lib.agent_commands] with input as pipeline == [["a", "exec"], ["b", "--version"]]
}

test_agent_runs_skip_non_runs if {
	runs := lib.agent_runs with input as pipeline
	[[r.job.id, r.cli] | some r in runs] == [["a", "codex"]]
}

test_untrusted_triggers_fall_back_to_the_pipeline if {
	[t.event | some t in lib.untrusted_triggers(pipeline.jobs[1])] with input as pipeline == ["pull_request_target"]
	count(lib.untrusted_triggers(pipeline.jobs[0])) == 0 with input as pipeline
}

test_secrets_in_scope_leave_out_platform_tokens if {
	s := object.union(step("x", [], []), {"secrets_in_scope": [
		{"name": "NPM_TOKEN", "kind": "github-secret", "source": "step-env", "pos": pos},
		{"name": "GITHUB_TOKEN", "kind": "github-secret", "source": "step-env", "platform_token": true, "pos": pos},
	]})
	[x.name | some x in lib.secrets_in_scope(job("j", [s], []), s)] == ["NPM_TOKEN"]
}

test_secrets_inherit_puts_every_secret_in_scope if {
	j := object.union(job("call", [], []), {"secrets_inherit": true, "uses": {"ref": "o/r/.github/workflows/w.yml@main", "ref_kind": "branch", "pos": pos}})
	[x.name | some x in lib.secrets_in_scope(j, {})] == ["*"]
}

test_guarded if {
	lib.guarded(object.union(job("j", [], []), {"guards": [{"kind": "same-repo", "detail": "x", "pos": pos}]}), {"same-repo", "actor"})
	not lib.guarded(job("j", [], []), {"same-repo"})
}
