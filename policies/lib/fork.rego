# METADATA
# title: Fork exposure helpers
# description: >-
#   Which triggers of a job or step a fork or an outsider can reach past its guards, and
#   what runs the code of a checkout: package managers and build tools, repository
#   scripts, local actions, actions that build the workspace, agent runs. The tables are
#   in workspace.json (data.pipeguard.workspace).
package pipeguard.lib.fork

import rego.v1

import data.pipeguard.lib
import data.pipeguard.lib.agents

ws := data.pipeguard.workspace

# keeps_forks_out are the guard kinds (model Guard) that keep forks or outsiders from a
# job: an event guard only narrows which triggers reach it.
keeps_forks_out := {"same-repo", "actor", "environment", "protected-ref", "branch-filter", "not-change"}

# guards_of(job, step) are the guards that hold for a step: its job's and its own.
guards_of(job, step) := array.concat(job.guards, object.get(step, "guards", []))

# triggers_of(job, step) are the triggers that start a step: its own narrowing (a
# Jenkins change-request branch), else its job's.
triggers_of(job, step) := step.triggers if count(object.get(step, "triggers", [])) > 0

else := lib.triggers(job)

# exposed_triggers(job, step) are the untrusted triggers that start the step and that
# no guard of the job or the step keeps forks or outsiders out of. Pass {} as step for
# a job without steps (a reusable-workflow call).
exposed_triggers(job, step) := exposed(triggers_of(job, step), guards_of(job, step))

# exposed(triggers, guards) are the untrusted triggers among triggers that guards
# neither leave out nor keep forks out of.
exposed(triggers, guards) := [t |
	some t in triggers
	t.trust == "untrusted"
	admits(guards, t.event)
	not gated(guards, t.event)
]

# admits(guards, event) is true when no event guard leaves event out.
admits(guards, event) if {
	not excludes(guards, event)
}

excludes(guards, event) if {
	some g in guards
	g.kind == "event"
	not event in object.get(g, "events", [])
}

# gated(guards, event) is true when a guard that keeps forks out holds for event.
gated(guards, event) if {
	some g in guards
	g.kind in keeps_forks_out
	holds_for(g, event)
}

holds_for(g, _) if count(object.get(g, "events", [])) == 0

holds_for(g, event) if event in g.events

# event_names(triggers) names the events of triggers, each once, in order, as
# "`a`, `b`".
event_names(triggers) := concat(", ", [sprintf("`%s`", [e]) |
	some i, t in triggers
	e := t.event
	not e in {u.event | some u in array.slice(triggers, 0, i)}
])

# dir(path) is a checkout path or working directory without a leading "./" and
# trailing "/": "" for the workspace root.
dir(path) := "" if path in {"", ".", "./"}

else := trim_suffix(trim_prefix(path, "./"), "/")

# under(word, path) is true when word names path or something in it (`pr`, `./pr/x`,
# `$GITHUB_WORKSPACE/pr`, `--prefix=pr`).
under(word, path) if {
	path != ""
	some w in candidates(word)
	inside(w, path)
}

candidates(word) := {unprefixed(word), unprefixed(v)} if {
	[_, v] := agents.split_once(word, "=")
} else := {unprefixed(word)}

unprefixed(word) := trim_prefix(trim_prefix(word, p), "./") if {
	some p in ws.workspace_prefixes
	startswith(word, p)
} else := trim_prefix(word, "./")

inside(w, path) if w == path

inside(w, path) if startswith(w, concat("", [path, "/"]))

# workspace_path(word) is true for a word naming a file of the workspace: `./x.sh`,
# `../x`, `.\x.ps1`, `scripts/x.sh`, `$GITHUB_WORKSPACE/x`.
workspace_path(word) if startswith(word, "./")

workspace_path(word) if startswith(word, "../")

workspace_path(word) if startswith(word, `.\`)

workspace_path(word) if {
	some p in ws.workspace_prefixes
	startswith(word, p)
}

workspace_path(word) if {
	contains(word, "/")
	not regex.match(`^[-/~$@]|://|^[A-Za-z0-9.-]+\.[a-z]{2,}/`, word)
}

