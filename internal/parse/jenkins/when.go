package jenkins

import (
	"slices"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

// changeRequestEvent is the trigger event of change-request builds.
const changeRequestEvent = "change_request"

// whenFacts is what a declarative `when { }` block says about its stage.
type whenFacts struct {
	condition *model.Condition
	// triggers are the change-request triggers of the conditions that select change
	// requests; guards the conditions that keep change requests or forks out.
	triggers []*model.Trigger
	guards   []*model.Guard
}

// when reads a stage's `when { … }`. The Condition is the block's text (code, so
// nothing is redacted) at the `when` head, with the environment variables and
// parameters it reads, those that built-in conditions read included (`branch` reads
// BRANCH_NAME, `changeRequest` CHANGE_ID, `buildingTag` and `tag` TAG_NAME,
// `environment name: 'X'` X). A condition that holds in no branch build but may in a
// change request gives a change_request trigger; each condition that must hold (the
// block's own, allOf's, the `&&` operands of an expression) and never holds for a fork's
// change request is a guard: not-change when it excludes every change request
// (`not { changeRequest() }`, `branch 'main'`, `buildingTag()`), same-repo when only
// forks' (`expression { env.CHANGE_FORK == null }`).
func (p *parser) when(c *groovy.Call) whenFacts {
	if c.Closure == nil {
		return whenFacts{}
	}
	cond := &model.Condition{Text: model.Text{Value: p.blockText(c.Closure), Pos: p.headPos(c)}}
	cond.Reads = p.conditionReads(c.Closure)
	cond.Literal = len(cond.Reads) == 0
	f := whenFacts{condition: cond, triggers: p.whenTriggers(c.Closure.Body, false)}
	for _, cj := range p.whenConjuncts(c.Closure.Body, nil) {
		if g := p.exclusion(cj, verdictNo, p.source(cj.span)); g != nil {
			f.guards = append(f.guards, g)
		}
	}
	return f
}

// blockText returns the source of a closure without its braces, trimmed.
func (p *parser) blockText(c *groovy.Closure) string {
	src := strings.TrimSpace(p.source(c.Pos))
	src = strings.TrimSuffix(strings.TrimPrefix(src, "{"), "}")
	return strings.TrimSpace(src)
}

// whenVerdict evaluates one condition of a when block in a build of kind b.
func (p *parser) whenVerdict(c *groovy.Call, b buildKind) verdict {
	switch c.Name() {
	case "changeRequest":
		switch {
		case !b.change():
			return verdictNo
		case len(c.Args) == 0:
			return verdictYes
		}
	case "branch":
		return p.branchVerdict(c, b)
	case "buildingTag", "tag":
		if b.change() {
			return verdictNo
		}
	case "expression":
		if c.Closure != nil {
			return p.truth(c.Closure, b)
		}
	case "not":
		return notVerdict(p.allOf(c.Closure, b))
	case "allOf":
		return p.allOf(c.Closure, b)
	case "anyOf":
		if c.Closure == nil {
			return verdictMaybe
		}
		v := verdictNo
		for _, s := range c.Closure.Body {
			v = max(v, p.stmtVerdict(s, b))
		}
		return v
	case "beforeAgent", "beforeInput", "beforeOptions":
		return verdictYes // when to evaluate, not a condition
	}
	return verdictMaybe
}

// allOf evaluates the conditions of a block that must all hold.
func (p *parser) allOf(c *groovy.Closure, b buildKind) verdict {
	if c == nil {
		return verdictMaybe
	}
	v := verdictYes
	for _, s := range c.Body {
		v = min(v, p.stmtVerdict(s, b))
	}
	return v
}

// stmtVerdict evaluates a statement of a when block: a condition call, or something
// unknown.
func (p *parser) stmtVerdict(s groovy.Stmt, b buildKind) verdict {
	if c := stmtCall(s); c != nil {
		return p.whenVerdict(c, b)
	}
	return verdictMaybe
}

// branchVerdict evaluates `branch 'pattern'` (or `branch pattern: …, comparator: …`):
// BRANCH_NAME against a glob (the default), a regular expression or an exact name.
func (p *parser) branchVerdict(c *groovy.Call, b buildKind) verdict {
	pattern, comparator, ok := "", "GLOB", false
	for i, a := range c.Args {
		s, isString := a.Value.(*groovy.String)
		if !isString || s.Interpolated() {
			continue
		}
		switch {
		case a.Name == "pattern" || (a.Name == "" && i == 0):
			pattern, ok = s.Value, true
		case a.Name == "comparator":
			comparator = s.Value
		}
	}
	if !ok {
		return verdictMaybe
	}
	branch := envValue("BRANCH_NAME", b)
	switch comparator {
	case "EQUALS":
		return equal(branch, value{state: valueText, text: pattern})
	case "REGEXP":
		return matches(branch, pattern, true)
	}
	wildcard := strings.IndexAny(pattern, "*?[")
	if wildcard < 0 {
		return equal(branch, value{state: valueText, text: pattern})
	}
	return min(startsWith(branch, pattern[:wildcard]), verdictMaybe)
}

// selectsChanges reports whether condition c holds in no branch build but may hold in a
// change request.
func (p *parser) selectsChanges(c *groovy.Call) bool {
	return p.whenVerdict(c, branchBuild) == verdictNo &&
		(p.whenVerdict(c, ownChange) != verdictNo || p.whenVerdict(c, forkChange) != verdictNo)
}

// whenTriggers returns a change_request trigger for each condition of body that
// selects change requests, outside `not { }`.
func (p *parser) whenTriggers(body []groovy.Stmt, negated bool) []*model.Trigger {
	var out []*model.Trigger
	for _, s := range body {
		c := stmtCall(s)
		if c == nil {
			continue
		}
		switch c.Name() {
		case "not":
			if c.Closure != nil {
				out = append(out, p.whenTriggers(c.Closure.Body, !negated)...)
			}
		case "anyOf", "allOf":
			if c.Closure != nil {
				out = append(out, p.whenTriggers(c.Closure.Body, negated)...)
			}
		default:
			if !negated && p.selectsChanges(c) {
				out = append(out, p.changeRequestTrigger(p.headPos(c), p.conditionFilters(c)))
			}
		}
	}
	return out
}

// conditionFilters returns the filters of a change-request condition as written:
// changeRequest's arguments, a branch pattern.
func (p *parser) conditionFilters(c *groovy.Call) []string {
	var filters []string
	switch c.Name() {
	case "changeRequest":
		for _, a := range c.Args {
			filters = append(filters, strings.TrimSpace(a.Name+": "+p.source(a.Value.Span())))
		}
	case "branch":
		if len(c.Args) > 0 {
			filters = append(filters, "branch: "+p.str(c.Args[0].Value))
		}
	}
	return filters
}

// conjunct is a condition that must hold for a block to run, with its span.
type conjunct struct {
	span model.Pos
	eval func(buildKind) verdict
}

// whenConjuncts returns the conditions of a when block that must all hold: its own
// conditions, those of allOf blocks, and the `&&` operands of expressions.
func (p *parser) whenConjuncts(body []groovy.Stmt, out []conjunct) []conjunct {
	for _, s := range body {
		c := stmtCall(s)
		if c == nil {
			continue
		}
		switch c.Name() {
		case "allOf":
			if c.Closure != nil {
				out = p.whenConjuncts(c.Closure.Body, out)
			}
		case "expression":
			if c.Closure != nil {
				if e := closureResult(c.Closure); e != nil {
					out = append(out, p.exprConjuncts(e, "&&")...)
					continue
				}
			}
			out = append(out, p.callConjunct(c))
		case "beforeAgent", "beforeInput", "beforeOptions":
		default:
			out = append(out, p.callConjunct(c))
		}
	}
	return out
}

func (p *parser) callConjunct(c *groovy.Call) conjunct {
	return conjunct{span: c.Pos, eval: func(b buildKind) verdict { return p.whenVerdict(c, b) }}
}

// exprConjuncts returns the operands of a chain of op in a Groovy condition.
func (p *parser) exprConjuncts(e groovy.Expr, op string) []conjunct {
	var out []conjunct
	for _, operand := range operands(e, op) {
		out = append(out, conjunct{span: operand.Span(), eval: func(b buildKind) verdict { return p.truth(operand, b) }})
	}
	return out
}

// exclusion returns a guard when conjunct cj keeps forks' change requests out, that is
// when it evaluates to excluding (verdictNo for a condition that must hold, verdictYes
// for one that must not) in a fork's change request: not-change when it does the same
// in the repository's own change requests, same-repo otherwise. detail is the check as
// written.
func (p *parser) exclusion(cj conjunct, excluding verdict, detail string) *model.Guard {
	if cj.eval(forkChange) != excluding {
		return nil
	}
	kind := model.GuardSameRepo
	if cj.eval(ownChange) == excluding {
		kind = model.GuardNotChange
	}
	return &model.Guard{Kind: kind, Detail: detail, Events: []string{changeRequestEvent}, Pos: cj.span}
}

// conditionReads returns the environment variables and parameters a when block reads,
// each once at its first read, in source order: `env.X`, `env['X']`, `params.X` and
// bare upper-case names in its expressions, and the variables built-in conditions test.
func (p *parser) conditionReads(block *groovy.Closure) []model.ContextRef {
	var out []model.ContextRef
	add := func(path, env string, pos model.Pos) {
		out = append(out, model.ContextRef{Path: path, Untrusted: env != "" && untrusted.Variable(model.PlatformJenkins, env), Pos: pos})
	}
	groovy.Inspect(block, func(n groovy.Node) bool {
		switch n := n.(type) {
		case *groovy.Member, *groovy.Index, *groovy.Ident:
			if name, ok := p.envName(n.(groovy.Expr)); ok {
				path := name
				if _, bare := n.(*groovy.Ident); !bare {
					path = "env." + name
				}
				add(path, name, n.Span())
				return false
			}
			if name, ok := paramRead(n.(groovy.Expr)); ok {
				add("params."+name, "", n.Span())
				return false
			}
		}
		return true
	})
	p.implicitReads(block.Body, add)
	slices.SortStableFunc(out, func(a, b model.ContextRef) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	seen := map[string]bool{}
	return slices.DeleteFunc(out, func(r model.ContextRef) bool {
		dup := seen[r.Path]
		seen[r.Path] = true
		return dup
	})
}

// paramRead returns the build parameter that e reads: `params.X` or `params['X']`.
func paramRead(e groovy.Expr) (string, bool) {
	switch e := e.(type) {
	case *groovy.Member:
		if isIdent(e.X, "params") && !e.Pointer {
			return e.Name, true
		}
	case *groovy.Index:
		if isIdent(e.X, "params") && len(e.Index) == 1 {
			if s, ok := e.Index[0].(*groovy.String); ok && !s.Interpolated() {
				return s.Value, true
			}
		}
	}
	return "", false
}

// implicitReads reports the variables that the built-in conditions of a when block test.
func (p *parser) implicitReads(body []groovy.Stmt, add func(path, env string, pos model.Pos)) {
	for _, s := range body {
		c := stmtCall(s)
		if c == nil {
			continue
		}
		head := p.headPos(c)
		switch c.Name() {
		case "not", "allOf", "anyOf":
			if c.Closure != nil {
				p.implicitReads(c.Closure.Body, add)
			}
		case "changeRequest":
			add("env.CHANGE_ID", "CHANGE_ID", head)
		case "branch":
			add("env.BRANCH_NAME", "BRANCH_NAME", head)
		case "buildingTag", "tag":
			add("env.TAG_NAME", "TAG_NAME", head)
		case "environment":
			for _, a := range c.Args {
				if s, ok := a.Value.(*groovy.String); ok && a.Name == "name" && !s.Interpolated() {
					add("env."+s.Value, s.Value, head)
				}
			}
		}
	}
}

// branchScopes returns the scopes of the branches of `if (cond)`. A branch that runs in
// no branch build but may in a change request gets the change_request trigger. The
// `&&` operands of cond that never hold for a fork's change request guard the then
// branch; the `||` operands that always hold for one guard the else branch (Detail
// `!(operand)`), both not-change when they do the same for the repository's own change
// requests (`if (env.CHANGE_ID == null)`), same-repo otherwise (`if (!env.CHANGE_FORK)`).
func (p *parser) branchScopes(cond groovy.Expr, sc *scope) (then, els *scope) {
	var v [len(buildKinds)]verdict
	for _, b := range buildKinds {
		v[b] = p.truth(cond, b)
	}
	thenScope, elseScope := *sc, *sc
	var trigger *model.Trigger
	switch {
	case v[branchBuild] == verdictNo && (v[ownChange] != verdictNo || v[forkChange] != verdictNo):
		trigger = p.changeRequestTrigger(cond.Span(), nil)
		thenScope.triggers = append(slices.Clip(sc.triggers), trigger)
	case v[branchBuild] == verdictYes && (v[ownChange] != verdictYes || v[forkChange] != verdictYes):
		trigger = p.changeRequestTrigger(cond.Span(), nil)
		elseScope.triggers = append(slices.Clip(sc.triggers), trigger)
	}
	for _, cj := range p.exprConjuncts(cond, "&&") {
		if g := p.exclusion(cj, verdictNo, p.source(cj.span)); g != nil {
			thenScope.guards = append(slices.Clip(thenScope.guards), g)
		}
	}
	for _, cj := range p.exprConjuncts(cond, "||") {
		if g := p.exclusion(cj, verdictYes, "!("+p.source(cj.span)+")"); g != nil {
			elseScope.guards = append(slices.Clip(elseScope.guards), g)
		}
	}
	return &thenScope, &elseScope
}
