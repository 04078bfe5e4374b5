package report

import (
	"encoding/json"
	"io"
)

// codeQualityIssue is one entry of GitLab's Code Quality report.
type codeQualityIssue struct {
	Description string              `json:"description"`
	CheckName   string              `json:"check_name"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

// codeQualitySeverity maps pipeguard severities to GitLab's names.
var codeQualitySeverity = map[string]string{
	"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info",
}

// writeGitLab writes a GitLab Code Quality report for the merge-request widget: paths
// relative to the repository root, fingerprints unique in the report (the scan's).
func writeGitLab(w io.Writer, r Report) error {
	issues := make([]codeQualityIssue, 0, len(r.Findings))
	for _, f := range r.Findings {
		issues = append(issues, codeQualityIssue{
			Description: f.Rule + ": " + f.Message,
			CheckName:   f.Rule,
			Fingerprint: f.Fingerprint,
			Severity:    codeQualitySeverity[f.Severity],
			Location:    codeQualityLocation{Path: r.location(f.File).Path, Lines: codeQualityLines{Begin: f.Line}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}
