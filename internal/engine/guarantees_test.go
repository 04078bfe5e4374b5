package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// userRule returns a user policy with id and the given body after the METADATA block,
// for platforms.
func userRule(id, platforms, body string) string {
	pkg := strings.ReplaceAll(id, "-", "_")
	return strings.NewReplacer("id: %s", "id: "+id, "pipeguard.rules.%s", "pipeguard.rules."+pkg, "[github]", platforms).
		Replace(strings.SplitAfter(validMeta, "import rego.v1\n")[0]) + "\n" + body + "\n"
}

// loadWith loads the built-in policies plus user policies written to a temp directory.
func loadWith(t *testing.T, opts Options, files map[string]string) *Engine {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		writeFile(t, filepath.Join(dir, name), src)
	}
	opts.PolicyDirs = append(opts.PolicyDirs, dir)
	eng, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return eng
}

// brokenFile is a GitHub pipeline with one parse error, so that the built-in parse-error
// rule fires on it.
func brokenFile() *model.Pipeline {
	return &model.Pipeline{Platform: model.PlatformGitHub, File: "w.yml",
		ParseErrors: []model.ParseError{{Message: "bad", Pos: model.Point(2, 3)}}}
}

const pos = `{"line": 1, "col": 1, "end_line": 1, "end_col": 2}`

func TestRuleErrorsDoNotHideOtherFindings(t *testing.T) {
	tests := []struct {
		name, body, wantErr string
	}{
		{"conflict", `value := 1 if true
value := 2 if input.platform == "github"
deny contains {"msg": sprintf("%d", [value]), "pos": ` + pos + `} if true`, "eval_conflict_error"},
		{"function conflict", `f(x) := 1 if x
f(x) := 2 if x
deny contains {"msg": sprintf("%d", [f(true)]), "pos": ` + pos + `} if true`, "produced conflicting values"},
		{"unknown severity", `deny contains {"msg": "m", "severity": "hihg", "pos": ` + pos + `} if true`, `unknown severity "hihg"`},
		{"unknown persona", `deny contains {"msg": "m", "persona": "boss", "pos": ` + pos + `} if true`, `unknown persona "boss"`},
		{"unknown confidence", `deny contains {"msg": "m", "confidence": "sure", "pos": ` + pos + `} if true`, `unknown confidence "sure"`},
		{"no pos", `deny contains {"msg": "m"} if true`, "has no pos"},
		{"zero pos", `deny contains {"msg": "m", "pos": {"line": 0}} if true`, "lines start at 1"},
		{"no msg", `deny contains {"pos": ` + pos + `} if true`, "has no msg"},
		{"unknown key", `deny contains {"msg": "m", "sevirity": "high", "pos": ` + pos + `} if true`, `unknown key "sevirity"`},
		{"not an object", `deny contains "just a string" if true`, "must be an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := loadWith(t, Options{}, map[string]string{"bad.rego": userRule("bad-rule", "[github]", tt.body)})
			got, errs := eng.Evaluate(context.Background(), brokenFile())
			if len(errs) != 1 || errs[0].Rule != "bad-rule" || errs[0].File != "w.yml" || !strings.Contains(errs[0].Error(), tt.wantErr) {
				t.Fatalf("errors = %v, want one for bad-rule on w.yml containing %q", errs, tt.wantErr)
			}
			if len(got) != 1 || got[0].Rule != "parse-error" {
				t.Fatalf("findings = %+v, want the built-in parse-error finding", got)
			}
		})
	}
}

func TestRulesRunOnlyOnTheirPlatforms(t *testing.T) {
	body := `deny contains {"msg": "hello", "pos": ` + pos + `} if true`
	eng := loadWith(t, Options{}, map[string]string{"g.rego": userRule("gitlab-only", "[gitlab]", body)})
	for _, tt := range []struct {
		platform string
		want     int
	}{{model.PlatformGitHub, 0}, {model.PlatformGitLab, 1}} {
		p := &model.Pipeline{Platform: tt.platform, File: "f"}
		got, errs := eng.Evaluate(context.Background(), p)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if len(got) != tt.want {
			t.Errorf("%s: %d findings, want %d", tt.platform, len(got), tt.want)
		}
	}
}

