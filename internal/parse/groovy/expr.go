package groovy

import "github.com/pipeguard/pipeguard/internal/model"

var assignOps = map[string]bool{
	"=": true, "+=": true, "-=": true, "*=": true, "/=": true, "%=": true, "**=": true,
	"<<=": true, "&=": true, "|=": true, "^=": true, "?=": true,
}

// binaryPrec gives the precedence of binary operators; higher binds tighter.
var binaryPrec = map[string]int{
	"||": 1,
	"&&": 2,
	"|":  3,
	"^":  4,
	"&":  5,
	"==": 6, "!=": 6, "<=>": 6, "===": 6, "!==": 6, "=~": 6, "==~": 6,
	"<": 7, "<=": 7, ">": 7, ">=": 7, "in": 7, "!in": 7, "instanceof": 7, "!instanceof": 7, "as": 7,
	"<<": 8, ">>": 8, ">>>": 8, "..": 8, "..<": 8,
	"+": 9, "-": 9,
	"*": 10, "/": 10, "%": 10,
	"**": 11,
}

// memberOps start a member access; they may also begin the next line.
var memberOps = map[string]bool{".": true, "?.": true, "*.": true, ".&": true, ".@": true, "::": true}

// continuesPostfix reports whether t continues the postfix chain after x: a member
// access, a call, a trailing closure, an index, `++` or `--`.
func continuesPostfix(t token, x Expr) bool {
	if t.kind != tOp {
		return false
	}
	switch t.text {
	case "(", "[", "++", "--":
		return true
	case "{":
		return attachable(x)
	}
	return memberOps[t.text]
}

// parseExpr parses an expression, assignments included, without command syntax.
func (p *parser) parseExpr() Expr {
	if !p.enter() {
		return &BadExpr{Pos: p.last}
	}
	defer p.leave()
	e := p.parseTernary()
	if t := p.peek(); t.kind == tOp && assignOps[t.text] {
		p.advance()
		p.skipNewlines()
		value := p.parseExpr()
		return &Assign{Op: t.text, Target: e, Value: value, Pos: span(e.Span(), value.Span())}
	}
	return e
}

// parseCommandExpr parses an expression where Groovy accepts command syntax: a
// statement, an initializer, the value of an assignment, a return value.
func (p *parser) parseCommandExpr() Expr {
	if !p.enter() {
		return &BadExpr{Pos: p.last}
	}
	defer p.leave()
	e := p.parseTernary()
	if isCommandCallee(e) && p.startsCommandArg() {
		e = p.parseCommand(e)
	} else if isNameTok(p.peek()) {
		e = p.parseCommandChain(e)
	}
	if t := p.peek(); t.kind == tOp && assignOps[t.text] {
		p.advance()
		p.skipNewlines()
		value := p.parseCommandExpr()
		return &Assign{Op: t.text, Target: e, Value: value, Pos: span(e.Span(), value.Span())}
	}
	return e
}

func isCommandCallee(e Expr) bool {
	switch x := e.(type) {
	case *Ident:
		return true
	case *Member:
		return !x.Pointer
	}
	return false
}

// startsCommandArg reports whether the current token can begin the first argument of
// a command call such as `sh 'x'` or `agent any`.
func (p *parser) startsCommandArg() bool {
	t := p.peek()
	switch t.kind {
	case tIdent:
		return !reservedWords[t.text]
	case tNumber, tString:
		return true
	}
	return false
}

// parseCommand parses the arguments of a command call and any chained command calls:
// `a b c d` is `a(b).c(d)`.
func (p *parser) parseCommand(callee Expr) Expr {
	call := &Call{Callee: callee, Args: p.parseCommandArgs()}
	if p.isOp("{") {
		call.Closure = p.parseClosure()
	}
	call.Pos = p.spanTo(callee.Span())
	return p.parseCommandChain(call)
}

