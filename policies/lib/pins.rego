# METADATA
# title: Agent version pinning helpers
# description: >-
#   Find where a pipeline installs or fetches an AI coding agent and say whether the
#   version it gets is exact. The tables are in agents.json (data.pipeguard.agents):
#   `packages` (npm package → agent CLI), `package_managers` (the subcommands that
#   install a named package and the options that take a value), `package_runners` (the
#   script layer's WrappedBy labels of the wrappers that fetch a package to run it),
#   `info_args` (arguments that only print a version or help), `installers` (installer
#   script URL without its scheme → agent CLI and how the script is told a version: its
#   first positional parameter, a flag, an environment variable) and the
#   `version_input` of agent actions.
package pipeguard.lib.pins

import rego.v1

# exact(version) is true for one exact release: 1.2.3, v1.2.3 or =1.2.3, with an optional
# pre-release or build suffix. Dist-tags (latest, next), ranges (^1.2.0, ~1.2, 1.x, >=1)
# and bare majors or minors (1, 1.2) are not exact.
exact(version) if regex.match(`^[=v]?[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`, version)

# npm_spec(value) splits an npm package spec (`@openai/codex@1.2.3`, `opencode-ai`) into
# {name, version}; version is "" when the spec names none.
npm_spec(value) := {"name": concat("", ["@", parts[0]]), "version": parts[1]} if {
	startswith(value, "@")
	parts := split_version(substring(value, 1, -1))
} else := {"name": parts[0], "version": parts[1]} if {
	parts := split_version(value)
}

split_version(s) := [substring(s, 0, i), substring(s, i + 1, -1)] if {
	i := indexof(s, "@")
	i > 0
} else := [s, ""]

# spelled(spec) is the package spec as a message shows it, with what makes it unpinned.
spelled(spec) := sprintf("`%s` %s", [spec.name, not_exact(spec.version)]) if spec.version == ""

else := sprintf("`%s@%s` %s", [spec.name, spec.version, not_exact(spec.version)])

# not_exact(version) says in a message why version (a version that is not exact, "" for
# none) pins nothing.
not_exact(version) := "(no version)" if version == ""

else := sprintf("(`%s` is not an exact version)", [version])

# installed_packages(cmd) lists the agent packages that a package manager command (`npm
# install -g`, `pnpm add -g`, `yarn global add`, `bun add -g`, …) installs without an
# exact version, as {word, spec, cli}. Words only known at run time are left out: their
# version cannot be read.
installed_packages(cmd) := [p |
	argv := cmd.argv
	count(argv) > 1
	manager := data.pipeguard.agents.package_managers[argv[0].value]
	operands := [i | some i in numbers.range(1, count(argv) - 1); operand(argv, i, manager)]
	sub := subcommand(argv, operands, manager)
	argv[sub].value in {s | some s in manager.installs}
	some i in operands
	i > sub
	p := unpinned_package(argv[i])
]

# operand(argv, i, manager) is true when argv[i] is neither an option nor an option's
# value.
operand(argv, i, manager) if {
	not startswith(argv[i].value, "-")
	not argv[i - 1].value in {o | some o in manager.value_options}
}

# subcommand(argv, operands, manager) is the index of the package manager's subcommand:
# its first operand, or the one after a prefix such as yarn's `global`.
subcommand(argv, operands, manager) := operands[1] if {
	argv[operands[0]].value in {p | some p in object.get(manager, "prefixes", [])}
} else := operands[0]

# run_packages(cmd) lists the agent packages that a package runner (npx, pnpm dlx, bunx,
# yarn dlx, …) fetches without an exact version to run cmd, as {word, spec, cli, runner}:
# the packages of its `-p`/`--package` options, else the package that argv[0] names. A
# call that only prints the agent's version or help is left out.
run_packages(cmd) := [object.union(p, {"runner": runners[count(runners) - 1]}) |
	runners := [label | some label in object.get(cmd, "wrapped_by", []); label in package_runners]
	count(runners) > 0
	not info_only(cmd)
	some w in runner_words(cmd)
	p := unpinned_package(w)
]

package_runners := {r | some r in data.pipeguard.agents.package_runners}

