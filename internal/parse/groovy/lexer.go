package groovy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF     tokKind = iota
	tNewline         // a significant line break (never inside parentheses or brackets)
	tIdent           // identifiers and keywords
	tNumber
	tString
	tOp      // operators and punctuation
	tIllegal // a character that starts no token
)

// token is one lexical token; string tokens carry a stringToken.
type token struct {
	kind tokKind
	text string
	pos  model.Pos
	str  *stringToken
}

// stringToken is a lexed string literal: its node and, for each interpolation part in
// order, the tokens of its code (each list ending with a tEOF token).
type stringToken struct {
	node    *String
	interps [][]token
}

// operators, longest first within each length so that the first match is the longest.
var operators = []string{
	"..<", "<=>", "===", "!==", "==~", "**=", "<<=", "...",
	"?:", "?.", "*.", ".&", ".@", "::", "..", "==", "!=", "<=", ">=", "&&", "||", "++", "--",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", "->", "=~", "?=",
}

const singleOps = "()[]{},;:.?=<>!~+-*/%&|^@"

// operandKeywords are keywords after which an operand (so a slashy string) is expected
// although they lex as identifiers.
var operandKeywords = map[string]bool{
	"return": true, "case": true, "in": true, "else": true, "throw": true, "assert": true,
	"yield": true,
}

// maxStringDepth bounds the nesting of strings inside interpolations.
const maxStringDepth = 64

type lexer struct {
	src       []byte
	off       int
	line, col int
	errs      []Error
	comments  []Comment
	depth     int
}

func newLexer(src []byte) *lexer {
	l := &lexer{src: src, line: 1, col: 1}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		l.off = 3
	}
	if l.off+1 < len(src) && src[l.off] == '#' && src[l.off+1] == '!' {
		for l.off < len(src) && src[l.off] != '\n' {
			l.advance()
		}
	}
	return l
}

func (l *lexer) errorf(pos model.Pos, msg string) {
	l.errs = append(l.errs, Error{Pos: pos, Msg: msg})
}

// byteAt returns the byte k bytes ahead, or 0 past the end.
func (l *lexer) byteAt(k int) byte {
	if l.off+k < len(l.src) {
		return l.src[l.off+k]
	}
	return 0
}

// advance moves past one code point, keeping line and column.
func (l *lexer) advance() {
	if l.off >= len(l.src) {
		return
	}
	c := l.src[l.off]
	if c < utf8.RuneSelf {
		l.off++
		if c == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
		return
	}
	_, size := utf8.DecodeRune(l.src[l.off:])
	l.off += size
	l.col++
}

func (l *lexer) advanceN(n int) {
	for i := 0; i < n; i++ {
		l.advance()
	}
}

func (l *lexer) posFrom(line, col int) model.Pos {
	return model.Pos{Line: line, Col: col, EndLine: l.line, EndCol: l.col}
}

func (l *lexer) point() model.Pos {
	return model.Pos{Line: l.line, Col: l.col, EndLine: l.line, EndCol: l.col}
}

func isIdentStart(r rune) bool {
	return r == '_' || r == '$' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || (r >= utf8.RuneSelf && unicode.IsLetter(r))
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || ('0' <= r && r <= '9') || (r >= utf8.RuneSelf && unicode.IsDigit(r))
}

func (l *lexer) runeAt(k int) rune {
	if l.off+k >= len(l.src) {
		return -1
	}
	c := l.src[l.off+k]
	if c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeRune(l.src[l.off+k:])
	return r
}

