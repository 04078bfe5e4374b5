package scan

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
)

// Filter stages, in the order they run. A finding held back by one stage is counted
// there and seen by no later stage.
const (
	// StageDisabled holds back the findings of disabled rules (configuration).
	StageDisabled = "disabled-rule"
	// StageSeverity changes a rule's findings to the configured severity; it holds
	// nothing back.
	StageSeverity = "severity-remap"
	// StagePathIgnore holds back findings in ignored paths (configuration globs, for
	// every rule or per rule; see config.Glob).
	StagePathIgnore = "path-ignore"
	// StageInlineIgnore holds back findings acknowledged by a `pipeguard: ignore[rule]`
	// comment in the scanned file.
	StageInlineIgnore = "inline-ignore"
	// StageBaseline holds back findings recorded in the baseline file.
	StageBaseline = "baseline"
	// StagePersona holds back findings meant for a more thorough persona
	// (pedantic, auditor) than the one asked for.
	StagePersona = "persona"
	// StageMinSeverity holds back findings below --min-severity.
	StageMinSeverity = "min-severity"
)

// Stages lists the filter stages in the order they run; --fail-on is judged after the
// last one, on what remains.
var Stages = []string{StageDisabled, StageSeverity, StagePathIgnore, StageInlineIgnore, StageBaseline, StagePersona, StageMinSeverity}

// Filter says which findings a scan keeps and when it fails.
type Filter struct {
	// DisabledRules are rule ids whose findings are dropped.
	DisabledRules []string
	// Severities maps a rule id to the severity its findings get.
	Severities map[string]string
	// IgnorePaths are path patterns whose findings are dropped.
	IgnorePaths []PathIgnore
	// PathBase is the directory IgnorePaths are relative to (the configuration file's);
	// a finding's file is matched by its path relative to it, and a file outside it never
	// matches. Empty, the patterns match reported paths as they are.
	PathBase string
	// InlineIgnore says whether a comment in a finding's file acknowledges it, and
	// which; nil honours none. The scan fills it from the scanned files.
	InlineIgnore func(model.Finding) (Acknowledgement, bool)
	// Baseline decides whether a finding was already known; nil knows none.
	Baseline func(model.Finding) bool
	// Persona is the most thorough persona whose findings are shown (regular if empty).
	Persona string
	// MinSeverity is the least severity shown (info if empty).
	MinSeverity string
	// FailOn is the least severity that makes the scan fail (low if empty).
	FailOn string
}

// Acknowledgement is the inline-ignore comment that holds a finding back.
type Acknowledgement struct {
	// Reason is the text after the comment's rule list.
	Reason string
	// At is the comment's position, with its file.
	At model.Pos
}

// PathIgnore ignores the findings of Rule ("" for every rule) in paths matching Glob.
type PathIgnore struct {
	Rule string
	Glob config.Glob
}

// apply runs the stages over findings and fills res.Findings, res.Suppressed and
// res.Failing.
func (f Filter) apply(findings []engine.Evaluated, res *Result) {
	persona := model.PersonaRank(firstNonEmpty(f.Persona, model.PersonaRegular))
	minSeverity := model.SeverityRank(firstNonEmpty(f.MinSeverity, model.SeverityInfo))
	failOn := model.SeverityRank(firstNonEmpty(f.FailOn, model.SeverityLow))
	for _, ev := range findings {
		stage, ack := f.stage(&ev, persona, minSeverity)
		if stage != "" {
			res.Suppressed = append(res.Suppressed, Suppressed{Finding: ev.Finding, Stage: stage, Acknowledgement: ack})
			continue
		}
		res.Findings = append(res.Findings, ev.Finding)
		if model.SeverityRank(ev.Severity) >= failOn {
			res.Failing = true
		}
	}
}

// stage returns the stage that holds ev back, or "" to keep it, and the comment that
// acknowledged it; it applies severity remaps to ev on the way.
func (f Filter) stage(ev *engine.Evaluated, persona, minSeverity int) (string, Acknowledgement) {
	if slices.Contains(f.DisabledRules, ev.Rule) {
		return StageDisabled, Acknowledgement{}
	}
	if sev, ok := f.Severities[ev.Rule]; ok {
		ev.Severity = sev
	}
	if f.ignoredPath(ev.Finding) {
		return StagePathIgnore, Acknowledgement{}
	}
	if f.InlineIgnore != nil {
		if ack, ok := f.InlineIgnore(ev.Finding); ok {
			return StageInlineIgnore, ack
		}
	}
	switch {
	case f.Baseline != nil && f.Baseline(ev.Finding):
		return StageBaseline, Acknowledgement{}
	case model.PersonaRank(ev.Persona) > persona:
		return StagePersona, Acknowledgement{}
	case model.SeverityRank(ev.Severity) < minSeverity:
		return StageMinSeverity, Acknowledgement{}
	}
	return "", Acknowledgement{}
}

func (f Filter) ignoredPath(fi model.Finding) bool {
	if len(f.IgnorePaths) == 0 {
		return false
	}
	p := fi.File
	if f.PathBase != "" {
		abs, err := filepath.Abs(filepath.FromSlash(fi.File))
		if err != nil {
			return false
		}
		rel, err := filepath.Rel(f.PathBase, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return false
		}
		p = filepath.ToSlash(rel)
	}
	for _, ig := range f.IgnorePaths {
		if (ig.Rule == "" || ig.Rule == fi.Rule) && ig.Glob.Match(p) {
			return true
		}
	}
	return false
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