runner_words(cmd) := cmd.wrapper_packages if {
	count(object.get(cmd, "wrapper_packages", [])) > 0
} else := [cmd.argv[0]] if {
	wrappers := object.get(cmd, "wrapped_by", [])
	wrappers[count(wrappers) - 1] in package_runners
}

info_only(cmd) if {
	count(cmd.argv) > 1
	every w in array.slice(cmd.argv, 1, count(cmd.argv)) {
		w.value in {a | some a in data.pipeguard.agents.info_args}
	}
}

# unpinned_package(w) is {word, spec, cli} when the word w names an agent package
# without an exact version.
unpinned_package(w) := {"word": w, "spec": spec, "cli": cli} if {
	not w.dynamic
	spec := npm_spec(w.value)
	cli := data.pipeguard.agents.packages[spec.name]
	not exact(spec.version)
}

# installer_runs(cmd, env) lists, as {word, installer, version}, the agent installer
# scripts that cmd fetches for a shell to run (its output_run: `curl … | bash`, `bash
# <(curl …)`) when the script is told no exact version; version is "" when it is told
# none. env is the step's environment (name → Var). A version only known at run time
# counts as pinned: it cannot be read.
installer_runs(cmd, env) := [{"word": w, "installer": installer, "version": first_value(versions)} |
	run := cmd.output_run
	some w in cmd.argv
	not w.dynamic
	installer := data.pipeguard.agents.installers[url_key(w.value)]
	versions := installer_versions(installer, run, env)
	every v in versions {
		not v.dynamic
		not exact(v.value)
	}
]

# url_key(url) is the key of a URL in the installers table: lower case, without its
# scheme, query, fragment or trailing slash.
url_key(url) := trim_right(split(split(trim_prefix(trim_prefix(lower(url), "https://"), "http://"), "?")[0], "#")[0], "/")

# installer_versions lists the versions the installer script is given, as {value,
# dynamic}: its first positional parameter, the value of a version flag, a version
# environment variable of the runner command or of the step.
installer_versions(installer, run, env) := array.concat(
	array.concat(version_arg(installer, run), version_flags(installer, run)),
	version_env(installer, run, env),
)

version_arg(installer, run) := [{"value": a.value, "dynamic": a.dynamic}] if {
	installer.version_arg
	a := run.args[0]
} else := []

version_flags(installer, run) := [v |
	some flag in object.get(installer, "version_flags", [])
	args := object.get(run, "args", [])
	some i, _ in args
	v := flag_value(args, i, flag)
]

flag_value(args, i, flag) := {"value": args[i + 1].value, "dynamic": args[i + 1].dynamic} if args[i].value == flag

flag_value(args, i, flag) := {"value": substring(args[i].value, count(flag) + 1, -1), "dynamic": args[i].dynamic} if {
	startswith(args[i].value, concat("", [flag, "="]))
}

version_env(installer, run, env) := [v |
	some name in object.get(installer, "version_env", [])
	vars := object.union(env, {p.name: p | some p in object.get(run, "env_prefix", [])})
	var := vars[name]
	v := {"value": trim(var.value.value, `"'`), "dynamic": var.value.literal == false}
]

first_value(versions) := versions[0].value if count(versions) > 0

else := ""

# action_version(step, action) is {what, pos} when an agent action step leaves the
# agent's version to its action's default or sets it to one that is not exact: what
# says how, pos points at the input (its value, or its name when the value is empty) or
# at the `uses:` value when the input is not set.
action_version(step, action) := finding if {
	vi := action.version_input
	inputs := [v | some v in step.with; v.name == vi.name]
	finding := version_input_finding(inputs, vi, step)
}

version_input_finding(inputs, vi, step) := {"what": sprintf("`%s` is not set", [vi.name]), "pos": step.uses.pos} if {
	count(inputs) == 0
	not exact(vi.default)
} else := {"what": sprintf("`%s` is empty", [vi.name]), "pos": v.pos} if {
	v := inputs[count(inputs) - 1]
	trim_space(v.value.value) == ""
	not exact(vi.default)
} else := {"what": sprintf("`%s: %s`", [vi.name, trim_space(v.value.value)]), "pos": v.value.pos} if {
	v := inputs[count(inputs) - 1]
	v.value.literal
	trim_space(v.value.value) != ""
	not exact(trim_space(v.value.value))
}
