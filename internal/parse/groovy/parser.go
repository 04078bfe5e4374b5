package groovy

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
)

// MaxDepth is the deepest nesting of brackets, closures, blocks, nested statements and
// prefix operators the parser follows; deeper input is skipped with an error.
const MaxDepth = 200

// MaxLinks bounds the links of operator and member chains (`a + b + …`, `a.b.c`,
// `f()()`, `x[1][2]`, command chains `a b c d`) along any path of the tree: the links of
// a statement plus those of the statements and expressions it is nested in. The parser
// builds chains in loops, each link one level deeper than the one before, so without
// this bound a long chain makes a tree that every recursive walker of it would follow
// until the stack overflows. A longer chain is cut with an error; the rest of its
// statement is skipped. With MaxDepth, it keeps every tree less than about
// MaxLinks + 12·MaxDepth levels deep, which any recursive walker can follow.
const MaxLinks = 10_000

// maxLookahead bounds every speculative scan (types, closure parameters, for headers)
// so that parsing stays linear on any input.
const maxLookahead = 512

// Parse parses a Groovy source file. It always returns a File, holding every statement
// it could read, and the lexical and syntax errors it met, ordered by position.
func Parse(src []byte) (*File, []Error) {
	l := newLexer(src)
	toks, _ := l.lex(false, false)
	p := &parser{toks: toks}
	f := &File{Statements: p.parseStatements(stopAtEOF, "")}
	f.Comments = l.comments
	end := toks[len(toks)-1].pos
	f.Pos = model.Pos{Line: 1, Col: 1, EndLine: end.Line, EndCol: end.Col}
	errs := append(l.errs, p.errs...)
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Pos, errs[j].Pos
		return a.Line < b.Line || (a.Line == b.Line && a.Col < b.Col)
	})
	return f, errs
}

type parser struct {
	toks  []token
	i     int
	errs  []Error
	depth int
	// links counts the chain links along the current path (see MaxLinks). It never
	// decreases within a statement; the statements of a nested list start from the
	// count of the statement around them, and when the list ends the count is the
	// highest any of them reached, since the list's node is as deep as its deepest one.
	links int
	// stmtFailed is set once an error was reported for the current statement, so that
	// one mistake yields one error.
	stmtFailed bool
	// last is the position of the last consumed token.
	last model.Pos
}

// Token access. The token list always ends with tEOF, which is never consumed.

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) tokAt(j int) token {
	if j < len(p.toks) {
		return p.toks[j]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) advance() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
		if t.kind != tNewline {
			p.last = t.pos
		}
	}
	return t
}

func isOpTok(t token, op string) bool { return t.kind == tOp && t.text == op }

func isKwTok(t token, kw string) bool { return t.kind == tIdent && t.text == kw }

func (p *parser) isOp(op string) bool { return isOpTok(p.peek(), op) }

func (p *parser) isKw(kw string) bool { return isKwTok(p.peek(), kw) }

func (p *parser) accept(op string) bool {
	if p.isOp(op) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) expect(op string) bool {
	if p.accept(op) {
		return true
	}
	p.errorf(p.peek().pos, "expected %s, found %s", op, describe(p.peek()))
	return false
}

func (p *parser) skipNewlines() {
	for p.peek().kind == tNewline {
		p.advance()
	}
}

// afterNewlines returns the index of the first token at or after i that is not a line
// break (the lexer never emits two line breaks in a row).
func (p *parser) afterNewlines(i int) int {
	for p.tokAt(i).kind == tNewline {
		i++
	}
	return i
}

// nextLineStartsWith reports whether the current token is a line break followed by a
// token for which match holds; it then skips the line break.
func (p *parser) continuesOnNextLine(match func(token) bool) bool {
	if p.peek().kind != tNewline {
		return false
	}
	j := p.afterNewlines(p.i)
	if !match(p.tokAt(j)) {
		return false
	}
	p.skipNewlines()
	return true
}

