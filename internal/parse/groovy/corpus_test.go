package groovy

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/testutil"
)

// corpusFiles returns the files under dir, skipping the corpus' own metadata files.
func corpusFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(path, ".tsv") || strings.HasSuffix(path, ".md") {
			return nil
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		tb.Fatalf("walk %s: %v", dir, err)
	}
	return files
}

// TestCorpus parses every real Jenkinsfile and Jenkins plugin fixture. It fails when a
// parse breaks the invariants or when fewer than 99% of the real pipelines parse
// without an error.
func TestCorpus(t *testing.T) {
	for _, set := range []struct {
		name    string
		minRate float64
	}{
		{"jenkins", 0.99},
		{"jenkins-parser-fixtures", 0},
	} {
		t.Run(set.name, func(t *testing.T) {
			dir := testutil.CorpusDir(t, set.name)
			files := corpusFiles(t, dir)
			failed := 0
			for _, path := range files {
				src, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("read %s: %v", path, err)
				}
				f, errs := Parse(src)
				checkInvariants(t, path, src, f, errs)
				if len(errs) > 0 {
					failed++
					rel, _ := filepath.Rel(dir, path)
					t.Logf("%s: %d errors, first %s", rel, len(errs), errs[0])
				}
			}
			ok := len(files) - failed
			rate := float64(ok) / float64(len(files))
			t.Logf("%s: %d/%d files parse without errors (%.1f%%)", set.name, ok, len(files), 100*rate)
			if rate < set.minRate {
				t.Errorf("%s: success rate %.3f below %.2f", set.name, rate, set.minRate)
			}
		})
	}
}
