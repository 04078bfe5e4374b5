package yamlpos

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pipeguard/pipeguard/internal/testutil"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestScalarPositions checks that a substring of each decoded value maps to the exact
// line:col where it stands in the file, for every scalar style.
func TestScalarPositions(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		key      string
		find     string // substring of the decoded value
		wantLine int
		wantCol  int
		wantEnd  int // end column (exclusive) on the same line
	}{
		{"plain", "a: hello world\n", "a", "world", 1, 10, 15},
		{"plain multi-line", "a: one\n   two three\n", "a", "three", 2, 8, 13},
		{"single quoted", "a: 'it''s here'\n", "a", "here", 1, 11, 15},
		{"double quoted escape", "a: \"x\\ty z\"\n", "a", "z", 1, 10, 11},
		{"double quoted escape width", "a: \"\\u00e9t\"\n", "a", "é", 1, 5, 11},
		{"literal block", "run: |\n  echo one\n  codex exec --yolo\n", "run", "--yolo", 3, 14, 20},
		{"literal block with keep indent", "run: |\n  if x; then\n    codex exec\n  fi\n", "run", "codex", 3, 5, 10},
		{"literal block after blank line", "run: |\n  a\n\n  b c\n", "run", "c", 4, 5, 6},
		{"folded block", "run: >\n  one\n  two\n", "run", "two", 3, 3, 6},
		{"crlf", "run: |\r\n  a\r\n  bb\r\n", "run", "bb", 3, 3, 5},
		{"unicode columns", "a: \"é é token\"\n", "a", "token", 1, 9, 14},
		{"nested block", "jobs:\n  x:\n    steps:\n      - run: |\n          echo ${{ secrets.T }}\n", "run", "secrets.T", 5, 20, 29},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var root yaml.Node
			if err := yaml.Unmarshal([]byte(tt.doc), &root); err != nil {
				t.Fatal(err)
			}
			n := findValue(&root, tt.key)
			if n == nil {
				t.Fatalf("key %q not found", tt.key)
			}
			value, m := NewSource([]byte(tt.doc)).Scalar(n)
			i := strings.Index(value, tt.find)
			if i < 0 {
				t.Fatalf("%q not in value %q", tt.find, value)
			}
			p := m.Pos(i, i+len(tt.find))
			if p.Line != tt.wantLine || p.Col != tt.wantCol || p.EndLine != tt.wantLine || p.EndCol != tt.wantEnd {
				t.Errorf("pos of %q = %d:%d-%d:%d, want %d:%d-%d:%d", tt.find, p.Line, p.Col, p.EndLine, p.EndCol, tt.wantLine, tt.wantCol, tt.wantLine, tt.wantEnd)
			}
		})
	}
}

func findValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
	}
	for _, c := range n.Content {
		if v := findValue(c, key); v != nil {
			return v
		}
	}
	return nil
}

// TestCorpusAlignment aligns every scalar of every YAML file in the corpus and counts the
// scalars whose source did not match their decoded value.
func TestCorpusAlignment(t *testing.T) {
	root := testutil.CorpusDir(t, "")
	var files, scalars, mismatches int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".yaml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) != nil {
			return nil
		}
		files++
		src := NewSource(data)
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.ScalarNode {
				scalars++
				if _, ok := src.scalar(n); !ok {
					mismatches++
					if mismatches <= 10 {
						t.Logf("%s:%d:%d: no alignment for %q", path, n.Line, n.Column, n.Value)
					}
				}
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&doc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files, %d scalars, %d not aligned", files, scalars, mismatches)
	if mismatches > 0 {
		t.Errorf("%d of %d scalars did not align with their source", mismatches, scalars)
	}
}

// TestErrorPos checks the line of yaml.v3 syntax errors, whose parser errors count lines
// from 0 and scanner errors from 1.
func TestErrorPos(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int
	}{
		{"unclosed flow sequence", "name: x\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [\n      run: make\n", 6},
		{"unclosed flow mapping", "x: 1\na: {b: 1\nc: d\n", 2},
		{"unclosed flow sequence on line 1", "a: [1, 2\nb: c\n", 2},
		{"bad indentation", "a:\n  - b\n c: d\n", 3},
		{"tab indentation (scanner)", "a: b\n\tc: d\n", 2},
		{"unterminated quote (scanner): the last line", "a: 'x\nb: c\n", 2},
		{"unexpected colon (scanner)", "a: b: c\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n yaml.Node
			err := yaml.Unmarshal([]byte(tt.doc), &n)
			if err == nil {
				t.Fatal("no error")
			}
			if got := NewSource([]byte(tt.doc)).ErrorPos(err); got.Line != tt.line {
				t.Errorf("ErrorPos(%q) = line %d, want %d", err, got.Line, tt.line)
			}
		})
	}
}