// parseCommandChain parses the rest of a command chain after e: each further name is a
// method of the value before it, called with the command arguments that follow it.
func (p *parser) parseCommandChain(e Expr) Expr {
	for {
		n := p.peek()
		if !isNameTok(n) || !p.link() {
			return e
		}
		p.advance()
		var next Expr = &Member{X: e, Name: n.text, NamePos: n.pos, Pos: span(e.Span(), n.pos)}
		next = p.parsePostfix(next)
		if isCommandCallee(next) && p.startsCommandArg() {
			call := &Call{Callee: next, Args: p.parseCommandArgs()}
			if p.isOp("{") {
				call.Closure = p.parseClosure()
			}
			call.Pos = p.spanTo(e.Span())
			next = call
		}
		e = next
	}
}

func (p *parser) parseCommandArgs() []*Arg {
	var args []*Arg
	for {
		args = append(args, p.parseArg())
		if !p.accept(",") {
			return args
		}
		p.skipNewlines()
	}
}

// parseArg parses one argument, named (`key: value`) or positional.
func (p *parser) parseArg() *Arg {
	t, after := p.peek(), p.peekAt(1)
	if (t.kind == tIdent || t.kind == tString || t.kind == tNumber) && isOpTok(after, ":") {
		name := t.text
		if t.kind == tString {
			name = p.parseString().Value
		} else {
			p.advance()
		}
		p.advance() // :
		p.skipNewlines()
		return &Arg{Name: name, NamePos: t.pos, Value: p.parseExpr()}
	}
	if isOpTok(t, "*") {
		p.advance()
		if p.accept(":") {
			p.skipNewlines()
		}
		return &Arg{Value: p.parseExpr(), Spread: true}
	}
	value := p.parseExpr()
	if p.accept(":") {
		p.skipNewlines()
		key := value
		name := ""
		if s, ok := key.(*String); ok {
			name = s.Value
		}
		return &Arg{Name: name, NamePos: key.Span(), Value: p.parseExpr()}
	}
	return &Arg{Value: value}
}

// parseParenArgs parses `( args )`. In annotations, `name = value` is a named argument.
func (p *parser) parseParenArgs(annotation bool) []*Arg {
	open := p.peek().pos
	if !p.enter() {
		return nil
	}
	defer p.leave()
	p.advance()
	var args []*Arg
	for {
		p.skipNewlines()
		if p.isOp(")") || p.peek().kind == tEOF {
			break
		}
		if t := p.peek(); annotation && t.kind == tIdent && isOpTok(p.peekAt(1), "=") {
			p.advance()
			p.advance()
			args = append(args, &Arg{Name: t.text, NamePos: t.pos, Value: p.parseExpr()})
		} else {
			args = append(args, p.parseArg())
		}
		p.skipNewlines()
		if !p.accept(",") {
			break
		}
	}
	if !p.accept(")") {
		p.errorf(p.peek().pos, "expected ) to close ( at %s, found %s", open, describe(p.peek()))
	}
	return args
}

// parseTernary parses everything but assignment: `c ? a : b`, `a ?: b` and below.
func (p *parser) parseTernary() Expr {
	cond := p.parseBinary(1)
	isQuestion := func(t token) bool { return isOpTok(t, "?") || isOpTok(t, "?:") }
	p.continuesOnNextLine(isQuestion)
	switch {
	case p.accept("?:"):
		p.skipNewlines()
		els := p.parseNestedTernary()
		return &Ternary{Cond: cond, Else: els, Pos: span(cond.Span(), els.Span())}
	case p.accept("?"):
		p.skipNewlines()
		then := p.parseNestedTernary()
		p.continuesOnNextLine(func(t token) bool { return isOpTok(t, ":") })
		p.expect(":")
		p.skipNewlines()
		els := p.parseNestedTernary()
		return &Ternary{Cond: cond, Then: then, Else: els, Pos: span(cond.Span(), els.Span())}
	}
	return cond
}

