package github

import (
	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/ghexpr"
	"github.com/pipeguard/pipeguard/internal/model"
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
		p.pipe.ParseErrors = append(p.pipe.ParseErrors, model.ParseError{
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
