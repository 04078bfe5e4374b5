package gitlab

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
)

// parseRepo parses files[".gitlab-ci.yml"] with files as its repository.
func parseRepo(t *testing.T, files map[string]string, isolation map[string]string) *model.Pipeline {
	t.Helper()
	repo := fstest.MapFS{}
	for name, content := range files {
		repo[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return Parse(parse.Input{
		Path: ".gitlab-ci.yml", Data: []byte(files[".gitlab-ci.yml"]), Repo: repo,
		RepoPath: ".gitlab-ci.yml", RunnerIsolation: isolation,
	})
}

// lines joins lines with newlines, ending with one.
func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

func findJob(t *testing.T, p *model.Pipeline, id string) model.Job {
	t.Helper()
	for _, j := range p.Jobs {
		if j.ID == id {
			return j
		}
	}
	t.Fatalf("job %q not found; jobs: %v", id, jobIDs(p))
	return model.Job{}
}

func jobIDs(p *model.Pipeline) []string {
	var ids []string
	for _, j := range p.Jobs {
		ids = append(ids, j.ID)
	}
	return ids
}

func findVar(t *testing.T, vars []model.Var, name string) model.Var {
	t.Helper()
	for _, v := range vars {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("variable %q not found", name)
	return model.Var{}
}

func span(line, col, endLine, endCol int, file string) model.Pos {
	return model.Pos{Line: line, Col: col, EndLine: endLine, EndCol: endCol, File: file}
}

func noErrors(t *testing.T, p *model.Pipeline) {
	t.Helper()
	if len(p.ParseErrors) > 0 {
		t.Fatalf("unexpected parse errors: %+v", p.ParseErrors)
	}
}

func viaKinds(via []model.Via) string {
	var kinds []string
	for _, v := range via {
		kinds = append(kinds, v.Kind+":"+v.Name)
	}
	return strings.Join(kinds, " ")
}

// templateRepo has a job that extends a template of an included file, merges an
// anchor, and references a script of the included file.
var templateRepo = map[string]string{
	".gitlab-ci.yml": lines(
		"include:",
		"  - local: ci/templates.yml",
		"variables:",
		"  GLOBAL: g",
		".base: &base",
		"  variables:",
		"    FROM_ANCHOR: a",
		"job1:",
		"  <<: *base",
		"  extends: .tmpl",
		"  script:",
		"    - !reference [.setup, script]",
		"    - echo done",
	),
	"ci/templates.yml": lines(
		".tmpl:",
		"  variables:",
		"    TMPL_VAR: t",
		"  tags: [docker]",
		".setup:",
		"  script:",
		"    - |",
		"      echo one",
		"      make build",
	),
}

func TestProvenance(t *testing.T) {
	p := parseRepo(t, templateRepo, nil)
	noErrors(t, p)
	job := findJob(t, p, "job1")
	tests := []struct {
		name    string
		got     model.Pos
		want    model.Pos
		gotVia  string
		wantVia string
	}{
		{
			name: "variable of a template in an included file",
			got:  findVar(t, job.Env, "TMPL_VAR").Pos, want: span(3, 5, 3, 13, "ci/templates.yml"),
			gotVia: viaKinds(findVar(t, job.Env, "TMPL_VAR").Via), wantVia: "include:ci/templates.yml extends:.tmpl",
		},
		{
			name: "value of that variable",
			got:  findVar(t, job.Env, "TMPL_VAR").Value.Pos, want: span(3, 15, 3, 16, "ci/templates.yml"),
		},
		{
			name: "variable merged from an anchor",
			got:  findVar(t, job.Env, "FROM_ANCHOR").Pos, want: span(7, 5, 7, 16, ""),
			gotVia: viaKinds(findVar(t, job.Env, "FROM_ANCHOR").Via), wantVia: "merge:base",
		},
		{
			name: "global variable",
			got:  findVar(t, p.Env, "GLOBAL").Value.Pos, want: span(4, 11, 4, 12, ""),
		},
		{
			name: "job key",
			got:  job.Pos, want: span(8, 1, 8, 5, ""),
		},
		{
			name: "tags from the template",
			got:  job.Runner.Pos, want: span(4, 3, 4, 7, "ci/templates.yml"),
		},
		{
			name: "include entry",
			got:  p.Includes[0].Pos, want: span(2, 12, 2, 28, ""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("pos = %#v, want %#v", tt.got, tt.want)
			}
			if tt.gotVia != tt.wantVia {
				t.Errorf("via = %q, want %q", tt.gotVia, tt.wantVia)
			}
		})
	}
}

func TestReferenceScriptLines(t *testing.T) {
	p := parseRepo(t, templateRepo, nil)
	noErrors(t, p)
	job := findJob(t, p, "job1")
	if len(job.Steps) != 2 {
		t.Fatalf("steps = %d, want 2 (the referenced lines and the job's own)", len(job.Steps))
	}
	ref, own := job.Steps[0], job.Steps[1]
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"referenced script text", ref.Run.Script.Value, "echo one\nmake build\n"},
		{"referenced script position", ref.Run.Script.Pos, span(8, 7, 9, 18, "ci/templates.yml")}, // the final newline is at 9:17
		{"referenced step via", viaKinds(ref.Via), "include:ci/templates.yml reference:[.setup, script]"},
		{"reference hop position", ref.Via[1].Pos, span(12, 7, 12, 8, "")},
		{"step position is the job's script key", ref.Pos, span(11, 3, 11, 9, "")},
		{"own script text", own.Run.Script.Value, "echo done"},
		{"own script position", own.Run.Script.Pos, span(13, 7, 13, 16, "")},
		{"own step id", own.ID, "script.2"},
		{"step name", own.Name, "script"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
	// The second line of the referenced block keeps its own position, when script
	// analysis returns commands.
	if cmds := ref.Run.Commands; len(cmds) == 2 {
		if got, want := cmds[1].Argv[0].Pos, span(9, 7, 9, 11, "ci/templates.yml"); got != want {
			t.Errorf("make argv pos = %#v, want %#v", got, want)
		}
	}
}

func TestScriptLinesJoinWithExactMaps(t *testing.T) {
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": lines(
		"default:",
		"  before_script:",
		"    - echo setup",
		"job:",
		"  script:",
		"    - echo a",
		"    - >",
		"      echo",
		"      folded",
		"  after_script:",
		"    - echo cleanup",
	)}, nil)
	noErrors(t, p)
	job := findJob(t, p, "job")
	if len(job.Steps) != 3 {
		t.Fatalf("steps = %d, want 3", len(job.Steps))
	}
	before, main, after := job.Steps[0], job.Steps[1], job.Steps[2]
	if before.Name != "before_script" || viaKinds(before.Via) != "default:default" {
		t.Errorf("before step = %q via %q, want before_script via default", before.Name, viaKinds(before.Via))
	}
	if got, want := before.Run.Script.Pos, span(3, 7, 3, 17, ""); got != want {
		t.Errorf("before_script pos = %#v, want %#v", got, want)
	}
	if got, want := main.Run.Script.Value, "echo a\necho folded\n"; got != want {
		t.Errorf("script = %q, want %q", got, want)
	}
	if got, want := main.Run.Script.Pos, span(6, 7, 9, 14, ""); got != want { // ends with the folded block's newline
		t.Errorf("script pos = %#v, want %#v", got, want)
	}
	if !after.Always || after.Name != "after_script" || before.Always || main.Always {
		t.Errorf("Always flags: before %v, script %v, after %v; want only after_script", before.Always, main.Always, after.Always)
	}
	if cmds := main.Run.Commands; len(cmds) == 2 {
		if got, want := cmds[1].Argv[1].Pos, span(9, 7, 9, 13, ""); got != want {
			t.Errorf("folded argv pos = %#v, want %#v", got, want)
		}
	}
}