func (p *parser) parseNestedTernary() Expr {
	if !p.enter() {
		return &BadExpr{Pos: p.last}
	}
	defer p.leave()
	return p.parseTernary()
}

// binaryOp returns the binary operator at the current token (joining `>` `>` into a
// shift), its precedence and its width in tokens. Except for + and -, an operator may
// start the next line.
func (p *parser) binaryOp() (op string, prec, width int) {
	j := p.i
	if p.peek().kind == tNewline {
		j = p.afterNewlines(p.i)
	}
	t := p.tokAt(j)
	if t.kind != tOp && t.kind != tIdent {
		return "", 0, 0
	}
	op, width = t.text, 1
	if isOpTok(t, ">") {
		for width < 3 {
			n := p.tokAt(j + width)
			prev := p.tokAt(j + width - 1)
			if !isOpTok(n, ">") || n.pos.Line != prev.pos.Line || n.pos.Col != prev.pos.EndCol {
				break
			}
			op += ">"
			width++
		}
	}
	prec, ok := binaryPrec[op]
	if !ok || (t.kind == tIdent && op != "in" && op != "instanceof" && op != "as") {
		return "", 0, 0
	}
	if j != p.i && (op == "+" || op == "-") {
		return "", 0, 0
	}
	return op, prec, width
}

// parseBinary parses binary operators of precedence minPrec and above, by precedence
// climbing; all operators associate to the left.
func (p *parser) parseBinary(minPrec int) Expr {
	x := p.parseUnary()
	for {
		op, prec, width := p.binaryOp()
		if prec == 0 || prec < minPrec || !p.link() {
			return x
		}
		p.skipNewlines()
		for k := 0; k < width; k++ {
			p.advance()
		}
		p.skipNewlines()
		switch op {
		case "as", "instanceof", "!instanceof":
			typ, typPos := p.parseTypeName()
			if op == "as" {
				x = &Cast{Type: typ, X: x, As: true, Pos: p.spanTo(x.Span())}
			} else {
				x = &Binary{Op: op, X: x, Y: &Ident{Name: typ, Pos: typPos}, Pos: p.spanTo(x.Span())}
			}
		case "..", "..<":
			y := p.parseBinary(prec + 1)
			x = &Range{From: x, To: y, Exclusive: op == "..<", Pos: span(x.Span(), y.Span())}
		default:
			y := p.parseBinary(prec + 1)
			x = &Binary{Op: op, X: x, Y: y, Pos: span(x.Span(), y.Span())}
		}
	}
}

// parseTypeName parses a type after `as`, `instanceof` or `new`.
func (p *parser) parseTypeName() (string, model.Pos) {
	start := p.peek().pos
	k, ok, _ := p.scanType(p.i, false)
	if !ok {
		p.errorf(start, "expected a type, found %s", describe(p.peek()))
		return "", start
	}
	text := p.typeText(p.i, k)
	p.i = k
	p.last = p.toks[k-1].pos
	return text, p.spanTo(start)
}

var prefixOps = map[string]bool{"!": true, "-": true, "+": true, "~": true, "++": true, "--": true, "*": true}

func (p *parser) parseUnary() Expr {
	t := p.peek()
	if t.kind == tOp && prefixOps[t.text] {
		if !p.enter() {
			return &BadExpr{Pos: t.pos}
		}
		defer p.leave()
		p.advance()
		x := p.parseUnary()
		return &Unary{Op: t.text, X: x, Pos: span(t.pos, x.Span())}
	}
	if isOpTok(t, "(") && p.looksLikeCast() {
		p.advance()
		typ, _ := p.parseTypeName()
		p.expect(")")
		if !p.enter() {
			return &BadExpr{Pos: t.pos}
		}
		defer p.leave()
		x := p.parseUnary()
		return &Cast{Type: typ, X: x, Pos: span(t.pos, x.Span())}
	}
	return p.parsePostfix(p.parsePrimary())
}

