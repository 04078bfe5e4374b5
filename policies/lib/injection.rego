# METADATA
# title: injection helpers
# description: >-
#   What an interpolation or a script reference carries that an attacker (or a pipeline
#   author) controls, who can reach a job with it, and what the job holds. The model
#   decides attacker control (internal/untrusted, followed through outputs and env by
#   the parsers); these helpers only read it. Tables are in injection.json
#   (data.pipeguard.injection).
package pipeguard.lib.injection

import rego.v1

import data.pipeguard.lib

# source(ip) describes the controlled text an interpolation carries, as {name, via,
# kind, events}: the first untrusted context (else the first author-controlled one),
# named by the context it was followed to when it is an intermediary (via names the
# intermediary), kind "untrusted" or "author", and events the events whose payload sets
# it (github_context_events; absent when any event may). Undefined when the
# interpolation carries none.
source(ip) := first_source(object.get(ip, "contexts", []), "untrusted", ip.expr) if ip.untrusted

else := first_source(object.get(ip, "contexts", []), "author_controlled", ip.expr) if {
	object.get(ip, "author_controlled", false)
}

first_source(contexts, flag, expr) := context_source(marked[0], flag) if {
	marked := [c | some c in contexts; object.get(c, flag, false)]
	count(marked) > 0
} else := described(expr, "", kinds[flag])

context_source(c, flag) := described(c.from, c.path, kinds[flag]) if {
	object.get(c, "from", "") != ""
} else := described(c.path, "", kinds[flag])

# described builds a source, with the events that set it when only some do.
described(name, via, kind) := {"name": name, "via": via, "kind": kind, "events": events} if {
	events := context_events(name)
} else := {"name": name, "via": via, "kind": kind}

kinds := {"untrusted": "untrusted", "author_controlled": "author"}

# ref_source(r) is source for a word reference: a shell variable is named `$NAME`, or
# by the context it was set from (then via is `$NAME`); a CI reference by its
# expression, or the source its value was followed to.
ref_source(r) := ref_named(r, "untrusted") if r.untrusted

else := ref_named(r, "author_controlled") if object.get(r, "author_controlled", false)

ref_named(r, flag) := described(r.from, spelled(r), kinds[flag]) if {
	object.get(r, "from", "") != ""
} else := described(spelled(r), "", kinds[flag])

spelled(r) := concat("", ["$", r.name]) if r.kind == "shell"

else := r.name

# carried(job, src) is false when no trigger of the job can set the source: a GitHub
# context that only some events' payloads hold (github_context_events) read in a
# workflow none of whose triggers is one of them (`github.head_ref` on push) is empty.
# A file without triggers (a composite action) may be run on any event.
carried(job, src) if count(carriers(job, src)) > 0

carried(job, _) if count(lib.triggers(job)) == 0

carriers(job, src) := [t | some t in lib.triggers(job); carries(t, src)]

carries(_, src) if not src.events

carries(t, src) if t.event in src.events

carries(t, _) if t.event in data.pipeguard.injection.github_any_event

# context_events(name) are the events whose payload sets a GitHub source; undefined
# when any event may (or the platform is not GitHub).
context_events(name) := found[0] if {
	input.platform == "github"
	parts := split(lower(name), ".")
	found := [events |
		some n in numbers.range(count(parts), 1)
		events := data.pipeguard.injection.github_context_events[concat(".", array.slice(parts, 0, n))]
	]
	count(found) > 0
}

# reach_triggers(job, src) are the job's triggers on which an outsider's text can
# arrive as src: its untrusted triggers that carry src, that its event guards admit and
# that no guard of guard_kinds keeps outsiders from. Without such untrusted triggers it is
# every trigger the event guards admit that carries src: a push carries the commit
# messages and branch names of whoever wrote them. A file without triggers (a composite
# action) has none.
reach_triggers(job, src) := [t | some t in candidates(job, src); not guarded_for(job, t)]

candidates(job, src) := ts if {
	ts := [t | some t in lib.untrusted_triggers(job); admitted(job, t); carries(t, src)]
	count(ts) > 0
} else := [t | some t in lib.triggers(job); admitted(job, t); carries(t, src)]

# blocking_guard(job, src) is a guard that keeps outsiders from every trigger that
# could bring src to the job (reach_triggers is empty because of it), if there is one.
blocking_guard(job, src) := gs[0] if {
	count(reach_triggers(job, src)) == 0
	gs := [g | some g in job.guards; some t in candidates(job, src); guard_holds(g, t)]
	count(gs) > 0
}

# The guards that keep forks and outsiders out (model Guard kinds); event guards narrow
# the triggers instead.
guard_kinds := {"same-repo", "actor", "protected-ref", "branch-filter", "not-change"}

guarded_for(job, t) if {
	some g in job.guards
	guard_holds(g, t)
}

guard_holds(g, t) if {
	g.kind in guard_kinds
	events := object.get(g, "events", [])
	any_event_or(events, t.event)
}

any_event_or(events, _) if count(events) == 0

any_event_or(events, event) if event in events

admitted(job, t) if {
	every g in job.guards {
		admits(g, t)
	}
}

admits(g, _) if g.kind != "event"

admits(g, t) if {
	g.kind == "event"
	t.event in object.get(g, "events", [])
}

# secrets_reachable(job, src) is true when runs started by the reach triggers get the
# repository's secrets (and, on GitHub, a token that can write), or when the file has no
# triggers of its own (a composite action: its caller decides).
secrets_reachable(job, src) if {
	some t in reach_triggers(job, src)
	t.secrets
}

secrets_reachable(job, _) if count(lib.triggers(job)) == 0

# write_token(job, src) is true when a GitHub workflow job's token can write: its
# `permissions:` (else the workflow's) grant a write scope or write-all. Without any
# `permissions:` block the token has the repository's default permissions, which
# pipeguard cannot see; they are assumed to include write (the default of repositories
# created before February 2023 and of organisations that never changed it). Events whose
# fork runs get a read-only token (pull_request and its reviews) do not count.
write_token(job, src) if {
	input.platform == "github"
	input.kind == "workflow"
	some t in reach_triggers(job, src)
	t.secrets
	writes(permissions(job))
}

permissions(job) := job.permissions if job.permissions

else := input.permissions if input.permissions

else := {"all": "default"}

writes(p) if object.get(p, "all", "") in {"write-all", "default"}

writes(p) if {
	some v in object.get(p, "scopes", {})
	v == "write"
}

# free_text(src) is true when an author-controlled source can hold any text: the
# parameter it names is not declared (unknown is not absent), or is declared with a
# free-text type of the platform (text_parameter_types) and no enum of allowed values
# (a name declared twice, for two triggers, counts when either declaration does).
free_text(src) if not declared(src)

free_text(src) if {
	some p in declarations(src)
	p.type in data.pipeguard.injection.text_parameter_types[input.platform]
	count(object.get(p, "enum", [])) == 0
}

declared(src) if count(declarations(src)) > 0

declarations(src) := [p |
	name := parameter_name(src.name)
	some p in input.parameters
	p.name == name
]

# parameter_name(path) is the parameter a source path names: "x" for
# `pipeline.parameters.x`, `inputs.x` (with or without GitLab functions after it),
# `params.x` and `github.event.inputs.x`.
parameter_name(path) := name if {
	some prefix in parameter_prefixes
	startswith(trim_space(path), prefix)
	rest := substring(trim_space(path), count(prefix), -1)
	name := split(split(split(rest, " ")[0], "|")[0], ".")[0]
	name != ""
}

parameter_prefixes := ["pipeline.parameters.", "github.event.inputs.", "inputs.", "params."]
