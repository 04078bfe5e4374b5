package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// tokenWorkflow is a workflow with a literal credential on line 6 (high: a credential
// name holds it) and an agent run with its sandbox off on an ephemeral VM (high, not
// critical) on line 9.
var tokenWorkflow = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      NPM_TOKEN: ` + fakeSecret + `
    steps:
      - run: |
          codex exec --ephemeral --yolo "fix the build"
`

// repo writes a repository (with .git) holding files and returns its directory.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	return testutil.WriteTree(t, files)
}

// runIn runs the CLI with the working directory dir.
func runIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	t.Chdir(dir)
	return run(t, "", args...)
}

func rulesOf(findings []model.Finding) []string {
	var out []string
	for _, f := range findings {
		out = append(out, fmt.Sprintf("%s@%s:%d=%s", f.Rule, filepath.Base(f.File), f.Line, f.Severity))
	}
	return out
}

func TestConfigFileIsApplied(t *testing.T) {
	tests := []struct {
		name   string
		config string
		args   []string
		want   []string
	}{
		{"no configuration", "", nil, []string{"hardcoded-token@ci.yml:6=high", "agent-sandbox-bypass@ci.yml:9=high"}},
		{"a disabled rule", "rules:\n  disable: [hardcoded-token]\n", nil, []string{"agent-sandbox-bypass@ci.yml:9=high"}},
		{"a severity remap", "rules:\n  severity: {agent-sandbox-bypass: low}\n", nil, []string{"hardcoded-token@ci.yml:6=high", "agent-sandbox-bypass@ci.yml:9=low"}},
		{"an ignored path", "ignore:\n  paths: [.github/**]\n", nil, nil},
		{"an ignored path for one rule", "ignore:\n  rules: {hardcoded-token: ['*.yml']}\n", nil, []string{"agent-sandbox-bypass@ci.yml:9=high"}},
		{"min-severity from the file", "min-severity: critical\n", nil, nil},
		{"the flag wins over the file", "min-severity: critical\n", []string{"--min-severity", "info"}, []string{"hardcoded-token@ci.yml:6=high", "agent-sandbox-bypass@ci.yml:9=high"}},
		{"--no-config", "rules:\n  disable: [hardcoded-token]\n", []string{"--no-config"}, []string{"hardcoded-token@ci.yml:6=high", "agent-sandbox-bypass@ci.yml:9=high"}},
		{"--no-ignores", "ignore:\n  paths: [.github/**]\n", []string{"--no-ignores"}, []string{"hardcoded-token@ci.yml:6=high", "agent-sandbox-bypass@ci.yml:9=high"}},
		{"runner isolation", "runner-isolation:\n  Ubuntu-Latest: isolated\n", []string{"--persona", "pedantic"}, []string{"hardcoded-token@ci.yml:6=high", "agent-sandbox-bypass@ci.yml:9=info"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{".github/workflows/ci.yml": tokenWorkflow}
			if tt.config != "" {
				files[".pipeguard.yml"] = tt.config
			}
			dir := repo(t, files)
			// Scanning a subdirectory finds the file at the repository root.
			findings, res := jsonFindings(t, append(tt.args, "--exit-zero", filepath.Join(dir, ".github", "workflows"))...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if got := rulesOf(findings); strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("findings %v, want %v", got, tt.want)
			}
		})
	}
}

func TestConfigErrorsAreUsageErrorsWithPositions(t *testing.T) {
	tests := []struct {
		config, want string
	}{
		{"persona: regular\nfail_on: high\n", `.pipeguard.yml:2:1: unknown key "fail_on" in the configuration (did you mean "fail-on"?)`},
		{"rules:\n  disable: [hardcoded-tokn]\n", `.pipeguard.yml:2:13: unknown rule "hardcoded-tokn" (did you mean "hardcoded-token"?)`},
		{"fail-on: urgent\n", `.pipeguard.yml:1:10: unknown fail-on "urgent"`},
	}
	for _, tt := range tests {
		dir := repo(t, map[string]string{".github/workflows/ci.yml": tokenWorkflow, ".pipeguard.yml": tt.config})
		res := run(t, "", "scan", dir)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tt.want) || strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
			t.Errorf("exit %d, stderr %q; want exit 2 and %q on one line", res.code, res.stderr, tt.want)
		}
	}
	dir := repo(t, map[string]string{".github/workflows/ci.yml": tokenWorkflow})
	if res := run(t, "", "scan", "--config", filepath.Join(dir, "missing.yml"), dir); res.code != ExitUsage {
		t.Errorf("a missing --config file: exit %d", res.code)
	}
	if res := run(t, "", "scan", "--config", "x", "--no-config", dir); res.code != ExitUsage {
		t.Errorf("--config with --no-config: exit %d", res.code)
	}
}

func TestConfigInit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".pipeguard.yml")
	if res := run(t, "", "config", "init", path); res.code != ExitOK || !strings.Contains(res.stderr, "wrote") {
		t.Fatalf("config init: exit %d, %s", res.code, res.stderr)
	}
	if _, err := config.Load(path); err != nil {
		t.Errorf("the written file does not load: %v", err)
	}
	if res := run(t, "", "config", "init", path); res.code != ExitUsage || !strings.Contains(res.stderr, "--force") {
		t.Errorf("config init over a file: exit %d, %s", res.code, res.stderr)
	}
	if res := run(t, "", "config", "init", "--force", path); res.code != ExitOK {
		t.Errorf("config init --force: exit %d, %s", res.code, res.stderr)
	}
	if res := run(t, "", "config", "init", "-"); res.code != ExitOK || res.stdout != string(config.Starter) {
		t.Errorf("config init -: exit %d", res.code)
	}
}

func TestBaselineAdoptsAndCatchesNewFindings(t *testing.T) {
	dir := repo(t, map[string]string{".github/workflows/ci.yml": tokenWorkflow})
	baseline := filepath.Join(t.TempDir(), "baseline.json")
	res := run(t, "", "scan", "--write-baseline", baseline, dir)
	if res.code != ExitOK || !strings.Contains(res.stderr, "with 2 findings") {
		t.Fatalf("--write-baseline: exit %d, %s", res.code, res.stderr)
	}
	data, err := os.ReadFile(baseline)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), fakeSecret[:4]) || strings.Contains(string(data), dir) || !strings.Contains(string(data), `"file": ".github/workflows/ci.yml"`) {
		t.Errorf("the baseline holds more than fingerprints and repository paths:\n%s", data)
	}
	// Lines inserted above the findings: still known.
	workflow := filepath.Join(dir, ".github", "workflows", "ci.yml")
	if err := os.WriteFile(workflow, []byte("# CI\nname: ci\n"+tokenWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, res := jsonFindings(t, "--baseline", baseline, dir)
	if res.code != ExitOK || len(findings) != 0 {
		t.Fatalf("with the baseline: exit %d, findings %v", res.code, rulesOf(findings))
	}
	text := run(t, "", "scan", "--baseline", baseline, dir)
	if !strings.Contains(text.stdout, "2 findings held back: 2 baseline") {
		t.Errorf("the summary does not count the baselined findings:\n%s", text.stdout)
	}
	// A new finding fails the scan.
	if err := os.WriteFile(workflow, []byte("# CI\nname: ci\n"+tokenWorkflow+"          claude -p x --dangerously-skip-permissions\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, res = jsonFindings(t, "--baseline", baseline, dir)
	if res.code != ExitFindings || len(findings) != 1 || findings[0].Line != 12 {
		t.Errorf("a new finding: exit %d, findings %v", res.code, rulesOf(findings))
	}
	if res := run(t, "", "scan", "--baseline", filepath.Join(dir, "none.json"), dir); res.code != ExitUsage {
		t.Errorf("a missing baseline: exit %d", res.code)
	}
}

// TestSARIFForGitHub checks what GitHub code scanning needs: %SRCROOT%-relative,
// percent-encoded URIs whatever the working directory, the finding's own severity,
// unique fingerprints, suppressed results for inline ignores, and the schema.
func TestSARIFForGitHub(t *testing.T) {
	ignored := "on: push\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n      - run: codex exec --ephemeral --yolo x # pipeguard: ignore[agent-sandbox-bypass] trusted runner\n"
	dir := repo(t, map[string]string{
		".github/workflows/a,b:c%d.yml":        tokenWorkflow,
		".github/workflows/my workflow #1.yml": ignored,
	})
	res := run(t, "", "scan", "--format", "sarif", filepath.Join(dir, ".github", "workflows"))
	if res.code != ExitFindings {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	validateSARIF(t, []byte(res.stdout))
	var doc struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]struct {
				URI string `json:"uri"`
			} `json:"originalUriBaseIds"`
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string            `json:"id"`
						Properties map[string]any    `json:"properties"`
						HelpURI    string            `json:"helpUri"`
						Short      map[string]string `json:"shortDescription"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID              string            `json:"ruleId"`
				RuleIndex           int               `json:"ruleIndex"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Suppressions        []map[string]any  `json:"suppressions"`
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	sarifRun := doc.Runs[0]
	if got, want := sarifRun.OriginalURIBaseIDs["%SRCROOT%"].URI, (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String(); got != want {
		t.Errorf("%%SRCROOT%% is %s, want %s", got, want)
	}
	var got []string
	for _, r := range sarifRun.Results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		rule := sarifRun.Tool.Driver.Rules[r.RuleIndex]
		if rule.ID != r.RuleID {
			t.Errorf("ruleIndex %d is %s, not %s", r.RuleIndex, rule.ID, r.RuleID)
		}
		got = append(got, fmt.Sprintf("%s %v %s %s suppressed=%d", r.RuleID, rule.Properties["security-severity"], loc.URIBaseID, loc.URI, len(r.Suppressions)))
	}
	want := []string{
		"hardcoded-token/high 8.0 %SRCROOT% .github/workflows/a%2Cb%3Ac%25d.yml suppressed=0",
		"agent-sandbox-bypass/high 8.0 %SRCROOT% .github/workflows/a%2Cb%3Ac%25d.yml suppressed=0",
		"agent-sandbox-bypass 9.5 %SRCROOT% .github/workflows/my%20workflow%20%231.yml suppressed=1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range sarifRun.Tool.Driver.Rules {
		if r.HelpURI == "" {
			t.Errorf("built-in rule %s has no helpUri", r.ID)
		}
	}
	// The same URIs from inside the repository.
	again := runIn(t, filepath.Join(dir, ".github"), "scan", "--format", "sarif", "workflows")
	if !strings.Contains(again.stdout, `"uri": ".github/workflows/a%2Cb%3Ac%25d.yml"`) {
		t.Errorf("another working directory changes the URIs:\n%s", again.stdout)
	}
	// Annotations and Code Quality use the same repository paths.
	annotations := runIn(t, t.TempDir(), "scan", "--format", "github", filepath.Join(dir, ".github", "workflows"))
	if !strings.Contains(annotations.stdout, "::error file=.github/workflows/a%2Cb%3Ac%25d.yml,line=6,") {
		t.Errorf("annotations:\n%s", annotations.stdout)
	}
	quality := runIn(t, t.TempDir(), "scan", "--format", "gitlab", filepath.Join(dir, ".github", "workflows"))
	if !strings.Contains(quality.stdout, `"path": ".github/workflows/a,b:c%d.yml"`) {
		t.Errorf("code quality:\n%s", quality.stdout)
	}
}

func TestUserPolicyRulesHaveNoHelpURI(t *testing.T) {
	policy := testutil.WriteTree(t, map[string]string{"mine.rego": `# METADATA
