package github

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// corpusFile is one YAML file of the GitHub corpus, named by its slash-separated path
// inside the corpus directory (`owner__repo/.github/workflows/ci.yml`).
type corpusFile struct {
	name string
	data []byte
}

// corpusFiles returns every YAML file of the GitHub corpus, sorted by name.
func corpusFiles(tb testing.TB) []corpusFile {
	tb.Helper()
	dir := testutil.CorpusDir(tb, "github")
	var files []corpusFile
	for _, f := range testutil.CorpusYAML(tb, "github") {
		rel, err := filepath.Rel(dir, f.Path)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, corpusFile{name: filepath.ToSlash(rel), data: f.Data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files
}

// TestCorpus parses every real GitHub workflow and action file: none may panic, every
// position must lie inside its file, and the counts of what was found are logged.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	failed, jobs, steps := 0, 0, 0
	for _, f := range files {
		p := Parse(parse.Input{Path: f.name, Data: f.data})
		testutil.CheckPositions(t, p, f.data)
		for _, e := range p.ParseErrors {
			if !e.Partial {
				failed++
				t.Logf("failed: %s: %s at %s", f.name, e.Message, e.Pos)
			}
		}
		for _, j := range p.Jobs {
			jobs++
			steps += len(j.Steps)
		}
	}
	t.Logf("%d files (%d failed), %d jobs, %d steps", len(files), failed, jobs, steps)
}

// BenchmarkParseCorpus parses the whole GitHub corpus once per iteration.
func BenchmarkParseCorpus(b *testing.B) {
	files := corpusFiles(b)
	var size int64
	for _, f := range files {
		size += int64(len(f.data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			Parse(parse.Input{Path: f.name, Data: f.data})
		}
	}
}
