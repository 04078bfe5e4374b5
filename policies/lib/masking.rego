# METADATA
# title: Secret flow helpers
# description: >-
#   Follow secrets through the commands of a step: which variables hold one (from the
#   step's secrets in scope and the script's own assignments and command
#   substitutions), which commands put one on their output (printers, pass-through
#   filters and transforms fed a here-string, environment dumps), where that output
#   goes along a pipeline (the log, a file, $GITHUB_OUTPUT, a variable), and whether a
#   file lies inside a path the job uploads. The command tables are in masking.json
#   (data.pipeguard.masking).
package pipeguard.lib.masking

import rego.v1

import data.pipeguard.lib

tables := data.pipeguard.masking

# role(prog) is what a program does with the text it is given (masking.json
# "programs"): "printer" prints its arguments (echo, printf, Write-Host), "pass" copies
# its input to its output (cat, tee, grep), "transform" rewrites it (base64, rev, cut,
# sed, jq), "dump" prints variables, all or by name, given the arguments its env_dumps
# entry expects (env, printenv, set, export -p); "shell" runs a script, traced with -x;
# "declare" assigns variables (local, readonly); "assign" is the program "=" of a bare
# assignment (see programs). Commands of no role play no part in a secret's flow.
role(prog) := tables.programs[prog]

# declarations are the programs whose arguments assign variables (`export T="$X"`).
declarations := {"export", "declare", "typeset", "local", "readonly"}

# filter(prog) is true for a program whose output carries what its input carried.
filter(prog) if role(prog) in {"pass", "transform"}

# program(cmd) is the command's program as the tables name it: its first word as
# written, lowercased (PowerShell's `Write-Host` is `write-host`). A path
# (`/usr/bin/base64`) or a dynamic word (`$CMD`) names no program of the tables. The
# script layer has already removed wrappers such as sudo, env and `bash -c`.
program(cmd) := lower(cmd.argv[0].value)

# marked_programs(cmds) maps the index of each command that can take part in a
# secret's flow (see marks) to its program ("=" for a bare assignment, which has no
# words). It is the one walk over every command of a step with a secret in scope.
marked_programs(cmds) := {i: prog |
	some i, cmd in cmds
	prog := lower(object.get(cmd, ["argv", 0, "value"], "="))
	marks(cmd, tables.programs[prog])
}

# args(cmd) are the command's words after its program.
args(cmd) := array.slice(cmd.argv, 1, count(cmd.argv))

# pos_key(p) is the start of a position, to index values by where they are written.
pos_key(p) := [p.line, p.col]

# ---------------------------------------------------------------------------------
# Variables that hold a secret

# holders(job, step) maps every environment variable of the step that holds a secret
# to {secret, kind, var, platform_token, derived, all, file}: derived when the value is
# a part or transformation of the secret (`fromJSON(secrets.X).y`), all when it holds
# every secret (`toJSON(secrets)`, secret name "*"), file when the
# variable holds the path of a file with the secret (model Credential.files). An
# action input (source "with") is no variable, and the user name of a credential
# (Credential.usernames) no secret.
# When several secrets reach one variable, the last one listed is kept.
holders(job, step) := object.union_n([{s.var: holder(s, files)} |
	bound := bound_vars(job, step)
	files := bound.files
	some s in step.secrets_in_scope
	s.var != ""
	s.source != "with"
	not bound.usernames[s.var]
])

holder(s, files) := {
	"secret": s.name,
	"kind": s.kind,
	"var": s.var,
	"platform_token": object.get(s, "platform_token", false),
	"derived": object.get(s, "derived", false),
	"all": s.name == "*",
	"file": object.get(files, s.var, false),
}

# bound_vars(job, step) are the variables the credential bindings of the step list as
# user names and as files, each as an object variable → true.
bound_vars(job, step) := {
	"usernames": {v: true | some c in creds; some v in object.get(c, "usernames", [])},
	"files": {v: true | some c in creds; some v in object.get(c, "files", [])},
} if {
	creds := array.concat(job.credentials, step.credentials)
	count(creds) > 0
} else := {"usernames": {}, "files": {}}

# binding_lists(job, step, s, list) is true when a credential binding of the secret s
# lists its variable in list ("usernames" or "files").
binding_lists(job, step, s, list) if {
	some c in array.concat(job.credentials, step.credentials)
	c.id == s.name
	s.var in object.get(c, list, [])
}

