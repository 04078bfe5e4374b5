package report

import (
	"encoding/json"
	"io"

	"github.com/pipeguard/pipeguard/internal/model"
)

// jsonVersion is the version of the JSON output shape; it changes only when a field is
// renamed or removed.
const jsonVersion = 1

type jsonReport struct {
	Version  int             `json:"version"`
	Tool     jsonTool        `json:"tool"`
	Findings []model.Finding `json:"findings"`
	Errors   []FileError     `json:"errors"`
	// Skipped are files that looked like pipelines by their place but are not.
	Skipped []Skipped   `json:"skipped"`
	Summary jsonSummary `json:"summary"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSummary struct {
	Files      int            `json:"files"`
	Findings   int            `json:"findings"`
	BySeverity map[string]int `json:"by_severity"`
	ByRule     map[string]int `json:"by_rule"`
	// Suppressed counts the findings held back, by filter stage.
	Suppressed map[string]int `json:"suppressed"`
	Skipped    int            `json:"skipped"`
}

func writeJSON(w io.Writer, r Report) error {
	out := jsonReport{
		Version:  jsonVersion,
		Tool:     jsonTool{Name: "pipeguard", Version: r.ToolVersion},
		Findings: r.Findings,
		Errors:   r.Errors,
		Skipped:  r.Skipped,
		Summary: jsonSummary{Files: r.Files, Findings: len(r.Findings), BySeverity: countBySeverity(r.Findings),
			ByRule: countByRule(r.Findings), Suppressed: countByStage(r.Suppressed), Skipped: len(r.Skipped)},
	}
	if out.Skipped == nil {
		out.Skipped = []Skipped{}
	}
	if out.Findings == nil {
		out.Findings = []model.Finding{}
	}
	if out.Errors == nil {
		out.Errors = []FileError{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
