package circleci

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
)

func parseYAML(t *testing.T, doc string) *model.Pipeline {
	t.Helper()
	return Parse(parse.Input{Path: ".circleci/config.yml", Data: []byte(doc)})
}

func findJob(t *testing.T, p *model.Pipeline, id string) model.Job {
	t.Helper()
	for _, j := range p.Jobs {
		if j.ID == id {
			return j
		}
	}
	t.Fatalf("job %q not found among %d jobs", id, len(p.Jobs))
	return model.Job{}
}

// at formats a position as line:col-endLine:endCol.
func at(p model.Pos) string {
	return fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Col, p.EndLine, p.EndCol)
}

// vias formats a Via chain as kind:name@line:col, innermost first.
func vias(vs []model.Via) string {
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		parts = append(parts, fmt.Sprintf("%s:%s@%d:%d", v.Kind, v.Name, v.Pos.Line, v.Pos.Col))
	}
	return strings.Join(parts, " ")
}

const commandConfig = `version: 2.1
commands:
  agent:
    parameters:
      mode:
        type: string
        default: read-only
    steps:
      - run:
          name: review
          command: |
            echo start
            codex exec --sandbox << parameters.mode >> "review"
  wrapper:
    parameters:
      level:
        type: string
    steps:
      - agent:
          mode: << parameters.level >>
jobs:
  review:
    docker:
      - image: cimg/base:current
    parameters:
      level:
        type: string
        default: workspace-write
    steps:
      - checkout
      - wrapper:
          level: << parameters.level >>
workflows:
  main:
    jobs:
      - review:
          level: danger-full-access
`

