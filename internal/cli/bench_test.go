package cli

import (
	"bytes"
	"io"
	"testing"

	"github.com/pipeguard/pipeguard/internal/testutil"
)

// BenchmarkScanCorpus runs a whole scan (discovery, parsing, evaluation, JSON report)
// of each platform's corpus directory, in process. It skips without the corpus.
func BenchmarkScanCorpus(b *testing.B) {
	for _, platform := range []string{"github", "gitlab", "circleci", "jenkins"} {
		b.Run(platform, func(b *testing.B) {
			dir := testutil.CorpusDir(b, platform)
			for b.Loop() {
				var stderr bytes.Buffer
				code := Run([]string{"scan", "--format", "json", "--exit-zero", dir}, Env{Stdout: io.Discard, Stderr: &stderr})
				if code != ExitOK {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
			}
		})
	}
}
