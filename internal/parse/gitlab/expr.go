package gitlab

import (
	"fmt"
	"regexp"
	"slices"
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
	// symbol names a set value that is known only by identity (the project's ID): two
	// values with symbols are equal exactly when their symbols are.
	symbol string
	// oneOf lists the only texts a set value can have ("true" or "false").
	oneOf []string
	regex *regexp.Regexp
	// isRegex marks a /pattern/ literal (regex is nil when it does not compile).
	isRegex bool
}

// Symbols of the values known only by identity.
const (
	symbolProjectID   = "project id"
	symbolProjectPath = "project path"
	symbolForkID      = "fork id"
	symbolForkPath    = "fork path"
)

// origin says where the source branch of a merge request lives.
type origin int

const (
	originUnknown origin = iota // not known: the project itself or a fork
	originProject               // the project itself
	originFork                  // a fork, the pipeline running in the parent project
)

// pipelineCase is the kind of pipeline an expression is evaluated for: its source,
// for merge-request pipelines where the merge request comes from, and the variables
// the configuration sets (nil for none).
type pipelineCase struct {
	source string
	origin origin
	vars   *variableSet
}

// variableSet holds the variables that rules:if sees with literal values in the
// configuration: the global `variables:` and, for a job's rules, the job's own, which
// win. GitLab evaluates rules with them (below the variables a person sets in the
// project's settings or for a pipeline, which the file cannot show).
type variableSet struct {
	values map[string]string
}

// newVariableSet collects the literal values of variables: mappings, outermost first
// (`K: v` or `K: {value: v}`); a variable whose value references another is left out,
// since rules:if does not expand it.
func newVariableSet(levels ...*node) *variableSet {
	vs := &variableSet{values: map[string]string{}}
	for _, level := range levels {
		if !level.isMap() {
			continue
		}
		for _, fl := range level.fields {
			v := fl.value
			if v.isMap() {
				v = v.get("value")
			}
			if v.isScalar() && !strings.Contains(v.value, "$") {
				vs.values[fl.key] = v.value
			} else {
				delete(vs.values, fl.key)
			}
		}
	}
	return vs
}

// lookup returns the literal value of variable name, if the set has one.
func (vs *variableSet) lookup(name string) (string, bool) {
	if vs == nil {
		return "", false
	}
	v, ok := vs.values[name]
	return v, ok
}

// seeing returns pc with the variables vars.
func (pc pipelineCase) seeing(vars *variableSet) pipelineCase {
	pc.vars = vars
	return pc
}

// alwaysSet are predefined variables that every pipeline has, with values that the
// configuration does not tell.
var alwaysSet = map[string]bool{
	"CI_DEFAULT_BRANCH": true, "CI_PROJECT_NAME": true, "CI_PROJECT_NAMESPACE": true,
	"CI_PROJECT_URL": true, "CI_SERVER_HOST": true, "CI_SERVER_URL": true, "CI_PIPELINE_ID": true,
	"CI_COMMIT_SHA": true, "CI_COMMIT_REF_NAME": true, "CI_COMMIT_REF_SLUG": true,
}

// booleanTexts are the values of GitLab's boolean predefined variables.
var booleanTexts = []string{"true", "false"}

// variableIn returns what is known of variable name in a pipeline of case pc.
func variableIn(name string, pc pipelineCase) value {
	switch {
	case name == "CI_PIPELINE_SOURCE":
		return value{state: stateKnown, text: pc.source}
	case name == "CI_PROJECT_ID":
		return value{state: stateSet, symbol: symbolProjectID}
	case name == "CI_PROJECT_PATH":
		return value{state: stateSet, symbol: symbolProjectPath}
	case name == "CI_COMMIT_REF_PROTECTED":
		// The source branch of a fork is never a protected ref of the parent project.
		if pc.source == sourceMergeRequest && pc.origin == originFork {
			return value{state: stateKnown, text: "false"}
		}
		return value{state: stateSet, oneOf: booleanTexts}
	case strings.HasPrefix(name, "CI_MERGE_REQUEST_"):
		switch pc.source {
		case sourceMergeRequest:
			return mergeRequestVariable(name, pc.origin)
		case sourceParentPipeline:
			return value{state: stateUnknown}
		}
		return value{state: stateUnset}
	case strings.HasPrefix(name, "CI_EXTERNAL_PULL_REQUEST_"):
		if pc.source == sourceExternalPR {
			return value{state: stateSet}
		}
		return value{state: stateUnset}
	case name == "CI_COMMIT_BRANCH" || name == "CI_COMMIT_TAG":
		if pc.source == sourceMergeRequest {
			return value{state: stateUnset}
		}
	case alwaysSet[name]:
		return value{state: stateSet}
	}
	if text, ok := pc.vars.lookup(name); ok {
		return value{state: stateKnown, text: text}
	}
	return value{state: stateUnknown}
}