// TestCommandExpansion checks that a run line inside a command used (through another
// command) by a job keeps the command definition's line:col, carries command Vias at
// each invocation, and records the parameter values that reach it.
func TestCommandExpansion(t *testing.T) {
	p := parseYAML(t, commandConfig)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %v", p.ParseErrors)
	}
	job := findJob(t, p, "review")
	if len(job.Steps) != 2 {
		t.Fatalf("got %d steps, want checkout and the expanded run", len(job.Steps))
	}
	run := job.Steps[1]
	tests := []struct{ name, got, want string }{
		{"kind", run.Kind, model.StepRun},
		{"name", run.Name, "review"},
		{"step pos", at(run.Pos), "9:9-9:12"},
		{"via", vias(run.Via), "command:agent@19:9 command:wrapper@31:9"},
		{"script pos", at(run.Run.Script.Pos), "12:13-13:65"},
		// The value that reaches `mode` is filled in; its bytes map to the interpolation.
		{"script value", run.Run.Script.Value, "echo start\ncodex exec --sandbox danger-full-access \"review\"\n"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	// The word positions come from the script analysis, through the command's map.
	var words []string
	for _, c := range run.Run.Commands {
		for _, w := range c.Argv {
			words = append(words, w.Value+"@"+at(w.Pos))
		}
	}
	if got, want := strings.Join(words, " "), "echo@12:13-12:17 start@12:18-12:23 codex@13:13-13:18 exec@13:19-13:23 --sandbox@13:24-13:33 danger-full-access@13:34-13:55 review@13:56-13:64"; got != want {
		t.Errorf("argv = %s\nwant   %s", got, want)
	}
	var interps []string
	for _, in := range run.Run.Script.Interpolations {
		interps = append(interps, in.Expr+"@"+at(in.Pos))
	}
	if got, want := strings.Join(interps, " "), "parameters.mode@13:34-13:55"; got != want {
		t.Errorf("interpolations = %s, want %s", got, want)
	}
	// The value reaching `mode` is the workflow's, passed through the job's and the
	// wrapper's parameters; the job default is not used since the only entry passes one.
	var with []string
	for _, w := range run.With {
		with = append(with, fmt.Sprintf("%s=%s@%s [%s]", w.Name, w.Value.Value, at(w.Value.Pos), vias(w.Via)))
	}
	want := "mode=danger-full-access@37:18-37:36 [parameter:main/review@36:9 parameter:level@32:18 parameter:level@20:17]"
	if strings.Join(with, "; ") != want {
		t.Errorf("with = %s\nwant   %s", strings.Join(with, "; "), want)
	}
	if len(job.With) != 1 || job.With[0].Value.Value != "danger-full-access" {
		t.Errorf("job with = %+v, want the workflow's level", job.With)
	}
}

// TestRunners checks executors (by name, with parameters, through a job parameter),
// docker credentials, machine, macos and self-hosted resource classes, and the
// precedence of environments.
func TestRunners(t *testing.T) {
	doc := `version: 2.1
executors:
  builder:
    parameters:
      tag:
        type: string
        default: "1.0"
    docker:
      - image: cimg/go:<< parameters.tag >>
        auth:
          username: bot
          password: $DOCKER_PASSWORD
        environment:
          FROM_CONTAINER: c
          SHARED: container
      - image: postgres:16
        environment:
          POSTGRES_PASSWORD: pw
    environment:
      FROM_EXECUTOR: e
      SHARED: executor
  vm:
    machine:
      image: ubuntu-2204:current
  mac:
    macos:
      xcode: "16.0"
  own:
    machine: true
    resource_class: acme/linux-runner
jobs:
  a:
    executor:
      name: builder
      tag: "2.0"
    environment:
      SHARED: job
    steps: [checkout]
  b:
    executor: vm
    steps: [checkout]
  c:
    executor: mac
    steps: [checkout]
  d:
    executor: own
    steps: [checkout]
  e:
    parameters:
      ex:
        type: executor
        default: vm
    executor: << parameters.ex >>
    steps: [checkout]
  f:
    docker:
      - image: alpine
    resource_class: acme/k8s
    steps: [checkout]
  g:
    executor: orbname/default
    steps: [checkout]
workflows:
  w:
    jobs:
      - a
      - b
      - c
      - d
      - e:
          matrix:
            parameters:
              ex: [vm, own]
      - f
      - g
`
	p := Parse(parse.Input{Path: "x.yml", Data: []byte(doc), RunnerIsolation: map[string]string{"acme/k8s": model.IsolationIsolated}})
	tests := []struct {
		job, kind, isolation, image string
		incomplete                  bool
	}{
		{"a", model.RunnerContainer, model.IsolationIsolated, "cimg/go:<< parameters.tag >>", false},
		{"b", model.RunnerHosted, model.IsolationEphemeral, "ubuntu-2204:current", false},
		{"c", model.RunnerHosted, model.IsolationEphemeral, "", false},
		{"d", model.RunnerSelfHosted, model.IsolationNone, "", false},
		{"e-vm", model.RunnerHosted, model.IsolationEphemeral, "ubuntu-2204:current", false}, // one job per matrix value
		{"e-own", model.RunnerSelfHosted, model.IsolationNone, "", false},
		{"f", model.RunnerSelfHosted, model.IsolationIsolated, "alpine", false},
		{"g", model.RunnerUnknown, model.IsolationUnknown, "", true},
	}
	for _, tt := range tests {
		j := findJob(t, p, tt.job)
		if j.Runner.Kind != tt.kind || j.Runner.Isolation != tt.isolation || j.Runner.Image != tt.image || j.Incomplete != tt.incomplete {
			t.Errorf("job %s: runner %s/%s image %q incomplete %v, want %s/%s %q %v", tt.job, j.Runner.Kind, j.Runner.Isolation, j.Runner.Image, j.Incomplete, tt.kind, tt.isolation, tt.image, tt.incomplete)
		}
	}
	a := findJob(t, p, "a")
	var env []string
	for _, v := range a.Env {
		env = append(env, fmt.Sprintf("%s=%s@%s [%s]", v.Name, v.Value.Value, at(v.Pos), vias(v.Via)))
	}
	wantEnv := []string{
		"FROM_CONTAINER=c@14:11-14:25 [executor:builder@34:13]",
		"FROM_EXECUTOR=e@20:7-20:20 [executor:builder@34:13]",
		"SHARED=job@37:7-37:13 []",
	}
	if strings.Join(env, "\n") != strings.Join(wantEnv, "\n") {
		t.Errorf("env:\n%s\nwant:\n%s", strings.Join(env, "\n"), strings.Join(wantEnv, "\n"))
	}
	if len(a.Runner.Credentials) != 1 {
		t.Fatalf("credentials = %+v, want auth.password", a.Runner.Credentials)
	}
	cred := a.Runner.Credentials[0]
	if cred.Name != "auth.password" || at(cred.Pos) != "12:11-12:19" || at(cred.Value.Pos) != "12:21-12:37" || cred.Value.Value != "$DOCKER_PASSWORD" {
		t.Errorf("credential = %s %s value %q at %s", cred.Name, at(cred.Pos), cred.Value.Value, at(cred.Value.Pos))
	}
	if len(a.Runner.Services) != 1 || a.Runner.Services[0].Image != "postgres:16" || len(a.Runner.Services[0].Env) != 1 {
		t.Errorf("services = %+v, want postgres with its env", a.Runner.Services)
	}
	var with []string
	for _, w := range a.With {
		with = append(with, fmt.Sprintf("%s=%s [%s]", w.Name, w.Value.Value, vias(w.Via)))
	}
	if got := strings.Join(with, "; "); got != "tag=2.0 [executor:builder@34:13]" {
		t.Errorf("job with = %s, want the executor argument", got)
	}
	if d := findJob(t, p, "d"); len(d.Runner.Labels) != 1 || d.Runner.Labels[0] != "acme/linux-runner" {
		t.Errorf("labels = %v, want the resource class", d.Runner.Labels)
	}
}

// TestPipelineStructure checks orbs, pipeline parameters, contexts, filters, schedules
// and orb jobs and steps.
func TestPipelineStructure(t *testing.T) {
	doc := `version: 2.1
orbs:
  node: circleci/node@5.2.0
  dev: {}
parameters:
  deploy-env:
    type: string
    default: staging
  flag:
    type: boolean
jobs:
  test:
    docker: [{image: cimg/node:20.0}]
    steps:
      - node/install-packages:
          pkg-manager: npm
      - run: npm test
workflows:
  ci:
    jobs:
      - test:
          context: [org-secrets]
      - test:
          name: test-main
          context: deploy-creds
          filters:
            branches:
              only: main
      - node/test:
          context: org-secrets
          post-steps:
            - run: echo done
  nightly:
    triggers:
      - schedule:
          cron: "0 0 * * *"
          filters:
            branches:
              only: [main]
    jobs: [test]
`
	p := parseYAML(t, doc)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %v", p.ParseErrors)
	}
	var unresolved []string
	for _, u := range p.Unresolved {
		unresolved = append(unresolved, u.Kind+":"+u.Name+"@"+at(u.Pos))
	}
	if got, want := strings.Join(unresolved, " "), "orb:circleci/node@5.2.0@3:9-3:28 orb:dev@4:3-4:4"; got != want {
		t.Errorf("unresolved = %s, want %s", got, want)
	}
	if len(p.Includes) != 2 || p.Includes[0].Kind != "orb" || p.Includes[0].Target != "circleci/node@5.2.0" || p.Includes[0].Resolved {
		t.Errorf("includes = %+v", p.Includes)
	}
	var params []string
	for _, prm := range p.Parameters {
		def := "none"
		if prm.Default != nil {
			def = fmt.Sprintf("%q@%s", prm.Default.Value, at(prm.Default.Pos))
		}
		params = append(params, fmt.Sprintf("%s:%s@%s=%s", prm.Name, prm.Type, at(prm.Pos), def))
	}
	if got, want := strings.Join(params, " "), `deploy-env:string@6:3-6:13="staging"@8:14-8:21 flag:boolean@9:3-9:7=none`; got != want {
		t.Errorf("pipeline parameters = %s, want %s", got, want)
	}
	if len(p.Inputs) != 0 {
		t.Errorf("inputs = %+v: pipeline parameters are Parameters", p.Inputs)
	}
	if len(p.Secrets) != 3 {
		t.Errorf("pipeline secrets = %+v, want one per context reference", p.Secrets)
	}

	// Each workflow entry is its own job: a name run by two workflows gets the
	// workflow's name as a prefix.
	tests := []struct {
		id, name, contexts, credentials, triggers, guards string
	}{
		{"ci/test", "test", "org-secrets", "org-secrets@22:21-22:32", "push/trusted/secrets@21[] pull_request/untrusted/secrets@21[]", ""},
		{"test-main", "test", "deploy-creds", "deploy-creds@25:20-25:32", "push/trusted/secrets@23[branches.only=main]", "branch-filter:branches.only=main@28:21-28:25"},
		{"node/test", "node/test", "org-secrets", "org-secrets@30:20-30:31", "push/trusted/secrets@29[] pull_request/untrusted/secrets@29[]", ""},
		{"nightly/test", "test", "", "", "schedule/internal/secrets@35[cron=0 0 * * * branches.only=main]", ""},
	}
	if len(p.Jobs) != len(tests) {
		t.Errorf("got %d jobs, want %d", len(p.Jobs), len(tests))
	}
	for _, tt := range tests {
		j := findJob(t, p, tt.id)
		var creds, triggers, guards []string
		for _, c := range j.Credentials {
			creds = append(creds, c.ID+"@"+at(c.Pos))
		}
		for _, tr := range j.Triggers {
			triggers = append(triggers, fmt.Sprintf("%s/%s/%s@%d%v", tr.Event, tr.Trust, map[bool]string{true: "secrets", false: "none"}[tr.Secrets], tr.Pos.Line, tr.Filters))
		}
		for _, g := range j.Guards {
			guards = append(guards, g.Kind+":"+g.Detail+"@"+at(g.Pos))
		}
		got := []string{j.Name, strings.Join(j.Contexts, ","), strings.Join(creds, " "), strings.Join(triggers, " "), strings.Join(guards, " ")}
		want := []string{tt.name, tt.contexts, tt.credentials, tt.triggers, tt.guards}
		for i, what := range []string{"name", "contexts", "credentials", "triggers", "guards"} {
			if got[i] != want[i] {
				t.Errorf("job %s: %s = %s, want %s", tt.id, what, got[i], want[i])
			}
		}
	}

	test := findJob(t, p, "ci/test")
	if !test.Incomplete || test.Steps[0].Kind != model.StepOrb {
		t.Fatalf("orb step: incomplete %v, steps %+v", test.Incomplete, test.Steps)
	}
	u := test.Steps[0].Uses
	if u.Ref != "node/install-packages" || u.Owner != "circleci" || u.Repo != "node" || u.Path != "install-packages" || u.Version != "5.2.0" || u.RefKind != model.RefTag {
		t.Errorf("uses = %+v", u)
	}
	if len(test.Steps[0].With) != 1 || test.Steps[0].With[0].Name != "pkg-manager" {
		t.Errorf("orb step with = %+v", test.Steps[0].With)
	}

	orbJob := findJob(t, p, "node/test")
	if !orbJob.Incomplete || orbJob.Runner.Kind != model.RunnerUnknown || len(orbJob.Steps) != 2 || orbJob.Steps[0].Kind != model.StepOrb || orbJob.Steps[1].Run == nil {
		t.Errorf("orb job = %+v", orbJob)
	}
	if got := vias(orbJob.Steps[1].Via); got != "parameter:ci/node/test.post-steps@31:11" {
		t.Errorf("post-step via = %s", got)
	}
}

