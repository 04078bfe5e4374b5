package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/pipeguard/pipeguard/internal/fileread"
)

// A baseline file records the findings a repository already has, so that it can adopt
// pipeguard and fail only on new ones. It holds each finding's fingerprint and, for the
// people who read it, its rule, file (relative to the repository root), job and step —
// never a message, evidence or anything else that could quote a secret.

// BaselineVersion is the version of the baseline file's shape.
const BaselineVersion = 1

// maxBaselineSize bounds the baseline file read.
const maxBaselineSize = 64 << 20

// BaselineEntry is one recorded finding.
type BaselineEntry struct {
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Job         string `json:"job,omitempty"`
	Step        string `json:"step,omitempty"`
	Fingerprint string `json:"fingerprint"`
}

// Baseline is a set of known findings, by fingerprint.
type Baseline struct {
	entries map[string]BaselineEntry
}

// baselineFile is the JSON shape of a baseline file.
type baselineFile struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []BaselineEntry `json:"findings"`
}

// NewBaseline returns a baseline of entries.
func NewBaseline(entries []BaselineEntry) *Baseline {
	b := &Baseline{entries: make(map[string]BaselineEntry, len(entries))}
	for _, e := range entries {
		b.entries[e.Fingerprint] = e
	}
	return b
}

// Contains reports whether a finding with fingerprint is in the baseline.
func (b *Baseline) Contains(fingerprint string) bool {
	_, ok := b.entries[fingerprint]
	return ok
}

// Len returns the number of findings in the baseline.
func (b *Baseline) Len() int { return len(b.entries) }

// ReadBaseline reads a baseline file.
func ReadBaseline(path string) (*Baseline, error) {
	data, err := fileread.Read(path, maxBaselineSize)
	if errors.Is(err, fileread.ErrTooLarge) {
		return nil, fmt.Errorf("read baseline %s: larger than %d bytes", path, maxBaselineSize)
	}
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	var doc baselineFile
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read baseline %s: not a pipeguard baseline: %w", path, err)
	}
	if doc.Version != BaselineVersion {
		return nil, fmt.Errorf("read baseline %s: version %d, want %d (write it again with --write-baseline)", path, doc.Version, BaselineVersion)
	}
	for i, e := range doc.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("read baseline %s: finding %d has no fingerprint", path, i+1)
		}
	}
	return NewBaseline(doc.Findings), nil
}

// WriteBaseline writes entries as a baseline file, sorted by file, rule and fingerprint
// so that it diffs well.
func WriteBaseline(path string, entries []BaselineEntry) error {
	sorted := append([]BaselineEntry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Fingerprint < b.Fingerprint
	})
	if sorted == nil {
		sorted = []BaselineEntry{}
	}
	data, err := json.MarshalIndent(baselineFile{Version: BaselineVersion, Tool: "pipeguard", Findings: sorted}, "", "  ")
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}