# workspace_arg(word) is true for an argument that makes an installer read the
# workspace: `.`, `./x`, `.[dev]`, `-e`, `-r requirements.txt`.
workspace_arg(word) if word in {".", ".."}

workspace_arg(word) if startswith(word, "./")

workspace_arg(word) if startswith(word, "../")

workspace_arg(word) if startswith(word, ".[")

workspace_arg(word) if word in {o | some o in ws.workspace_options}

workspace_arg(word) if {
	some p in ws.workspace_prefixes
	startswith(word, p)
}

# runs_workspace(argv) is true when a command line runs code of the workspace: a
# repository script, an interpreter given a workspace file, a package manager or build
# tool of the table.
runs_workspace(argv) if workspace_path(argv[0].value)

runs_workspace(argv) if {
	argv[0].value in {i | some i in ws.interpreters}
	interpreted(array.slice(argv, 1, count(argv)))
}

runs_workspace(argv) if {
	tool := ws.tools[argv[0].value]
	tool_runs(tool, array.slice(argv, 1, count(argv)))
}

# interpreted(args) is true when an interpreter's arguments name a workspace file or a
# module of the table (`python -m pytest`, `python -m pip install .`).
interpreted(args) if {
	first := [w.value | some w in args; not startswith(w.value, "-")][0]
	script_file(first)
}

interpreted(args) if {
	some i, w in args
	w.value == "-m"
	module := args[i + 1].value
	module_runs(module, array.slice(args, i + 2, count(args)))
}

module_runs(module, _) if module in {m | some m in ws.modules}

module_runs(module, rest) if tool_runs(ws.tools[module], rest)

script_file(v) if {
	not regex.match(`^[/~$]`, v)
	contains(v, "/")
}

script_file(v) if {
	some ext in ws.script_extensions
	endswith(v, ext)
}

# tool_runs(tool, args) decides a tool of the table from its arguments.
tool_runs(tool, args) if {
	not info_only(args)
	not with_option(tool, args)
	subcommand := selected(tool, args)
	workspace_given(tool, subcommand, args)
}

info_only(args) if args[0].value in {x | some x in ws.not_a_run}

with_option(tool, args) if {
	some w in args
	w.value in {o | some o in object.get(tool, "not_with", [])}
}

# selected(tool, args) is the subcommand that makes the tool run: its first argument
# when that is one of its subcommands (skipping the values of options: `npm --prefix pr
# ci`), or any first argument its except list does not name ("" for none).
selected(tool, args) := sub if {
	subs := {s | some s in tool.subcommands}
	sub := [w.value |
		some i, w in args
		not startswith(w.value, "-")
		not option_value(args, i, subs)
	][0]
	sub in subs
} else := first if {
	not tool.subcommands
	first := first_word([w.value | some w in args; not startswith(w.value, "-")])
	not first in {e | some e in object.get(tool, "except", [])}
}

# option_value(args, i, subs) is true when argument i follows an option and is no
# subcommand, so that it is the option's value.
option_value(args, i, subs) if {
	prev := args[i - 1].value
	startswith(prev, "-")
	not contains(prev, "=")
	not args[i].value in subs
}

first_word(list) := list[0] if count(list) > 0

else := ""

# workspace_given is true when the tool needs no workspace argument for subcommand, or
# args has one.
workspace_given(tool, subcommand, _) if {
	not tool.workspace_arg
	not subcommand in {s | some s in object.get(tool, "workspace_arg_for", [])}
}

workspace_given(_, _, args) if {
	some w in args
	workspace_arg(w.value)
}

# runs_from(argv, path) is true when a command line runs code from the directory path
# by naming it: the program itself (`./pr/build.sh`), an interpreter's script
# (`bash pr/x.sh`), a directory or file argument of a tool of the table (`make -C pr`,
# `npm --prefix pr ci`, `pip install ./pr`). Other arguments under path are data.
runs_from(argv, path) if under(argv[0].value, path)

runs_from(argv, path) if {
	argv[0].value in {i | some i in ws.interpreters}
	script := [w.value | some w in array.slice(argv, 1, count(argv)); not startswith(w.value, "-")][0]
	under(script, path)
}