// extendsChain builds a configuration in which job extends a chain of n templates.
func extendsChain(n int) string {
	var b strings.Builder
	b.WriteString(".t0:\n  script: [echo]\n")
	for i := 1; i <= n-1; i++ {
		b.WriteString(".t" + itoa(i) + ":\n  extends: .t" + itoa(i-1) + "\n")
	}
	b.WriteString("job:\n  extends: .t" + itoa(n-1) + "\n")
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestExtendsDepthLimit checks GitLab's limit of 11 extends levels: a deeper chain is
// reported at the hop that goes too deep and its templates are not merged (GitLab
// rejects such a pipeline), so the job is incomplete rather than built from a chain
// GitLab would never run.
func TestExtendsDepthLimit(t *testing.T) {
	tests := []struct {
		depth          int
		wantErr        bool
		wantInherited  bool
		wantIncomplete bool
	}{
		{depth: 11, wantErr: false, wantInherited: true},
		{depth: 12, wantErr: true, wantInherited: false, wantIncomplete: true},
		{depth: 500, wantErr: true, wantInherited: false, wantIncomplete: true},
	}
	for _, tt := range tests {
		t.Run("depth "+itoa(tt.depth), func(t *testing.T) {
			p := parseRepo(t, map[string]string{".gitlab-ci.yml": extendsChain(tt.depth)}, nil)
			var depthErrs []model.ParseError
			for _, e := range p.ParseErrors {
				if strings.Contains(e.Message, "deeper than 11 levels") {
					depthErrs = append(depthErrs, e)
				}
			}
			if (len(depthErrs) > 0) != tt.wantErr || len(depthErrs) > 1 {
				t.Errorf("depth errors = %+v, want one: %v", depthErrs, tt.wantErr)
			}
			if tt.wantErr && len(depthErrs) == 1 {
				// The twelfth hop, `extends: .t11` (of job or of .t12), is on line 26.
				want := model.Pos{Line: 26, Col: 12, EndLine: 26, EndCol: 16}
				if depthErrs[0].Pos != want {
					t.Errorf("depth error at %v, want %v", depthErrs[0].Pos, want)
				}
			}
			job := findJob(t, p, "job")
			inherited := len(job.Steps) == 1 && job.Steps[0].Run.Script.Value == "echo"
			if inherited != tt.wantInherited {
				t.Errorf("script inherited = %v, want %v: %+v", inherited, tt.wantInherited, job.Steps)
			}
			if job.Incomplete != tt.wantIncomplete {
				t.Errorf("Incomplete = %v, want %v", job.Incomplete, tt.wantIncomplete)
			}
		})
	}
}

func TestCycles(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
		wantPos model.Pos
	}{
		{
			name: "include cycle",
			files: map[string]string{
				".gitlab-ci.yml": "include: a.yml\njob:\n  script: [echo]\n",
				"a.yml":          "include:\n  - local: /b.yml\n",
				"b.yml":          "include:\n  - local: a.yml\n",
			},
			wantErr: "include cycle: a.yml -> b.yml -> a.yml",
			wantPos: span(2, 12, 2, 17, "b.yml"),
		},
		{
			name: "include of the root file",
			files: map[string]string{
				".gitlab-ci.yml": "include: .gitlab-ci.yml\njob:\n  script: [echo]\n",
			},
			wantErr: "include cycle: .gitlab-ci.yml -> .gitlab-ci.yml",
			wantPos: span(1, 10, 1, 24, ""),
		},
		{
			name: "extends cycle",
			files: map[string]string{
				".gitlab-ci.yml": ".a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: .a\n  script: [echo]\n",
			},
			wantErr: `extends cycle through ".a"`,
			wantPos: span(4, 12, 4, 14, ""),
		},
		{
			name: "reference cycle",
			files: map[string]string{
				".gitlab-ci.yml": ".a:\n  script: [!reference [.b, script]]\n.b:\n  script: [!reference [.a, script]]\njob:\n  script: [!reference [.a, script]]\n",
			},
			wantErr: "!reference [.b, script] nested deeper than 10 levels",
			wantPos: model.Point(2, 12),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan *model.Pipeline, 1)
			go func() { done <- parseRepo(t, tt.files, nil) }()
			var p *model.Pipeline
			select {
			case p = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("parse did not terminate")
			}
			for _, e := range p.ParseErrors {
				if e.Message == tt.wantErr {
					if e.Pos != tt.wantPos {
						t.Errorf("error pos = %#v, want %#v", e.Pos, tt.wantPos)
					}
					return
				}
			}
			t.Errorf("errors = %+v, want %q", p.ParseErrors, tt.wantErr)
		})
	}
}

