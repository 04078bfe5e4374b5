package pipeguard.lib.pins_test

import rego.v1

import data.pipeguard.lib.pins

word(v) := {"value": v, "dynamic": contains(v, "$"), "pos": {"line": 1, "col": 1, "end_line": 1, "end_col": 2}}

cmd(words) := {"argv": [word(w) | some w in words], "program": words[0], "env_prefix": []}

wrapped(words, wrappers) := object.union(cmd(words), {"wrapped_by": wrappers})

# specs(list) is the package specs a helper found, as written.
specs(list) := [concat("@", array.concat([p.spec.name], versions(p.spec))) | some p in list]

versions(spec) := [] if spec.version == ""

else := [spec.version]

test_exact_versions if {
	pins.exact("0.130.0")
	pins.exact("v1.2.3")
	pins.exact("=1.2.3")
	pins.exact("1.0.0-alpha.1+build.5")
	not pins.exact("")
	not pins.exact("latest")
	not pins.exact("next")
	not pins.exact("^1.2.3")
	not pins.exact("~1.2.3")
	not pins.exact("1")
	not pins.exact("1.2")
	not pins.exact("1.x")
	not pins.exact(">=1.2.3")
	not pins.exact("1.2.3 || 2.0.0")
}

test_npm_specs if {
	pins.npm_spec("@openai/codex@0.130.0") == {"name": "@openai/codex", "version": "0.130.0"}
	pins.npm_spec("@openai/codex") == {"name": "@openai/codex", "version": ""}
	pins.npm_spec("opencode-ai@latest") == {"name": "opencode-ai", "version": "latest"}
	pins.npm_spec("opencode-ai") == {"name": "opencode-ai", "version": ""}
	pins.npm_spec("@scope") == {"name": "@scope", "version": ""}
}

test_installed_packages if {
	specs(pins.installed_packages(cmd(["npm", "i", "-g", "@openai/codex"]))) == ["@openai/codex"]
	specs(pins.installed_packages(cmd(["npm", "install", "--global", "@anthropic-ai/claude-code@latest", "typescript"]))) == ["@anthropic-ai/claude-code@latest"]
	specs(pins.installed_packages(cmd(["npm", "--prefix", "/opt", "install", "-g", "@google/gemini-cli@^0.1.0"]))) == ["@google/gemini-cli@^0.1.0"]
	specs(pins.installed_packages(cmd(["pnpm", "add", "-g", "@github/copilot@~0.0.3"]))) == ["@github/copilot@~0.0.3"]
	specs(pins.installed_packages(cmd(["yarn", "global", "add", "opencode-ai@1"]))) == ["opencode-ai@1"]
	specs(pins.installed_packages(cmd(["bun", "add", "-g", "@openai/codex@next"]))) == ["@openai/codex@next"]
	specs(pins.installed_packages(cmd(["npm", "update", "-g", "@openai/codex"]))) == ["@openai/codex"]
}

test_installs_that_are_pinned_or_not_agents if {
	pins.installed_packages(cmd(["npm", "install", "-g", "@openai/codex@0.130.0"])) == []
	pins.installed_packages(cmd(["npm", "install", "-g", "typescript"])) == []
	pins.installed_packages(cmd(["npm", "install", "-g", "@openai/codex@$CODEX_VERSION"])) == []
	pins.installed_packages(cmd(["npm", "uninstall", "-g", "@openai/codex"])) == []
	pins.installed_packages(cmd(["npm", "view", "@openai/codex", "version"])) == []
	pins.installed_packages(cmd(["npm", "install", "-w", "@google/gemini-cli", "left-pad"])) == []
	pins.installed_packages(cmd(["yarn", "global", "list", "@openai/codex"])) == []
	pins.installed_packages(cmd(["npm"])) == []
}

test_run_packages if {
	specs(pins.run_packages(wrapped(["@openai/codex", "exec", "x"], ["npx"]))) == ["@openai/codex"]
	specs(pins.run_packages(wrapped(["@anthropic-ai/claude-code@latest", "-p", "x"], ["sudo", "pnpm dlx"]))) == ["@anthropic-ai/claude-code@latest"]
	[p.runner | some p in pins.run_packages(wrapped(["@google/gemini-cli", "-p", "x"], ["bunx"]))] == ["bunx"]
	with_packages := object.union(wrapped(["codex", "exec"], ["npx", "timeout"]), {"wrapper_packages": [word("@openai/codex@^0.1")]})
	specs(pins.run_packages(with_packages)) == ["@openai/codex@^0.1"]
}

