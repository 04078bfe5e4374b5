package config

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

const fullConfig = `version: 1
persona: pedantic
fail-on: high
min-severity: low
rules:
  disable: [parse-error]
  severity:
    agent-sandbox-bypass: medium
ignore:
  paths: ["testdata/**", vendor]
  rules:
    hardcoded-token: [docs/**/*.yml]
policies: [policy, /abs/policy]
runner-isolation:
  GPU-Runners: ephemeral-vm
  "*": none
credentials:
  inventory: secrets/inventory.yml
`

func TestParseFullConfig(t *testing.T) {
	cfg, err := Parse(filepath.Join("repo", ".pipeguard.yml"), []byte(fullConfig))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Persona.Value != "pedantic" || cfg.Persona.Pos != (model.Pos{Line: 2, Col: 10, EndLine: 2, EndCol: 18}) {
		t.Errorf("persona = %+v", cfg.Persona)
	}
	if cfg.FailOn.Value != "high" || cfg.MinSeverity.Value != "low" {
		t.Errorf("fail-on %q, min-severity %q", cfg.FailOn.Value, cfg.MinSeverity.Value)
	}
	if len(cfg.DisabledRules) != 1 || cfg.DisabledRules[0].Value != "parse-error" || cfg.DisabledRules[0].Pos.Line != 6 || cfg.DisabledRules[0].Pos.Col != 13 {
		t.Errorf("disabled = %+v", cfg.DisabledRules)
	}
	if len(cfg.Severities) != 1 || cfg.Severities[0].Rule.Value != "agent-sandbox-bypass" || cfg.Severities[0].Severity != "medium" || cfg.Severities[0].Rule.Pos.Line != 8 {
		t.Errorf("severities = %+v", cfg.Severities)
	}
	var ignores []string
	for _, ig := range cfg.IgnorePaths {
		ignores = append(ignores, ig.Rule.Value+":"+ig.Glob.String())
	}
	if want := []string{":testdata/**", ":vendor", "hardcoded-token:docs/**/*.yml"}; !reflect.DeepEqual(ignores, want) {
		t.Errorf("ignores = %v, want %v", ignores, want)
	}
	if want := []string{filepath.Join("repo", "policy"), "/abs/policy"}; !reflect.DeepEqual(cfg.PolicyDirs, want) {
		t.Errorf("policy dirs = %v, want %v", cfg.PolicyDirs, want)
	}
	if want := (isolation.Labels{"GPU-Runners": "ephemeral-vm", "*": "none"}); !reflect.DeepEqual(cfg.RunnerIsolation, want) {
		t.Errorf("runner isolation = %v", cfg.RunnerIsolation)
	}
	if got, ok := cfg.RunnerIsolation.Lookup([]string{"gpu-runners"}); !ok || got != "ephemeral-vm" {
		t.Errorf("lookup gpu-runners = %q, %v", got, ok)
	}
	if cfg.InventoryPath() != filepath.Join("repo", "secrets", "inventory.yml") {
		t.Errorf("inventory = %s", cfg.InventoryPath())
	}
}

