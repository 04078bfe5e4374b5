package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	_ "github.com/pipeguard/pipeguard/internal/testutil" // accepts -update like every test binary
)

var testRules = []model.Rule{{
	ID: "demo-rule", Title: "Demo", Description: "A demo rule.", Severity: "high", Confidence: "high",
	Category: "demo", Platforms: []string{"github"}, Persona: "regular", Help: "Fix it. Then more.", CWE: "CWE-1", Builtin: true,
}, {
	ID: "user-rule", Title: "User", Description: "A rule of a --policy directory.", Severity: "low", Confidence: "medium",
	Category: "custom", Platforms: []string{"github"}, Persona: "regular", Help: "Ask the team.",
}}

// testRoot is the repository root of testReport's files.
const testRoot = "/work/my repo"

func testReport() Report {
	return Report{
		ToolVersion: "1.2.3",
		Rules:       testRules,
		Files:       2,
		Findings: []model.Finding{
			{Rule: "demo-rule", Severity: "high", Confidence: "high", Category: "demo", Message: "bad: a, b\nc 100%",
				File: "dir/a,b:c%d.yml", Line: 3, Column: 5, EndLine: 3, EndColumn: 8, Platform: "github", Fingerprint: "f1"},
			{Rule: "demo-rule", Severity: "info", Confidence: "high", Category: "demo", Message: "minor",
				File: "my workflow #1.yml", Line: 1, Column: 1, EndLine: 1, EndColumn: 2, Platform: "github", Fingerprint: "f2"},
			{Rule: "demo-rule", Severity: "high", Confidence: "high", Category: "demo", Message: "again",
				File: "my workflow #1.yml", Line: 4, Column: 1, EndLine: 4, EndColumn: 2, Platform: "github", Fingerprint: "f3"},
		},
		Errors: []FileError{{File: "c.yml", Message: "read: permission denied"}},
		Locations: map[string]Location{
			"dir/a,b:c%d.yml":    {Root: testRoot, Path: "sub/dir/a,b:c%d.yml"},
			"my workflow #1.yml": {Root: testRoot, Path: "sub/my workflow #1.yml"},
		},
		Suppressed: []Suppressed{
			{Finding: model.Finding{Rule: "user-rule", Severity: "low", Message: "ignored", File: "my workflow #1.yml", Line: 7, Column: 3, EndLine: 7, EndColumn: 9, Fingerprint: "f4"},
				Stage: "inline-ignore", Kind: SuppressedInSource, Justification: "test fixture", At: model.Pos{File: "my workflow #1.yml", Line: 6, Col: 5, EndLine: 6, EndCol: 30}},
			{Finding: model.Finding{Rule: "demo-rule", Severity: "high", Message: "known", File: "my workflow #1.yml", Line: 9, Column: 3, EndLine: 9, EndColumn: 9, Fingerprint: "f5"},
				Stage: "baseline", Kind: SuppressedExternal},
			{Finding: model.Finding{Rule: "demo-rule", Severity: "info", Message: "quiet", File: "b.yml", Line: 1, Column: 1, Fingerprint: "f6"}, Stage: "persona"},
		},
		Skipped: []Skipped{{File: ".circleci/stale.yml", Reason: "not a CircleCI config"}},
	}
}

// lines is a Sources over fixed content.
type lines map[string][]string

