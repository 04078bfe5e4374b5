package circleci

import (
	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// Conditions. A `when:`/`unless:` step (or workflow) is decided by CircleCI when it
// compiles the configuration, from parameter and pipeline values: it makes a Condition
// whose text renders the logic statement (`not(equal(main, << pipeline.git.branch >>))`)
// and whose Reads lists the values it reads. Such a condition is never Always, even
// `condition: true`: Always is about running whatever happened before, which only a run
// step's `when: always` says.

// condition renders a when/unless condition (a value or a logic statement such as
// `equal: [a, b]`) as one Text, e.g. `not(equal(stable, << parameters.v >>))`, whose
// scalars keep their exact positions and whose operators point at their keys.
func (p *parser) condition(n *yaml.Node, keyword *yaml.Node) *model.Condition {
	if n == nil {
		return nil
	}
	var b textpos.Builder
	negate := keyword.Value == "unless"
	if negate {
		b.Decoded("not(", keyword.Line, keyword.Column, keyword.Column+len(keyword.Value))
	}
	p.renderCondition(&b, n, keyword, 0)
	if negate {
		b.Decoded(")", keyword.Line, keyword.Column, keyword.Column+len(keyword.Value))
	}
	c := &model.Condition{Text: analyzeText("", b.String(), b.Map())}
	c.Reads = readsOf(c.Interpolations)
	return c
}

// readsOf lists the parameters and pipeline values that interpolations read.
func readsOf(interps []model.Interpolation) []model.ContextRef {
	if len(interps) == 0 {
		return nil
	}
	out := make([]model.ContextRef, len(interps))
	for i, in := range interps {
		out[i] = model.ContextRef{Path: in.Expr, Untrusted: in.Untrusted, Pos: in.Pos}
	}
	return out
}

// runCondition reads a run step's `when:` (on_success, the default, gives no
// condition; always; on_fail), in scope sc: `when: << parameters.w >>` takes w's value.
// Only `always` makes the step Always.
func (p *parser) runCondition(n *yaml.Node, sc *scope) *model.Condition {
	if p.scalar(n) == nil {
		return nil
	}
	t := p.textIn(sc, "when", n)
	if t.Value == "on_success" {
		return nil
	}
	return &model.Condition{Text: t, Reads: readsOf(t.Interpolations), Always: t.Value == "always"}
}

// renderCondition appends the rendering of n; at marks where punctuation points.
func (p *parser) renderCondition(b *textpos.Builder, n, at *yaml.Node, depth int) {
	n, _ = p.deref(n)
	if n == nil || depth > maxMergeDepth || len(b.String()) > maxCondBytes || !p.visit(n) {
		return
	}
	punct := func(s string) { b.Decoded(s, at.Line, at.Column, at.Column+1) }
	switch n.Kind {
	case yaml.ScalarNode:
		p.consumed[n] = true
		v, m := p.src.Scalar(n)
		b.Mapped(v, m, 0, len(v))
	case yaml.SequenceNode:
		punct("[")
		for i, it := range p.items(n) {
			if i > 0 {
				punct(", ")
			}
			p.renderCondition(b, it.node, at, depth+1)
		}
		punct("]")
	case yaml.MappingNode:
		for i, f := range p.fields(n) {
			if i > 0 {
				punct(", ")
			}
			k, km := p.src.Scalar(f.key)
			b.Mapped(k, km, 0, len(k))
			b.Decoded("(", f.key.Line, f.key.Column, f.key.Column+1)
			args := p.items(f.value)
			if v, _ := p.deref(f.value); v == nil || v.Kind != yaml.SequenceNode {
				p.renderCondition(b, f.value, f.key, depth+1)
			}
			for j, it := range args {
				if j > 0 {
					b.Decoded(", ", f.key.Line, f.key.Column, f.key.Column+1)
				}
				p.renderCondition(b, it.node, f.key, depth+1)
			}
			b.Decoded(")", f.key.Line, f.key.Column, f.key.Column+1)
		}
	}
}
