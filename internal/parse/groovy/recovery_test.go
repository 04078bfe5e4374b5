package groovy

import (
	"strings"
	"testing"
)

func TestErrorRecovery(t *testing.T) {
	tests := []struct {
		name, src string
		want      string   // dump of the file
		errs      []string // "line:col: message"
	}{
		{
			name: "bad statement keeps following statements",
			src:  "node {\n    sh 'a' )\n    stage('x') {\n        sh 'b'\n    }\n}",
			want: `(cmd node {(cmd sh S"a"); (call stage S"x" {(cmd sh S"b")})})`,
			errs: []string{`2:12: unexpected ")"`},
		},
		{
			name: "blocks inside a bad statement are kept",
			src:  "foo bar baz ) {\n    sh 'inner'\n}\nsh 'after'",
			want: `(cmd foo bar).baz; {(cmd sh S"inner")}; (cmd sh S"after")`,
			errs: []string{`1:13: unexpected ")"`},
		},
		{
			name: "unclosed brace keeps what was parsed",
			src:  "node {\n    sh 'a'\n",
			want: `(cmd node {(cmd sh S"a")})`,
			errs: []string{`1:6: unclosed {`},
		},
		{
			name: "stray closing brace",
			src:  "sh 'a'\n}\nsh 'b'",
			want: `(cmd sh S"a"); (cmd sh S"b")`,
			errs: []string{`2:1: unexpected }`},
		},
		{
			name: "unterminated single-line string ends at the line",
			src:  "sh 'abc\nsh 'd'",
			want: `(cmd sh S"abc"); (cmd sh S"d")`,
			errs: []string{`1:4: unterminated single string`},
		},
		{
			name: "unterminated triple string runs to the end",
			src:  "sh '''abc\nsh 'd'",
			want: `(cmd sh TS"abc\nsh 'd'")`,
			errs: []string{`1:4: unterminated triple-single string`},
		},
		{
			name: "bad interpolation",
			src:  `echo "${a b c )}"`,
			want: `(cmd echo D"${a b c )}")`,
			errs: []string{`1:15: unexpected ")"`},
		},
		{
			name: "invalid token",
			src:  "environment {\n    1BAR = 'x'\n    FOO = 'y'\n}",
			want: `(cmd environment {BAD; (= FOO S"y")})`,
			errs: []string{`2:5: unexpected invalid token "1BAR"`},
		},
		{
			name: "unterminated comment",
			src:  "sh 'a' /* no end",
			want: `(cmd sh S"a")`,
			errs: []string{`1:8: unterminated comment`},
		},
		{
			name: "missing paren in if keeps the body",
			src:  "if (x {\n    sh 'a'\n}\nsh 'b'",
			// The unclosed ( hides the line break, so `sh 'b'` becomes the body.
			want: `(if (cmd x {(cmd sh S"a")}) (cmd sh S"b") nil)`,
			errs: []string{`4:1: expected ), found "sh"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := Parse([]byte(tt.src))
			checkInvariants(t, tt.name, []byte(tt.src), f, errs)
			if got := dump(f); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.errs, "\n"))
			}
		})
	}
}

// TestPathologicalInput runs inputs that would exhaust the stack or take quadratic time
// in a naive parser. It asserts bounded results, not time: each must finish, report the
// nesting limit or the unterminated string, and keep positions inside the file.
func TestPathologicalInput(t *testing.T) {
	const n = 100000
	tests := []struct {
		name    string
		src     string
		wantErr string
	}{
		{"deep parens", strings.Repeat("(", n), "nesting deeper than"},
		{"deep braces", strings.Repeat("{", n), "nesting deeper than"},
		{"deep brackets", "x = " + strings.Repeat("[", n) + strings.Repeat("]", n), "nesting deeper than"},
		{"deep closures", strings.Repeat("a {", n) + strings.Repeat("}", n), "nesting deeper than"},
		{"deep calls", strings.Repeat("f(", n) + strings.Repeat(")", n), "nesting deeper than"},
		{"deep unary", "x = " + strings.Repeat("!", n) + "y", "nesting deeper than"},
		{"deep assignment", strings.Repeat("a = ", n) + "b", "nesting deeper than"},
		{"deep ternary", "x = " + strings.Repeat("a ? b : ", n) + "c", "nesting deeper than"},
		{"deep ifs", strings.Repeat("if (a) ", n) + "b()", "nesting deeper than"},
		{"deep else ifs", "if (a) b()" + strings.Repeat(" else if (a) b()", n), "nesting deeper than"},
		{"deep interpolation", strings.Repeat(`"${`, n), "nested too deeply"},
		{"deep interpolated parens", `"${` + strings.Repeat("(", n) + `}"`, "nesting deeper than"},
		{"deep labels", strings.Repeat("a: ", n) + "b", "nesting deeper than"},
		{"unterminated triple string", "sh '''" + strings.Repeat("x", 1<<20), "unterminated triple-single string"},
		{"unterminated gstring", `sh """${` + strings.Repeat("x; ", 1<<18), "unterminated"},
		{"unterminated slashy", "x = /" + strings.Repeat("a", 1<<20), "unterminated slashy string"},
		{"unterminated comment", "/*" + strings.Repeat("*", 1<<20), "unterminated comment"},
		{"long member chain", "x = a" + strings.Repeat(".b", n), "expression too long"},
		{"long binary chain", "x = a" + strings.Repeat(" + b", n), "expression too long"},
		{"long call chain", "node { a" + strings.Repeat("()", n) + " }", "expression too long"},
		{"long index chain", "a" + strings.Repeat("[1]", n), "expression too long"},
		{"long command chain", "a" + strings.Repeat(" b c", n), "expression too long"},
		{"long postfix increments", "a" + strings.Repeat("++", n), "expression too long"},
		{"long cast lookahead", strings.Repeat("(A.", n), "nesting deeper than"},
		{"many closure params", "{ " + strings.Repeat("a, ", n) + "-> }", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := Parse([]byte(tt.src))
			checkInvariants(t, tt.name, []byte(tt.src), f, errs)
			if tt.wantErr == "" {
				return
			}
			for _, e := range errs {
				if strings.Contains(e.Msg, tt.wantErr) {
					return
				}
			}
			t.Errorf("no error containing %q among %d errors", tt.wantErr, len(errs))
		})
	}
}