func (l lines) Line(file string, n int) (string, bool) {
	ls, ok := l[file]
	if !ok || n < 1 || n > len(ls) {
		return "", false
	}
	return ls[n-1], true
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	src := lines{"dir/a,b:c%d.yml": {"a", "b", "\tkey: val"}}
	if err := Write(&b, "text", testReport(), Options{Sources: src}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"dir/a,b:c%d.yml:3:5: high[demo-rule] bad: a, b\u240ac 100%\n",
		"    3 | \tkey: val\n",
		"      | \t   ^^^\n",
		"  help: Fix it. (pipeguard explain demo-rule)\n",
		"c.yml: error: read: permission denied\n",
		"3 findings (2 high, 1 info) in 2 files: 3 demo-rule\n" +
			"3 findings held back: 1 baseline, 1 inline-ignore, 1 persona\n" +
			"skipped 1 file: 1 not a CircleCI config\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "help:"); n != 1 {
		t.Errorf("the rule's help is printed %d times, want once", n)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour without Options.Color")
	}
	b.Reset()
	if err := Write(&b, "text", testReport(), Options{Color: true}); err != nil || !strings.Contains(b.String(), "\x1b[31m") {
		t.Errorf("no colour with Options.Color: %v", err)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "json", testReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int               `json:"version"`
		Findings []json.RawMessage `json:"findings"`
		Errors   []json.RawMessage `json:"errors"`
		Skipped  []Skipped         `json:"skipped"`
		Summary  struct {
			Files      int            `json:"files"`
			BySeverity map[string]int `json:"by_severity"`
			ByRule     map[string]int `json:"by_rule"`
			Suppressed map[string]int `json:"suppressed"`
			Skipped    int            `json:"skipped"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Findings) != 3 || len(doc.Errors) != 1 || doc.Summary.Files != 2 || len(doc.Summary.BySeverity) != 5 ||
		doc.Summary.ByRule["demo-rule"] != 3 || doc.Summary.Suppressed["inline-ignore"] != 1 || doc.Summary.Suppressed["baseline"] != 1 ||
		doc.Summary.Skipped != 1 || len(doc.Skipped) != 1 || doc.Skipped[0].File != ".circleci/stale.yml" {
		t.Errorf("json = %s", b.String())
	}
	b.Reset()
	if err := Write(&b, "json", Report{}, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, empty := range []string{`"findings": []`, `"errors": []`, `"skipped": []`} {
		if !strings.Contains(b.String(), empty) {
			t.Errorf("an empty report lacks %s:\n%s", empty, b.String())
		}
	}
}

func TestGitHubAnnotationsEscape(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "github", testReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=sub/dir/a%2Cb%3Ac%25d.yml,line=3,col=5,endLine=3,endColumn=8,title=pipeguard demo-rule [high]::bad: a, b%0Ac 100%25\n" +
		"::notice file=sub/my workflow #1.yml,line=1,col=1,endLine=1,endColumn=2,title=pipeguard demo-rule [info]::minor\n" +
		"::error file=sub/my workflow #1.yml,line=4,col=1,endLine=4,endColumn=2,title=pipeguard demo-rule [high]::again\n"
	if b.String() != want {
		t.Errorf("github output:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestGitLabCodeQuality(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "gitlab", testReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	var issues []codeQualityIssue
	if err := json.Unmarshal(b.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 3 || issues[0].Severity != "critical" || issues[1].Severity != "info" || issues[0].Location.Lines.Begin != 3 ||
		issues[0].Fingerprint != "f1" || issues[0].Location.Path != "sub/dir/a,b:c%d.yml" {
		t.Errorf("code quality = %+v", issues)
	}
}

// sarifDoc is the part of a SARIF log the tests read.
type sarifDoc struct {
	Runs []struct {
		ColumnKind         string `json:"columnKind"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string         `json:"id"`
					Name                 string         `json:"name"`
					HelpURI              string         `json:"helpUri"`
					Properties           map[string]any `json:"properties"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID              string            `json:"ruleId"`
			RuleIndex           int               `json:"ruleIndex"`
			Level               string            `json:"level"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Suppressions []struct {
				Kind          string `json:"kind"`
				Status        string `json:"status"`
				Justification string `json:"justification"`
				GUID          string `json:"guid"`
				Location      struct {
					PhysicalLocation struct {
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"location"`
			} `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIF(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "sarif", testReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	if got := run.OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///work/my%20repo/" || len(run.OriginalURIBaseIDs) != 1 {
		t.Errorf("originalUriBaseIds %+v", run.OriginalURIBaseIDs)
	}
	type rule struct{ id, severity, level, helpURI string }
	var rules []rule
	for _, r := range run.Tool.Driver.Rules {
		rules = append(rules, rule{r.ID, r.Properties["security-severity"].(string), r.DefaultConfiguration.Level, r.HelpURI})
	}
	wantRules := []rule{
		{"demo-rule", "8.0", "error", "https://github.com/pipeguard/pipeguard/blob/main/docs/rules.md#demo-rule"},
		{"user-rule", "2.0", "note", ""},
		{"demo-rule/info", "0.5", "note", "https://github.com/pipeguard/pipeguard/blob/main/docs/rules.md#demo-rule"},
	}
	if !reflect.DeepEqual(rules, wantRules) {
		t.Errorf("rules %+v\nwant %+v", rules, wantRules)
	}
	if run.Tool.Driver.Rules[2].Name != "DemoRuleInfo" {
		t.Errorf("variant name %q", run.Tool.Driver.Rules[2].Name)
	}
	type result struct {
		rule            string
		index           int
		level, uri      string
		line            int
		suppressed      string
		suppressionLine int
	}
	var results []result
	fingerprints := map[string]bool{}
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("uriBaseId %q", loc.ArtifactLocation.URIBaseID)
		}
		fp := r.PartialFingerprints["pipeguardFingerprint/v1"]
		if fingerprints[fp] {
			t.Errorf("fingerprint %s twice", fp)
		}
		fingerprints[fp] = true
		res := result{rule: r.RuleID, index: r.RuleIndex, level: r.Level, uri: loc.ArtifactLocation.URI, line: loc.Region.StartLine}
		for _, s := range r.Suppressions {
			if s.Status != "accepted" || len(s.GUID) != 36 {
				t.Errorf("suppression %+v", s)
			}
			res.suppressed, res.suppressionLine = s.Kind+":"+s.Justification, s.Location.PhysicalLocation.Region.StartLine
		}
		results = append(results, res)
	}
	wantResults := []result{
		{"demo-rule", 0, "error", "sub/dir/a%2Cb%3Ac%25d.yml", 3, "", 0},
		{"demo-rule/info", 2, "note", "sub/my%20workflow%20%231.yml", 1, "", 0},
		{"demo-rule", 0, "error", "sub/my%20workflow%20%231.yml", 4, "", 0},
		{"user-rule", 1, "note", "sub/my%20workflow%20%231.yml", 7, "inSource:test fixture", 6},
		{"demo-rule", 0, "error", "sub/my%20workflow%20%231.yml", 9, "external:recorded in the baseline", 9},
	}
	if !reflect.DeepEqual(results, wantResults) {
		t.Errorf("results:\n%+v\nwant:\n%+v", results, wantResults)
	}
	for _, r := range results {
		if p, err := url.PathUnescape(r.uri); err != nil || !strings.HasPrefix(p, "sub/") || (p != "sub/dir/a,b:c%d.yml" && p != "sub/my workflow #1.yml") {
			t.Errorf("URI %s does not round-trip: %q, %v", r.uri, p, err)
		}
	}
}

func TestSARIFWithoutRepository(t *testing.T) {
	var b bytes.Buffer
	r := Report{Rules: testRules, Findings: []model.Finding{{Rule: "demo-rule", Severity: "high", Message: "m", File: "-", Line: 1, Column: 1, EndLine: 1, EndColumn: 2}}}
	if err := Write(&b, "sarif", r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "originalUriBaseIds") || strings.Contains(b.String(), "uriBaseId") || !strings.Contains(b.String(), `"uri": "-"`) {
		t.Errorf("standard input in SARIF:\n%s", b.String())
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", Report{}, Options{}); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestRulesMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteRulesMarkdown(&b, testRules); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| [`demo-rule`](#demo-rule) | high |", "## demo-rule", "### How to fix\n\nFix it. Then more."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text\twith a tab\nand a newline", "plain text\twith a tab\nand a newline"},
		{"\x1b[31mred\x1b[0m", "\u241b[31mred\u241b[0m"},
		{"bell\a, cr\r, del\x7f, c1\u009b", "bell\u2407, cr\u240d, del\u2421, c1\ufffd"},
		{"é 漢字", "é 漢字"},
	}
	for _, tt := range tests {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
