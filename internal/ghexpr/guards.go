package ghexpr

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Guard is a model.Guard found in a condition, with the byte offsets [Start, End) of
// the sub-expression it comes from (Detail is that text). Guard.Pos is left zero.
//
// A guard counts only where it must hold for the condition to be true: both sides of
// `A && B` give their guards; `A || B` gives a guard of a kind when both sides have one,
// or when one side has it and the other admits only some events (see either; Detail is
// then the whole `A || B`), and an actor guard when one side checks the repository and
// the other the actor (a fork gets past `<same-repo> || <actor>` only through the actor
// check); a negation drops the guards under it, except that `!…head.repo.fork` is
// itself a same-repo guard.
//
// Events means, for an event guard, the trigger events the condition still admits;
// for the other kinds, the events for which the guard holds, empty for every event.
type Guard struct {
	model.Guard
	Start, End int
}

// repoFact says what a context path tells about a repository: whether it is the head
// (pull request or triggering run) repository, and which attribute it holds.
type repoFact struct {
	head bool
	attr string
}

// repoFacts lists the paths compared by same-repo guards. A head path equal to the
// base path of the same attribute means the code does not come from a fork.
var repoFacts = map[string]repoFact{
	"github.repository":                                     {false, "full_name"},
	"github.event.repository.full_name":                     {false, "full_name"},
	"github.event.pull_request.base.repo.full_name":         {false, "full_name"},
	"github.event.workflow_run.repository.full_name":        {false, "full_name"},
	"github.event.pull_request.head.repo.full_name":         {true, "full_name"},
	"github.event.workflow_run.head_repository.full_name":   {true, "full_name"},
	"github.repository_id":                                  {false, "id"},
	"github.event.repository.id":                            {false, "id"},
	"github.event.pull_request.base.repo.id":                {false, "id"},
	"github.event.workflow_run.repository.id":               {false, "id"},
	"github.event.pull_request.head.repo.id":                {true, "id"},
	"github.event.workflow_run.head_repository.id":          {true, "id"},
	"github.repository_owner":                               {false, "owner"},
	"github.event.repository.owner.login":                   {false, "owner"},
	"github.event.pull_request.base.repo.owner.login":       {false, "owner"},
	"github.event.pull_request.head.repo.owner.login":       {true, "owner"},
	"github.event.workflow_run.head_repository.owner.login": {true, "owner"},
	"github.event.pull_request.head.repo.fork":              {true, "fork"},
	"github.event.workflow_run.head_repository.fork":        {true, "fork"},
}

// actorPaths are the paths naming who caused the event or wrote the pull request,
// issue or comment; comparing one with a literal is an actor gate.
var actorPaths = map[string]bool{
	"github.actor":                                     true,
	"github.triggering_actor":                          true,
	"github.event.sender.login":                        true,
	"github.event.pull_request.user.login":             true,
	"github.event.issue.user.login":                    true,
	"github.event.comment.user.login":                  true,
	"github.event.review.user.login":                   true,
	"github.event.workflow_run.actor.login":            true,
	"github.event.workflow_run.triggering_actor.login": true,
	// Only people with triage access apply labels.
	"github.event.label.name": true,
}

// labelLists are the label names of the pull request or issue: testing them for a
// literal label is an actor gate.
var labelLists = map[string]bool{
	"github.event.pull_request.labels.*.name": true,
	"github.event.issue.labels.*.name":        true,
}

// associations are GitHub's author_association values, true for the ones that need
// write access or membership.
var associations = map[string]bool{
	"OWNER":                  true,
	"MEMBER":                 true,
	"COLLABORATOR":           true,
	"CONTRIBUTOR":            false,
	"FIRST_TIME_CONTRIBUTOR": false,
	"FIRST_TIMER":            false,
	"MANNEQUIN":              false,
	"NONE":                   false,
}

func isAssociation(path string) bool {
	return strings.HasPrefix(path, "github.event.") && strings.HasSuffix(path, ".author_association")
}

// guardFinder finds the guards of one parsed condition.
type guardFinder struct {
	t      *tree
	events []string
}