func TestDuplicateKeysLastWins(t *testing.T) {
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": lines(
		"job:",
		"  variables:",
		"    A: first",
		"    A: second",
		"  script: [echo one]",
		"job:",
		"  script: [echo two]",
	)}, nil)
	noErrors(t, p)
	if len(p.Jobs) != 1 {
		t.Fatalf("jobs = %v, want one job", jobIDs(p))
	}
	job := p.Jobs[0]
	if job.Pos != span(6, 1, 6, 4, "") {
		t.Errorf("job pos = %#v, want the second definition at 6:1", job.Pos)
	}
	if len(job.Steps) != 1 || job.Steps[0].Run.Script.Value != "echo two" {
		t.Errorf("steps = %+v, want the last script", job.Steps)
	}
	if len(job.Env) != 0 {
		t.Errorf("env = %+v, want none (the first job definition lost)", job.Env)
	}
	// The overridden values are still scanned for literals.
	found := map[string]bool{}
	for _, v := range p.Values {
		found[v.Name+"="+v.Value.Value] = true
	}
	for _, want := range []string{"job.variables.A=first", "job.variables.A=second", "job.script.0=echo one"} {
		if !found[want] {
			t.Errorf("Values lack %s: %v", want, found)
		}
	}
}

func TestYAML11Booleans(t *testing.T) {
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": lines(
		"default:",
		"  image: alpine",
		"  interruptible: yes",
		"a:",
		"  inherit:",
		"    default: no",
		"  artifacts:",
		"    untracked: yes",
		"  script: [echo]",
		"b:",
		"  inherit:",
		"    default: on",
		"  artifacts:",
		"    untracked: off",
		"    paths: [out/]",
		"  script: [echo]",
	)}, nil)
	noErrors(t, p)
	a, b := findJob(t, p, "a"), findJob(t, p, "b")
	if a.Runner.Image != "" || b.Runner.Image != "alpine" {
		t.Errorf("images a=%q b=%q, want a without default (inherit default: no), b alpine", a.Runner.Image, b.Runner.Image)
	}
	if len(a.Artifacts) != 1 || !a.Artifacts[0].Untracked {
		t.Errorf("a artifacts = %+v, want untracked", a.Artifacts)
	}
	if len(b.Artifacts) != 1 || b.Artifacts[0].Untracked || b.Artifacts[0].Paths[0] != "out/" {
		t.Errorf("b artifacts = %+v, want tracked out/", b.Artifacts)
	}
}

func TestAliasBombIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 12; i++ {
		prev := "*a" + itoa(i-1)
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	b.WriteString("job:\n  script: *a12\n")
	start := time.Now()
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": b.String()}, nil)
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("parse took %v", elapsed)
	}
	found := false
	for _, e := range p.ParseErrors {
		found = found || strings.Contains(e.Message, "expands to more than")
	}
	if !found {
		t.Errorf("errors = %+v, want the expansion limit", p.ParseErrors)
	}
}

func TestIncludeKindsAndIncompleteJobs(t *testing.T) {
	p := parseRepo(t, map[string]string{
		".gitlab-ci.yml": lines(
			"include:",
			"  - remote: https://example.com/ci.yml",
			"  - project: group/tools",
			"    ref: v1",
			"    file: [/a.yml, /b.yml]",
			"  - template: Security/SAST.gitlab-ci.yml",
			"  - component: gitlab.com/org/comp/build@1.0",
			"  - local: ci/*.yml",
			"  - local: missing.yml",
			"job:",
			"  extends: .from-remote",
			"  script: [echo]",
			"local-job:",
			"  extends: .local",
		),
		"ci/one.yml": ".local:\n  script: [echo one]\n",
		"ci/two.yml": "two:\n  script: [echo two]\n",
	}, nil)
	noErrors(t, p)
	var got []string
	for _, inc := range p.Includes {
		got = append(got, inc.Kind+" "+inc.Target+" "+map[bool]string{true: "resolved", false: "unresolved"}[inc.Resolved])
	}
	want := []string{
		"remote https://example.com/ci.yml unresolved",
		"project group/tools:/a.yml@v1 unresolved",
		"project group/tools:/b.yml@v1 unresolved",
		"template Security/SAST.gitlab-ci.yml unresolved",
		"component gitlab.com/org/comp/build@1.0 unresolved",
		"local ci/*.yml resolved",
		"local ci/*.yml resolved",
		"local missing.yml unresolved",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("includes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if job := findJob(t, p, "job"); !job.Incomplete {
		t.Errorf("job extending an unresolvable template is not incomplete")
	}
	if job := findJob(t, p, "local-job"); job.Incomplete || len(job.Steps) != 1 {
		t.Errorf("local-job = incomplete %v, steps %d; want complete with the globbed template", job.Incomplete, len(job.Steps))
	}
	findJob(t, p, "two")
	var unresolved []string
	for _, u := range p.Unresolved {
		unresolved = append(unresolved, u.Kind+" "+u.Name)
	}
	if len(unresolved) != 7 || unresolved[6] != "extends .from-remote" {
		t.Errorf("unresolved = %v, want 6 includes and the extends target", unresolved)
	}
}

func TestRunnerIsolation(t *testing.T) {
	config := lines(
		"untagged:",
		"  image: alpine",
		"  script: [echo]",
		"tagged:",
		"  tags: [docker-runner]",
		"  image: alpine",
		"  script: [echo]",
		"shell:",
		"  tags: [build-host]",
		"  script: [echo]",
		"hosted:",
		"  tags: [saas-linux-small-amd64]",
		"  script: [echo]",
		"dind:",
		"  tags: [docker-runner]",
		"  services: [docker:24-dind]",
		"  script: [docker build .]",
		"windows:",
		"  tags: [windows]",
		"  script: [echo]",
		"docker-host:",
		"  tags: [docker-runner]",
		"  image: docker:24",
		"  services: [{name: 'docker:24-dind', alias: docker}, postgres]",
		"  variables: {DOCKER_HOST: 'tcp://docker:2375'}",
		"  script: [docker ps]",
	)
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": config}, map[string]string{
		"docker-runner": model.IsolationIsolated,
		"build-host":    model.IsolationNone,
	})
	noErrors(t, p)
	tests := []struct {
		job, kind, isolation string
		privileged           bool
		shell                string
		escapes              []string
	}{
		{"untagged", model.RunnerContainer, model.IsolationUnknown, false, "", nil},
		{"tagged", model.RunnerContainer, model.IsolationIsolated, false, "", nil},
		{"shell", model.RunnerSelfHosted, model.IsolationNone, false, "", nil},
		{"hosted", model.RunnerHosted, model.IsolationEphemeral, false, "", nil},
		{"dind", model.RunnerSelfHosted, model.IsolationNone, true, "", []string{"services: docker:24-dind"}},
		{"windows", model.RunnerSelfHosted, model.IsolationUnknown, false, "pwsh", nil},
		{"docker-host", model.RunnerContainer, model.IsolationNone, true, "", []string{"services: docker:24-dind", "DOCKER_HOST"}},
	}
	for _, tt := range tests {
		t.Run(tt.job, func(t *testing.T) {
			job := findJob(t, p, tt.job)
			r := job.Runner
			if r.Kind != tt.kind || r.Isolation != tt.isolation || r.Privileged != tt.privileged {
				t.Errorf("runner = %s/%s privileged %v, want %s/%s privileged %v", r.Kind, r.Isolation, r.Privileged, tt.kind, tt.isolation, tt.privileged)
			}
			if !slices.Equal(r.Escapes, tt.escapes) {
				t.Errorf("escapes = %q, want %q", r.Escapes, tt.escapes)
			}
			if job.Steps[0].Run.Shell != tt.shell {
				t.Errorf("shell = %q, want %q", job.Steps[0].Run.Shell, tt.shell)
			}
		})
	}
}