// looksLikeCast reports whether `(` starts a cast such as `(String) x`.
func (p *parser) looksLikeCast() bool {
	k, ok, _ := p.scanType(p.i+1, true)
	if !ok || !isOpTok(p.tokAt(k), ")") {
		return false
	}
	n := p.tokAt(k + 1)
	switch n.kind {
	case tIdent:
		return !reservedWords[n.text]
	case tNumber, tString:
		return true
	}
	return isOpTok(n, "(") || isOpTok(n, "!")
}

func (p *parser) parsePrimary() Expr {
	t := p.peek()
	switch t.kind {
	case tIdent:
		switch t.text {
		case "true", "false":
			p.advance()
			return &Literal{Kind: LitBool, Raw: t.text, Pos: t.pos}
		case "null":
			p.advance()
			return &Literal{Kind: LitNull, Raw: t.text, Pos: t.pos}
		case "new":
			return p.parseNew()
		}
		if reservedWords[t.text] {
			p.errorf(t.pos, "unexpected keyword %s", t.text)
			return &BadExpr{Pos: t.pos}
		}
		p.advance()
		return &Ident{Name: t.text, Pos: t.pos}
	case tNumber:
		p.advance()
		return &Literal{Kind: LitNumber, Raw: t.text, Pos: t.pos}
	case tString:
		return p.parseString()
	case tOp:
		switch t.text {
		case "(":
			if !p.enter() {
				return &BadExpr{Pos: t.pos}
			}
			defer p.leave()
			p.advance()
			p.skipNewlines()
			e := p.parseExpr()
			p.skipNewlines()
			p.expect(")")
			return e
		case "[":
			return p.parseListOrMap()
		case "{":
			return p.parseClosure()
		}
	}
	p.errorf(t.pos, "unexpected %s", describe(t))
	return &BadExpr{Pos: t.pos}
}

// attachable reports whether a closure written after e is a trailing closure of e.
func attachable(e Expr) bool {
	switch x := e.(type) {
	case *Ident, *Member:
		return true
	case *Call:
		return x.Paren && x.Closure == nil
	}
	return false
}

func (p *parser) attachClosure(e Expr, c *Closure) Expr {
	if call, ok := e.(*Call); ok {
		call.Closure = c
		call.Pos = span(call.Pos, c.Pos)
		return call
	}
	return &Call{Callee: e, Closure: c, Pos: span(e.Span(), c.Pos)}
}

func (p *parser) parsePostfix(x Expr) Expr {
	for {
		p.continuesOnNextLine(func(t token) bool { return t.kind == tOp && memberOps[t.text] })
		t := p.peek()
		if !continuesPostfix(t, x) || !p.link() {
			return x
		}
		switch {
		case memberOps[t.text]:
			p.advance()
			p.skipNewlines()
			x = p.parseMemberName(x, t.text)
		case t.text == "(":
			args := p.parseParenArgs(false)
			x = &Call{Callee: x, Args: args, Paren: true, Pos: p.spanTo(x.Span())}
			if p.isOp("{") {
				x = p.attachClosure(x, p.parseClosure())
			}
		case t.text == "{":
			x = p.attachClosure(x, p.parseClosure())
		case t.text == "[":
			if !p.enter() {
				return x
			}
			p.advance()
			idx := &Index{X: x}
			for !p.isOp("]") && p.peek().kind != tEOF {
				idx.Index = append(idx.Index, p.parseExpr())
				if !p.accept(",") {
					break
				}
			}
			p.expect("]")
			p.leave()
			idx.Pos = p.spanTo(x.Span())
			x = idx
		case t.text == "++" || t.text == "--":
			p.advance()
			x = &Unary{Op: t.text, X: x, Postfix: true, Pos: span(x.Span(), t.pos)}
		}
	}
}