// guards returns the guards that must hold for n to be true.
func (g *guardFinder) guards(n actionlint.ExprNode) []Guard {
	switch n := n.(type) {
	case *actionlint.LogicalOpNode:
		l, r := g.guards(n.Left), g.guards(n.Right)
		if n.Kind == actionlint.LogicalOpNodeKindAnd {
			return append(l, r...)
		}
		return g.either(n, l, r)
	case *actionlint.NotOpNode:
		if p, ok := g.t.path(n.Operand); ok && repoFacts[p].attr == "fork" {
			return []Guard{g.guard(model.GuardSameRepo, n, nil)}
		}
	case *actionlint.CompareOpNode:
		if gd, ok := g.compare(n, n.Left, n.Right); ok {
			return []Guard{gd}
		}
		if gd, ok := g.compare(n, n.Right, n.Left); ok {
			return []Guard{gd}
		}
	case *actionlint.FuncCallNode:
		return g.contains(n)
	}
	return nil
}

// either merges the guards of the two sides of `A || B`. A kind both sides have holds
// whichever side is true, for the events both cover. A kind one side has holds too when
// the other side admits only some events, for the other events: in
// `github.event_name != 'pull_request' || <same-repo check>` the same-repo check holds
// on pull_request. Two event guards merge into one admitting what either side admits.
func (g *guardFinder) either(n actionlint.ExprNode, l, r []Guard) []Guard {
	var out []Guard
	for _, kind := range kindsOf(l, r) {
		var events []string
		switch {
		case kind == model.GuardEvent:
			if !hasKind(l, kind) || !hasKind(r, kind) {
				continue
			}
			if events = union(admitted(l), admitted(r)); len(events) == 0 {
				continue // neither side admits any event
			}
		case hasKind(l, kind) && hasKind(r, kind):
			el, er := coverage(l, kind), coverage(r, kind)
			switch {
			case el == nil:
				events = er
			case er == nil:
				events = el
			default:
				events = slices.DeleteFunc(slices.Clone(el), func(e string) bool { return !slices.Contains(er, e) })
				if len(events) == 0 {
					continue
				}
			}
		default:
			own, other := l, r
			if !hasKind(l, kind) {
				own, other = r, l
			}
			if !hasKind(other, model.GuardEvent) {
				continue
			}
			base := coverage(own, kind)
			if base == nil {
				base = g.events
			}
			bypass := admitted(other)
			events = slices.DeleteFunc(slices.Clone(base), func(e string) bool { return slices.Contains(bypass, e) })
			if len(events) == 0 {
				continue
			}
		}
		out = append(out, g.guard(kind, n, events))
	}
	if !hasKind(out, model.GuardSameRepo) && !hasKind(out, model.GuardActor) {
		el, okL := keepingCoverage(l)
		er, okR := keepingCoverage(r)
		if events, ok := intersect(el, er); okL && okR && ok {
			out = append(out, g.guard(model.GuardActor, n, events))
		}
	}
	return out
}

// keepingCoverage returns the events for which a same-repo or actor guard of one side
// holds (nil for every event), and whether the side has one.
func keepingCoverage(gs []Guard) ([]string, bool) {
	if !hasKind(gs, model.GuardSameRepo) && !hasKind(gs, model.GuardActor) {
		return nil, false
	}
	var events []string
	for _, kind := range []string{model.GuardSameRepo, model.GuardActor} {
		if !hasKind(gs, kind) {
			continue
		}
		c := coverage(gs, kind)
		if c == nil {
			return nil, true
		}
		events = union(events, c)
	}
	return events, true
}

// intersect returns the events both lists cover, nil standing for every event; ok is
// false when they share none.
func intersect(a, b []string) ([]string, bool) {
	switch {
	case a == nil:
		return b, true
	case b == nil:
		return a, true
	}
	out := slices.DeleteFunc(slices.Clone(a), func(e string) bool { return !slices.Contains(b, e) })
	return out, len(out) > 0
}

// kindsOf lists the guard kinds of l and r, each once, in order.
func kindsOf(l, r []Guard) []string {
	var kinds []string
	for _, list := range [2][]Guard{l, r} {
		for _, g := range list {
			if !slices.Contains(kinds, g.Kind) {
				kinds = append(kinds, g.Kind)
			}
		}
	}
	return kinds
}