// TestVersion20WithoutWorkflows checks that a 2.0 configuration's build job is scanned
// and reachable from pull-request branches.
func TestVersion20WithoutWorkflows(t *testing.T) {
	doc := `version: 2
jobs:
  build:
    docker:
      - image: circleci/python:3.9
    steps:
      - checkout
      - run:
          name: test
          command: cat <<EOF > f \<<x
  other:
    machine: true
    steps:
      - run: make
`
	p := parseYAML(t, doc)
	build := findJob(t, p, "build")
	if len(build.Steps) != 2 || build.Steps[1].Run == nil {
		t.Fatalf("build steps = %+v", build.Steps)
	}
	if got := build.Steps[1].Run.Script.Value; got != `cat <<EOF > f \<<x` {
		t.Errorf("2.0 script = %q: no parameter escapes in 2.0", got)
	}
	if len(build.Triggers) != 2 || build.Triggers[1].Trust != model.TrustUntrusted || at(build.Triggers[1].Pos) != "3:3-3:8" {
		t.Errorf("build triggers = %+v", build.Triggers)
	}
	if other := findJob(t, p, "other"); len(other.Steps) != 1 || other.Runner.Isolation != model.IsolationEphemeral {
		t.Errorf("other = %+v", other)
	}
}

// TestEscapedInterpolation checks that `\<<` reaches the shell as `<<` in 2.1 with the
// remaining characters at their own columns.
func TestEscapedInterpolation(t *testing.T) {
	doc := "version: 2.1\njobs:\n  j:\n    machine: true\n    steps:\n      - run: cat \\<<EOF > out\n"
	p := parseYAML(t, doc)
	run := findJob(t, p, "j").Steps[0].Run
	if run.Script.Value != "cat <<EOF > out" || at(run.Script.Pos) != "6:14-6:30" {
		t.Errorf("script %q at %s", run.Script.Value, at(run.Script.Pos))
	}
}

// TestConditionsAndStepForms checks when/unless steps, run forms, env forms, builtins
// and steps parameters.
func TestConditionsAndStepForms(t *testing.T) {
	doc := `version: 2.1
commands:
  with-steps:
    parameters:
      body:
        type: steps
        default: []
    steps:
      - steps: << parameters.body >>
jobs:
  j:
    parameters:
      fast:
        type: boolean
        default: false
    machine: true
    environment:
      - A=1
      - B: two
    steps:
      - when:
          condition:
            equal: [ main, << pipeline.git.branch >> ]
          steps:
            - run: echo when
      - unless:
          condition: << parameters.fast >>
          steps:
            - run:
                command: echo slow
                shell: /bin/bash -eo pipefail
                when: always
                environment: C=3
      - with-steps:
          body:
            - run: echo inside
      - store_artifacts:
          path: out/
      - add_ssh_keys:
          fingerprints: ["aa:bb"]
`
	p := parseYAML(t, doc)
	j := findJob(t, p, "j")
	if len(j.Steps) != 5 {
		t.Fatalf("got %d steps: %+v", len(j.Steps), j.Steps)
	}
	when := j.Steps[0]
	if when.Condition == nil || when.Condition.Value != "equal(main, << pipeline.git.branch >>)" {
		t.Fatalf("when condition = %+v", when.Condition)
	}
	if len(when.Condition.Interpolations) != 1 || at(when.Condition.Interpolations[0].Pos) != "23:28-23:53" {
		t.Errorf("interpolations = %+v, want pipeline.git.branch at 23:28-23:53", when.Condition.Interpolations)
	}
	unless := j.Steps[1]
	if unless.Condition == nil || unless.Condition.Value != "always" || !unless.Always || unless.Run.Shell != "bash" {
		t.Errorf("unless step: condition %+v always %v shell %q", unless.Condition, unless.Always, unless.Run.Shell)
	}
	if len(unless.Env) != 1 || unless.Env[0].Name != "C" || at(unless.Env[0].Pos) != "33:30-33:31" || at(unless.Env[0].Value.Pos) != "33:32-33:33" {
		t.Errorf("step env = %+v", unless.Env)
	}
	inside := j.Steps[2]
	// The body is passed, so the parameter's default is not used.
	if inside.Run == nil || inside.Run.Script.Value != "echo inside" || at(inside.Pos) != "36:15-36:18" || vias(inside.Via) != "parameter:body@9:16 command:with-steps@34:9" {
		t.Errorf("steps parameter: %+v at %s via %s", inside.Run, at(inside.Pos), vias(inside.Via))
	}
	if len(j.Artifacts) != 1 || j.Artifacts[0].Paths[0] != "out/" || at(j.Artifacts[0].Pos) != "37:9-37:24" {
		t.Errorf("artifacts = %+v", j.Artifacts)
	}
	if len(j.Credentials) != 1 || j.Credentials[0].Kind != "ssh-agent" || j.Credentials[0].ID != "aa:bb" {
		t.Errorf("credentials = %+v", j.Credentials)
	}
	var env []string
	for _, v := range j.Env {
		env = append(env, fmt.Sprintf("%s=%s@%s/%s", v.Name, v.Value.Value, at(v.Pos), at(v.Value.Pos)))
	}
	if got := strings.Join(env, " "); got != "A=1@18:9-18:10/18:11-18:12 B=two@19:9-19:10/19:12-19:15" {
		t.Errorf("env = %s", got)
	}
}

// TestAliasesAndMerges checks that YAML anchors, aliases and merges resolve and leave
// their Vias, with the values at their anchored positions.
func TestAliasesAndMerges(t *testing.T) {
	doc := `version: 2.1
defaults: &defaults
  docker:
    - image: cimg/base:current
  environment:
    TOKEN_NAME: value
step: &step
  run: echo shared
jobs:
  j:
    <<: *defaults
    environment:
      OWN: x
    steps:
      - *step
`
	p := parseYAML(t, doc)
	j := findJob(t, p, "j")
	if j.Runner.Kind != model.RunnerContainer {
		t.Errorf("runner = %+v, want the merged docker", j.Runner)
	}
	if len(j.Env) != 1 || j.Env[0].Name != "OWN" {
		t.Errorf("env = %+v: the job's environment replaces the merged one", j.Env)
	}
	if len(j.Steps) != 1 || at(j.Steps[0].Pos) != "8:3-8:6" || vias(j.Steps[0].Via) != "alias:step@15:9" {
		t.Errorf("step = %+v via %s", j.Steps, vias(j.Steps[0].Via))
	}
	// The overridden TOKEN_NAME value is not carried by the job: it stays in Values.
	found := false
	for _, v := range p.Values {
		if v.Name == "defaults.environment.TOKEN_NAME" && at(v.Pos) == "6:5-6:15" && v.Value.Value == "value" {
			found = true
		}
		if v.Name == "jobs.j.environment.OWN" || v.Name == "step.run" {
			t.Errorf("value %s is carried by the job and must not be repeated in Values", v.Name)
		}
	}
	if !found {
		t.Errorf("values = %+v, want defaults.environment.TOKEN_NAME", p.Values)
	}
}