// skipSpace skips blanks, line continuations and comments (recording the comments).
func (l *lexer) skipSpace() {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			l.advance()
		case c == '\\' && l.byteAt(1) == '\n':
			l.advanceN(2)
		case c == '\\' && l.byteAt(1) == '\r' && l.byteAt(2) == '\n':
			l.advanceN(3)
		case c == '/' && l.byteAt(1) == '/':
			start, line, col := l.off, l.line, l.col
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.advance()
			}
			l.comments = append(l.comments, Comment{Text: string(l.src[start:l.off]), Pos: l.posFrom(line, col)})
		case c == '/' && l.byteAt(1) == '*':
			start, line, col := l.off, l.line, l.col
			l.advanceN(2)
			closed := false
			for l.off < len(l.src) {
				if l.src[l.off] == '*' && l.byteAt(1) == '/' {
					l.advanceN(2)
					closed = true
					break
				}
				l.advance()
			}
			pos := l.posFrom(line, col)
			if !closed {
				l.errorf(pos, "unterminated comment")
			}
			l.comments = append(l.comments, Comment{Text: string(l.src[start:l.off]), Pos: pos})
		default:
			return
		}
	}
}

// bracketStack tracks open brackets so that line breaks inside ( and [ are ignored, as
// Groovy's own lexer does. Closers without a matching opener are ignored.
type bracketStack struct {
	open   []byte
	counts [3]int
}

func bracketIndex(c byte) int {
	switch c {
	case '(', ')':
		return 0
	case '[', ']':
		return 1
	}
	return 2
}

func (s *bracketStack) push(c byte) {
	s.open = append(s.open, c)
	s.counts[bracketIndex(c)]++
}

// pop closes the innermost opener of closer's kind, and the unclosed ones above it.
func (s *bracketStack) pop(closer byte) {
	k := bracketIndex(closer)
	if s.counts[k] == 0 {
		return
	}
	for len(s.open) > 0 {
		top := s.open[len(s.open)-1]
		s.open = s.open[:len(s.open)-1]
		s.counts[bracketIndex(top)]--
		if bracketIndex(top) == k {
			return
		}
	}
}

func (s *bracketStack) newlinesIgnored() bool {
	return len(s.open) > 0 && s.open[len(s.open)-1] != '{'
}

// lex returns the tokens from the current offset, ending with a tEOF token. Inside an
// interpolation (interp set) it stops after the `}` that closes it, reporting closed;
// singleLine also stops it before a line break.
func (l *lexer) lex(interp, singleLine bool) (toks []token, closed bool) {
	if !interp {
		toks = make([]token, 0, len(l.src)/6+1)
	}
	var stack bracketStack
	prevOperand := false
	for {
		l.skipSpace()
		if l.off >= len(l.src) {
			return append(toks, token{kind: tEOF, pos: l.point()}), false
		}
		c := l.src[l.off]
		line, col := l.line, l.col
		if c == '\n' {
			if singleLine {
				return append(toks, token{kind: tEOF, pos: l.point()}), false
			}
			l.advance()
			if stack.newlinesIgnored() || (len(toks) > 0 && toks[len(toks)-1].kind == tNewline) {
				continue
			}
			toks = append(toks, token{kind: tNewline, text: "\n", pos: model.Pos{Line: line, Col: col, EndLine: line, EndCol: col}})
			prevOperand = false
			continue
		}
		if interp && c == '}' && len(stack.open) == 0 {
			eof := token{kind: tEOF, pos: l.point()}
			l.advance()
			return append(toks, eof), true
		}
		tok := l.next(prevOperand, &stack)
		toks = append(toks, tok)
		prevOperand = endsOperand(tok)
	}
}

func endsOperand(t token) bool {
	switch t.kind {
	case tIdent:
		return !operandKeywords[t.text]
	case tNumber, tString:
		return true
	case tOp:
		switch t.text {
		case ")", "]", "}", "++", "--":
			return true
		}
	}
	return false
}

