package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// maxGlobLength bounds a path pattern; real ones are a few dozen characters.
const maxGlobLength = 1024

// Glob is a compiled path pattern of an `ignore:` list. Paths are slash-separated and
// relative to the directory of the configuration file. The syntax is that of .gitignore
// patterns, plus brace alternatives:
//
//   - `*` matches any characters but `/`, `?` one character but `/`, `[a-z]` and `[!a-z]`
//     one character of (or not of) a class, `{yml,yaml}` one of the alternatives (inside
//     one path segment, not nested), and `\` takes the next character literally.
//   - `**` as a whole path segment matches any number of segments, none included:
//     `**/fixtures`, `docs/**/*.yml`, `testdata/**`.
//   - A pattern matches a file when it matches the file's path or the path of one of its
//     directories: `testdata` ignores everything below testdata/. A trailing `/` matches
//     directories only.
//   - A pattern with a `/` at its start or in its middle is relative to the
//     configuration file's directory (a leading `/` is dropped); one without matches at
//     any depth, as in .gitignore: `*.generated.yml`.
type Glob struct {
	pattern string
	re      *regexp.Regexp
	dirOnly bool
}

// CompileGlob compiles a path pattern.
func CompileGlob(pattern string) (Glob, error) {
	if pattern == "" {
		return Glob{}, errors.New("empty pattern")
	}
	if len(pattern) > maxGlobLength {
		return Glob{}, fmt.Errorf("pattern longer than %d characters", maxGlobLength)
	}
	g := Glob{pattern: pattern}
	p := pattern
	if strings.HasSuffix(p, "/") {
		g.dirOnly = true
		p = strings.TrimRight(p, "/")
	}
	anchored := strings.Contains(p, "/")
	p = strings.TrimLeft(p, "/")
	if p == "" {
		return Glob{}, errors.New("the pattern names no path")
	}
	var b strings.Builder
	b.WriteString("^")
	if !anchored {
		b.WriteString("(?:.*/)?")
	}
	segments := strings.Split(p, "/")
	for i, seg := range segments {
		last := i == len(segments)-1
		if seg == "**" {
			if last {
				b.WriteString(".*")
			} else {
				b.WriteString("(?:.*/)?")
			}
			continue
		}
		if seg == "" {
			return Glob{}, errors.New("empty path segment (`//`)")
		}
		if err := writeSegment(&b, seg); err != nil {
			return Glob{}, err
		}
		if !last {
			b.WriteString("/")
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return Glob{}, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	g.re = re
	return g, nil
}

// writeSegment writes the regular expression of one path segment of a pattern.
func writeSegment(b *strings.Builder, seg string) error {
	inBraces := false
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch c {
		case '*':
			b.WriteString("[^/]*")
		case '?':
			b.WriteString("[^/]")
		case '\\':
			if i+1 == len(seg) {
				return errors.New("the pattern ends with `\\`")
			}
			i++
			b.WriteString(regexp.QuoteMeta(seg[i : i+1]))
		case '[':
			end := classEnd(seg, i)
			if end < 0 {
				return errors.New("`[` without a closing `]`")
			}
			writeClass(b, seg[i+1:end])
			i = end
		case '{':
			if inBraces {
				return errors.New("nested `{` alternatives are not supported")
			}
			if !strings.Contains(seg[i:], "}") {
				return errors.New("`{` without a closing `}`")
			}
			inBraces = true
			b.WriteString("(?:")
		case ',':
			if inBraces {
				b.WriteString("|")
			} else {
				b.WriteString(",")
			}
		case '}':
			if !inBraces {
				return errors.New("`}` without an opening `{`")
			}
			inBraces = false
			b.WriteString(")")
		default:
			b.WriteString(regexp.QuoteMeta(seg[i : i+1]))
		}
	}
	return nil
}

// classEnd returns the index of the `]` that closes the class opened at seg[start], or
// -1. A `]` right after `[` or `[!` is a member, as in shell patterns.
func classEnd(seg string, start int) int {
	i := start + 1
	if i < len(seg) && (seg[i] == '!' || seg[i] == '^') {
		i++
	}
	if i < len(seg) && seg[i] == ']' {
		i++
	}
	for ; i < len(seg); i++ {
		if seg[i] == ']' {
			return i
		}
	}
	return -1
}

// writeClass writes a character class: its members are taken literally but for ranges
// (`a-z`); a negated class never matches `/`.
func writeClass(b *strings.Builder, members string) {
	b.WriteString("[")
	if strings.HasPrefix(members, "!") || strings.HasPrefix(members, "^") {
		b.WriteString("^/")
		members = members[1:]
	}
	for i := 0; i < len(members); i++ {
		c := members[i]
		if c == '-' && i > 0 && i < len(members)-1 {
			b.WriteByte('-')
			continue
		}
		b.WriteString(regexp.QuoteMeta(string(c)))
	}
	b.WriteString("]")
}

// Match reports whether the slash-separated relative path p, or one of its directories,
// matches the pattern.
func (g Glob) Match(p string) bool {
	if g.re == nil {
		return false
	}
	if !g.dirOnly && g.re.MatchString(p) {
		return true
	}
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' && g.re.MatchString(p[:i]) {
			return true
		}
	}
	return false
}

// String returns the pattern as written.
func (g Glob) String() string { return g.pattern }
