package github

import (
	"fmt"
	"regexp"
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
	if strings.Join(names, " ") != "RELEASE_TOKEN@4:17 NPM_TOKEN@13:22" {
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
		"on: pull_request_target\njobs:\n  j:\n    if: ${{ !github.event.pull_request.head.repo.fork || github.actor == 'x' }}\n    environment: prod\n    outputs: {s: '${{ steps.a.outputs.s }}'}\n    steps:\n      - {id: a, if: 'always()', run: 'echo \"s=$X\" >> $GITHUB_OUTPUT'}\n      - {uses: actions/checkout@v4, with: {ref: '${{ needs.j.outputs.s }}'}}\n      - {uses: actions/upload-artifact@v4, with: {path: \"a\\n#b\\n c\", retention-days: 1}}\n      - run: gh pr checkout 1 && git fetch o pull/1/head\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := Parse(parse.Input{Path: ".github/workflows/fuzz.yml", Data: data})
		if p == nil || p.Platform != model.PlatformGitHub {
			t.Fatalf("pipeline = %+v", p)
		}
		testutil.CheckPositions(t, p, data)
		checkFactPositions(t, p, data)
	})
}

// checkFactPositions fails when a guard, condition read, checkout or artifact path of p
// has no position inside data.
func checkFactPositions(t *testing.T, p *model.Pipeline, data []byte) {
	t.Helper()
	lines := strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") + strings.Count(string(data), "\r") + 1
	check := func(what string, pos model.Pos) {
		t.Helper()
		if pos.Line < 1 || pos.Line > lines || pos.Col < 1 || pos.EndLine < pos.Line {
			t.Fatalf("%s at %s: outside the file of %d lines", what, span(pos), lines)
		}
	}
	for _, j := range p.Jobs {
		for _, g := range j.Guards {
			check("guard "+g.Detail, g.Pos)
		}
		for _, a := range j.Artifacts {
			for i := range a.Paths {
				check("artifact path "+a.Paths[i], a.PathPos[i])
			}
		}
		conds := []*model.Condition{j.Condition}
		for _, s := range j.Steps {
			conds = append(conds, s.Condition)
			for _, c := range s.Checkouts {
				check("checkout "+c.Reason, c.Pos)
			}
		}
		for _, c := range conds {
			if c != nil {
				for _, r := range c.Reads {
					check("read "+r.Path, r.Pos)
				}
			}
		}
	}
}

// refs renders contexts as `path@pos`, pos as line:col-endLine:endCol.
func refs(list []model.ContextRef) string {
	var out []string
	for _, c := range list {
		out = append(out, c.Path+"@"+span(c.Pos))
	}
	return strings.Join(out, " ")
}

func span(p model.Pos) string {
	return fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Col, p.EndLine, p.EndCol)
}

func TestConditions(t *testing.T) {
	src := `on: [push, pull_request_target]
jobs:
  j:
    if: ${{ github.event.pull_request.head.repo.full_name == github.repository && always() }}
    runs-on: ubuntu-latest
    environment: production
    steps:
      - if: "!always()"
        run: a
      - if: always() && github.actor == 'x'
        run: b
      - if: github.ref ==
        run: c
      - if: |
          success() ||
            failure()
        run: d
`
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	job := p.Jobs[0]
	if got, want := refs(job.Condition.Reads), "github.event.pull_request.head.repo.full_name@4:13-4:58 github.repository@4:62-4:79"; got != want {
		t.Errorf("job reads = %s, want %s", got, want)
	}
	if !job.Condition.Always || job.Condition.Invalid != "" {
		t.Errorf("job condition = %+v", job.Condition)
	}
	if got := job.Steps[1].Condition.Pinned; len(got) != 1 || got[0] != "github.actor" {
		t.Errorf("step 1 pinned = %v, want [github.actor]", got)
	}
	var guards []string
	for _, g := range job.Guards {
		guards = append(guards, g.Kind+"("+g.Detail+")@"+span(g.Pos))
	}
	if got, want := strings.Join(guards, " "), "same-repo(github.event.pull_request.head.repo.full_name == github.repository)@4:13-4:79 environment(production)@6:18-6:28"; got != want {
		t.Errorf("job guards = %s\nwant %s", got, want)
	}
	tests := []struct {
		always  bool
		reads   string
		invalid string
	}{
		{false, "", ""},
		{true, "github.actor@10:25-10:37", ""},
		{false, "", "unexpected end of input while parsing variable access, function call, null, bool, int, float or string. expecting \"IDENT\", \"(\", \"INTEGER\", \"FLOAT\", \"STRING\""},
		{true, "", ""},
	}
	for i, tt := range tests {
		st := job.Steps[i]
		if st.Always != tt.always || st.Condition.Always != tt.always || refs(st.Condition.Reads) != tt.reads || st.Condition.Invalid != tt.invalid {
			t.Errorf("step %d: always %v, reads %s, invalid %q; want %v, %s, %q", i, st.Always, refs(st.Condition.Reads), st.Condition.Invalid, tt.always, tt.reads, tt.invalid)
		}
	}
	if len(p.ParseErrors) != 1 || !p.ParseErrors[0].Partial || span(p.ParseErrors[0].Pos) != "12:26-12:26" ||
		p.ParseErrors[0].Message != "expression not fully analysed: "+tests[2].invalid {
		t.Errorf("parse errors = %+v", p.ParseErrors)
	}
}

