package groovy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// findNode returns the first node, in source order, for which match holds.
func findNode(root Node, match func(Node) bool) Node {
	var found Node
	Inspect(root, func(n Node) bool {
		if found != nil || n == nil {
			return false
		}
		if match(n) {
			found = n
			return false
		}
		return true
	})
	return found
}

func findCall(root Node, path string) *Call {
	n := findNode(root, func(n Node) bool {
		c, ok := n.(*Call)
		return ok && c.Path() == path
	})
	c, _ := n.(*Call)
	return c
}

// span formats a Pos with its end, which Pos.String leaves out.
func spanText(p model.Pos) string {
	return fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Col, p.EndLine, p.EndCol)
}

func pos(line, col, endLine, endCol int) model.Pos {
	return model.Pos{Line: line, Col: col, EndLine: endLine, EndCol: endCol}
}

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, errs := Parse([]byte(src))
	for _, e := range errs {
		t.Errorf("unexpected error %s", e)
	}
	checkInvariants(t, t.Name(), []byte(src), f, errs)
	return f
}

const declarative = `pipeline {
    agent any
    stages {
        stage('Build') {
            steps {
                sh 'make'
            }
        }
    }
}
`

func TestCallPositions(t *testing.T) {
	tests := []struct {
		name, src, path string
		want, arg       model.Pos
	}{
		{"declarative sh", declarative, "sh", pos(6, 17, 6, 26), pos(6, 20, 6, 26)},
		{"stage with closure", declarative, "stage", pos(4, 9, 8, 10), pos(4, 15, 4, 22)},
		{"tab is one column", "node {\n\t\tsh 'x'\n}", "sh", pos(2, 3, 2, 9), pos(2, 6, 2, 9)},
		{"code point columns", "echo 'héllo→'; sh 'x'", "sh", pos(1, 16, 1, 22), pos(1, 19, 1, 22)},
		{"bom does not shift", "\ufeffsh 'x'", "sh", pos(1, 1, 1, 7), pos(1, 4, 1, 7)},
		{"crlf line endings", "node {\r\n  sh 'x'\r\n}\r\n", "sh", pos(2, 3, 2, 9), pos(2, 6, 2, 9)},
		{"docker inside", "docker.image('m:1').inside('-u 0') {\n}", "docker.image.inside", pos(1, 1, 2, 2), pos(1, 28, 1, 34)},
		{"multi-line command", "sh script: '''\n  make\n''', returnStdout: true", "sh", pos(1, 1, 3, 24), pos(1, 12, 3, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.src)
			c := findCall(f, tt.path)
			if c == nil {
				t.Fatalf("no call %s in %s", tt.path, dump(f))
			}
			if c.Pos != tt.want {
				t.Errorf("call %s at %s, want %s", tt.path, spanText(c.Pos), spanText(tt.want))
			}
			if len(c.Args) == 0 {
				t.Fatalf("call %s has no arguments", tt.path)
			}
			if got := c.Args[0].Value.Span(); got != tt.arg {
				t.Errorf("first argument at %s, want %s", spanText(got), spanText(tt.arg))
			}
		})
	}
}

func TestGStringParts(t *testing.T) {
	f := mustParse(t, `echo "token ${env.X} and $Y"`)
	s, _ := findNode(f, func(n Node) bool { _, ok := n.(*String); return ok }).(*String)
	if s == nil {
		t.Fatal("no string")
	}
	if s.Kind != Double || s.Raw != `token ${env.X} and $Y` || s.Value != `token ${env.X} and $Y` || s.Pos != pos(1, 6, 1, 29) {
		t.Errorf("string = %v %q %q %+v", s.Kind, s.Raw, s.Value, s.Pos)
	}
	want := []struct {
		kind      PartKind
		text, raw string
		code      string
		expr      string
		pos       model.Pos
	}{
		{PartLiteral, "token ", "", "", "nil", pos(1, 7, 1, 13)},
		{PartInterp, "", "${env.X}", "env.X", "env.X", pos(1, 13, 1, 21)},
		{PartLiteral, " and ", "", "", "nil", pos(1, 21, 1, 26)},
		{PartInterp, "", "$Y", "Y", "Y", pos(1, 26, 1, 28)},
	}
	if len(s.Parts) != len(want) {
		t.Fatalf("got %d parts, want %d", len(s.Parts), len(want))
	}
	for i, w := range want {
		p := s.Parts[i]
		if p.Kind != w.kind || p.Text != w.text || p.Raw != w.raw || p.Code != w.code || dump(p.Expr) != w.expr || p.Pos != w.pos {
			t.Errorf("part %d = {%v %q %q %q %s %+v}, want %+v", i, p.Kind, p.Text, p.Raw, p.Code, dump(p.Expr), p.Pos, w)
		}
	}
	m, _ := s.Parts[1].Expr.(*Member)
	if m == nil || m.NamePos != pos(1, 19, 1, 20) || m.X.Span() != pos(1, 15, 1, 18) {
		t.Errorf("interpolation expression %s has wrong positions", dump(s.Parts[1].Expr))
	}
	if lit := s.Parts[0]; lit.Map.Pos(0, 5) != pos(1, 7, 1, 12) {
		t.Errorf("literal map gives %+v", lit.Map.Pos(0, 5))
	}
}

