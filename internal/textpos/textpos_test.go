package textpos

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// TestVerbatim maps each byte of a verbatim string back to its line and column: columns
// count code points, a multi-byte character is one column, and a newline moves to column
// 1 of the next line.
func TestVerbatim(t *testing.T) {
	var b Builder
	b.Verbatim("aé\nb", 3, 5)
	b.Verbatim("", 9, 9) // nothing to add: the end stays after "b"
	if got := b.String(); got != "aé\nb" {
		t.Fatalf("text = %q", got)
	}
	m := b.Map()
	for _, tt := range []struct {
		start, end int
		want       model.Pos
	}{
		{0, 1, model.Pos{Line: 3, Col: 5, EndLine: 3, EndCol: 6}}, // a
		{1, 3, model.Pos{Line: 3, Col: 6, EndLine: 3, EndCol: 7}}, // é, two bytes
		{3, 4, model.Pos{Line: 3, Col: 7, EndLine: 3, EndCol: 8}}, // the newline
		{4, 5, model.Pos{Line: 4, Col: 1, EndLine: 4, EndCol: 2}}, // b
		{0, 5, model.Pos{Line: 3, Col: 5, EndLine: 4, EndCol: 2}}, // all of it
		{5, 5, model.Pos{Line: 4, Col: 2, EndLine: 4, EndCol: 2}}, // just after the end
	} {
		if got := m.Pos(tt.start, tt.end); got != tt.want {
			t.Errorf("Pos(%d, %d) = %+v, want %+v", tt.start, tt.end, got, tt.want)
		}
	}
}