func (p *parser) parseMemberName(x Expr, op string) Expr {
	m := &Member{X: x, Safe: op == "?.", Spread: op == "*.", Attr: op == ".@", Pointer: op == ".&" || op == "::"}
	if p.isOp("<") { // explicit type arguments: `.<T>name()`
		if k, ok := p.scanTypeArgs(p.i); ok {
			p.i = k
		}
	}
	n := p.peek()
	switch n.kind {
	case tIdent:
		p.advance()
		m.Name = n.text
	case tString:
		m.Name = p.parseString().Value
	default:
		p.errorf(n.pos, "expected a member name, found %s", describe(n))
		m.Pos = span(x.Span(), p.last)
		return m
	}
	m.NamePos = n.pos
	m.Pos = span(x.Span(), n.pos)
	return m
}

// closureHasParams reports whether the closure whose `{` was just consumed declares
// parameters, by looking for `->` among parameter-like tokens.
func (p *parser) closureHasParams() bool {
	j := p.afterNewlines(p.i)
	for limit := j + maxLookahead; j < limit; j++ {
		t := p.tokAt(j)
		switch t.kind {
		case tIdent, tNumber, tString, tNewline:
			continue
		case tOp:
			switch t.text {
			case "->":
				return true
			case ",", ".", "<", ">", "[", "]", "?", "...", "=", ":", "@", "&":
				continue
			}
		}
		return false
	}
	return false
}

func (p *parser) parseClosure() *Closure {
	open := p.peek().pos
	if !p.enter() {
		return &Closure{Pos: p.spanTo(open)}
	}
	defer p.leave()
	p.advance()
	c := &Closure{}
	if p.closureHasParams() {
		c.Params = p.parseParams("->")
		c.Arrow = p.expect("->")
	}
	c.Body = p.parseStatements(stopAtBrace, "")
	p.closeBrace(open)
	c.Pos = p.spanTo(open)
	return c
}

func (p *parser) parseListOrMap() Expr {
	open := p.peek().pos
	if !p.enter() {
		return &BadExpr{Pos: open}
	}
	defer p.leave()
	p.advance()
	p.skipNewlines()
	if p.isOp(":") && isOpTok(p.peekAt(1), "]") {
		p.advance()
		p.advance()
		return &Map{Pos: p.spanTo(open)}
	}
	list := &List{}
	m := &Map{}
	for {
		p.skipNewlines()
		if p.isOp("]") || p.peek().kind == tEOF {
			break
		}
		t, after := p.peek(), p.peekAt(1)
		switch {
		case isOpTok(t, "*") && isOpTok(after, ":"):
			p.advance()
			p.advance()
			m.Entries = append(m.Entries, &MapEntry{Value: p.parseExpr(), Spread: true})
		case (t.kind == tIdent || t.kind == tNumber) && isOpTok(after, ":"):
			var key Expr = &Ident{Name: t.text, Pos: t.pos}
			if t.kind == tNumber {
				key = &Literal{Kind: LitNumber, Raw: t.text, Pos: t.pos}
			}
			p.advance()
			p.advance()
			p.skipNewlines()
			m.Entries = append(m.Entries, &MapEntry{Key: key, Value: p.parseExpr()})
		default:
			e := p.parseExpr()
			if p.accept(":") {
				p.skipNewlines()
				m.Entries = append(m.Entries, &MapEntry{Key: e, Value: p.parseExpr()})
			} else {
				list.Elems = append(list.Elems, e)
			}
		}
		p.skipNewlines()
		if !p.accept(",") {
			break
		}
	}
	p.skipNewlines()
	if !p.accept("]") {
		p.errorf(p.peek().pos, "expected ] to close [ at %s, found %s", open, describe(p.peek()))
	}
	if len(m.Entries) > 0 {
		if len(list.Elems) > 0 {
			p.errorf(open, "list mixes map entries and plain elements")
		}
		m.Pos = p.spanTo(open)
		return m
	}
	list.Pos = p.spanTo(open)
	return list
}

