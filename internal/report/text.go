package report

import (
	"fmt"
	"io"
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
// a caret span under the finding, a help line, and a summary.
func writeText(w io.Writer, r Report, opts Options) error {
	tw := &textWriter{w: w, color: opts.Color}
	rules := ruleIndex(r.Rules)
	for _, f := range r.Findings {
		tw.printf("%s%s:%d:%d:%s %s%s[%s]%s %s\n",
			tw.c(colorBold), f.File, f.Line, f.Column, tw.c(colorReset),
			tw.c(severityColor[f.Severity]), f.Severity, f.Rule, tw.c(colorReset), f.Message)
		if opts.Sources != nil {
			if line, ok := opts.Sources.Line(f.File, f.Line); ok {
				tw.snippet(f, line)
			}
		}
		if rule, ok := rules[f.Rule]; ok && rule.Help != "" {
			tw.printf("  %shelp:%s %s\n", tw.c(colorDim), tw.c(colorReset), firstSentence(rule.Help))
		}
		tw.printf("\n")
	}
	for _, e := range r.Errors {
		tw.printf("%s: error: %s\n", e.File, e.Message)
	}
	tw.printf("%s\n", summaryLine(r))
	return tw.err
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

// summaryLine says how many findings of each severity were found in how many files.
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
	return fmt.Sprintf("%s (%s) in %s", plural(len(r.Findings), "finding"), strings.Join(parts, ", "), files)
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