func TestParseEmptyAndDefaults(t *testing.T) {
	for _, data := range []string{"", "# only a comment\n", "rules:\nignore:\n"} {
		cfg, err := Parse(filepath.Join("r", ".pipeguard.yml"), []byte(data))
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if cfg.Persona.Value != "" || len(cfg.IgnorePaths) != 0 || cfg.RunnerIsolation != nil {
			t.Errorf("%q: %+v", data, cfg)
		}
		if cfg.InventoryPath() != filepath.Join("r", DefaultInventory) {
			t.Errorf("default inventory = %s", cfg.InventoryPath())
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data string
		want       string // the whole error, file:line:col: message
	}{
		{"unknown top-level key", "persona: regular\nfail_on: high\n",
			`c.yml:2:1: unknown key "fail_on" in the configuration (did you mean "fail-on"?) (known keys: credentials, fail-on, ignore, min-severity, persona, policies, rules, runner-isolation, version)`},
		{"unknown nested key", "rules:\n  disabled: [x]\n",
			`c.yml:2:3: unknown key "disabled" in ` + "`rules`" + ` (did you mean "disable"?) (known keys: disable, severity)`},
		{"unknown severity", "fail-on: hihg\n",
			`c.yml:1:10: unknown fail-on "hihg" (did you mean "high"?) (want one of critical, high, medium, low, info)`},
		{"unknown persona", "persona: boss\n",
			`c.yml:1:10: unknown persona "boss" (want one of regular, pedantic, auditor)`},
		{"a list where a mapping goes", "ignore: [a]\n",
			"c.yml:1:9: `ignore` must be a mapping, not a sequence"},
		{"a string where a list goes", "rules:\n  disable: parse-error\n",
			"c.yml:2:12: `rules.disable` must be a list, not a scalar"},
		{"a mapping in a list", "policies:\n  - {a: b}\n",
			"c.yml:2:5: each entry of `policies` must be a string, not a mapping"},
		{"repeated key", "persona: regular\npersona: auditor\n",
			`c.yml:2:1: key "persona" is given twice in the configuration`},
		{"bad glob", "ignore:\n  paths: [\"a/[b\"]\n",
			"c.yml:2:12: bad path pattern \"a/[b\": `[` without a closing `]`"},
		{"bad isolation", "runner-isolation:\n  big: sandboxed\n",
			`c.yml:2:8: unknown the isolation of big "sandboxed" (want one of isolated, ephemeral-vm, none, unknown)`},
		{"label twice", "runner-isolation:\n  Big: none\n  big: isolated\n",
			`c.yml:3:3: runner label "big" is given twice (labels are matched without regard to case)`},
		{"unknown version", "version: 2\n",
			`c.yml:1:10: unknown configuration version "2" (want 1)`},
		{"bad severity remap", "rules:\n  severity:\n    x: urgent\n",
			`c.yml:3:8: unknown the severity of x "urgent" (want one of critical, high, medium, low, info)`},
		{"top level is a list", "- a\n", "c.yml:1:1: the configuration must be a mapping, not a sequence"},
		{"YAML syntax error", "rules:\n  disable: [a\n", "c.yml:2:1: invalid YAML: did not find expected ',' or ']'"},
		{"empty entry", "policies: ['']\n", "c.yml:1:12: empty entry in `policies`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yml", []byte(tt.data))
			var cfgErr *Error
			if !errors.As(err, &cfgErr) {
				t.Fatalf("error %v is not a *config.Error", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n %s\nwant:\n %s", err, tt.want)
			}
		})
	}
}