func (p *parser) parseNew() Expr {
	t := p.advance()
	n := &New{}
	start := p.peek().pos
	k, ok, _ := p.scanType(p.i, false)
	if !ok {
		p.errorf(start, "expected a type after new, found %s", describe(p.peek()))
		return &BadExpr{Pos: t.pos}
	}
	// Array dimensions are parsed below, not as part of the type.
	for k > p.i+1 && isOpTok(p.tokAt(k-1), "]") && isOpTok(p.tokAt(k-2), "[") {
		k -= 2
	}
	n.Type = p.typeText(p.i, k)
	p.i = k
	p.last = p.toks[k-1].pos
	switch {
	case p.isOp("("):
		n.Args = p.parseParenArgs(false)
		if p.isOp("{") && p.enter() {
			open := p.advance().pos
			n.Body = p.parseStatements(stopAtBrace, "")
			p.closeBrace(open)
			p.leave()
		}
	case p.isOp("["):
		for p.isOp("[") {
			if !p.enter() {
				break
			}
			p.advance()
			if !p.isOp("]") {
				n.Dims = append(n.Dims, p.parseExpr())
			}
			p.expect("]")
			p.leave()
		}
		if p.isOp("{") {
			if l, ok := p.parseArrayInit().(*List); ok {
				n.Args = append(n.Args, &Arg{Value: l})
			}
		}
	}
	n.Pos = p.spanTo(t.pos)
	return n
}

// parseArrayInit parses the `{ a, b }` initializer of `new T[] { a, b }` as a List.
func (p *parser) parseArrayInit() Expr {
	open := p.peek().pos
	if !p.enter() {
		return &BadExpr{Pos: open}
	}
	defer p.leave()
	p.advance()
	l := &List{}
	for {
		p.skipNewlines()
		if p.isOp("}") || p.peek().kind == tEOF {
			break
		}
		l.Elems = append(l.Elems, p.parseExpr())
		p.skipNewlines()
		if !p.accept(",") {
			break
		}
	}
	p.closeBrace(open)
	l.Pos = p.spanTo(open)
	return l
}

// parseString consumes a string token and parses its interpolations.
func (p *parser) parseString() *String {
	t := p.advance()
	str := t.str.node
	k := 0
	for i := range str.Parts {
		part := &str.Parts[i]
		if part.Kind != PartInterp || k >= len(t.str.interps) {
			continue
		}
		if e := p.parseInterpolation(t.str.interps[k]); e != nil {
			part.Expr = e
		}
		k++
	}
	return str
}

// parseInterpolation parses the tokens of one interpolation; it returns nil for `${}`.
// Code holding several statements (`${a(); b}`) becomes a Closure with those statements.
func (p *parser) parseInterpolation(toks []token) Expr {
	savedToks, savedI, savedLast, savedFailed := p.toks, p.i, p.last, p.stmtFailed
	defer func() { p.toks, p.i, p.last, p.stmtFailed = savedToks, savedI, savedLast, savedFailed }()
	p.toks, p.i, p.stmtFailed = toks, 0, false
	p.skipSeparators()
	start := p.peek()
	if start.kind == tEOF {
		return nil
	}
	lazy := p.accept("->") // `${-> expr}`
	body := p.parseStatements(stopAtEOF, "")
	if x, ok := singleExpr(body); ok && !lazy {
		return x
	}
	return &Closure{Arrow: lazy, Body: body, Pos: p.spanTo(start.pos)}
}

// singleExpr returns the expression of a statement list made of one expression.
func singleExpr(body []Stmt) (Expr, bool) {
	if len(body) != 1 {
		return nil, false
	}
	switch s := body[0].(type) {
	case *ExprStmt:
		return s.X, true
	case *Assign:
		return s, true
	}
	return nil, false
}
