package analyze

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

func pos(line, col int) model.Pos { return model.Point(line, col) }

func shellRef(name string, line int) model.Command {
	return model.Command{Argv: []model.Word{{Value: "echo"}, {Value: "$" + name, Dynamic: true, Refs: []model.Ref{{Kind: model.RefShell, Name: name, Pos: pos(line, 6)}}}}}
}

// TestInventoryNames checks which inventory names each platform's secrets get.
func TestInventoryNames(t *testing.T) {
	tests := []struct {
		name     string
		platform string
		job      model.Job
		want     []string // per secret of the first step: name=inventory names
	}{
		{
			name:     "github secrets and the job token",
			platform: model.PlatformGitHub,
			job: model.Job{Steps: []model.Step{{Kind: model.StepRun, Env: []model.Var{
				{Name: "CODEX_ACCESS_TOKEN", Value: model.Text{Value: "${{ secrets.CODEX_ACCESS_TOKEN }}"}, SecretRef: &model.SecretRef{Kind: model.SecretGitHub, Name: "CODEX_ACCESS_TOKEN", Pos: pos(3, 9)}},
				{Name: "GH_TOKEN", Value: model.Text{Value: "${{ github.token }}"}, SecretRef: &model.SecretRef{Kind: model.SecretGitHub, Name: "GITHUB_TOKEN", Pos: pos(4, 9)}},
				{Name: "FF_PROACTIVE_AUTH", Value: model.Text{Value: "true", Literal: true}},
				{Name: "API_TOKEN", Value: model.Text{Value: "${{ steps.x.outputs.t }}"}},
			}}}},
			want: []string{"CODEX_ACCESS_TOKEN=CODEX_ACCESS_TOKEN", "GITHUB_TOKEN=", "API_TOKEN="},
		},
		{
			name:     "gitlab variables, secrets and id_tokens",
			platform: model.PlatformGitLab,
			job: model.Job{
				Credentials: []model.Credential{
					{Kind: "gitlab-secret", ID: "DATABASE_PASSWORD", Vars: []string{"DATABASE_PASSWORD"}, Pos: pos(5, 5)},
					{Kind: "id-token", ID: "VAULT_ID_TOKEN", Vars: []string{"VAULT_ID_TOKEN"}, Pos: pos(6, 5)},
				},
				Steps: []model.Step{{Kind: model.StepRun, Run: &model.Run{Commands: []model.Command{shellRef("DEPLOY_TOKEN", 8), shellRef("VAULT_ID_TOKEN", 9), shellRef("CI_JOB_TOKEN", 10)}}}},
			},
			want: []string{"DEPLOY_TOKEN=DEPLOY_TOKEN", "VAULT_ID_TOKEN=", "CI_JOB_TOKEN=", "DATABASE_PASSWORD=DATABASE_PASSWORD", "VAULT_ID_TOKEN="},
		},
		{
			name:     "circleci contexts and the variables they provide",
			platform: model.PlatformCircleCI,
			job: model.Job{
				Credentials: []model.Credential{{Kind: "circleci-context", ID: "release", Pos: pos(20, 20)}},
				Steps: []model.Step{
					{Kind: model.StepOrb},
					{Kind: model.StepRun, Run: &model.Run{Commands: []model.Command{shellRef("NPM_TOKEN", 9)}}},
				},
			},
			want: []string{"release=release,NPM_TOKEN"},
		},
		{
			name:     "jenkins credential ids",
			platform: model.PlatformJenkins,
			job:      model.Job{Steps: []model.Step{{Kind: model.StepRun, Credentials: []model.Credential{{Kind: "jenkins-credentials", ID: "codex-token", Vars: []string{"CODEX_ACCESS_TOKEN"}, Pos: pos(7, 26)}}}}},
			want:     []string{"codex-token=codex-token"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &model.Pipeline{Platform: tt.platform, Jobs: []model.Job{tt.job}}
			Complete(p)
			var got []string
			for _, s := range p.Jobs[0].Steps[0].SecretsInScope {
				got = append(got, s.Name+"="+strings.Join(s.InventoryNames, ","))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("inventory names:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
	// The CircleCI variable is accounted for by the job's context too.
	p := &model.Pipeline{Platform: model.PlatformCircleCI, Jobs: []model.Job{tests[2].job}}
	Complete(p)
	var got []string
	for _, s := range p.Jobs[0].Steps[1].SecretsInScope {
		got = append(got, s.Name+"="+strings.Join(s.InventoryNames, ","))
	}
	if want := "NPM_TOKEN=NPM_TOKEN,release release=release,NPM_TOKEN"; strings.Join(got, " ") != want {
		t.Errorf("circleci run step: got %q, want %q", got, want)
	}
}

// TestPassedSecrets checks the secrets a reusable-workflow call passes on.
func TestPassedSecrets(t *testing.T) {
	ref := func(name string) model.Text {
		return model.Text{Value: "${{ secrets." + name + " }}", Interpolations: []model.Interpolation{{
			Kind: model.InterpGitHub, Contexts: []model.ContextRef{{Path: "secrets." + name, Pos: model.Point(4, 20)}},
		}}}
	}
	p := &model.Pipeline{Platform: model.PlatformGitHub, Jobs: []model.Job{{
		ID:   "call",
		Uses: &model.Uses{Ref: "./.github/workflows/review.yml"},
		With: []model.Var{
			{Name: "CLAUDE_CODE_OAUTH_TOKEN", Value: ref("CLAUDE_CODE_OAUTH_TOKEN")},
			{Name: "dry-run", Value: model.Text{Value: "true"}},
			{Name: "token", Value: model.Text{Value: "${{ github.token }}", Interpolations: []model.Interpolation{{
				Kind: model.InterpGitHub, Contexts: []model.ContextRef{{Path: "github.token"}},
			}}}},
		},
	}}}
	Complete(p)
	var got []string
	for _, s := range p.Jobs[0].PassedSecrets {
		got = append(got, fmt.Sprintf("%s/%s agent=%v token=%v", s.Name, s.Source, s.Agent, s.PlatformToken))
	}
	want := "CLAUDE_CODE_OAUTH_TOKEN/with agent=true token=false GITHUB_TOKEN/with agent=false token=true"
	if strings.Join(got, " ") != want {
		t.Errorf("passed secrets = %q, want %q", got, want)
	}
}