func TestTriggers(t *testing.T) {
	tests := []struct {
		name         string
		config       string
		wantPipeline string
		wantJob      string
		wantJobPos   model.Pos
	}{
		{
			name:         "no rules: branch pipelines only",
			config:       "job:\n  script: [echo]\n",
			wantPipeline: "push schedule web api trigger pipeline",
			wantJob:      "push schedule web api trigger pipeline",
			wantJobPos:   span(1, 1, 1, 4, ""),
		},
		{
			name: "a job rule creates merge-request pipelines",
			config: lines(
				"job:",
				"  rules:",
				`    - if: $CI_PIPELINE_SOURCE == "merge_request_event"`,
				"  script: [echo]",
				"other:",
				"  script: [echo]",
			),
			wantPipeline: "push merge_request_event schedule web api trigger pipeline",
			wantJob:      "merge_request_event",
			wantJobPos:   span(3, 11, 3, 55, ""),
		},
		{
			name: "workflow allows merge requests, the job excludes them",
			config: lines(
				"workflow:",
				"  rules:",
				"    - if: $CI_MERGE_REQUEST_IID",
				"    - if: $CI_COMMIT_BRANCH",
				"job:",
				"  rules:",
				"    - if: $CI_PIPELINE_SOURCE == 'merge_request_event'",
				"      when: never",
				"    - when: always",
				"  script: [echo]",
			),
			wantPipeline: "push merge_request_event schedule web api trigger pipeline parent_pipeline",
			wantJob:      "push schedule web api trigger pipeline parent_pipeline",
			wantJobPos:   model.Point(9, 7), // the rule without if:
		},
		{
			name: "only: merge_requests",
			config: lines(
				"job:",
				"  only: [merge_requests]",
				"  script: [echo]",
			),
			wantPipeline: "push merge_request_event schedule web api trigger pipeline",
			wantJob:      "merge_request_event",
			wantJobPos:   span(2, 3, 2, 7, ""),
		},
		{
			name: "default-branch deploy never runs for merge requests",
			config: lines(
				"workflow:",
				"  rules:",
				"    - when: always",
				"deploy:",
				"  rules:",
				"    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
				"  script: [echo]",
			),
			wantPipeline: "push merge_request_event schedule web api trigger pipeline parent_pipeline",
			wantJob:      "push schedule web api trigger pipeline parent_pipeline",
			wantJobPos:   span(6, 11, 6, 50, ""),
		},
		{
			name: "rules see the job's variables",
			config: lines(
				"variables:",
				"  UPLOAD: 'no'",
				"upload:",
				"  variables:",
				`    PACKAGE_ONLY: "true"`,
				"  rules:",
				`    - if: $PACKAGE_ONLY == "true" && $UPLOAD == "no" && $CI_MERGE_REQUEST_IID`,
				"      when: never",
				"    - if: $CI_MERGE_REQUEST_IID",
				"    - if: $CI_COMMIT_BRANCH",
				"  script: [echo]",
				"other:",
				"  script: [echo]",
			),
			wantPipeline: "push schedule web api trigger pipeline",
			wantJob:      "push schedule web api trigger pipeline",
			wantJobPos:   span(10, 11, 10, 28, ""),
		},
		{
			name: "a variable that references another is not known",
			config: lines(
				"upload:",
				"  variables:",
				`    PACKAGE_ONLY: $FROM_SETTINGS`,
				"  rules:",
				`    - if: $PACKAGE_ONLY == "true"`,
				"      when: never",
				"    - if: $CI_MERGE_REQUEST_IID",
				"  script: [echo]",
			),
			wantPipeline: "push merge_request_event schedule web api trigger pipeline",
			wantJob:      "merge_request_event",
			wantJobPos:   span(7, 11, 7, 32, ""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseRepo(t, map[string]string{".gitlab-ci.yml": tt.config}, nil)
			noErrors(t, p)
			if got := events(p.Triggers); got != tt.wantPipeline {
				t.Errorf("pipeline triggers = %q, want %q", got, tt.wantPipeline)
			}
			job := p.Jobs[0]
			if got := events(job.Triggers); got != tt.wantJob {
				t.Errorf("job triggers = %q, want %q", got, tt.wantJob)
			}
			if job.Triggers[0].Pos != tt.wantJobPos {
				t.Errorf("job trigger pos = %#v, want %#v", job.Triggers[0].Pos, tt.wantJobPos)
			}
			for _, tr := range job.Triggers {
				if (tr.Event == sourceMergeRequest) != (tr.Trust == model.TrustUntrusted) && tr.Event != sourceExternalPR {
					t.Errorf("trigger %s has trust %s", tr.Event, tr.Trust)
				}
			}
		})
	}
}