func (p *parser) errorf(pos model.Pos, format string, args ...any) {
	if p.stmtFailed {
		return
	}
	p.stmtFailed = true
	p.errs = append(p.errs, Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tNewline:
		return "newline"
	case tString:
		return t.str.node.Kind.String() + " string"
	case tIllegal:
		return fmt.Sprintf("invalid token %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// enter counts one level of nesting. Past MaxDepth it reports an error, skips the
// bracketed group at the current token (if any) and returns false.
func (p *parser) enter() bool {
	if p.depth >= MaxDepth {
		p.stmtFailed = false
		p.errorf(p.peek().pos, "nesting deeper than %d levels", MaxDepth)
		p.skipGroup()
		return false
	}
	p.depth++
	return true
}

func (p *parser) leave() { p.depth-- }

// link counts one more link of an operator or member chain. Past MaxLinks it reports an
// error and returns false: the caller stops the chain.
func (p *parser) link() bool {
	if p.links >= MaxLinks {
		p.errorf(p.peek().pos, "expression too long: more than %d chained operators, members, calls or indexes", MaxLinks)
		return false
	}
	p.links++
	return true
}

// skipGroup skips a bracketed group starting at the current token, iteratively.
func (p *parser) skipGroup() {
	if t := p.peek(); t.kind != tOp || !strings.Contains("([{", t.text) {
		return
	}
	level := 0
	for {
		t := p.peek()
		if t.kind == tEOF {
			return
		}
		p.advance()
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			level++
		case ")", "]", "}":
			level--
			if level == 0 {
				return
			}
		}
	}
}

func span(from, to model.Pos) model.Pos {
	return model.Pos{Line: from.Line, Col: from.Col, EndLine: to.EndLine, EndCol: to.EndCol}
}

// spanTo returns the span from `from` to the last consumed token.
func (p *parser) spanTo(from model.Pos) model.Pos {
	if p.last.Line < from.Line || (p.last.Line == from.Line && p.last.EndCol < from.Col) {
		return from
	}
	return span(from, p.last)
}

// Statement lists.

type stopMode int

const (
	stopAtEOF   stopMode = iota // top level: stray `}` are errors
	stopAtBrace                 // a braced body: stop before `}`
	stopAtCase                  // a switch case body: stop before case, default or `}`
)

func (p *parser) atStatementEnd() bool {
	t := p.peek()
	return t.kind == tEOF || t.kind == tNewline || isOpTok(t, ";") || isOpTok(t, "}")
}

func (p *parser) skipSeparators() {
	for p.peek().kind == tNewline || p.isOp(";") {
		p.advance()
	}
}

// parseStatements parses statements until the end given by mode. className is the
// enclosing class inside a class body (for constructors), else "".
func (p *parser) parseStatements(mode stopMode, className string) []Stmt {
	saved := p.stmtFailed
	base, deepest := p.links, p.links
	defer func() { p.stmtFailed, p.links = saved, deepest }()
	var list []Stmt
	for {
		deepest = max(deepest, p.links)
		p.links = base
		p.skipSeparators()
		t := p.peek()
		if t.kind == tEOF {
			return list
		}
		if isOpTok(t, "}") {
			if mode != stopAtEOF {
				return list
			}
			p.stmtFailed = false
			p.errorf(t.pos, "unexpected }")
			p.advance()
			continue
		}
		if mode == stopAtCase && (isKwTok(t, "case") || isKwTok(t, "default")) {
			return list
		}
		start := p.i
		p.stmtFailed = false
		s := p.parseStatement(className)
		if s != nil {
			list = append(list, s)
		}
		if _, annotation := s.(*Annotation); !annotation && !p.atStatementEnd() {
			p.errorf(p.peek().pos, "unexpected %s", describe(p.peek()))
			// The blocks of the rest are statements of their own, not part of s.
			deepest, p.links = max(deepest, p.links), base
			list = append(list, p.recoverStatement()...)
		}
		if p.i == start {
			p.advance()
		}
	}
}

// recoverStatement skips the rest of a bad statement up to the next line break, `;` or
// `}` at the same brace depth, returning the blocks opened inside it, parsed.
func (p *parser) recoverStatement() []Stmt {
	var blocks []Stmt
	for {
		t := p.peek()
		switch {
		case t.kind == tEOF || t.kind == tNewline || isOpTok(t, ";") || isOpTok(t, "}"):
			return blocks
		case isOpTok(t, "{"):
			if b := p.parseBlock(); b != nil {
				blocks = append(blocks, b)
			}
		default:
			p.advance()
		}
	}
}

// parseBlock parses `{ statements }`; it returns nil when nesting is too deep.
func (p *parser) parseBlock() *Block {
	open := p.peek().pos
	if !p.isOp("{") {
		p.errorf(open, "expected {, found %s", describe(p.peek()))
		return &Block{Pos: open}
	}
	if !p.enter() {
		return nil
	}
	defer p.leave()
	p.advance()
	b := &Block{Statements: p.parseStatements(stopAtBrace, "")}
	p.closeBrace(open)
	b.Pos = p.spanTo(open)
	return b
}

func (p *parser) closeBrace(open model.Pos) {
	if !p.accept("}") {
		p.errorf(open, "unclosed {")
	}
}

// parseBody parses the body of if/for/while: a block or a single statement.
func (p *parser) parseBody() Stmt {
	p.skipNewlines()
	if p.isOp("{") {
		if b := p.parseBlock(); b != nil {
			return b
		}
		return nil
	}
	if p.isOp(";") || p.isOp("}") || p.peek().kind == tEOF {
		return nil
	}
	if !p.enter() {
		return nil
	}
	defer p.leave()
	return p.parseStatement("")
}

// Statements.

var modifierWords = map[string]bool{
	"public": true, "private": true, "protected": true, "static": true, "final": true,
	"abstract": true, "synchronized": true, "transient": true, "volatile": true,
	"native": true, "strictfp": true,
}

var primitiveTypes = map[string]bool{
	"void": true, "boolean": true, "byte": true, "char": true, "short": true, "int": true,
	"long": true, "float": true, "double": true,
}

// reservedWords cannot be identifiers in expressions.
var reservedWords = map[string]bool{
	"as": true, "assert": true, "break": true, "case": true, "catch": true, "class": true,
	"const": true, "continue": true, "def": true, "default": true, "do": true, "else": true,
	"enum": true, "extends": true, "finally": true, "for": true, "goto": true, "if": true,
	"implements": true, "import": true, "in": true, "instanceof": true, "interface": true,
	"package": true, "return": true, "switch": true, "throw": true, "throws": true,
	"try": true, "while": true,
}

var classWords = map[string]bool{"class": true, "interface": true, "enum": true, "trait": true}

func (p *parser) parseStatement(className string) Stmt {
	t := p.peek()
	next := p.peekAt(1)
	if isOpTok(t, "@") {
		if isKwTok(next, "interface") {
			return p.parseClass(nil)
		}
		return p.parseAnnotation()
	}
	if t.kind == tIdent {
		switch t.text {
		case "import", "package":
			if next.kind == tIdent {
				return p.parseImport()
			}
		case "if":
			return p.parseIf()
		case "for":
			return p.parseFor()
		case "while":
			return p.parseWhile()
		case "do":
			return p.parseDoWhile()
		case "switch":
			return p.parseSwitch()
		case "try":
			return p.parseTry()
		case "return":
			p.advance()
			r := &Return{}
			if !p.atStatementEnd() {
				r.Value = p.parseCommandExpr()
			}
			r.Pos = p.spanTo(t.pos)
			return r
		case "throw":
			p.advance()
			th := &Throw{Value: p.parseExpr()}
			th.Pos = p.spanTo(t.pos)
			return th
		case "break", "continue":
			p.advance()
			label := ""
			if n := p.peek(); n.kind == tIdent && !reservedWords[n.text] {
				label = p.advance().text
			}
			if t.text == "break" {
				return &Break{Label: label, Pos: p.spanTo(t.pos)}
			}
			return &Continue{Label: label, Pos: p.spanTo(t.pos)}
		case "assert":
			p.advance()
			a := &Assert{Cond: p.parseExpr()}
			if p.accept(":") || p.accept(",") {
				a.Message = p.parseExpr()
			}
			a.Pos = p.spanTo(t.pos)
			return a
		}
		if classWords[t.text] && next.kind == tIdent {
			return p.parseClass(nil)
		}
		if isOpTok(next, ":") && !reservedWords[t.text] {
			return p.parseLabeled()
		}
		if s := p.tryDeclaration(className); s != nil {
			return s
		}
	}
	return p.parseExprStatement()
}

func (p *parser) parseLabeled() Stmt {
	t := p.advance()
	p.advance() // :
	l := &Labeled{Label: t.text}
	p.skipNewlines()
	if !p.atStatementEnd() && p.enter() {
		l.Stmt = p.parseStatement("")
		p.leave()
	}
	l.Pos = p.spanTo(t.pos)
	return l
}

func (p *parser) parseExprStatement() Stmt {
	e := p.parseCommandExpr()
	// `stage('x')` or `pipeline` with its closure on the next line.
	if attachable(e) && p.continuesOnNextLine(func(t token) bool { return isOpTok(t, "{") }) {
		e = p.attachClosure(e, p.parseClosure())
	}
	if a, ok := e.(*Assign); ok {
		return a
	}
	return &ExprStmt{X: e, Pos: e.Span()}
}

func (p *parser) parseImport() Stmt {
	t := p.advance()
	imp := &Import{Package: t.text == "package"}
	if p.isKw("static") {
		p.advance()
		imp.Static = true
	}
	var path strings.Builder
	for {
		n := p.peek()
		if n.kind != tIdent && !isOpTok(n, "*") {
			break
		}
		path.WriteString(p.advance().text)
		if !p.isOp(".") {
			break
		}
		p.advance()
		path.WriteByte('.')
	}
	imp.Path = path.String()
	if imp.Path == "" {
		p.errorf(p.peek().pos, "expected a name after %s", t.text)
	}
	if p.isKw("as") && p.peekAt(1).kind == tIdent {
		p.advance()
		imp.Alias = p.advance().text
	}
	imp.Pos = p.spanTo(t.pos)
	return imp
}

func (p *parser) parseAnnotation() *Annotation {
	at := p.advance()
	a := &Annotation{}
	name := p.peek()
	if name.kind != tIdent {
		p.errorf(name.pos, "expected an annotation name, found %s", describe(name))
		a.Pos = p.spanTo(at.pos)
		return a
	}
	a.NamePos = name.pos
	a.Name = p.parseQualifiedName()
	if p.isOp("(") {
		a.Args = p.parseParenArgs(true)
	}
	a.Pos = p.spanTo(at.pos)
	return a
}

// parseQualifiedName parses a dotted name such as `groovy.transform.Field`.
func (p *parser) parseQualifiedName() string {
	var b strings.Builder
	b.WriteString(p.advance().text)
	for p.isOp(".") && p.peekAt(1).kind == tIdent {
		p.advance()
		b.WriteByte('.')
		b.WriteString(p.advance().text)
	}
	return b.String()
}

// skipAnnotations skips annotations written inside a declaration (on parameters).
func (p *parser) skipAnnotations() {
	for p.isOp("@") && p.peekAt(1).kind == tIdent {
		p.parseAnnotation()
		p.skipNewlines()
	}
}

func (p *parser) parseParenCond() Expr {
	if !p.expect("(") {
		return &BadExpr{Pos: p.peek().pos}
	}
	e := p.parseExpr()
	p.expect(")")
	return e
}

func (p *parser) parseIf() Stmt {
	t := p.advance()
	s := &If{Cond: p.parseParenCond()}
	s.Then = p.parseBody()
	j := p.afterNewlines(p.i)
	if isOpTok(p.tokAt(j), ";") {
		j = p.afterNewlines(j + 1)
	}
	if isKwTok(p.tokAt(j), "else") {
		p.i = j
		p.advance()
		s.Else = p.parseBody()
	}
	s.Pos = p.spanTo(t.pos)
	return s
}

func (p *parser) parseWhile() Stmt {
	t := p.advance()
	s := &While{Cond: p.parseParenCond()}
	s.Body = p.parseBody()
	s.Pos = p.spanTo(t.pos)
	return s
}

func (p *parser) parseDoWhile() Stmt {
	t := p.advance()
	s := &While{Do: true}
	s.Body = p.parseBody()
	p.skipNewlines()
	if p.isKw("while") {
		p.advance()
		s.Cond = p.parseParenCond()
	} else {
		p.errorf(p.peek().pos, "expected while, found %s", describe(p.peek()))
	}
	s.Pos = p.spanTo(t.pos)
	return s
}

// forIsClassic reports whether the for header starting after `(` has a `;` before its
// closing parenthesis.
func (p *parser) forIsClassic() bool {
	level := 0
	for j := p.i; j < len(p.toks) && j < p.i+maxLookahead; j++ {
		t := p.toks[j]
		if t.kind == tEOF {
			return false
		}
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			level++
		case ")", "]", "}":
			if level == 0 {
				return false
			}
			level--
		case ";":
			if level == 0 {
				return true
			}
		}
	}
	return false
}

func (p *parser) parseFor() Stmt {
	t := p.advance()
	s := &For{}
	if !p.expect("(") {
		s.Pos = p.spanTo(t.pos)
		return s
	}
	if p.forIsClassic() {
		if !p.isOp(";") {
			if d := p.tryDeclaration(""); d != nil {
				s.Init = d
			} else {
				e := p.parseExpr()
				s.Init = &ExprStmt{X: e, Pos: e.Span()}
			}
		}
		p.expect(";")
		if !p.isOp(";") {
			s.Cond = p.parseExpr()
		}
		p.expect(";")
		for !p.isOp(")") && p.peek().kind != tEOF {
			s.Update = append(s.Update, p.parseExpr())
			if !p.accept(",") {
				break
			}
		}
	} else {
		if p.isKw("def") || p.isKw("final") || p.isKw("var") {
			p.advance()
		}
		if n := p.peekAt(1); !(isKwTok(n, "in") || isOpTok(n, ":")) {
			if k, ok, _ := p.scanType(p.i, false); ok {
				s.VarType = p.typeText(p.i, k)
				p.i = k
			}
		}
		if n := p.peek(); n.kind == tIdent {
			p.advance()
			s.Var = &Ident{Name: n.text, Pos: n.pos}
		} else {
			p.errorf(n.pos, "expected a loop variable, found %s", describe(n))
		}
		if !p.accept(":") && !p.isKw("in") {
			p.errorf(p.peek().pos, "expected in, found %s", describe(p.peek()))
		} else if p.isKw("in") {
			p.advance()
		}
		s.Iter = p.parseExpr()
	}
	p.expect(")")
	s.Body = p.parseBody()
	s.Pos = p.spanTo(t.pos)
	return s
}

func (p *parser) parseSwitch() Stmt {
	t := p.advance()
	s := &Switch{Tag: p.parseParenCond()}
	p.skipNewlines()
	open := p.peek().pos
	if !p.expect("{") {
		s.Pos = p.spanTo(t.pos)
		return s
	}
	if !p.enter() {
		s.Pos = p.spanTo(t.pos)
		return s
	}
	defer p.leave()
	for {
		p.skipSeparators()
		c := p.peek()
		if c.kind == tEOF || isOpTok(c, "}") {
			break
		}
		cs := &Case{}
		switch {
		case isKwTok(c, "case"):
			p.advance()
			cs.Values = append(cs.Values, p.parseExpr())
			for p.accept(",") {
				cs.Values = append(cs.Values, p.parseExpr())
			}
			p.expect(":")
		case isKwTok(c, "default"):
			p.advance()
			p.expect(":")
		default:
			p.errorf(c.pos, "expected case or default, found %s", describe(c))
			cs.Body = p.recoverStatement()
			if p.peek().kind != tEOF && !p.isOp("}") {
				p.advance()
			}
			continue
		}
		cs.Body = append(cs.Body, p.parseStatements(stopAtCase, "")...)
		cs.Pos = p.spanTo(c.pos)
		s.Cases = append(s.Cases, cs)
	}
	p.closeBrace(open)
	s.Pos = p.spanTo(t.pos)
	return s
}

func (p *parser) parseTry() Stmt {
	t := p.advance()
	s := &Try{}
	p.skipNewlines()
	s.Body = p.parseBlockOrEmpty()
	for {
		j := p.afterNewlines(p.i)
		n := p.tokAt(j)
		if isKwTok(n, "catch") {
			p.i = j
			s.Catches = append(s.Catches, p.parseCatch())
			continue
		}
		if isKwTok(n, "finally") {
			p.i = j
			p.advance()
			p.skipNewlines()
			s.Finally = p.parseBlockOrEmpty()
		}
		break
	}
	s.Pos = p.spanTo(t.pos)
	return s
}

// parseBlockOrEmpty parses a block, returning an empty one when nesting is too deep.
func (p *parser) parseBlockOrEmpty() *Block {
	start := p.peek().pos
	if b := p.parseBlock(); b != nil {
		return b
	}
	return &Block{Pos: p.spanTo(start)}
}

func (p *parser) parseCatch() *Catch {
	t := p.advance()
	c := &Catch{}
	if p.expect("(") {
		if p.isKw("final") {
			p.advance()
		}
		for {
			n := p.peek()
			if n.kind != tIdent {
				break
			}
			if isOpTok(p.peekAt(1), ")") {
				c.Name = &Ident{Name: n.text, Pos: n.pos}
				p.advance()
				break
			}
			k, ok, _ := p.scanType(p.i, false)
			if !ok {
				break
			}
			c.Types = append(c.Types, p.typeText(p.i, k))
			p.i = k
			p.last = p.toks[k-1].pos
			if !p.accept("|") {
				if n := p.peek(); n.kind == tIdent {
					c.Name = &Ident{Name: n.text, Pos: n.pos}
					p.advance()
				}
				break
			}
		}
		p.expect(")")
	}
	p.skipNewlines()
	c.Body = p.parseBlockOrEmpty()
	c.Pos = p.spanTo(t.pos)
	return c
}

// Declarations.

func isUpperStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// scanType scans a type starting at token j without consuming it: a dotted name,
// generic arguments, array brackets and `...`. With strict set, the last name must look
// like a type (capitalized or primitive). It returns the index after the type.
func (p *parser) scanType(j int, strict bool) (end int, ok bool, varArgs bool) {
	t := p.tokAt(j)
	if t.kind != tIdent || reservedWords[t.text] {
		return j, false, false
	}
	last := t.text
	k := j + 1
	for isOpTok(p.tokAt(k), ".") && p.tokAt(k+1).kind == tIdent && k < j+maxLookahead {
		last = p.tokAt(k + 1).text
		k += 2
	}
	if strict && !primitiveTypes[last] && !isUpperStart(last) {
		return j, false, false
	}
	if isOpTok(p.tokAt(k), "<") {
		if k, ok = p.scanTypeArgs(k); !ok {
			return j, false, false
		}
	}
	for isOpTok(p.tokAt(k), "[") && isOpTok(p.tokAt(k+1), "]") {
		k += 2
	}
	if isOpTok(p.tokAt(k), "...") {
		return k + 1, true, true
	}
	return k, true, false
}

// scanTypeArgs scans generic type arguments `<…>` starting at token k, returning the
// index after the closing `>`.
func (p *parser) scanTypeArgs(k int) (int, bool) {
	level := 0
	for limit := k + maxLookahead; k < limit; k++ {
		g := p.tokAt(k)
		if g.kind == tIdent {
			continue
		}
		if g.kind != tOp {
			return k, false
		}
		switch g.text {
		case "<":
			level++
		case ">":
			level--
			if level == 0 {
				return k + 1, true
			}
		case ",", ".", "?", "&", "[", "]":
		default:
			return k, false
		}
	}
	return k, false
}

// typeText renders the tokens [from, to) of a type.
func (p *parser) typeText(from, to int) string {
	var b strings.Builder
	for j := from; j < to; j++ {
		t := p.tokAt(j)
		if j > from && t.kind == tIdent && p.tokAt(j-1).kind == tIdent {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
		if isOpTok(t, ",") {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func isNameTok(t token) bool { return t.kind == tIdent && !reservedWords[t.text] }

// isDeclEnd reports whether t may follow the variable name of a declaration.
func isDeclEnd(t token) bool {
	switch t.kind {
	case tEOF, tNewline:
		return true
	case tOp:
		return t.text == "=" || t.text == ";" || t.text == "," || t.text == "}"
	}
	return false
}

// tryDeclaration parses a variable, function or class declaration at the current token,
// or returns nil without consuming anything when the statement is not one.
func (p *parser) tryDeclaration(className string) Stmt {
	start := p.peek().pos
	j := p.i
	var mods []string
	for {
		t := p.tokAt(j)
		if t.kind != tIdent || !modifierWords[t.text] || isOpTok(p.tokAt(j+1), "(") || isOpTok(p.tokAt(j+1), ".") || isOpTok(p.tokAt(j+1), "=") {
			break
		}
		mods = append(mods, t.text)
		j = p.afterNewlines(j + 1)
	}
	t := p.tokAt(j)
	if len(mods) > 0 {
		if classWords[t.text] && t.kind == tIdent && p.tokAt(j+1).kind == tIdent {
			p.i = j
			return p.parseClass(mods)
		}
		if isOpTok(t, "{") { // static initializer
			p.i = j
			return p.parseBlockOrEmpty()
		}
	}
	typ := ""
	hasDef := (isKwTok(t, "def") || isKwTok(t, "var")) && (p.tokAt(j+1).kind == tIdent || p.tokAt(j+1).kind == tString || isOpTok(p.tokAt(j+1), "("))
	if hasDef {
		typ = t.text
		j++
		t = p.tokAt(j)
	}
	after := p.tokAt(j + 1)
	switch {
	case className != "" && isKwTok(t, className) && isOpTok(after, "(") && !hasDef:
		p.i = j
		return p.parseFuncRest(start, mods, "")
	case hasDef && isOpTok(t, "("):
		p.i = j
		return p.parseTupleDecl(start, mods, typ)
	case (hasDef || len(mods) > 0) && (isNameTok(t) || t.kind == tString) && isOpTok(after, "("):
		p.i = j
		return p.parseFuncRest(start, mods, typ)
	case (hasDef || len(mods) > 0) && isNameTok(t) && isDeclEnd(after):
		p.i = j
		return p.parseDeclRest(start, mods, typ)
	}
	if typ == "" || hasDef {
		k, ok, _ := p.scanType(j, len(mods) == 0 && !hasDef)
		if !ok || !isNameTok(p.tokAt(k)) {
			return nil
		}
		next := p.tokAt(k + 1)
		if !isOpTok(next, "(") && !isDeclEnd(next) {
			return nil
		}
		typ = strings.TrimSpace(typ + " " + p.typeText(j, k))
		p.i = k
		p.last = p.toks[k-1].pos
		if isOpTok(next, "(") {
			return p.parseFuncRest(start, mods, typ)
		}
		return p.parseDeclRest(start, mods, typ)
	}
	return nil
}

func (p *parser) parseDeclRest(start model.Pos, mods []string, typ string) Stmt {
	d := &Decl{Modifiers: mods, Type: typ}
	for {
		n := p.peek()
		if !isNameTok(n) {
			p.errorf(n.pos, "expected a variable name, found %s", describe(n))
			break
		}
		p.advance()
		v := &DeclVar{Name: &Ident{Name: n.text, Pos: n.pos}}
		if p.accept("=") {
			p.skipNewlines()
			v.Value = p.parseCommandExpr()
		}
		d.Vars = append(d.Vars, v)
		if !p.accept(",") {
			break
		}
		p.skipNewlines()
	}
	d.Pos = p.spanTo(start)
	return d
}

func (p *parser) parseTupleDecl(start model.Pos, mods []string, typ string) Stmt {
	d := &Decl{Modifiers: mods, Type: typ, Tuple: true}
	p.advance() // (
	for !p.isOp(")") && p.peek().kind != tEOF {
		if k, ok, _ := p.scanType(p.i, false); ok && isNameTok(p.tokAt(k)) {
			p.i = k
		}
		n := p.peek()
		if !isNameTok(n) {
			p.errorf(n.pos, "expected a variable name, found %s", describe(n))
			break
		}
		p.advance()
		d.Vars = append(d.Vars, &DeclVar{Name: &Ident{Name: n.text, Pos: n.pos}})
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	if p.accept("=") {
		p.skipNewlines()
		d.Value = p.parseCommandExpr()
	}
	d.Pos = p.spanTo(start)
	return d
}

func (p *parser) parseFuncRest(start model.Pos, mods []string, retType string) Stmt {
	name := p.advance()
	f := &Func{Modifiers: mods, ReturnType: retType, Name: name.text, NamePos: name.pos}
	if name.kind == tString {
		f.Name = name.str.node.Value
	}
	p.advance() // (
	f.Params = p.parseParams(")")
	p.expect(")")
	if p.isKw("throws") {
		p.advance()
		for {
			k, ok, _ := p.scanType(p.i, false)
			if !ok {
				break
			}
			p.i = k
			p.last = p.toks[k-1].pos
			if !p.accept(",") {
				break
			}
		}
	}
	if p.continuesOnNextLine(func(t token) bool { return isOpTok(t, "{") }) || p.isOp("{") {
		f.Body = p.parseBlockOrEmpty()
	}
	f.Pos = p.spanTo(start)
	return f
}

// parseParams parses parameters up to (not including) closer: `)` or `->`.
func (p *parser) parseParams(closer string) []*Param {
	var params []*Param
	for {
		p.skipNewlines()
		if p.isOp(closer) || p.peek().kind == tEOF {
			return params
		}
		p.skipAnnotations()
		for p.isKw("final") || p.isKw("def") {
			p.advance()
		}
		param := &Param{}
		n, after := p.peek(), p.peekAt(1)
		if !(isNameTok(n) && (isOpTok(after, ",") || isOpTok(after, closer) || isOpTok(after, "=") || after.kind == tNewline)) {
			k, ok, varArgs := p.scanType(p.i, false)
			if !ok {
				p.errorf(n.pos, "expected a parameter, found %s", describe(n))
				return params
			}
			param.Type = p.typeText(p.i, k)
			param.VarArgs = varArgs
			if varArgs {
				param.Type = strings.TrimSuffix(param.Type, "...")
			}
			p.i = k
			p.last = p.toks[k-1].pos
			n = p.peek()
		}
		if !isNameTok(n) {
			p.errorf(n.pos, "expected a parameter name, found %s", describe(n))
			return params
		}
		p.advance()
		param.Name = &Ident{Name: n.text, Pos: n.pos}
		if p.accept("=") {
			p.skipNewlines()
			param.Default = p.parseExpr()
		}
		params = append(params, param)
		p.skipNewlines()
		if !p.accept(",") {
			return params
		}
	}
}

func (p *parser) parseClass(mods []string) Stmt {
	t := p.advance()
	c := &Class{Kind: t.text, Modifiers: mods}
	if isOpTok(t, "@") {
		p.advance()
		c.Kind = "@interface"
	}
	name := p.peek()
	if name.kind != tIdent {
		p.errorf(name.pos, "expected a class name, found %s", describe(name))
		c.Pos = p.spanTo(t.pos)
		return c
	}
	p.advance()
	c.Name, c.NamePos = name.text, name.pos
	if p.isOp("<") {
		if k, ok, _ := p.scanType(p.i-1, false); ok {
			p.i = k
		}
	}
	for {
		j := p.afterNewlines(p.i)
		kw := p.tokAt(j)
		if !isKwTok(kw, "extends") && !isKwTok(kw, "implements") {
			break
		}
		p.i = j + 1
		for {
			k, ok, _ := p.scanType(p.i, false)
			if !ok {
				break
			}
			if kw.text == "extends" {
				c.Extends = append(c.Extends, p.typeText(p.i, k))
			} else {
				c.Implements = append(c.Implements, p.typeText(p.i, k))
			}
			p.i = k
			if !p.accept(",") {
				break
			}
			p.skipNewlines()
		}
	}
	p.skipNewlines()
	open := p.peek().pos
	if !p.isOp("{") {
		p.errorf(open, "expected {, found %s", describe(p.peek()))
		c.Pos = p.spanTo(t.pos)
		return c
	}
	if !p.enter() {
		c.Pos = p.spanTo(t.pos)
		return c
	}
	defer p.leave()
	p.advance()
	if c.Kind == "enum" {
		c.Body = p.parseEnumConstants()
	}
	c.Body = append(c.Body, p.parseStatements(stopAtBrace, c.Name)...)
	p.closeBrace(open)
	c.Pos = p.spanTo(t.pos)
	return c
}

// parseEnumConstants parses `A, B('x'), C { … };` at the start of an enum body.
func (p *parser) parseEnumConstants() []Stmt {
	var list []Stmt
	for {
		p.skipNewlines()
		n, after := p.peek(), p.peekAt(1)
		if !isNameTok(n) || !(isOpTok(after, ",") || isOpTok(after, ";") || isOpTok(after, "}") || isOpTok(after, "(") || isOpTok(after, "{") || after.kind == tNewline) {
			return list
		}
		e := p.parsePostfix(p.parsePrimary())
		list = append(list, &ExprStmt{X: e, Pos: e.Span()})
		if !p.accept(",") {
			p.accept(";")
			return list
		}
	}
}
