package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBaselineRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "baseline.json")
	entries := []BaselineEntry{
		{Rule: "r", File: "b.yml", Fingerprint: "2"},
		{Rule: "r", File: "a.yml", Job: "j", Step: "#1", Fingerprint: "1"},
	}
	if err := WriteBaseline(p, entries); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "tool": "pipeguard",
  "findings": [
    {
      "rule": "r",
      "file": "a.yml",
      "job": "j",
      "step": "#1",
      "fingerprint": "1"
    },
    {
      "rule": "r",
      "file": "b.yml",
      "fingerprint": "2"
    }
  ]
}
`
	if string(data) != want {
		t.Errorf("baseline file:\n%s\nwant:\n%s", data, want)
	}
	b, err := ReadBaseline(p)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 2 || !b.Contains("1") || !b.Contains("2") || b.Contains("3") {
		t.Errorf("baseline %+v", b)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	for content, want := range map[string]string{
		"not json":                                   "not a pipeguard baseline",
		`{"version": 2, "findings": []}`:             "version 2, want 1",
		`{"version": 1, "findings": [{"rule":"r"}]}`: "finding 1 has no fingerprint",
	} {
		p := filepath.Join(dir, "b.json")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadBaseline(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", content, err, want)
		}
	}
	if _, err := ReadBaseline(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing baseline was read")
	}
}