// TestResolutionLimits checks that recursion, alias bombs and bad input end with parse
// errors instead of hanging or crashing.
func TestResolutionLimits(t *testing.T) {
	bomb := "version: 2.1\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		name := fmt.Sprintf("b%d", i)
		bomb += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	bomb += "jobs:\n  j:\n    machine: true\n    steps:\n      - when:\n          condition: *" + prev + "\n          steps: [checkout]\n"

	envBomb := strings.Replace(bomb, "      - when:\n          condition: *"+prev+"\n          steps: [checkout]\n", "      - checkout\n    environment: *"+prev+"\n", 1)

	explode := "version: 2.1\ncommands:\n  c0:\n    steps: [checkout]\n"
	for i := 1; i <= 15; i++ {
		explode += fmt.Sprintf("  c%d:\n    steps: [c%d, c%d, c%d, c%d]\n", i, i-1, i-1, i-1, i-1)
	}
	explode += "jobs:\n  j:\n    machine: true\n    steps: [c15]\n"

	tests := []struct {
		name, doc, wantError string
		wantPos              string
	}{
		{"command recursion", "version: 2.1\ncommands:\n  a:\n    steps: [b]\n  b:\n    steps: [a]\njobs:\n  j:\n    machine: true\n    steps: [a]\n", "command expansion stopped (recursion or nesting deeper than 16): a → b → a", "6:13-6:14"},
		{"alias bomb in a condition", bomb, "", ""},
		{"alias bomb in an environment", envBomb, "resolution limit reached after 1000000 node visits", ""},
		{"exploding commands", explode, "expansion limit reached: more than 20000 steps", ""},
		{"invalid yaml", "version: 2.1\njobs:\n  j: [\n", "invalid YAML: did not find expected node content", "3:1-3:2"},
		{"not a mapping", "- a\n- b\n", "the top level of a CircleCI configuration must be a mapping", "1:1-1:2"},
		{"not circleci", "name: x\n", "no version, jobs or workflows: not a CircleCI configuration", "1:1-1:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseYAML(t, tt.doc)
			if tt.wantError == "" {
				if len(p.Jobs) != 1 {
					t.Errorf("jobs = %d, want 1", len(p.Jobs))
				}
				return
			}
			for _, e := range p.ParseErrors {
				if strings.Contains(e.Message, tt.wantError) && (tt.wantPos == "" || at(e.Pos) == tt.wantPos) {
					return
				}
			}
			t.Errorf("parse errors = %+v, want %q at %s", p.ParseErrors, tt.wantError, tt.wantPos)
		})
	}
}

// TestRegistered checks that the parser is reachable through the registry.
func TestRegistered(t *testing.T) {
	fn, ok := parse.Lookup(model.PlatformCircleCI)
	if !ok {
		t.Fatal("circleci parser not registered")
	}
	if p := fn(parse.Input{Path: "c.yml", Data: []byte("version: 2.1\njobs: {}\n")}); p.Platform != model.PlatformCircleCI || p.Kind != model.KindPipeline || p.File != "c.yml" {
		t.Errorf("pipeline = %+v", p)
	}
}

// words formats the argv of every command of a run as value@pos.
func words(run *model.Run) string {
	var out []string
	for _, c := range run.Commands {
		for _, w := range c.Argv {
			out = append(out, w.Value+"@"+at(w.Pos))
		}
	}
	return strings.Join(out, " ")
}

// interps formats interpolations as expr@pos, with a ! for untrusted ones.
func interps(list []model.Interpolation) string {
	var out []string
	for _, in := range list {
		mark := ""
		if in.Untrusted {
			mark = "!"
		}
		out = append(out, mark+in.Expr+"@"+at(in.Pos))
	}
	return strings.Join(out, " ")
}

// TestPerEntryJobs checks that every workflow entry is its own job, with its own
// contexts, requirements and triggers, and IDs unique in the file.
func TestPerEntryJobs(t *testing.T) {
	doc := `version: 2.1
jobs:
  build:
    docker: [{image: cimg/base:current}]
    steps:
      - run: make
  deploy:
    machine: true
    steps:
      - run: ./deploy.sh
workflows:
  main:
    jobs:
      - build
      - deploy:
          name: deploy-staging
          context: staging
          requires: [build]
      - deploy:
          name: deploy-prod
          context: [prod, audit]
          requires: [deploy-staging]
          filters:
            branches:
              only: main
  nightly:
    jobs:
      - build
      - build
`
	p := parseYAML(t, doc)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %v", p.ParseErrors)
	}
	tests := []struct {
		id, name, pos, contexts, credentials, needs, triggers, step string
	}{
		{"main/build", "build", "3:3-3:8", "", "", "", "push@14 pull_request@14", "make@6:14-6:18"},
		{"deploy-staging", "deploy", "7:3-7:9", "staging", "staging@17:20-17:27", "main/build", "push@15 pull_request@15", "./deploy.sh@10:14-10:25"},
		{"deploy-prod", "deploy", "7:3-7:9", "prod,audit", "prod@21:21-21:25 audit@21:27-21:32", "deploy-staging", "push@19[branches.only=main]", "./deploy.sh@10:14-10:25"},
		{"nightly/build", "build", "3:3-3:8", "", "", "", "push@28 pull_request@28", "make@6:14-6:18"},
		{"nightly/build#2", "build", "3:3-3:8", "", "", "", "push@29 pull_request@29", "make@6:14-6:18"},
	}
	var ids []string
	for _, j := range p.Jobs {
		ids = append(ids, j.ID)
	}
	if got := strings.Join(ids, " "); got != "main/build deploy-staging deploy-prod nightly/build nightly/build#2" {
		t.Errorf("job ids = %s", got)
	}
	for _, tt := range tests {
		j := findJob(t, p, tt.id)
		var creds, triggers []string
		for _, c := range j.Credentials {
			creds = append(creds, c.ID+"@"+at(c.Pos))
		}
		for _, tr := range j.Triggers {
			s := fmt.Sprintf("%s@%d", tr.Event, tr.Pos.Line)
			if len(tr.Filters) > 0 {
				s += fmt.Sprint(tr.Filters)
			}
			if !tr.Secrets {
				s += "(no secrets)"
			}
			triggers = append(triggers, s)
		}
		got := []string{j.Name, at(j.Pos), strings.Join(j.Contexts, ","), strings.Join(creds, " "), strings.Join(j.Needs, ","), strings.Join(triggers, " "), words(j.Steps[0].Run)}
		want := []string{tt.name, tt.pos, tt.contexts, tt.credentials, tt.needs, tt.triggers, tt.step}
		for i, what := range []string{"name", "pos", "contexts", "credentials", "needs", "triggers", "step"} {
			if got[i] != want[i] {
				t.Errorf("job %s: %s = %q, want %q", tt.id, what, got[i], want[i])
			}
		}
	}
	if len(p.Secrets) != 3 {
		t.Errorf("pipeline secrets = %+v, want staging, prod, audit once each", p.Secrets)
	}
}

const matrixConfig = `version: 2.1
jobs:
  test:
    parameters:
      python:
        type: string
      os:
        type: string
        default: linux
    docker: [{image: cimg/python:3.12}]
    steps:
      - run: tox -e py<< parameters.python >> --os << parameters.os >>
  report:
    docker: [{image: cimg/base:current}]
    steps: [checkout]
workflows:
  ci:
    jobs:
      - test:
          matrix:
            parameters:
              python: ["3.11", "3.12"]
              os: [linux, mac]
            exclude:
              - python: "3.11"
                os: mac
      - test:
          name: lint-<< matrix.python >>
          matrix:
            alias: lint
            parameters:
              python: ["3.10"]
      - report:
          requires: [test, lint]
`

