package circleci

import (
	"fmt"
	"strings"
	"testing"

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
