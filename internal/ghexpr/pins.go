package ghexpr

import (
	"slices"

	"github.com/rhysd/actionlint"
)

// pinned returns the contexts (lower-cased paths, each once) that n requires to equal a
// literal for it to be true: `x == 'lit'` (either order), `contains(fromJSON('["a",
// "b"]'), x)`; both sides of `A && B` give theirs, `A || B` only those both sides pin; a
// negation pins nothing.
func (t *tree) pinned(n actionlint.ExprNode) []string {
	switch n := n.(type) {
	case *actionlint.LogicalOpNode:
		l, r := t.pinned(n.Left), t.pinned(n.Right)
		if n.Kind == actionlint.LogicalOpNodeKindAnd {
			return union(l, r)
		}
		return slices.DeleteFunc(l, func(p string) bool { return !slices.Contains(r, p) })
	case *actionlint.CompareOpNode:
		if n.Kind != actionlint.CompareOpNodeKindEq {
			return nil
		}
		if p, ok := t.path(n.Left); ok && isLiteral(n.Right) {
			return []string{p}
		}
		if p, ok := t.path(n.Right); ok && isLiteral(n.Left) {
			return []string{p}
		}
	case *actionlint.FuncCallNode:
		if funcName(n.Callee) != "contains" || len(n.Args) != 2 {
			return nil
		}
		if _, substrings, ok := literalList(n.Args[0]); ok && !substrings {
			if p, ok := t.path(n.Args[1]); ok {
				return []string{p}
			}
		}
	}
	return nil
}

func isLiteral(n actionlint.ExprNode) bool {
	switch n.(type) {
	case *actionlint.StringNode, *actionlint.IntNode, *actionlint.FloatNode, *actionlint.BoolNode, *actionlint.NullNode:
		return true
	}
	return false
}
