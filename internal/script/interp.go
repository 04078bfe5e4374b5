package script

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/ghexpr"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

// maxExprLen bounds how far a CI expression may reach from its opening delimiter, so that
// an unterminated one in a large file costs little.
const maxExprLen = 4096

// found is one CI interpolation at the byte offsets [start, end) of a text.
type found struct {
	start, end int
	expr       string
	kind       string
}

// Interpolations lists the CI template expressions of dialect d in text, with their
// file positions through m.
func Interpolations(text string, m *textpos.Map, d Dialect) []model.Interpolation {
	return toModel(text, findInterpolations(text, d), m)
}

// NewInterpolation builds a model.Interpolation of kind at pos, with the contexts it
// reads and whether one of them is attacker-controlled. GitHub expressions are parsed
// by internal/ghexpr; as the caller gives no map of the expression's text, their
// contexts are placed at pos (Interpolations places them exactly). For the other kinds
// Contexts holds the expression itself, at pos, when it is a plain dotted name.
func NewInterpolation(expr, kind string, pos model.Pos) model.Interpolation {
	return interpolation(expr, kind, pos, nil, 0)
}

// isUntrusted decides whether an interpolation of kind reads attacker-controlled text:
// for GitHub expressions from their parsed contexts (as interpolation does), for the
// other kinds from internal/untrusted's patterns.
func isUntrusted(kind, expr string) bool {
	if kind != model.InterpGitHub {
		return untrusted.Interpolation(kind, expr)
	}
	reads, _ := ghexpr.Reads(expr)
	for _, c := range reads {
		if c.Untrusted {
			return true
		}
	}
	return false
}

// toModel builds the interpolations found in text, with file positions through m.
func toModel(text string, list []found, m *textpos.Map) []model.Interpolation {
	if len(list) == 0 {
		return nil
	}
	out := make([]model.Interpolation, len(list))
	for i, f := range list {
		exprStart := f.start
		if f.kind == model.InterpGitHub {
			// The expression is the trimmed text between `${{` and `}}`.
			exprStart = f.start + 3 + max(0, strings.Index(text[f.start+3:f.end], f.expr))
		}
		out[i] = interpolation(f.expr, f.kind, m.Pos(f.start, f.end), m, exprStart)
	}
	return out
}

// interpolation builds the model.Interpolation of expr, of kind, at pos. For GitHub
// expressions m maps the text holding expr, which starts at offset exprStart, to the
// file; a nil m places every context at pos.
func interpolation(expr, kind string, pos model.Pos, m *textpos.Map, exprStart int) model.Interpolation {
	in := model.Interpolation{Expr: expr, Kind: kind, Pos: pos}
	if kind != model.InterpGitHub {
		in.Untrusted = isUntrusted(kind, expr)
		in.AuthorControlled = untrusted.AuthorControlled(kind, expr)
		if isDottedName(expr, kind != model.InterpGroovy) {
			in.Contexts = []model.ContextRef{{Path: expr, Untrusted: in.Untrusted, AuthorControlled: in.AuthorControlled, Pos: pos}}
		}
		return in
	}
	reads, _ := ghexpr.Reads(expr)
	if len(reads) == 0 {
		return in
	}
	in.Contexts = make([]model.ContextRef, len(reads))
	for i, c := range reads {
		ref := c.ContextRef
		ref.Pos = pos
		if m != nil {
			ref.Pos = m.Pos(exprStart+c.Start, exprStart+c.End)
		}
		in.Contexts[i] = ref
		in.Untrusted = in.Untrusted || ref.Untrusted
		in.AuthorControlled = in.AuthorControlled || ref.AuthorControlled
	}
	return in
}

// isDottedName reports whether expr is a plain name such as `parameters.flags`,
// `pipeline.git.branch` or `BRANCH_NAME`: identifiers joined by dots, with `-` inside
// identifiers when dash is set (GitLab inputs and CircleCI parameters have them;
// Groovy names do not).
func isDottedName(expr string, dash bool) bool {
	segStart := true
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '.' && !segStart:
			segStart = true
		case isIdentStart(c) || (!segStart && (isIdentChar(c) || dash && c == '-')):
			segStart = false
		default:
			return false
		}
	}
	return !segStart
}

// findInterpolations returns the interpolations of dialect d in text, in order and
// without overlaps.
func findInterpolations(text string, d Dialect) []found {
	var out []found
	for i := 0; i < len(text); {
		var f found
		var ok bool
		switch d {
		case DialectGitHub:
			f, ok = nextGitHub(text, i)
		case DialectGitLab:
			f, ok = nextDelimited(text, i, "$[[", "]]", model.InterpGitLab)
		case DialectCircleCI:
			f, ok = nextCircleCI(text, i)
		case DialectGroovy:
			f, ok = nextGroovy(text, i)
		}
		if !ok {
			break
		}
		out = append(out, f)
		i = f.end
	}
	return out
}

// nextGitHub finds the first `${{ … }}` at or after from. Single-quoted strings and
// balanced braces inside the expression do not close it.
func nextGitHub(text string, from int) (found, bool) {
	for {
		k := strings.Index(text[from:], "${{")
		if k < 0 {
			return found{}, false
		}
		start := from + k
		if end, ok := closeGitHub(text, start+3); ok {
			return found{start: start, end: end + 2, expr: strings.TrimSpace(text[start+3 : end]), kind: model.InterpGitHub}, true
		}
		from = start + 3
	}
}

