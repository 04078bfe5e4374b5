package github

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Checkouts: which steps fetch source code, and whose. An `actions/checkout` step is
// decided from its `ref:` and `repository:` inputs; a script checks out code with
// `gh pr checkout`, `git fetch … pull/N/head`, `git checkout`/`git switch` of a head
// ref, or `git clone` of the head repository. Values are followed through job outputs,
// step outputs (`echo "x=…" >> $GITHUB_OUTPUT`), `$GITHUB_ENV` writes and `env:`, at
// most maxHops deep.

const (
	// maxHops bounds how many outputs and variables one value is followed through.
	maxHops = 4
	// maxLookups bounds the work spent on one checkout, however the outputs fan out.
	maxLookups = 64
)

// headRefPaths are the contexts (lower-cased) that name the pull request's head commit
// or branch, or the head of the run that triggered a workflow_run: code a fork writes.
// A path below a prefix ending in "." counts too.
var headRefPaths = []string{
	"github.head_ref",
	"github.event.pull_request.head.",
	"github.event.pull_request.merge_commit_sha",
	"github.event.workflow_run.head_sha",
	"github.event.workflow_run.head_branch",
	"github.event.workflow_run.head_commit.",
	"github.event.workflow_run.pull_requests.",
	"github.event.issue.pull_request.",
	"github.event.workflow_run.head_repository.",
}

// baseRefPaths are the contexts that name the event's own commit, ref or repository, or
// the pull request's base: code only people with write access change.
var baseRefPaths = []string{
	"github.sha",
	"github.ref",
	"github.ref_name",
	"github.base_ref",
	"github.repository",
	"github.event.pull_request.base.",
	"github.event.repository.",
	"github.event.after",
	"github.event.release.tag_name",
	"github.event.merge_group.",
}

