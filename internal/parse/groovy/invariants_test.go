package groovy

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
)

// lineLengths returns the number of code points of each line of src (1-based index),
// with one extra line for a position just after a final line break.
func lineLengths(src []byte) []int {
	if bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}) {
		src = src[3:]
	}
	lengths := []int{0}
	for _, line := range bytes.Split(src, []byte("\n")) {
		lengths = append(lengths, utf8.RuneCount(line))
	}
	return lengths
}

// posInFile reports whether p is a valid, ordered span inside a file with the given
// line lengths. EndCol may be one past the last code point of its line.
func posInFile(p model.Pos, lengths []int) bool {
	if p.Line < 1 || p.EndLine < p.Line || p.EndLine >= len(lengths) {
		return false
	}
	if p.Col < 1 || p.Col > lengths[p.Line]+1 || p.EndCol < 1 || p.EndCol > lengths[p.EndLine]+1 {
		return false
	}
	return p.EndLine > p.Line || p.EndCol >= p.Col
}

// checkInvariants checks that every node and error of a parse has a position inside the
// file and that no node is nil.
func checkInvariants(t *testing.T, name string, src []byte, f *File, errs []Error) {
	t.Helper()
	if f == nil {
		t.Fatalf("%s: Parse returned a nil File", name)
	}
	lengths := lineLengths(src)
	for _, e := range errs {
		if !posInFile(e.Pos, lengths) {
			t.Errorf("%s: error %q has position %+v outside the file", name, e.Msg, e.Pos)
		}
	}
	Inspect(f, func(n Node) bool {
		if n == nil {
			return true
		}
		if _, isFile := n.(*File); isFile && len(src) == 0 {
			return true
		}
		if !posInFile(n.Span(), lengths) {
			t.Errorf("%s: %T has position %+v outside the file", name, n, n.Span())
			return false
		}
		if s, ok := n.(*String); ok {
			text, m := s.Decoded()
			if text != s.Value || m.Len() != len(text) {
				t.Errorf("%s: string at %v: decoded text %q (map %d) differs from value %q", name, s.Pos, text, m.Len(), s.Value)
			}
			for _, part := range s.Parts {
				if !posInFile(part.Pos, lengths) {
					t.Errorf("%s: string part at %+v outside the file", name, part.Pos)
				}
			}
		}
		return true
	})
}
