package scan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

const repeatedAgent = `on: push
jobs:
  fix:
    runs-on: self-hosted
    steps:
      - run: |
          codex exec --ephemeral --yolo "one"
          codex exec --ephemeral --yolo "two"
          codex exec --ephemeral --yolo "three"
`

// baselineOf returns a Baseline hook that knows the fingerprints of res's findings.
func baselineOf(res *Result) func(model.Finding) bool {
	known := map[string]bool{}
	for _, f := range res.Findings {
		known[f.Fingerprint] = true
	}
	return func(f model.Finding) bool { return known[f.Fingerprint] }
}

func TestFingerprintsAreUniqueAndSurviveMovedLines(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{".git/HEAD": "x\n", ".github/workflows/fix.yml": repeatedAgent})
	first := scanTree(t, dir, Options{})
	if len(first.Findings) != 3 {
		t.Fatalf("findings %+v, want the three codex runs", first.Findings)
	}
	seen := map[string]bool{}
	for _, f := range first.Findings {
		if seen[f.Fingerprint] {
			t.Fatalf("fingerprint %s is not unique: %+v", f.Fingerprint, first.Findings)
		}
		seen[f.Fingerprint] = true
	}
	// Unrelated lines above every finding: the baseline still holds all three back.
	workflow := filepath.Join(dir, ".github", "workflows", "fix.yml")
	moved := strings.Replace(repeatedAgent, "on: push\n", "# a comment\nname: fix\non: push\nenv:\n  A: b\n", 1)
	if err := os.WriteFile(workflow, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	again := scanTree(t, dir, Options{Filter: Filter{Baseline: baselineOf(first)}})
	if len(again.Findings) != 0 {
		t.Errorf("after moving lines the baseline lets through %+v", again.Findings)
	}
	baselined := 0
	for _, s := range again.Suppressed {
		if s.Stage == StageBaseline {
			baselined++
		}
	}
	if baselined != 3 {
		t.Errorf("%d findings baselined, want 3", baselined)
	}
	// A new problem is caught.
	withNew := strings.Replace(moved, `codex exec --ephemeral --yolo "three"`, `codex exec --ephemeral --yolo "three"`+"\n          claude -p x --dangerously-skip-permissions --no-session-persistence", 1)
	if err := os.WriteFile(workflow, []byte(withNew), 0o644); err != nil {
		t.Fatal(err)
	}
	caught := scanTree(t, dir, Options{Filter: Filter{Baseline: baselineOf(first)}})
	if len(caught.Findings) != 1 || !strings.Contains(caught.Findings[0].Message, "Claude Code") || caught.Findings[0].Line != 14 {
		t.Errorf("new findings %+v, want the Claude Code run on line 14", caught.Findings)
	}
}

func TestFingerprintsDoNotDependOnTheWorkingDirectory(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{".git/HEAD": "x\n", "sub/.github/workflows/fix.yml": repeatedAgent})
	fromRoot := scanTree(t, dir, Options{})
	t.Chdir(filepath.Join(dir, "sub", ".github"))
	res, err := New(builtinEngine(t), Options{Filter: Filter{Persona: model.PersonaPedantic}}).Scan(t.Context(), []string{"workflows"})
	if err != nil {
		t.Fatal(err)
	}
	var a, b []string
	for _, f := range fromRoot.Findings {
		a = append(a, f.Fingerprint)
	}
	for _, f := range res.Findings {
		b = append(b, f.Fingerprint)
		if f.File != "workflows/fix.yml" || res.Locations[f.File].Path != "sub/.github/workflows/fix.yml" || res.Locations[f.File].Root != dir {
			t.Errorf("file %s at %+v", f.File, res.Locations[f.File])
		}
	}
	if len(a) != 3 || !slices.Equal(a, b) {
		t.Errorf("fingerprints from the root %v, from a subdirectory %v", a, b)
	}
}