func events(triggers []model.Trigger) string {
	var out []string
	for _, t := range triggers {
		out = append(out, t.Event)
	}
	return strings.Join(out, " ")
}

func TestVariablesSecretsCredentials(t *testing.T) {
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": lines(
		"variables:",
		"  DEPLOY_ENV:",
		"    value: staging",
		`    description: "where to deploy"`,
		"  API_TOKEN: $VAULT_API_TOKEN",
		"job:",
		"  id_tokens:",
		"    VAULT_ID_TOKEN:",
		"      aud: https://vault.example.com",
		"  secrets:",
		"    DATABASE_PASSWORD:",
		"      vault: production/db/password@ops",
		"  environment:",
		"    name: production",
		"    url: https://example.com",
		"  artifacts:",
		"    paths: [dist/]",
		"    expire_in: 1 week",
		"  script:",
		"    - deploy --token $REGISTRY_TOKEN --user $CI_REGISTRY_USER",
	)}, nil)
	noErrors(t, p)
	env := findVar(t, p.Env, "DEPLOY_ENV")
	if env.Value.Value != "staging" || env.Value.Pos != span(3, 12, 3, 19, "") {
		t.Errorf("DEPLOY_ENV = %q at %+v, want staging at 3:12", env.Value.Value, env.Value.Pos)
	}
	token := findVar(t, p.Env, "API_TOKEN")
	if token.SecretRef == nil || token.SecretRef.Name != "VAULT_API_TOKEN" {
		t.Errorf("API_TOKEN secret ref = %+v, want VAULT_API_TOKEN", token.SecretRef)
	}
	descriptionKept := false
	for _, v := range p.Values {
		descriptionKept = descriptionKept || (v.Name == "variables.DEPLOY_ENV.description" && v.Value.Value == "where to deploy")
	}
	if !descriptionKept {
		t.Errorf("description not in Values: %+v", p.Values)
	}
	job := findJob(t, p, "job")
	var refs []string
	for _, s := range job.Secrets {
		refs = append(refs, s.Kind+" "+s.Name+" "+s.Pos.String())
	}
	want := "vault DATABASE_PASSWORD 11:5|oidc VAULT_ID_TOKEN 8:5|gitlab-variable REGISTRY_TOKEN 20:22"
	if got := strings.Join(refs, "|"); got != want {
		t.Errorf("job secrets = %s, want %s", got, want)
	}
	if len(job.Credentials) != 2 || job.Credentials[0].Kind != "gitlab-secret" || job.Credentials[1].Kind != "id-token" {
		t.Errorf("credentials = %+v", job.Credentials)
	}
	if job.Environment == nil || job.Environment.Name != "production" || job.Environment.Pos != span(14, 11, 14, 21, "") {
		t.Errorf("environment = %+v", job.Environment)
	}
	a := job.Artifacts
	if len(a) != 1 || a[0].ExpireIn == nil || a[0].ExpireIn.Value != "1 week" || a[0].ExpireIn.Pos != span(18, 16, 18, 22, "") {
		t.Errorf("artifacts = %+v", a)
	}
	if len(p.Secrets) != 4 {
		t.Errorf("pipeline secrets = %+v, want the global ref and the job's three", p.Secrets)
	}
}