func TestStepGuardsAndWorkingDirectory(t *testing.T) {
	src := `on: [pull_request_target]
defaults:
  run:
    working-directory: top
jobs:
  j:
    runs-on: ubuntu-latest
    defaults:
      run:
        shell: bash
    steps:
      - if: github.event.pull_request.head.repo.fork == false
        run: a
      - run: b
        working-directory: pr/sub
      - uses: actions/checkout@v4
  k:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: own
    steps:
      - run: c
`
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	tests := []struct {
		job, step int
		guards    string
		dir       string // value@span, "-" for none
	}{
		{0, 0, "same-repo(github.event.pull_request.head.repo.fork == false)@12:13-12:62", "top@4:24-4:27"},
		{0, 1, "", "pr/sub@15:28-15:34"},
		{0, 2, "", "-"}, // working-directory applies to run steps only
		{1, 0, "", "own@21:28-21:31"},
	}
	for _, tt := range tests {
		st := p.Jobs[tt.job].Steps[tt.step]
		var guards []string
		for _, g := range st.Guards {
			guards = append(guards, g.Kind+"("+g.Detail+")@"+span(g.Pos))
		}
		dir := "-"
		if st.WorkingDirectory != nil {
			dir = st.WorkingDirectory.Value + "@" + span(st.WorkingDirectory.Pos)
		}
		if got := strings.Join(guards, " "); got != tt.guards || dir != tt.dir {
			t.Errorf("job %d step %d: guards %q, dir %s; want %q, %s", tt.job, tt.step, got, dir, tt.guards, tt.dir)
		}
	}
	if len(p.Jobs[0].Guards) != 0 {
		t.Errorf("a step's guard guards its job: %+v", p.Jobs[0].Guards)
	}
	if sh := p.Jobs[0].Steps[0].Run.Shell; sh != "bash" {
		t.Errorf("shell = %q, want the job's bash", sh)
	}
}

func TestGuardsOfNeededJobs(t *testing.T) {
	src := `on: [issue_comment]
jobs:
  gate:
    if: github.event.comment.author_association == 'MEMBER'
    runs-on: ubuntu-latest
    steps: [{run: a}]
  deploy:
    environment: prod
    runs-on: ubuntu-latest
    steps: [{run: b}]
  work:
    needs: gate
    if: contains(github.event.comment.body, '/run')
    runs-on: ubuntu-latest
    steps: [{run: c}]
  later:
    needs: [work, deploy]
    runs-on: ubuntu-latest
    steps: [{run: d}]
  report:
    needs: work
    if: always()
    runs-on: ubuntu-latest
    steps: [{run: e}]
  loop-a:
    needs: loop-b
    runs-on: ubuntu-latest
    steps: [{run: f}]
  loop-b:
    needs: loop-a
    runs-on: ubuntu-latest
    steps: [{run: g}]
`
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	want := map[string]string{
		"gate":   "actor@4:9-4:60",
		"deploy": "environment@8:18-8:22",
		"work":   "actor@4:9-4:60",
		"later":  "actor@4:9-4:60 environment@8:18-8:22",
		"report": "", // always() runs it even when the gate skipped work
		"loop-a": "",
		"loop-b": "",
	}
	for _, job := range p.Jobs {
		var got []string
		for _, g := range job.Guards {
			got = append(got, g.Kind+"@"+span(g.Pos))
		}
		if strings.Join(got, " ") != want[job.ID] {
			t.Errorf("job %s guards = %q, want %q", job.ID, got, want[job.ID])
		}
	}
}

