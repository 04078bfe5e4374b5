package ghexpr

import (
	"errors"
	"strings"

	"github.com/rhysd/actionlint"
)

// Condition is what a job or step `if:` says. All offsets are relative to the text
// given to ParseCondition.
type Condition struct {
	// Reads lists the contexts the condition reads.
	Reads []Context
	// Always is true when the condition lets the job or step run after an earlier
	// failure as well as after success (see ParseCondition).
	Always bool
	// Invalid is the parser's message when the condition could not be analysed, and
	// InvalidAt the byte offset it points at.
	Invalid   string
	InvalidAt int
	// Guards are the checks that must hold for the condition to be true.
	Guards []Guard
	// Pinned lists the contexts (lower-cased paths) that the condition requires to
	// equal a literal, or one of a literal list, for it to be true (see pinned).
	Pinned []string
}

// ParseCondition analyses an `if:` value, written with or without `${{ }}` around it.
// events are the workflow's trigger events, used to list what a `github.event_name !=
// 'x'` check still admits (nil when unknown).
//
// Always is decided on the syntax tree by evaluating the condition in two worlds, one
// where everything before succeeded and one where something failed, with the status
// functions known (success, failure, cancelled — never, since neither world is
// cancelled — and always) and everything else unknown: the condition is Always when it
// holds a status function (without one GitHub adds `success() &&`) and is not certainly
// false in either world. So `always()`, `always() && x`, `!cancelled()` and
// `success() || failure()` are Always; `!always()`, `failure()` and `cancelled()` are
// not.
func ParseCondition(text string, events []string) Condition {
	body, base := conditionBody(text)
	if c, ok := plainRead(body); ok {
		if c.Path == "" {
			return Condition{}
		}
		return Condition{Reads: []Context{shift(c, base)}}
	}
	if start, end := trimBlanks(body); start == end {
		return Condition{} // an empty condition: GitHub's default, success()
	}
	t, err := parse(body)
	var e *Error
	if errors.As(err, &e) {
		return Condition{Invalid: e.Message, InvalidAt: base + e.Offset}
	}
	c := Condition{Reads: t.reads(), Always: t.always(), Pinned: t.pinned(t.root)}
	for i := range c.Reads {
		c.Reads[i] = shift(c.Reads[i], base)
	}
	g := guardFinder{t: t, events: events}
	for _, gd := range g.guards(t.root) {
		gd.Start += base
		gd.End += base
		c.Guards = append(c.Guards, gd)
	}
	return c
}

// conditionBody returns the expression of an `if:` value and its offset in text: the
// inside of `${{ … }}` when the whole value is one, else the value itself.
func conditionBody(text string) (string, int) {
	start, end := trimBlanks(text)
	v := text[start:end]
	if strings.HasPrefix(v, "${{") && strings.HasSuffix(v, "}}") && len(v) >= 5 && !strings.Contains(v[3:len(v)-2], "${{") {
		return v[3 : len(v)-2], start + 3
	}
	return text, 0
}

func shift(c Context, by int) Context {
	c.Start += by
	c.End += by
	return c
}

// truth is a three-valued boolean.
type truth int8

const (
	unknown truth = iota
	yes
	no
)

func (v truth) not() truth {
	switch v {
	case yes:
		return no
	case no:
		return yes
	}
	return unknown
}

// always evaluates the status of the condition in the success and failure worlds.
func (t *tree) always() bool {
	hasStatus := false
	actionlint.VisitExprNode(t.root, func(n, _ actionlint.ExprNode, entering bool) {
		if call, ok := n.(*actionlint.FuncCallNode); ok && entering {
			switch funcName(call.Callee) {
			case "always", "success", "failure", "cancelled":
				hasStatus = true
			}
		}
	})
	return hasStatus && status(t.root, false) != no && status(t.root, true) != no
}

// status evaluates n where something before failed (failed) or not.
func status(n actionlint.ExprNode, failed bool) truth {
	switch n := n.(type) {
	case *actionlint.FuncCallNode:
		switch funcName(n.Callee) {
		case "always":
			return yes
		case "success":
			return truthOf(!failed)
		case "failure":
			return truthOf(failed)
		case "cancelled":
			return no
		}
		return unknown
	case *actionlint.NotOpNode:
		return status(n.Operand, failed).not()
	case *actionlint.LogicalOpNode:
		l := status(n.Left, failed)
		r := status(n.Right, failed)
		if n.Kind == actionlint.LogicalOpNodeKindAnd {
			switch {
			case l == no || r == no:
				return no
			case l == yes && r == yes:
				return yes
			}
			return unknown
		}
		switch {
		case l == yes || r == yes:
			return yes
		case l == no && r == no:
			return no
		}
		return unknown
	case *actionlint.BoolNode:
		return truthOf(n.Value)
	case *actionlint.NullNode:
		return no
	case *actionlint.StringNode:
		return truthOf(n.Value != "")
	case *actionlint.IntNode:
		return truthOf(n.Value != 0)
	case *actionlint.FloatNode:
		return truthOf(n.Value != 0)
	}
	return unknown
}

func truthOf(b bool) truth {
	if b {
		return yes
	}
	return no
}