# interpolations(step) indexes the GitHub expressions of the step's script by
# position, so that a word's CI reference finds its parsed contexts; other platforms'
# words hold no GitHub expression.
interpolations(step) := {pos_key(i.pos): i |
	input.platform == "github"
	some i in step.run.script.interpolations
	i.kind == "github-expression"
}

# expression_secret(i) is what a GitHub expression gives of the secrets: one secret
# (derived when the expression takes a part of it, `fromJSON(secrets.X).y`), every
# secret (`toJSON(secrets)`, `secrets[x]`), or the job token (`github.token`).
expression_secret(i) := [s | some s in expression_secrets(i)][0]

expression_secrets(i) := {s |
	i.kind == "github-expression"
	some c in object.get(i, "contexts", [])
	not object.get(c, "opaque", false)
	s := context_secret(c)
}

context_secret(c) := {"secret": "*", "var": "", "kind": "github-secret", "platform_token": false, "derived": false, "all": true, "file": false} if {
	every_secret(c)
} else := {"secret": trim_prefix(c.path, "secrets."), "var": "", "kind": "github-secret", "platform_token": false, "derived": object.get(c, "derived", false), "all": false, "file": false} if {
	startswith(c.path, "secrets.")
} else := {"secret": "GITHUB_TOKEN", "var": "", "kind": "github-secret", "platform_token": true, "derived": false, "all": false, "file": false} if {
	c.path == "github.token"
}

# every_secret(c) is true for a context that reads every secret: `toJSON(secrets)`,
# `secrets[x]` with a computed key.
every_secret(c) if {
	c.path == "secrets"
	object.get(c, "whole", false)
}

every_secret(c) if {
	startswith(c.path, "secrets")
	object.get(c, "computed", false)
}

# ref_secret(r, hs, interps) is the secret a word's reference reads, with the reference
# and whether what it reads is derived from the secret (a part or rewrite of it). A
# shell reference that yields other text than the value (`${#X}`) reads no secret.
ref_secret(r, hs, _) := object.union(h, {"ref": r, "derived": is_derived(h, r)}) if {
	r.kind == "shell"
	h := hs[r.name]
	not h.file
	object.get(r, "expansion", "") != "other"
}

ref_secret(r, _, interps) := object.union(s, {"ref": r}) if {
	r.kind == "github-expression"
	s := expression_secret(interps[pos_key(r.pos)])
}

is_derived(h, _) if h.derived

is_derived(_, r) if object.get(r, "expansion", "") in {"part", "transform"}

default is_derived(_, _) := false

# word_secrets(w, hs, interps) lists the secrets a word reads, in order.
word_secrets(w, hs, interps) := [s | some r in object.get(w, "refs", []); s := ref_secret(r, hs, interps)]

# argv_secret(cmd, hs, interps) is the first secret the command's arguments read.
argv_secret(cmd, hs, interps) := [s | some w in args(cmd); some s in word_secrets(w, hs, interps)][0]

# reads_secret(cmd, hs, interps) is the first secret the command reads anywhere: its
# words, env prefixes and redirection targets.
reads_secret(cmd, hs, interps) := [s | some s in command_reads(cmd, hs, interps)][0]

command_reads(cmd, hs, interps) := array.concat(
	array.concat(
		[s | some w in object.get(cmd, "argv", []); some s in word_secrets(w, hs, interps)],
		[s | some v in cmd.env_prefix; some s in word_secrets(v, hs, interps)],
	),
	[s | some r in object.get(cmd, "redirects", []); some s in word_secrets(r.target, hs, interps)],
)

# ---------------------------------------------------------------------------------
# Commands that put a secret on their output

# add_mask(cmd, prog) is true for `echo "::add-mask::…"`, the masking command (prog is
# the command's program).
add_mask(cmd, prog) if {
	tables.programs[prog] == "printer"
	some w in args(cmd)
	startswith(w.value, "::add-mask::")
}

# assigns_only(cmd, prog): `printf -v NAME …` stores its output in a variable.
assigns_only(cmd, "printf") if {
	some w in args(cmd)
	w.value == "-v"
}

# here_string_secret(cmd, hs, interps) is the secret of a here-string fed to cmd.
here_string_secret(cmd, hs, interps) := [s |
	some r in object.get(cmd, "redirects", [])
	r.op == "<<<"
	some s in word_secrets(r.target, hs, interps)
][0]

