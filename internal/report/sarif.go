package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/pipeguard/pipeguard/internal/model"
)

// What GitHub code scanning reads of SARIF (docs.github.com, "SARIF support for code
// scanning") decides the shape below:
//
//   - URIs are relative to the repository root: each result's artifactLocation has a
//     percent-encoded path relative to its Location.Root, with uriBaseId %SRCROOT% (and
//     %SRCROOT2%, … when one scan spans several repositories), which
//     run.originalUriBaseIds maps to the root's file:// URI. Whatever the working
//     directory, the URIs are the same.
//   - Columns count Unicode code points, as every pipeguard position does, and
//     run.columnKind says so.
//   - GitHub takes a security alert's severity from properties.security-severity of the
//     rule, not of the result. A finding whose severity differs from its rule's default
//     (an agent-sandbox-bypass on an ephemeral VM is high, not critical; a severity
//     remapped in .pipeguard.yml) therefore points at a per-severity variant of the rule,
//     `agent-sandbox-bypass/high`: a hierarchical rule id, as SARIF allows, with the same
//     texts and the variant's security-severity and level.
//   - partialFingerprints carry pipeguard's fingerprint, unique within the run; GitHub's
//     upload-sarif adds its own primaryLocationLineHash next to it.
//   - helpUri is set only for built-in rules, whose documentation is docs/rules.md.
//   - Findings held back by an inline ignore (kind inSource) or the baseline (kind
//     external) are results with a suppression, not dropped.

// helpBaseURI is where each built-in rule's documentation lives; the anchor is its id.
const helpBaseURI = "https://github.com/pipeguard/pipeguard/blob/main/docs/rules.md#"

// srcRoot is the uriBaseId of the repository root.
const srcRoot = "%SRCROOT%"

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

// writeSARIF writes one SARIF 2.1.0 run. Every rule is in driver.rules, added before any
// result that refers to it (else go-sarif's ruleIndex is wrong).
func writeSARIF(w io.Writer, r Report) error {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	run := sarif.NewRunWithInformationURI("pipeguard", "https://github.com/pipeguard/pipeguard")
	run.Tool.Driver.WithVersion(r.ToolVersion).WithSemanticVersion(strings.TrimPrefix(r.ToolVersion, "v"))
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID("pipeguard/"))
	run.WithColumnKind("unicodeCodePoints")

	rules := ruleIndex(r.Rules)
	var results []Suppressed
	for _, f := range r.Findings {
		results = append(results, Suppressed{Finding: f})
	}
	for _, s := range r.Suppressed {
		if s.Kind != "" {
			results = append(results, s)
		}
	}
	for _, rule := range sortedRules(r.Rules) {
		addRule(run, rule.ID, rule, rule.Severity)
	}
	for _, v := range severityVariants(results, rules) {
		addRule(run, v.id, rules[v.rule], v.severity)
	}
	bases := newBaseIDs(r, results)
	run.WithOriginalUriBaseIds(bases.originals())
	for _, res := range results {
		f := res.Finding
		result := run.CreateResultForRule(resultRuleID(f, rules)).
			WithLevel(sarifLevel[f.Severity]).
			WithMessage(sarif.NewTextMessage(f.Message)).
			WithPartialFingerPrints(map[string]any{"pipeguardFingerprint/v1": f.Fingerprint})
		result.AddLocation(bases.location(f.File, f.Pos()))
		if res.Kind != "" {
			result.AddSuppression(suppression(res, bases))
		}
	}
	doc.AddRun(run)
	return doc.PrettyWrite(w)
}

// addRule adds the descriptor id of rule, at severity.
func addRule(run *sarif.Run, id string, rule model.Rule, severity string) {
	tags := []string{"security", rule.Category}
	if rule.CWE != "" {
		tags = append(tags, "external/cwe/"+strings.ToLower(rule.CWE))
	}
	props := sarif.NewPropertyBag()
	props.Add("tags", tags)
	props.AddString("security-severity", securitySeverity[severity])
	props.AddString("precision", precision[rule.Confidence])
	props.AddString("problem.severity", sarifLevel[severity])
	name, title := ruleName(rule.ID), rule.Title
	if severity != rule.Severity {
		name += ruleName(severity)
		title += " (" + severity + ")"
	}
	d := run.AddRule(id).
		WithName(name).
		WithShortDescription(sarif.NewMultiformatMessageString(title)).
		WithFullDescription(sarif.NewMultiformatMessageString(rule.Description)).
		WithHelp(sarif.NewMultiformatMessageString(rule.Help).WithMarkdown(helpMarkdown(rule.Title, rule.Description, rule.Help))).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel[severity])).
		WithProperties(props.Properties)
	if rule.Builtin {
		d.WithHelpURI(helpBaseURI + rule.ID)
	}
}

