package github

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
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
// position must lie inside its file, conditions must parse, and the counts of what was
// found (guards, checkouts, artifacts) are logged, with every checkout of pull request
// code listed.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	failed, jobs, steps, conditions, always, artifacts := 0, 0, 0, 0, 0, 0
	guards, checkouts := map[string]int{}, map[string]int{}
	for _, f := range files {
		p := Parse(parse.Input{Path: f.name, Data: f.data})
		testutil.CheckPositions(t, p, f.data)
		for _, e := range p.ParseErrors {
			switch {
			case !e.Partial:
				failed++
				t.Logf("failed: %s: %s at %s", f.name, e.Message, e.Pos)
			case strings.HasPrefix(e.Message, "expression not fully analysed"):
				t.Errorf("%s:%s: %s", f.name, e.Pos, e.Message)
			}
		}
		for _, j := range p.Jobs {
			jobs++
			steps += len(j.Steps)
			artifacts += len(j.Artifacts)
			if j.Condition != nil {
				conditions++
			}
			for _, g := range j.Guards {
				guards[g.Kind]++
			}
			for _, s := range j.Steps {
				if s.Condition != nil {
					conditions++
				}
				if s.Always {
					always++
				}
				for _, c := range s.Checkouts {
					checkouts[c.Target]++
					if c.Target == model.CheckoutPullRequest {
						t.Logf("pull-request checkout: %s:%s (%s)", f.name, c.Pos, c.Reason)
					}
				}
			}
		}
	}
	t.Logf("%d files (%d failed), %d jobs, %d steps, %d conditions (%d steps always run), %d artifacts",
		len(files), failed, jobs, steps, conditions, always, artifacts)
	t.Logf("guards by kind: %v", guards)
	t.Logf("checkouts by target: %v", checkouts)
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
