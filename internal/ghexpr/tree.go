package ghexpr

import (
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"
)

// tree is a parsed expression together with its tokens, from which the source span of
// any node is found (actionlint's nodes know only their first token).
type tree struct {
	src    string
	root   actionlint.ExprNode
	tokens []*actionlint.Token
	// closer holds, for each `(` and `[` token, the index of the token that closes it,
	// and -1 for the other tokens.
	closer []int
}

// parse lexes and parses src, an expression without `${{ }}`.
func parse(src string) (*tree, error) {
	if len(src) > maxLen {
		return nil, &Error{Message: fmt.Sprintf("expression of %d bytes is longer than the %d analysed", len(src), maxLen)}
	}
	// actionlint's lexer expects the `}}` that ends an interpolation.
	input := starIndexesAsFilters(src) + "}}"
	t := &tree{src: src}
	if err := t.lex(input); err != nil {
		return nil, err
	}
	root, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(input))
	if err != nil {
		return nil, &Error{Message: err.Message, Offset: min(err.Offset, len(src))}
	}
	t.root = root
	return t, nil
}

// starIndexesAsFilters rewrites `x[*]`, which GitHub accepts and actionlint's parser
// does not, as the object filter ` .*` of the same length, outside string literals.
func starIndexesAsFilters(src string) string {
	if !strings.Contains(src, "[*]") {
		return src
	}
	b := []byte(src)
	inString := false
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '\'':
			inString = !inString // '' inside a string toggles twice
		case !inString && b[i] == '[' && i+2 < len(b) && b[i+1] == '*' && b[i+2] == ']':
			b[i], b[i+1], b[i+2] = ' ', '.', '*'
			i += 2
		}
	}
	return string(b)
}

// lex records the tokens of input and matches its brackets.
func (t *tree) lex(input string) error {
	lexer := actionlint.NewExprLexer(input)
	var open []int
	for {
		tok := lexer.Next()
		if err := lexer.Err(); err != nil {
			return &Error{Message: err.Message, Offset: min(err.Offset, len(t.src))}
		}
		if tok.Kind == actionlint.TokenKindEnd {
			if tok.Offset < len(t.src) {
				return &Error{Message: "unexpected `}}` inside the expression", Offset: tok.Offset}
			}
			return nil
		}
		if len(t.tokens) == maxTokens {
			return &Error{Message: fmt.Sprintf("expression of more than %d tokens is not analysed", maxTokens), Offset: tok.Offset}
		}
		i := len(t.tokens)
		t.tokens = append(t.tokens, tok)
		t.closer = append(t.closer, -1)
		switch tok.Kind {
		case actionlint.TokenKindLeftParen, actionlint.TokenKindLeftBracket:
			open = append(open, i)
		case actionlint.TokenKindRightParen, actionlint.TokenKindRightBracket:
			if len(open) > 0 {
				t.closer[open[len(open)-1]] = i
				open = open[:len(open)-1]
			}
		}
	}
}

// span is a node's extent as token indexes, both inclusive.
type span struct{ first, last int }

// offsets returns the byte offsets [start, end) of s in the source.
func (t *tree) offsets(s span) (start, end int) {
	first, last := t.tokens[s.first], t.tokens[s.last]
	return first.Offset, last.Offset + len(last.Value)
}

// span returns the extent of node n, including the parentheses written around it.
func (t *tree) span(n actionlint.ExprNode) span {
	s := t.raw(n)
	for s.first > 0 && s.last+1 < len(t.tokens) {
		open := s.first - 1
		if t.tokens[open].Kind != actionlint.TokenKindLeftParen || t.closer[open] != s.last+1 {
			break
		}
		if open > 0 && t.tokens[open-1].Kind == actionlint.TokenKindIdent {
			break // the parentheses of a function call
		}
		s.first, s.last = open, s.last+1
	}
	return s
}

// raw returns the extent of node n without parentheses around it. The parser
// guarantees the token layout relied on here (`.` and a name after a receiver, `[`
// after an operand, `(` after a callee); indexes are clamped all the same.
func (t *tree) raw(n actionlint.ExprNode) span {
	switch n := n.(type) {
	case *actionlint.ObjectDerefNode:
		r := t.span(n.Receiver)
		return span{r.first, t.clamp(r.last + 2)}
	case *actionlint.ArrayDerefNode:
		r := t.span(n.Receiver)
		return span{r.first, t.clamp(r.last + 2)}
	case *actionlint.IndexAccessNode:
		o := t.span(n.Operand)
		return span{o.first, t.closing(o.last+1, o.last)}
	case *actionlint.FuncCallNode:
		i := t.index(n.Token())
		return span{i, t.closing(i+1, i)}
	case *actionlint.NotOpNode:
		return span{t.index(n.Token()), t.span(n.Operand).last}
	case *actionlint.CompareOpNode:
		return span{t.span(n.Left).first, t.span(n.Right).last}
	case *actionlint.LogicalOpNode:
		return span{t.span(n.Left).first, t.span(n.Right).last}
	}
	i := t.index(n.Token())
	return span{i, i}
}

// index returns the index of the token at tok's offset (the parser's tokens are its
// own copies, from a second lexer).
func (t *tree) index(tok *actionlint.Token) int {
	lo, hi := 0, len(t.tokens)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.tokens[mid].Offset < tok.Offset {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return t.clamp(lo)
}

// closing returns the index of the token closing the bracket at open, or fallback.
func (t *tree) closing(open, fallback int) int {
	if open < len(t.closer) && t.closer[open] >= 0 {
		return t.closer[open]
	}
	return fallback
}

func (t *tree) clamp(i int) int { return max(0, min(i, len(t.tokens)-1)) }