func TestStringKinds(t *testing.T) {
	tests := []struct {
		src    string
		kind   StringKind
		value  string
		interp bool
	}{
		{`x = 'a$b'`, Single, "a$b", false},
		{`x = "a${b}"`, Double, "a${b}", true},
		{`x = '''a\'''b'''`, TripleSingle, "a'''b", false},
		{`x = """a"b$c"""`, TripleDouble, `a"b$c`, true},
		{`x = /a\/b$c/`, Slashy, "a/b$c", true},
		{`x = $/a\/b$$c$/d/$`, DollarSlashy, `a\/b$c/d`, false},
		{`x = "a$"`, Double, "a$", false},
		{`x = "${"nested ${y}"}"`, Double, `${"nested ${y}"}`, true},
		{`x = "\u00e9\101\s"`, Double, "éA ", false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f := mustParse(t, tt.src)
			s, _ := findNode(f, func(n Node) bool { _, ok := n.(*String); return ok }).(*String)
			if s == nil {
				t.Fatal("no string")
			}
			if s.Kind != tt.kind || s.Value != tt.value || s.Interpolated() != tt.interp {
				t.Errorf("got %v %q interpolated=%v, want %v %q %v", s.Kind, s.Value, s.Interpolated(), tt.kind, tt.value, tt.interp)
			}
		})
	}
}

func TestNestedInterpolation(t *testing.T) {
	f := mustParse(t, `sh "run ${flags.collect { "--${it}" }.join(' ')}"`)
	got := dump(f.Statements[0])
	want := `(cmd sh D"run ${flags.collect { \"--${it}\" }.join(' ')}")`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	s := f.Statements[0].(*ExprStmt).X.(*Call).Args[0].Value.(*String)
	if inner := dump(s.Parts[1].Expr); inner != `(call (cmd flags.collect {D"--${it}"}).join S" ")` {
		t.Errorf("interpolation parsed as %s", inner)
	}
}

// TestTripleStringMap checks that the decoded text of a multi-line shell script maps
// back to the right file positions, across escapes and line continuations.
func TestTripleStringMap(t *testing.T) {
	src := "node {\n    sh '''\n        echo \"a\\tb\"\n        make \\\n          all\n    '''\n}\n"
	f := mustParse(t, src)
	s := findCall(f, "sh").Args[0].Value.(*String)
	text, m := s.Decoded()
	wantText := "\n        echo \"a\tb\"\n        make           all\n    "
	if text != wantText {
		t.Fatalf("decoded %q, want %q", text, wantText)
	}
	tests := []struct {
		needle string
		want   model.Pos
	}{
		{"echo", pos(3, 9, 3, 13)},
		{"\t", pos(3, 16, 3, 18)},
		{"b\"", pos(3, 18, 3, 20)},
		{"make", pos(4, 9, 4, 13)},
		{"all", pos(5, 11, 5, 14)},
	}
	for _, tt := range tests {
		i := strings.Index(text, tt.needle)
		if got := m.Pos(i, i+len(tt.needle)); got != tt.want {
			t.Errorf("%q maps to %s, want %s", tt.needle, spanText(got), spanText(tt.want))
		}
	}
}

func TestDecodedWithInterpolation(t *testing.T) {
	src := "sh \"\"\"\n  curl -H \"X: ${env.TOKEN}\" \\$HOME\n\"\"\""
	f := mustParse(t, src)
	s := findCall(f, "sh").Args[0].Value.(*String)
	text, m := s.Decoded()
	if want := "\n  curl -H \"X: ${env.TOKEN}\" $HOME\n"; text != want {
		t.Fatalf("decoded %q, want %q", text, want)
	}
	i := strings.Index(text, "${env.TOKEN}")
	if got := m.Pos(i, i+len("${env.TOKEN}")); got != pos(2, 15, 2, 27) {
		t.Errorf("interpolation maps to %+v", got)
	}
	i = strings.Index(text, "$HOME")
	if got := m.Pos(i, i+len("$HOME")); got != pos(2, 29, 2, 35) {
		t.Errorf("$HOME maps to %+v", got)
	}
}
