// Package report writes findings in one of pipeguard's output formats: text, json, sarif,
// github (workflow commands) and gitlab (Code Quality). Reporters see findings and rule
// metadata only, never the engine or the parsers.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Formats lists the supported output formats.
var Formats = []string{"text", "json", "sarif", "github", "gitlab"}

// Report is everything a reporter may print.
type Report struct {
	ToolVersion string
	// Rules are every loaded rule, for SARIF's driver.rules and help lines.
	Rules []model.Rule
	// Findings are sorted by file, line, column and rule.
	Findings []model.Finding
	// Errors are files that could not be read at all (I/O errors) and rules that failed
	// on a file; unparsable files are parse-error findings instead.
	Errors []FileError
	// Files is the number of files scanned.
	Files int
	// Locations gives the repository-relative path of each finding's file, by reported
	// path; a file it does not know is at its reported path.
	Locations map[string]Location
	// Suppressed are the findings the filter held back, for the summary's counts and
	// SARIF's suppressed results.
	Suppressed []Suppressed
	// Skipped are files that looked like pipelines by their place but are not.
	Skipped []Skipped
}

// Suppressed is a finding the filter held back.
type Suppressed struct {
	model.Finding
	// Stage names the filter stage that held it back, as the summary prints it.
	Stage string
	// Kind is its SARIF suppression kind — "inSource" (a comment in the file),
	// "external" (a baseline) — or "" when it is not a SARIF result at all (a disabled
	// rule, an ignored path, a persona or severity below the one asked for).
	Kind string
	// Justification says why (an inline ignore's reason).
	Justification string
	// At is where the suppression is written (the comment's position, with its file);
	// zero when it is not in a scanned file.
	At model.Pos
}

// SARIF suppression kinds.
const (
	SuppressedInSource = "inSource"
	SuppressedExternal = "external"
)

// Skipped is a file that looked like a pipeline by its place but is not one.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Location is where a reported file is in its repository.
type Location struct {
	// Root is the repository's root directory, absolute; "" when the file has none
	// (standard input).
	Root string
	// Path is the file's path relative to Root, slash-separated (the reported path when
	// Root is "").
	Path string
}

// location returns the Location of a reported file.
func (r Report) location(file string) Location {
	if loc, ok := r.Locations[file]; ok {
		return loc
	}
	return Location{Path: file}
}

// FileError is a file that could not be read, or a rule that failed on a file.
type FileError struct {
	File string `json:"file"`
	// Rule is set when a rule failed on the file (a policy runtime error).
	Rule    string `json:"rule,omitempty"`
	Message string `json:"message"`
}

// Sources gives reporters the source lines to quote. Implementations must mask every
// secret the scan found on the lines they return.
type Sources interface {
	// Line returns line n (1-based) of file without its line end.
	Line(file string, n int) (string, bool)
}

// Options tune the text reporter.
type Options struct {
	// Color enables ANSI colours.
	Color   bool
	Sources Sources
}

// Write writes r in format to w.
func Write(w io.Writer, format string, r Report, opts Options) error {
	switch format {
	case "text":
		return writeText(w, r, opts)
	case "json":
		return writeJSON(w, r)
	case "sarif":
		return writeSARIF(w, r)
	case "github":
		return writeGitHub(w, r)
	case "gitlab":
		return writeGitLab(w, r)
	}
	return fmt.Errorf("unknown format %q (want one of %v)", format, Formats)
}

// countBySeverity counts findings per severity, with every severity present.
func countBySeverity(findings []model.Finding) map[string]int {
	counts := make(map[string]int, len(model.Severities))
	for _, s := range model.Severities {
		counts[s] = 0
	}
	for _, f := range findings {
		counts[f.Severity]++
	}
	return counts
}

// countByRule counts findings per rule.
func countByRule(findings []model.Finding) map[string]int {
	counts := map[string]int{}
	for _, f := range findings {
		counts[f.Rule]++
	}
	return counts
}

// countByStage counts held-back findings per filter stage.
func countByStage(suppressed []Suppressed) map[string]int {
	counts := map[string]int{}
	for _, s := range suppressed {
		counts[s.Stage]++
	}
	return counts
}

// ruleIndex maps rule ids to their metadata.
func ruleIndex(rules []model.Rule) map[string]model.Rule {
	idx := make(map[string]model.Rule, len(rules))
	for _, r := range rules {
		idx[r.ID] = r
	}
	return idx
}

// sortedRules returns the rules sorted by id.
func sortedRules(rules []model.Rule) []model.Rule {
	out := append([]model.Rule(nil), rules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Printable returns s with every control character but tab and newline replaced by a
// visible stand-in of the same width (U+2400's control pictures for C0 and DEL, U+FFFD
// for C1), so that text from a scanned file can never drive the terminal it is printed
// on (escape sequences, carriage returns that overwrite a line) and columns stay aligned.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !isControl(r):
			b.WriteRune(r)
		case r < 0x20:
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune(0x2421)
		default:
			b.WriteRune(unicode.ReplacementChar)
		}
	}
	return b.String()
}

// isControl reports whether r is a control character other than tab and newline.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0)
}
