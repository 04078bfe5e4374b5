package scan

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	_ "github.com/pipeguard/pipeguard/internal/parse/all" // every parser
	"github.com/pipeguard/pipeguard/internal/testutil"
	_ "github.com/pipeguard/pipeguard/internal/testutil" // accepts -update like every test binary
)

func finding(rule, file, severity, persona string) engine.Evaluated {
	return engine.Evaluated{Finding: model.Finding{Rule: rule, File: file, Severity: severity, Line: 1, Column: 1}, Persona: persona}
}

func TestFilterStagesRunInOrder(t *testing.T) {
	in := []engine.Evaluated{
		finding("off", "a.yml", "critical", "regular"),      // disabled
		finding("loud", "a.yml", "low", "regular"),          // remapped to critical: kept, fails
		finding("noisy", "vendor/x.yml", "high", "regular"), // ignored path for every rule
		finding("scoped", "tests/x.yml", "high", "regular"), // ignored path for its rule
		finding("scoped", "src/x.yml", "high", "regular"),   // same rule elsewhere: kept
		finding("inline", "a.yml", "high", "regular"),       // acknowledged inline
		finding("known", "a.yml", "high", "regular"),        // in the baseline
		finding("deep", "a.yml", "high", "auditor"),         // persona
		finding("quiet", "a.yml", "info", "regular"),        // min severity
	}
	f := Filter{
		DisabledRules: []string{"off"},
		Severities:    map[string]string{"loud": "critical", "quiet": "info"},
		IgnorePaths:   []PathIgnore{{Glob: glob(t, "vendor/*")}, {Rule: "scoped", Glob: glob(t, "tests/**")}},
		InlineIgnore: func(f model.Finding) (Acknowledgement, bool) {
			return Acknowledgement{Reason: "acknowledged"}, f.Rule == "inline" || f.Rule == "off"
		},
		Baseline:    func(f model.Finding) bool { return f.Rule == "known" },
		MinSeverity: "low",
		FailOn:      "critical",
	}
	var res Result
	f.apply(in, &res)
	var kept []string
	for _, k := range res.Findings {
		kept = append(kept, k.Rule+"@"+k.File+"="+k.Severity)
	}
	if want := []string{"loud@a.yml=critical", "scoped@src/x.yml=high"}; !slices.Equal(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
	stages := map[string]string{}
	for _, s := range res.Suppressed {
		stages[s.Rule+"@"+s.File] = s.Stage
	}
	want := map[string]string{
		"off@a.yml": StageDisabled, "noisy@vendor/x.yml": StagePathIgnore, "scoped@tests/x.yml": StagePathIgnore,
		"inline@a.yml": StageInlineIgnore, "known@a.yml": StageBaseline, "deep@a.yml": StagePersona, "quiet@a.yml": StageMinSeverity,
	}
	for k, v := range want {
		if stages[k] != v {
			t.Errorf("%s held back by %q, want %q", k, stages[k], v)
		}
	}
	if len(stages) != len(want) {
		t.Errorf("suppressed %v", stages)
	}
	if !res.Failing {
		t.Error("the remapped critical finding does not fail the scan")
	}
}

func glob(t *testing.T, pattern string) config.Glob {
	t.Helper()
	g, err := config.CompileGlob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestFilterDefaults(t *testing.T) {
	var res Result
	Filter{}.apply([]engine.Evaluated{finding("r", "a", "low", "regular"), finding("r", "b", "info", "pedantic")}, &res)
	if len(res.Findings) != 1 || !res.Failing {
		t.Fatalf("defaults: findings %+v failing %v; want the low regular one, failing", res.Findings, res.Failing)
	}
}

const agentWorkflow = `on: push
jobs:
  fix:
    runs-on: self-hosted
    steps:
      - run: codex exec --yolo "fix it"
`

func TestScanKeepsOtherRulesWhenOneFails(t *testing.T) {
	policy := testutil.WriteTree(t, map[string]string{"bad.rego": `# METADATA
# title: T
# description: D
# custom:
#   id: bad-rule
#   severity: high
#   confidence: high
#   category: c
#   platforms: [github]
#   persona: regular
#   help: H
package pipeguard.rules.bad_rule

import rego.v1

value := 1 if true

value := 2 if input.platform == "github"

deny contains {"msg": sprintf("%d", [value]), "pos": {"line": 1}} if true
`})
	repo := testutil.WriteTree(t, map[string]string{".github/workflows/ai.yml": agentWorkflow})
	eng, err := engine.Load(context.Background(), engine.Options{PolicyDirs: []string{policy}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := New(eng, Options{}).Scan(context.Background(), []string{repo})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.RuleErrors) != 1 || res.RuleErrors[0].Rule != "bad-rule" || !strings.HasSuffix(res.RuleErrors[0].File, "ai.yml") {
		t.Fatalf("rule errors = %v, want one for bad-rule on ai.yml", res.RuleErrors)
	}
	var sandbox []model.Finding
	for _, f := range res.Findings {
		if f.Rule == "agent-sandbox-bypass" {
			sandbox = append(sandbox, f)
		}
	}
	if len(sandbox) != 1 || sandbox[0].Severity != "critical" {
		t.Fatalf("findings = %+v, want the critical agent-sandbox-bypass finding", res.Findings)
	}
}

func TestRepositoryPassSeesEveryFileOfARepository(t *testing.T) {
	policy := testutil.WriteTree(t, map[string]string{"repo.rego": `# METADATA
# title: T
# description: D
# custom:
#   id: secrets-census
#   severity: info
#   confidence: high
#   category: c
#   platforms: [github]
#   persona: regular
#   help: H
package pipeguard.rules.secrets_census

import rego.v1

deny contains {"msg": "never", "pos": {"line": 1}} if false

deny_repository contains {"msg": sprintf("%d files read %s", [count(input.repository.files), concat(",", names)]), "pos": {"line": 1, "file": input.repository.files[0].file}} if {
	names := sort({s.name | some f in input.repository.files; some s in f.secrets})
}
`})
	repo := testutil.WriteTree(t, map[string]string{
		".github/workflows/a.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        env: {T: '${{ secrets.NPM_TOKEN }}'}\n",
		".github/workflows/b.yml": "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: x/y@v1\n        with: {key: '${{ secrets.DEPLOY_KEY }}'}\n",
	})
	eng, err := engine.Load(context.Background(), engine.Options{PolicyDirs: []string{policy}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := New(eng, Options{}).Scan(context.Background(), []string{repo})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, f := range res.Findings {
		if f.Rule == "secrets-census" {
			msgs = append(msgs, f.Message)
		}
	}
	if want := []string{"2 files read DEPLOY_KEY,NPM_TOKEN"}; !slices.Equal(msgs, want) {
		t.Fatalf("repository findings %v, want %v (errors %v)", msgs, want, res.RuleErrors)
	}
}

func TestMissingPathIsAnInputError(t *testing.T) {
	eng, err := engine.Load(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := New(eng, Options{}).Scan(context.Background(), []string{filepath.Join(t.TempDir(), "nope")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.InputErrors) != 1 || !strings.Contains(res.InputErrors[0].Message, "no such file") {
		t.Fatalf("input errors = %v", res.InputErrors)
	}
}

func TestStdinNeedsPlatform(t *testing.T) {
	eng, err := engine.Load(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(eng, Options{Stdin: strings.NewReader("on: push")}).Scan(context.Background(), []string{StdinPath})
	var ue UsageError
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "needs --platform") {
		t.Fatalf("err = %v, want a usage error asking for --platform", err)
	}
}
