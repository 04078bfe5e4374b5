package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// helpBaseURI is where each rule's documentation lives; the anchor is the rule id.
const helpBaseURI = "https://github.com/pipeguard/pipeguard/blob/main/docs/rules.md#"

// securitySeverity is GitHub code scanning's numeric severity for each of ours.
var securitySeverity = map[string]string{
	"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0", "info": "0.5",
}

// sarifLevel maps severities to SARIF result levels.
var sarifLevel = map[string]string{
	"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note",
}

// precision maps confidence to SARIF's precision property.
var precision = map[string]string{
	"high": "high", "medium": "medium", "low": "low",
}

// writeSARIF writes one SARIF 2.1.0 run. Every loaded rule is in driver.rules, added
// before any result that refers to it (else go-sarif's ruleIndex is wrong).
func writeSARIF(w io.Writer, r Report) error {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	run := sarif.NewRunWithInformationURI("pipeguard", "https://github.com/pipeguard/pipeguard")
	run.Tool.Driver.WithVersion(r.ToolVersion).WithSemanticVersion(r.ToolVersion)
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID("pipeguard/"))
	for _, rule := range sortedRules(r.Rules) {
		tags := []string{"security", rule.Category}
		if rule.CWE != "" {
			tags = append(tags, "external/cwe/"+strings.ToLower(rule.CWE))
		}
		props := sarif.NewPropertyBag()
		props.Add("tags", tags)
		props.AddString("security-severity", securitySeverity[rule.Severity])
		props.AddString("precision", precision[rule.Confidence])
		props.AddString("problem.severity", sarifLevel[rule.Severity])
		run.AddRule(rule.ID).
			WithName(ruleName(rule.ID)).
			WithShortDescription(sarif.NewMultiformatMessageString(rule.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString(rule.Description)).
			WithHelp(sarif.NewMultiformatMessageString(rule.Help).WithMarkdown(helpMarkdown(rule.Title, rule.Description, rule.Help))).
			WithHelpURI(helpBaseURI + rule.ID).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel[rule.Severity])).
			WithProperties(props.Properties)
	}
	for _, f := range r.Findings {
		region := sarif.NewRegion().
			WithStartLine(f.Line).WithStartColumn(f.Column).
			WithEndLine(f.EndLine).WithEndColumn(f.EndColumn)
		run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel[f.Severity]).
			WithMessage(sarif.NewTextMessage(f.Message)).
			WithPartialFingerPrints(map[string]any{"pipeguardFingerprint/v1": f.Fingerprint}).
			AddLocation(sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
				WithArtifactLocation(sarif.NewSimpleArtifactLocation(f.File)).
				WithRegion(region)))
	}
	doc.AddRun(run)
	return doc.PrettyWrite(w)
}

// ruleName turns a kebab-case id into SARIF's PascalCase rule name.
func ruleName(id string) string {
	parts := strings.Split(id, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

func helpMarkdown(title, description, help string) string {
	return fmt.Sprintf("## %s\n\n%s\n\n### How to fix\n\n%s\n", title, description, help)
}
