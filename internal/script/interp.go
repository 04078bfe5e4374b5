package script

import (
	"regexp"
	"strings"

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
	return toModel(findInterpolations(text, d), m)
}

// NewInterpolation builds a model.Interpolation, deciding from internal/untrusted whether
// it reads attacker-controlled text.
func NewInterpolation(expr, kind string, pos model.Pos) model.Interpolation {
	return model.Interpolation{Expr: expr, Kind: kind, Untrusted: isUntrusted(kind, expr), Pos: pos}
}

// githubPath matches the context paths of a GitHub expression.
var githubPath = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:[A-Za-z0-9_-]+|\*)|\[(?:\*|\d+|'[^']*')\])*`)

// isUntrusted decides whether an interpolation reads attacker-controlled text.
func isUntrusted(kind, expr string) bool {
	if kind != model.InterpGitHub {
		return untrusted.Interpolation(kind, expr)
	}
	for _, m := range githubPath.FindAllString(expr, -1) {
		path := strings.NewReplacer("['", ".", "']", "", "[", ".", "]", "").Replace(m)
		whole := strings.Contains(expr, "toJSON("+m+")")
		if untrusted.GitHub(path, whole) {
			return true
		}
	}
	return false
}

func toModel(list []found, m *textpos.Map) []model.Interpolation {
	if len(list) == 0 {
		return nil
	}
	out := make([]model.Interpolation, len(list))
	for i, f := range list {
		out[i] = NewInterpolation(f.expr, f.kind, m.Pos(f.start, f.end))
	}
	return out
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
