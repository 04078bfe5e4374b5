package github

import (
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/ghexpr"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
)

// condition analyses a job or step `if:` through internal/ghexpr: the contexts it reads
// and whether it always runs, with file positions. It returns the guards the condition
// holds too; only a job's own `if:` makes them job guards. A condition the expression
// parser rejects is kept, with a partial parse error.
func (p *parser) condition(n *yaml.Node) (*model.Condition, []model.Guard) {
	c := &model.Condition{Text: p.text("if", n)}
	if n.Kind != yaml.ScalarNode {
		return c, nil
	}
	value, m := p.src.Scalar(n)
	res := ghexpr.ParseCondition(value, p.events)
	for _, r := range res.Reads {
		ref := r.ContextRef
		ref.Pos = m.Pos(r.Start, r.End)
		c.Reads = append(c.Reads, ref)
	}
	c.Always = res.Always
	c.Pinned = res.Pinned
	if res.Invalid != "" {
		c.Invalid = res.Invalid
		parse.AddError(p.pipe, model.ParseError{
			Message: "expression not fully analysed: " + res.Invalid,
			Pos:     m.Pos(res.InvalidAt, res.InvalidAt+1),
			Partial: true,
		})
	}
	var guards []model.Guard
	for _, r := range res.Guards {
		g := r.Guard
		g.Pos = m.Pos(r.Start, r.End)
		if holdsSecret(c.Text, g.Pos) {
			g.Detail = redactedDetail
		}
		guards = append(guards, g)
	}
	return c, guards
}

// redactedDetail replaces the Detail of a guard whose text holds a literal secret.
const redactedDetail = "(redacted: the condition holds a literal secret)"

// holdsSecret reports whether a literal secret of t starts within span.
func holdsSecret(t model.Text, span model.Pos) bool {
	for _, s := range t.LiteralSecrets {
		if !before(s.Pos.Line, s.Pos.Col, span.Line, span.Col) && before(s.Pos.Line, s.Pos.Col, span.EndLine, span.EndCol) {
			return true
		}
	}
	return false
}

// before reports whether line:col a comes before line:col b.
func before(lineA, colA, lineB, colB int) bool {
	return lineA < lineB || lineA == lineB && colA < colB
}

// environmentGuard is the guard of a job's deployment environment. GitHub environments
// may require reviewers before a job runs, which pipeguard cannot see from the file,
// so every environment counts as a possible gate.
func environmentGuard(env *model.Environment) model.Guard {
	return model.Guard{Kind: model.GuardEnvironment, Detail: env.Name, Pos: env.Pos}
}

// inheritGuards adds to each job the guards of the jobs it needs, directly or through
// others: a job that its guard skips skips the jobs that need it, unless their own
// `if:` runs them whatever happened before (Condition.Always). It runs after all jobs
// are parsed; a cycle of needs (an invalid workflow) is cut where it closes.
func inheritGuards(pipe *model.Pipeline) {
	index := make(map[string]int, len(pipe.Jobs))
	for i, j := range pipe.Jobs {
		index[j.ID] = i
	}
	state := make([]int8, len(pipe.Jobs)) // 0 unseen, 1 in progress, 2 done
	var visit func(i int) []model.Guard
	visit = func(i int) []model.Guard {
		if state[i] != 0 {
			return pipe.Jobs[i].Guards // done, or a cycle: what is known so far
		}
		state[i] = 1
		job := &pipe.Jobs[i]
		if job.Condition == nil || !job.Condition.Always {
			for _, need := range job.Needs {
				if k, ok := index[need]; ok && k != i {
					job.Guards = appendNew(job.Guards, visit(k))
				}
			}
		}
		state[i] = 2
		return job.Guards
	}
	for i := range pipe.Jobs {
		visit(i)
	}
}

// appendNew appends the guards of add that list does not hold yet.
func appendNew(list, add []model.Guard) []model.Guard {
	for _, g := range add {
		if !slices.ContainsFunc(list, func(h model.Guard) bool {
			return h.Kind == g.Kind && h.Detail == g.Detail && h.Pos == g.Pos
		}) {
			list = append(list, g)
		}
	}
	return list
}
