package model

// Severities, from the most to the least severe.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
	SeverityInfo     = "info"
)

// SeverityRank orders severities: a higher rank is more severe. Unknown names rank 0.
func SeverityRank(s string) int {
	switch s {
	case SeverityCritical:
		return 5
	case SeverityHigh:
		return 4
	case SeverityMedium:
		return 3
	case SeverityLow:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Severities lists every severity, most severe first.
var Severities = []string{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

// Finding is one reported problem. Reporters format Findings; they never see the engine.
type Finding struct {
	Rule       string `json:"rule"`
	Severity   string `json:"severity"`
	Confidence string `json:"confidence"`
	Category   string `json:"category"`
	Message    string `json:"message"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	EndLine    int    `json:"end_line"`
	EndColumn  int    `json:"end_column"`
	Platform   string `json:"platform"`
	Job        string `json:"job,omitempty"`
	Step       string `json:"step,omitempty"`
	// Fingerprint identifies the finding across unrelated edits of the file: it hashes
	// the rule, the file, the job and step ids and the normalized evidence, not the line.
	Fingerprint string `json:"fingerprint"`
	// Evidence is the normalized, already redacted text the finding is about.
	Evidence string `json:"evidence,omitempty"`
}

// Pos returns the finding's span as a Pos.
func (f Finding) Pos() Pos {
	return Pos{Line: f.Line, Col: f.Column, EndLine: f.EndLine, EndCol: f.EndColumn}
}