func TestPolicyTimeoutStopsARule(t *testing.T) {
	body := `deny contains {"msg": sprintf("%d", [count(pairs)]), "pos": ` + pos + `} if true
pairs := [[a, b] | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000)]`
	eng := loadWith(t, Options{Timeout: 100 * time.Millisecond}, map[string]string{"slow.rego": userRule("slow-rule", "[github]", body)})
	start := time.Now()
	got, errs := eng.Evaluate(context.Background(), brokenFile())
	// The timeout bounds all rules over one file: the built-in rules evaluated after
	// slow-rule (in rule order) find it spent and stop too.
	stopped := false
	for _, e := range errs {
		if !strings.Contains(e.Error(), "policy timeout") {
			t.Errorf("error %v, want only policy timeouts", e)
		}
		stopped = stopped || e.Rule == "slow-rule"
	}
	if !stopped {
		t.Fatalf("errors = %v, want slow-rule stopped by the policy timeout", errs)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the rule ran for %s despite a 100ms timeout", elapsed)
	}
	if len(got) != 1 {
		t.Errorf("findings = %+v, want the parse-error finding", got)
	}
}

func TestPoliciesAreTypeCheckedAgainstTheInputSchema(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "typo.rego"), userRule("typo-rule", "[github]",
		`deny contains {"msg": "m", "pos": job.pos} if { some job in input.jobs; job.runner.isolaton == "none" }`))
	_, err := Load(context.Background(), Options{PolicyDirs: []string{dir}})
	if err == nil || !strings.Contains(err.Error(), "undefined ref") || !strings.Contains(err.Error(), "isolaton") {
		t.Fatalf("err = %v, want an undefined ref error naming isolaton", err)
	}
}

// TestBuiltinPoliciesPassEveryCompilerCheck compiles the built-in policies with every
// check of the compiler and the input schema, as Load does whenever user policies are
// loaded beside them (without them, Load skips the checks).
func TestBuiltinPoliciesPassEveryCompilerCheck(t *testing.T) {
	loadWith(t, Options{}, map[string]string{"none.rego": userRule("no-op-rule", "[github]", `deny contains {"msg": "m", "pos": `+pos+`} if false`)})
}

func TestRepositoryPass(t *testing.T) {
	body := `deny_repository contains {"msg": sprintf("%d files", [count(input.repository.files)]), "pos": {"line": 1, "file": input.repository.root}} if true
deny contains {"msg": "m", "pos": ` + pos + `} if false`
	eng := loadWith(t, Options{}, map[string]string{"repo.rego": userRule("repo-rule", "[github]", body)})
	repo := &model.Repository{Root: "r", Files: []model.RepositoryFile{{File: "r/a.yml", Platform: "github"}, {File: "r/b.yml", Platform: "github"}}}
	got, errs := eng.EvaluateRepository(context.Background(), repo)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(got) != 1 || got[0].Message != "2 files" || got[0].File != "r" || got[0].Line != 1 {
		t.Fatalf("findings = %+v", got)
	}
}

// TestPoliciesDirectoryIsAPlainBundle runs OPA's tester over policies/ exactly as the
// stock `opa test policies/` does: the same loader, default capabilities, no help from
// pipeguard's engine.
func TestPoliciesDirectoryIsAPlainBundle(t *testing.T) {
	dir := filepath.Join(testutil.RepoRoot(t), "policies")
	modules, store, err := tester.Load([]string{dir}, nil)
	if err != nil {
		t.Fatalf("tester.Load: %v", err)
	}
	ctx := context.Background()
	txn, err := store.NewTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Abort(ctx, txn)
	ch, err := tester.NewRunner().SetStore(store).SetModules(modules).RunTests(ctx, txn)
	if err != nil {
		t.Fatalf("RunTests: %v", err)
	}
	n := 0
	for r := range ch {
		n++
		if !r.Pass() {
			t.Errorf("%s.%s failed (error: %v)", r.Package, r.Name, r.Error)
		}
	}
	if n == 0 {
		t.Fatal("no tests found in policies/")
	}
}

func TestMemoryGuardStopsARule(t *testing.T) {
	body := `deny contains {"msg": sprintf("%d", [count(big)]), "pos": ` + pos + `} if true
big := [[a, b, c] | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000); some c in ["x", "y"]]`
	eng := loadWith(t, Options{Timeout: time.Minute, MemoryLimit: 128 << 20}, map[string]string{"big.rego": userRule("big-rule", "[github]", body)})
	start := time.Now()
	got, errs := eng.Evaluate(context.Background(), brokenFile())
	if len(errs) != 1 || errs[0].Rule != "big-rule" || !strings.Contains(errs[0].Error(), "memory limit") {
		t.Fatalf("errors = %v, want big-rule stopped by the memory guard", errs)
	}
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("the rule ran for %s", elapsed)
	}
	if len(got) != 1 {
		t.Errorf("findings = %+v, want the parse-error finding", got)
	}
}
