# METADATA
# title: AI coding agent helpers
# description: >-
#   Recognise AI coding agent runs in the model's commands and action steps, and the
#   flags and inputs that turn their sandbox or approvals off. The tables are in
#   agents.json (data.pipeguard.agents).
package pipeguard.lib.agents

import rego.v1

clis := data.pipeguard.agents.clis

# cli_of(cmd) is the agent CLI a command starts ("codex", "claude", …), after the
# script layer removed wrappers such as sudo, env, npx and bash -c: its program by name
# or by npm package.
cli_of(cmd) := cli_by_program[cmd.program]

# cli_by_program maps a program name (model Command.program) to the agent CLI it starts:
# each CLI by its own name and by the names of its npm packages.
cli_by_program := object.union(data.pipeguard.agents.packages, {name: name | some name, _ in clis})

# is_run(cmd, cli) is true when cmd runs the agent headless, not when it installs it,
# logs in or prints its help or version.
is_run(cmd, cli) if {
	not helper_only(cmd)
	runs(cmd, clis[cli])
}

helper_only(cmd) if {
	some w in array.slice(cmd.argv, 1, count(cmd.argv))
	w.value in {x | some x in data.pipeguard.agents.not_a_run}
}

runs(cmd, spec) if {
	some w in array.slice(cmd.argv, 1, count(cmd.argv))
	w.value in {x | some x in object.get(spec, "run_subcommands", [])}
}

runs(cmd, spec) if {
	some w in cmd.argv
	some flag in object.get(spec, "run_flags", [])
	flag_matches(w.value, flag)
}

runs(cmd, spec) if {
	object.get(spec, "run_when_piped", false)
	piped_or_fed(cmd)
}

piped_or_fed(cmd) if cmd.piped

piped_or_fed(cmd) if cmd.stdin

flag_matches(word, flag) if word == flag

flag_matches(word, flag) if startswith(word, concat("", [flag, "="]))

# dangers(cmd, cli) is the set of {flag, pos} on the command line that turn the sandbox
# or approvals off.
dangers(cmd, cli) := flag_dangers(cmd.argv, clis[cli])

# flag_dangers(words, spec) checks argv-like words against an agent's table entry.
flag_dangers(words, spec) := {{"flag": w.value, "pos": w.pos} |
	some w in words
	w.value in {f | some f in object.get(spec, "flags", [])}
} | {{"flag": concat(" ", [w.value, next.value]), "pos": w.pos} |
	some i, w in words
	allowed := object.get(spec, "flag_values", {})[w.value]
	next := words[i + 1]
	next.value in {v | some v in allowed}
} | {{"flag": w.value, "pos": w.pos} |
	some w in words
	[flag, value] := split_once(w.value, "=")
	value in {v | some v in object.get(object.get(spec, "flag_values", {}), flag, [])}
} | {{"flag": concat(" ", [w.value, next.value]), "pos": w.pos} |
	some i, w in words
	w.value in {f | some f in object.get(spec, "config_flags", [])}
	next := words[i + 1]
	[key, raw] := split_once(next.value, "=")
	unquote(raw) in {v | some v in object.get(object.get(spec, "config_values", {}), trim_space(key), [])}
}

# env_dangers(vars, cli) checks environment variables (env prefixes, step/job env).
env_dangers(vars, cli) := {{"flag": concat("=", [v.name, v.value.value]), "pos": v.pos} |
	some v in vars
	allowed := object.get(object.get(clis[cli], "env_values", {}), v.name, [])
	lower(unquote(v.value.value)) in {a | some a in allowed}
}

# unsafe_by_default(vars, cli) is true for agents whose default mode is unsafe unless an
# environment variable selects a safe one (Goose without GOOSE_MODE).
unsafe_by_default(vars, cli) if {
	required := object.get(clis[cli], "dangerous_unless_env", {})
	some name, safe in required
	not safe_env(vars, name, safe)
}

safe_env(vars, name, safe) if {
	some v in vars
	v.name == name
	lower(unquote(v.value.value)) in {s | some s in safe}
}

split_once(s, sep) := [substring(s, 0, i), substring(s, i + count(sep), -1)] if {
	i := indexof(s, sep)
	i > 0
}

unquote(s) := trim(trim_space(s), `"'`)

# action_owners are the owners of the agent actions, in lower case: a cheap test before
# action_of.
action_owners := {split(key, "/")[0] | some key, _ in data.pipeguard.agents.actions}

# action_of(step) is the agent action table entry of a `uses:` step, by owner/repo[/path].
action_of(step) := data.pipeguard.agents.actions[action_key(step.uses)]

# action_key(uses) names an action as the tables do: "owner/repo[/path]", lower-cased.
action_key(u) := lower(concat("/", [x |
	some x in [object.get(u, "owner", ""), object.get(u, "repo", ""), object.get(u, "path", "")]
	x != ""
]))

# args_words(text) splits an action's extra-arguments input (a JSON array or shell
# words) into argv-like words, all at the position of the input's value.
args_words(text) := [{"value": w, "pos": text.pos} | some w in json.unmarshal(trim_space(text.value))] if {
	startswith(trim_space(text.value), "[")
	json.is_valid(trim_space(text.value))
} else := [{"value": unquote(w), "pos": text.pos} | some w in regex.split(`\s+`, trim_space(text.value)); w != ""]
