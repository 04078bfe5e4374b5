// Package testutil holds helpers shared by pipeguard's tests.
package testutil

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// RepoRoot returns the directory that holds go.mod, found by walking up from the current
// directory (a package directory while tests run).
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("no go.mod above the test directory")
		}
		dir = parent
	}
}

// CorpusDir returns the real-world corpus directory (sub joined to it), or skips the
// test when the corpus is absent. The corpus lives beside the checkout in ../shared/corpus
// and is not part of a user's clone; PIPEGUARD_CORPUS overrides its location.
func CorpusDir(tb testing.TB, sub string) string {
	tb.Helper()
	root := os.Getenv("PIPEGUARD_CORPUS")
	if root == "" {
		root = filepath.Join(RepoRoot(tb), "..", "shared", "corpus")
	}
	dir := filepath.Join(root, sub)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("corpus not present at %s", dir)
	}
	return dir
}

// Update is the -update flag: tests with golden files rewrite them instead of comparing.
// It is defined here, in the package every test imports, so that `go test ./... -update`
// is accepted by every test binary.
var Update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// CorpusFile is one file of the corpus: its path on disk and its content.
type CorpusFile struct {
	Path string
	Data []byte
}

// CorpusYAML returns every .yml and .yaml file below the corpus directory sub, in walk
// order, or skips the test when the corpus is absent.
func CorpusYAML(tb testing.TB, sub string) []CorpusFile {
	tb.Helper()
	dir := CorpusDir(tb, sub)
	var files []CorpusFile
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (!strings.HasSuffix(path, ".yml") && !strings.HasSuffix(path, ".yaml")) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, CorpusFile{Path: path, Data: data})
		return nil
	})
	if err != nil {
		tb.Fatalf("walk corpus %s: %v", dir, err)
	}
	return files
}

// CheckPositions fails the test when a parse error, job or step of p, or a script of
// one of its steps, has no position or one outside data (positions in other files, such
// as GitLab includes, are not checked). Fuzz targets of every parser use it.
func CheckPositions(tb testing.TB, p *model.Pipeline, data []byte) {
	tb.Helper()
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	// yaml.v3 also breaks lines at a lone carriage return.
	lines := strings.Count(text, "\n") + strings.Count(text, "\r") + 1
	check := func(what string, pos model.Pos) {
		tb.Helper()
		if pos.File != "" {
			return
		}
		if pos.Line < 1 || pos.Line > lines || pos.Col < 1 {
			tb.Fatalf("%s at %d:%d: outside the file of %d lines", what, pos.Line, pos.Col, lines)
		}
	}
	for _, e := range p.ParseErrors {
		check("parse error "+e.Message, e.Pos)
	}
	for _, j := range p.Jobs {
		check("job "+j.ID, j.Pos)
		for _, s := range j.Steps {
			check("step "+s.Name, s.Pos)
			if s.Run != nil && s.Run.Script.Value != "" {
				check("script of step "+s.Name, s.Run.Script.Pos)
			}
		}
	}
}

// Golden compares got with the golden file at path; with -update it writes got there
// first. The message names the file and how to refresh it.
func Golden(tb testing.TB, path, got string) {
	tb.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test with -update)", err)
	}
	if got != string(want) {
		tb.Errorf("output differs from %s (check it, then run go test with -update):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// WriteTree creates files (slash-separated path → content) below a new temporary
// directory and returns the directory.
func WriteTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
