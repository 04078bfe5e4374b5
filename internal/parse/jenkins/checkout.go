package jenkins

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

// checkouts returns the checkout of source code a `checkout` or `git` step performs,
// placed at the step: `checkout scm` checks out the build's own revision (base); `git
// url: …` and `checkout([$class: 'GitSCM', …])` (or `scmGit(…)`) check out the change
// request's code (pull-request) when the branch, the refspec or the URL is built from
// CHANGE_* variables or the branch is a `refs/pull/` ref, another repository or a fixed
// ref (other) when URL and branch are fixed, and something only known at run time
// (unknown) otherwise.
func (p *parser) checkouts(c *groovy.Call) []model.Checkout {
	switch c.Path() {
	case "checkout":
		scm := argument(c.Args, "scm")
		if scm == nil {
			return nil
		}
		if isIdent(scm, "scm") {
			return []model.Checkout{{Target: model.CheckoutBase, Reason: "checkout scm", Pos: c.Pos}}
		}
		remote := find(find(scm, "userRemoteConfigs"), "url")
		if remote == nil {
			remote = find(scm, "remote") // other SCMs' locations
		}
		refs := []ref{{"branch", find(find(scm, "branches"), "name")}, {"refspec", find(scm, "refspec")}}
		return []model.Checkout{p.checkout(c.Pos, remote, refs)}
	case "git":
		return []model.Checkout{p.checkout(c.Pos, argument(c.Args, "url"), []ref{{"branch", namedArgument(c.Args, "branch")}})}
	}
	return nil
}

// ref is a ref argument of a checkout, by its key.
type ref struct {
	key  string
	expr groovy.Expr
}

// checkout decides the target of a checkout of url at refs, the ref checked out first.
func (p *parser) checkout(pos model.Pos, url groovy.Expr, refs []ref) model.Checkout {
	co := model.Checkout{Target: model.CheckoutUnknown, Reason: "no url", Pos: pos}
	if url != nil {
		co.Repository = p.written(url)
		co.Reason = "url: " + co.Repository
	}
	var first *ref
	for i, r := range refs {
		if r.expr == nil {
			continue
		}
		if first == nil {
			first = &refs[i]
		}
		if p.readsChange(r.expr) {
			co.Ref = p.written(r.expr)
			co.Target, co.Reason = model.CheckoutPullRequest, r.key+": "+co.Ref
			return co
		}
	}
	if first != nil {
		co.Ref = p.written(first.expr)
	}
	switch {
	case url != nil && p.readsChange(url):
		co.Target = model.CheckoutPullRequest
	case first != nil && first.key == "branch" && strings.Contains(co.Ref, "refs/pull/"):
		co.Target, co.Reason = model.CheckoutPullRequest, first.key+": "+co.Ref
	case isFixed(url) && (first == nil || isFixed(first.expr)):
		co.Target = model.CheckoutOther
	case first != nil && !isFixed(first.expr):
		co.Reason = first.key + ": " + co.Ref
	}
	return co
}

// written returns a string's value, or an expression as written.
func (p *parser) written(e groovy.Expr) string {
	if s, ok := e.(*groovy.String); ok {
		return s.Value
	}
	return p.source(e.Span())
}

// isFixed reports whether e is a string that holds no variable.
func isFixed(e groovy.Expr) bool {
	s, ok := e.(*groovy.String)
	return ok && !s.Interpolated() && !strings.Contains(s.Value, "$")
}

// readsChange reports whether e reads a CHANGE_* variable of change-request builds: in
// Groovy (`env.CHANGE_BRANCH`, `"${CHANGE_ID}"`) or in a string that the SCM step
// expands itself (`'+refs/pull/${CHANGE_ID}/head'`).
func (p *parser) readsChange(e groovy.Expr) bool {
	found := false
	groovy.Inspect(e, func(n groovy.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *groovy.Closure:
			return false
		case *groovy.String:
			found = textReadsChange(n.Value)
		case groovy.Expr:
			if name, ok := p.envName(n); ok {
				_, found = untrusted.JenkinsChangeVariables[name]
			}
		}
		return !found
	})
	return found
}

// textReadsChange reports whether text refers to a CHANGE_* variable: `$CHANGE_ID`,
// `${CHANGE_ID}`, `${env.CHANGE_ID}`.
func textReadsChange(text string) bool {
	if !strings.Contains(text, "CHANGE_") {
		return false
	}
	for name := range untrusted.JenkinsChangeVariables {
		if strings.Contains(text, "$"+name) || strings.Contains(text, "${"+name) || strings.Contains(text, "env."+name) {
			return true
		}
	}
	return false
}

// find returns the value of the first entry or named argument called key in e, at any
// depth of its lists, maps and calls.
func find(e groovy.Expr, key string) groovy.Expr {
	var found groovy.Expr
	var visit func(e groovy.Expr, depth int)
	visit = func(e groovy.Expr, depth int) {
		if found != nil || depth > groovy.MaxDepth {
			return
		}
		switch e := e.(type) {
		case *groovy.List:
			for _, el := range e.Elems {
				visit(el, depth+1)
			}
		case *groovy.Map:
			for _, en := range e.Entries {
				if found == nil && mapKey(en, "") == key {
					found = en.Value
				}
				visit(en.Value, depth+1)
			}
		case *groovy.Call:
			for _, a := range e.Args {
				if found == nil && a.Name == key {
					found = a.Value
				}
				visit(a.Value, depth+1)
			}
		}
	}
	visit(e, 0)
	return found
}
