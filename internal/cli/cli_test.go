package cli

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// fakeSecret is a credential-shaped value made at test time, so no realistic secret is
// committed; the detector reports it when a credential-named key holds it.
var fakeSecret = "Zq8v" + "T1mR4pL0" + "xK7wB3nY"

// result is the outcome of one in-process run of the CLI.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the CLI in-process with the given arguments and standard input.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(args, Env{Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }})
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// jsonFindings runs a scan with --format json and decodes the findings.
func jsonFindings(t *testing.T, args ...string) ([]model.Finding, result) {
	t.Helper()
	res := run(t, "", append([]string{"scan", "--format", "json"}, args...)...)
	var out struct {
		Findings []model.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("decode JSON output: %v\nstdout: %s\nstderr: %s", err, res.stdout, res.stderr)
	}
	return out.Findings, res
}

// TestDoneWhenLiteralOpenAIKey is the core issue's acceptance case: a literal
// OPENAI_API_KEY in env: on line 7 is reported at line 7 in JSON and SARIF.
func TestDoneWhenLiteralOpenAIKey(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{".github/workflows/ci.yml": `name: ci
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      OPENAI_API_KEY: ` + fakeSecret + `
    steps:
      - run: make test
`})
	findings, _ := jsonFindings(t, dir)
	var found bool
	for _, f := range findings {
		if f.Rule == "hardcoded-token" && f.Line == 7 && f.Column == 23 {
			found = true
			if strings.Contains(f.Message, fakeSecret) {
				t.Errorf("message shows the secret: %s", f.Message)
			}
		}
	}
	if !found {
		t.Fatalf("no hardcoded-token finding at 7:23; findings: %+v", findings)
	}
	res := run(t, "", "scan", "--format", "sarif", dir)
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	found = false
	for _, r := range doc.Runs[0].Results {
		if r.RuleID == "hardcoded-token" && r.Locations[0].PhysicalLocation.Region.StartLine == 7 {
			found = true
		}
	}
	if !found {
		t.Fatalf("no SARIF result with startLine 7:\n%s", res.stdout)
	}
	validateSARIF(t, []byte(res.stdout))
}

func TestExitCodesAndGates(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{".github/workflows/bad.yml": "on: push\njobs: [\n"}) // a high parse-error
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"findings at or above --fail-on", []string{"scan", dir}, ExitFindings},
		{"--fail-on above the finding", []string{"scan", "--fail-on", "critical", dir}, ExitOK},
		{"--exit-zero", []string{"scan", "--exit-zero", dir}, ExitOK},
		{"--min-severity hides the finding", []string{"scan", "--min-severity", "critical", dir}, ExitOK},
		{"flags after the path", []string{"scan", dir, "--fail-on", "critical"}, ExitOK},
		{"unknown format", []string{"scan", "--format", "xml", dir}, ExitUsage},
		{"unknown severity", []string{"scan", "--fail-on", "urgent", dir}, ExitUsage},
		{"unknown persona", []string{"scan", "--persona", "boss", dir}, ExitUsage},
		{"missing path", []string{"scan", filepath.Join(dir, "nope")}, ExitUsage},
		{"stdin without --platform", []string{"scan", "-"}, ExitUsage},
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"no command", nil, ExitUsage},
		{"unknown rule", []string{"explain", "no-such-rule"}, ExitUsage},
		{"missing policy dir", []string{"scan", "--policy", filepath.Join(dir, "nope"), dir}, ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, "", tt.args...)
			if res.code != tt.want {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", res.code, tt.want, res.stdout, res.stderr)
			}
			if res.code == ExitUsage && strings.Count(strings.TrimSpace(res.stderr), "\n") > 0 && !strings.HasPrefix(res.stderr, "Usage") && len(tt.args) > 0 {
				t.Errorf("usage error is not one line: %q", res.stderr)
			}
			if strings.Contains(res.stderr, "goroutine") || strings.Contains(res.stderr, "panic") {
				t.Errorf("stack trace in stderr: %s", res.stderr)
			}
		})
	}
}

