package gitlab

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

// decidingExprs returns the expression scalars that decide whether job runs: the if:
// of its rules:, or without rules the variables: of its only: and except:.
func decidingExprs(job *node) []*node {
	if rules := job.get("rules"); rules.isSeq() {
		return ruleExprs(rules)
	}
	var out []*node
	for _, key := range []string{"only", "except"} {
		if fl := job.field(key); fl != nil {
			out = append(out, readOnlyExcept(fl.value).variables...)
		}
	}
	return out
}

// ruleExprs returns the if: scalars of a rules: list.
func ruleExprs(rules *node) []*node {
	var out []*node
	for _, rule := range rules.items {
		if ifNode := rule.get("if"); ifNode.isScalar() {
			out = append(out, ifNode)
		}
	}
	return out
}

// condition builds the job's Condition from its rules: or, without rules, from the
// variables: expressions of its only: and except:. A job with neither has none.
func (p *parser) condition(job *node) *model.Condition {
	if fl := job.field("rules"); fl != nil && fl.value.isSeq() {
		return p.rulesCondition(fl)
	}
	return p.onlyExceptCondition(job)
}

// rulesCondition combines the if: expressions of a rules: list in GitLab's first-match
// order: a rule runs the job when its own if: holds and no earlier `when: never` rule's
// did. `[{if: A, when: never}, {if: B}]` is `!(A) && (B)`, `[{if: A}, {if: B}]` is
// `(A) || (B)`, and `[{if: A, when: never}, {if: B}, {if: C}]` is `!(A) && ((B) || (C))`,
// which keeps the text linear in the number of rules. A rule without if: always matches
// (`true`, and the rules after it never count). The changes: and exists: of a rule are
// not part of the expression: such a rule is read as its if: alone (the job may run when
// it holds), and a `when: never` rule with them excludes nothing for certain, so it is
// left out. Rules that never run the job give "false". The condition is Always when
// every rule that may run the job says `when: always`. Reads lists each variable the
// expressions read once, at its first `$NAME`.
func (p *parser) rulesCondition(fl *field) *model.Condition {
	c := &model.Condition{Text: model.Text{Pos: fl.keyPos()}}
	rules := fl.value.items
	always, running := true, false
	seen := map[string]bool{}
	for _, rule := range rules {
		if ifNode := rule.get("if"); ifNode.isScalar() {
			p.addReads(c, ifNode, seen)
		}
		if rule.isMap() && !isNever(rule) {
			when := rule.get("when")
			always = always && when.isScalar() && when.value == "always"
			running = true
		}
	}
	// Build from the last rule back: the condition under which the rules from rule i on
	// run the job, once the rules before i did not match. It grows at its front only (a
	// parenthesis opened in front closes at the very end), so it is kept as reversed
	// fronts and a count of closing parentheses, and joined once.
	var fronts []string
	closes, alternatives, isTrue := 0, false, false
	set := func(s string) {
		fronts, closes, alternatives, isTrue = append(fronts[:0], s), 0, false, s == "true"
	}
	for i := len(rules) - 1; i >= 0; i-- {
		rule := rules[i]
		if !rule.isMap() {
			continue
		}
		ifNode, files := rule.get("if"), hasFileConditions(rule)
		switch {
		case !isNever(rule) && !ifNode.isScalar():
			set("true")
		case !isNever(rule):
			switch {
			case len(fronts) == 0:
				set("(" + ifNode.value + ")")
			case !isTrue:
				fronts, alternatives = append(fronts, "("+ifNode.value+") || "), true
			}
		case files:
		case !ifNode.isScalar():
			fronts, closes, alternatives, isTrue = fronts[:0], 0, false, false
		case isTrue:
			set("!(" + ifNode.value + ")")
		case len(fronts) > 0:
			if alternatives {
				fronts, closes = append(fronts, "("), closes+1
			}
			fronts, alternatives = append(fronts, "!("+ifNode.value+") && "), false
		}
	}
	var b strings.Builder
	for i := len(fronts) - 1; i >= 0; i-- {
		b.WriteString(fronts[i])
	}
	b.WriteString(strings.Repeat(")", closes))
	c.Value = b.String()
	if c.Value == "" {
		c.Value = "false"
	}
	c.Always = running && always
	c.Literal = len(c.Reads) == 0
	return c
}

// onlyExceptCondition combines the variables: expressions of only: (one must hold) and
// except: (none may hold): `!(E) && ((A) || (B))`. Pos is the only: key, or the except:
// key when only: has no variables. Without variables expressions there is no Condition.
func (p *parser) onlyExceptCondition(job *node) *model.Condition {
	only, except := job.field("only"), job.field("except")
	var onlyExprs, exceptExprs []*node
	if only != nil {
		onlyExprs = readOnlyExcept(only.value).variables
	}
	if except != nil {
		exceptExprs = readOnlyExcept(except.value).variables
	}
	if len(onlyExprs) == 0 && len(exceptExprs) == 0 {
		return nil
	}
	c := &model.Condition{}
	if len(onlyExprs) > 0 {
		c.Pos = only.keyPos()
	} else {
		c.Pos = except.keyPos()
	}
	var terms, alternatives []string
	seen := map[string]bool{}
	for _, e := range onlyExprs {
		p.addReads(c, e, seen)
		alternatives = append(alternatives, "("+e.value+")")
	}
	for _, e := range exceptExprs {
		p.addReads(c, e, seen)
		terms = append(terms, "!("+e.value+")")
	}
	switch {
	case len(alternatives) > 1 && len(terms) > 0:
		terms = append(terms, "("+strings.Join(alternatives, " || ")+")")
	case len(alternatives) > 0:
		terms = append(terms, strings.Join(alternatives, " || "))
	}
	c.Value = strings.Join(terms, " && ")
	c.Literal = len(c.Reads) == 0
	return c
}

// addReads adds to c the variables that expression scalar n reads and c does not list
// yet (seen), each at its first `$NAME`, and the expression's parse error.
func (p *parser) addReads(c *model.Condition, n *node, seen map[string]bool) {
	ce := p.conditions.parse(n.value)
	if ce.invalid != "" && c.Invalid == "" {
		c.Invalid = ce.invalid
	}
	reads, ok := p.reads[n.yn]
	if !ok {
		reads = make([]model.ContextRef, 0, len(ce.vars))
		for _, v := range ce.vars {
			reads = append(reads, model.ContextRef{
				Path:      v.text,
				Untrusted: untrusted.Variable(model.PlatformGitLab, v.text),
				Pos:       p.exprPos(n, v.start, v.end),
			})
		}
		p.reads[n.yn] = reads
	}
	for _, r := range reads {
		if !seen[r.Path] {
			seen[r.Path] = true
			c.Reads = append(c.Reads, r)
		}
	}
}