# file_secret(cmd, hs) is the secret in a file named by an argument of a command that
# prints files (`cat "$DB_PASSWORD"`, where the variable holds the file's path).
file_secret(cmd, hs) := [object.union(hs[r.name], {"ref": r, "file": false}) |
	some w in args(cmd)
	some r in object.get(w, "refs", [])
	r.kind == "shell"
	hs[r.name].file
][0]

# origins(cmds, marked, hs, interps, filled) lists the commands whose output carries a
# secret: {index, secret, derived, ref?}. marked maps the index of each command that can
# take part (see marked) to its program; filled maps a command index to the secret that
# the substitutions in its words put there (see received).
origins(cmds, marked, hs, interps, filled) := [o |
	some i, prog in marked
	o := origin(cmds[i], prog, i, hs, interps, filled)
]

origin(cmd, prog, i, hs, interps, filled) := object.union(s, {"index": i}) if {
	tables.programs[prog] == "printer"
	not add_mask(cmd, prog)
	not assigns_only(cmd, prog)
	s := printed_secret(cmd, i, hs, interps, filled)
} else := object.union(s, {"index": i, "derived": true}) if {
	tables.programs[prog] == "transform"
	s := here_string_secret(cmd, hs, interps)
} else := object.union(s, {"index": i}) if {
	tables.programs[prog] == "pass"
	s := pass_through_secret(cmd, hs, interps)
} else := object.union(s, {"index": i}) if {
	s := named_dump(cmd, tables.env_dumps[prog], hs)
}

# printed_secret is the first secret a printer's arguments read, or the one its words
# received from substitutions.
printed_secret(cmd, i, hs, interps, filled) := s if {
	s := argv_secret(cmd, hs, interps)
} else := filled[i]

# pass_through_secret is the secret a filter is fed in a here-string, or reads from the
# file a variable names.
pass_through_secret(cmd, hs, interps) := s if {
	s := here_string_secret(cmd, hs, interps)
} else := file_secret(cmd, hs)

# named_dump(cmd, spec, hs) is the secret a dump command prints by name (`printenv
# TOKEN`, `declare -p TOKEN`, `Get-Item env:TOKEN`).
named_dump(cmd, spec, hs) := [object.union(hs[name], {"file": false}) |
	some w in args(cmd)
	name := dump_name(spec, w.value)
	hs[name]
][0]

dump_name(spec, word) := word if {
	object.get(spec, "names", false)
	not startswith(word, "-")
}

dump_name(spec, word) := name if {
	spec.args == "env_drive"
	parts := regex.find_all_string_submatch_n(`^(?i)env:[\\/]?([A-Za-z_][A-Za-z0-9_]*)$`, word, 1)
	name := parts[0][1]
}

# dumps_with(spec, words) is true when a command of the env_dumps table with
# arguments words prints the whole environment: `env`, `printenv`, `set`, `export
# -p`, `declare -p`, PowerShell `Get-ChildItem env:`.
dumps_with(spec, words) if {
	spec.args == "none"
	count(words) == 0
}

dumps_with(spec, words) if {
	spec.args == "options"
	every w in words {
		startswith(w.value, "-")
	}
}

dumps_with(spec, words) if {
	spec.args == "print_flag"
	every w in words {
		w.value in {f | some f in spec.print_flags}
	}
}

dumps_with(spec, words) if {
	spec.args == "env_drive"
	some w in words
	regex.match(`^(?i)env:[\\/]?$`, w.value)
}

# ---------------------------------------------------------------------------------
# Where a command's output goes

# stdout_ops are the redirection operators that send standard output to a file (a
# descriptor target other than a file is the log, see file_redirects).
stdout_ops := {">", ">>", ">|", "1>", "1>>", "1>|", "&>", "&>>", ">&", "&>|", "*>", "*>>"}

# file_redirects(cmd) are the redirections that send the command's standard output to
# a file.
file_redirects(cmd) := [r |
	some r in object.get(cmd, "redirects", [])
	r.op in stdout_ops
	not regex.match(`^[0-9-]+$`, r.target.value)
]

# tee_redirects(cmd) are the files a `| tee FILE` after the command writes.
tee_redirects(cmd) := [r |
	some r in object.get(cmd, "redirects", [])
	r.op in {"tee", "tee -a"}
]

