package engine

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipeguard/pipeguard/internal/model"
)

func TestLoadBuiltinPolicies(t *testing.T) {
	eng, err := Load(context.Background(), Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(eng.Rules()) == 0 {
		t.Fatal("no rules loaded")
	}
	for _, r := range eng.Rules() {
		if !r.Builtin {
			t.Errorf("rule %s: Builtin = false", r.ID)
		}
	}
	for _, id := range []string{"parse-error", "hardcoded-token"} {
		if _, ok := eng.Rule(id); !ok {
			t.Errorf("rule %s not loaded", id)
		}
	}
}

// TestRegoUnitTests runs every *_test.rego of the built-in policies.
func TestRegoUnitTests(t *testing.T) {
	eng, err := Load(context.Background(), Options{Tests: true})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	results, err := RunPolicyTests(context.Background(), eng)
	if err != nil {
		t.Fatalf("RunPolicyTests: %v", err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		if !r.Pass() {
			t.Errorf("%s.%s failed (error: %v)", r.Package, r.Name, r.Error)
		}
	}
}

const validMeta = `# METADATA
# title: T
# description: D
# custom:
#   id: %s
#   severity: high
#   confidence: high
#   category: c
#   platforms: [github]
#   persona: regular
#   help: H
package pipeguard.rules.%s

import rego.v1

deny contains {"msg": "m", "pos": {"line": 1, "col": 1, "end_line": 1, "end_col": 2}} if true
`

func TestRuleMetadataIsChecked(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
	}{
		{"valid", map[string]string{"a.rego": fmtRule("my-rule", "my_rule")}, ""},
		{"no metadata", map[string]string{"a.rego": "package pipeguard.rules.x\n\nimport rego.v1\n\ndeny contains 1 if true\n"}, "has no `# METADATA` block"},
		{"missing help", map[string]string{"a.rego": strings.Replace(fmtRule("x", "x"), "#   help: H\n", "", 1)}, "lacks custom.help"},
		{"bad severity", map[string]string{"a.rego": strings.Replace(fmtRule("x", "x"), "severity: high", "severity: urgent", 1)}, `unknown severity "urgent"`},
		{"bad platform", map[string]string{"a.rego": strings.Replace(fmtRule("x", "x"), "[github]", "[travis]", 1)}, `unknown platform "travis"`},
		{"package does not match id", map[string]string{"a.rego": fmtRule("x-y", "other")}, "must live in package pipeguard.rules.x_y"},
		{"duplicate id", map[string]string{"a.rego": fmtRule("dup", "dup"), "b.rego": fmtRule("dup", "dup")}, `rule id "dup" is already used`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := newPolicySet(false)
			fsys := fstest.MapFS{}
			for name, src := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(src)}
			}
			if err := set.add(fsys, ".", "test:", false); err != nil {
				t.Fatalf("add: %v", err)
			}
			_, err := set.rules()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("rules: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func fmtRule(id, pkg string) string {
	return strings.Replace(strings.Replace(validMeta, "id: %s", "id: "+id, 1), "pipeguard.rules.%s", "pipeguard.rules."+pkg, 1)
}

// TestPoliciesCannotReachNetworkOrEnvironment compiles user policies that call the
// forbidden builtins: each must be rejected.
func TestPoliciesCannotReachNetworkOrEnvironment(t *testing.T) {
	for _, call := range []string{
		`http.send({"method": "GET", "url": "http://127.0.0.1"})`,
		`opa.runtime()`,
		`net.lookup_ip_addr("localhost")`,
	} {
		t.Run(call, func(t *testing.T) {
			dir := t.TempDir()
			src := fmtRule("leaky", "leaky") + "\nx := " + call + "\n"
			writeFile(t, dir+"/leaky.rego", src)
			_, err := Load(context.Background(), Options{PolicyDirs: []string{dir}})
			if err == nil || !strings.Contains(err.Error(), "undefined function") {
				t.Fatalf("Load with %s: err = %v, want an undefined function error", call, err)
			}
		})
	}
}

func TestEvaluateParseErrors(t *testing.T) {
	eng, err := Load(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := &model.Pipeline{Platform: model.PlatformGitHub, File: "w.yml", ParseErrors: []model.ParseError{{Message: "bad", Pos: model.Pos{Line: 3, Col: 5, EndLine: 3, EndCol: 9}}}}
	got, errs := eng.Evaluate(context.Background(), p)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(got) != 1 || got[0].Rule != "parse-error" || got[0].Line != 3 || got[0].Column != 5 || got[0].EndColumn != 9 || got[0].Severity != "high" {
		t.Fatalf("findings = %+v", got)
	}
	if got[0].Fingerprint == "" {
		t.Error("empty fingerprint")
	}
}