// TestBadInput checks that each kind of unusable file yields one clear parse-error
// finding and that the other files are still scanned.
func TestBadInput(t *testing.T) {
	good := "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      NPM_TOKEN: " + fakeSecret + "\n    steps:\n      - run: echo\n"
	tests := []struct {
		name    string
		content string
		wantMsg string
		line    int
	}{
		{"YAML syntax error", "on: push\njobs:\n  a: [\n", "invalid YAML", 3},
		{"not a workflow", "hello: world\n", "not a GitHub Actions workflow", 1},
		{"top level is a list", "- a\n- b\n", "the top level is a sequence", 1},
		{"empty file", "", "empty file", 1},
		{"binary file", "on: push\x00\x01\x02", "binary file", 1},
		{"jobs is a string", "on: push\njobs: nope\n", "`jobs:` is a scalar", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.WriteTree(t, map[string]string{
				".github/workflows/bad.yml":  tt.content,
				".github/workflows/good.yml": good,
			})
			findings, res := jsonFindings(t, dir)
			var parseErrors, goodFindings int
			for _, f := range findings {
				switch {
				case f.Rule == "parse-error" && strings.HasSuffix(f.File, "bad.yml"):
					parseErrors++
					if !strings.Contains(f.Message, tt.wantMsg) || f.Line != tt.line {
						t.Errorf("parse-error %d:%d %q, want line %d and %q", f.Line, f.Column, f.Message, tt.line, tt.wantMsg)
					}
				case strings.HasSuffix(f.File, "good.yml"):
					goodFindings++
				}
			}
			if parseErrors != 1 {
				t.Errorf("%d parse-error findings for bad.yml, want 1: %+v", parseErrors, findings)
			}
			if goodFindings == 0 {
				t.Errorf("good.yml was not scanned: %+v", findings)
			}
			if res.code != ExitFindings {
				t.Errorf("exit %d, want %d", res.code, ExitFindings)
			}
		})
	}
}

func TestFileOverSizeLimit(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{".github/workflows/big.yml": "on: push\n" + strings.Repeat("# padding\n", 200)})
	findings, _ := jsonFindings(t, "--max-size", "100", dir)
	if len(findings) != 1 || findings[0].Rule != "parse-error" || !strings.Contains(findings[0].Message, "over the 100 bytes size limit") {
		t.Fatalf("findings = %+v", findings)
	}
}

// TestDirectoryWithoutPipelines: a path the user named that holds no pipeline is a usage
// error with a one-line reason, not a silent success.
func TestDirectoryWithoutPipelines(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"README.md": "# nothing here\n"})
	res := run(t, "", "scan", dir)
	if res.code != ExitUsage || !strings.Contains(res.stderr, "no pipeline files found") || strings.Count(res.stderr, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
}

// TestSymlinkedScanRootIsFollowed: `pipeguard scan link` scans what the link points at.
func TestSymlinkedScanRootIsFollowed(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n      - run: codex exec --yolo x\n"})
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	res := run(t, "", "scan", "--format", "json", link)
	if res.code != ExitFindings || !strings.Contains(res.stdout, filepath.ToSlash(filepath.Join(link, ".github/workflows/ci.yml"))) {
		t.Fatalf("exit %d, stdout %s, stderr %s", res.code, res.stdout, res.stderr)
	}
}

// TestUnreadableDirectoryIsReported: a subdirectory the scan cannot read is an input error
// (exit 2), and the other files are still scanned.
func TestUnreadableDirectoryIsReported(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every directory")
	}
	dir := testutil.WriteTree(t, map[string]string{
		".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n      - run: codex exec --yolo x\n",
		"locked/Jenkinsfile":       "node { sh 'make' }\n",
	})
	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(locked, 0o755) //nolint:errcheck // restore for the temp dir's removal
	res := run(t, "", "scan", dir)
	if res.code != ExitUsage || !strings.Contains(res.stderr, "locked: cannot be read") || !strings.Contains(res.stdout, "agent-sandbox-bypass") {
		t.Fatalf("exit %d, stdout %s, stderr %s", res.code, res.stdout, res.stderr)
	}
}

func TestStandardInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Run([]string{"scan", "--platform", "github", "--format", "json", "-"}, Env{
		Stdin: strings.NewReader("on: push\njobs:\n  a: [\n"), Stdout: &stdout, Stderr: &stderr,
	})
	if code != ExitFindings || !strings.Contains(stdout.String(), `"file": "-"`) {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
}