# next_stage(cmds, i) is the index of the first command of the pipeline stage after
# the one of cmds[i], when cmds[i] sends its output down the pipe.
next_stage(cmds, i) := js[0] if {
	p := cmds[i].pipe
	p.index < p.len - 1
	count(file_redirects(cmds[i])) == 0
	i + 1 < count(cmds)
	js := [j |
		some j in numbers.range(i + 1, count(cmds) - 1)
		q := cmds[j].pipe
		q.id == p.id
		q.index == p.index + 1
	]
}

# path(cmds, i) follows the output of cmds[i] through the filters after it in its
# pipeline (`| tee f`, `| base64`, `| grep x`), at most four stages.
path(cmds, i) := [i, j1, j2, j3, j4] if {
	j1 := filter_after(cmds, i)
	j2 := filter_after(cmds, j1)
	j3 := filter_after(cmds, j2)
	j4 := filter_after(cmds, j3)
} else := [i, j1, j2, j3] if {
	j1 := filter_after(cmds, i)
	j2 := filter_after(cmds, j1)
	j3 := filter_after(cmds, j2)
} else := [i, j1, j2] if {
	j1 := filter_after(cmds, i)
	j2 := filter_after(cmds, j1)
} else := [i, j1] if {
	j1 := filter_after(cmds, i)
} else := [i]

filter_after(cmds, i) := j if {
	j := next_stage(cmds, i)
	filter(program(cmds[j]))
}

# flow(cmds, o) is where the output of origin o goes: {path, transform (the first
# command of the path that transforms it, if any), sink: "log" | "files" | "capture"
# | "consumed", files (the redirections that write it), capture}.
flow(cmds, o) := object.union(
	object.union(destination, transform_of(cmds, p)),
	{"path": p, "files": array.concat(tees, destination.files)},
) if {
	p := path(cmds, o.index)
	tees := [r | some j in p; some r in tee_redirects(cmds[j])]
	destination := sink(cmds, p[count(p) - 1])
}

transform_of(cmds, p) := {"transform": ts[0]} if {
	ts := [j | some j in p; role(program(cmds[j])) == "transform"]
	count(ts) > 0
} else := {}

sink(cmds, last) := {"sink": "consumed", "files": []} if {
	next_stage(cmds, last)
} else := {"sink": "files", "files": fs} if {
	fs := file_redirects(cmds[last])
	count(fs) > 0
} else := {"sink": "capture", "files": [], "capture": cmds[last].capture} if {
	cmds[last].capture
} else := {"sink": "log", "files": []}

# ---------------------------------------------------------------------------------
# Variables the script fills with a secret, and words that receive one

# aliases(cmds, hs, interps, flows) maps the variables the script assigns a secret
# to (`T="$TOKEN"`, `export T=${{ secrets.X }}`, `B64=$(echo "$T" | base64)`) to the
# secret they hold, derived when the assignment or the substitution transforms it.
aliases(cmds, marked, hs, interps, flows) := {name: first_alias(assigned, name) |
	assigned := array.concat(assignments(cmds, marked, hs, interps), captured_vars(flows))
	some a in assigned
	name := a.name
}

first_alias(assigned, name) := [a.holder | some a in assigned; a.name == name][0]

assignments(cmds, marked, hs, interps) := array.concat(
	[{"name": v.name, "holder": alias_holder(s, v.name)} |
		some i, "=" in marked
		some v in cmds[i].env_prefix
		s := [x | some x in word_secrets(v, hs, interps)][0]
	],
	[{"name": name, "holder": alias_holder(s, name)} |
		some i, prog in marked
		prog in declarations
		some w in args(cmds[i])
		[name, _] := split_assignment(w.value)
		s := [x | some x in word_secrets(w, hs, interps)][0]
	],
)

split_assignment(value) := [substring(value, 0, i), substring(value, i + 1, -1)] if {
	i := indexof(value, "=")
	i > 0
}

alias_holder(s, name) := {
	"secret": s.secret,
	"kind": s.kind,
	"var": name,
	"platform_token": s.platform_token,
	"derived": s.derived,
	"all": object.get(s, "all", false),
	"file": false,
}

# captured_vars(flows) are the variables substitutions assign a secret to.
captured_vars(flows) := [{"name": f.capture.var, "holder": alias_holder(s, f.capture.var)} |
	some f in flows
	f.sink == "capture"
	object.get(f.capture, "var", "") != ""
	s := object.union(f.origin, {"derived": received_derived(f)})
]

