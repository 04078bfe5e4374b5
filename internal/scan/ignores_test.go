package scan

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

var (
	engineOnce sync.Once
	sharedEng  *engine.Engine
	engineErr  error
)

// builtinEngine returns one engine with the built-in policies for every test.
func builtinEngine(t *testing.T) *engine.Engine {
	t.Helper()
	engineOnce.Do(func() { sharedEng, engineErr = engine.Load(context.Background(), engine.Options{}) })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return sharedEng
}

// fakeSecret is a credential-shaped literal made at test time; a credential-named key
// holding it is a hardcoded-token finding.
var fakeSecret = "Zq8v" + "T1mR4pL0" + "xK7wB3nY"

// scanTree scans dir with opts (persona pedantic unless set) and returns the result.
func scanTree(t *testing.T, dir string, opts Options) *Result {
	t.Helper()
	if opts.Filter.Persona == "" {
		opts.Filter.Persona = model.PersonaPedantic
	}
	// The trees of these tests exercise the filter with a few rules; the others'
	// findings (agent transcripts, artifact retention, …) are beside the point.
	for _, r := range Rules(builtinEngine(t)) {
		switch r.ID {
		case "hardcoded-token", "agent-sandbox-bypass", RuleUnusedIgnore, RuleUnreadableInclude:
		default:
			opts.Filter.DisabledRules = append(opts.Filter.DisabledRules, r.ID)
		}
	}
	res, err := New(builtinEngine(t), opts).Scan(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.InputErrors)+len(res.RuleErrors) > 0 {
		t.Fatalf("errors: %v %v", res.InputErrors, res.RuleErrors)
	}
	return res
}

// brief renders findings as rule@file:line:col relative to dir.
func brief(dir string, f model.Finding) string {
	rel := strings.TrimPrefix(f.File, filepath.ToSlash(dir)+"/")
	return fmt.Sprintf("%s@%s:%d:%d", f.Rule, rel, f.Line, f.Column)
}

// ignoreTree has findings on all four platforms, held back by comments in every place
// a comment may be, plus comments that hold back nothing.
func ignoreTree(t *testing.T) string {
	return testutil.WriteTree(t, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		".github/workflows/ci.yml": `on: push
jobs:
  own-line:
    runs-on: ubuntu-latest
    env:
      NPM_TOKEN: ` + fakeSecret + ` # pipeguard: ignore[hardcoded-token] test fixture
  line-above:
    runs-on: ubuntu-latest
    env:
      # pipeguard: ignore[hardcoded-token]
      NPM_TOKEN: ` + fakeSecret + `
  # pipeguard: ignore[agent-sandbox-bypass] isolated by the runner group
  whole-job:
    runs-on: self-hosted
    steps:
      - run: codex exec --yolo "fix"
  one-step:
    runs-on: self-hosted
    steps:
      # pipeguard: ignore[agent-sandbox-bypass, hardcoded-tokn]
      - name: agent
        run: |
          echo start
          codex exec --yolo "fix"
      - run: claude -p "x" --dangerously-skip-permissions
  # pipeguard: ignore
`,
		".gitlab-ci.yml": `include:
  - local: ci/agent.yml
review:
  extends: .agent
  script:
    - claude -p "review" --dangerously-skip-permissions
`,
		"ci/agent.yml": `.agent:
  tags: [shell]
  variables:
    # pipeguard: ignore[hardcoded-token] rotated, kept for the demo
    API_TOKEN: ` + fakeSecret + `
`,
		".circleci/config.yml": `version: 2.1
commands:
  login:
    steps:
      - run: docker login -u bot -p ` + fakeSecret + ` registry.example.com
jobs:
  build:
    machine: true
    steps:
      - checkout
      # pipeguard: ignore[hardcoded-token] a throw-away registry
      - login
`,
		"Jenkinsfile": `pipeline {
    agent any
    stages {
        stage('triage') { // pipeguard: ignore[agent-sandbox-bypass] a sandboxed agent
            steps {
                sh 'gemini --yolo -p "triage"'
            }
        }
    }
}
`,
	})
}

