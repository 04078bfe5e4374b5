package github

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/model"
)

// marks lists what the taint pass marked in p: `ctx PATH U|A ← FROM@pos` for contexts
// followed to a source, `ref NAME U|A[R] ← FROM@pos` for shell references, and
// `expr-ref EXPR U|A@pos` for expression references of script words.
func marks(p *model.Pipeline) []string {
	var out []string
	flag := func(u, a bool) string {
		switch {
		case u:
			return "U"
		case a:
			return "A"
		}
		return "-"
	}
	texts := func(t model.Text) {
		for _, in := range t.Interpolations {
			for _, c := range in.Contexts {
				if c.From != "" {
					out = append(out, "ctx "+c.Path+" "+flag(c.Untrusted, c.AuthorControlled)+" ← "+c.From+"@"+span(c.Pos))
				}
			}
		}
	}
	vars := func(vs []model.Var) {
		for _, v := range vs {
			texts(v.Value)
		}
	}
	for _, job := range p.Jobs {
		vars(job.Env)
		for _, st := range job.Steps {
			vars(st.Env)
			vars(st.With)
			if st.Run == nil {
				continue
			}
			texts(st.Run.Script)
			for _, cmd := range st.Run.Commands {
				words := cmd.Argv
				for _, r := range cmd.Redirects {
					if r.Target != nil {
						words = append(words, *r.Target)
					}
				}
				words = append(words, model.Word{Refs: cmd.StdinRefs})
				for _, w := range words {
					for _, r := range w.Refs {
						switch {
						case r.Kind == model.RefShell && r.From != "":
							rn := ""
							if r.RefName {
								rn = "R"
							}
							out = append(out, "ref "+r.Name+" "+flag(r.Untrusted, r.AuthorControlled)+rn+" ← "+r.From+"@"+span(r.Pos))
						case r.Kind == model.InterpGitHub && isIntermediary(r.Name) && (r.Untrusted || r.AuthorControlled):
							out = append(out, "expr-ref "+r.Name+" "+flag(r.Untrusted, r.AuthorControlled)+"@"+span(r.Pos))
						}
					}
				}
			}
		}
		vars(job.Outputs)
	}
	return out
}

