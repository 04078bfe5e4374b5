package secrets

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// corpusValue is one scalar of a corpus file with the key that holds it.
type corpusValue struct {
	file, key, value string
	line, col        int
}

// loadCorpusValues reads every scalar value of the YAML files under dir, a platform
// directory returned by testutil.CorpusDir (file paths are relative to dir).
func loadCorpusValues(tb testing.TB, dir string) []corpusValue {
	tb.Helper()
	var values []corpusValue
	for _, f := range testutil.CorpusYAML(tb, filepath.Base(dir)) {
		var root yaml.Node
		if yaml.Unmarshal(f.Data, &root) != nil {
			continue // a broken corpus file is the parsers' business, not ours
		}
		rel, _ := filepath.Rel(dir, f.Path)
		collectScalars(&root, "", func(key string, n *yaml.Node) {
			values = append(values, corpusValue{file: rel, key: key, value: n.Value, line: n.Line, col: n.Column})
		})
	}
	return values
}

// collectScalars calls visit for every scalar value under n with the mapping key that
// holds it ("" for sequence items and documents).
func collectScalars(n *yaml.Node, key string, visit func(key string, n *yaml.Node)) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			collectScalars(c, "", visit)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			collectScalars(n.Content[i+1], n.Content[i].Value, visit)
		}
	case yaml.ScalarNode:
		visit(key, n)
	}
}

// shellCommands turns a script into model commands for the corpus review, in the shape
// internal/script documents (quotes removed, expansions kept as written and Dynamic,
// `export X=v` as argv words). Positions are those of the script text at line 1.
func shellCommands(script string) []model.Command {
	file, err := syntax.NewParser().Parse(strings.NewReader(script), "")
	if err != nil {
		return nil
	}
	var cmds []model.Command
	syntax.Walk(file, func(node syntax.Node) bool {
		switch n := node.(type) {
		case *syntax.CallExpr:
			var c model.Command
			for _, a := range n.Assigns {
				if a.Name == nil || a.Value == nil {
					continue
				}
				w := shellWord(script, a.Value)
				c.EnvPrefix = append(c.EnvPrefix, model.Var{Name: a.Name.Value, Value: model.Text{Value: w.Value, Pos: w.Pos, Literal: !w.Dynamic}})
			}
			for _, a := range n.Args {
				c.Argv = append(c.Argv, shellWord(script, a))
			}
			cmds = append(cmds, c)
		case *syntax.DeclClause:
			c := model.Command{Argv: []model.Word{{Value: n.Variant.Value}}}
			for _, a := range n.Args {
				if a.Name == nil || a.Value == nil {
					continue
				}
				w := shellWord(script, a.Value)
				w.Value = a.Name.Value + "=" + w.Value
				w.Pos.Col -= len(a.Name.Value) + 1
				c.Argv = append(c.Argv, w)
			}
			cmds = append(cmds, c)
		}
		return true
	})
	return cmds
}

func shellWord(script string, w *syntax.Word) model.Word {
	var b strings.Builder
	dynamic := false
	var addParts func(parts []syntax.WordPart)
	addParts = func(parts []syntax.WordPart) {
		for _, p := range parts {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				addParts(p.Parts)
			default:
				dynamic = true
				b.WriteString(script[p.Pos().Offset():p.End().Offset()])
			}
		}
	}
	addParts(w.Parts)
	pos := model.Pos{Line: int(w.Pos().Line()), Col: int(w.Pos().Col()), EndLine: int(w.End().Line()), EndCol: int(w.End().Col())}
	return model.Word{Value: b.String(), Dynamic: dynamic, Pos: pos}
}

// scriptKeys are the keys whose values are shell scripts in the YAML corpora.
var scriptKeys = map[string]bool{"run": true, "script": true, "command": true, "": true}

func TestCorpusFindings(t *testing.T) {
	total := 0
	for _, platform := range []string{"github", "gitlab", "circleci"} {
		dir := testutil.CorpusDir(t, platform)
		for _, v := range loadCorpusValues(t, dir) {
			for _, s := range ScanValue(v.key, v.value, textpos.Verbatim(v.value, v.line, v.col)) {
				total++
				t.Logf("%s/%s:%d:%d: value %s %s %s key=%q %s", platform, v.file, s.Pos.Line, s.Pos.Col, s.Rule, s.Confidence, s.Provider, s.Key, s.Redacted)
			}
			if !scriptKeys[v.key] || !strings.ContainsAny(v.value, " \n") {
				continue
			}
			for _, s := range ScanCommands(shellCommands(v.value)) {
				total++
				t.Logf("%s/%s:%d(+%d):%d: command %s %s key=%q %s", platform, v.file, v.line, s.Pos.Line, s.Pos.Col, s.Rule, s.Confidence, s.Key, s.Redacted)
			}
		}
	}
	for _, platform := range []string{"jenkins", "jenkins-parser-fixtures"} {
		dir := testutil.CorpusDir(t, platform)
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			for _, s := range ScanValue("", string(data), textpos.Verbatim(string(data), 1, 1)) {
				total++
				t.Logf("%s/%s:%d:%d: text %s %s %s %s", platform, rel, s.Pos.Line, s.Pos.Col, s.Rule, s.Confidence, s.Provider, s.Redacted)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s: %v", dir, err)
		}
	}
	t.Logf("%d findings", total)
}

func BenchmarkScanCorpus(b *testing.B) {
	values := loadCorpusValues(b, testutil.CorpusDir(b, "github"))
	maps := make([]*textpos.Map, len(values))
	var size int64
	for i, v := range values {
		maps[i] = textpos.Verbatim(v.value, v.line, v.col)
		size += int64(len(v.value))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for i, v := range values {
			ScanValue(v.key, v.value, maps[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(values)), "ns/value")
	b.ReportMetric(float64(len(values)), "values")
}