func TestCheckRules(t *testing.T) {
	cfg, err := Parse("c.yml", []byte("rules:\n  disable: [parse-error]\nignore:\n  rules:\n    hardcoded-tokn: [x]\n"))
	if err != nil {
		t.Fatal(err)
	}
	known := []string{"parse-error", "hardcoded-token", "agent-sandbox-bypass"}
	want := `c.yml:5:5: unknown rule "hardcoded-tokn" (did you mean "hardcoded-token"?); run 'pipeguard rules' for the list`
	if err := cfg.CheckRules(known); err == nil || err.Error() != want {
		t.Errorf("CheckRules = %v, want %s", err, want)
	}
	if err := cfg.CheckRules(append(known, "hardcoded-tokn")); err != nil {
		t.Errorf("CheckRules with every rule known = %v", err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) {
		t.Helper()
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("outside/.pipeguard.yml") // above the repository: never read
	mk("outside/repo/.git/HEAD")
	mk("outside/repo/.pipeguard.yml")
	mk("outside/repo/sub/deeper/x.yml")
	mk("outside/repo/nested/.pipeguard.yaml")
	mk("outside/repo/nested/a/.github/workflows/ci.yml")
	mk("outside/norepo/.git/HEAD")
	mk("outside/norepo/a/ci.yml")
	tests := []struct{ start, want string }{
		{"outside/repo/sub/deeper", "outside/repo/.pipeguard.yml"},
		{"outside/repo/sub/deeper/x.yml", "outside/repo/.pipeguard.yml"},
		{"outside/repo", "outside/repo/.pipeguard.yml"},
		{"outside/repo/nested/a/.github/workflows", "outside/repo/nested/.pipeguard.yaml"},
		{"outside/norepo/a", ""},
	}
	for _, tt := range tests {
		got, err := Find(filepath.Join(root, filepath.FromSlash(tt.start)))
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if tt.want != "" {
			want = filepath.Join(root, filepath.FromSlash(tt.want))
		}
		if got != want {
			t.Errorf("Find(%s) = %q, want %q", tt.start, got, want)
		}
	}
}

func TestLoadBoundsTheFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".pipeguard.yml")
	if err := os.WriteFile(p, []byte("# "+strings.Repeat("x", maxFileSize)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load of a huge file = %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yml")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}

// schema compiles docs/pipeguard.schema.json.
func schema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	path := filepath.Join(testutil.RepoRoot(t), "docs", "pipeguard.schema.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	s, err := jsonschema.NewCompiler().Compile(path)
	if err != nil {
		t.Fatalf("compile the schema: %v", err)
	}
	return s, raw
}

// validate checks YAML data against the schema.
func validate(t *testing.T, s *jsonschema.Schema, data string) error {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatal(err)
	}
	if doc == nil {
		doc = map[string]any{}
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(js)))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

func TestStarterIsValidAndChangesNothing(t *testing.T) {
	cfg, err := Parse(".pipeguard.yml", Starter)
	if err != nil {
		t.Fatalf("the starter file does not parse: %v", err)
	}
	if cfg.Persona.Value != model.PersonaRegular || cfg.FailOn.Value != model.SeverityLow || cfg.MinSeverity.Value != model.SeverityInfo ||
		len(cfg.DisabledRules)+len(cfg.Severities)+len(cfg.IgnorePaths)+len(cfg.PolicyDirs)+len(cfg.RunnerIsolation) != 0 ||
		cfg.Credentials.Inventory != DefaultInventory {
		t.Errorf("the starter file is not the defaults: %+v", cfg)
	}
	s, _ := schema(t)
	if err := validate(t, s, string(Starter)); err != nil {
		t.Errorf("the starter file does not match the schema: %v", err)
	}
}

// TestSchemaMatchesTheLoader keeps docs/pipeguard.schema.json and the loader in step:
// the same keys, and the same verdict on good and bad files.
func TestSchemaMatchesTheLoader(t *testing.T) {
	s, raw := schema(t)
	var keys []string
	var walk func(prefix string, obj map[string]any)
	walk = func(prefix string, obj map[string]any) {
		props, _ := obj["properties"].(map[string]any)
		for name, sub := range props {
			keys = append(keys, prefix+name)
			if m, ok := sub.(map[string]any); ok && m["additionalProperties"] == false {
				walk(prefix+name+".", m)
			}
		}
	}
	walk("", raw)
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, Keys()) {
		t.Errorf("schema keys %v\nloader keys %v", keys, Keys())
	}
	for _, tt := range []struct {
		data string
		ok   bool
	}{
		{fullConfig, true},
		{"", true},
		{"fail_on: high\n", false},
		{"persona: boss\n", false},
		{"rules:\n  disable: x\n", false},
		{"runner-isolation:\n  a: sandboxed\n", false},
		{"version: 2\n", false},
		{"credentials:\n  inventory: x\n  owner: y\n", false},
	} {
		_, loadErr := Parse("c.yml", []byte(tt.data))
		schemaErr := validate(t, s, tt.data)
		if (loadErr == nil) != tt.ok || (schemaErr == nil) != tt.ok {
			t.Errorf("%q: loader %v, schema %v; want ok=%v", tt.data, loadErr, schemaErr, tt.ok)
		}
	}
}
