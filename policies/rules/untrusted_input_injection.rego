# METADATA
# title: Attacker-controlled text injected into code or an AI agent's prompt
# description: >-
#   Text that an outsider writes (an issue or pull request title or body, a comment, a
#   branch name, a commit message) is pasted into a script by the CI template before the
#   shell runs (`${{ }}`, `<< >>`, Groovy `"${}"`), run as code (`eval`, `sh -c`),
#   expanded unquoted, or handed to an AI coding agent as its prompt. Pasted text can
#   close a quote and run its own commands; a prompt can tell the agent what to do. In a
#   job that holds secrets or a token that can write, either gives them away. An
#   environment variable stops shell injection but not prompt injection. Critical when
#   the job holds secrets or a token that can write, or an agent runs on an event an
#   outsider starts; high otherwise; one level lower for an unquoted expansion (it can
#   add arguments, not run code). Inputs and parameters that only people who can start
#   the pipeline set are medium (GitHub inputs and dispatch payloads at the pedantic
#   persona), and so is a job whose guard keeps outsiders out (pedantic).
# custom:
#   id: untrusted-input-injection
#   severity: high
#   confidence: high
#   category: injection
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-94
#   help: >-
#     Never paste attacker-controlled text into a script. Pass it through an environment
#     variable and use it quoted: GitHub `env: TITLE: ${{ github.event.issue.title }}`
#     then `echo "$TITLE"` (actions/github-script: read `context.payload` or
#     `process.env.TITLE` instead of `${{ }}` in `script:`); CircleCI `environment:
#     BRANCH: << pipeline.git.branch >>` then `"$BRANCH"`; Jenkins single-quoted `sh
#     'echo "$CHANGE_TITLE"'` instead of `sh "echo ${env.CHANGE_TITLE}"`; GitLab
#     `"$CI_MERGE_REQUEST_TITLE"` quoted, never in `eval` or `sh -c`. Declare inputs and
#     parameters with a type or a list of options (GitLab `options:`, CircleCI `enum`,
#     Jenkins `choice`) when they need not be free text. For AI agents an environment
#     variable is not enough: keep the attacker's text out of the prompt (tell the agent
#     where to read it, with read-only tools), and run it in a job without secrets and
#     with a read-only token (`permissions: contents: read`), gated on a trusted actor.
package pipeguard.rules.untrusted_input_injection

import rego.v1

import data.pipeguard.lib
import data.pipeguard.lib.agents
import data.pipeguard.lib.injection

# Each deny looks only at the steps whose values carry controlled text
# (Job.controlled_text, Step.controlled_text), finds that text first, then what
# receives it: most files have none, and pay for no more.

# Interpolations pasted into a run script (GitHub `run:`, GitLab `script:`, CircleCI
# `run`, Jenkins sh/bat/powershell GStrings).
deny contains finding if {
	some at in controlled
	some ip in at.step.run.script.interpolations
	src := injection.source(ip)
	finding := result(at, src, template_sink(at, ip), ip.pos)
}

# Interpolations in an action input that runs as code (actions/github-script `script:`)
# or in an agent action's prompt or extra arguments.
deny contains finding if {
	some at in controlled
	some v in at.step.with
	some ip in v.value.interpolations
	marked(ip)
	sink := input_sink(at.step, v.name)
	finding := result(at, injection.source(ip), sink, ip.pos)
}

# Shell variables run as code, handed to an agent (as an argument, an input or through
# a pipe), or expanded unquoted: in a command's words, its redirections' words
# (here-strings included) and its heredoc.
deny contains finding if {
	some at in controlled
	some cmd in at.step.run.commands
	some w in cmd.argv
	some ref in object.get(w, "refs", [])
	marked(ref)
	finding := shell_finding(at, cmd, ref)
}

deny contains finding if {
	some at in controlled
	some cmd in at.step.run.commands
	some rd in object.get(cmd, "redirects", [])
	some ref in object.get(object.get(rd, "target", {}), "refs", [])
	marked(ref)
	finding := shell_finding(at, cmd, ref)
}

deny contains finding if {
	some at in controlled
	some cmd in at.step.run.commands
	some ref in object.get(cmd, "stdin_refs", [])
	marked(ref)
	finding := shell_finding(at, cmd, ref)
}

shell_finding(at, cmd, ref) := result(at, injection.ref_source(ref), sink, ref.pos) if {
	ref.kind == "shell"
	sink := shell_sink(at, cmd, ref)
}

# marked(x) is a cheap first test: a reference or interpolation carries controlled
# text (the source is described only for those that reach a sink).
marked(x) if x.untrusted

marked(x) if object.get(x, "author_controlled", false)

# controlled lists the steps whose values carry controlled text, as {job, step, label}
# (the shape of the lib views' entries, without the environment they build) with key,
# the step's place in the file ([job index, step index]).
controlled := [{"job": job, "step": step, "label": step.label, "key": [j, i]} |
	some j, job in input.jobs
	job.controlled_text
	some i, step in job.steps
	step.controlled_text
]

