package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// A rule fixture is a directory testdata/rules/<rule>/<platform>-<positive|negative>-<slug>/
// holding a small repository and expect.txt: one `path:line:col` per expected finding of
// that rule (paths relative to the case directory), empty for negatives.

type fixtureCase struct {
	rule, name, dir string
	platform        string
	positive        bool
	want            []string
}

func loadFixtures(t *testing.T) []fixtureCase {
	t.Helper()
	root := filepath.Join(testutil.RepoRoot(t), "testdata", "rules")
	ruleDirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var cases []fixtureCase
	for _, rd := range ruleDirs {
		caseDirs, err := os.ReadDir(filepath.Join(root, rd.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, cd := range caseDirs {
			dir := filepath.Join(root, rd.Name(), cd.Name())
			platform, kind, ok := strings.Cut(cd.Name(), "-")
			if !ok || !(strings.HasPrefix(kind, "positive") || strings.HasPrefix(kind, "negative")) {
				t.Fatalf("fixture %s: name must be <platform>-<positive|negative>-<slug>", dir)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "expect.txt"))
			if err != nil {
				t.Fatalf("fixture %s: %v", dir, err)
			}
			c := fixtureCase{rule: rd.Name(), name: cd.Name(), dir: dir, platform: platform, positive: strings.HasPrefix(kind, "positive")}
			for _, line := range strings.Split(string(raw), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					c.want = append(c.want, line)
				}
			}
			if c.positive == (len(c.want) == 0) {
				t.Fatalf("fixture %s: a positive case needs expected findings and a negative one none", dir)
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// TestRuleFixtures scans every fixture and compares the rule's findings, exactly.
func TestRuleFixtures(t *testing.T) {
	for _, c := range loadFixtures(t) {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			findings, res := jsonFindings(t, "--persona", "auditor", "--exit-zero", c.dir)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			var got []string
			prefix := filepath.ToSlash(c.dir) + "/"
			for _, f := range findings {
				if f.Rule == c.rule {
					got = append(got, strings.TrimPrefix(f.File, prefix)+":"+strconv.Itoa(f.Line)+":"+strconv.Itoa(f.Column))
				}
			}
			sort.Strings(got)
			want := slices.Clone(c.want)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s findings:\n got  %v\n want %v\nall findings: %+v", c.rule, got, want, findings)
			}
		})
	}
}

// TestEveryRuleHasFixtures fails when a rule lacks a positive fixture that fires, or a
// negative one, on a platform it claims.
func TestEveryRuleHasFixtures(t *testing.T) {
	eng, err := engine.Load(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range loadFixtures(t) {
		kind := "negative"
		if c.positive {
			kind = "positive"
		}
		have[c.rule+"/"+c.platform+"/"+kind] = true
	}
	for _, r := range eng.Rules() {
		for _, p := range r.Platforms {
			if !implemented[p] {
				continue
			}
			for _, kind := range []string{"positive", "negative"} {
				if !have[r.ID+"/"+p+"/"+kind] {
					t.Errorf("rule %s has no %s fixture on %s (testdata/rules/%s/%s-%s-…)", r.ID, kind, p, r.ID, p, kind)
				}
			}
		}
	}
}

// implemented lists the platforms whose parser is registered; rule fixtures are required
// on those.
var implemented = map[string]bool{"github": true, "gitlab": true, "circleci": true, "jenkins": true}

// validateSARIF validates a SARIF document against the 2.1.0 schema in testdata.
func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	schemaPath := filepath.Join(testutil.RepoRoot(t), "testdata", "schemas", "sarif-schema-2.1.0.json")
	c := jsonschema.NewCompiler()
	schema, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(doc)))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
}
