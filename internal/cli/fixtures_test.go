package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/scan"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// A rule fixture is a directory testdata/rules/<rule>/<platform>-<positive|negative>-<slug>/
// holding a small repository and expect.txt: one line per expected finding of that rule,
//
//	path:line:col severity message
//
// (path relative to the case directory), empty for negatives. The message is compared
// exactly, or, written as `~regexp`, matched against the whole message. Lines starting
// with # are comments. Every finding of the rule must be expected and every expected
// finding must occur; findings of other rules are ignored. Fixtures are scanned as on
// fixtureNow (`--now`), so that credential dates give the same findings every day.

// fixtureNow is the date every fixture is scanned as on.
const fixtureNow = "2026-06-01"

type fixtureCase struct {
	rule, name, dir string
	platform        string
	positive        bool
	want            []expectation
}

// expectation is one line of expect.txt.
type expectation struct {
	at       string // path:line:col
	severity string
	message  string         // exact, when re is nil
	re       *regexp.Regexp // the message pattern of a `~regexp` line
	line     string
}

// parseExpectation reads one line of expect.txt.
func parseExpectation(line string) (expectation, error) {
	at, rest, ok := strings.Cut(line, " ")
	if !ok {
		return expectation{}, fmt.Errorf("want `path:line:col severity message`, got %q", line)
	}
	severity, message, _ := strings.Cut(rest, " ")
	if model.SeverityRank(severity) == 0 {
		return expectation{}, fmt.Errorf("unknown severity %q in %q", severity, line)
	}
	e := expectation{at: at, severity: severity, message: message, line: line}
	if pattern, isRegexp := strings.CutPrefix(message, "~"); isRegexp {
		re, err := regexp.Compile("^(?:" + pattern + ")$")
		if err != nil {
			return expectation{}, fmt.Errorf("bad message pattern in %q: %w", line, err)
		}
		e.re = re
	}
	return e, nil
}

// matches reports whether a finding (at path:line:col) is the expected one.
func (e expectation) matches(at string, f model.Finding) bool {
	if at != e.at || f.Severity != e.severity {
		return false
	}
	if e.re != nil {
		return e.re.MatchString(f.Message)
	}
	return f.Message == e.message
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
					e, err := parseExpectation(line)
					if err != nil {
						t.Fatalf("fixture %s: %v", dir, err)
					}
					c.want = append(c.want, e)
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
			// --no-config: the repository's .pipeguard.yml holds testdata/ back.
			findings, res := jsonFindings(t, "--no-config", "--persona", "auditor", "--exit-zero", "--now", fixtureNow, c.dir)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			prefix := filepath.ToSlash(c.dir) + "/"
			unmatched := slices.Clone(c.want)
			var unexpected []string
			for _, f := range findings {
				if f.Rule != c.rule {
					continue
				}
				at := strings.TrimPrefix(f.File, prefix) + ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
				i := slices.IndexFunc(unmatched, func(e expectation) bool { return e.matches(at, f) })
				if i < 0 {
					unexpected = append(unexpected, at+" "+f.Severity+" "+f.Message)
					continue
				}
				unmatched = slices.Delete(unmatched, i, i+1)
			}
			for _, e := range unmatched {
				t.Errorf("expected finding did not occur: %s", e.line)
			}
			for _, u := range unexpected {
				t.Errorf("unexpected %s finding: %s", c.rule, u)
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
	for _, r := range scan.Rules(eng) {
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