runs_from(argv, path) if {
	ws.tools[argv[0].value]
	some w in array.slice(argv, 1, count(argv))
	under(w.value, path)
}

# changes_dir(argv, path) is true for a `cd`/`pushd` into path.
changes_dir(argv, path) if {
	argv[0].value in {"cd", "pushd", "Set-Location"}
	under(argv[1].value, path)
}

# action_runs(step) is the workspace table entry of an action step that runs the
# workspace's code, given the inputs that make it do so.
action_runs(step) := action if {
	u := step.uses
	parts := [object.get(u, "owner", ""), object.get(u, "repo", ""), object.get(u, "path", "")]
	key := lower(concat("/", [x | some x in parts; x != ""]))
	action := ws.actions[key]
	action_enabled(action, step.with)
}

action_enabled(action, _) if not action.input

action_enabled(action, inputs) if {
	some v in inputs
	v.name == action.input
	not lower(trim_space(v.value.value)) in {"", "false"}
	markers_found(action, v.value.value)
}

markers_found(action, _) if not action.markers

markers_found(action, value) if {
	some m in action.markers
	contains(value, m)
}

# with_under(step, path) is true when an input of the step names path.
with_under(step, path) if {
	some v in step.with
	under(trim_space(v.value.value), path)
}

# command_text(argv) shows a command line in a message: its first four words, up to the
# first that assigns a value (`TOKEN=…` may hold a secret).
command_text(argv) := concat(" ", [w.value |
	some i, w in array.slice(argv, 0, 4)
	every v in array.slice(argv, 0, i + 1) {
		not contains(v.value, "=")
	}
])

# agent_cli(cmd) is the title of the agent a command line runs headless.
agent_cli(cmd) := agents.clis[cli].title if {
	cli := agents.cli_of(cmd)
	agents.is_run(cmd, cli)
}

# grouped(entries) groups entries (objects with a string "key") by key, in O(n log n):
# one {"first", "members"} per key, the members in the order of entries.
grouped(entries) := [{"first": members[0], "members": members} |
	sorted := sort([[e.key, n] | some n, e in entries])
	starts := [i | some i, _ in sorted; not same_key(sorted, i)]
	some k, start in starts
	end := next_start(starts, k, count(sorted))
	members := [entries[x[1]] | some x in array.slice(sorted, start, end)]
]

same_key(sorted, i) if {
	i > 0
	sorted[i - 1][0] == sorted[i][0]
}

next_start(starts, k, n) := starts[k + 1] if k + 1 < count(starts)

else := n

# distinct(list) keeps the first occurrence of each value of a list, in order.
distinct(list) := [x | some i, x in list; not seen_before(list, i)]

seen_before(list, i) if {
	some j, y in list
	j < i
	y == list[i]
}

# firsts(entries) keeps the first entry of each key.
firsts(entries) := [g.first | some g in grouped(entries)]

# position_key(pos) identifies a position in a key.
position_key(pos) := sprintf("%s:%d:%d", [object.get(pos, "file", ""), pos.line, pos.col])

# listed(noun, ids) names jobs or stages for a message: "job `a`", "jobs `a`, `b` and
# `c`", "jobs `a`, `b`, `c` and 4 more".
listed(noun, ids) := sprintf("%s `%s`", [noun, ids[0]]) if count(ids) == 1

else := sprintf("%s %s and `%s`", [plural(noun), quoted(array.slice(ids, 0, count(ids) - 1)), ids[count(ids) - 1]]) if count(ids) <= 3

else := sprintf("%s %s and %d more", [plural(noun), quoted(array.slice(ids, 0, 3)), count(ids) - 3])

plural(noun) := concat("", [trim_suffix(noun, "y"), "ies"]) if endswith(noun, "y")

else := concat("", [noun, "s"])

quoted(ids) := concat(", ", [sprintf("`%s`", [id]) | some id in ids])

# verb(ids, one, many) picks the verb form that agrees with a list of jobs.
verb(ids, one, many) := one if count(ids) == 1

else := many