// TestMatrix checks that a matrix gives one job per combination, named and ordered as
// CircleCI does (parameters by name), without the excluded ones, each with its own
// values filled into the scripts, and that requirements on the matrix's alias reach
// every one of its jobs.
func TestMatrix(t *testing.T) {
	p := parseYAML(t, matrixConfig)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %v", p.ParseErrors)
	}
	tests := []struct{ id, argv, with string }{
		{"test-linux-3.11", "tox@12:14-12:17 -e@12:18-12:20 py3.11@12:21-12:46 --os@12:47-12:51 linux@12:52-12:71", "python=3.11@22:25-22:29 os=linux@23:20-23:25"},
		{"test-linux-3.12", "tox@12:14-12:17 -e@12:18-12:20 py3.12@12:21-12:46 --os@12:47-12:51 linux@12:52-12:71", "python=3.12@22:33-22:37 os=linux@23:20-23:25"},
		{"test-mac-3.12", "tox@12:14-12:17 -e@12:18-12:20 py3.12@12:21-12:46 --os@12:47-12:51 mac@12:52-12:71", "python=3.12@22:33-22:37 os=mac@23:27-23:30"},
		{"lint-3.10", "tox@12:14-12:17 -e@12:18-12:20 py3.10@12:21-12:46 --os@12:47-12:51 linux@12:52-12:71", "python=3.10@32:25-32:29 os=linux@9:18-9:23"},
	}
	var ids []string
	for _, j := range p.Jobs {
		ids = append(ids, j.ID)
	}
	if got, want := strings.Join(ids, " "), "test-linux-3.11 test-linux-3.12 test-mac-3.12 lint-3.10 report"; got != want {
		t.Errorf("job ids = %s, want %s", got, want)
	}
	for _, tt := range tests {
		j := findJob(t, p, tt.id)
		if got := words(j.Steps[0].Run); got != tt.argv {
			t.Errorf("%s argv = %s\nwant %s", tt.id, got, tt.argv)
		}
		var with []string
		for _, w := range j.With {
			with = append(with, w.Name+"="+w.Value.Value+"@"+at(w.Value.Pos))
		}
		if got := strings.Join(with, " "); got != tt.with {
			t.Errorf("%s with = %s, want %s", tt.id, got, tt.with)
		}
		if j.Name != "test" || j.Incomplete {
			t.Errorf("%s: name %q incomplete %v", tt.id, j.Name, j.Incomplete)
		}
	}
	if got := strings.Join(findJob(t, p, "report").Needs, " "); got != "test-linux-3.11 test-linux-3.12 test-mac-3.12 lint-3.10" {
		t.Errorf("report needs = %s", got)
	}
}

