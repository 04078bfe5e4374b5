package gitlab

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// corpusFile is one corpus file with the repository folder it belongs to.
type corpusFile struct {
	repoDir, repoPath string
}

// corpusFiles lists every file of the GitLab corpus.
func corpusFiles(tb testing.TB) []corpusFile {
	tb.Helper()
	dir := testutil.CorpusDir(tb, "gitlab")
	repos, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatalf("read corpus: %v", err)
	}
	var out []corpusFile
	for _, repo := range repos {
		if !repo.IsDir() {
			continue
		}
		repoDir := filepath.Join(dir, repo.Name())
		err := fs.WalkDir(os.DirFS(repoDir), ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, corpusFile{repoDir: repoDir, repoPath: name})
			}
			return err
		})
		if err != nil {
			tb.Fatalf("walk %s: %v", repoDir, err)
		}
	}
	return out
}

// parseCorpusFile parses one corpus file as a pipeline root.
func parseCorpusFile(tb testing.TB, cf corpusFile) *model.Pipeline {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(cf.repoDir, cf.repoPath))
	if err != nil {
		tb.Fatalf("read: %v", err)
	}
	prefix := filepath.Base(cf.repoDir) + "/"
	return Parse(parse.Input{
		Path: prefix + cf.repoPath, Data: data, Repo: os.DirFS(cf.repoDir),
		RepoPath: cf.repoPath, ReportPrefix: prefix,
	})
}

// TestCorpus parses every corpus file as a root and reports how many resolve fully,
// partially (with the reasons) and not at all.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	full, partial, failed := 0, 0, 0
	reasons := map[string]int{}
	jobs, scriptErrors := 0, 0
	var facts corpusFacts
	for _, cf := range files {
		p := parseCorpusFile(t, cf)
		jobs += len(p.Jobs)
		facts.add(p)
		fatal := 0
		for _, e := range p.ParseErrors {
			if e.Partial {
				scriptErrors++
				continue
			}
			fatal++
			t.Logf("failed %s: %s at %s", p.File, e.Message, e.Pos)
		}
		switch {
		case fatal > 0:
			failed++
		case len(p.Unresolved) > 0:
			partial++
			for _, u := range p.Unresolved {
				reason := u.Kind
				switch u.Kind {
				case "include":
					reason += " " + strings.SplitN(u.Name, ":", 2)[0] + " (" + u.Reason + ")"
				default:
					reason += " " + u.Name
				}
				reasons[reason]++
			}
		default:
			full++
		}
	}
	var lines []string
	for r, n := range reasons {
		lines = append(lines, fmt.Sprintf("%s: %d", r, n))
	}
	sort.Strings(lines)
	t.Logf("corpus: %d files, %d jobs: %d full, %d partial, %d failed; %d script syntax errors", len(files), jobs, full, partial, failed, scriptErrors)
	for _, l := range lines {
		t.Logf("  partial reason %s", l)
	}
	t.Logf("facts: %d conditions (%d invalid, %d reads), guards %v, %d artifacts (%d with expire_in, %d reports-only), %d parameters, %d runners with escapes",
		facts.conditions, facts.invalid, facts.reads, facts.guards, facts.artifacts, facts.expiring, facts.reportsOnly, facts.parameters, facts.escapes)
}

// corpusFacts counts the facts the parser finds in the corpus.
type corpusFacts struct {
	conditions, invalid, reads       int
	guards                           map[string]int
	artifacts, expiring, reportsOnly int
	parameters, escapes              int
}

func (c *corpusFacts) add(p *model.Pipeline) {
	if c.guards == nil {
		c.guards = map[string]int{}
	}
	c.parameters += len(p.Parameters)
	for _, j := range p.Jobs {
		if j.Condition != nil {
			c.conditions++
			c.reads += len(j.Condition.Reads)
			if j.Condition.Invalid != "" {
				c.invalid++
			}
		}
		for _, g := range j.Guards {
			c.guards[g.Kind]++
		}
		for _, a := range j.Artifacts {
			c.artifacts++
			if a.ExpireIn != nil {
				c.expiring++
			}
			if a.ReportsOnly {
				c.reportsOnly++
			}
		}
		if len(j.Runner.Escapes) > 0 {
			c.escapes++
		}
	}
}

// BenchmarkParseCorpus parses the whole GitLab corpus once per iteration.
func BenchmarkParseCorpus(b *testing.B) {
	files := corpusFiles(b)
	type input struct {
		cf   corpusFile
		data []byte
	}
	inputs := make([]input, 0, len(files))
	for _, cf := range files {
		data, err := os.ReadFile(filepath.Join(cf.repoDir, cf.repoPath))
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, input{cf, data})
	}
	b.ResetTimer()
	for b.Loop() {
		for _, in := range inputs {
			prefix := filepath.Base(in.cf.repoDir) + "/"
			Parse(parse.Input{
				Path: prefix + in.cf.repoPath, Data: in.data, Repo: os.DirFS(in.cf.repoDir),
				RepoPath: in.cf.repoPath, ReportPrefix: prefix,
			})
		}
	}
}
