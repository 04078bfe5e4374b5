package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	_ "github.com/pipeguard/pipeguard/internal/testutil" // accepts -update like every test binary
)

var testRules = []model.Rule{{
	ID: "demo-rule", Title: "Demo", Description: "A demo rule.", Severity: "high", Confidence: "high",
	Category: "demo", Platforms: []string{"github"}, Persona: "regular", Help: "Fix it. Then more.", CWE: "CWE-1",
}}

func testReport() Report {
	return Report{
		ToolVersion: "1.2.3",
		Rules:       testRules,
		Files:       2,
		Findings: []model.Finding{
			{Rule: "demo-rule", Severity: "high", Confidence: "high", Category: "demo", Message: "bad: a, b\nc 100%",
				File: "dir/a,b:c.yml", Line: 3, Column: 5, EndLine: 3, EndColumn: 8, Platform: "github", Fingerprint: "f1"},
			{Rule: "demo-rule", Severity: "info", Confidence: "high", Category: "demo", Message: "minor",
				File: "b.yml", Line: 1, Column: 1, EndLine: 1, EndColumn: 2, Platform: "github", Fingerprint: "f2"},
		},
		Errors: []FileError{{File: "c.yml", Message: "read: permission denied"}},
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
	src := lines{"dir/a,b:c.yml": {"a", "b", "\tkey: val"}}
	if err := Write(&b, "text", testReport(), Options{Sources: src}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"dir/a,b:c.yml:3:5: high[demo-rule] bad: a, b\nc 100%\n",
		"    3 | \tkey: val\n",
		"      | \t   ^^^\n",
		"  help: Fix it.\n",
		"c.yml: error: read: permission denied\n",
		"2 findings (1 high, 1 info) in 2 files\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
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
	r := testReport()
	r.Findings, r.Errors = nil, nil
	if err := Write(&b, "json", r, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int               `json:"version"`
		Findings []json.RawMessage `json:"findings"`
		Errors   []json.RawMessage `json:"errors"`
		Summary  struct {
			Files      int            `json:"files"`
			BySeverity map[string]int `json:"by_severity"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || doc.Findings == nil || doc.Errors == nil || doc.Summary.Files != 2 || len(doc.Summary.BySeverity) != 5 {
		t.Errorf("json = %s", b.String())
	}
}

func TestGitHubAnnotationsEscape(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "github", testReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=dir/a%2Cb%3Ac.yml,line=3,col=5,endLine=3,endColumn=8,title=pipeguard demo-rule [high]::bad: a, b%0Ac 100%25\n" +
		"::notice file=b.yml,line=1,col=1,endLine=1,endColumn=2,title=pipeguard demo-rule [info]::minor\n"
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
	if len(issues) != 2 || issues[0].Severity != "critical" || issues[1].Severity != "info" || issues[0].Location.Lines.Begin != 3 || issues[0].Fingerprint != "f1" {
		t.Errorf("code quality = %+v", issues)
	}
}

func TestSARIF(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "sarif", testReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if len(run.Tool.Driver.Rules) != 1 || run.Tool.Driver.Rules[0].Properties["security-severity"] != "8.0" {
		t.Errorf("rules = %+v", run.Tool.Driver.Rules)
	}
	if len(run.Results) != 2 || run.Results[0].Level != "error" || run.Results[1].Level != "note" {
		t.Errorf("results = %+v", run.Results)
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