func TestOutputFile(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{".github/workflows/bad.yml": "on: push\njobs: [\n"})
	out := filepath.Join(t.TempDir(), "report.sarif")
	// A longer file at the path must be truncated, not partly overwritten.
	if err := os.WriteFile(out, bytes.Repeat([]byte("x"), 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	res := run(t, "", "scan", "--format", "sarif", "--output", out, dir)
	if res.code != ExitFindings || res.stdout != "" {
		t.Fatalf("exit %d, stdout %q", res.code, res.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, data)
}

// TestGoldenOutputs scans examples/demo in every format and compares with
// testdata/golden; `go test ./internal/cli -update` rewrites the files.
func TestGoldenOutputs(t *testing.T) {
	root := testutil.RepoRoot(t)
	t.Chdir(root)
	for _, format := range []string{"text", "json", "sarif", "github", "gitlab"} {
		t.Run(format, func(t *testing.T) {
			res := run(t, "", "scan", "--format", format, "examples/demo")
			if res.code != ExitFindings {
				t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
			}
			got := strings.ReplaceAll(res.stdout, Version(), "VERSION")
			// The SARIF's %SRCROOT% is this checkout's absolute file:// URI.
			rootURI := (&url.URL{Scheme: "file", Path: filepath.ToSlash(root) + "/"}).String()
			got = strings.ReplaceAll(got, rootURI, "file:///CHECKOUT/")
			testutil.Golden(t, filepath.Join(root, "testdata", "golden", "demo."+format), got)
			if format == "sarif" {
				validateSARIF(t, []byte(res.stdout))
			}
		})
	}
}

// TestRulesDocIsCurrent checks that docs/rules.md, which SARIF's helpUri points at, is
// the output of `pipeguard rules --format markdown`; -update rewrites it.
func TestRulesDocIsCurrent(t *testing.T) {
	res := run(t, "", "rules", "--format", "markdown")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	testutil.Golden(t, filepath.Join(testutil.RepoRoot(t), "docs", "rules.md"), res.stdout)
}

// TestInspectDemoFiles prints the model of each demo file (one per platform) and
// compares it with testdata/golden/inspect.<platform>.json: the facts the policies see.
// No secret of the demo files may appear in it.
func TestInspectDemoFiles(t *testing.T) {
	root := testutil.RepoRoot(t)
	t.Chdir(root)
	for platform, file := range map[string]string{
		"github":   "examples/demo/.github/workflows/ai-fix.yml",
		"gitlab":   "examples/demo/.gitlab-ci.yml",
		"circleci": "examples/demo/.circleci/config.yml",
		"jenkins":  "examples/demo/Jenkinsfile",
	} {
		t.Run(platform, func(t *testing.T) {
			res := run(t, "", "inspect", file)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			for _, fact := range []string{`"effective_env"`, `"secrets_in_scope"`, `"label"`} {
				if !strings.Contains(res.stdout, fact) {
					t.Errorf("the model lacks %s", fact)
				}
			}
			testutil.Golden(t, filepath.Join(root, "testdata", "golden", "inspect."+platform+".json"), res.stdout)
		})
	}
}

// TestEveryCommandHasHelp checks that --help prints each command's usage on standard
// output and exits 0, and that a policy directory that does not exist is a usage error.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{[]string{"scan", "--help"}, ExitOK, "Usage: pipeguard scan", ""},
		{[]string{"rules", "--help"}, ExitOK, "Usage: pipeguard rules", ""},
		{[]string{"explain", "-h"}, ExitOK, "Usage: pipeguard explain", ""},
		{[]string{"inspect", "--help"}, ExitOK, "Usage: pipeguard inspect", ""},
		{[]string{"config", "init", "--help"}, ExitOK, "Usage: pipeguard config init", ""},
		{[]string{"credentials", "--help"}, ExitOK, "Usage: pipeguard credentials", ""},
		{[]string{"policy", "test", "--help"}, ExitOK, "Usage: pipeguard policy test", ""},
		{[]string{"policy", "test", "no-such-dir"}, ExitUsage, "", "policy directory no-such-dir"},
		{[]string{"credential"}, ExitUsage, "", `did you mean "credentials"`},
	} {
		res := run(t, "", tt.args...)
		if res.code != tt.wantCode || !strings.HasPrefix(res.stdout, tt.wantOut) || !strings.Contains(res.stderr, tt.wantErr) {
			t.Errorf("pipeguard %s: exit %d, stdout %.60q, stderr %q; want exit %d, stdout starting %q, stderr with %q",
				strings.Join(tt.args, " "), res.code, res.stdout, res.stderr, tt.wantCode, tt.wantOut, tt.wantErr)
		}
	}
}
