package circleci

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// corpusFiles returns every YAML file of the CircleCI corpus, with its content, keyed
// by its slash-separated path inside the corpus directory.
func corpusFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	dir := testutil.CorpusDir(tb, "circleci")
	files := map[string][]byte{}
	for _, f := range testutil.CorpusYAML(tb, "circleci") {
		rel, err := filepath.Rel(dir, f.Path)
		if err != nil {
			tb.Fatal(err)
		}
		files[filepath.ToSlash(rel)] = f.Data
	}
	return files
}

// classify says whether a parsed file resolved fully, partially or failed, and why.
func classify(p *model.Pipeline) (status string, reasons []string) {
	kinds := map[string]bool{}
	for _, e := range p.ParseErrors {
		if !e.Partial {
			reasons = append(reasons, "parse error: "+e.Message)
		}
		kinds["partial parse error: "+e.Message] = e.Partial
	}
	if len(reasons) > 0 {
		return "failed", reasons
	}
	for _, u := range p.Unresolved {
		kinds["unresolved "+u.Kind] = true
	}
	for _, j := range p.Jobs {
		if j.Incomplete {
			kinds["incomplete job: "+incompleteReason(j)] = true
		}
	}
	for k, ok := range kinds {
		if ok {
			reasons = append(reasons, k)
		}
	}
	sort.Strings(reasons)
	if len(reasons) > 0 {
		return "partial", reasons
	}
	return "full", nil
}

// incompleteReason names what a job could not see.
func incompleteReason(j model.Job) string {
	if j.Runner.Kind == model.RunnerUnknown && len(j.Steps) == 1 && j.Steps[0].Kind == model.StepOrb {
		return "orb job"
	}
	for _, s := range j.Steps {
		if s.Kind == model.StepOrb {
			return "orb steps"
		}
	}
	if j.Runner.Kind == model.RunnerUnknown {
		return "orb or unknown executor"
	}
	return "other"
}

// TestCorpus parses every real CircleCI file: none may panic, every job needs an ID and
// a runner kind, and the counts of full, partial and failed files are logged.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	counts := map[string]int{}
	reasonCounts := map[string]int{}
	jobs, steps := 0, 0
	for _, name := range names {
		p := Parse(parse.Input{Path: name, Data: files[name]})
		status, reasons := classify(p)
		counts[status]++
		for _, r := range reasons {
			reasonCounts[status+": "+r]++
		}
		if status == "failed" {
			t.Logf("failed: %s: %v", name, reasons)
		}
		for _, j := range p.Jobs {
			jobs++
			steps += len(j.Steps)
			if j.ID == "" || j.Runner.Kind == "" || j.Runner.Isolation == "" {
				t.Errorf("%s: job %q has no ID or runner: %+v", name, j.ID, j.Runner)
			}
		}
	}
	t.Logf("%d files: %d full, %d partial, %d failed; %d jobs, %d steps", len(names), counts["full"], counts["partial"], counts["failed"], jobs, steps)
	reasons := make([]string, 0, len(reasonCounts))
	for r := range reasonCounts {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("  %3d × %s", reasonCounts[r], r)
	}
}

// BenchmarkParseCorpus parses the whole CircleCI corpus once per iteration.
func BenchmarkParseCorpus(b *testing.B) {
	files := corpusFiles(b)
	var size int64
	for _, data := range files {
		size += int64(len(data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for name, data := range files {
			Parse(parse.Input{Path: name, Data: data})
		}
	}
}