// next lexes one token at the current offset, which is not blank.
func (l *lexer) next(prevOperand bool, stack *bracketStack) token {
	c := l.src[l.off]
	line, col := l.line, l.col
	switch {
	case c == '\'' || c == '"':
		kind := Single
		if c == '"' {
			kind = Double
		}
		if l.byteAt(1) == c && l.byteAt(2) == c {
			kind += TripleSingle - Single
		}
		return l.lexString(kind)
	case c == '/' && !prevOperand:
		return l.lexString(Slashy)
	case c == '$' && l.byteAt(1) == '/' && !prevOperand:
		return l.lexString(DollarSlashy)
	case '0' <= c && c <= '9':
		start := l.off
		l.lexNumber()
		kind := tNumber
		if isIdentPart(l.runeAt(0)) || l.src[l.off-1] == '_' { // `123_ABC`, `1BAR`
			kind = tIllegal
			for l.off < len(l.src) && isIdentPart(l.runeAt(0)) {
				l.advance()
			}
		}
		return token{kind: kind, text: string(l.src[start:l.off]), pos: l.posFrom(line, col)}
	}
	if r := l.runeAt(0); isIdentStart(r) {
		start := l.off
		for l.off < len(l.src) && isIdentPart(l.runeAt(0)) {
			l.advance()
		}
		return token{kind: tIdent, text: string(l.src[start:l.off]), pos: l.posFrom(line, col)}
	}
	if c == '!' && l.byteAt(1) == 'i' && l.byteAt(2) == 'n' {
		for _, word := range []string{"instanceof", "in"} {
			n := 1 + len(word)
			if l.off+n <= len(l.src) && string(l.src[l.off+1:l.off+n]) == word && !isIdentPart(l.runeAt(n)) {
				l.advanceN(n)
				return token{kind: tOp, text: "!" + word, pos: l.posFrom(line, col)}
			}
		}
	}
	rest := l.src[l.off:]
	for _, op := range operators {
		if len(rest) >= len(op) && string(rest[:len(op)]) == op {
			l.advanceN(len(op))
			return token{kind: tOp, text: op, pos: l.posFrom(line, col)}
		}
	}
	if strings.IndexByte(singleOps, c) >= 0 {
		switch c {
		case '(', '[', '{':
			stack.push(c)
		case ')', ']', '}':
			stack.pop(c)
		}
		l.advance()
		return token{kind: tOp, text: string(c), pos: l.posFrom(line, col)}
	}
	start := l.off
	l.advance()
	return token{kind: tIllegal, text: string(l.src[start:l.off]), pos: l.posFrom(line, col)}
}

func isDigitOrUnderscore(c byte, hex bool) bool {
	return ('0' <= c && c <= '9') || c == '_' || (hex && (('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')))
}

// lexNumber moves past a number literal: decimal, hex, binary, with fraction, exponent
// and type suffix.
func (l *lexer) lexNumber() {
	hex := false
	if l.src[l.off] == '0' && (l.byteAt(1) == 'x' || l.byteAt(1) == 'X' || l.byteAt(1) == 'b' || l.byteAt(1) == 'B') {
		hex = l.byteAt(1) == 'x' || l.byteAt(1) == 'X'
		l.advanceN(2)
	}
	for l.off < len(l.src) && isDigitOrUnderscore(l.src[l.off], hex) {
		l.advance()
	}
	if !hex && l.byteAt(0) == '.' && '0' <= l.byteAt(1) && l.byteAt(1) <= '9' {
		l.advance()
		for l.off < len(l.src) && isDigitOrUnderscore(l.src[l.off], false) {
			l.advance()
		}
	}
	if !hex && (l.byteAt(0) == 'e' || l.byteAt(0) == 'E') {
		k := 1
		if l.byteAt(1) == '+' || l.byteAt(1) == '-' {
			k = 2
		}
		if d := l.byteAt(k); '0' <= d && d <= '9' {
			l.advanceN(k)
			for l.off < len(l.src) && isDigitOrUnderscore(l.src[l.off], false) {
				l.advance()
			}
		}
	}
	if c := l.byteAt(0); c != 0 && strings.IndexByte("lLgGiIdDfF", c) >= 0 {
		l.advance()
	}
}

// stringLexer accumulates the parts of one string literal.
type stringLexer struct {
	l       *lexer
	str     *String
	interps [][]token
	value   strings.Builder
	// the literal part being built
	part        *textpos.Builder
	partStarted bool
	partLine    int
	partCol     int
	// the verbatim run being built inside the part
	runStart        int
	runLine, runCol int
}