// TestMatrixCap checks that a matrix with more combinations than maxMatrixJobs gives
// maxMatrixJobs jobs and one more that takes every value, with a partial parse error,
// quickly even when the product is astronomical.
func TestMatrixCap(t *testing.T) {
	values := make([]string, 40)
	for i := range values {
		values[i] = fmt.Sprint(i)
	}
	list := "[" + strings.Join(values, ", ") + "]"
	doc := `version: 2.1
jobs:
  big:
    parameters:
      v: {type: string}
    machine: true
    steps:
      - run: echo << parameters.v >>
workflows:
  w:
    jobs:
      - big:
          matrix:
            parameters:
              v: ` + list + `
      - big:
          name: huge
          matrix:
            parameters:
              a: ` + list + `
              b: ` + list + `
              c: ` + list + `
              d: ` + list + `
              e: ` + list + `
              f: ` + list + `
`
	p := parseYAML(t, doc)
	count := map[string]int{}
	for _, j := range p.Jobs {
		switch {
		case strings.HasPrefix(j.ID, "big-"):
			count["big"]++
		case strings.HasPrefix(j.ID, "huge-"):
			count["huge"]++
		}
	}
	if count["big"] != maxMatrixJobs+1 || count["huge"] != maxMatrixJobs+1 {
		t.Fatalf("jobs per entry = %v, want %d each", count, maxMatrixJobs+1)
	}
	if first := findJob(t, p, "big-0"); first.Steps[0].Run.Script.Value != "echo 0" {
		t.Errorf("big-0 script = %q", first.Steps[0].Run.Script.Value)
	}
	// The last parameter varies fastest.
	if j := findJob(t, p, "huge-0-0-0-0-0-31"); j.Incomplete {
		t.Errorf("huge-0-0-0-0-0-31 is incomplete")
	}
	rest := findJob(t, p, "big-*")
	// The job standing for the others takes every value, so the script stays as
	// written and With lists all 40 values.
	if rest.Steps[0].Run.Script.Value != "echo << parameters.v >>" || len(rest.With) != 40 || rest.Incomplete {
		t.Errorf("big-*: script %q, %d values, incomplete %v", rest.Steps[0].Run.Script.Value, len(rest.With), rest.Incomplete)
	}
	findJob(t, p, "huge-*-*-*-*-*-*")
	var msgs []string
	for _, e := range p.ParseErrors {
		if !e.Partial {
			t.Errorf("parse error %q is not partial", e.Message)
		}
		msgs = append(msgs, e.Message+"@"+at(e.Pos))
	}
	want := []string{
		`matrix of big has more than 32 combinations: the first 32 are analysed as separate jobs, the others together as job "big-*" with every matrix value@13:11-13:17`,
		`matrix of huge has more than 32 combinations: the first 32 are analysed as separate jobs, the others together as job "huge-*-*-*-*-*-*" with every matrix value@18:11-18:17`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("parse errors:\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

// TestParameterSubstitution checks that known parameter values are filled into a
// script, every filled byte at the interpolation it replaces, with Interpolations as
// written, and that unknown values stay as written.
func TestParameterSubstitution(t *testing.T) {
	doc := `version: 2.1
parameters:
  model:
    type: string
    default: gpt-5-codex
commands:
  agent:
    parameters:
      flags:
        type: string
        default: --yolo
    steps:
      - run: codex exec << parameters.flags >> -m << pipeline.parameters.model >> "<< pipeline.git.branch >>"
jobs:
  review:
    machine: true
    steps:
      - agent
      - agent:
          flags: --sandbox read-only
`
	p := parseYAML(t, doc)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %v", p.ParseErrors)
	}
	j := findJob(t, p, "review")
	tests := []struct{ script, argv string }{
		{
			`codex exec --yolo -m gpt-5-codex "<< pipeline.git.branch >>"`,
			"codex@13:14-13:19 exec@13:20-13:24 --yolo@13:25-13:47 -m@13:48-13:50 gpt-5-codex@13:51-13:82 << pipeline.git.branch >>@13:83-13:110",
		},
		{
			// The argument is one value: the shell splits it into two words, both at
			// the interpolation.
			`codex exec --sandbox read-only -m gpt-5-codex "<< pipeline.git.branch >>"`,
			"codex@13:14-13:19 exec@13:20-13:24 --sandbox@13:25-13:47 read-only@13:25-13:47 -m@13:48-13:50 gpt-5-codex@13:51-13:82 << pipeline.git.branch >>@13:83-13:110",
		},
	}
	if len(j.Steps) != len(tests) {
		t.Fatalf("got %d steps, want %d", len(j.Steps), len(tests))
	}
	for i, tt := range tests {
		run := j.Steps[i].Run
		if run.Script.Value != tt.script {
			t.Errorf("step %d script = %q, want %q", i, run.Script.Value, tt.script)
		}
		if got := words(run); got != tt.argv {
			t.Errorf("step %d argv = %s\nwant %s", i, got, tt.argv)
		}
		want := "parameters.flags@13:25-13:47 pipeline.parameters.model@13:51-13:82 !pipeline.git.branch@13:84-13:109"
		if got := interps(run.Script.Interpolations); got != want {
			t.Errorf("step %d interpolations = %s\nwant %s", i, got, want)
		}
		if at(run.Script.Pos) != "13:14-13:110" {
			t.Errorf("step %d script pos = %s", i, at(run.Script.Pos))
		}
	}
}

// TestFill checks the filled text, its Substitutions and its map directly.
func TestFill(t *testing.T) {
	doc := `pipeline: {default: "main"}
x: {default: "-y --approval-mode yolo"}
y: {default: "<< parameters.x >>"}
tests:
  - run: agent << parameters.x >> --model << pipeline.parameters.branch >>
  - run: "é << parameters.x >>\t<< pipeline.number >>"
  - run: cat \<<EOF << parameters.y >>
  - run: << parameters.missing >>
`
	p := newParser(parse.Input{Path: "c.yml", Data: []byte(doc)})
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	top := p.fields(root.Content[0])
	defaultOf := func(key string) *yaml.Node { return p.scalar(value(p.fields(value(top, key)), "default")) }
	p.pipelineDefaults["branch"] = defaultOf("pipeline")
	sc := &scope{params: map[string][]paramValue{}}
	sc.add("x", paramValue{value: defaultOf("x")})
	sc.add("y", paramValue{value: defaultOf("y")})
	sc.add("missing", paramValue{value: p.derefNode(value(top, "tests"))}) // a list: no string value

	tests := []struct {
		text, subs, bytes string
	}{
		{
			"agent -y --approval-mode yolo --model main",
			"[6,29) parameters.x; [38,42) pipeline.parameters.branch",
			// every byte of a filled value maps to the interpolation's span
			"6=5:16-5:34 28=5:16-5:34 29=5:34-5:35 38=5:43-5:75 41=5:43-5:75",
		},
		{
			"é -y --approval-mode yolo\t<< pipeline.number >>",
			"[3,26) parameters.x",
			// columns count code points (é is two bytes), the escaped tab spans two
			// columns, and the unknown interpolation keeps its own place
			"0=6:11-6:12 2=6:12-6:13 3=6:13-6:31 26=6:31-6:33 27=6:33-6:34",
		},
		{
			// `\<<` is unescaped; a value holding `<< … >>` is inserted as written
			"cat <<EOF << parameters.x >>",
			"[10,28) parameters.y",
			"4=7:15-7:16 10=7:21-7:39 27=7:21-7:39",
		},
		{"<< parameters.missing >>", "", "0=8:10-8:11"},
	}
	items := p.items(value(top, "tests"))
	for i, tt := range tests {
		n := p.scalar(value(p.fields(items[i].node), "run"))
		f := p.fill(p.planFill(n, sc), true)
		if f.text != tt.text {
			t.Errorf("%d: text = %q, want %q", i, f.text, tt.text)
		}
		var subs []string
		for _, s := range f.subs {
			if s.Kind != model.InterpCircleCI || s.Untrusted || f.text[s.Start:s.End] == "" {
				t.Errorf("%d: substitution %+v", i, s)
			}
			subs = append(subs, fmt.Sprintf("[%d,%d) %s", s.Start, s.End, s.Expr))
		}
		if got := strings.Join(subs, "; "); got != tt.subs {
			t.Errorf("%d: substitutions = %s, want %s", i, got, tt.subs)
		}
		var bytes []string
		for _, part := range strings.Fields(tt.bytes) {
			var off int
			fmt.Sscanf(part, "%d=", &off)
			bytes = append(bytes, fmt.Sprintf("%d=%s", off, at(f.m.Pos(off, off+1))))
		}
		if got := strings.Join(bytes, " "); got != tt.bytes {
			t.Errorf("%d: byte positions = %s, want %s", i, got, tt.bytes)
		}
	}
}

// TestParametersAndValues checks Job.Parameters, filled-in environment values, and that
// a literal secret in a default is reported at the default, not at each use.
func TestParametersAndValues(t *testing.T) {
	doc := `version: 2.1
jobs:
  notify:
    parameters:
      api_token:
        type: string
        default: "Hn7pQ2xLw9Rt4Vz"
      level:
        type: enum
        enum: [info, warn]
        default: info
      fast:
        type: boolean
      body:
        type: steps
        default: []
    machine: true
    environment:
      LEVEL: << parameters.level >>
    steps:
      - run:
          command: ./notify.sh --token "<< parameters.api_token >>"
          environment:
            - MODE=<< parameters.level >>-x
`
	p := parseYAML(t, doc)
	j := findJob(t, p, "notify")
	var params []string
	for _, prm := range j.Parameters {
		s := prm.Name + ":" + prm.Type + "@" + at(prm.Pos)
		if prm.Default != nil {
			s += "=" + prm.Default.Value + "@" + at(prm.Default.Pos)
		}
		if len(prm.Enum) > 0 {
			s += fmt.Sprint(prm.Enum)
		}
		params = append(params, s)
	}
	want := "api_token:string@5:7-5:16=Hn7pQ2xLw9Rt4Vz@7:19-7:34 level:enum@8:7-8:12=info@11:18-11:22[info warn] fast:boolean@12:7-12:11 body:steps@14:7-14:11"
	if got := strings.Join(params, " "); got != want {
		t.Errorf("parameters = %s\nwant %s", got, want)
	}
	if d := j.Parameters[0].Default; len(d.LiteralSecrets) != 1 || at(d.LiteralSecrets[0].Pos) != "7:19-7:34" {
		t.Errorf("default secrets = %+v, want the token at its default", d.LiteralSecrets)
	}
	run := j.Steps[0].Run
	if run.Script.Value != `./notify.sh --token "Hn7pQ2xLw9Rt4Vz"` || len(run.Script.LiteralSecrets) != 0 {
		t.Errorf("script %q secrets %+v: the filled-in token is reported at its default only", run.Script.Value, run.Script.LiteralSecrets)
	}
	tests := []struct{ what, got, want string }{
		{"job env", fmt.Sprintf("%s=%s@%s %s literal=%v", j.Env[0].Name, j.Env[0].Value.Value, at(j.Env[0].Value.Pos), interps(j.Env[0].Value.Interpolations), j.Env[0].Value.Literal), "LEVEL=info@19:14-19:36 parameters.level@19:14-19:36 literal=false"},
		{"step env", fmt.Sprintf("%s=%s@%s %s", j.Steps[0].Env[0].Name, j.Steps[0].Env[0].Value.Value, at(j.Steps[0].Env[0].Value.Pos), interps(j.Steps[0].Env[0].Value.Interpolations)), "MODE=info-x@24:20-24:44 parameters.level@24:20-24:42"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %s, want %s", tt.what, tt.got, tt.want)
		}
	}
}

// TestGuards checks the guards and triggers that filters, requirements and approvals
// give a workflow entry.
func TestGuards(t *testing.T) {
	const head = `version: 2.1
jobs:
  a:
    machine: true
    steps: [checkout]
  j:
    machine: true
    steps: [checkout]
workflows:
  w:
    jobs:
`
	tests := []struct {
		name, entries, guards, triggers string
	}{
		{"no filters", "      - j\n", "", "push pull_request"},
		{"only one branch", "      - j:\n          filters: {branches: {only: main}}\n", "branch-filter:branches.only=main@13:38-13:42", "push[branches.only=main]"},
		{"only a list", "      - j:\n          filters: {branches: {only: [main, /release\\/.*/]}}\n", "branch-filter:branches.only=main,/release\\/.*/@13:38-13:39", "push[branches.only=main branches.only=/release\\/.*/]"},
		{"only every branch", "      - j:\n          filters: {branches: {only: /.*/}}\n", "", "push[branches.only=/.*/] pull_request[branches.only=/.*/]"},
		{"only pull request branches", "      - j:\n          filters: {branches: {only: '/pull\\/[0-9]+/'}}\n", "", "push[branches.only=/pull\\/[0-9]+/] pull_request[branches.only=/pull\\/[0-9]+/]"},
		{"Java-only regex", "      - j:\n          filters: {branches: {only: '/(?!x).*/'}}\n", "", "push[branches.only=/(?!x).*/] pull_request[branches.only=/(?!x).*/]"},
		{"ignore forks", "      - j:\n          filters: {branches: {ignore: [dev, /pull\\/.*/]}}\n", "branch-filter:branches.ignore=/pull\\/.*/@13:46-13:56", "push[branches.ignore=dev branches.ignore=/pull\\/.*/]"},
		{"ignore a literal", "      - j:\n          filters: {branches: {ignore: pull}}\n", "", "push[branches.ignore=pull] pull_request[branches.ignore=pull]"},
		{"tags only", "      - j:\n          filters: {tags: {only: /^v.*/}, branches: {ignore: /.*/}}\n", "branch-filter:branches.ignore=/.*/@13:62-13:66", "push[tags.only=/^v.*/ branches.ignore=/.*/]"},
		{"tags and every branch", "      - j:\n          filters: {tags: {only: /^v.*/}}\n", "", "push[tags.only=/^v.*/] pull_request[tags.only=/^v.*/]"},
		{
			"restricted requirements",
			"      - a:\n          filters: {branches: {only: main}}\n      - j:\n          requires: [a]\n",
			"branch-filter:requires: a@15:21-15:22",
			"push[requires=a]",
		},
		{
			"one requirement unrestricted",
			"      - a:\n          filters: {branches: {only: main}}\n      - a:\n          name: a2\n      - j:\n          requires: [a, a2]\n",
			"",
			"push pull_request",
		},
		{
			"approval, through another job",
			"      - hold:\n          type: approval\n      - a:\n          requires: [hold]\n      - j:\n          requires: [a]\n",
			"actor:approval: hold@12:9-12:13",
			"push pull_request",
		},
		{"requirement cycle", "      - a:\n          requires: [j]\n      - j:\n          requires: [a]\n", "", "push pull_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseYAML(t, head+tt.entries)
			if len(p.ParseErrors) > 0 {
				t.Fatalf("parse errors: %v", p.ParseErrors)
			}
			j := findJob(t, p, "j")
			var guards, triggers []string
			for _, g := range j.Guards {
				guards = append(guards, g.Kind+":"+g.Detail+"@"+at(g.Pos))
			}
			for _, tr := range j.Triggers {
				s := tr.Event
				if len(tr.Filters) > 0 {
					s += fmt.Sprint(tr.Filters)
				}
				triggers = append(triggers, s)
			}
			if got := strings.Join(guards, " "); got != tt.guards {
				t.Errorf("guards = %s, want %s", got, tt.guards)
			}
			if got := strings.Join(triggers, " "); got != tt.triggers {
				t.Errorf("triggers = %s, want %s", got, tt.triggers)
			}
		})
	}
}

// TestArtifactsAndCheckouts checks store_artifacts, persist_to_workspace and checkout.
func TestArtifactsAndCheckouts(t *testing.T) {
	doc := `version: 2.1
commands:
  save:
    parameters:
      dir:
        type: string
        default: reports
    steps:
      - store_artifacts:
          path: << parameters.dir >>
          destination: test-output
jobs:
  j:
    docker: [{image: cimg/base:current}]
    steps:
      - checkout:
          path: ~/src
      - save
      - save:
          dir: coverage/
      - persist_to_workspace:
          root: /tmp/ws
          paths:
            - bin/*
            - dist
`
	p := parseYAML(t, doc)
	j := findJob(t, p, "j")
	var arts []string
	for _, a := range j.Artifacts {
		var paths []string
		for i, path := range a.Paths {
			paths = append(paths, path+"@"+at(a.PathPos[i]))
		}
		arts = append(arts, fmt.Sprintf("%s %q step=%s %s @%s", a.Kind, a.Name, a.Step, strings.Join(paths, ","), at(a.Pos)))
	}
	want := []string{
		`store_artifacts "test-output" step=store_artifacts reports@10:17-10:37 @9:9-9:24`,
		`store_artifacts "test-output" step=store_artifacts coverage/@10:17-10:37 @9:9-9:24`,
		`persist_to_workspace "" step=persist_to_workspace /tmp/ws/bin/*@24:15-24:20,/tmp/ws/dist@25:15-25:19 @21:9-21:29`,
	}
	if strings.Join(arts, "\n") != strings.Join(want, "\n") {
		t.Errorf("artifacts:\n%s\nwant\n%s", strings.Join(arts, "\n"), strings.Join(want, "\n"))
	}
	co := j.Steps[0].Checkouts
	if len(co) != 1 || co[0].Target != model.CheckoutBase || co[0].Path != "~/src" || !co[0].PersistCredentials || at(co[0].Pos) != "16:9-16:17" || !strings.HasPrefix(co[0].Reason, "checkout step: ") {
		t.Errorf("checkouts = %+v", co)
	}
	for _, s := range j.Steps[1:] {
		if len(s.Checkouts) != 0 {
			t.Errorf("step %s has checkouts %+v", s.Name, s.Checkouts)
		}
	}
}

// TestConditions checks what when/unless steps and workflows read, and which steps run
// always.
func TestConditions(t *testing.T) {
	doc := `version: 2.1
parameters:
  go: {type: boolean, default: true}
jobs:
  j:
    parameters:
      fast: {type: boolean, default: false}
    machine: true
    steps:
      - when:
          condition:
            equal: [main, << pipeline.git.branch >>]
          steps:
            - run: echo main
      - unless:
          condition: << parameters.fast >>
          steps:
            - run: echo slow
      - run:
          command: echo always
          when: always
      - run:
          command: echo failed
          when: on_fail
      - run:
          command: echo success
          when: on_success
      - run:
          command: echo param
          when: << parameters.w >>
workflows:
  w:
    when: << pipeline.parameters.go >>
    jobs: [{j: {w: always}}]
`
	p := parseYAML(t, doc)
	j := findJob(t, p, "j")
	reads := func(c *model.Condition) string {
		if c == nil {
			return "none"
		}
		var out []string
		for _, r := range c.Reads {
			mark := ""
			if r.Untrusted {
				mark = "!"
			}
			out = append(out, mark+r.Path+"@"+at(r.Pos))
		}
		return fmt.Sprintf("%q always=%v reads=[%s]", c.Value, c.Always, strings.Join(out, " "))
	}
	tests := []struct {
		what, got, want string
	}{
		{"workflow", reads(j.Condition), `"<< pipeline.parameters.go >>" always=false reads=[pipeline.parameters.go@33:11-33:39]`},
		{"when", reads(j.Steps[0].Condition), `"equal(main, << pipeline.git.branch >>)" always=false reads=[!pipeline.git.branch@12:27-12:52]`},
		{"unless", reads(j.Steps[1].Condition), `"not(<< parameters.fast >>)" always=false reads=[parameters.fast@16:22-16:43]`},
		{"when: always", reads(j.Steps[2].Condition), `"always" always=true reads=[]`},
		{"when: on_fail", reads(j.Steps[3].Condition), `"on_fail" always=false reads=[]`},
		{"when: on_success", reads(j.Steps[4].Condition), "none"},
		{"when: a parameter", reads(j.Steps[5].Condition), `"always" always=true reads=[parameters.w@30:17-30:35]`},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s condition = %s\nwant %s", tt.what, tt.got, tt.want)
		}
	}
	for i, s := range j.Steps {
		if s.Always != (i == 2 || i == 5) {
			t.Errorf("step %d always = %v", i, s.Always)
		}
	}
}

