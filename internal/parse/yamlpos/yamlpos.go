// Package yamlpos gives exact file positions for the values of a yaml.v3 node tree.
//
// yaml.v3 reports where a node starts (for a block scalar, the `|` or `>` indicator) and
// its decoded value, but not where each character of the value stands in the file. The
// parsers need that to point inside multi-line scripts, so Source re-reads the scalar
// from the file and aligns the decoded value with the source text, producing a
// textpos.Map.
package yamlpos

import (
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// Source is a YAML file's text, split into lines of code points.
type Source struct {
	lines [][]rune
	// maps caches the map of each scalar: parsers ask for the same node's position
	// many times (a GitLab template used by many jobs). A Source is used by one
	// goroutine at a time.
	maps map[*yaml.Node]*textpos.Map
}

// NewSource splits data into lines. Both LF and CRLF line ends are accepted.
func NewSource(data []byte) *Source {
	text := strings.TrimPrefix(string(data), "\ufeff")
	raw := strings.Split(text, "\n")
	lines := make([][]rune, len(raw))
	for i, l := range raw {
		lines[i] = []rune(strings.TrimSuffix(l, "\r"))
	}
	return &Source{lines: lines, maps: map[*yaml.Node]*textpos.Map{}}
}

// Line returns line n (1-based) of the file without its line end, or "" when out of range.
func (s *Source) Line(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	return string(s.lines[n-1])
}

// LineCount returns the number of lines in the file.
func (s *Source) LineCount() int { return len(s.lines) }

// Pos returns the span of node n: the whole value for a scalar, the start for other kinds.
func (s *Source) Pos(n *yaml.Node) model.Pos {
	if n == nil {
		return model.Pos{}
	}
	if n.Kind == yaml.ScalarNode {
		value, m := s.Scalar(n)
		if p := m.Pos(0, len(value)); !p.IsZero() && len(value) > 0 {
			return p
		}
	}
	return model.Point(n.Line, n.Column)
}

// Scalar returns the decoded value of scalar node n and the map of that value back to the
// file. A node the source does not match (which should not happen) maps every byte to the
// node's start.
func (s *Source) Scalar(n *yaml.Node) (string, *textpos.Map) {
	if m, ok := s.maps[n]; ok {
		return n.Value, m
	}
	m, _ := s.scalar(n)
	s.maps[n] = m
	return n.Value, m
}

// scalar maps n's value and reports whether the source matched it.
func (s *Source) scalar(n *yaml.Node) (*textpos.Map, bool) {
	value := n.Value
	var b textpos.Builder
	b.Grow(len(value))
	var ok bool
	switch n.Style & (yaml.LiteralStyle | yaml.FoldedStyle | yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle) {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		ok = s.alignBlock(&b, value, n)
	case yaml.SingleQuotedStyle:
		ok = s.align(&b, value, s.skipProperties(n).next(), quoteSingle, -1)
	case yaml.DoubleQuotedStyle:
		ok = s.align(&b, value, s.skipProperties(n).next(), quoteDouble, -1)
	default:
		ok = s.align(&b, value, s.skipProperties(n), quoteNone, -1)
	}
	if !ok {
		b = textpos.Builder{}
		b.Decoded(value, n.Line, n.Column, n.Column+1)
	}
	return b.Map(), ok
}

type quoting int

const (
	quoteNone quoting = iota
	quoteSingle
	quoteDouble
)

// cursor is a position in Source: a 0-based line index and a 0-based code point index.
type cursor struct{ line, col int }

// next returns the cursor one code point further on the same line.
func (c cursor) next() cursor { return cursor{line: c.line, col: c.col + 1} }

// skipProperties returns where the text of flow scalar n starts: yaml.v3 reports the
// start of its anchor (`&name`) or tag (`!tag`) when it has one.
func (s *Source) skipProperties(n *yaml.Node) cursor {
	c := cursor{line: n.Line - 1, col: n.Column - 1}
	for c.line < len(s.lines) {
		line := s.lines[c.line]
		if c.col >= len(line) {
			c = s.nextLine(c, -1)
			continue
		}
		if line[c.col] != '&' && line[c.col] != '!' {
			break
		}
		for c.col < len(line) && line[c.col] != ' ' && line[c.col] != '\t' {
			c.col++
		}
		for c.col < len(line) && (line[c.col] == ' ' || line[c.col] == '\t') {
			c.col++
		}
	}
	return c
}

// alignBlock aligns a literal or folded block scalar, whose content starts on the line
// after its indicator, indented by the first non-blank content line's indentation.
func (s *Source) alignBlock(b *textpos.Builder, value string, n *yaml.Node) bool {
	first := n.Line // 0-based index of the line after the indicator
	indent := -1
	for i := first; i < len(s.lines); i++ {
		if lead := leadingSpaces(s.lines[i]); lead < len(s.lines[i]) {
			indent = lead
			break
		}
	}
	if indent < 0 {
		return value == ""
	}
	start := cursor{line: first, col: min(indent, len(s.lines[first]))}
	return s.align(b, value, start, quoteNone, indent)
}

// align walks value and the source from start together, mapping each decoded code point
// to where it stands. Line breaks in the source may stand for a space or a newline of the
// value (folding) or for nothing (trimmed white space); after a line break, indent code
// points of indentation are skipped (-1: all leading white space). It reports false when
// the source does not match the value.
func (s *Source) align(b *textpos.Builder, value string, c cursor, q quoting, indent int) bool {
	for i := 0; i < len(value); {
		r, size := utf8.DecodeRuneInString(value[i:])
		if c.line >= len(s.lines) {
			return false
		}
		line := s.lines[c.line]
		if c.col >= len(line) {
			// At a line end: a decoded space or newline may stand for it.
			if r == ' ' || r == '\n' {
				b.Decoded(value[i:i+size], c.line+1, c.col+1, c.col+2)
				i += size
			}
			c = s.nextLine(c, indent)
			continue
		}
		ch := line[c.col]
		switch {
		case q == quoteDouble && ch == '\\':
			if c.col+1 >= len(line) { // escaped line break: continues on the next line
				c = s.nextLine(c, -1)
				continue
			}
			width := escapeWidth(line[c.col+1])
			b.Decoded(value[i:i+size], c.line+1, c.col+1, c.col+1+width)
			i += size
			c.col += width
		case q == quoteSingle && ch == '\'' && c.col+1 < len(line) && line[c.col+1] == '\'':
			b.Decoded(value[i:i+size], c.line+1, c.col+1, c.col+3)
			i += size
			c.col += 2
		case ch == r:
			b.Verbatim(value[i:i+size], c.line+1, c.col+1)
			i += size
			c.col++
		case ch == ' ' || ch == '\t':
			c.col++ // white space that folding trimmed
		default:
			return false
		}
	}
	return true
}

// nextLine moves c to the start of the next line's content.
func (s *Source) nextLine(c cursor, indent int) cursor {
	c.line++
	c.col = 0
	if c.line < len(s.lines) {
		lead := leadingSpaces(s.lines[c.line])
		if indent >= 0 {
			lead = min(lead, indent)
		}
		c.col = lead
	}
	return c
}

// escapeWidth returns how many source code points a double-quoted escape sequence whose
// letter is e occupies, the backslash included.
func escapeWidth(e rune) int {
	switch e {
	case 'x':
		return 4
	case 'u':
		return 6
	case 'U':
		return 10
	}
	return 2
}

func leadingSpaces(line []rune) int {
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	return n
}