// coverage returns the events for which the guards of kind on one side hold, nil for
// every event.
func coverage(gs []Guard, kind string) []string {
	var events []string
	for _, g := range gs {
		if g.Kind != kind {
			continue
		}
		if len(g.Events) == 0 {
			return nil
		}
		events = union(events, g.Events)
	}
	return events
}

// compare recognizes a guard in comparison n whose side a is a context path and b the
// other side.
func (g *guardFinder) compare(n *actionlint.CompareOpNode, a, b actionlint.ExprNode) (Guard, bool) {
	pa, ok := g.t.path(a)
	if !ok {
		return Guard{}, false
	}
	lit, isLit := b.(*actionlint.StringNode)
	boolean, isBool := b.(*actionlint.BoolNode)
	fact := repoFacts[pa]
	var kind string
	var events []string
	switch n.Kind {
	case actionlint.CompareOpNodeKindEq:
		pb, _ := g.t.path(b)
		other, isRepo := repoFacts[pb]
		switch {
		case fact.attr != "" && isRepo && fact.attr == other.attr && fact.head != other.head:
			kind = model.GuardSameRepo
		case fact.head && fact.attr == "full_name" && isLit && strings.Contains(lit.Value, "/"):
			kind = model.GuardSameRepo // the head repository is one named repository
		case fact.attr == "fork" && isBool && !boolean.Value:
			kind = model.GuardSameRepo
		case isLit && actorPaths[pa]:
			kind = model.GuardActor
		case isLit && isAssociation(pa) && associations[strings.ToUpper(lit.Value)]:
			kind = model.GuardActor
		case isLit && pa == "github.event_name":
			kind, events = model.GuardEvent, []string{strings.ToLower(lit.Value)}
		}
	case actionlint.CompareOpNodeKindNotEq:
		switch {
		case fact.attr == "fork" && isBool && boolean.Value:
			kind = model.GuardSameRepo
		case isLit && pa == "github.event_name":
			events = without(g.events, strings.ToLower(lit.Value))
			if len(events) > 0 {
				kind = model.GuardEvent
			}
		}
	}
	if kind == "" {
		return Guard{}, false
	}
	return g.guard(kind, n, events), true
}

// contains recognizes `contains(list, x)` guards: a literal list of actors, trusted
// author associations, labels or events, and `contains(<labels>.*.name, 'label')`.
func (g *guardFinder) contains(n *actionlint.FuncCallNode) []Guard {
	if funcName(n.Callee) != "contains" || len(n.Args) != 2 {
		return nil
	}
	list, item := n.Args[0], n.Args[1]
	if p, ok := g.t.path(list); ok && labelLists[p] {
		if _, ok := item.(*actionlint.StringNode); ok {
			return []Guard{g.guard(model.GuardActor, n, nil)}
		}
		return nil
	}
	items, substrings, ok := literalList(list)
	if !ok {
		return nil
	}
	if g.actorItem(item, items, substrings) {
		return []Guard{g.guard(model.GuardActor, n, nil)}
	}
	p, ok := g.t.path(item)
	switch {
	case !ok:
	case p == "github.event_name":
		var events []string
		for _, e := range g.events {
			if (substrings && strings.Contains(strings.ToLower(items[0]), e)) || (!substrings && slices.Contains(items, e)) {
				events = append(events, e)
			}
		}
		if !substrings && len(g.events) == 0 {
			events = items
		}
		if len(events) > 0 {
			return []Guard{g.guard(model.GuardEvent, n, events)}
		}
	}
	return nil
}

// actorItem reports whether the item looked up in a literal list names the actor, or
// an author association that the list admits only when trusted: a path, or an `||` of
// such paths (`github.event.comment.author_association ||
// github.event.issue.author_association`, whichever the event has).
func (g *guardFinder) actorItem(item actionlint.ExprNode, items []string, substrings bool) bool {
	if or, isOr := item.(*actionlint.LogicalOpNode); isOr && or.Kind == actionlint.LogicalOpNodeKindOr {
		return g.actorItem(or.Left, items, substrings) && g.actorItem(or.Right, items, substrings)
	}
	p, ok := g.t.path(item)
	return ok && (actorPaths[p] || isAssociation(p) && onlyTrusted(items, substrings))
}