// TestLimitsWithEntries checks that the file-wide step limit counts the steps of every
// workflow entry, and that the number of jobs is bounded.
func TestLimitsWithEntries(t *testing.T) {
	steps := strings.Repeat("      - checkout\n", 100)
	many := func(n int) string {
		return strings.Repeat("      - j\n", n)
	}
	tests := []struct {
		name, doc, wantError string
		jobs, steps          int
	}{
		{"steps of every entry count", "version: 2.1\njobs:\n  j:\n    machine: true\n    steps:\n" + steps + "workflows:\n  w:\n    jobs:\n" + many(201), "expansion limit reached: more than 20000 steps", 201, maxSteps},
		{"jobs", "version: 2.1\njobs:\n  j:\n    machine: true\n    steps: [checkout]\nworkflows:\n  w:\n    jobs:\n" + many(maxJobs+5), "job limit reached: more than 1000 jobs", maxJobs, maxJobs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseYAML(t, tt.doc)
			total := 0
			for _, j := range p.Jobs {
				total += len(j.Steps)
			}
			if len(p.Jobs) != tt.jobs || total != tt.steps {
				t.Errorf("%d jobs, %d steps; want %d, %d", len(p.Jobs), total, tt.jobs, tt.steps)
			}
			if len(p.ParseErrors) != 1 || !strings.Contains(p.ParseErrors[0].Message, tt.wantError) || p.ParseErrors[0].Partial {
				t.Errorf("parse errors = %+v, want %q", p.ParseErrors, tt.wantError)
			}
		})
	}
}