# title: Mine
# description: D
# custom:
#   id: my-rule
#   severity: low
#   confidence: high
#   category: c
#   platforms: [github]
#   persona: regular
#   help: H
package pipeguard.rules.my_rule

import rego.v1

deny contains {"msg": "m", "pos": {"line": 1}} if true
`})
	dir := repo(t, map[string]string{".github/workflows/ci.yml": "on: push\njobs: {}\n"})
	res := run(t, "", "scan", "--format", "sarif", "--policy", policy, dir)
	validateSARIF(t, []byte(res.stdout))
	i := strings.Index(res.stdout, `"id": "my-rule"`)
	j := strings.Index(res.stdout[i:], `"properties"`)
	if i < 0 || strings.Contains(res.stdout[i:i+j], "helpUri") {
		t.Errorf("the user rule has a helpUri:\n%s", res.stdout)
	}
}

func TestTextOutputForPeople(t *testing.T) {
	dir := repo(t, map[string]string{
		".github/workflows/ci.yml":  tokenWorkflow,
		".github/workflows/two.yml": tokenWorkflow,
		".circleci/stale.yml":       "daysUntilStale: 60\n",
	})
	res := run(t, "", "scan", "--verbose", dir)
	if n := strings.Count(res.stdout, "help:"); n != 2 {
		t.Errorf("%d help lines for 2 rules:\n%s", n, res.stdout)
	}
	for _, want := range []string{
		"4 findings (4 high) in 2 files: 2 agent-sandbox-bypass, 2 hardcoded-token\n",
		"skipped 1 file: 1 not a CircleCI config (no top-level version with jobs or workflows)\n",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
		}
	}
	if !strings.Contains(res.stderr, "pipeguard: skipped "+filepath.ToSlash(filepath.Join(dir, ".circleci", "stale.yml"))+": not a CircleCI config") {
		t.Errorf("--verbose does not list the skipped file: %s", res.stderr)
	}
	out := filepath.Join(t.TempDir(), "report.json")
	res = run(t, "", "scan", "--format", "json", "--output", out, dir)
	if res.stdout != "" || !strings.HasPrefix(res.stderr, "4 findings (4 high) in 2 files") {
		t.Errorf("with --output: stdout %q, stderr %q; want the summary on stderr", res.stdout, res.stderr)
	}
}

func TestColorModes(t *testing.T) {
	dir := repo(t, map[string]string{".github/workflows/ci.yml": tokenWorkflow})
	for _, tt := range []struct {
		mode     string
		terminal bool
		noColor  string
		want     bool
	}{
		{"auto", true, "", true},
		{"auto", true, "1", false},
		{"auto", false, "", false},
		{"always", false, "1", true},
		{"never", true, "", false},
	} {
		var stdout bytes.Buffer
		Run([]string{"scan", "--color", tt.mode, dir}, Env{Stdout: &stdout, Stderr: &bytes.Buffer{}, IsTerminal: tt.terminal,
			Getenv: func(k string) string {
				if k == "NO_COLOR" {
					return tt.noColor
				}
				return ""
			}})
		if got := strings.Contains(stdout.String(), "\x1b["); got != tt.want {
			t.Errorf("--color %s, terminal %v, NO_COLOR=%q: colour %v, want %v", tt.mode, tt.terminal, tt.noColor, got, tt.want)
		}
	}
}

func TestHelpAndSuggestions(t *testing.T) {
	dir := repo(t, map[string]string{".github/workflows/ci.yml": tokenWorkflow})
	help := run(t, "", "scan", "--help")
	if help.code != ExitOK || !strings.HasPrefix(help.stdout, "Usage: pipeguard scan") || !strings.Contains(help.stdout, "-write-baseline FILE") || help.stderr != "" {
		t.Errorf("scan --help: exit %d, stdout %q, stderr %q", help.code, help.stdout, help.stderr)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scna", dir}, `unknown command "scna" (did you mean "scan"?)`},
		{[]string{"scan", "--format", "jsn", dir}, `unknown --format "jsn" (did you mean "json"?)`},
		{[]string{"scan", "--fail-on", "hihg", dir}, `(did you mean "high"?)`},
		{[]string{"scan", "--persona", "pedantik", dir}, `(did you mean "pedantic"?)`},
		{[]string{"scan", "--color", "allways", dir}, `(did you mean "always"?)`},
		{[]string{"scan", "--fail-onn", "high", dir}, `(did you mean --fail-on?)`},
		{[]string{"explain", "hardcoded-tokn"}, `unknown rule "hardcoded-tokn" (did you mean "hardcoded-token"?)`},
	}
	for _, tt := range tests {
		res := run(t, "", tt.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tt.args, res.code, res.stderr, tt.want)
		}
	}
}

func TestProgressOnATerminal(t *testing.T) {
	files := map[string]string{}
	for i := range progressThreshold + 1 {
		files[fmt.Sprintf(".github/workflows/w%03d.yml", i)] = "on: push\njobs: {}\n"
	}
	dir := repo(t, files)
	for _, terminal := range []bool{true, false} {
		var stderr bytes.Buffer
		Run([]string{"scan", dir}, Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, StderrIsTerminal: terminal, Getenv: func(string) string { return "" }})
		shown := strings.Contains(stderr.String(), fmt.Sprintf("\rpipeguard: scanned %d/%d files", progressThreshold+1, progressThreshold+1))
		if shown != terminal {
			t.Errorf("terminal %v: progress shown %v: %q", terminal, shown, stderr.String())
		}
	}
}

func TestHookSkipsFilesThatAreNotPipelines(t *testing.T) {
	dir := repo(t, map[string]string{".github/dependabot.yml": "version: 2\n", "README.md": "# x\n"})
	res := runIn(t, dir, "scan", "--hook", ".github/dependabot.yml", "README.md")
	if res.code != ExitOK || res.stderr != "" {
		t.Errorf("exit %d, stderr %q; want a silent success", res.code, res.stderr)
	}
}

func TestVersion(t *testing.T) {
	for _, tt := range []struct {
		ldflags, module, want string
	}{
		{"", "v0.2.0", "0.2.0"},
		{"", "(devel)", "dev"},
		{"", "", "dev"},
		{"v1.2.3", "v0.2.0", "1.2.3"},
		{"", "v0.0.0-20250101000000-abcdef123456", "0.0.0-20250101000000-abcdef123456"},
	} {
		info := &debug.BuildInfo{Main: debug.Module{Version: tt.module}}
		if got := versionOf(tt.ldflags, info); got != tt.want {
			t.Errorf("versionOf(%q, %q) = %q, want %q", tt.ldflags, tt.module, got, tt.want)
		}
	}
	if got := versionOf("", nil); got != "dev" {
		t.Errorf("without build information: %q", got)
	}
	if res := run(t, "", "version"); res.stdout != "pipeguard "+Version()+"\n" {
		t.Errorf("version prints %q", res.stdout)
	}
}

// TestSelfScan scans this repository as its CI does: its workflows, its Action and its
// GitLab component must be clean, and the committed .pipeguard.yml must hold back the
// test fixtures and the demo, which have findings on purpose.
func TestSelfScan(t *testing.T) {
	root := testutil.RepoRoot(t)
	t.Chdir(root)
	res := run(t, "", "scan", "--format", "json", "--persona", "pedantic", ".")
	if res.code != ExitOK {
		t.Fatalf("pipeguard scan . exits %d:\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	var doc struct {
		Findings []model.Finding `json:"findings"`
		Summary  struct {
			Suppressed map[string]int `json:"suppressed"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 0 || doc.Summary.Suppressed["path-ignore"] == 0 {
		t.Errorf("findings %v, held back by path %d; want none, and the fixtures held back", rulesOf(doc.Findings), doc.Summary.Suppressed["path-ignore"])
	}
	own := run(t, "", "scan", "--format", "json", "--no-config", "--persona", "auditor", ".github", "action.yml", "templates")
	var ownDoc struct {
		Findings []model.Finding `json:"findings"`
		Summary  struct {
			Files int `json:"files"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(own.stdout), &ownDoc); err != nil {
		t.Fatal(err)
	}
	if own.code != ExitOK || len(ownDoc.Findings) != 0 || ownDoc.Summary.Files != 3 {
		t.Errorf("the workflows, Action and component: exit %d, %d files, findings %v; want 3 clean files", own.code, ownDoc.Summary.Files, rulesOf(ownDoc.Findings))
	}
}

func TestUnreadableIncludeInTheJSONErrors(t *testing.T) {
	dir := repo(t, map[string]string{".gitlab-ci.yml": "include:\n  - local: ci/missing.yml\nbuild:\n  script: [make]\n"})
	for _, persona := range []string{"regular", "auditor"} {
		res := run(t, "", "scan", "--format", "json", "--persona", persona, dir)
		var doc struct {
			Findings []model.Finding `json:"findings"`
			Errors   []struct {
				File, Message string
			} `json:"errors"`
		}
		if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Errors) != 1 || !strings.HasSuffix(doc.Errors[0].File, ".gitlab-ci.yml") || !strings.Contains(doc.Errors[0].Message, "ci/missing.yml could not be read") {
			t.Errorf("%s: errors %+v", persona, doc.Errors)
		}
		findings := rulesOf(doc.Findings)
		if (persona == "auditor") != (len(findings) == 1 && findings[0] == "unreadable-include@.gitlab-ci.yml:2=low") {
			t.Errorf("%s: findings %v", persona, findings)
		}
		if want := map[string]int{"regular": ExitOK, "auditor": ExitFindings}[persona]; res.code != want {
			t.Errorf("%s: exit %d, want %d (an unreadable include is no input error)", persona, res.code, want)
		}
	}
}

// TestDebugTimings checks the --debug summary on stderr: a line for each phase, then
// each rule that ran with the number of its evaluations (one per file of its platforms,
// one more for a rule with a repository pass).
func TestDebugTimings(t *testing.T) {
	dir := repo(t, map[string]string{".github/workflows/ci.yml": tokenWorkflow})
	res := run(t, "", "scan", "--debug", "--exit-zero", "--format", "json", dir)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	phases := []string{"load policies", "discover", "files (read, parse, evaluate)", "read *", "parse *", "evaluate *", "input conversion *", "collect", "repository pass", "filter"}
	for _, phase := range phases {
		if !regexp.MustCompile(`(?m)^ +` + regexp.QuoteMeta(phase) + ` +\d+\.\d ms$`).MatchString(res.stderr) {
			t.Errorf("no timing of the phase %q in:\n%s", phase, res.stderr)
		}
	}
	evals := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  ([a-z-]+) +\d+\.\d ms +(\d+) evaluations$`).FindAllStringSubmatch(res.stderr, -1) {
		evals[m[1]] = m[2]
	}
	eng, err := engine.Load(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, r := range eng.Rules() {
		if slices.Contains(r.Platforms, model.PlatformGitHub) {
			want[r.ID] = "1"
		}
	}
	want["credential-expiry"] = "2" // deny and deny_repository
	if !maps.Equal(evals, want) {
		t.Errorf("rule evaluations = %v, want %v\n%s", evals, want, res.stderr)
	}
}