# received(flows) maps a command index to the secret that the substitutions in its
# words put there (`echo "t=$(echo "$T" | base64)"`).
received(flows) := {i: first_received(flows, i) |
	some f in flows
	f.sink == "capture"
	object.get(f.capture, "var", "") == ""
	i := f.capture.command
	i >= 0
}

first_received(flows, i) := [s |
	some f in flows
	f.sink == "capture"
	object.get(f.capture, "var", "") == ""
	f.capture.command == i
	s := object.union(f.origin, {"derived": received_derived(f)})
][0]

received_derived(f) if f.origin.derived

received_derived(f) if f.transform

default received_derived(_) := false

flows_of(cmds, origins_list) := [object.union(flow(cmds, o), {"origin": o}) | some o in origins_list]

# ---------------------------------------------------------------------------------
# The analysis of one step

# step_flows(job, step) follows every secret the commands of a run step put on their
# output, two rounds deep: the second round knows the variables and words that the
# first round's substitutions and assignments filled with a secret. It gives the
# holders and interpolations the flows were computed with, the programs of the commands
# that can take part (see marked_programs), the indexes of those that dump the
# environment or start a shell, and the flows (see flow), each with its origin (see
# origins). A step with no such command has none.
step_flows(job, step) := {
	"holders": h1,
	"interpolations": interps,
	"programs": marked,
	"shell_commands": [i | some i, prog in marked; tables.programs[prog] in {"dump", "shell"}],
	"flows": second_round(cmds, marked, h0, h1, interps, first),
} if {
	cmds := step.run.commands
	marked := marked_programs(cmds)
	count(marked) > 0
	interps := interpolations(step)
	h0 := holders(job, step)
	first := flows_of(cmds, origins(cmds, marked, h0, interps, {}))
	h1 := object.union(h0, aliases(cmds, marked, h0, interps, first))
}

# marks(cmd, role) is true for a command of a role that can take part in a secret's
# flow: it dumps the environment or starts a shell, or it reads a variable (a dynamic
# word, a here-string, an assignment's value). `echo "building"` takes no part.
marks(cmd, _) if {
	some w in cmd.argv
	w.dynamic
}

marks(_, role) if role in {"dump", "shell"}

marks(cmd, "assign") if {
	some v in cmd.env_prefix
	not v.value.literal
}

marks(cmd, _) if {
	some r in object.get(cmd, "redirects", [])
	r.op == "<<<"
}

# second_round is the first round again when it found no new variable and no word
# that a substitution filled with a secret.
second_round(cmds, marked, h0, h1, interps, first) := first if {
	h1 == h0
	count(received(first)) == 0
} else := flows_of(cmds, origins(cmds, marked, h1, interps, received(first)))

# dump_flows(cmds, progs, indexes) follows the output of the commands among
# cmds[indexes] that print the environment (progs maps command indexes to programs).
dump_flows(cmds, progs, indexes) := [object.union(flow(cmds, {"index": i}), {"origin": {"index": i}}) |
	some i in indexes
	spec := tables.env_dumps[progs[i]]
	dumps_with(spec, args(cmds[i]))
]

# env_secrets(job, step) are the secrets in the step's environment, each named once
# and the job token left out: those an environment dump prints. A binding that sets no
# variable puts no secret there (Jenkins sshagent gives an agent socket), except a
# CircleCI context, whose variables the file does not name.
env_secrets(job, step) := [s |
	some i, s in in_env
	not named_before(in_env, i, s.name)
] if {
	in_env := [s |
		some s in lib.secrets_in_scope(job, step)
		not s.source in {"script", "with"}
		in_environment(s)
	]
}

in_environment(s) if object.get(s, "var", "") != ""

in_environment(s) if s.kind == "circleci-context"

named_before(list, i, name) if {
	some j, s in list
	j < i
	s.name == name
}

# masked_before(cmds, i, name) is true when a command before cmds[i] masks the
# variable name (`echo "::add-mask::$name"`).
masked_before(cmds, i, name) if {
	some j, cmd in cmds
	j < i
	add_mask(cmd, program(cmd))
	some w in args(cmd)
	some r in object.get(w, "refs", [])
	r.name == name
}

# ---------------------------------------------------------------------------------
# Tracing

# trace_on(cmd, prog) is the word that turns shell tracing on: `set -x`, `set -euxo
# pipefail`, `set -o xtrace`.
trace_on(cmd, "set") := [w |
	some i, w in args(cmd)
	traces(args(cmd), i)
][0]

traces(words, i) if regex.match(`^-[A-Za-z]*x[A-Za-z]*$`, words[i].value)

