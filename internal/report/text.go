package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
)

// ANSI colours per severity, used only when Options.Color is set.
var severityColor = map[string]string{
	"critical": "\x1b[1;31m", "high": "\x1b[31m", "medium": "\x1b[33m", "low": "\x1b[36m", "info": "\x1b[37m",
}

const (
	colorReset = "\x1b[0m"
	colorDim   = "\x1b[2m"
	colorBold  = "\x1b[1m"
)

// writeText writes findings for people: the location and message, the source line with
// a caret span under the finding, the rule's help after its first finding, and the
// summary (WriteSummary).
func writeText(w io.Writer, r Report, opts Options) error {
	tw := &textWriter{w: w, color: opts.Color}
	rules := ruleIndex(r.Rules)
	helped := map[string]bool{}
	for _, f := range r.Findings {
		tw.printf("%s%s:%d:%d:%s %s%s[%s]%s %s\n",
			tw.c(colorBold), oneLine(f.File), f.Line, f.Column, tw.c(colorReset),
			tw.c(severityColor[f.Severity]), f.Severity, oneLine(f.Rule), tw.c(colorReset), oneLine(f.Message))
		if opts.Sources != nil {
			if line, ok := opts.Sources.Line(f.File, f.Line); ok {
				tw.snippet(f, oneLine(line))
			}
		}
		if rule, ok := rules[f.Rule]; ok && rule.Help != "" && !helped[f.Rule] {
			helped[f.Rule] = true
			tw.printf("  %shelp:%s %s (pipeguard explain %s)\n", tw.c(colorDim), tw.c(colorReset), firstSentence(rule.Help), f.Rule)
		}
		tw.printf("\n")
	}
	for _, e := range r.Errors {
		tw.printf("%s: error: %s\n", oneLine(e.File), oneLine(e.Message))
	}
	if tw.err != nil {
		return tw.err
	}
	return WriteSummary(w, r, opts)
}

// WriteSummary writes the summary lines: the findings by severity and by rule, what the
// filter held back and why, and the files skipped and why. The text report ends with
// them; with another format written to a file, the command line prints them on the
// terminal.
func WriteSummary(w io.Writer, r Report, opts Options) error {
	tw := &textWriter{w: w, color: opts.Color}
	tw.printf("%s%s%s\n", tw.c(colorBold), summaryLine(r), tw.c(colorReset))
	if len(r.Suppressed) > 0 {
		tw.printf("%s held back: %s\n", plural(len(r.Suppressed), "finding"), countList(countByStage(r.Suppressed)))
	}
	if len(r.Skipped) > 0 {
		reasons := map[string]int{}
		for _, s := range r.Skipped {
			reasons[s.Reason]++
		}
		tw.printf("skipped %s: %s\n", plural(len(r.Skipped), "file"), countList(reasons))
	}
	return tw.err
}

// countList formats counts as "2 a, 1 b", most first, then by name.
func countList(counts map[string]int) string {
	names := make([]string, 0, len(counts))
	for name := range counts {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%d %s", counts[name], name)
	}
	return strings.Join(parts, ", ")
}

// textWriter remembers the first write error so the code above stays readable.
type textWriter struct {
	w     io.Writer
	color bool
	err   error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *textWriter) c(code string) string {
	if t.color {
		return code
	}
	return ""
}

// snippet prints the finding's line with a caret span under columns [Column, EndColumn)
// (to the end of the line when the span continues on later lines). Tabs in the line are
// repeated in the caret prefix so the carets stay aligned.
func (t *textWriter) snippet(f model.Finding, line string) {
	gutter := fmt.Sprintf("%5d | ", f.Line)
	t.printf("%s%s%s%s\n", t.c(colorDim), gutter, t.c(colorReset), line)
	runes := []rune(line)
	start := min(max(f.Column-1, 0), len(runes))
	end := len(runes)
	if f.EndLine == f.Line {
		end = min(max(f.EndColumn-1, start+1), len(runes))
	}
	width := max(end-start, 1)
	var prefix strings.Builder
	for _, r := range runes[:start] {
		if r == '\t' {
			prefix.WriteRune('\t')
		} else {
			prefix.WriteByte(' ')
		}
	}
	t.printf("%s%s%s%s%s%s\n", t.c(colorDim), strings.Repeat(" ", utf8.RuneCountInString(gutter)-2)+"| ", t.c(colorReset),
		prefix.String(), t.c(severityColor[f.Severity])+strings.Repeat("^", width), t.c(colorReset))
}

// summaryLine says how many findings of each severity and of each rule were found in
// how many files.
func summaryLine(r Report) string {
	files := plural(r.Files, "file")
	if len(r.Findings) == 0 {
		return fmt.Sprintf("no findings in %s", files)
	}
	counts := countBySeverity(r.Findings)
	var parts []string
	for _, s := range model.Severities {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return fmt.Sprintf("%s (%s) in %s: %s", plural(len(r.Findings), "finding"), strings.Join(parts, ", "), files, countList(countByRule(r.Findings)))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// firstSentence shortens help text to its first sentence for the one-line help.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// oneLine is Printable for a field printed on one line of the text report: a newline in
// it shows as U+240A, so that text from a scanned file cannot forge a finding's line.
func oneLine(s string) string { return strings.ReplaceAll(Printable(s), "\n", "\u240a") }
