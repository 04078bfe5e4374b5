package cli

import (
	"path/filepath"
	"testing"

	"github.com/pipeguard/pipeguard/internal/testutil"
)

// TestFixturePersonas checks, for fixtures whose findings a persona hides, how many of
// the rule's findings each persona sees: the fixture tests run at the auditor persona.
func TestFixturePersonas(t *testing.T) {
	tests := []struct {
		rule, fixture string
		want          map[string]int // persona → findings of the rule
	}{
		// Author-controlled GitHub inputs and jobs that a guard keeps outsiders from:
		// nothing an outsider can reach, so nothing at the regular persona.
		{"untrusted-input-injection", "github-positive-author-and-guarded", map[string]int{"regular": 0, "pedantic": 6}},
		// GitLab inputs are reported at the regular persona (medium).
		{"untrusted-input-injection", "gitlab-positive-inputs", map[string]int{"regular": 2, "pedantic": 2}},
	}
	for _, tt := range tests {
		dir := filepath.Join(testutil.RepoRoot(t), "testdata", "rules", tt.rule, tt.fixture)
		for persona, want := range tt.want {
			findings, res := jsonFindings(t, "--no-config", "--persona", persona, "--exit-zero", dir)
			if res.code != ExitOK {
				t.Fatalf("%s at %s: exit %d: %s", tt.fixture, persona, res.code, res.stderr)
			}
			got := 0
			for _, f := range findings {
				if f.Rule == tt.rule {
					got++
				}
			}
			if got != want {
				t.Errorf("%s at the %s persona: %d findings of %s, want %d", tt.fixture, persona, got, tt.rule, want)
			}
		}
	}
}