traces(words, i) if {
	words[i].value == "-o"
	words[i + 1].value == "xtrace"
}

# trace_off(cmd): `set +x`, `set +o xtrace`.
trace_off(cmd) if {
	program(cmd) == "set"
	some w in args(cmd)
	regex.match(`^\+[A-Za-z]*x[A-Za-z]*$`, w.value)
}

trace_off(cmd) if {
	program(cmd) == "set"
	some i, w in args(cmd)
	w.value == "+o"
	args(cmd)[i + 1].value == "xtrace"
}

# traced_shell(cmd, prog) is the flag of a shell started with tracing on a script
# file (`bash -x deploy.sh`, `sh -ex run.sh`).
traced_shell(cmd, prog) := [w |
	role(prog) == "shell"
	some w in args(cmd)
	regex.match(`^-[A-Za-z]*x[A-Za-z]*$`, w.value)
][0]

# traced_read(cmds, i, hs, interps) is the first secret a command after cmds[i] reads
# while tracing is still on, with that command's index.
traced_read(cmds, i, hs, interps) := [object.union(s, {"index": j}) |
	some j, cmd in cmds
	j > i
	not trace_off_between(cmds, i, j)
	s := reads_secret(cmd, hs, interps)
][0]

trace_off_between(cmds, i, j) if {
	some k, cmd in cmds
	k > i
	k < j
	trace_off(cmd)
}

# ---------------------------------------------------------------------------------
# Uploaded paths

# uploaded_by(job, target) is the first artifact of the job whose paths hold the file
# target (a path as a script writes it, made relative to the workspace).
uploaded_by(job, target) := [a |
	some a in job.artifacts
	uploads(a, target)
][0]

uploads(a, target) if {
	object.get(a, "untracked", false)
	relative(target)
}

uploads(a, target) if {
	some p in a.paths
	not startswith(p, "!")
	path_holds(normal_path(p), target)
	not excluded(a, target)
}

excluded(a, target) if {
	some p in a.paths
	startswith(p, "!")
	path_holds(normal_path(substring(p, 1, -1)), target)
}

relative(target) if {
	not startswith(target, "/")
	not startswith(target, "~")
}

# path_holds(p, target) is true when the upload path p (a file, a directory or a glob,
# relative to the workspace unless absolute) holds the file target.
path_holds(p, target) if {
	p in {"", "."}
	relative(target)
}

path_holds(p, target) if p == target

path_holds(p, target) if startswith(target, concat("", [p, "/"]))

path_holds(p, target) if {
	regex.match(`[*?\[{]`, p)
	glob.match(p, ["/"], target)
}

path_holds(p, target) if {
	regex.match(`[*?\[{]`, p)
	glob.match(concat("", [p, "/**"]), ["/"], target)
}

# A `**/` matches no directory too (Ant, GitLab and upload-artifact patterns:
# `**/*.txt` holds `token.txt`).
path_holds(p, target) if {
	contains(p, "**/")
	glob.match(replace(p, "**/", ""), ["/"], target)
}

# normal_path(p) is an upload path or a written file without a leading workspace
# prefix (`$GITHUB_WORKSPACE/`, `$CI_PROJECT_DIR/`, …), leading `./` and trailing
# slashes.
normal_path(p) := trim_right(regex.replace(strip_workspace(trim_space(p)), `^(\./)+`, ""), "/")

strip_workspace(p) := [substring(p, count(prefix), -1) |
	some prefix in tables.workspace_prefixes
	startswith(p, prefix)
][0] if {
	some prefix in tables.workspace_prefixes
	startswith(p, prefix)
} else := p

# file_target(r) is the file a redirection writes, relative to the workspace, when the
# script names it with static text; it is undefined for a path known only at run time.
file_target(word) := t if {
	t := normal_path(word.value)
	t != ""
	not regex.match(`[$%]|\$\{\{`, t)
}

# sink_variable(word) is the special file a redirection target names on GitHub
# ($GITHUB_OUTPUT, $GITHUB_ENV, $GITHUB_STEP_SUMMARY): "output", "env" or "summary".
sink_variable(word) := [kind |
	some r in object.get(word, "refs", [])
	r.kind == "shell"
	kind := tables.sink_variables.github[r.name]
][0]

discarded(word) if word.value in {t | some t in tables.discard_targets}

to_log(word) if word.value in {t | some t in tables.log_targets}
