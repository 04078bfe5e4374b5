package github

import (
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

func parseWorkflow(t *testing.T, path, src string) *model.Pipeline {
	t.Helper()
	return Parse(parse.Input{Path: path, Data: []byte(src)})
}

func at(p model.Pos) string { return p.String() }

func TestTriggersAndTrust(t *testing.T) {
	tests := []struct {
		name string
		on   string
		want []string // event/trust@line:col
	}{
		{"string", "on: push", []string{"push/trusted@1:5"}},
		{"list", "on: [pull_request_target, schedule]", []string{"pull_request_target/untrusted@1:6", "schedule/internal@1:27"}},
		{"mapping", "on:\n  issue_comment:\n    types: [created]\n  workflow_dispatch:", []string{"issue_comment/untrusted@2:3", "workflow_dispatch/trusted@4:3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseWorkflow(t, ".github/workflows/w.yml", tt.on+"\njobs: {}\n")
			var got []string
			for _, tr := range p.Triggers {
				got = append(got, tr.Event+"/"+tr.Trust+"@"+at(tr.Pos))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("triggers = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunnerIsolation(t *testing.T) {
	tests := []struct {
		name       string
		job        string
		configured map[string]string
		kind, iso  string
	}{
		{"GitHub-hosted", "runs-on: ubuntu-latest", nil, model.RunnerHosted, model.IsolationEphemeral},
		{"self-hosted", "runs-on: [self-hosted, linux]", nil, model.RunnerSelfHosted, model.IsolationNone},
		{"runner group", "runs-on: {group: big}", nil, model.RunnerSelfHosted, model.IsolationNone},
		{"custom label", "runs-on: gpu-box", nil, model.RunnerUnknown, model.IsolationUnknown},
		{"expression", "runs-on: ${{ matrix.os }}", nil, model.RunnerUnknown, model.IsolationUnknown},
		{"configured label", "runs-on: gpu-box", map[string]string{"gpu-box": model.IsolationEphemeral}, model.RunnerHosted, model.IsolationEphemeral},
		{"container", "runs-on: self-hosted\n    container: node:22", nil, model.RunnerContainer, model.IsolationIsolated},
		{"privileged container", "runs-on: ubuntu-latest\n    container:\n      image: node:22\n      options: --privileged", nil, model.RunnerContainer, model.IsolationNone},
		{"docker socket", "runs-on: ubuntu-latest\n    container:\n      image: node:22\n      volumes: [/var/run/docker.sock:/var/run/docker.sock]\n      options: -v /var/run/docker.sock:/var/run/docker.sock", nil, model.RunnerContainer, model.IsolationNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "on: push\njobs:\n  j:\n    " + tt.job + "\n    steps:\n      - run: make\n"
			p := Parse(parse.Input{Path: ".github/workflows/w.yml", Data: []byte(src), RunnerIsolation: tt.configured})
			if len(p.ParseErrors) > 0 {
				t.Fatalf("parse errors: %+v", p.ParseErrors)
			}
			r := p.Jobs[0].Runner
			if r.Kind != tt.kind || r.Isolation != tt.iso {
				t.Errorf("runner = %s/%s, want %s/%s", r.Kind, r.Isolation, tt.kind, tt.iso)
			}
		})
	}
}

func TestUsesReferences(t *testing.T) {
	tests := []struct {
		ref                        string
		owner, repo, path, version string
		refKind                    string
		local, docker              bool
	}{
		{"actions/checkout@v4", "actions", "checkout", "", "v4", model.RefTag, false, false},
		{"actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions", "checkout", "", "11bd71901bbe5b1630ceea73d27597364c9af683", model.RefSHA, false, false},
		{"github/codeql-action/upload-sarif@main", "github", "codeql-action", "upload-sarif", "main", model.RefBranch, false, false},
		{"./.github/actions/setup", "", "", "./.github/actions/setup", "", model.RefNone, true, false},
		{"docker://alpine:3.20", "", "", "alpine:3.20", "3.20", model.RefTag, false, true},
		{"owner/repo", "owner", "repo", "", "", model.RefNone, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			p := parseWorkflow(t, ".github/workflows/w.yml", "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: "+tt.ref+"\n")
			u := p.Jobs[0].Steps[0].Uses
			if u.Owner != tt.owner || u.Repo != tt.repo || u.Path != tt.path || u.Version != tt.version || u.RefKind != tt.refKind || u.Local != tt.local || u.Docker != tt.docker {
				t.Errorf("uses = %+v", *u)
			}
			if at(u.Pos) != "6:15" {
				t.Errorf("uses at %s, want 6:15", at(u.Pos))
			}
		})
	}
}

// TestPositionsInsideRunScripts checks that commands of a `run: |` block point at their
// own line and column, not at the `|`.
func TestPositionsInsideRunScripts(t *testing.T) {
	src := "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - name: agent\n        run: |\n          npm ci\n          codex exec \\\n            --yolo \"fix\"\n"
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	run := p.Jobs[0].Steps[0].Run
	if run == nil || len(run.Commands) != 2 {
		t.Fatalf("run = %+v", run)
	}
	if got := at(run.Script.Pos); got != "8:11" {
		t.Errorf("script at %s, want 8:11", got)
	}
	codex := run.Commands[1]
	want := map[string]string{"codex": "9:11", "exec": "9:17", "--yolo": "10:13", "fix": "10:20"}
	for _, w := range codex.Argv {
		if want[w.Value] != at(w.Pos) {
			t.Errorf("%q at %s, want %s", w.Value, at(w.Pos), want[w.Value])
		}
	}
	if run.Shell != "bash" {
		t.Errorf("shell = %q, want bash", run.Shell)
	}
}

func TestEnvSecretsAndValues(t *testing.T) {
	src := `name: release
on: push
env:
  GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}
jobs:
  publish:
    runs-on: windows-latest
    environment: production
    permissions: {contents: write}
    steps:
      - uses: actions/setup-node@v4
        with:
          token: ${{ secrets.NPM_TOKEN }}
      - run: Write-Host hi
  call:
    uses: org/repo/.github/workflows/deploy.yml@v1
    secrets: inherit
`
	p := parseWorkflow(t, ".github/workflows/release.yml", src)
	if p.Name != "release" || len(p.Env) != 1 || p.Env[0].SecretRef == nil || p.Env[0].SecretRef.Name != "RELEASE_TOKEN" {
		t.Fatalf("env = %+v", p.Env)
	}
	var names []string
	for _, s := range p.Secrets {
		names = append(names, s.Name+"@"+at(s.Pos))
	}
	if strings.Join(names, " ") != "RELEASE_TOKEN@4:13 NPM_TOKEN@13:18" {
		t.Errorf("secrets = %v", names)
	}
	publish, call := p.Jobs[0], p.Jobs[1]
	if publish.Environment == nil || publish.Environment.Name != "production" || publish.Permissions.Scopes["contents"] != "write" {
		t.Errorf("publish = %+v", publish)
	}
	if publish.Steps[1].Run.Shell != "pwsh" {
		t.Errorf("windows default shell = %q, want pwsh", publish.Steps[1].Run.Shell)
	}
	if !call.SecretsInherit || call.Uses == nil || call.Uses.Path != ".github/workflows/deploy.yml" {
		t.Errorf("call = %+v", call)
	}
}

func TestCompositeAction(t *testing.T) {
	src := "name: setup\ninputs:\n  token:\n    default: abc\nruns:\n  using: composite\n  steps:\n    - run: ./setup.sh\n      shell: bash\n"
	p := parseWorkflow(t, "action.yml", src)
	if p.Kind != model.KindAction || len(p.Jobs) != 1 || len(p.Jobs[0].Steps) != 1 || len(p.Inputs) != 1 {
		t.Fatalf("pipeline = %+v", p)
	}
	if p.Jobs[0].Runner.Isolation != model.IsolationUnknown {
		t.Errorf("an action's isolation is its caller's: want unknown, got %s", p.Jobs[0].Runner.Isolation)
	}
}

func TestUnknownStepKindsAreKept(t *testing.T) {
	p := parseWorkflow(t, ".github/workflows/w.yml", "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - name: wait\n        wait-all: true\n")
	if len(p.ParseErrors) != 0 || p.Jobs[0].Steps[0].Kind != model.StepBuiltin {
		t.Fatalf("errors %+v, steps %+v", p.ParseErrors, p.Jobs[0].Steps)
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo ${{ github.event.issue.title }}\n",
		"on: [pull_request_target]\nenv: {A: &a x}\njobs:\n  j:\n    runs-on: *a\n    container: {image: x, options: --privileged, credentials: {password: p}}\n    services: {db: {image: pg, env: {P: q}}}\n    steps: [{uses: ./x}, {uses: 'docker://a:1', with: {a: b}}]\n",
		"name: a\nruns:\n  using: composite\n  steps:\n    - run: \"a\\tb\"\n      shell: pwsh\n",
		"jobs: [\n",
		"- a\n",
		"",
		"on:\n  workflow_call:\n    inputs: {x: {default: 1}}\njobs:\n  c:\n    uses: o/r/.github/workflows/w.yml@v1\n    secrets: inherit\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := Parse(parse.Input{Path: ".github/workflows/fuzz.yml", Data: data})
		if p == nil || p.Platform != model.PlatformGitHub {
			t.Fatalf("pipeline = %+v", p)
		}
		testutil.CheckPositions(t, p, data)
	})
}