// mergeRequestVariable returns what is known of a CI_MERGE_REQUEST_ variable in a
// merge-request pipeline of a merge request from o.
func mergeRequestVariable(name string, o origin) value {
	source := func(project, fork string) value {
		switch o {
		case originProject:
			return value{state: stateSet, symbol: project}
		case originFork:
			return value{state: stateSet, symbol: fork}
		}
		return value{state: stateSet}
	}
	switch name {
	case "CI_MERGE_REQUEST_PROJECT_ID":
		return value{state: stateSet, symbol: symbolProjectID}
	case "CI_MERGE_REQUEST_PROJECT_PATH":
		return value{state: stateSet, symbol: symbolProjectPath}
	case "CI_MERGE_REQUEST_SOURCE_PROJECT_ID":
		return source(symbolProjectID, symbolForkID)
	case "CI_MERGE_REQUEST_SOURCE_PROJECT_PATH":
		return source(symbolProjectPath, symbolForkPath)
	}
	return value{state: stateSet}
}

// token kinds of a rules:if expression.
type tokenKind int

const (
	tokVariable tokenKind = iota
	tokInput              // $[[ inputs.x ]], filled in when the file is included
	tokString
	tokRegex
	tokNull
	tokOperator
	tokOpen
	tokClose
)

// token is one token of an expression: text is the variable's name, the string's
// content, or the literal as written; [start, end) its bytes in the expression.
type token struct {
	kind       tokenKind
	text       string
	start, end int
}

// tokenize splits a rules:if expression into tokens. On an error it returns the tokens
// before it.
func tokenize(s string) ([]token, error) {
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
			out = append(out, token{kind: kind, text: s[i : i+1], start: i, end: i + 1})
			i++
		case strings.HasPrefix(s[i:], "$[["):
			j := strings.Index(s[i:], "]]")
			if j < 0 {
				return out, fmt.Errorf("unclosed $[[ at offset %d", i)
			}
			out = append(out, token{kind: tokInput, text: s[i : i+j+2], start: i, end: i + j + 2})
			i += j + 2
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
				return out, fmt.Errorf("a variable name must follow $ at offset %d", i)
			}
			name := s[start:j]
			if braced {
				if j >= len(s) || s[j] != '}' {
					return out, fmt.Errorf("unclosed ${ at offset %d", i)
				}
				j++
			}
			out = append(out, token{kind: tokVariable, text: name, start: i, end: j})
			i = j
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return out, fmt.Errorf("unterminated string at offset %d", i)
			}
			out = append(out, token{kind: tokString, text: s[i+1 : i+1+j], start: i, end: i + j + 2})
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
				return out, fmt.Errorf("unterminated regular expression at offset %d", i)
			}
			k := j + 1
			for k < len(s) && s[k] >= 'a' && s[k] <= 'z' {
				k++
			}
			out = append(out, token{kind: tokRegex, text: s[i:k], start: i, end: k})
			i = k
		case strings.HasPrefix(s[i:], "null"):
			out = append(out, token{kind: tokNull, text: "null", start: i, end: i + 4})
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
				return out, fmt.Errorf("unexpected %q at offset %d", s[i:i+1], i)
			}
			out = append(out, token{kind: tokOperator, text: op, start: i, end: i + len(op)})
			i += len(op)
		}
	}
	return out, nil
}

func isNameByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// exprKind says what an exprNode is.
type exprKind int

const (
	exprOr      exprKind = iota // kids joined by ||
	exprAnd                     // kids joined by &&
	exprCompare                 // left op right
	exprTruthy                  // left used alone: set and not empty
)

