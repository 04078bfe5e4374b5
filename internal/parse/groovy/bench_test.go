package groovy

import (
	"os"
	"testing"

	"github.com/pipeguard/pipeguard/internal/testutil"
)

// BenchmarkParseCorpus parses every file of corpus/jenkins per iteration; with
// SetBytes the result reads as MB/s.
func BenchmarkParseCorpus(b *testing.B) {
	dir := testutil.CorpusDir(b, "jenkins")
	var sources [][]byte
	total := 0
	for _, path := range corpusFiles(b, dir) {
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatalf("read %s: %v", path, err)
		}
		sources = append(sources, src)
		total += len(src)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	for b.Loop() {
		for _, src := range sources {
			Parse(src)
		}
	}
}
