package ghexpr

import (
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

// funcLink is one function on a value's way out of an expression, linked to the
// function around it.
type funcLink struct {
	name  string
	outer *funcLink
}

// flow is what happens to a value after the node that reads it.
type flow struct {
	// fn is the innermost function whose argument holds the value.
	fn *funcLink
	// fed is true while the value itself, not a boolean made from it, reaches fn's
	// argument (or the result, when fn is nil).
	fed bool
	// out is true while the value can reach the expression's result: no comparison,
	// negation or index lies on its way.
	out bool
	// derived is true when only a part of the value is used (`fromJSON(x).field`).
	derived bool
}

// reads walks the whole tree and returns the contexts it reads, in source order.
func (t *tree) reads() []Context {
	var out []Context
	t.walk(t.root, flow{fed: true, out: true}, &out)
	return out
}

func (t *tree) walk(n actionlint.ExprNode, f flow, out *[]Context) {
	switch n := n.(type) {
	case *actionlint.VariableNode, *actionlint.ObjectDerefNode, *actionlint.ArrayDerefNode, *actionlint.IndexAccessNode:
		t.chain(n, f, out)
	case *actionlint.FuncCallNode:
		inner := flow{fn: &funcLink{name: funcName(n.Callee), outer: f.fn}, fed: true, out: f.out, derived: f.derived}
		for _, a := range n.Args {
			t.walk(a, inner, out)
		}
	case *actionlint.NotOpNode:
		f.fed, f.out = false, false
		t.walk(n.Operand, f, out)
	case *actionlint.CompareOpNode:
		f.fed, f.out = false, false
		t.walk(n.Left, f, out)
		t.walk(n.Right, f, out)
	case *actionlint.LogicalOpNode:
		// `a || b` and `a && b` return one of their operands.
		t.walk(n.Left, f, out)
		t.walk(n.Right, f, out)
	}
}

// chain handles an access chain (`a.b[c].*.d`). A chain rooted at a context gives one
// Context; a chain rooted at anything else (`fromJSON(x).field`) reads a part of what
// its root reads. Computed indexes are walked as values that do not reach the result.
func (t *tree) chain(n actionlint.ExprNode, f flow, out *[]Context) {
	var indexes []actionlint.ExprNode
	var b strings.Builder
	root, computedLast := t.writePath(n, &b, &indexes)
	if root == nil {
		// Not rooted at a context: the root's own reads are used in part.
		f.derived = true
		t.walk(chainRoot(n), f, out)
	} else {
		path := b.String()
		c := Context{ContextRef: model.ContextRef{
			Path:     path,
			Computed: len(indexes) > 0,
			Derived:  f.derived,
			Funcs:    f.funcs(),
		}}
		c.Whole = computedLast || !strings.Contains(path, ".") ||
			(f.fed && f.fn != nil && f.fn.name == "toJSON" && !isLeaf(path))
		c.Opaque = !f.out || f.safe()
		c.Untrusted = !c.Opaque && untrusted.GitHub(path, c.Whole)
		c.AuthorControlled = !c.Opaque && untrusted.GitHubAuthorControlled(path)
		c.Start, c.End = t.offsets(t.raw(n))
		*out = append(*out, c)
	}
	for _, ix := range indexes {
		t.walk(ix, flow{}, out)
	}
}

// writePath writes the path of chain n to b, with names as written, and collects its
// computed indexes. It returns the chain's root variable (nil when the chain is rooted
// at another kind of node) and whether the last access is a computed index.
func (t *tree) writePath(n actionlint.ExprNode, b *strings.Builder, indexes *[]actionlint.ExprNode) (*actionlint.VariableNode, bool) {
	switch n := n.(type) {
	case *actionlint.VariableNode:
		b.WriteString(t.tokens[t.index(n.Token())].Value)
		return n, false
	case *actionlint.ObjectDerefNode:
		root, _ := t.writePath(n.Receiver, b, indexes)
		b.WriteByte('.')
		b.WriteString(t.tokens[t.raw(n).last].Value)
		return root, false
	case *actionlint.ArrayDerefNode:
		root, _ := t.writePath(n.Receiver, b, indexes)
		b.WriteString(".*")
		return root, false
	case *actionlint.IndexAccessNode:
		root, _ := t.writePath(n.Operand, b, indexes)
		b.WriteByte('.')
		switch ix := n.Index.(type) {
		case *actionlint.StringNode:
			b.WriteString(ix.Value)
			return root, false
		case *actionlint.IntNode, *actionlint.FloatNode:
			b.WriteByte('*')
			return root, false
		}
		b.WriteByte('*')
		*indexes = append(*indexes, n.Index)
		return root, true
	}
	return nil, false
}

// chainRoot returns the node an access chain starts from.
func chainRoot(n actionlint.ExprNode) actionlint.ExprNode {
	for {
		switch c := n.(type) {
		case *actionlint.ObjectDerefNode:
			n = c.Receiver
		case *actionlint.ArrayDerefNode:
			n = c.Receiver
		case *actionlint.IndexAccessNode:
			n = c.Operand
		default:
			return n
		}
	}
}

// funcs lists the functions of f, innermost first.
func (f flow) funcs() []string {
	var names []string
	for l := f.fn; l != nil; l = l.outer {
		names = append(names, l.name)
	}
	return names
}

// safe reports whether one of f's functions keeps the value from the result as text.
func (f flow) safe() bool {
	for l := f.fn; l != nil; l = l.outer {
		if isSafeFunc(l.name) {
			return true
		}
	}
	return false
}

// isLeaf reports whether path is known to name a scalar rather than an object:
// `secrets.X`, `vars.X`, `env.X`, `inputs.X`, `steps.<id>.outputs.<x>`,
// `needs.<job>.outputs.<x>`, and the attacker-controlled leaves of internal/untrusted.
func isLeaf(path string) bool {
	segs := strings.Split(strings.ToLower(path), ".")
	switch segs[0] {
	case "secrets", "vars", "env", "inputs":
		return len(segs) == 2
	case "steps", "needs":
		return len(segs) == 4 && segs[2] == "outputs"
	}
	return untrusted.GitHub(path, false)
}
