// Package jenkins parses Jenkinsfiles (declarative and scripted pipelines, and Groovy
// shared-library scripts) into the normalized model, on top of the Groovy-subset parser
// in internal/parse/groovy.
//
// Context comes from lexical nesting: the walker carries the effective agent, the
// credential bindings, `withEnv` variables, the stage path and change-request conditions
// down into every block, and each step is filed under the job of its context.
//
// How a Jenkinsfile maps onto the model:
//
//   - Groovy syntax errors become Pipeline.ParseErrors (not Partial); shell syntax
//     errors inside an `sh` script become Partial parse errors. Whatever parsed is still
//     analysed.
//   - Jobs. A job is one stage running on one agent. Declarative stages, scripted
//     `stage('x') { … }` blocks (found anywhere: in node, functions, closures, parallel
//     maps) and old-style `stage 'x'` statements (which name the stage of the statements
//     after them) each give a job, with ID the stage path ("outer/inner" for nested,
//     parallel and matrix stages), Name the stage's own name and Pos its `stage(…)` head.
//     Entries of a scripted `parallel` map are stages too, named by their keys. A job
//     exists only when a step was filed under it. Steps outside any stage go into a job
//     named after where they stand: "(scripted)" at the top level, "post" for the
//     pipeline's `post {}`, "environment" for commands run by the pipeline's
//     `environment {}`, and "name()" inside a function (functions are walked once, where
//     they are defined, with an unknown agent, since they run wherever they are called).
//     When the agent changes inside a stage (`stage { sh …; docker.image(…).inside { … } }`),
//     the steps under the new agent go into a separate job "stage/inside" (or
//     "stage/node"); the first agent that runs a step of a stage keeps the stage's ID, so
//     `stage('b') { node('x') { … } }` is simply "b". Repeated IDs get a "#2" suffix.
//   - Runner. `agent any`, `agent { label … }`, `agent { node { … } }` and `node(…)` are
//     self-hosted with isolation "none" unless Input.RunnerIsolation maps the label
//     expression or one of its labels; `agent none` (and code outside any node) is
//     unknown; `agent { docker | dockerfile | kubernetes }`, `docker.image(…).inside`,
//     `withDockerContainer` and `node` inside `podTemplate` are containers, "isolated"
//     unless their docker args or pod spec make them privileged, mount the Docker socket
//     or use the host network, which makes them "none" (internal/parse/isolation decides
//     it, and Runner.Escapes lists the settings as written).
//   - Environment. The pipeline's `environment {}` is Pipeline.Env, a stage's is Job.Env
//     (nested stages inherit it), `withEnv([…])` entries are Step.Env of the steps inside.
//     `X = credentials('id')` gives Vars X, X_USR and X_PSW with a SecretRef and a
//     Credential with those Vars on every job in its scope.
//   - Credentials. `withCredentials([…])` bindings (calls or `[$class: …]` maps) become
//     Credentials (ID = credentialsId, Vars = every `*Variable`/`variable` name) on the
//     jobs with steps inside, and their variables appear in Step.Env with a SecretRef;
//     `sshagent` gives Credentials of kind "ssh-agent"; any other `credentialsId:`
//     argument (git, checkout, docker.withRegistry's second argument, …) gives a
//     Credential without Vars; `agent { docker { registryCredentialsId … } }` is a
//     Runner credential. Job.Credentials is the union over the job's steps; each step's
//     Credentials are the bindings in its lexical scope (withCredentials and sshagent
//     blocks, environment credentials of its stage and the pipeline, wrappers'
//     credentialsId) and its own credentialsId arguments. Pipeline.Secrets lists every
//     SecretRef once.
//   - Steps. `sh`/`bat`/`powershell`/`pwsh` (positional or `script:`) are run steps with
//     Shell "sh", "cmd", "powershell" or "pwsh"; `sh` scripts are analysed as bash (a
//     superset of what /bin/sh accepts on most agents) unless a shebang names another
//     shell. The script is the decoded Groovy string (escapes processed, a map back to
//     the file); in a GString the `${…}` parts stay as written and are listed as
//     Interpolations with their positions, while single-quoted strings have none (`$X`
//     there is the shell's). A script built with `+` is concatenated, non-string operands
//     standing as `${expr}` interpolations. The Groovy string kind is kept in Step.StringKind
//     (single, double, triple-single, triple-double, slashy, dollar-slashy), on run
//     steps and on other steps whose first positional argument is a string. Other step calls (echo, git, checkout,
//     docker.build, library functions, …) are "jenkins-step" steps named by their call
//     path, their arguments in With (named ones by name, positional strings as "_",
//     strings nested in lists and maps under their key). Wrappers with a closure
//     (timeout, dir, script, retry, …) are not steps; their blocks are walked.
//     `finally` blocks and post `always`/`cleanup` conditions give Always steps.
//     `checkout` and `git` steps have Step.Checkouts (checkout.go); `archiveArtifacts`
//     and `stash` give Job.Artifacts with the step's label (artifacts.go).
//   - Options. The declarative pipeline's `options {}` entries, and the job properties
//     of scripted `properties([…])` (`[$class: 'BuildDiscarderProperty', …]` as
//     buildDiscarder), are Pipeline.Options, each with its arguments as written.
//   - Includes. `@Library`, `library …` and `libraries { lib … }` are Includes of kind
//     "library" plus Unresolved "library"; `load` is an Include of kind "load" plus
//     Unresolved "load"; `evaluate(…)` is Unresolved "evaluate".
//   - Triggers. Pipeline.Triggers always holds a trusted "push" (branch builds of the
//     SCM), plus `triggers {}`/`pipelineTriggers` entries (cron → schedule, upstream →
//     pipeline, issueCommentTrigger and GenericTrigger → untrusted). Every trigger has
//     Secrets: Jenkins gives change-request builds the credentials their Jenkinsfile
//     asks for; whether a fork's Jenkinsfile is trusted at all is a setting of the
//     multibranch job ("Trust" of the branch source), invisible in the file.
//   - Conditions and guards (builds.go, when.go). Conditions are evaluated for three
//     kinds of build: a branch build, a change request from the repository, one from a
//     fork, reading the CHANGE_* variables of untrusted.JenkinsChangeVariables and
//     BRANCH_NAME (PR-… in change requests). A declarative stage's `when {}` is its
//     Job.Condition. A `when` condition, or the branch of an `if`, that holds in no branch
//     build but may in a change request (`changeRequest()`, `branch 'PR-*'`,
//     `expression { env.CHANGE_ID }`, `if (env.CHANGE_FORK)`) gives its jobs a
//     Job.Triggers entry {change_request, untrusted}, and the pipeline lists that event
//     too. A condition that must hold and never does in a fork's change request is a
//     Job.Guards entry: not-change when it also excludes the repository's own change
//     requests (`not { changeRequest() }`, `branch 'main'`, `buildingTag()`),
//     same-repo when only forks' (`expression { env.CHANGE_FORK == null }`,
//     `if (!env.CHANGE_FORK)`). Nested stages and blocks inherit both.
//   - Values. Every other non-empty string literal of the file is a Pipeline.Values entry
//     named by its enclosing named argument, map key, assignment target or declared
//     variable (so `def token = '…'` and `password: '…'` reach the secret detector).
package jenkins