// variant is a rule at a severity other than its default.
type variant struct{ id, rule, severity string }

// severityVariants returns the variants that results need, sorted by id.
func severityVariants(results []Suppressed, rules map[string]model.Rule) []variant {
	seen := map[string]bool{}
	var out []variant
	for _, res := range results {
		id := resultRuleID(res.Finding, rules)
		if id != res.Rule && !seen[id] {
			seen[id] = true
			out = append(out, variant{id: id, rule: res.Rule, severity: res.Severity})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// resultRuleID is the descriptor a finding points at: its rule, or the rule's variant
// at the finding's severity.
func resultRuleID(f model.Finding, rules map[string]model.Rule) string {
	if rule, ok := rules[f.Rule]; ok && rule.Severity != f.Severity {
		return f.Rule + "/" + f.Severity
	}
	return f.Rule
}

// suppression describes why a result is suppressed. Every field is set: go-sarif writes
// the unset ones as null, which the schema rejects.
func suppression(s Suppressed, bases *baseIDs) *sarif.Suppression {
	justification := s.Justification
	if justification == "" {
		justification = map[string]string{SuppressedInSource: "a pipeguard: ignore comment", SuppressedExternal: "recorded in the baseline"}[s.Kind]
	}
	at := s.At
	if at.IsZero() {
		at = s.Pos()
		at.File = s.File
	}
	h := sha256.Sum256([]byte(s.Kind + "\x00" + s.Fingerprint))
	return sarif.NewSuppression(s.Kind).
		WithStatus("accepted").
		WithJustifcation(justification).
		WithGuid(uuidFrom(h)).
		WithLocation(bases.location(at.File, at))
}

// uuidFrom formats a hash as a version-5-shaped UUID, as SARIF's guid pattern wants.
func uuidFrom(h [32]byte) string {
	b := h[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// baseIDs names the repository roots of a run's files.
type baseIDs struct {
	report Report
	ids    map[string]string // root → uriBaseId
	roots  []string
}

// newBaseIDs gives %SRCROOT% to the root of most results (the first by name on a tie)
// and %SRCROOT2%, %SRCROOT3%, … to the others.
func newBaseIDs(r Report, results []Suppressed) *baseIDs {
	count := map[string]int{}
	for _, res := range results {
		for _, file := range []string{res.File, res.At.File} {
			if root := r.location(file).Root; file != "" && root != "" {
				count[root]++
			}
		}
	}
	b := &baseIDs{report: r, ids: map[string]string{}}
	for root := range count {
		b.roots = append(b.roots, root)
	}
	sort.Slice(b.roots, func(i, j int) bool {
		ri, rj := b.roots[i], b.roots[j]
		if count[ri] != count[rj] {
			return count[ri] > count[rj]
		}
		return ri < rj
	})
	for i, root := range b.roots {
		id := srcRoot
		if i > 0 {
			id = fmt.Sprintf("%%SRCROOT%d%%", i+1)
		}
		b.ids[root] = id
	}
	return b
}

// originals returns run.originalUriBaseIds.
func (b *baseIDs) originals() map[string]*sarif.ArtifactLocation {
	if len(b.roots) == 0 {
		return nil
	}
	out := make(map[string]*sarif.ArtifactLocation, len(b.roots))
	for _, root := range b.roots {
		out[b.ids[root]] = sarif.NewSimpleArtifactLocation(rootURI(root))
	}
	return out
}

// location returns the physical location of a span of a reported file.
func (b *baseIDs) location(file string, p model.Pos) *sarif.Location {
	loc := b.report.location(file)
	artifact := sarif.NewSimpleArtifactLocation(encodePath(loc.Path))
	if id, ok := b.ids[loc.Root]; ok {
		artifact.WithUriBaseId(id)
	}
	p.Col = max(p.Col, 1)
	if p.EndLine <= p.Line {
		p.EndLine, p.EndCol = p.Line, max(p.EndCol, p.Col+1)
	}
	region := sarif.NewRegion().WithStartLine(p.Line).WithStartColumn(p.Col).WithEndLine(p.EndLine).WithEndColumn(p.EndCol)
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().WithArtifactLocation(artifact).WithRegion(region))
}

// rootURI returns the file:// URI of a root directory, ending in a slash as SARIF wants.
func rootURI(root string) string {
	p := filepath.ToSlash(root)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/…
	}
	return (&url.URL{Scheme: "file", Path: strings.TrimSuffix(p, "/") + "/"}).String()
}

// encodePath percent-encodes a slash-separated relative path for a URI: every byte but
// the unreserved characters and `/` (so `a,b:c%d.yml` is `a%2Cb%3Ac%25d.yml` and a
// colon can never be read as a scheme).
func encodePath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~', c == '/':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
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