// literalList returns the entries of a literal list, lower-cased since GitHub compares
// strings case-insensitively: `fromJSON('["a", "b"]')` gives its strings; a plain
// string gives itself with substrings true, since contains() on a string tests for a
// substring.
func literalList(n actionlint.ExprNode) (items []string, substrings, ok bool) {
	switch n := n.(type) {
	case *actionlint.StringNode:
		return []string{strings.ToLower(n.Value)}, true, true
	case *actionlint.FuncCallNode:
		if funcName(n.Callee) != "fromJSON" || len(n.Args) != 1 {
			return nil, false, false
		}
		s, isString := n.Args[0].(*actionlint.StringNode)
		if !isString {
			return nil, false, false
		}
		var values []any
		if json.Unmarshal([]byte(s.Value), &values) != nil {
			return nil, false, false
		}
		for _, v := range values {
			if str, isStr := v.(string); isStr {
				items = append(items, strings.ToLower(str))
			}
		}
		return items, false, true
	}
	return nil, false, false
}

// onlyTrusted reports whether a literal list of author associations admits only the
// trusted ones.
func onlyTrusted(items []string, substrings bool) bool {
	if substrings {
		list := strings.ToUpper(items[0])
		for a, trusted := range associations {
			if !trusted && strings.Contains(list, a) {
				return false
			}
		}
		return true
	}
	for _, it := range items {
		if !associations[strings.ToUpper(it)] {
			return false
		}
	}
	return len(items) > 0
}

// guard returns a guard of kind for node n, as written.
func (g *guardFinder) guard(kind string, n actionlint.ExprNode, events []string) Guard {
	start, end := g.t.offsets(g.t.raw(n))
	return Guard{Guard: model.Guard{Kind: kind, Detail: g.t.src[start:end], Events: events}, Start: start, End: end}
}

// path returns the lower-cased path of a context access chain without computed
// indexes (`github.event['pull_request'].head.repo.fork` gives
// `github.event.pull_request.head.repo.fork`).
func (t *tree) path(n actionlint.ExprNode) (string, bool) {
	var b strings.Builder
	if !writeLowerPath(n, &b) {
		return "", false
	}
	return b.String(), true
}

func writeLowerPath(n actionlint.ExprNode, b *strings.Builder) bool {
	switch n := n.(type) {
	case *actionlint.VariableNode:
		b.WriteString(n.Name) // the parser lower-cases names
		return true
	case *actionlint.ObjectDerefNode:
		if !writeLowerPath(n.Receiver, b) {
			return false
		}
		b.WriteByte('.')
		b.WriteString(n.Property)
		return true
	case *actionlint.ArrayDerefNode:
		if !writeLowerPath(n.Receiver, b) {
			return false
		}
		b.WriteString(".*")
		return true
	case *actionlint.IndexAccessNode:
		if !writeLowerPath(n.Operand, b) {
			return false
		}
		switch ix := n.Index.(type) {
		case *actionlint.StringNode:
			b.WriteByte('.')
			b.WriteString(strings.ToLower(ix.Value))
			return true
		case *actionlint.IntNode:
			b.WriteString(".*")
			return true
		}
	}
	return false
}

func hasKind(gs []Guard, kind string) bool {
	for _, g := range gs {
		if g.Kind == kind {
			return true
		}
	}
	return false
}

// admitted returns the events that all event guards of one side of `||` admit
// together, or nil when the side has none.
func admitted(gs []Guard) []string {
	var out []string
	first := true
	for _, g := range gs {
		if g.Kind != model.GuardEvent {
			continue
		}
		if first {
			out, first = slices.Clone(g.Events), false
			continue
		}
		out = slices.DeleteFunc(out, func(e string) bool { return !slices.Contains(g.Events, e) })
	}
	return out
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, e := range b {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func without(list []string, drop string) []string {
	var out []string
	for _, e := range list {
		if e != drop {
			out = append(out, e)
		}
	}
	return out
}
