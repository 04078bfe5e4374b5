package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/secrets/secretstest"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// TestNoFullSecretInAnyOutput writes a generated token of every provider into pipelines
// of every platform (as values and inside scripts), scans them in every format, to
// standard output and to --output files, and checks that no full token appears in
// standard output, standard error or any written file.
func TestNoFullSecretInAnyOutput(t *testing.T) {
	var github, gitlab, circleci, jenkins strings.Builder
	github.WriteString("on: push\njobs:\n  leak:\n    runs-on: ubuntu-latest\n    env:\n")
	gitlab.WriteString("leak:\n  variables:\n")
	circleci.WriteString("version: 2.1\njobs:\n  leak:\n    docker:\n      - image: cimg/base:current\n    environment:\n")
	jenkins.WriteString("pipeline {\n  agent any\n  environment {\n")
	var script strings.Builder
	for i, tok := range secretstest.ProviderTokens {
		block := "|\n        " + strings.ReplaceAll(tok.Value, "\n", "\n        ")
		fmt.Fprintf(&github, "      VALUE_%d: %s\n", i, block)
		fmt.Fprintf(&gitlab, "    VALUE_%d: %s\n", i, "|\n      "+strings.ReplaceAll(tok.Value, "\n", "\n      "))
		fmt.Fprintf(&circleci, "      VALUE_%d: %s\n", i, "|\n        "+strings.ReplaceAll(tok.Value, "\n", "\n        "))
		fmt.Fprintf(&jenkins, "    VALUE_%d = '''%s'''\n", i, tok.Value)
		if !strings.Contains(tok.Value, "\n") {
			fmt.Fprintf(&script, "curl -H \"Authorization: Bearer %s\" https://api.example.com\n", tok.Value)
		}
	}
	indent := func(s, pad string) string { return pad + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n"+pad) }
	github.WriteString("    steps:\n      - run: |\n" + indent(script.String(), "          ") + "\n")
	gitlab.WriteString("  script:\n    - |\n" + indent(script.String(), "      ") + "\n")
	circleci.WriteString("    steps:\n      - run: |\n" + indent(script.String(), "          ") + "\nworkflows:\n  main:\n    jobs: [leak]\n")
	jenkins.WriteString("  }\n  stages {\n    stage('leak') {\n      steps {\n        sh '''\n" + script.String() + "'''\n      }\n    }\n  }\n}\n")
	dir := testutil.WriteTree(t, map[string]string{
		".github/workflows/leak.yml": github.String(),
		".gitlab-ci.yml":             gitlab.String(),
		".circleci/config.yml":       circleci.String(),
		"Jenkinsfile":                jenkins.String(),
	})

	outDir := t.TempDir()
	for _, format := range []string{"text", "json", "sarif", "github", "gitlab"} {
		res := run(t, "", "scan", "--format", format, "--persona", "auditor", dir)
		outFile := filepath.Join(outDir, "report."+format)
		fileRes := run(t, "", "scan", "--format", format, "--persona", "auditor", "--output", outFile, dir)
		written, err := os.ReadFile(outFile)
		if err != nil {
			t.Fatal(err)
		}
		for name, text := range map[string]string{
			format + " stdout": res.stdout, format + " stderr": res.stderr + fileRes.stderr,
			format + " --output file": string(written),
		} {
			for _, tok := range secretstest.ProviderTokens {
				if strings.Contains(text, tok.Value) {
					t.Errorf("%s shows the full %s token", name, tok.Rule)
				}
			}
		}
		if format == "json" {
			// The scan must really have found them: one finding per token and platform
			// for the values, and more for the scripts.
			if n := strings.Count(res.stdout, `"rule": "hardcoded-token"`); n < 4*len(secretstest.ProviderTokens) {
				t.Errorf("only %d hardcoded-token findings for %d tokens on 4 platforms", n, len(secretstest.ProviderTokens))
			}
		}
	}
}

// TestHostileTextOutput checks what the text report quotes and prints when the scanned
// file and a user policy are hostile: a token in a comment on a finding's line is masked
// (the detector runs on the quoted line itself), a finding whose pos.file names a file
// the scan did not read quotes nothing of it, and control characters from the file never
// reach the output.
func TestHostileTextOutput(t *testing.T) {
	token := secretstest.ProviderTokens[0].Value
	outside := testutil.WriteTree(t, map[string]string{"secret.txt": "root:x:0:0:the-outside-file\n"})
	dir := testutil.WriteTree(t, map[string]string{
		".github/workflows/ci.yml": "name: \"\\e[2J\\e]0;pwned\\a\"\non: push\njobs:\n  fix:\n    runs-on: self-hosted\n    steps:\n      - run: codex exec --yolo x # " + token + "\n",
	})
	policy := testutil.WriteTree(t, map[string]string{"p.rego": `# METADATA
# title: T
# description: D
# custom:
#   id: hostile-policy
#   severity: high
#   confidence: high
#   category: c
#   platforms: [github]
#   persona: regular
#   help: H
package pipeguard.rules.hostile_policy

import rego.v1

deny contains {"msg": sprintf("workflow %s", [input.name]), "pos": {"line": 1, "col": 1, "file": "` + filepath.ToSlash(filepath.Join(outside, "secret.txt")) + `"}} if true
`})
	res := run(t, "", "scan", "--policy", policy, dir)
	if res.code != ExitFindings {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	out := res.stdout + res.stderr
	if strings.Contains(out, token) {
		t.Error("the token in the comment on the finding's line is printed")
	}
	if strings.Contains(out, "the-outside-file") {
		t.Error("a line of a file the scan did not read is printed")
	}
	if strings.ContainsAny(out, "\x1b\a") {
		t.Errorf("control characters from the file reach the output: %q", out)
	}
	if !strings.Contains(out, "workflow \u241b[2J") {
		t.Errorf("the hostile workflow name is not shown in a visible form:\n%s", out)
	}
}

// TestSlowPolicyIsStoppedAndReported: --policy-timeout stops a user policy that would
// run for minutes; the scan reports it (exit 3, on stderr and in every format's errors)
// and the built-in findings of the file are still there.
func TestSlowPolicyIsStoppedAndReported(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{".github/workflows/ci.yml": "on: push\njobs:\n  fix:\n    runs-on: self-hosted\n    steps:\n      - run: codex exec --yolo x\n"})
	policy := testutil.WriteTree(t, map[string]string{"slow.rego": `# METADATA
# title: T
# description: D
# custom:
#   id: slow-policy
#   severity: high
#   confidence: high
#   category: c
#   platforms: [github]
#   persona: regular
#   help: H
package pipeguard.rules.slow_policy

import rego.v1

pairs := [[a, b] | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000)]

deny contains {"msg": sprintf("%d", [count(pairs)]), "pos": {"line": 1}} if true
`})
	for _, format := range []string{"text", "json"} {
		res := run(t, "", "scan", "--format", format, "--policy", policy, "--policy-timeout", "200ms", dir)
		if res.code != ExitInternal || !strings.Contains(res.stderr, "slow-policy") || !strings.Contains(res.stderr, "policy timeout") {
			t.Fatalf("%s: exit %d, stderr %q", format, res.code, res.stderr)
		}
		if !strings.Contains(res.stdout, "agent-sandbox-bypass") {
			t.Errorf("%s: the built-in finding is missing:\n%s", format, res.stdout)
		}
		if format == "json" && !strings.Contains(res.stdout, `"rule": "slow-policy"`) {
			t.Errorf("json errors lack the rule:\n%s", res.stdout)
		}
	}
}