// closeGitHub returns the offset of the `}}` that closes an expression whose body
// starts at from. An expression with an unterminated string closes at the first `}}`.
func closeGitHub(text string, from int) (int, bool) {
	limit := min(len(text), from+maxExprLen)
	depth := 0
	inString := false
	for j := from; j < limit; j++ {
		c := text[j]
		switch {
		case inString:
			if c == '\'' {
				if j+1 < limit && text[j+1] == '\'' {
					j++
				} else {
					inString = false
				}
			}
		case c == '\'':
			inString = true
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == '}' && j+1 < limit && text[j+1] == '}':
			return j, true
		}
	}
	if k := strings.Index(text[from:limit], "}}"); k >= 0 {
		return from + k, true
	}
	return 0, false
}

// nextDelimited finds the first open … close pair at or after from.
func nextDelimited(text string, from int, open, close, kind string) (found, bool) {
	for {
		k := strings.Index(text[from:], open)
		if k < 0 {
			return found{}, false
		}
		start := from + k
		body := start + len(open)
		limit := min(len(text), body+maxExprLen)
		if e := strings.Index(text[body:limit], close); e >= 0 {
			end := body + e
			return found{start: start, end: end + len(close), expr: strings.TrimSpace(text[body:end]), kind: kind}, true
		}
		from = body
	}
}

// circleCIRoots are the names a CircleCI `<< … >>` expression starts with; anything else
// between `<<` and `>>` is shell (a heredoc and an append redirection, say).
var circleCIRoots = []string{"parameters.", "pipeline.", "matrix.", "include("}

// nextCircleCI finds the first `<< parameters.x >>`-style expression at or after from.
// `\<<` is CircleCI's escape for a literal `<<`.
func nextCircleCI(text string, from int) (found, bool) {
	for {
		k := strings.Index(text[from:], "<<")
		if k < 0 {
			return found{}, false
		}
		start := from + k
		from = start + 2
		if start > 0 && text[start-1] == '\\' {
			continue
		}
		if f, ok := circleCIAt(text, start); ok {
			return f, true
		}
	}
}

// circleCIAt reports whether a CircleCI expression starts at offset start (on `<<`).
func circleCIAt(text string, start int) (found, bool) {
	body := start + 2
	limit := min(len(text), body+maxExprLen)
	if nl := strings.IndexByte(text[body:limit], '\n'); nl >= 0 {
		limit = body + nl
	}
	e := strings.Index(text[body:limit], ">>")
	if e < 0 {
		return found{}, false
	}
	expr := strings.TrimSpace(text[body : body+e])
	for _, root := range circleCIRoots {
		if strings.HasPrefix(expr, root) {
			return found{start: start, end: body + e + 2, expr: expr, kind: model.InterpCircleCI}, true
		}
	}
	return found{}, false
}

// nextGroovy finds the first GString interpolation at or after from: `${expr}` with
// balanced braces and quoted strings, or `$name` / `$a.b.c`. `\$` is not one.
func nextGroovy(text string, from int) (found, bool) {
	for {
		k := strings.IndexByte(text[from:], '$')
		if k < 0 {
			return found{}, false
		}
		start := from + k
		from = start + 1
		if (start > 0 && text[start-1] == '\\') || start+1 >= len(text) {
			continue
		}
		switch c := text[start+1]; {
		case c == '{':
			if end, ok := closeGroovy(text, start+2); ok {
				return found{start: start, end: end + 1, expr: strings.TrimSpace(text[start+2 : end]), kind: model.InterpGroovy}, true
			}
		case isIdentStart(c):
			end := dottedName(text, start+1)
			return found{start: start, end: end, expr: text[start+1 : end], kind: model.InterpGroovy}, true
		}
	}
}

// closeGroovy returns the offset of the `}` closing a Groovy `${` whose body starts at
// from, skipping nested braces and quoted strings.
func closeGroovy(text string, from int) (int, bool) {
	limit := min(len(text), from+maxExprLen)
	depth := 0
	var quote byte
	for j := from; j < limit; j++ {
		c := text[j]
		switch {
		case quote != 0:
			if c == '\\' {
				j++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '{':
			depth++
		case c == '}' && depth == 0:
			return j, true
		case c == '}':
			depth--
		}
	}
	return 0, false
}

// dottedName returns the end of the name `a.b.c` starting at from (on an identifier
// start); a trailing dot is not part of it.
func dottedName(text string, from int) int {
	end := identEnd(text, from)
	for end+1 < len(text) && text[end] == '.' && isIdentStart(text[end+1]) {
		end = identEnd(text, end+1)
	}
	return end
}

// identEnd returns the end of the identifier starting at from.
func identEnd(text string, from int) int {
	for from < len(text) && isIdentChar(text[from]) {
		from++
	}
	return from
}

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

// HasVariableReference reports whether text refers to a variable the way a shell or CI
// runner would expand it ($X, ${X}, %X%, $env:X).
//
// `$(cmd)` and every CI interpolation (`${{ }}`, `$[[ ]]`, `<< parameters.x >>`) count
// too; `$$` (an escaped dollar), a lone `$` and `$` before a digit or punctuation do not.
func HasVariableReference(text string) bool {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '$':
			if i+1 >= len(text) {
				return false
			}
			c := text[i+1]
			if c == '$' {
				i++
				continue
			}
			if isIdentStart(c) || c == '{' || c == '(' || c == '[' && strings.HasPrefix(text[i+1:], "[[") {
				return true
			}
		case '%':
			if i+1 < len(text) && isIdentStart(text[i+1]) {
				end := identEnd(text, i+1)
				if end < len(text) && text[end] == '%' {
					return true
				}
			}
		case '<':
			if strings.HasPrefix(text[i:], "<<") {
				if _, ok := circleCIAt(text, i); ok {
					return true
				}
			}
		}
	}
	return false
}