// exprNode is one node of a parsed rules:if expression. Comparisons and truthiness
// tests are its atoms.
type exprNode struct {
	kind        exprKind
	kids        []*exprNode
	left, right operand
	op          string
	// start and end are the node's bytes in the expression, parentheses excluded.
	start, end int
}

// operand is a variable or literal of an atom.
type operand struct {
	token
	// regex is the compiled /pattern/ of a regex literal (nil when Go cannot compile it).
	regex *regexp.Regexp
}

// condExpr is a parsed rules:if expression.
type condExpr struct {
	root *exprNode // nil when the expression could not be parsed
	// invalid says why the expression could not be parsed.
	invalid string
	// vars are the variable tokens, in order (also of an expression that does not parse);
	// atoms the comparisons and tests, in order.
	vars  []token
	atoms []*exprNode
}

// maxParens bounds the nesting of parentheses in an expression.
const maxParens = 100

// parseCondition parses a rules:if expression.
func parseCondition(s string) *condExpr {
	tokens, err := tokenize(s)
	ce := &condExpr{}
	for _, t := range tokens {
		if t.kind == tokVariable {
			ce.vars = append(ce.vars, t)
		}
	}
	if err == nil && len(tokens) == 0 {
		err = fmt.Errorf("empty expression")
	}
	if err != nil {
		ce.invalid = err.Error()
		return ce
	}
	e := &exprParser{src: s, tokens: tokens, out: ce}
	root := e.or()
	if e.err == nil && e.i != len(tokens) {
		e.unexpected(tokens[e.i])
	}
	if e.err != nil {
		ce.invalid, ce.atoms = e.err.Error(), nil
		return ce
	}
	ce.root = root
	return ce
}

// exprParser parses tokens by recursive descent: || below &&, atoms, parentheses.
type exprParser struct {
	src    string
	tokens []token
	i      int
	depth  int
	err    error
	out    *condExpr
}

func (e *exprParser) fail(format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf(format, args...)
	}
}

// unexpected fails on token t, quoted as written.
func (e *exprParser) unexpected(t token) {
	e.fail("unexpected %q at offset %d", e.src[t.start:t.end], t.start)
}

// next reports whether the next token is the operator op.
func (e *exprParser) next(op string) bool {
	return e.err == nil && e.i < len(e.tokens) && e.tokens[e.i].kind == tokOperator && e.tokens[e.i].text == op
}

func (e *exprParser) or() *exprNode { return e.joined(exprOr, "||", e.and) }

func (e *exprParser) and() *exprNode { return e.joined(exprAnd, "&&", e.primary) }

// joined parses operands of kind joined by op; a single operand is returned as is.
func (e *exprParser) joined(kind exprKind, op string, operand func() *exprNode) *exprNode {
	first := operand()
	if !e.next(op) {
		return first
	}
	n := &exprNode{kind: kind, kids: []*exprNode{first}, start: first.start}
	for e.next(op) {
		e.i++
		n.kids = append(n.kids, operand())
	}
	n.end = n.kids[len(n.kids)-1].end
	return n
}

// primary parses a parenthesized expression or an atom.
func (e *exprParser) primary() *exprNode {
	if e.i >= len(e.tokens) {
		e.fail("the expression ends too early")
		return &exprNode{kind: exprTruthy}
	}
	if t := e.tokens[e.i]; t.kind == tokOpen {
		if e.depth++; e.depth > maxParens {
			e.fail("parentheses nested deeper than %d levels", maxParens)
			return &exprNode{kind: exprTruthy}
		}
		e.i++
		n := e.or()
		if e.i >= len(e.tokens) || e.tokens[e.i].kind != tokClose {
			e.fail("unclosed parenthesis at offset %d", t.start)
			return n
		}
		e.i++
		e.depth--
		return n
	}
	left := e.operand()
	n := &exprNode{kind: exprTruthy, left: left, start: left.start, end: left.end}
	if e.i < len(e.tokens) {
		if op := e.tokens[e.i]; op.kind == tokOperator && op.text != "&&" && op.text != "||" {
			e.i++
			n.kind, n.op, n.right = exprCompare, op.text, e.operand()
			n.end = n.right.end
		}
	}
	e.out.atoms = append(e.out.atoms, n)
	return n
}