# input_sink(step, name) says what an action does with its input name: run it as a
# script, or hand it to an agent as its prompt or arguments.
input_sink(step, name) := {"kind": "action-script", "phrase": sprintf("is pasted into the %s script (`%s:`) before it runs", [key, name]), "agent": false} if {
	key := agents.action_key(step.uses)
	name in data.pipeguard.injection.script_inputs[key]
} else := {"kind": "agent-input", "phrase": sprintf("reaches the %s prompt (`%s:`)", [agents.clis[action.cli].title, name]), "agent": true} if {
	action := agents.action_of(step)
	name in array.concat(object.get(action, "prompt_inputs", []), object.get(action, "args_inputs", []))
}

# fed(cmd, x) is true when a reference or interpolation x is in what a command hands
# on as data: its arguments (`echo "$X" |`, `claude -p "$X"`), a here-string or a
# heredoc (`cat <<EOF |`), not its name or the files it redirects to.
fed(cmd, ref) if {
	within(ref.pos, cmd.pos)
	some w in array.slice(cmd.argv, 1, count(cmd.argv))
	within(ref.pos, w.pos)
}

fed(cmd, ref) if within(ref.pos, cmd.stdin.pos)

# agent_cli(cmd) is the agent a command line runs (lib.agent_runs' test, applied to
# the commands of the one step at hand rather than to the whole file).
agent_cli(cmd) := cli if {
	cli := agents.cli_of(cmd)
	agents.is_run(cmd, cli)
}

# agent_runs_of holds, by the key of each step with controlled text, its agent runs as
# {cmd, cli}: computed once per file, so that each finding looks at its own step's
# agent runs only.
agent_runs_of := {at.key: runs |
	some at in controlled
	runs := [{"cmd": cmd, "cli": cli} | some cmd in at.step.run.commands; cli := agent_cli(cmd)]
}

# template_sink(at, ip) says where an interpolation of a script goes: into the script,
# and into an agent's prompt when it lies in an agent run's arguments or input.
template_sink(at, ip) := {"kind": "agent-script", "phrase": sprintf("is %s into the %s script and the %s prompt before it runs", [pasted, shell_name(at.step.run), agents.clis[r.cli].title]), "agent": true} if {
	some r in agent_runs_of[at.key]
	fed(r.cmd, ip)
} else := {"kind": "script", "phrase": sprintf("is %s into the %s script before it runs", [pasted, shell_name(at.step.run)]), "agent": false}

# shell_name(run) names a script's interpreter: `bash` for `shell: bash -el {0}`.
shell_name(run) := split(trim_space(run.shell), " ")[0] if trim_space(run.shell) != ""

else := "shell"

pasted := "interpolated by Groovy" if input.platform == "jenkins"

else := "pasted"

# shell_sink(at, cmd, ref) says what a command does with a shell variable that carries
# controlled text: run it as code, hand it to an agent, or split and glob it (a git ref
# name cannot be split or globbed); undefined otherwise (quoted in an ordinary command).
shell_sink(at, cmd, ref) := {"kind": "code", "phrase": sprintf("is run as code by `%s`", [code_runner(cmd)]), "agent": false} if {
	object.get(ref, "code", false)
} else := {"kind": "agent-argument", "phrase": sprintf("reaches the %s prompt", [agents.clis[r.cli].title]), "agent": true} if {
	some r in agent_runs_of[at.key]
	r.cmd.pos == cmd.pos
	fed(cmd, ref)
} else := {"kind": "agent-pipe", "phrase": sprintf("is piped into the %s prompt", [agents.clis[r.cli].title]), "agent": true} if {
	some r in agent_runs_of[at.key]
	r.cmd.pipe.id == cmd.pipe.id
	r.cmd.pipe.index == cmd.pipe.index + 1
	fed(cmd, ref)
} else := {"kind": "unquoted", "phrase": sprintf("is expanded unquoted, split into words and glob-expanded, as an argument of `%s`", [cmd.argv[0].value]), "agent": false, "confidence": "medium"} if {
	ref.quoting == "unquoted"
	ref.untrusted
	not object.get(ref, "ref_name", false)
	count(cmd.argv) > 0
}

# code_runner(cmd) names what runs a word as code: the command (eval, iex, sh), or the
# shell wrapper whose script the reference was expanded into.
code_runner(cmd) := cmd.wrapped_by[count(cmd.wrapped_by) - 1] if {
	count(object.get(cmd, "wrapped_by", [])) > 0
	not code_word(cmd)
} else := cmd.argv[0].value if count(cmd.argv) > 0

else := "a shell"

code_word(cmd) if {
	some w in cmd.argv
	object.get(w, "code", false)
}

# within(inner, outer) is true when span inner lies inside span outer.
within(inner, outer) if {
	not before(inner.line, inner.col, outer.line, outer.col)
	not before(outer.end_line, outer.end_col, inner.end_line, inner.end_col)
}

