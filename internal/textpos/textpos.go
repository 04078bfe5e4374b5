// Package textpos maps byte offsets in a decoded string back to positions in the file the
// string came from.
//
// Parsers decode values (YAML block scalars, quoted strings with escapes, Groovy strings)
// before analysis; analysis finds things at offsets of the decoded text; a Map turns
// those offsets into the file's line:column, with columns in Unicode code points.
package textpos

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
)

// span is where one byte of the decoded text comes from: the source line, the column of
// its first code point and the column just after it (an escape sequence such as `\n`
// spans several source columns).
type span struct {
	line, col, endCol int32
}

// Map gives the file position of every byte of a decoded string. The zero Map maps
// nothing; Pos on it returns the zero Pos.
type Map struct {
	spans []span
	// end is the position just after the last byte, used for empty spans at the end.
	end span
}

// Builder builds a decoded string and its Map together.
type Builder struct {
	text strings.Builder
	m    Map
}

// Verbatim appends s, which stands unchanged in the file starting at line:col. After a
// newline in s the column restarts at 1 on the next line.
func (b *Builder) Verbatim(s string, line, col int) {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		sp := span{line: int32(line), col: int32(col), endCol: int32(col + 1)}
		for i := 0; i < size; i++ {
			b.m.spans = append(b.m.spans, sp)
		}
		b.text.WriteString(s[:size])
		s = s[size:]
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		b.m.end = span{line: int32(line), col: int32(col), endCol: int32(col)}
	}
}

// Decoded appends s, which the file spells differently (an escape sequence, a folded
// line break), as coming from the source columns [col, endCol) of line.
func (b *Builder) Decoded(s string, line, col, endCol int) {
	sp := span{line: int32(line), col: int32(col), endCol: int32(endCol)}
	for i := 0; i < len(s); i++ {
		b.m.spans = append(b.m.spans, sp)
	}
	b.text.WriteString(s)
	b.m.end = span{line: int32(line), col: int32(endCol), endCol: int32(endCol)}
}

// Grow reserves room for n more bytes of decoded text.
func (b *Builder) Grow(n int) {
	b.text.Grow(n)
	b.m.spans = slices.Grow(b.m.spans, n)
}

// String returns the decoded text built so far.
func (b *Builder) String() string { return b.text.String() }

// Map returns the map of the text built so far.
func (b *Builder) Map() *Map {
	m := b.m
	return &m
}

// Verbatim returns the Map of a string that stands unchanged in the file at line:col.
func Verbatim(s string, line, col int) *Map {
	var b Builder
	b.Verbatim(s, line, col)
	return b.Map()
}

// Len returns the number of bytes the map covers.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	return len(m.spans)
}

// Pos returns the file span of the decoded bytes [start, end). Offsets outside the text
// are clamped; a nil or empty map gives the zero Pos.
func (m *Map) Pos(start, end int) model.Pos {
	if m == nil || (len(m.spans) == 0 && m.end.line == 0) {
		return model.Pos{}
	}
	start = clamp(start, 0, len(m.spans))
	end = clamp(end, start, len(m.spans))
	first := m.at(start)
	if end == start {
		return model.Pos{Line: int(first.line), Col: int(first.col), EndLine: int(first.line), EndCol: int(first.col)}
	}
	last := m.spans[end-1]
	return model.Pos{Line: int(first.line), Col: int(first.col), EndLine: int(last.line), EndCol: int(last.endCol)}
}

// Sub returns the map of the decoded bytes [start, end), for analysing a part of the
// text (the argument of `bash -c`, a heredoc body) with positions still in the file.
func (m *Map) Sub(start, end int) *Map {
	if m == nil {
		return nil
	}
	start = clamp(start, 0, len(m.spans))
	end = clamp(end, start, len(m.spans))
	sub := &Map{spans: m.spans[start:end:end]}
	if end < len(m.spans) {
		sub.end = m.spans[end]
	} else {
		sub.end = m.end
	}
	return sub
}

func (m *Map) at(off int) span {
	if off < len(m.spans) {
		return m.spans[off]
	}
	return m.end
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// Mapped appends s, the decoded form of the bytes [start, end) of an already mapped text
// m (a shell word inside a YAML script, say). When s has the same length as the source
// bytes, each byte keeps its own position; otherwise every byte of s maps to the whole
// source span.
func (b *Builder) Mapped(s string, m *Map, start, end int) {
	if m == nil {
		return
	}
	start = clamp(start, 0, len(m.spans))
	end = clamp(end, start, len(m.spans))
	if len(s) == end-start {
		b.m.spans = append(b.m.spans, m.spans[start:end]...)
	} else {
		p := m.Pos(start, end)
		sp := span{line: int32(p.Line), col: int32(p.Col), endCol: int32(p.EndCol)}
		if p.EndLine != p.Line {
			sp.endCol = sp.col + 1
		}
		for i := 0; i < len(s); i++ {
			b.m.spans = append(b.m.spans, sp)
		}
	}
	b.text.WriteString(s)
	b.m.end = m.at(end)
}

// Offsets returns the byte offsets in src of the span p (1-based line and column in
// code points, EndCol exclusive): the reverse of a Map. ok is false when p lies outside
// src.
func Offsets(src []byte, p model.Pos) (start, end int, ok bool) {
	start, ok = offset(src, p.Line, p.Col)
	if !ok {
		return 0, 0, false
	}
	end, ok = offset(src, p.EndLine, p.EndCol)
	if !ok || end < start {
		return 0, 0, false
	}
	return start, end, true
}

// offset returns the byte offset of line:col in src; col may be one past the line's end.
func offset(src []byte, line, col int) (int, bool) {
	if line < 1 || col < 1 {
		return 0, false
	}
	off := 0
	for l := 1; l < line; l++ {
		nl := slices.Index(src[off:], '\n')
		if nl < 0 {
			return 0, false
		}
		off += nl + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(src) || src[off] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off, true
}
