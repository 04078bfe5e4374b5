package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// WriteRulesMarkdown writes the rule catalog as Markdown, one section per rule with its
// id as anchor: docs/rules.md, which SARIF's helpUri points at, is this output.
func WriteRulesMarkdown(w io.Writer, rules []model.Rule) error {
	var b strings.Builder
	b.WriteString("# pipeguard rules\n\n")
	b.WriteString("Generated from the rules' `# METADATA` by `pipeguard rules --format markdown`.\n\n")
	b.WriteString("| id | severity | confidence | platforms | persona |\n|---|---|---|---|---|\n")
	for _, r := range sortedRules(rules) {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s | %s |\n", r.ID, r.ID, r.Severity, r.Confidence, strings.Join(r.Platforms, ", "), r.Persona)
	}
	for _, r := range sortedRules(rules) {
		fmt.Fprintf(&b, "\n## %s\n\n**%s**\n\n%s\n\n", r.ID, r.Title, r.Description)
		fmt.Fprintf(&b, "- Severity: %s (a finding may raise or lower it)\n- Category: %s\n", r.Severity, r.Category)
		if r.CWE != "" {
			fmt.Fprintf(&b, "- CWE: %s\n", r.CWE)
		}
		fmt.Fprintf(&b, "\n### How to fix\n\n%s\n", r.Help)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
