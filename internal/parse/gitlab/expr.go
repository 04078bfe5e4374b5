package gitlab

import (
	"regexp"
	"strings"
)

// verdict is a three-valued answer: a condition is false, may be true, or is true.
type verdict int

const (
	verdictNo verdict = iota
	verdictMaybe
	verdictYes
)

// valueState says what is known of a CI variable in a pipeline of one source.
type valueState int

const (
	stateUnknown valueState = iota // may be unset or hold anything
	stateUnset                     // certainly not set
	stateSet                       // set to a non-empty value that is not known
	stateKnown                     // set to a known value
	stateNull                      // the `null` literal
)

// value is an operand of a rules:if expression.
type value struct {
	state valueState
	text  string
	regex *regexp.Regexp
	// isRegex marks a /pattern/ literal (regex is nil when it does not compile).
	isRegex bool
}

// alwaysSet are predefined variables that every pipeline has, with values that the
// configuration does not tell.
var alwaysSet = map[string]bool{
	"CI_DEFAULT_BRANCH": true, "CI_PROJECT_ID": true, "CI_PROJECT_PATH": true,
	"CI_PROJECT_NAME": true, "CI_PROJECT_NAMESPACE": true, "CI_PROJECT_URL": true,
	"CI_SERVER_HOST": true, "CI_SERVER_URL": true, "CI_PIPELINE_ID": true,
	"CI_COMMIT_SHA": true, "CI_COMMIT_REF_NAME": true, "CI_COMMIT_REF_SLUG": true,
}

// variableIn returns what is known of variable name in a pipeline started by source.
func variableIn(name, source string) value {
	switch {
	case name == "CI_PIPELINE_SOURCE":
		return value{state: stateKnown, text: source}
	case strings.HasPrefix(name, "CI_MERGE_REQUEST_"):
		switch source {
		case sourceMergeRequest:
			return value{state: stateSet}
		case sourceParentPipeline:
			return value{state: stateUnknown}
		}
		return value{state: stateUnset}
	case strings.HasPrefix(name, "CI_EXTERNAL_PULL_REQUEST_"):
		if source == sourceExternalPR {
			return value{state: stateSet}
		}
		return value{state: stateUnset}
	case name == "CI_COMMIT_BRANCH" || name == "CI_COMMIT_TAG":
		if source == sourceMergeRequest {
			return value{state: stateUnset}
		}
	case alwaysSet[name]:
		return value{state: stateSet}
	}
	return value{state: stateUnknown}
}

// evalCondition evaluates a rules:if expression for a pipeline started by source. An
// expression it cannot read evaluates to verdictMaybe.
func evalCondition(expr, source string) verdict {
	e := &exprParser{tokens: tokenize(expr), source: source}
	if e.tokens == nil {
		return verdictMaybe
	}
	v := e.or()
	if e.failed || e.i != len(e.tokens) {
		return verdictMaybe
	}
	return v
}

// token kinds of a rules:if expression.
type tokenKind int

const (
	tokVariable tokenKind = iota
	tokString
	tokRegex
	tokNull
	tokOperator
	tokOpen
	tokClose
)

type token struct {
	kind tokenKind
	text string
}

// tokenize splits a rules:if expression into tokens, or returns nil when it cannot.
func tokenize(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			kind := tokOpen
			if c == ')' {
				kind = tokClose
			}
			out = append(out, token{kind: kind, text: s[i : i+1]})
			i++
		case c == '$':
			j := i + 1
			braced := j < len(s) && s[j] == '{'
			if braced {
				j++
			}
			start := j
			for j < len(s) && isNameByte(s[j]) {
				j++
			}
			if j == start {
				return nil
			}
			name := s[start:j]
			if braced {
				if j >= len(s) || s[j] != '}' {
					return nil
				}
				j++
			}
			out = append(out, token{kind: tokVariable, text: name})
			i = j
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil
			}
			out = append(out, token{kind: tokString, text: s[i+1 : i+1+j]})
			i += j + 2
		case c == '/' && len(out) > 0 && (out[len(out)-1].text == "=~" || out[len(out)-1].text == "!~"):
			j := i + 1
			for j < len(s) && s[j] != '/' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil
			}
			k := j + 1
			for k < len(s) && s[k] >= 'a' && s[k] <= 'z' {
				k++
			}
			out = append(out, token{kind: tokRegex, text: s[i:k]})
			i = k
		case strings.HasPrefix(s[i:], "null"):
			out = append(out, token{kind: tokNull, text: "null"})
			i += 4
		default:
			op := ""
			for _, o := range []string{"==", "!=", "=~", "!~", "&&", "||"} {
				if strings.HasPrefix(s[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return nil
			}
			out = append(out, token{kind: tokOperator, text: op})
			i += len(op)
		}
	}
	return out
}

func isNameByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// exprParser evaluates tokens by recursive descent: || below &&, comparisons, parens.
type exprParser struct {
	tokens []token
	i      int
	source string
	failed bool
	depth  int
}

func (e *exprParser) peek() (token, bool) {
	if e.i < len(e.tokens) {
		return e.tokens[e.i], true
	}
	return token{}, false
}

func (e *exprParser) or() verdict {
	v := e.and()
	for t, ok := e.peek(); ok && t.text == "||" && t.kind == tokOperator; t, ok = e.peek() {
		e.i++
		v = orVerdict(v, e.and())
	}
	return v
}

func (e *exprParser) and() verdict {
	v := e.comparison()
	for t, ok := e.peek(); ok && t.text == "&&" && t.kind == tokOperator; t, ok = e.peek() {
		e.i++
		v = andVerdict(v, e.comparison())
	}
	return v
}

func (e *exprParser) comparison() verdict {
	t, ok := e.peek()
	if !ok {
		e.failed = true
		return verdictMaybe
	}
	if t.kind == tokOpen {
		e.depth++
		if e.depth > 100 {
			e.failed = true
			return verdictMaybe
		}
		e.i++
		v := e.or()
		if c, ok := e.peek(); !ok || c.kind != tokClose {
			e.failed = true
			return verdictMaybe
		}
		e.i++
		e.depth--
		return v
	}
	left := e.operand()
	if op, ok := e.peek(); ok && op.kind == tokOperator && op.text != "&&" && op.text != "||" {
		e.i++
		right := e.operand()
		return compare(left, op.text, right)
	}
	return truthy(left)
}

func (e *exprParser) operand() value {
	t, ok := e.peek()
	if !ok {
		e.failed = true
		return value{}
	}
	e.i++
	switch t.kind {
	case tokVariable:
		return variableIn(t.text, e.source)
	case tokString:
		return value{state: stateKnown, text: t.text}
	case tokNull:
		return value{state: stateNull}
	case tokRegex:
		return regexValue(t.text)
	}
	e.failed = true
	return value{}
}

// regexValue compiles a /pattern/flags literal; Ruby syntax that Go does not accept
// leaves the regex nil (and comparisons unknown).
func regexValue(lit string) value {
	end := strings.LastIndexByte(lit, '/')
	pattern, flags := lit[1:end], lit[end+1:]
	if strings.Contains(flags, "i") {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return value{isRegex: true}
	}
	return value{isRegex: true, regex: re}
}

// truthy is the verdict of an operand used alone: a variable that is set and not empty.
func truthy(v value) verdict {
	switch v.state {
	case stateKnown:
		if v.text != "" {
			return verdictYes
		}
		return verdictNo
	case stateSet:
		return verdictYes
	case stateUnset, stateNull:
		return verdictNo
	}
	return verdictMaybe
}

// compare evaluates left op right.
func compare(left value, op string, right value) verdict {
	switch op {
	case "==":
		return equal(left, right)
	case "!=":
		return notVerdict(equal(left, right))
	case "=~":
		return matches(left, right)
	case "!~":
		return notVerdict(matches(left, right))
	}
	return verdictMaybe
}

func equal(a, b value) verdict {
	absent := func(v value) bool { return v.state == stateUnset || v.state == stateNull }
	switch {
	case a.isRegex || b.isRegex:
		return verdictMaybe
	case absent(a) && absent(b):
		return verdictYes
	case a.state == stateKnown && b.state == stateKnown:
		if a.text == b.text {
			return verdictYes
		}
		return verdictNo
	case absent(a) && (b.state == stateKnown || b.state == stateSet),
		absent(b) && (a.state == stateKnown || a.state == stateSet):
		return verdictNo
	}
	return verdictMaybe
}

func matches(s, re value) verdict {
	if !re.isRegex {
		return verdictMaybe
	}
	switch s.state {
	case stateUnset, stateNull:
		return verdictNo
	case stateKnown:
		if re.regex == nil {
			return verdictMaybe
		}
		if re.regex.MatchString(s.text) {
			return verdictYes
		}
		return verdictNo
	}
	return verdictMaybe
}

func notVerdict(v verdict) verdict { return verdictYes - v }

func andVerdict(a, b verdict) verdict { return min(a, b) }

func orVerdict(a, b verdict) verdict { return max(a, b) }
