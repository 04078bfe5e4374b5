// Package ghexpr analyses GitHub Actions expressions — the bodies of `${{ … }}` and job
// and step `if:` conditions — with actionlint's expression parser. This is the one job
// actionlint has in pipeguard.
//
// It answers three questions:
//   - Reads: which contexts an expression reads (model.ContextRef-shaped: normalized
//     path, computed indexes, whole objects, the functions the value passes through,
//     attacker control).
//   - ParseCondition: whether a condition makes a step run whatever happened before it
//     (Always), and which checks in it keep forks and outsiders out (guards).
//   - Whether an expression parses at all.
//
// Every result carries byte offsets into the text the caller passed, so that callers map
// them to file positions through their textpos.Map; the model.Pos fields are left zero.
//
// Input is hostile: expressions longer than maxLen bytes or of more than maxTokens
// tokens are not analysed (they come back as errors), which also bounds the depth of
// the syntax tree and so of every recursive walk over it.
package ghexpr

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

const (
	// maxLen bounds the length in bytes of an analysed expression.
	maxLen = 8192
	// maxTokens bounds the number of tokens of an analysed expression; every syntax
	// tree node holds at least one token, so it bounds the tree's depth too.
	maxTokens = 2048
)

// Context is one context an expression reads, with the byte offsets [Start, End) of its
// access chain (`github.event['issue'].title`) in the text given to Reads or
// ParseCondition. ContextRef.Pos is left zero for the caller to fill.
type Context struct {
	model.ContextRef
	Start, End int
}

// Error is an expression that could not be analysed: a syntax error of the parser, or
// an expression too large to analyse. Offset is a byte offset in the analysed text.
type Error struct {
	Message string
	Offset  int
}

func (e *Error) Error() string { return e.Message }

// Reads returns the contexts that expr, the text of a `${{ … }}` without its braces,
// reads, in source order. An expression that does not parse gives an *Error and no
// contexts.
//
// The most common expressions (`secrets.X`, `matrix.os`, `github.sha`) are plain
// dotted names; they are recognized without running the parser.
func Reads(expr string) ([]Context, error) {
	if c, ok := plainRead(expr); ok {
		if c.Path == "" {
			return nil, nil
		}
		return []Context{c}, nil
	}
	t, err := parse(expr)
	if err != nil {
		return nil, err
	}
	return t.reads(), nil
}

// isPlainName reports whether s is a dotted name such as `secrets.NPM_TOKEN`,
// `github.event.commits.*.message` or `inputs.my-input`: identifiers (letters, digits,
// `_` and `-`, not starting with a digit or `-`) and `*` joined by dots, the first an
// identifier.
func isPlainName(s string) bool {
	if s == "" {
		return false
	}
	segStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if segStart {
				return false
			}
			segStart = true
		case c == '*' && segStart && i > 0 && (i+1 == len(s) || s[i+1] == '.'):
			segStart = false
		case segStart:
			if !isIdentStart(c) {
				return false
			}
			segStart = false
		case !isIdentStart(c) && !('0' <= c && c <= '9') && c != '-':
			return false
		}
	}
	return !segStart
}

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// plainRead recognizes an expression that is a plain dotted name, surrounded by blanks
// or not. ok is false when expr needs the parser; a keyword (`true`, `false`, `null`)
// gives ok with an empty Path.
func plainRead(expr string) (Context, bool) {
	start, end := trimBlanks(expr)
	name := expr[start:end]
	if !isPlainName(name) {
		return Context{}, false
	}
	switch name {
	case "true", "false", "null":
		return Context{}, true
	}
	whole := !strings.Contains(name, ".")
	return Context{
		ContextRef: model.ContextRef{
			Path:             name,
			Whole:            whole,
			Untrusted:        untrusted.GitHub(name, whole),
			AuthorControlled: untrusted.GitHubAuthorControlled(name),
		},
		Start: start,
		End:   end,
	}, true
}

// trimBlanks returns the bounds of s without the blanks GitHub's lexer skips.
func trimBlanks(s string) (start, end int) {
	start, end = 0, len(s)
	for start < end && isBlank(s[start]) {
		start++
	}
	for end > start && isBlank(s[end-1]) {
		end--
	}
	return start, end
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// funcNames maps the lower-cased names of GitHub's expression functions to their
// documented spelling; function names are case-insensitive.
var funcNames = map[string]string{
	"contains":   "contains",
	"startswith": "startsWith",
	"endswith":   "endsWith",
	"format":     "format",
	"join":       "join",
	"tojson":     "toJSON",
	"fromjson":   "fromJSON",
	"hashfiles":  "hashFiles",
	"case":       "case",
	"success":    "success",
	"always":     "always",
	"cancelled":  "cancelled",
	"failure":    "failure",
}

// funcName returns the documented spelling of a function name, or the name as written
// for functions GitHub does not have.
func funcName(callee string) string {
	if name, ok := funcNames[strings.ToLower(callee)]; ok {
		return name
	}
	return callee
}

// isSafeFunc reports whether a value passed to the function cannot reach the
// expression's result as text: actionlint's own notion (isSafeFuncCall), since
// contains, startsWith and endsWith return booleans.
func isSafeFunc(name string) bool {
	return name == "contains" || name == "startsWith" || name == "endsWith"
}