func TestInlineIgnoresOnEveryPlatform(t *testing.T) {
	dir := ignoreTree(t)
	res := scanTree(t, dir, Options{})
	var kept []string
	for _, f := range res.Findings {
		kept = append(kept, brief(dir, f))
	}
	wantKept := []string{
		"unused-ignore@.github/workflows/ci.yml:20:49",
		"agent-sandbox-bypass@.github/workflows/ci.yml:25:28",
		"unused-ignore@.github/workflows/ci.yml:26:5",
		"agent-sandbox-bypass@.gitlab-ci.yml:6:26",
	}
	if !slices.Equal(kept, wantKept) {
		t.Errorf("kept:\n %s\nwant:\n %s", strings.Join(kept, "\n "), strings.Join(wantKept, "\n "))
	}
	var held []string
	for _, s := range res.Suppressed {
		if s.Stage == StageInlineIgnore {
			held = append(held, brief(dir, s.Finding)+" "+s.Reason)
		}
	}
	wantHeld := []string{
		".circleci/config.yml:5:37 a throw-away registry",
		".github/workflows/ci.yml:6:18 test fixture",
		".github/workflows/ci.yml:11:18 ",
		".github/workflows/ci.yml:16:25 isolated by the runner group",
		".github/workflows/ci.yml:24:22 ",
		"Jenkinsfile:6:28 a sandboxed agent",
		"ci/agent.yml:5:16 rotated, kept for the demo",
	}
	for i, h := range held {
		held[i] = h[strings.Index(h, "@")+1:]
	}
	if !slices.Equal(held, wantHeld) {
		t.Errorf("held back:\n %s\nwant:\n %s", strings.Join(held, "\n "), strings.Join(wantHeld, "\n "))
	}
	for _, f := range res.Findings {
		switch {
		case f.Rule != RuleUnusedIgnore:
		case f.Line == 20:
			if want := "`pipeguard: ignore[hardcoded-tokn]` holds back no finding: there is no rule \"hardcoded-tokn\" (did you mean \"hardcoded-token\"?)"; f.Message != want {
				t.Errorf("unused message %q, want %q", f.Message, want)
			}
			if f.EndColumn != 63 || f.Severity != model.SeverityLow {
				t.Errorf("unused finding %+v", f)
			}
		case f.Line == 26:
			if !strings.HasPrefix(f.Message, "malformed inline ignore") {
				t.Errorf("malformed message %q", f.Message)
			}
		}
	}
}

func TestUnusedIgnoresArePedantic(t *testing.T) {
	dir := ignoreTree(t)
	res := scanTree(t, dir, Options{Filter: Filter{Persona: model.PersonaRegular}})
	for _, f := range res.Findings {
		if f.Rule == RuleUnusedIgnore {
			t.Errorf("an unused ignore at the regular persona: %s", brief(dir, f))
		}
	}
	held := 0
	for _, s := range res.Suppressed {
		if s.Rule == RuleUnusedIgnore && s.Stage == StagePersona {
			held++
		}
	}
	if held != 2 {
		t.Errorf("%d unused-ignore findings held back by the persona stage, want 2", held)
	}
}

func TestNoInlineIgnoresShowsEverything(t *testing.T) {
	dir := ignoreTree(t)
	res := scanTree(t, dir, Options{NoInlineIgnores: true})
	for _, s := range res.Suppressed {
		if s.Stage == StageInlineIgnore {
			t.Errorf("held back by a comment with NoInlineIgnores: %s", brief(dir, s.Finding))
		}
	}
	rules := map[string]int{}
	for _, f := range res.Findings {
		rules[f.Rule]++
	}
	if rules[RuleUnusedIgnore] != 0 || rules["hardcoded-token"] != 4 || rules["agent-sandbox-bypass"] != 5 {
		t.Errorf("findings per rule %v; want 4 hardcoded-token, 5 agent-sandbox-bypass, no unused-ignore", rules)
	}
}