func TestTaint(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "env of the step, the job and the workflow into shell variables",
			src: `on: issues
env:
  BODY: ${{ github.event.issue.body }}
jobs:
  j:
    env:
      TITLE: ${{ format('[{0}]', github.event.issue.title) }}
    steps:
      - env:
          PROMPT: ${{ github.event.issue.body }}
          NUMBER: ${{ github.event.issue.number }}
          SAFE: ${{ contains(github.event.issue.title, 'x') }}
        run: claude -p "$PROMPT $TITLE $BODY $NUMBER $SAFE $prompt"
`,
			want: []string{
				"ref PROMPT U ← github.event.issue.body@13:25-13:32",
				"ref TITLE U ← github.event.issue.title@13:33-13:39",
				"ref BODY U ← github.event.issue.body@13:40-13:45",
			},
		},
		{
			name: "an inner env definition wins, names compared exactly",
			src: `on: issues
jobs:
  j:
    env:
      X: ${{ github.event.issue.title }}
    steps:
      - env: {X: fixed}
        run: eval "$X"
      - run: eval "$X"
`,
			want: []string{"ref X U ← github.event.issue.title@9:20-9:22"},
		},
		{
			name: "a heredoc fed to an agent",
			src: `on: issue_comment
jobs:
  j:
    steps:
      - env:
          BODY: ${{ github.event.comment.body }}
        run: |
          claude -p <<EOF
          Answer: $BODY
          EOF
`,
			want: []string{"ref BODY U ← github.event.comment.body@9:19-9:24"},
		},
		{
			name: "step outputs and GITHUB_ENV writes, followed through later steps",
			src: `on: pull_request_target
jobs:
  j:
    steps:
      - id: meta
        env:
          HEAD: ${{ github.head_ref }}
        run: |
          echo "branch=$HEAD" >> "$GITHUB_OUTPUT"
          echo "TITLE=${{ github.event.pull_request.title }}" >> "$GITHUB_ENV"
          echo "sha=${{ github.sha }}" >> "$GITHUB_OUTPUT"
      - run: |
          echo "${{ steps.meta.outputs.branch }} ${{ steps.meta.outputs.sha }}"
          codex exec "review $TITLE"
      - uses: anthropics/claude-code-action@v1
        with:
          prompt: "Fix ${{ env.TITLE }} on ${{ steps.META.outputs.Branch }}"
`,
			want: []string{
				"ref HEAD UR ← github.head_ref@9:24-9:29",
				"ctx steps.meta.outputs.branch U ← github.head_ref@13:21-13:46",
				"expr-ref steps.meta.outputs.branch U@13:17-13:49",
				"ref TITLE U ← github.event.pull_request.title@14:30-14:36",
				"ctx env.TITLE U ← github.event.pull_request.title@17:28-17:37",
				"ctx steps.META.outputs.Branch U ← github.head_ref@17:48-17:73",
			},
		},
		{
			name: "multi-line outputs, printf values, set-output, the runner's GITHUB_HEAD_REF",
			src: `on: pull_request_target
jobs:
  j:
    steps:
      - id: a
        run: |
          {
            echo "body<<EOF"
            echo "${{ github.event.pull_request.body }}"
            echo "EOF"
          } >> "$GITHUB_OUTPUT"
          printf 'ref=%s\n' "$GITHUB_HEAD_REF" >> "$GITHUB_OUTPUT"
          echo "::set-output name=t::${{ github.event.pull_request.title }}"
      - run: echo "${{ steps.a.outputs.body }}${{ steps.a.outputs.ref }}${{ steps.a.outputs.t }}"
`,
			want: []string{
				"ctx steps.a.outputs.body U ← github.event.pull_request.body@14:24-14:44",
				"ctx steps.a.outputs.ref U ← GITHUB_HEAD_REF@14:51-14:70",
				"ctx steps.a.outputs.t U ← github.event.pull_request.title@14:77-14:94",
				"expr-ref steps.a.outputs.body U@14:20-14:47",
				"expr-ref steps.a.outputs.ref U@14:47-14:73",
				"expr-ref steps.a.outputs.t U@14:73-14:97",
			},
		},
		{
			name: "job outputs into a later job, whatever the file order",
			src: `on: issue_comment
jobs:
  use:
    needs: [meta]
    steps:
      - env:
          BODY: ${{ needs.meta.outputs.body }}
        run: gemini -p "$BODY"
  meta:
    outputs:
      body: ${{ steps.read.outputs.body }}
    steps:
      - id: read
        run: echo "body=${{ github.event.comment.body }}" >> "$GITHUB_OUTPUT"
`,
			want: []string{
				"ctx needs.meta.outputs.body U ← github.event.comment.body@7:21-7:44",
				"ref BODY U ← github.event.comment.body@8:25-8:30",
				"ctx steps.read.outputs.body U ← github.event.comment.body@11:17-11:40",
			},
		},
		{
			name: "author-controlled inputs, assignments in the script, and what stays clean",
			src: `on:
  workflow_dispatch:
    inputs: {msg: {type: string}}
jobs:
  j:
    steps:
      - id: s
        env:
          MSG: ${{ inputs.msg }}
        run: |
          LOCAL="${{ github.event.issue.title }}"
          claude -p "$MSG $LOCAL"
          echo "same=${{ github.event.issue.title == 'x' }}" >> "$GITHUB_OUTPUT"
          echo "n=${{ github.event.issue.number }}" >> "$GITHUB_OUTPUT"
      - run: echo "${{ steps.s.outputs.same }} ${{ steps.s.outputs.n }} ${{ contains(env.MSG, 'x') }}"
`,
			want: []string{
				"ref MSG A ← inputs.msg@12:22-12:26",
				"ref LOCAL U ← github.event.issue.title@12:27-12:33",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseWorkflow(t, ".github/workflows/w.yml", tt.src)
			if len(p.ParseErrors) > 0 {
				t.Fatalf("parse errors: %+v", p.ParseErrors)
			}
			got := marks(p)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("marks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestJobOrder(t *testing.T) {
	jobs := []model.Job{
		{ID: "deploy", Needs: []string{"Build", "test"}},
		{ID: "test", Needs: []string{"build"}},
		{ID: "build"},
		{ID: "a", Needs: []string{"b"}},
		{ID: "b", Needs: []string{"a"}},
		{ID: "self", Needs: []string{"self", "missing"}},
	}
	got := jobOrder(jobs)
	want := []int{2, 5, 1, 0, 3, 4}
	if len(got) != len(want) {
		t.Fatalf("jobOrder = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("jobOrder = %v, want %v", got, want)
		}
	}
}

// TestTaintWideInputIsLinear checks that hostile widths (many variables, many
// references, many writes) are followed in about linear time: the pass looks names up
// in maps rather than scanning every level for every reference.
func TestTaintWideInputIsLinear(t *testing.T) {
	const n = 100_000
	env := make([]model.Var, n)
	refs := make([]model.Ref, n)
	writes := make([]model.Command, n)
	untrusted := []model.Interpolation{{Kind: model.InterpGitHub, Expr: "github.event.issue.title", Untrusted: true,
		Contexts: []model.ContextRef{{Path: "github.event.issue.title", Untrusted: true}}}}
	target := &model.Word{Value: "$GITHUB_ENV"}
	for i := range n {
		name := fmt.Sprintf("V%d", i)
		env[i] = model.Var{Name: name}
		refs[i] = model.Ref{Kind: model.RefShell, Name: name}
		writes[i] = model.Command{
			Argv:      []model.Word{{Value: "echo"}, {Value: "W" + name + "=x", Refs: []model.Ref{{Kind: model.RefShell, Name: "TITLE", Untrusted: true, From: "github.event.issue.title"}}}},
			Redirects: []model.Redirect{{Op: ">>", Target: target}},
		}
	}
	env[n-1].Value.Interpolations = untrusted
	p := &model.Pipeline{Jobs: []model.Job{{ID: "j", Env: env, Steps: []model.Step{
		{Run: &model.Run{Commands: writes}},
		{Run: &model.Run{Commands: []model.Command{{Argv: []model.Word{{Value: "eval"}, {Refs: refs}}}}}},
	}}}}
	start := time.Now()
	markTaint(p)
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("marking took %v", elapsed)
	}
	got := p.Jobs[0].Steps[1].Run.Commands[0].Argv[1].Refs
	if !got[n-1].Untrusted || got[n-1].From != "github.event.issue.title" || got[0].Untrusted {
		t.Errorf("refs: first %+v, last %+v", got[0], got[n-1])
	}
}
