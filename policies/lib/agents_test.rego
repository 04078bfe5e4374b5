package pipeguard.lib.agents_test

import rego.v1

import data.pipeguard.lib.agents

word(v) := {"value": v, "pos": {"line": 1, "col": 1, "end_line": 1, "end_col": 2}}

# cmd(words) is a command as the script analysis gives it; Program is its first word (the
# Go side strips paths and versions: internal/script TestCommandProgram).
cmd(words) := {"argv": [word(w) | some w in words], "program": words[0], "env_prefix": [], "piped": false}

test_cli_of_programs_and_packages if {
	agents.cli_of(cmd(["codex", "exec"])) == "codex"
	agents.cli_of(cmd(["@openai/codex", "exec"])) == "codex"
	agents.cli_of(cmd(["claude", "-p", "x"])) == "claude"
	not agents.cli_of(cmd(["echo", "codex"]))
	not agents.cli_of(cmd(["@openai/codex-sdk"]))
}

test_runs_and_non_runs if {
	agents.is_run(cmd(["codex", "exec", "fix"]), "codex")
	agents.is_run(cmd(["codex", "--yolo", "e", "fix"]), "codex")
	agents.is_run(cmd(["claude", "--print", "hi"]), "claude")
	agents.is_run(cmd(["claude", "--print=hi"]), "claude")
	not agents.is_run(cmd(["codex", "--help"]), "codex")
	not agents.is_run(cmd(["codex", "login", "--with-api-key"]), "codex")
	not agents.is_run(cmd(["claude", "--version"]), "claude")
	not agents.is_run(cmd(["gemini", "--yolo"]), "gemini")
	agents.is_run(object.union(cmd(["gemini", "--yolo"]), {"piped": true}), "gemini")
}

test_dangerous_flags if {
	flags(cmd(["codex", "exec", "--sandbox", "danger-full-access"]), "codex") == {"--sandbox danger-full-access"}
	flags(cmd(["codex", "exec", "--sandbox=danger-full-access"]), "codex") == {"--sandbox=danger-full-access"}
	flags(cmd(["codex", "exec", "-c", `sandbox_mode="danger-full-access"`]), "codex") == {`-c sandbox_mode="danger-full-access"`}
	flags(cmd(["codex", "exec", "-c", "default_permissions=':danger-full-access'"]), "codex") == {"-c default_permissions=':danger-full-access'"}
	flags(cmd(["codex", "exec", "--sandbox", "workspace-write"]), "codex") == set()
	flags(cmd(["codex", "exec", "--sandbox", "read-only"]), "codex") == set()
	flags(cmd(["claude", "-p", "x", "--permission-mode", "bypassPermissions"]), "claude") == {"--permission-mode bypassPermissions"}
	flags(cmd(["gemini", "-y", "-p", "x"]), "gemini") == {"-y"}
}

flags(c, cli) := {d.flag | some d in agents.dangers(c, cli)}

test_env_dangers if {
	vars := [{"name": "COPILOT_ALLOW_ALL", "value": {"value": "true"}, "pos": {}}]
	count(agents.env_dangers(vars, "copilot")) == 1
	count(agents.env_dangers(vars, "codex")) == 0
}

test_goose_is_unsafe_without_a_mode if {
	agents.unsafe_by_default([], "goose")
	not agents.unsafe_by_default([{"name": "GOOSE_MODE", "value": {"value": "approve"}}], "goose")
	not agents.unsafe_by_default([], "codex")
}

test_args_words if {
	[w.value | some w in agents.args_words({"value": `["--yolo", "-s", "danger-full-access"]`, "pos": {}})] == ["--yolo", "-s", "danger-full-access"]
	[w.value | some w in agents.args_words({"value": "--model x --dangerously-skip-permissions", "pos": {}})] == ["--model", "x", "--dangerously-skip-permissions"]
}