before(l1, _, l2, _) if l1 < l2

before(l1, c1, l2, c2) if {
	l1 == l2
	c1 < c2
}

# result builds the finding for a controlled source reaching a sink at pos, at step s
# (a places entry), unless an author-controlled
# source is a parameter that cannot hold free text.
result(s, src, sink, pos) := {
	"msg": sprintf("%s%s %s in job `%s`%s: %s", [quoted(src.name), via_text(src), sink.phrase, s.job.id, on_text(s.job, src), a.why]),
	"pos": pos,
	"severity": lowered(a.severity, sink),
	"persona": a.persona,
	"confidence": object.get(sink, "confidence", "high"),
	"job": s.job.id,
	"step": s.label,
	"evidence": concat("|", [src.name, src.via, sink.kind]),
} if {
	reportable(s, src)
	a := assess(s, src, sink)
}

# lowered(severity, sink) is one level lower for an unquoted expansion, which can add
# arguments and glob matches to a command but not run code of its own.
lowered(severity, sink) := {"critical": "high", "high": "medium", "medium": "low"}[severity] if sink.kind == "unquoted"

else := severity

# reportable(s, src) leaves out sources that no trigger of the job sets, that the job's
# or the step's condition pins to a literal, and author-controlled parameters that
# cannot hold free text.
reportable(s, src) if {
	injection.carried(s.job, src)
	not pinned(s, src)
	free_text_or_untrusted(src)
}

free_text_or_untrusted(src) if src.kind == "untrusted"

free_text_or_untrusted(src) if {
	src.kind == "author"
	injection.free_text(src)
}

pinned(s, src) if lower(src.name) in object.get(object.get(s.job, "condition", {}), "pinned", [])

pinned(s, src) if lower(src.name) in object.get(object.get(s.step, "condition", {}), "pinned", [])

quoted(name) := concat("", ["`", name, "`"])

via_text(src) := sprintf(" (through `%s`)", [src.via]) if src.via != ""

else := ""

on_text(job, src) := sprintf(" on %s", [concat(", ", events)]) if {
	events := {t.event | some t in triggers_named(job, src)}
	count(events) > 0
} else := ""

# triggers_named(job, src) are the triggers a message names: those that bring an
# outsider's text, else (and for author-controlled sources) the job's triggers that set
# the source.
triggers_named(job, src) := ts if {
	src.kind == "untrusted"
	ts := injection.reach_triggers(job, src)
	count(ts) > 0
} else := injection.carriers(job, src)

# assess decides severity, persona and the message's consequence.
assess(s, src, sink) := {"severity": "medium", "persona": author_persona, "why": sprintf("whoever can start the pipeline %s through it", [what(sink)])} if {
	src.kind == "author"
} else := {"severity": "medium", "persona": "pedantic", "why": sprintf("the job's guard `%s` keeps outsiders out, but whoever passes it %s", [g.detail, what(sink)])} if {
	g := injection.blocking_guard(s.job, src)
} else := {"severity": "critical", "persona": "regular", "why": sprintf("whoever writes it %s with the job's secrets (%s)", [what(sink), secret_names(secrets)])} if {
	secrets := job_secrets(s.job)
	count(secrets) > 0
	injection.secrets_reachable(s.job, src)
} else := {"severity": "critical", "persona": "regular", "why": sprintf("whoever writes it %s with a token that can write to the repository (%s)", [what(sink), token_reason(s.job)])} if {
	injection.write_token(s.job, src)
} else := {"severity": "critical", "persona": "regular", "why": sprintf("whoever writes it %s, on an event an outsider starts", [what(sink)])} if {
	sink.agent
	some t in injection.reach_triggers(s.job, src)
	t.trust == "untrusted"
} else := {"severity": "high", "persona": "regular", "why": sprintf("whoever writes it %s", [what(sink)])}

# job_secrets(job) are the secrets any step of the job can read: code injected into one
# step runs on the same runner as the others, and can wait for their secrets (a binary
# on the PATH, a $GITHUB_ENV write, a changed workspace).
job_secrets(job) := [x | some st in job.steps; some x in lib.secrets_in_scope(job, st)]

author_persona := "pedantic" if input.platform == "github"

else := "regular"

what(sink) := "can run commands in the job and steer the agent" if sink.kind == "agent-script"

else := "can steer the agent" if sink.agent

else := "can add arguments" if sink.kind == "unquoted"

else := "can run commands in the job"

secret_names(secrets) := concat(", ", names) if {
	all := sort({x.name | some x in secrets})
	names := array.concat(array.slice(all, 0, 3), more(count(all)))
}

more(n) := [sprintf("and %d more", [n - 3])] if n > 3

else := []

token_reason(job) := "no `permissions:` block: the repository's default token is assumed to write" if {
	not job.permissions
	not input.permissions
} else := "`permissions:` grants write"
