package engine

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

func TestFingerprint(t *testing.T) {
	base := model.Finding{Rule: "r", File: "x/.github/workflows/a.yml", Job: "j", Step: "s", Evidence: "codex --yolo", Message: "m", Line: 3}
	same := map[string]func(f *model.Finding){
		"another line":           func(f *model.Finding) { f.Line, f.Column = 30, 7 },
		"another message":        func(f *model.Finding) { f.Message = "other" },
		"evidence white space":   func(f *model.Finding) { f.Evidence = " codex\t --yolo " },
		"another reported path":  func(f *model.Finding) { f.File = "../x/.github/workflows/a.yml" },
		"another severity level": func(f *model.Finding) { f.Severity = "high" },
	}
	for name, change := range same {
		f := base
		change(&f)
		if Fingerprint(f, "a.yml") != Fingerprint(base, "a.yml") {
			t.Errorf("%s changed the fingerprint", name)
		}
	}
	differs := map[string]func(f *model.Finding){
		"rule":     func(f *model.Finding) { f.Rule = "q" },
		"job":      func(f *model.Finding) { f.Job = "k" },
		"step":     func(f *model.Finding) { f.Step = "t" },
		"evidence": func(f *model.Finding) { f.Evidence = "codex --full-auto" },
	}
	for name, change := range differs {
		f := base
		change(&f)
		if Fingerprint(f, "a.yml") == Fingerprint(base, "a.yml") {
			t.Errorf("the fingerprint ignores the %s", name)
		}
	}
	if Fingerprint(base, "a.yml") == Fingerprint(base, "b.yml") {
		t.Error("the fingerprint ignores the path")
	}
	noEvidence := base
	noEvidence.Evidence = ""
	other := noEvidence
	other.Message = "other"
	if Fingerprint(noEvidence, "a.yml") == Fingerprint(other, "a.yml") {
		t.Error("without evidence, the fingerprint ignores the message")
	}
}

func TestAssignFingerprintsIsUniqueAndStable(t *testing.T) {
	at := func(line int, evidence string) Evaluated {
		return Evaluated{Finding: model.Finding{Rule: "r", File: "a.yml", Evidence: evidence, Line: line, Column: 1}}
	}
	identity := func(file string) string { return file }
	first := []Evaluated{at(3, "x"), at(5, "x"), at(8, "y"), at(9, "x")}
	AssignFingerprints(first, identity)
	seen := map[string]bool{}
	for _, f := range first {
		if seen[f.Fingerprint] {
			t.Fatalf("fingerprint %s appears twice: %+v", f.Fingerprint, first)
		}
		seen[f.Fingerprint] = true
	}
	if first[0].Fingerprint != Fingerprint(first[0].Finding, "a.yml") {
		t.Error("the first occurrence does not keep the plain fingerprint")
	}
	// Ten lines inserted above every finding: the same fingerprints, in the same order.
	moved := []Evaluated{at(13, "x"), at(15, "x"), at(18, "y"), at(19, "x")}
	AssignFingerprints(moved, identity)
	for i := range first {
		if moved[i].Fingerprint != first[i].Fingerprint {
			t.Errorf("finding %d: fingerprint %s after moving lines, was %s", i, moved[i].Fingerprint, first[i].Fingerprint)
		}
	}
	// The path function decides the hashed path, not the reported file.
	rebased := []Evaluated{at(3, "x")}
	AssignFingerprints(rebased, func(string) string { return "repo/a.yml" })
	if rebased[0].Fingerprint != Fingerprint(rebased[0].Finding, "repo/a.yml") {
		t.Error("AssignFingerprints does not hash the path it is given")
	}
}