func TestTriggerSecrets(t *testing.T) {
	p := parseWorkflow(t, ".github/workflows/w.yml", "on: [pull_request, pull_request_target, pull_request_review, pull_request_review_comment, push, workflow_run, issue_comment]\njobs: {}\n")
	var got []string
	for _, tr := range p.Triggers {
		got = append(got, fmt.Sprintf("%s=%v", tr.Event, tr.Secrets))
	}
	want := "pull_request=false pull_request_target=true pull_request_review=false pull_request_review_comment=false push=true workflow_run=true issue_comment=true"
	if strings.Join(got, " ") != want {
		t.Errorf("secrets = %v\nwant %s", got, want)
	}
}

// checkouts renders the checkouts of every step as `target|reason|ref|repository|path|persist@pos`.
func checkouts(p *model.Pipeline) []string {
	var out []string
	for _, j := range p.Jobs {
		for _, s := range j.Steps {
			for _, c := range s.Checkouts {
				out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%v@%s", c.Target, c.Reason, c.Ref, c.Repository, c.Path, c.PersistCredentials, span(c.Pos)))
			}
		}
	}
	return out
}

func TestCheckouts(t *testing.T) {
	src := `on: [pull_request_target, issue_comment]
env:
  HEAD_REF: ${{ github.event.pull_request.head.ref }}
jobs:
  prep:
    runs-on: ubuntu-latest
    outputs:
      sha: ${{ steps.pr.outputs.sha }}
      base: ${{ steps.pr.outputs.base }}
      ref: ${{ steps.loop.outputs.ref }}
    steps:
      - id: pr
        uses: actions/github-script@v7
        with:
          script: |
            const pr = await github.rest.pulls.get({owner, repo, pull_number})
            core.setOutput('sha', pr.data.head.sha)
            core.setOutput('base', pr.data.base.sha)
      - id: loop
        uses: actions/github-script@v7
        with:
          script: |
            const pr = await github.rest.pulls.get({owner, repo, pull_number})
            for (const [k, v] of Object.entries({ref: pr.data.head.ref})) core.setOutput(k, v)
  build:
    needs: prep
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: Actions/Checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          path: pr
          persist-credentials: false
      - uses: actions/checkout@v4
        with:
          ref: refs/pull/${{ github.event.number }}/merge
      - uses: actions/checkout@v4
        with:
          repository: ${{ github.event.pull_request.head.repo.full_name }}
      - uses: actions/checkout@v4
        with:
          repository: octo/tools
          ref: main
      - uses: actions/checkout@v4
        with:
          ref: ${{ inputs.ref }}
      - uses: actions/checkout@v4
        with:
          ref: main
      - uses: actions/checkout@v4
        with:
          ref: ${{ env.HEAD_REF }}
      - uses: actions/checkout@v4
        with:
          ref: ${{ needs.prep.outputs.sha }}
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.sha }}
      - uses: actions/checkout@v4
        with:
          ref: ${{ needs.prep.outputs.base }}
      - uses: actions/checkout@v4
        with:
          ref: ${{ needs.prep.outputs.ref }}
      - run: |
          gh pr checkout ${{ github.event.issue.number }}
          git fetch origin pull/${{ github.event.number }}/head:pr
          git -C src fetch origin +refs/pull/*/head
          git checkout ${{ github.head_ref }}
          sudo git clone ${{ github.event.pull_request.head.repo.clone_url }} pr
          git checkout main
          git checkout -b ${{ github.head_ref }}
`
	want := []string{
		"base|no ref: the event's own ref||||true@29:15-29:34",
		"pull-request|ref: github.event.pull_request.head.sha|${{ github.event.pull_request.head.sha }}||pr|false@32:16-32:57",
		"pull-request|ref: refs/pull/${{ github.event.number }}/merge|refs/pull/${{ github.event.number }}/merge|||true@37:16-37:58",
		"pull-request|repository: github.event.pull_request.head.repo.full_name||${{ github.event.pull_request.head.repo.full_name }}||true@40:23-40:75",
		"other|repository: octo/tools|main|octo/tools||true@43:23-43:33",
		"unknown|ref: inputs.ref|${{ inputs.ref }}|||true@47:16-47:33",
		"base|ref: main|main|||true@50:16-50:20",
		"pull-request|ref: env.HEAD_REF ← github.event.pull_request.head.ref|${{ env.HEAD_REF }}|||true@53:16-53:35",
		"pull-request|ref: needs.prep.outputs.sha ← steps.pr.outputs.sha ← set by actions/github-script from the pull request's head|${{ needs.prep.outputs.sha }}|||true@56:16-56:45",
		"base|ref: github.sha|${{ github.sha }}|||true@59:16-59:33",
		"base|ref: needs.prep.outputs.base ← steps.pr.outputs.base ← set by actions/github-script from the pull request's base|${{ needs.prep.outputs.base }}|||true@62:16-62:46",
		"pull-request|ref: needs.prep.outputs.ref ← steps.loop.outputs.ref ← set by actions/github-script from the pull request's head|${{ needs.prep.outputs.ref }}|||true@65:16-65:45",
		"pull-request|gh pr checkout|${{ github.event.issue.number }}|||false@67:11-67:13",
		"pull-request|git fetch pull/${{ github.event.number }}/head:pr|pull/${{ github.event.number }}/head:pr|||false@68:11-68:14",
		"pull-request|git fetch +refs/pull/*/head|+refs/pull/*/head|||false@69:11-69:14",
		"pull-request|git checkout: github.head_ref|${{ github.head_ref }}|||false@70:11-70:14",
		"pull-request|git clone: github.event.pull_request.head.repo.clone_url|${{ github.event.pull_request.head.repo.clone_url }}|||false@71:16-71:19",
	}
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %+v", p.ParseErrors)
	}
	got := checkouts(p)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("checkouts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// shellVar matches a shell variable reference in a word, for withScriptFacts.
var shellVar = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// withScriptFacts gives every command of p the facts internal/script reports for it
// (shell variable Refs of its words, its `>> "$FILE"` redirection, read from the
// command's line of the script) where they are missing, and finds the checkouts again.
// It lets the output-following tests state what the script layer reports.
func withScriptFacts(p *model.Pipeline) {
	for j := range p.Jobs {
		for s := range p.Jobs[j].Steps {
			st := &p.Jobs[j].Steps[s]
			st.Checkouts = nil
			if st.Run == nil {
				continue
			}
			lines := strings.Split(st.Run.Script.Value, "\n")
			for c := range st.Run.Commands {
				cmd := &st.Run.Commands[c]
				line := lines[cmd.Pos.Line-st.Run.Script.Pos.Line]
				if i := strings.Index(line, `>> "`); i >= 0 && len(cmd.Redirects) == 0 {
					target := model.Word{Value: strings.Trim(line[i+3:], `"`)}
					cmd.Redirects = []model.Redirect{{Op: ">>", Target: &target}}
				}
				for w := range cmd.Argv {
					word := &cmd.Argv[w]
					if len(word.Refs) > 0 {
						continue
					}
					for _, m := range shellVar.FindAllStringSubmatch(word.Value, -1) {
						word.Refs = append(word.Refs, model.Ref{Kind: model.RefShell, Name: m[1]})
					}
				}
			}
		}
	}
	findCheckouts(p)
}

func TestCheckoutsThroughScriptOutputs(t *testing.T) {
	src := `on: workflow_run
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
      - id: art
        run: echo "sha=$(cat sha.txt)" >> "$GITHUB_OUTPUT"
      - id: gh
        env:
          PR: ${{ github.event.workflow_run.pull_requests[0].number }}
        run: |
          REF=$(gh pr view "$PR" --json headRefName --jq .headRefName)
          echo "ref=$REF" >> "$GITHUB_OUTPUT"
      - id: envs
        env:
          HEAD: ${{ github.event.workflow_run.head_sha }}
        run: |
          echo "head=$HEAD" >> "$GITHUB_OUTPUT"
          echo "HEAD_SHA=$HEAD" >> "$GITHUB_ENV"
          printf 'base=%s\n' "${{ github.sha }}" >> "$GITHUB_OUTPUT"
      - uses: actions/checkout@v4
        with: {ref: "${{ steps.art.outputs.sha }}"}
      - uses: actions/checkout@v4
        with: {ref: "${{ steps.gh.outputs.ref }}"}
      - uses: actions/checkout@v4
        with: {ref: "${{ steps.envs.outputs.head }}"}
      - uses: actions/checkout@v4
        with: {ref: "${{ steps.envs.outputs.base }}"}
      - uses: actions/checkout@v4
        with: {ref: "${{ env.HEAD_SHA }}"}
      - run: git checkout "$HEAD_SHA"
`
	want := []string{
		"pull-request|ref: steps.art.outputs.sha ← read from an artifact of the triggering workflow run|${{ steps.art.outputs.sha }}|||true@23:22-23:50",
		"pull-request|ref: steps.gh.outputs.ref ← looked up from the pull request's head (gh)|${{ steps.gh.outputs.ref }}|||true@25:22-25:49",
		"pull-request|ref: steps.envs.outputs.head ← $HEAD ← github.event.workflow_run.head_sha|${{ steps.envs.outputs.head }}|||true@27:22-27:52",
		"base|ref: steps.envs.outputs.base ← github.sha|${{ steps.envs.outputs.base }}|||true@29:22-29:52",
		"pull-request|ref: env.HEAD_SHA ← $HEAD ← github.event.workflow_run.head_sha|${{ env.HEAD_SHA }}|||true@31:22-31:41",
		"pull-request|git checkout: $HEAD_SHA ← $HEAD ← github.event.workflow_run.head_sha|$HEAD_SHA|||false@32:14-32:17",
	}
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %+v", p.ParseErrors)
	}
	withScriptFacts(p)
	got := checkouts(p)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("checkouts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestArtifacts(t *testing.T) {
	src := `on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: up
        uses: actions/upload-artifact@v4
        with:
          name: dist
          path: |
            dist/
            # comment

            !dist/*.map
          retention-days: 5
      - uses: actions/upload-artifact@v4
        with:
          path: out.txt
      - uses: actions/upload-artifact/merge@v4
`
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	var got []string
	for _, a := range p.Jobs[0].Artifacts {
		var paths []string
		for i, path := range a.Paths {
			paths = append(paths, path+"@"+span(a.PathPos[i]))
		}
		expire := "-"
		if a.ExpireIn != nil {
			expire = a.ExpireIn.Value + "@" + span(a.ExpireIn.Pos)
		}
		got = append(got, fmt.Sprintf("%s %s %q %s expire=%s @%s", a.Kind, a.Step, a.Name, strings.Join(paths, ","), expire, span(a.Pos)))
	}
	want := []string{
		`upload-artifact up "dist" dist/@11:13-11:18,!dist/*.map@14:13-14:24 expire=5@15:27-15:28 @7:15-7:41`,
		`upload-artifact #2 "" out.txt@18:17-18:24 expire=- @16:15-16:41`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("artifacts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSecretReferencesAndOutputs(t *testing.T) {
	src := `on: push
env:
  A: ${{ secrets['NPM_TOKEN'] }}
  B: ${{ secrets.X || 'none' }}
  C: ${{ toJSON(secrets) }}
  D: ${{ secrets[format('{0}_KEY', matrix.env)] }}
jobs:
  j:
    if: secrets.JOB_GATE != ''
    runs-on: ubuntu-latest
    outputs:
      token: ${{ secrets.OUT }}
    steps:
      - if: ${{ secrets.STEP_GATE }}
        run: echo ${{ secrets.IN_SCRIPT }}
`
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	var exact []string
	for _, v := range p.Env {
		if v.SecretRef != nil {
			exact = append(exact, v.Name+"="+v.SecretRef.Name+"@"+span(v.SecretRef.Pos))
		}
	}
	if got, want := strings.Join(exact, " "), "A=NPM_TOKEN@3:10-3:30"; got != want {
		t.Errorf("exact secret refs = %s, want %s", got, want)
	}
	render := func(list []model.SecretRef) string {
		var out []string
		for _, s := range list {
			out = append(out, s.Name+"@"+span(s.Pos))
		}
		return strings.Join(out, " ")
	}
	job := "OUT@12:18-12:29 JOB_GATE@9:9-9:25 STEP_GATE@14:17-14:34 IN_SCRIPT@15:23-15:40"
	if got := render(p.Jobs[0].Secrets); got != job {
		t.Errorf("job secrets = %s\nwant %s", got, job)
	}
	if got, want := render(p.Secrets), "NPM_TOKEN@3:10-3:30 X@4:10-4:19 "+job; got != want {
		t.Errorf("pipeline secrets = %s\nwant %s", got, want)
	}
	if outs := p.Jobs[0].Outputs; len(outs) != 1 || outs[0].Name != "token" || span(outs[0].Pos) != "12:7-12:12" {
		t.Errorf("outputs = %+v", outs)
	}
}

func TestScriptGates(t *testing.T) {
	src := `on: [issue_comment]
jobs:
  prepare:
    runs-on: ubuntu-latest
    outputs:
      run: ${{ steps.check.outputs.run }}
      other: ${{ steps.plain.outputs.other }}
    steps:
      - id: check
        uses: actions/github-script@v7
        with:
          script: |
            const ok = ["OWNER", "MEMBER"].includes(context.payload.comment.author_association)
            core.setOutput('run', ok ? 'true' : 'false')
      - id: plain
        run: echo "other=x" >> "$GITHUB_OUTPUT"
  work:
    needs: prepare
    if: needs.prepare.outputs.run == 'true'
    runs-on: ubuntu-latest
    steps: [{run: a}]
  other:
    needs: prepare
    if: needs.prepare.outputs.other == 'x'
    runs-on: ubuntu-latest
    steps: [{run: b}]
  fails:
    runs-on: ubuntu-latest
    steps:
      - run: echo before
      - id: gate
        run: |
          level=$(gh api "repos/$REPO/collaborators/$ACTOR/permission" --jq .permission)
          [ "$level" = admin ] || exit 1
      - run: echo after
      - if: always()
        run: echo cleanup
`
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	jobs := map[string]model.Job{}
	for _, j := range p.Jobs {
		jobs[j.ID] = j
	}
	var got []string
	for _, g := range jobs["work"].Guards {
		got = append(got, g.Kind+"("+g.Detail+")@"+span(g.Pos))
	}
	if want := "actor(needs.prepare.outputs.run is set by step check, which checks the actor)@19:9-19:34"; strings.Join(got, " ") != want {
		t.Errorf("work guards = %q, want %q", got, want)
	}
	if len(jobs["other"].Guards) != 0 || len(jobs["prepare"].Guards) != 0 {
		t.Errorf("other guards = %+v, prepare guards = %+v, want none", jobs["other"].Guards, jobs["prepare"].Guards)
	}
	var steps []string
	for _, st := range jobs["fails"].Steps {
		steps = append(steps, fmt.Sprint(len(st.Guards)))
	}
	if got, want := strings.Join(steps, " "), "0 0 1 0"; got != want {
		t.Errorf("fails: guards per step = %s, want %s", got, want)
	}
	if g := jobs["fails"].Steps[2].Guards[0]; g.Detail != "step gate checks the actor and fails the job otherwise" || at(g.Pos) != "31:9" {
		t.Errorf("gate guard = %+v", g)
	}
}

func TestDispatchAndCallInputsAreParameters(t *testing.T) {
	src := `on:
  workflow_dispatch:
    inputs:
      version: {description: v, default: "1.0"}
      dry: {type: boolean, default: true}
      env: {type: choice, options: [staging, production]}
  workflow_call:
    inputs:
      version: {type: string, default: "2.0"}
jobs: {}
`
	p := parseWorkflow(t, ".github/workflows/w.yml", src)
	var got []string
	for _, prm := range p.Parameters {
		def := "-"
		if prm.Default != nil {
			def = prm.Default.Value + "@" + span(prm.Default.Pos)
		}
		got = append(got, fmt.Sprintf("%s:%s default=%s enum=%v @%s", prm.Name, prm.Type, def, prm.Enum, span(prm.Pos)))
	}
	want := []string{
		"version:string default=1.0@4:43-4:46 enum=[] @4:7-4:14",
		"dry:boolean default=true@5:37-5:41 enum=[] @5:7-5:10",
		"env:choice default=- enum=[staging production] @6:7-6:10",
		"version:string default=- enum=[] @9:7-9:14",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("parameters:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(p.Inputs) != 1 || p.Inputs[0].Value.Value != "2.0" {
		t.Errorf("inputs = %+v, want the workflow_call input with its default", p.Inputs)
	}
}