// matchesPath reports whether the lower-cased path is one of list or lies below one of
// its prefixes.
func matchesPath(path string, list []string) bool {
	for _, p := range list {
		if path == p || strings.HasSuffix(p, ".") && strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// isPullRef reports whether a ref as written names a pull request's ref: `refs/pull/…`,
// or `pull/N/head` and `pull/N/merge`.
func isPullRef(v string) bool {
	v = strings.ToLower(v)
	if strings.Contains(v, "refs/pull/") {
		return true
	}
	i := strings.Index(v, "pull/")
	return i >= 0 && (strings.Contains(v[i:], "/head") || strings.Contains(v[i:], "/merge"))
}

// origin is what a value tells about whose code it names.
type origin struct {
	// target is a model.Checkout* target, or "" for a value with nothing to tell (a
	// literal).
	target string
	reason string
}

// rank orders origins: the pull request's code wins over unknown, which wins over the
// base.
func (o origin) rank() int {
	switch o.target {
	case model.CheckoutPullRequest:
		return 3
	case model.CheckoutUnknown:
		return 2
	case model.CheckoutBase:
		return 1
	}
	return 0
}

func stronger(a, b origin) origin {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// through prefixes a reason with the output or variable it was followed through.
func through(name string, o origin) origin {
	if o.target != "" {
		o.reason = name + " ← " + o.reason
	}
	return o
}

// resolver decides whose code values name within one pipeline.
type resolver struct {
	pipe *model.Pipeline
	// workflowRun is true when a workflow_run event triggers the pipeline: its jobs see
	// artifacts of the run that triggered it.
	workflowRun bool
	// lookups counts the work spent on the current checkout (maxLookups).
	lookups int
}

// scope is the place a value is read at: a job and the index of the step (steps before
// it can have set outputs and variables).
type scope struct {
	job  *model.Job
	step int
}

// findCheckouts fills Step.Checkouts of every job of pipe. It runs after all jobs are
// parsed, since `needs.<job>.outputs` may name a later job of the file.
func findCheckouts(pipe *model.Pipeline) {
	r := &resolver{pipe: pipe}
	for _, t := range pipe.Triggers {
		r.workflowRun = r.workflowRun || t.Event == "workflow_run"
	}
	for i := range pipe.Jobs {
		job := &pipe.Jobs[i]
		for s := range job.Steps {
			at := scope{job: job, step: s}
			st := &job.Steps[s]
			if co, ok := r.actionCheckout(st, at); ok {
				st.Checkouts = append(st.Checkouts, co)
			}
			if st.Run != nil {
				st.Checkouts = append(st.Checkouts, r.scriptCheckouts(st.Run, at)...)
			}
		}
	}
}

// actionCheckout describes an actions/checkout step.
func (r *resolver) actionCheckout(st *model.Step, at scope) (model.Checkout, bool) {
	if !isAction(st.Uses, "actions", "checkout") {
		return model.Checkout{}, false
	}
	co := model.Checkout{PersistCredentials: true, Pos: st.Uses.Pos}
	var ref, repo *model.Var
	for i := range st.With {
		v := &st.With[i]
		switch v.Name {
		case "ref":
			ref, co.Ref = v, v.Value.Value
		case "repository":
			repo, co.Repository = v, v.Value.Value
		case "path":
			co.Path = v.Value.Value
		case "persist-credentials":
			co.PersistCredentials = !strings.EqualFold(strings.TrimSpace(v.Value.Value), "false")
		}
	}
	decide := func(v *model.Var, what string, o origin) {
		co.Target, co.Reason, co.Pos = o.target, what+": "+o.reason, v.Value.Pos
	}
	r.lookups = 0
	var refOrigin, repoOrigin origin
	if ref != nil {
		refOrigin = r.ref(ref.Value, at, 0)
	}
	if repo != nil {
		repoOrigin = r.text(repo.Value, at, 0)
	}
	switch {
	case refOrigin.target == model.CheckoutPullRequest:
		decide(ref, "ref", refOrigin)
	case repoOrigin.target == model.CheckoutPullRequest || repoOrigin.target == model.CheckoutUnknown:
		decide(repo, "repository", repoOrigin)
	case repo != nil && repoOrigin.target == "" && repo.Value.Value != "":
		decide(repo, "repository", origin{model.CheckoutOther, repo.Value.Value})
	case refOrigin.target == model.CheckoutUnknown:
		decide(ref, "ref", refOrigin)
	case ref != nil && ref.Value.Value != "":
		if refOrigin.target == "" {
			refOrigin = origin{model.CheckoutBase, ref.Value.Value}
		}
		decide(ref, "ref", refOrigin)
	default:
		co.Target, co.Reason = model.CheckoutBase, "no ref: the event's own ref"
	}
	return co, true
}

// ref decides a checkout ref: a pull request ref as written, or what its expressions
// read.
func (r *resolver) ref(t model.Text, at scope, hops int) origin {
	if isPullRef(t.Value) {
		return origin{model.CheckoutPullRequest, t.Value}
	}
	return r.text(t, at, hops)
}

// text decides from the contexts a value's expressions read; a literal gives "".
func (r *resolver) text(t model.Text, at scope, hops int) origin {
	var o origin
	for _, in := range t.Interpolations {
		for _, c := range in.Contexts {
			o = stronger(o, r.context(c, at, hops))
		}
	}
	return o
}

// context decides from one context: a head or base ref, or an output or variable whose
// value is followed.
func (r *resolver) context(c model.ContextRef, at scope, hops int) origin {
	path := strings.ToLower(c.Path)
	switch {
	case matchesPath(path, headRefPaths):
		return origin{model.CheckoutPullRequest, c.Path}
	case matchesPath(path, baseRefPaths):
		return origin{model.CheckoutBase, c.Path}
	}
	r.lookups++
	if hops >= maxHops || r.lookups > maxLookups || c.Computed {
		return origin{model.CheckoutUnknown, c.Path}
	}
	segs := strings.Split(path, ".")
	var o origin
	switch {
	case len(segs) == 4 && segs[0] == "needs" && segs[2] == "outputs":
		o = r.jobOutput(segs[1], segs[3], hops+1)
	case len(segs) == 4 && segs[0] == "steps" && segs[2] == "outputs":
		o = r.stepOutput(at, segs[1], segs[3], hops+1)
	case len(segs) == 2 && segs[0] == "env":
		o = r.variable(segs[1], at, nil, hops+1)
	}
	if o.target == "" {
		return origin{model.CheckoutUnknown, c.Path}
	}
	return through(c.Path, o)
}

// jobOutput follows `needs.<job>.outputs.<name>` to the job's `outputs:` entry.
func (r *resolver) jobOutput(jobID, name string, hops int) origin {
	for i := range r.pipe.Jobs {
		job := &r.pipe.Jobs[i]
		if !strings.EqualFold(job.ID, jobID) {
			continue
		}
		for _, out := range job.Outputs {
			if strings.EqualFold(out.Name, name) {
				return r.ref(out.Value, scope{job: job, step: len(job.Steps)}, hops)
			}
		}
	}
	return origin{}
}

// stepOutput follows `steps.<id>.outputs.<name>` to what an earlier step of the job
// wrote to $GITHUB_OUTPUT.
func (r *resolver) stepOutput(at scope, id, name string, hops int) origin {
	for k := at.step - 1; k >= 0; k-- {
		st := &at.job.Steps[k]
		if !strings.EqualFold(st.ID, id) {
			continue
		}
		here := scope{job: at.job, step: k}
		switch {
		case st.Run != nil:
			return r.written(st.Run, "GITHUB_OUTPUT", name, here, hops)
		case isAction(st.Uses, "actions", "github-script"):
			return r.githubScript(st, name, here, hops)
		}
		return origin{}
	}
	return origin{}
}

// pullHeadMarkers are what a github-script reads when it looks up a pull request's
// head (`pulls.get(…)` then `data.head.sha`); pullBaseMarkers the same for its base.
var (
	pullHeadMarkers = []string{".head.sha", ".head.ref", ".head.repo", "headRefOid", "headRefName"}
	pullBaseMarkers = []string{".base.sha", ".base.ref", ".base.repo", "baseRefOid", "baseRefName"}
)

// githubScript decides the output name of an actions/github-script step: from the
// expressions of its script, or from what it passes to core.setOutput — the argument
// of a `setOutput('name', …)` call when there is one, else the whole script — when that
// reads a pull request's head or base, or a file, in a workflow_run job after an
// artifact download.
func (r *resolver) githubScript(st *model.Step, name string, at scope, hops int) origin {
	for _, v := range st.With {
		if v.Name != "script" || !strings.Contains(v.Value.Value, "setOutput") {
			continue
		}
		o := r.text(v.Value, at, hops)
		value, named := setOutputArg(v.Value.Value, name)
		switch {
		case o.target == model.CheckoutPullRequest:
		case containsAny(value, pullHeadMarkers):
			o = origin{model.CheckoutPullRequest, "set by actions/github-script from the pull request's head"}
		case named && containsAny(value, pullBaseMarkers):
			o = origin{model.CheckoutBase, "set by actions/github-script from the pull request's base"}
		case r.workflowRun && strings.Contains(value, "readFile") && downloadsArtifact(at):
			o = origin{model.CheckoutPullRequest, "read from an artifact of the triggering workflow run"}
		case o.target == "":
			o = origin{model.CheckoutUnknown, "set by actions/github-script"}
		}
		return o
	}
	return origin{}
}

// setOutputArg returns the rest of the line after a `core.setOutput('name'` call of a
// script, or the whole script when it has no such call (outputs set in a loop, say).
func setOutputArg(script, name string) (string, bool) {
	for _, quote := range []string{"'", `"`, "`"} {
		call := "setOutput(" + quote + name + quote
		if i := strings.Index(script, call); i >= 0 {
			rest := script[i+len(call):]
			if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
				rest = rest[:nl]
			}
			return rest, true
		}
	}
	return script, false
}

func containsAny(s string, list []string) bool {
	for _, x := range list {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// written decides from the values a script writes for name to the file named by the
// variable file ($GITHUB_OUTPUT or $GITHUB_ENV). A value the shell computes in a
// script that looks up a pull request's head (`gh pr view --json headRefOid`), or that
// reads a file in a workflow_run job after an artifact download (the artifact comes
// from the triggering run), names the pull request's code.
func (r *resolver) written(run *model.Run, file, name string, at scope, hops int) origin {
	var o origin
	for _, w := range writes(run, file, name) {
		o = stronger(o, r.word(w, run, at, hops))
		switch {
		case o.target == model.CheckoutPullRequest || !computedByShell(w):
		case looksUpPullHead(run):
			o = origin{model.CheckoutPullRequest, "looked up from the pull request's head (gh)"}
		case r.workflowRun && readsFile(run) && downloadsArtifact(at):
			o = origin{model.CheckoutPullRequest, "read from an artifact of the triggering workflow run"}
		}
	}
	return o
}

// looksUpPullHead reports whether a script asks GitHub for a pull request's head:
// `gh pr view … --json headRefName`, `gh api …/pulls/N --jq .head.sha`.
func looksUpPullHead(run *model.Run) bool {
	for _, cmd := range run.Commands {
		argv := cmd.Argv
		if len(argv) < 3 || argv[0].Value != "gh" {
			continue
		}
		view := argv[1].Value == "pr" && argv[2].Value == "view"
		api := argv[1].Value == "api"
		for _, w := range argv[2:] {
			v := w.Value
			if view && strings.Contains(v, "headRef") || api && (strings.Contains(v, ".head.") || strings.Contains(v, "headRef")) {
				return true
			}
		}
	}
	return false
}

// writes returns the words a script writes for name (compared case-insensitively) to
// the file named by the variable file (fileWrites).
func writes(run *model.Run, file, name string) []model.Word {
	var out []model.Word
	for _, w := range fileWrites(run, file) {
		if strings.EqualFold(w.name, name) {
			out = append(out, w.words...)
		}
	}
	return out
}

// word decides from a script word: its expressions, and the shell variables it reads.
func (r *resolver) word(w model.Word, run *model.Run, at scope, hops int) origin {
	if isPullRef(w.Value) {
		return origin{model.CheckoutPullRequest, w.Value}
	}
	var o origin
	for _, in := range run.Script.Interpolations {
		if within(in.Pos, w.Pos) {
			for _, c := range in.Contexts {
				o = stronger(o, r.context(c, at, hops))
			}
		}
	}
	for _, ref := range w.Refs {
		if ref.Kind == model.RefShell && hops < maxHops {
			o = stronger(o, through("$"+ref.Name, r.variable(ref.Name, at, run, hops+1)))
		}
	}
	return o
}

// variable follows an environment variable read at a step: an assignment in the
// step's own script (run, when given), the step's, job's and pipeline's `env:`, or a
// `$GITHUB_ENV` write of an earlier step. Names are compared case-insensitively, as
// the env context of expressions does.
func (r *resolver) variable(name string, at scope, run *model.Run, hops int) origin {
	var o origin
	if run != nil {
		for _, cmd := range run.Commands {
			for _, v := range cmd.EnvPrefix {
				if strings.EqualFold(v.Name, name) && len(cmd.Argv) == 0 {
					o = stronger(o, r.ref(v.Value, at, hops))
				}
			}
		}
	}
	for _, list := range [][]model.Var{at.stepEnv(), at.job.Env, r.pipe.Env} {
		for _, v := range list {
			if strings.EqualFold(v.Name, name) {
				return stronger(o, r.ref(v.Value, at, hops))
			}
		}
	}
	for k := at.step - 1; k >= 0 && o.target == ""; k-- {
		if prev := at.job.Steps[k].Run; prev != nil {
			o = r.written(prev, "GITHUB_ENV", name, scope{job: at.job, step: k}, hops)
		}
	}
	return o
}

// stepEnv returns the `env:` of the scope's step.
func (at scope) stepEnv() []model.Var {
	if at.step < len(at.job.Steps) {
		return at.job.Steps[at.step].Env
	}
	return nil
}

// computedByShell reports whether the shell computes part of a word: a `$` that does
// not open a `${{ }}` expression (a variable, a command substitution), or a backquote.
func computedByShell(w model.Word) bool {
	v := w.Value
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '`':
			return true
		case v[i] == '$' && !strings.HasPrefix(v[i:], "${{"):
			return true
		}
	}
	return false
}

// fileReaders are commands that read a file's content into a value.
var fileReaders = map[string]bool{"cat": true, "jq": true, "head": true, "tail": true, "read": true, "unzip": true, "yq": true, "sed": true, "awk": true}

// readsFile reports whether a script reads a file's content.
func readsFile(run *model.Run) bool {
	for _, cmd := range run.Commands {
		for i, w := range cmd.Argv {
			if i == 0 && fileReaders[w.Value] || strings.Contains(w.Value, "$(<") {
				return true
			}
		}
		for _, rd := range cmd.Redirects {
			if rd.Op == "<" {
				return true
			}
		}
	}
	return false
}

// downloadsArtifact reports whether a step before at downloads an artifact:
// actions/download-artifact, dawidd6/action-download-artifact, or
// actions/github-script calling downloadArtifact.
func downloadsArtifact(at scope) bool {
	for k := 0; k < at.step; k++ {
		u := at.job.Steps[k].Uses
		switch {
		case u == nil:
		case isAction(u, "actions", "download-artifact"), isAction(u, "dawidd6", "action-download-artifact"):
			return true
		case isAction(u, "actions", "github-script"):
			for _, v := range at.job.Steps[k].With {
				if v.Name == "script" && strings.Contains(v.Value.Value, "downloadArtifact") {
					return true
				}
			}
		}
	}
	return false
}

// scriptCheckouts lists the checkouts of pull request code a script performs.
func (r *resolver) scriptCheckouts(run *model.Run, at scope) []model.Checkout {
	var out []model.Checkout
	for _, cmd := range run.Commands {
		if len(cmd.Argv) < 2 {
			continue
		}
		r.lookups = 0
		if o, ref := r.scriptCheckout(cmd, run, at); o.target == model.CheckoutPullRequest {
			out = append(out, model.Checkout{Target: o.target, Reason: o.reason, Ref: ref, Pos: cmd.Argv[0].Pos})
		}
	}
	return out
}

// scriptCheckout decides one command: `gh pr checkout N`, `git fetch <remote>
// pull/N/head`, `git checkout`/`git switch` of a head ref, `git clone` (or `gh repo
// clone`) of the head repository. It returns the ref or URL checked out as written.
func (r *resolver) scriptCheckout(cmd model.Command, run *model.Run, at scope) (origin, string) {
	argv := cmd.Argv
	if argv[0].Value == "gh" && len(argv) >= 3 && argv[1].Value == "pr" && argv[2].Value == "checkout" {
		ref := ""
		if len(argv) > 3 {
			ref = argv[3].Value
		}
		return origin{model.CheckoutPullRequest, "gh pr checkout"}, ref
	}
	var sub string
	var args []model.Word
	switch {
	case argv[0].Value == "git":
		sub, args = gitSubcommand(argv[1:])
	case argv[0].Value == "gh" && len(argv) >= 3 && argv[1].Value == "repo" && argv[2].Value == "clone":
		sub, args = "clone", argv[3:]
	}
	switch sub {
	case "fetch", "pull":
		for _, w := range args {
			if isPullRef(w.Value) {
				return origin{model.CheckoutPullRequest, "git " + sub + " " + w.Value}, w.Value
			}
		}
	case "checkout", "switch", "clone":
		for i, w := range args {
			if i > 0 && newBranchOption[args[i-1].Value] {
				continue // the name of a new branch, not what is checked out
			}
			if o := r.word(w, run, at, 0); o.target == model.CheckoutPullRequest {
				o.reason = "git " + sub + ": " + o.reason
				return o, w.Value
			}
		}
	}
	return origin{}, ""
}

// newBranchOption are the options of git checkout and git switch whose value names a
// branch to create.
var newBranchOption = map[string]bool{"-b": true, "-B": true, "-c": true, "-C": true, "--orphan": true}

// gitSubcommand returns git's subcommand and its arguments, skipping git's own options
// (`-C dir`, `-c key=value`, `--no-pager`, …).
func gitSubcommand(args []model.Word) (string, []model.Word) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-C" || v == "-c":
			i++
		case strings.HasPrefix(v, "-"):
		default:
			return v, args[i+1:]
		}
	}
	return "", nil
}

// within reports whether span inner lies inside outer.
func within(inner, outer model.Pos) bool {
	return !before(inner.Line, inner.Col, outer.Line, outer.Col) && !before(outer.EndLine, outer.EndCol, inner.EndLine, inner.EndCol)
}
