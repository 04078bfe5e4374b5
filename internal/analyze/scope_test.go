package analyze

import (
	"reflect"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

func TestSecretsInScopeFromScriptVariables(t *testing.T) {
	tests := []struct {
		name, platform, script string
		// want lists Name/Source/Pos of each secret in scope.
		want []model.ScopedSecret
	}{
		{
			name:     "an argument reads a credential-named variable",
			platform: model.PlatformGitLab,
			script:   `curl -H "PRIVATE-TOKEN: $DEPLOY_TOKEN" x`,
			want: []model.ScopedSecret{{Name: "DEPLOY_TOKEN", Kind: model.SecretGitLab, Source: model.SourceVariable, Var: "DEPLOY_TOKEN",
				Pos: model.Pos{Line: 1, Col: 25, EndLine: 1, EndCol: 38}}},
		},
		{
			name:     "an env prefix and an assignment read credential-named variables",
			platform: model.PlatformCircleCI,
			script:   "NPM_AUTH=\"$NPM_TOKEN\" npm publish\nH=\"Bearer ${API_KEY}\"",
			want: []model.ScopedSecret{
				{Name: "NPM_TOKEN", Kind: model.SecretVariable, Source: model.SourceVariable, Var: "NPM_TOKEN", Pos: model.Pos{Line: 1, Col: 11, EndLine: 1, EndCol: 21}},
				{Name: "API_KEY", Kind: model.SecretVariable, Source: model.SourceVariable, Var: "API_KEY", Pos: model.Pos{Line: 2, Col: 11, EndLine: 2, EndCol: 21}},
			},
		},
		{
			name:     "GitHub scripts get secrets only through expressions",
			platform: model.PlatformGitHub,
			script:   `X="$NPM_TOKEN" npm publish`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, errs := Run(script.Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1), Shell: "bash"})
			if len(errs) > 0 {
				t.Fatalf("errors: %+v", errs)
			}
			p := &model.Pipeline{Platform: tt.platform, Jobs: []model.Job{{ID: "j", Steps: []model.Step{{Kind: model.StepRun, Run: run}}}}}
			Complete(p)
			got := p.Jobs[0].Steps[0].SecretsInScope
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSecretsInScopeFromGitHubContexts(t *testing.T) {
	pos := model.Pos{Line: 3, Col: 12, EndLine: 3, EndCol: 21}
	tests := []struct {
		name    string
		context model.ContextRef
		want    []model.ScopedSecret
	}{
		{
			name:    "a secret",
			context: model.ContextRef{Path: "secrets.X", Pos: pos},
			want:    []model.ScopedSecret{{Name: "X", Kind: model.SecretGitHub, Source: model.SourceStepEnv, Var: "V", Pos: pos}},
		},
		{
			name:    "a part of a secret is derived",
			context: model.ContextRef{Path: "secrets.X", Derived: true, Funcs: []string{"fromJSON"}, Pos: pos},
			want:    []model.ScopedSecret{{Name: "X", Kind: model.SecretGitHub, Source: model.SourceStepEnv, Var: "V", Derived: true, Pos: pos}},
		},
		{
			name:    "secrets.X != '' reads no secret value",
			context: model.ContextRef{Path: "secrets.X", Opaque: true, Pos: pos},
		},
		{
			name:    "toJSON(secrets) reads every secret",
			context: model.ContextRef{Path: "secrets", Whole: true, Funcs: []string{"toJSON"}, Pos: pos},
			want:    []model.ScopedSecret{{Name: "*", Kind: model.SecretGitHub, Source: model.SourceStepEnv, Var: "V", Pos: pos}},
		},
		{
			name:    "a computed secret name reads every secret",
			context: model.ContextRef{Path: "secrets.*", Computed: true, Whole: true, Pos: pos},
			want:    []model.ScopedSecret{{Name: "*", Kind: model.SecretGitHub, Source: model.SourceStepEnv, Var: "V", Pos: pos}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := model.Var{Name: "V", Value: model.Text{Interpolations: []model.Interpolation{{
				Kind: model.InterpGitHub, Contexts: []model.ContextRef{tt.context},
			}}}}
			p := &model.Pipeline{Platform: model.PlatformGitHub, Jobs: []model.Job{{ID: "j", Steps: []model.Step{{
				Kind: model.StepRun,
				Env:  []model.Var{v},
			}}}}}
			Complete(p)
			if got := p.Jobs[0].Steps[0].SecretsInScope; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