func (e *exprParser) operand() operand {
	if e.i >= len(e.tokens) {
		e.fail("the expression ends too early")
		return operand{}
	}
	t := e.tokens[e.i]
	e.i++
	switch t.kind {
	case tokVariable, tokInput, tokString, tokNull:
		return operand{token: t}
	case tokRegex:
		return operand{token: t, regex: compileRegex(t.text)}
	}
	e.unexpected(t)
	return operand{token: t}
}

// compileRegex compiles a /pattern/flags literal; Ruby syntax that Go does not accept
// gives nil (and comparisons with it stay unknown).
func compileRegex(lit string) *regexp.Regexp {
	end := strings.LastIndexByte(lit, '/')
	pattern, flags := lit[1:end], lit[end+1:]
	if strings.Contains(flags, "i") {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil
	}
	return re
}

// value returns what is known of the operand in a pipeline of case pc.
func (o operand) value(pc pipelineCase) value {
	switch o.kind {
	case tokVariable:
		return variableIn(o.text, pc)
	case tokString:
		return value{state: stateKnown, text: o.text}
	case tokNull:
		return value{state: stateNull}
	case tokRegex:
		return value{isRegex: true, regex: o.regex}
	}
	return value{state: stateUnknown} // an input, only known where the file is included
}

// reads reports whether the atom reads variable name.
func (n *exprNode) reads(name string) bool {
	return (n.left.kind == tokVariable && n.left.text == name) || (n.kind == exprCompare && n.right.kind == tokVariable && n.right.text == name)
}

// pinned is a set of atoms that are evaluated for the project's own merge-request
// pipeline whatever the case (see forkGuards).
type pinned map[*exprNode]bool

// eval evaluates n for a pipeline of case pc, with the atoms of pin evaluated for
// projectMergeRequest instead.
func (n *exprNode) eval(pc pipelineCase, pin pinned) verdict {
	if pin[n] {
		pc, pin = projectMergeRequest.seeing(pc.vars), nil
	}
	switch n.kind {
	case exprOr:
		v := verdictNo
		for _, k := range n.kids {
			if v = max(v, k.eval(pc, pin)); v == verdictYes {
				break
			}
		}
		return v
	case exprAnd:
		v := verdictYes
		for _, k := range n.kids {
			if v = min(v, k.eval(pc, pin)); v == verdictNo {
				break
			}
		}
		return v
	case exprCompare:
		return compare(n.left.value(pc), n.op, n.right.value(pc))
	}
	return truthy(n.left.value(pc))
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
	excludes := func(set, known value) bool {
		return set.state == stateSet && known.state == stateKnown && set.oneOf != nil && !slices.Contains(set.oneOf, known.text)
	}
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
	case a.symbol != "" && b.symbol != "":
		if a.symbol == b.symbol {
			return verdictYes
		}
		return verdictNo
	case excludes(a, b), excludes(b, a):
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

// conditions parses rules:if expressions once and memoizes their verdicts: templates
// repeat the same rules in many jobs.
type conditions struct {
	parsed   map[string]*condExpr
	verdicts map[verdictKey]verdict
}

type verdictKey struct {
	expr string
	pc   pipelineCase
}

func newConditions() *conditions {
	return &conditions{parsed: map[string]*condExpr{}, verdicts: map[verdictKey]verdict{}}
}

// parse returns the parsed form of expr.
func (c *conditions) parse(expr string) *condExpr {
	ce, ok := c.parsed[expr]
	if !ok {
		ce = parseCondition(expr)
		c.parsed[expr] = ce
	}
	return ce
}

// eval returns the verdict of expr for a pipeline of case pc, with the atoms of pin
// evaluated for projectMergeRequest. An expression that cannot be parsed may be true.
func (c *conditions) eval(expr string, pc pipelineCase, pin pinned) verdict {
	ce := c.parse(expr)
	if ce.root == nil {
		return verdictMaybe
	}
	if len(pin) > 0 && slices.ContainsFunc(ce.atoms, func(a *exprNode) bool { return pin[a] }) {
		return ce.root.eval(pc, pin)
	}
	key := verdictKey{expr, pc}
	v, ok := c.verdicts[key]
	if !ok {
		v = ce.root.eval(pc, nil)
		c.verdicts[key] = v
	}
	return v
}
