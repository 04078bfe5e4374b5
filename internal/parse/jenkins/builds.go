package jenkins

import (
	"regexp"
	"strings"

	"github.com/pipeguard/pipeguard/internal/parse/groovy"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

// buildKind is a kind of build that a condition is evaluated for: a multibranch project
// builds branches and tags, and change requests (pull requests) from the repository
// itself or from a fork.
type buildKind int

const (
	branchBuild buildKind = iota // a branch or a tag
	ownChange                    // a change request from the repository itself
	forkChange                   // a change request from a fork (CHANGE_FORK is set)
)

// buildKinds lists every kind of build.
var buildKinds = [...]buildKind{branchBuild, ownChange, forkChange}

// change reports whether b is a change-request build.
func (b buildKind) change() bool { return b != branchBuild }

// changeBranchPrefix starts the BRANCH_NAME of change-request builds (PR-42); branch
// builds are named by their branch, which by the multibranch convention does not start
// with it.
const changeBranchPrefix = "PR-"

// verdict is a three-valued answer: a condition is false, may be true, or is true.
type verdict int

const (
	verdictNo verdict = iota
	verdictMaybe
	verdictYes
)

func notVerdict(v verdict) verdict { return verdictYes - v }

// valueState says what is known of a Groovy value in one kind of build.
type valueState int

const (
	valueUnknown valueState = iota
	valueNull
	valueSet    // not null and not empty, the text unknown
	valueText   // a known text
	valueBranch // BRANCH_NAME: known to start with changeBranchPrefix, or known not to
)

// value is what is known of a Groovy value in one kind of build.
type value struct {
	state valueState
	text  string
	// changeBranch says, for valueBranch, whether the name starts with changeBranchPrefix.
	changeBranch bool
}

// envValue returns what is known of environment variable name in a build of kind b:
// the CHANGE_* variables exist only in change requests (CHANGE_FORK only in a fork's),
// TAG_NAME never in change requests.
func envValue(name string, b buildKind) value {
	if _, ok := untrusted.JenkinsChangeVariables[name]; ok {
		if b == forkChange || (b == ownChange && name != "CHANGE_FORK") {
			return value{state: valueSet}
		}
		return value{state: valueNull}
	}
	switch name {
	case "BRANCH_NAME":
		return value{state: valueBranch, changeBranch: b.change()}
	case "TAG_NAME":
		if b.change() {
			return value{state: valueNull}
		}
	}
	return value{}
}

// valueOf returns what is known of expression e in a build of kind b: environment
// variables (`env.X`, `env['X']`, or a bare upper-case name that is no local of the
// file), string literals and null.
func (p *parser) valueOf(e groovy.Expr, b buildKind) value {
	if name, ok := p.envName(e); ok {
		return envValue(name, b)
	}
	switch e := e.(type) {
	case *groovy.String:
		if !e.Interpolated() {
			return value{state: valueText, text: e.Value}
		}
	case *groovy.Literal:
		if e.Kind == groovy.LitNull {
			return value{state: valueNull}
		}
	}
	return value{}
}

// envName returns the environment variable that e reads: `env.X`, `env?.X`, `env['X']`,
// or a bare upper-case name (BRANCH_NAME) that the file does not declare.
func (p *parser) envName(e groovy.Expr) (string, bool) {
	switch e := e.(type) {
	case *groovy.Member:
		if isIdent(e.X, "env") && !e.Pointer {
			return e.Name, true
		}
	case *groovy.Index:
		if isIdent(e.X, "env") && len(e.Index) == 1 {
			if s, ok := e.Index[0].(*groovy.String); ok && !s.Interpolated() {
				return s.Value, true
			}
		}
	case *groovy.Ident:
		if isEnvStyle(e.Name) && !p.locals[e.Name] {
			return e.Name, true
		}
	}
	return "", false
}

// isEnvStyle reports whether name is written like an environment variable: upper-case
// letters, digits and underscores, starting with a letter.
func isEnvStyle(name string) bool {
	for i, r := range name {
		switch {
		case r >= 'A' && r <= 'Z':
		case i > 0 && (r == '_' || (r >= '0' && r <= '9')):
		default:
			return false
		}
	}
	return name != ""
}

// truth evaluates e as a Groovy condition in a build of kind b.
func (p *parser) truth(e groovy.Expr, b buildKind) verdict {
	switch e := e.(type) {
	case *groovy.Unary:
		if e.Op == "!" && !e.Postfix {
			return notVerdict(p.truth(e.X, b))
		}
	case *groovy.Binary:
		switch e.Op {
		case "&&", "||":
			v := verdictYes
			if e.Op == "||" {
				v = verdictNo
			}
			for _, operand := range operands(e, e.Op) {
				if e.Op == "&&" {
					v = min(v, p.truth(operand, b))
				} else {
					v = max(v, p.truth(operand, b))
				}
			}
			return v
		case "==":
			return equal(p.valueOf(e.X, b), p.valueOf(e.Y, b))
		case "!=":
			return notVerdict(equal(p.valueOf(e.X, b), p.valueOf(e.Y, b)))
		case "==~", "=~":
			if s, ok := e.Y.(*groovy.String); ok && !s.Interpolated() {
				return matches(p.valueOf(e.X, b), s.Value, e.Op == "==~")
			}
		}
	case *groovy.Call:
		if m, ok := e.Callee.(*groovy.Member); ok && m.Name == "startsWith" && len(e.Args) == 1 {
			if s, ok := e.Args[0].Value.(*groovy.String); ok && !s.Interpolated() {
				return startsWith(p.valueOf(m.X, b), s.Value)
			}
		}
	case *groovy.Literal:
		switch e.Kind {
		case groovy.LitNull:
			return verdictNo
		case groovy.LitBool:
			if e.Raw == "true" {
				return verdictYes
			}
			return verdictNo
		}
	case *groovy.Closure:
		if last := closureResult(e); last != nil {
			return p.truth(last, b)
		}
		return verdictMaybe
	}
	return truthy(p.valueOf(e, b))
}

// closureResult returns the expression whose value a closure returns: its last
// statement's (`{ return x }` or `{ x }`), or nil.
func closureResult(c *groovy.Closure) groovy.Expr {
	if len(c.Body) == 0 {
		return nil
	}
	switch s := c.Body[len(c.Body)-1].(type) {
	case *groovy.ExprStmt:
		return s.X
	case *groovy.Return:
		return s.Value
	}
	return nil
}

// operands flattens a chain of op (`a && b && c`) into its operands, left to right,
// following the left spine without recursion.
func operands(e groovy.Expr, op string) []groovy.Expr {
	var reversed []groovy.Expr
	for {
		b, ok := e.(*groovy.Binary)
		if !ok || b.Op != op {
			break
		}
		reversed = append(reversed, b.Y)
		e = b.X
	}
	out := make([]groovy.Expr, 0, len(reversed)+1)
	out = append(out, e)
	for i := len(reversed) - 1; i >= 0; i-- {
		out = append(out, reversed[i])
	}
	return out
}

// truthy is Groovy truth of a value: not null and not empty.
func truthy(v value) verdict {
	switch v.state {
	case valueNull:
		return verdictNo
	case valueText:
		if v.text == "" {
			return verdictNo
		}
		return verdictYes
	case valueSet, valueBranch:
		return verdictYes
	}
	return verdictMaybe
}

// equal evaluates a == b.
func equal(a, b value) verdict {
	if b.state == valueBranch {
		a, b = b, a
	}
	switch {
	case a.state == valueNull && b.state == valueNull:
		return verdictYes
	case a.state == valueNull || b.state == valueNull:
		if a.state == valueUnknown || b.state == valueUnknown {
			return verdictMaybe
		}
		return verdictNo
	case a.state == valueText && b.state == valueText:
		if a.text == b.text {
			return verdictYes
		}
		return verdictNo
	case a.state == valueBranch && b.state == valueText:
		if strings.HasPrefix(b.text, changeBranchPrefix) != a.changeBranch {
			return verdictNo
		}
	}
	return verdictMaybe
}

// startsWith evaluates v.startsWith(prefix).
func startsWith(v value, prefix string) verdict {
	switch v.state {
	case valueText:
		if strings.HasPrefix(v.text, prefix) {
			return verdictYes
		}
		return verdictNo
	case valueBranch:
		compatible := strings.HasPrefix(prefix, changeBranchPrefix) || strings.HasPrefix(changeBranchPrefix, prefix)
		switch {
		case !compatible && v.changeBranch:
			return verdictNo
		case strings.HasPrefix(prefix, changeBranchPrefix) && !v.changeBranch:
			return verdictNo
		case strings.HasPrefix(changeBranchPrefix, prefix) && v.changeBranch:
			return verdictYes
		}
	}
	return verdictMaybe
}

// regexMeta are the characters that end the literal start of a regular expression.
const regexMeta = `.[]()*+?{}|^$\`

// matches evaluates a regular-expression match of v against pattern: of the whole value
// (Groovy `==~`, Jenkins' REGEXP comparator) or of a part (`=~`). Java syntax that Go
// does not accept leaves the answer unknown.
func matches(v value, pattern string, whole bool) verdict {
	switch v.state {
	case valueNull:
		return verdictNo
	case valueText:
		expr := pattern
		if whole {
			expr = "^(?:" + pattern + ")$"
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return verdictMaybe
		}
		if re.MatchString(v.text) {
			return verdictYes
		}
		return verdictNo
	case valueBranch:
		if !whole && !strings.HasPrefix(pattern, "^") {
			return verdictMaybe
		}
		literal := strings.TrimPrefix(pattern, "^")
		if i := strings.IndexAny(literal, regexMeta); i >= 0 {
			literal = literal[:i]
		}
		return min(startsWith(v, literal), verdictMaybe)
	}
	return verdictMaybe
}
