package analyze

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// TestCredentialVariablesInScope checks which credential-named variables of a step's
// environment count as secrets in scope: a value that can hold a credential does, an
// empty value or a switch does not.
func TestCredentialVariablesInScope(t *testing.T) {
	tests := []struct {
		name, value string
		want        string // the ScopedSecret "name/source", "" for none
	}{
		{"DEPLOY_TOKEN", "abc", "DEPLOY_TOKEN/step-env"},
		{"DEPLOY_TOKEN", "$UPSTREAM", "DEPLOY_TOKEN/step-env"},
		{"FF_USE_GIT_PROACTIVE_AUTH", "true", ""},
		{"persist-credentials", "false", ""},
		{"DB_PASSWORD", " 1 ", ""},
		{"API_TOKEN", "", ""},
		{"PATH", "/usr/bin", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			p := &model.Pipeline{Platform: model.PlatformGitLab, Jobs: []model.Job{{ID: "j", Steps: []model.Step{{
				Kind: model.StepRun,
				Env:  []model.Var{{Name: tt.name, Value: model.Text{Value: tt.value}, Pos: model.Point(3, 5)}},
			}}}}}
			Complete(p)
			var got []string
			for _, s := range p.Jobs[0].Steps[0].SecretsInScope {
				got = append(got, s.Name+"/"+s.Source)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("secrets in scope = %q, want %q", got, tt.want)
			}
		})
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
