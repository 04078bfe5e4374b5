package model

import "fmt"

// Pos is a span in a file: 1-based line and column, columns in Unicode code points,
// EndCol exclusive. The zero Pos means "no position known".
//
// File is set only when the span lies in another file than the Pipeline's own (a GitLab
// `include: local` file); findings are then reported under that file.
type Pos struct {
	// Line is the 1-based line of the start.
	Line int `json:"line"`
	// Col is the 1-based column of the start, in Unicode code points.
	Col int `json:"col"`
	// EndLine is the line of the end.
	EndLine int `json:"end_line"`
	// EndCol is the column just after the end (exclusive).
	EndCol int `json:"end_col"`
	// File is the reported path of the file the span lies in, when it is not the pipeline's
	// own file.
	File string `json:"file,omitempty"`
}

// IsZero reports whether p carries no position.
func (p Pos) IsZero() bool { return p.Line == 0 }

// String formats the start of p as line:col.
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Point returns a Pos that covers one code point at line:col.
func Point(line, col int) Pos { return Pos{Line: line, Col: col, EndLine: line, EndCol: col + 1} }