func (s *stringLexer) startPart() {
	if !s.partStarted {
		s.partStarted = true
		s.partLine, s.partCol = s.l.line, s.l.col
	}
}

func (s *stringLexer) startRun() {
	if s.runStart < 0 {
		s.startPart()
		s.runStart, s.runLine, s.runCol = s.l.off, s.l.line, s.l.col
	}
}

func (s *stringLexer) flushRun() {
	if s.runStart >= 0 {
		s.part.Verbatim(string(s.l.src[s.runStart:s.l.off]), s.runLine, s.runCol)
		s.runStart = -1
	}
}

func (s *stringLexer) flushPart() {
	s.flushRun()
	if s.partStarted {
		text := s.part.String()
		s.str.Parts = append(s.str.Parts, StringPart{
			Kind: PartLiteral, Text: text, Map: s.part.Map(),
			Pos: s.l.posFrom(s.partLine, s.partCol),
		})
		s.value.WriteString(text)
	}
	s.part = &textpos.Builder{}
	s.partStarted = false
}

// escape consumes an n-byte escape sequence (or line continuation) that decodes to text.
func (s *stringLexer) escape(n int, text string) {
	s.startPart()
	s.flushRun()
	line, col := s.l.line, s.l.col
	s.l.advanceN(n)
	if text == "" {
		return
	}
	endCol := s.l.col
	if s.l.line != line {
		endCol = col + 1
	}
	s.part.Decoded(text, line, col, endCol)
}

var simpleEscapes = map[byte]string{
	'b': "\b", 't': "\t", 'n': "\n", 'f': "\f", 'r': "\r", 's': " ",
	'"': "\"", '\'': "'", '\\': "\\", '$': "$", '/': "/",
}

// lexString lexes a string literal of the given kind at the current offset.
func (l *lexer) lexString(kind StringKind) token {
	line, col := l.line, l.col
	s := &stringLexer{l: l, str: &String{Kind: kind}, part: &textpos.Builder{}, runStart: -1}
	var open, closer string
	switch kind {
	case Single:
		open, closer = "'", "'"
	case Double:
		open, closer = `"`, `"`
	case TripleSingle:
		open, closer = "'''", "'''"
	case TripleDouble:
		open, closer = `"""`, `"""`
	case Slashy:
		open, closer = "/", "/"
	case DollarSlashy:
		open, closer = "$/", "/$"
	}
	l.advanceN(len(open))
	contentStart := l.off
	interpolating := kind != Single && kind != TripleSingle
	singleLine := kind == Single || kind == Double
	closed := false
	contentEnd := l.off
	for l.off < len(l.src) {
		c := l.src[l.off]
		if c == closer[0] && l.off+len(closer) <= len(l.src) && string(l.src[l.off:l.off+len(closer)]) == closer {
			contentEnd = l.off
			s.flushPart()
			l.advanceN(len(closer))
			closed = true
			break
		}
		if c == '\n' && singleLine {
			s.flushPart()
			break
		}
		switch {
		case c == '\\' && kind != DollarSlashy:
			l.lexEscape(s, kind)
		case kind == DollarSlashy && c == '$' && (l.byteAt(1) == '$' || l.byteAt(1) == '/'):
			s.escape(2, string(l.byteAt(1)))
		case interpolating && c == '$' && l.byteAt(1) == '{' && l.depth < maxStringDepth:
			s.flushPart()
			l.lexBraceInterp(s, singleLine)
		case interpolating && c == '$' && isInterpIdentStart(l.runeAt(1)):
			s.flushPart()
			l.lexPathInterp(s)
		default:
			if interpolating && c == '$' && l.byteAt(1) == '{' {
				l.errorf(l.point(), "strings nested too deeply")
			}
			s.startRun()
			l.advance()
		}
		contentEnd = l.off
	}
	if l.off >= len(l.src) {
		s.flushPart()
	}
	pos := l.posFrom(line, col)
	if !closed {
		l.errorf(pos, "unterminated "+kind.String()+" string")
	}
	s.str.Raw = string(l.src[contentStart:contentEnd])
	s.str.Value = s.value.String()
	s.str.Pos = pos
	return token{kind: tString, pos: pos, str: &stringToken{node: s.str, interps: s.interps}}
}