// TestWideInput checks that very wide mappings and lists (hostile files) are read in
// about linear time: 100000 environment variables or job definitions took a minute
// when keys were deduplicated pairwise. 100000 variables are also over the model
// budget (parse.DefaultMaxModel): the file is reported too large to analyse.
func TestWideInput(t *testing.T) {
	const n = 100_000
	var env, jobs strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&env, "      K%d: v\n", i)
		fmt.Fprintf(&jobs, "  j%d: {machine: true, steps: [checkout]}\n", i)
	}
	tests := []struct {
		name, doc    string
		jobs         int
		wantTooLarge bool
	}{
		{"environment", "version: 2.1\njobs:\n  j:\n    machine: true\n    environment:\n" + env.String() + "    steps: [checkout]\n", 0, true},
		{"job definitions", "version: 2.1\njobs:\n" + jobs.String(), maxJobs, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			p := parseYAML(t, tt.doc)
			if elapsed := time.Since(start); elapsed > 20*time.Second {
				t.Errorf("parsing took %v", elapsed)
			}
			if len(p.Jobs) != tt.jobs {
				t.Errorf("%d jobs, want %d", len(p.Jobs), tt.jobs)
			}
			tooLarge := len(p.ParseErrors) > 0 && strings.HasPrefix(p.ParseErrors[len(p.ParseErrors)-1].Message, "too large to analyse")
			if tooLarge != tt.wantTooLarge {
				t.Errorf("too large = %v, want %v (errors %+v)", tooLarge, tt.wantTooLarge, p.ParseErrors)
			}
		})
	}
}

// TestFilledBytesLimit checks that filling a long script in for many jobs stops at
// maxFilledBytes, leaving the later scripts as written. (Equal values share one filled
// text, so every job gets a value of its own.)
func TestFilledBytesLimit(t *testing.T) {
	values, others := make([]string, maxMatrixJobs), make([]string, maxMatrixJobs)
	for i := range values {
		values[i], others[i] = fmt.Sprint(i), fmt.Sprint(maxMatrixJobs+i)
	}
	long := strings.Repeat("x", 100_000)
	doc := `version: 2.1
jobs:
  j:
    parameters:
      v: {type: string}
    machine: true
    steps:
      - run: echo << parameters.v >> ` + long + `
workflows:
  w:
    jobs:
      - j: {matrix: {parameters: {v: [` + strings.Join(values, ", ") + `]}}}
      - j: {name: k, matrix: {parameters: {v: [` + strings.Join(others, ", ") + `]}}}
`
	p := parseYAML(t, doc)
	filled, asWritten := 0, 0
	for _, j := range p.Jobs {
		if strings.HasPrefix(j.Steps[0].Run.Script.Value, "echo << parameters.v >>") {
			asWritten++
		} else {
			filled++
		}
	}
	if want := maxFilledBytes / (len(long) + 7); filled != want || asWritten != 2*maxMatrixJobs-want {
		t.Errorf("%d scripts filled, %d as written; want %d filled", filled, asWritten, want)
	}
	if len(p.ParseErrors) != 1 || !p.ParseErrors[0].Partial || !strings.Contains(p.ParseErrors[0].Message, "parameter substitution stopped") || at(p.ParseErrors[0].Pos) != "8:19-8:37" {
		t.Errorf("parse errors = %+v", p.ParseErrors)
	}
}

// TestFilledValueTaint checks that an interpolation whose known value holds
// attacker-controlled text (`<< pipeline.git.branch >>`) or a pipeline parameter is
// marked with it (From naming the source), its contexts placed at the interpolation, and
// that the substituted words carry the same marks.
func TestFilledValueTaint(t *testing.T) {
	doc := `version: 2.1
parameters:
  msg: {type: string, default: hi}
jobs:
  build:
    docker: [{image: cimg/base:current}]
    parameters:
      target: {type: string, default: prod}
    steps:
      - run: echo << parameters.target >>
workflows:
  main:
    jobs:
      - build: {name: literal}
      - build: {name: branch, target: "x-<< pipeline.git.branch >>"}
      - build: {name: param, target: "<< pipeline.parameters.msg >>"}
      - build: {name: both, target: "<< pipeline.parameters.msg >><< pipeline.git.tag >>"}
`
	p := parseYAML(t, doc)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %v", p.ParseErrors)
	}
	tests := []struct{ job, interp, refs string }{
		{"literal", "parameters.target - @10:19-10:42", "parameters.target -"},
		{"branch", "parameters.target U←pipeline.git.branch @10:19-10:42", "pipeline.git.branch U parameters.target U←pipeline.git.branch"},
		{"param", "parameters.target A←pipeline.parameters.msg @10:19-10:42", "parameters.target A←pipeline.parameters.msg"},
		{"both", "parameters.target U←pipeline.git.tag @10:19-10:42", "pipeline.parameters.msg A pipeline.git.tag U parameters.target U←pipeline.git.tag"},
	}
	flags := func(u, a bool, from string) string {
		s := "-"
		switch {
		case u:
			s = "U"
		case a:
			s = "A"
		}
		if from != "" {
			s += "←" + from
		}
		return s
	}
	for _, tt := range tests {
		run := findJob(t, p, tt.job).Steps[0].Run
		var got []string
		for _, in := range run.Script.Interpolations {
			for _, c := range in.Contexts {
				if c.Pos != in.Pos || c.Untrusted != in.Untrusted || c.AuthorControlled != in.AuthorControlled {
					t.Errorf("%s: context %+v differs from its interpolation %+v", tt.job, c, in)
				}
				got = append(got, in.Expr+" "+flags(c.Untrusted, c.AuthorControlled, c.From)+" @"+at(in.Pos))
			}
		}
		if s := strings.Join(got, " "); s != tt.interp {
			t.Errorf("%s: interpolations = %s, want %s", tt.job, s, tt.interp)
		}
		var refs []string
		for _, r := range run.Commands[0].Argv[1].Refs {
			refs = append(refs, r.Name+" "+flags(r.Untrusted, r.AuthorControlled, r.From))
		}
		if s := strings.Join(refs, " "); s != tt.refs {
			t.Errorf("%s: refs = %s, want %s", tt.job, s, tt.refs)
		}
	}
}