import (
	"fmt"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
)

func init() { parse.Register(model.PlatformJenkins, Parse) }

// Parse parses one Jenkinsfile or Groovy pipeline script. It never fails: Groovy syntax
// errors become ParseErrors and everything that parsed is still analysed.
func Parse(in parse.Input) *model.Pipeline {
	p := newParser(in)
	file, errs := groovy.Parse(in.Data)
	for _, e := range errs {
		parse.AddError(p.pipe, model.ParseError{Message: "invalid Groovy: " + e.Msg, Pos: e.Pos})
	}
	p.collectLocals(file)
	p.pipe.Triggers = []model.Trigger{{Event: "push", Trust: model.TrustTrusted, Secrets: true, Pos: model.Point(1, 1)}}
	p.stmts(file.Statements, &scope{base: "(scripted)"})
	p.finish()
	if p.budget.Exceeded() {
		parse.TooLarge(p.pipe, p.budget.Limit())
	}
	return p.pipe
}

// parser holds the state of one Parse call.
type parser struct {
	in   parse.Input
	src  []byte
	pipe *model.Pipeline
	// lineStarts holds the byte offset at which each line starts (index 0 is line 1).
	lineStarts []int
	// asciiLine tells the lines whose columns are byte offsets.
	asciiLine []bool
	// cursor is the last position offset resolved on a non-ASCII line, from which the
	// next one on that line continues, so scanning a long line stays linear.
	cursor struct{ line, col, off int }
	// consumed marks the string literals the model already carries elsewhere, so that
	// they are not repeated in Pipeline.Values.
	consumed map[*groovy.String]bool
	// locals are the names declared anywhere in the file (variables, parameters); a
	// method call on one of them is not a pipeline step.
	locals map[string]bool
	// funcs are the functions defined in the file: calls to them are not steps (their
	// bodies are walked where they are defined).
	funcs map[string]bool
	jobs  []*jobState
	// jobIndex finds the job of a stage occurrence and agent.
	jobIndex map[jobKey]*jobState
	// stageJobs counts the jobs made for one stage occurrence, to name the split ones.
	stageJobs map[stageKey]int
	usedIDs   map[string]bool
	// changeRequest is set once the pipeline lists the change_request trigger.
	changeRequest bool
	// budget counts the model's weight as steps and values are built.
	budget *parse.Budget
}