func TestParseErrorsAndDocuments(t *testing.T) {
	tests := []struct {
		name     string
		config   string
		wantErr  model.Pos
		wantJobs string
	}{
		{
			name:     "syntax error",
			config:   "job:\n  script: echo\nother: a: b\n",
			wantErr:  model.Point(3, 1),
			wantJobs: "",
		},
		{
			name:     "spec header",
			config:   "spec:\n  inputs:\n    env:\n      default: dev\n---\njob:\n  script:\n    - echo $[[ inputs.env ]]\n",
			wantJobs: "job",
		},
		{
			name:     "top level list",
			config:   "- a\n- b\n",
			wantErr:  model.Point(1, 1),
			wantJobs: "",
		},
		{
			name:     "empty file",
			config:   "",
			wantJobs: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseRepo(t, map[string]string{".gitlab-ci.yml": tt.config}, nil)
			if tt.wantErr.IsZero() {
				noErrors(t, p)
			} else if len(p.ParseErrors) != 1 || p.ParseErrors[0].Pos != tt.wantErr {
				t.Errorf("errors = %+v, want one at %+v", p.ParseErrors, tt.wantErr)
			}
			if got := strings.Join(jobIDs(p), " "); got != tt.wantJobs {
				t.Errorf("jobs = %q, want %q", got, tt.wantJobs)
			}
		})
	}
}

