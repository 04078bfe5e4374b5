package github

import (
	"sort"
	"strings"

	"github.com/pipeguard/pipeguard/internal/ghexpr"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

// Taint: attacker-controlled (or author-controlled) text that reaches a value through an
// intermediary. Expressions mark the contexts they read from internal/untrusted; this
// pass follows what the parser can see of the intermediaries in between:
//
//   - `env.X` and shell `$X`: the step's, job's and workflow's `env:` (innermost first),
//     `$GITHUB_ENV` writes of earlier steps of the job, and (for `$X`) assignments
//     earlier in the same script;
//   - `steps.<id>.outputs.<x>`: `$GITHUB_OUTPUT` writes of the earlier step <id>;
//   - `needs.<job>.outputs.<x>`: the job's `outputs:` value.
//
// Values are marked in the order they are evaluated (jobs after the jobs they need,
// steps in order), so each lookup reads marks already made and the pass is linear in
// the size of the workflow. A context or reference found to hold such text gets
// Untrusted or AuthorControlled, and From names the source context; the interpolation
// (and the script words that hold it) are marked with it.

// taint is what a value holds: attacker-controlled text (untrusted), text only people who
// can start the workflow set (author), or neither; from names the source.
type taint struct {
	untrusted, author bool
	from              string
}

func (t taint) none() bool { return !t.untrusted && !t.author }

// or returns the stronger of t and u (untrusted over author-controlled over nothing),
// t among equals.
func (t taint) or(u taint) taint {
	switch {
	case t.untrusted || u.none():
		return t
	case u.untrusted || t.none():
		return u
	}
	return t
}

// contextTaint is what a context holds, by its marks.
func contextTaint(c model.ContextRef) taint {
	from := c.From
	if from == "" {
		from = c.Path
	}
	return taint{untrusted: c.Untrusted, author: c.AuthorControlled && !c.Untrusted, from: from}
}

// textTaint is what a value's expressions hold, by their contexts' marks.
func textTaint(t model.Text) taint {
	var out taint
	for i := range t.Interpolations {
		out = out.or(interpolationTaint(&t.Interpolations[i]))
	}
	return out
}

// interpolationTaint is what one expression holds, by its contexts' marks.
func interpolationTaint(in *model.Interpolation) taint {
	var out taint
	for _, c := range in.Contexts {
		out = out.or(contextTaint(c))
	}
	return out
}

// tainter marks one workflow.
type tainter struct {
	pipe *model.Pipeline
	// pipeEnv indexes the workflow's `env:`.
	pipeEnv envIndex
	// jobOutputs holds what each job's outputs hold, by lower-cased job id and name.
	jobOutputs map[string]map[string]taint
}

// envIndex is what one level of `env:` (or the $GITHUB_ENV writes so far) sets, by
// name as written and lower-cased, so that a lookup costs the same however many
// variables there are. The first definition of a name counts.
type envIndex struct {
	exact, folded map[string]taint
}

func indexEnv(vars []model.Var) envIndex {
	if len(vars) == 0 {
		return envIndex{}
	}
	ix := envIndex{exact: make(map[string]taint, len(vars)), folded: make(map[string]taint, len(vars))}
	for i := range vars {
		ix.define(vars[i].Name, textTaint(vars[i].Value), false)
	}
	return ix
}

// define records what name holds; with join, a name defined before holds the stronger
// of the two (a variable written to $GITHUB_ENV twice).
func (ix *envIndex) define(name string, tn taint, join bool) {
	if ix.exact == nil {
		ix.exact, ix.folded = map[string]taint{}, map[string]taint{}
	}
	lower := strings.ToLower(name)
	if old, ok := ix.exact[name]; !ok || join {
		ix.exact[name] = old.or(tn)
	}
	if old, ok := ix.folded[lower]; !ok || join {
		ix.folded[lower] = old.or(tn)
	}
}

// lookup returns what name holds and whether the level defines it; fold compares names
// case-insensitively, as the env context does (the shell does not).
func (ix envIndex) lookup(name string, fold bool) (taint, bool) {
	if fold {
		tn, ok := ix.folded[strings.ToLower(name)]
		return tn, ok
	}
	tn, ok := ix.exact[name]
	return tn, ok
}

// jobTainter marks one job; it remembers what earlier steps wrote.
type jobTainter struct {
	*tainter
	job *model.Job
	// jobEnv and stepEnv index the job's `env:` and the current step's (empty while
	// the step's own values are marked, and for the job's own values).
	jobEnv, stepEnv envIndex
	// stepOutputs holds what each step wrote to $GITHUB_OUTPUT, by lower-cased step
	// id and output name.
	stepOutputs map[string]map[string]taint
	// githubEnv holds what earlier steps wrote to $GITHUB_ENV, by variable name.
	githubEnv envIndex
}

// markTaint marks the intermediaries of pipe that hold attacker- or author-controlled
// text (see the comment at the top of this file).
func markTaint(pipe *model.Pipeline) {
	t := &tainter{pipe: pipe, pipeEnv: indexEnv(pipe.Env), jobOutputs: map[string]map[string]taint{}}
	for _, i := range jobOrder(pipe.Jobs) {
		t.markJob(&pipe.Jobs[i])
	}
}

// jobOrder returns the indexes of jobs with every job after the jobs it needs (Kahn's
// algorithm); jobs on a cycle follow in file order.
func jobOrder(jobs []model.Job) []int {
	index := make(map[string]int, len(jobs))
	for i := range jobs {
		index[strings.ToLower(jobs[i].ID)] = i
	}
	waiting := make([]int, len(jobs))      // needs not yet ordered, per job
	dependents := make([][]int, len(jobs)) // jobs that need each job
	var ready []int
	for i := range jobs {
		for _, need := range jobs[i].Needs {
			if j, ok := index[strings.ToLower(need)]; ok && j != i {
				waiting[i]++
				dependents[j] = append(dependents[j], i)
			}
		}
		if waiting[i] == 0 {
			ready = append(ready, i)
		}
	}
	order := make([]int, 0, len(jobs))
	done := make([]bool, len(jobs))
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		order, done[i] = append(order, i), true
		for _, d := range dependents[i] {
			if waiting[d]--; waiting[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	for i := range jobs {
		if !done[i] {
			order = append(order, i)
		}
	}
	return order
}

func (t *tainter) markJob(job *model.Job) {
	jt := &jobTainter{tainter: t, job: job, stepOutputs: map[string]map[string]taint{}}
	markVars(jt, job.Env)
	jt.jobEnv = indexEnv(job.Env)
	for k := range job.Steps {
		st := &job.Steps[k]
		jt.stepEnv = envIndex{} // a step's env: reads the job's and the workflow's
		markVars(jt, st.Env)
		jt.stepEnv = indexEnv(st.Env)
		markVars(jt, st.With)
		if st.Run != nil {
			jt.markScript(st)
			jt.recordWrites(st)
		}
	}
	jt.stepEnv = envIndex{}
	markVars(jt, job.With)
	markVars(jt, job.Outputs)
	outputs := map[string]taint{}
	for _, o := range job.Outputs {
		if tn := textTaint(o.Value); !tn.none() {
			outputs[strings.ToLower(o.Name)] = tn
		}
	}
	t.jobOutputs[strings.ToLower(job.ID)] = outputs
}

// markVars marks the values of vars.
func markVars(jt *jobTainter, vars []model.Var) {
	for i := range vars {
		jt.markText(&vars[i].Value)
	}
}

// markText marks the interpolations of t and reports whether one changed.
func (jt *jobTainter) markText(t *model.Text) bool {
	changed := false
	for i := range t.Interpolations {
		changed = jt.markInterpolation(&t.Interpolations[i]) || changed
	}
	return changed
}

// intermediaryRoots are the contexts whose values this pass follows.
var intermediaryRoots = []string{"steps.", "needs.", "env."}

func isIntermediary(path string) bool {
	for _, root := range intermediaryRoots {
		if len(path) > len(root) && strings.EqualFold(path[:len(root)], root) {
			return true
		}
	}
	return false
}

// markInterpolation follows the intermediaries a GitHub expression reads as text, and
// reports whether that marked one. The expression is parsed again (to learn which
// contexts reach its result as text) only when an intermediary holds controlled text.
func (jt *jobTainter) markInterpolation(in *model.Interpolation) bool {
	if in.Kind != model.InterpGitHub {
		return false
	}
	var reads []ghexpr.Context
	changed := false
	for i := range in.Contexts {
		c := &in.Contexts[i]
		if c.Computed || c.Untrusted || !isIntermediary(c.Path) {
			continue
		}
		tn := jt.context(c.Path)
		if tn.none() || (tn.author && c.AuthorControlled) {
			continue
		}
		if reads == nil {
			var err error
			if reads, err = ghexpr.Reads(in.Expr); err != nil || len(reads) != len(in.Contexts) {
				return changed
			}
		}
		if reads[i].Opaque {
			continue
		}
		c.Untrusted, c.AuthorControlled, c.From = tn.untrusted, tn.author, tn.from
		in.Untrusted = in.Untrusted || tn.untrusted
		in.AuthorControlled = in.AuthorControlled || tn.author
		changed = true
	}
	return changed
}

// context is what an intermediary context holds where it is read (the current step).
func (jt *jobTainter) context(path string) taint {
	segs := strings.Split(strings.ToLower(path), ".")
	switch {
	case len(segs) == 4 && segs[0] == "steps" && segs[2] == "outputs":
		return jt.stepOutputs[segs[1]][segs[3]]
	case len(segs) == 4 && segs[0] == "needs" && segs[2] == "outputs":
		return jt.jobOutputs[segs[1]][segs[3]]
	case len(segs) == 2 && segs[0] == "env":
		return jt.variable(segs[1], true)
	}
	return taint{}
}

// variable is what the environment variable name holds at step st: its innermost
// `env:` definition, joined with what earlier steps wrote to $GITHUB_ENV. The env
// context compares names case-insensitively (fold); the shell does not.
func (jt *jobTainter) variable(name string, fold bool) taint {
	var out taint
	for _, level := range [...]envIndex{jt.stepEnv, jt.jobEnv, jt.pipeEnv} {
		if tn, ok := level.lookup(name, fold); ok {
			out = tn
			break
		}
	}
	tn, _ := jt.githubEnv.lookup(name, fold)
	return out.or(tn)
}

// markScript marks a run step's script: its expressions, then the references of its
// words — expressions as their interpolation now says, shell variables by what the
// step's environment, earlier $GITHUB_ENV writes and earlier assignments of the script
// set them to.
func (jt *jobTainter) markScript(st *model.Step) {
	run := st.Run
	changed := jt.markText(&run.Script)
	assigned := map[string]taint{}
	for ci := range run.Commands {
		cmd := &run.Commands[ci]
		if cmd.Stdin != nil {
			jt.markText(cmd.Stdin)
		}
		jt.markRefs(cmd.StdinRefs, run, assigned, changed)
		for w := range cmd.Argv {
			jt.markRefs(cmd.Argv[w].Refs, run, assigned, changed)
		}
		for r := range cmd.Redirects {
			if tg := cmd.Redirects[r].Target; tg != nil {
				jt.markRefs(tg.Refs, run, assigned, changed)
			}
		}
		if len(cmd.Argv) == 0 {
			for i := range cmd.EnvPrefix {
				v := &cmd.EnvPrefix[i]
				jt.markText(&v.Value)
				assigned[v.Name] = textTaint(v.Value)
			}
		}
	}
}

// markRefs marks the references of one word. Expression references take their
// interpolation's marks when the script's expressions changed (exprChanged).
func (jt *jobTainter) markRefs(refs []model.Ref, run *model.Run, assigned map[string]taint, exprChanged bool) {
	for i := range refs {
		r := &refs[i]
		switch r.Kind {
		case model.InterpGitHub:
			if in := interpolationAt(run.Script.Interpolations, r.Pos); exprChanged && in != nil {
				r.Untrusted, r.AuthorControlled = in.Untrusted, in.AuthorControlled
			}
		case model.RefShell:
			if untrusted.Variable(model.PlatformGitHub, r.Name) { // a source itself
				r.Untrusted, r.RefName = true, untrusted.RefName(model.PlatformGitHub, r.Name)
				continue
			}
			tn, ok := assigned[r.Name]
			if !ok {
				tn = jt.variable(r.Name, false)
			}
			if tn.none() || r.Untrusted {
				continue
			}
			r.Untrusted, r.AuthorControlled, r.From = tn.untrusted, tn.author, tn.from
			r.RefName = tn.untrusted && (untrusted.GitHubRefName(tn.from) || untrusted.RefName(model.PlatformGitHub, tn.from))
		}
	}
}

// interpolationAt returns the interpolation of list (in text order) at pos, or nil.
func interpolationAt(list []model.Interpolation, pos model.Pos) *model.Interpolation {
	i := sort.Search(len(list), func(i int) bool {
		p := list[i].Pos
		return !before(p.Line, p.Col, pos.Line, pos.Col)
	})
	if i < len(list) && list[i].Pos == pos {
		return &list[i]
	}
	return nil
}

// recordWrites remembers what a run step writes to $GITHUB_OUTPUT (under its id) and
// $GITHUB_ENV, once its references are marked.
func (jt *jobTainter) recordWrites(st *model.Step) {
	if st.ID != "" {
		for _, w := range fileWrites(st.Run, "GITHUB_OUTPUT") {
			if tn := jt.wordsTaint(w.words, st.Run); !tn.none() {
				id := strings.ToLower(st.ID)
				if jt.stepOutputs[id] == nil {
					jt.stepOutputs[id] = map[string]taint{}
				}
				name := strings.ToLower(w.name)
				jt.stepOutputs[id][name] = jt.stepOutputs[id][name].or(tn)
			}
		}
	}
	for _, w := range fileWrites(st.Run, "GITHUB_ENV") {
		if tn := jt.wordsTaint(w.words, st.Run); !tn.none() {
			jt.githubEnv.define(w.name, tn, true)
		}
	}
}

// wordsTaint is what script words hold, by the marks of their references.
func (jt *jobTainter) wordsTaint(words []model.Word, run *model.Run) taint {
	var out taint
	for _, w := range words {
		for _, r := range w.Refs {
			switch {
			case r.Kind == model.InterpGitHub:
				if in := interpolationAt(run.Script.Interpolations, r.Pos); in != nil {
					out = out.or(interpolationTaint(in))
				}
			case r.Untrusted || r.AuthorControlled:
				from := r.From
				if from == "" {
					from = r.Name
				}
				out = out.or(taint{untrusted: r.Untrusted, author: r.AuthorControlled && !r.Untrusted, from: from})
			}
		}
	}
	return out
}