func newParser(in parse.Input) *parser {
	p := &parser{
		in:        in,
		src:       in.Data,
		pipe:      &model.Pipeline{Platform: model.PlatformJenkins, Kind: model.KindPipeline, File: in.Path},
		budget:    parse.NewBudget(in),
		consumed:  map[*groovy.String]bool{},
		locals:    map[string]bool{},
		funcs:     map[string]bool{},
		jobIndex:  map[jobKey]*jobState{},
		stageJobs: map[stageKey]int{},
		usedIDs:   map[string]bool{},
	}
	start := 0
	if len(p.src) >= 3 && p.src[0] == 0xEF && p.src[1] == 0xBB && p.src[2] == 0xBF {
		start = 3
	}
	p.lineStarts = append(p.lineStarts, start)
	ascii := true
	for i := start; i < len(p.src); i++ {
		switch c := p.src[i]; {
		case c == '\n':
			p.lineStarts = append(p.lineStarts, i+1)
			p.asciiLine = append(p.asciiLine, ascii)
			ascii = true
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	p.asciiLine = append(p.asciiLine, ascii)
	return p
}

// collectLocals records every declared name of the file.
func (p *parser) collectLocals(file *groovy.File) {
	groovy.Inspect(file, func(n groovy.Node) bool {
		switch n := n.(type) {
		case *groovy.Decl:
			for _, v := range n.Vars {
				if v.Name != nil {
					p.locals[v.Name.Name] = true
				}
			}
		case *groovy.Func:
			p.funcs[n.Name] = true
			p.noteParams(n.Params)
		case *groovy.Closure:
			p.noteParams(n.Params)
		case *groovy.For:
			if n.Var != nil {
				p.locals[n.Var.Name] = true
			}
		case *groovy.Catch:
			if n.Name != nil {
				p.locals[n.Name.Name] = true
			}
		}
		return true
	})
}

func (p *parser) noteParams(params []*groovy.Param) {
	for _, prm := range params {
		if prm.Name != nil {
			p.locals[prm.Name.Name] = true
		}
	}
}

// offset returns the byte offset of line:col (1-based, col in code points), clamped to
// the source.
func (p *parser) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(p.lineStarts) {
		return len(p.src)
	}
	lineStart, lineEnd := p.lineStarts[line-1], len(p.src)
	if line < len(p.lineStarts) {
		lineEnd = p.lineStarts[line] - 1
	}
	if p.asciiLine[line-1] {
		return min(lineStart+max(col-1, 0), lineEnd)
	}
	off, c := lineStart, 1
	if p.cursor.line == line && p.cursor.col <= col {
		off, c = p.cursor.off, p.cursor.col
	}
	for ; c < col && off < lineEnd; c++ {
		_, size := utf8.DecodeRune(p.src[off:lineEnd])
		off += size
	}
	p.cursor.line, p.cursor.col, p.cursor.off = line, c, off
	return off
}

// source returns the file text of pos as written.
func (p *parser) source(pos model.Pos) string {
	if pos.IsZero() {
		return ""
	}
	start, end := p.offset(pos.Line, pos.Col), p.offset(pos.EndLine, pos.EndCol)
	if end < start {
		return ""
	}
	return string(p.src[start:end])
}

// headPos returns the span of a call's head: its callee and arguments, without the
// trailing closure (`stage('Build')`, `agent any`, `node('x')`).
func (p *parser) headPos(c *groovy.Call) model.Pos {
	pos := c.Pos
	end := c.Callee.Span()
	for _, a := range c.Args {
		if a.Value != nil {
			if s := a.Value.Span(); after(s, end) {
				end = s
			}
		}
	}
	pos.EndLine, pos.EndCol = end.EndLine, end.EndCol
	if c.Paren {
		// Include the closing parenthesis when it follows the last argument (or the
		// opening one, for a call without arguments).
		off := p.offset(end.EndLine, end.EndCol)
		open := len(c.Args) == 0
		for off < len(p.src) && (p.src[off] == ' ' || p.src[off] == '\t' || p.src[off] == ',' || (open && p.src[off] == '(')) {
			open = open && p.src[off] != '('
			off++
		}
		if off < len(p.src) && p.src[off] == ')' {
			pos.EndCol += utf8.RuneCount(p.src[p.offset(end.EndLine, end.EndCol) : off+1])
		}
	}
	return pos
}

// after reports whether span a ends after span b.
func after(a, b model.Pos) bool {
	return a.EndLine > b.EndLine || (a.EndLine == b.EndLine && a.EndCol > b.EndCol)
}

func (p *parser) errorf(pos model.Pos, partial bool, format string, args ...any) {
	parse.AddError(p.pipe, model.ParseError{Message: fmt.Sprintf(format, args...), Pos: pos, Partial: partial})
}