test_runs_that_are_pinned_or_only_print_the_version if {
	pins.run_packages(wrapped(["@openai/codex@0.130.0", "exec", "x"], ["npx"])) == []
	pins.run_packages(wrapped(["@openai/codex", "--version"], ["npx"])) == []
	pins.run_packages(wrapped(["@openai/codex", "exec"], ["pnpm exec"])) == []
	pins.run_packages(wrapped(["@openai/codex", "exec"], ["npx", "timeout"])) == []
	pins.run_packages(wrapped(["tsx", "x.ts"], ["npx"])) == []
	pins.run_packages(cmd(["@openai/codex", "exec"])) == []
	pinned := object.union(wrapped(["codex", "exec"], ["npx"]), {"wrapper_packages": [word("@openai/codex@1.2.3")]})
	pins.run_packages(pinned) == []
}

test_url_keys if {
	pins.url_key("https://claude.ai/install.sh") == "claude.ai/install.sh"
	pins.url_key("HTTP://Claude.AI/install.sh?x=1#y") == "claude.ai/install.sh"
	pins.url_key("https://opencode.ai/install/") == "opencode.ai/install"
	pins.url_key("claude.ai/install.sh") == "claude.ai/install.sh"
}

# fetched(url, run) is a curl command whose output run is run.
fetched(url, run) := object.union(cmd(["curl", "-fsSL", url]), {"output_run": object.union({"through": "pipe", "runner": "bash", "pos": {}}, run)})

installer_versions(c, env) := [i.version | some i in pins.installer_runs(c, env)]

test_installer_runs if {
	installer_versions(fetched("https://claude.ai/install.sh", {}), {}) == [""]
	installer_versions(fetched("https://claude.ai/install.sh", {"args": [word("latest")]}), {}) == ["latest"]
	installer_versions(fetched("https://claude.ai/install.sh", {"args": [word("stable")]}), {}) == ["stable"]
	installer_versions(fetched("https://opencode.ai/install", {"args": [word("--version"), word("1.2")]}), {}) == ["1.2"]
	installer_versions(fetched("https://gh.io/copilot-install", {}), {}) == [""]
	installer_versions(fetched("https://cursor.com/install", {"args": [word("1.2.3")]}), {}) == [""]
	installer_versions(cmd(["curl", "https://claude.ai/install.sh"]), {}) == []
	installer_versions(fetched("https://bun.sh/install", {}), {}) == []
}

test_installer_runs_with_a_version if {
	installer_versions(fetched("https://claude.ai/install.sh", {"args": [word("1.0.58")]}), {}) == []
	installer_versions(fetched("https://claude.ai/install.sh", {"args": [word("$V")]}), {}) == []
	installer_versions(fetched("https://opencode.ai/install", {"args": [word("--version=0.15.4")]}), {}) == []
	installer_versions(fetched("https://opencode.ai/install", {"args": [word("--version"), word("0.15.4")]}), {}) == []
	env_prefix := [{"name": "VERSION", "value": {"value": "v0.0.369", "literal": true}}]
	installer_versions(fetched("https://gh.io/copilot-install", {"env_prefix": env_prefix}), {}) == []
	step_env := {"VERSION": {"name": "VERSION", "value": {"value": "1.0.92", "literal": true}}}
	installer_versions(fetched("https://opencode.ai/install", {}), step_env) == []
	dynamic_env := {"GOOSE_VERSION": {"name": "GOOSE_VERSION", "value": {"value": "${{ inputs.v }}", "literal": false}}}
	installer_versions(fetched("https://github.com/block/goose/releases/download/stable/download_cli.sh", {}), dynamic_env) == []
}

uses_pos := {"line": 3, "col": 15, "end_line": 3, "end_col": 37}

action_step(inputs) := {"uses": {"owner": "openai", "repo": "codex-action", "ref_kind": "sha", "pos": uses_pos}, "with": inputs}

with_input(name, value, literal) := {"name": name, "pos": {"line": 5}, "value": {"value": value, "literal": literal, "pos": {"line": 5, "col": 26}}}

codex_action := data.pipeguard.agents.actions["openai/codex-action"]

gemini_action := data.pipeguard.agents.actions["google-github-actions/run-gemini-cli"]

test_action_versions if {
	pins.action_version(action_step([]), codex_action) == {"what": "`codex-version` is not set", "pos": uses_pos}
	pins.action_version(action_step([with_input("codex-version", "", true)]), codex_action) == {"what": "`codex-version` is empty", "pos": {"line": 5}}
	pins.action_version(action_step([with_input("gemini_cli_version", "latest", true)]), gemini_action).what == "`gemini_cli_version: latest`"
	pins.action_version(action_step([with_input("gemini_cli_version", "preview", true)]), gemini_action).pos == {"line": 5, "col": 26}
	not pins.action_version(action_step([with_input("codex-version", "0.146.0", true)]), codex_action)
	not pins.action_version(action_step([with_input("codex-version", "${{ vars.CODEX_VERSION }}", false)]), codex_action)
	not pins.action_version(action_step([]), data.pipeguard.agents.actions["anthropics/claude-code-action"])
}