func isInterpIdentStart(r rune) bool {
	return r != '$' && isIdentStart(r)
}

// lexEscape handles a backslash inside a string of the given kind.
func (l *lexer) lexEscape(s *stringLexer, kind StringKind) {
	next := l.byteAt(1)
	// A backslash before a line break continues the line: both disappear.
	if next == '\n' || (next == '\r' && l.byteAt(2) == '\n') {
		switch {
		case kind == Slashy:
			s.startRun()
			l.advance()
		case next == '\r':
			s.escape(3, "")
		default:
			s.escape(2, "")
		}
		return
	}
	if kind == Slashy {
		if next == '/' {
			s.escape(2, "/")
			return
		}
		s.startRun()
		l.advance()
		return
	}
	if text, ok := simpleEscapes[next]; ok {
		s.escape(2, text)
		return
	}
	if next == 'u' {
		if r, n := hexRune(l.src[l.off+2:]); n == 4 {
			s.escape(6, string(r))
			return
		}
	}
	if '0' <= next && next <= '7' {
		v, n := 0, 0
		limit := 3
		if next > '3' {
			limit = 2
		}
		for n < limit {
			d := l.byteAt(1 + n)
			if d < '0' || d > '7' {
				break
			}
			v = v*8 + int(d-'0')
			n++
		}
		s.escape(1+n, string(rune(v)))
		return
	}
	// Unknown escape: kept as written.
	s.startRun()
	l.advance()
}

func hexRune(b []byte) (rune, int) {
	var r rune
	for i := 0; i < 4; i++ {
		if i >= len(b) {
			return 0, i
		}
		c := b[i]
		switch {
		case '0' <= c && c <= '9':
			r = r*16 + rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r*16 + rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r*16 + rune(c-'A'+10)
		default:
			return 0, i
		}
	}
	return r, 4
}

// lexBraceInterp lexes a `${ … }` interpolation, whose code is lexed as tokens.
func (l *lexer) lexBraceInterp(s *stringLexer, singleLine bool) {
	start, line, col := l.off, l.line, l.col
	l.advanceN(2)
	l.depth++
	toks, closed := l.lex(true, singleLine)
	l.depth--
	pos := l.posFrom(line, col)
	raw := string(l.src[start:l.off])
	code := raw[2:]
	if closed {
		code = raw[2 : len(raw)-1]
	} else {
		l.errorf(pos, "unterminated ${ interpolation")
	}
	s.addInterp(raw, code, pos, toks)
}

// lexPathInterp lexes a `$name.name…` interpolation into identifier and dot tokens.
func (l *lexer) lexPathInterp(s *stringLexer) {
	start, line, col := l.off, l.line, l.col
	l.advance()
	var toks []token
	for {
		iline, icol, istart := l.line, l.col, l.off
		for l.off < len(l.src) && isIdentPart(l.runeAt(0)) && l.src[l.off] != '$' {
			l.advance()
		}
		toks = append(toks, token{kind: tIdent, text: string(l.src[istart:l.off]), pos: l.posFrom(iline, icol)})
		if l.byteAt(0) != '.' || !isInterpIdentStart(l.runeAt(1)) {
			break
		}
		dline, dcol := l.line, l.col
		l.advance()
		toks = append(toks, token{kind: tOp, text: ".", pos: l.posFrom(dline, dcol)})
	}
	toks = append(toks, token{kind: tEOF, pos: l.point()})
	raw := string(l.src[start:l.off])
	s.addInterp(raw, raw[1:], l.posFrom(line, col), toks)
}

func (s *stringLexer) addInterp(raw, code string, pos model.Pos, toks []token) {
	s.str.Parts = append(s.str.Parts, StringPart{Kind: PartInterp, Raw: raw, Code: code, Pos: pos})
	s.interps = append(s.interps, toks)
	s.value.WriteString(raw)
}