func TestNoRepository(t *testing.T) {
	p := Parse(parse.Input{Path: "-", Data: []byte("include: ci.yml\njob:\n  extends: .t\n")})
	if len(p.Unresolved) != 2 || p.Unresolved[0].Reason != "no repository to read local includes from" {
		t.Errorf("unresolved = %+v", p.Unresolved)
	}
	if !p.Jobs[0].Incomplete {
		t.Errorf("job not incomplete")
	}
}

func TestEvalCondition(t *testing.T) {
	tests := []struct {
		expr, source string
		want         verdict
	}{
		{`$CI_PIPELINE_SOURCE == "merge_request_event"`, sourceMergeRequest, verdictYes},
		{`$CI_PIPELINE_SOURCE == "merge_request_event"`, sourcePush, verdictNo},
		{`$CI_PIPELINE_SOURCE != "merge_request_event"`, sourcePush, verdictYes},
		{`$CI_PIPELINE_SOURCE =~ /^(merge_request_event|push)$/`, sourceMergeRequest, verdictYes},
		{`$CI_PIPELINE_SOURCE !~ /merge/`, sourceMergeRequest, verdictNo},
		{`$CI_MERGE_REQUEST_IID`, sourceMergeRequest, verdictYes},
		{`$CI_MERGE_REQUEST_IID`, sourcePush, verdictNo},
		{`$CI_COMMIT_BRANCH == "main"`, sourceMergeRequest, verdictNo},
		{`$CI_COMMIT_BRANCH == "main"`, sourcePush, verdictMaybe},
		{`$CI_COMMIT_TAG == null`, sourceMergeRequest, verdictYes},
		{`$CI_MERGE_REQUEST_IID && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID`, sourceMergeRequest, verdictMaybe},
		{`($CI_PIPELINE_SOURCE == "push" || $CI_PIPELINE_SOURCE == "web") && $CI_COMMIT_BRANCH`, sourceWeb, verdictMaybe},
		{`$CI_PIPELINE_SOURCE == "schedule" || $NIGHTLY`, sourceSchedule, verdictYes},
		{`$CI_PIPELINE_SOURCE == "schedule" && $NIGHTLY`, sourcePush, verdictNo},
		{`$CI_PIPELINE_SOURCE =~ /MERGE/i`, sourceMergeRequest, verdictYes},
		{`not an expression`, sourcePush, verdictMaybe},
		{`((($A`, sourcePush, verdictMaybe},
		{`$CI_PIPELINE_SOURCE == "push"`, sourcePush, verdictYes},
	}
	for _, tt := range tests {
		t.Run(tt.expr+"/"+tt.source, func(t *testing.T) {
			if got := newConditions().eval(tt.expr, pipelineCase{source: tt.source}, nil); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
