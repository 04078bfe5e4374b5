package script

import (
	"reflect"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// TestInterpolationContexts checks Interpolation.Contexts: GitHub expressions parsed by
// internal/ghexpr with each context at its exact file position (inside a block scalar
// indented by 8, starting on line 10), other kinds with the plain name itself.
func TestInterpolationContexts(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		dialect Dialect
		want    []model.ContextRef
	}{
		{
			name:    "blanks around the expression",
			text:    `echo "${{   github.event.issue.title }}"`,
			dialect: DialectGitHub,
			want:    []model.ContextRef{{Path: "github.event.issue.title", Untrusted: true, Pos: span(10, 21, 45)}},
		},
		{
			name:    "several contexts after multibyte text",
			text:    "é ${{ format('{0}-{1}', github.head_ref, toJSON(secrets)) }}",
			dialect: DialectGitHub,
			want: []model.ContextRef{
				{Path: "github.head_ref", Funcs: []string{"format"}, Untrusted: true, Pos: span(10, 33, 48)},
				{Path: "secrets", Whole: true, Funcs: []string{"toJSON", "format"}, Pos: span(10, 57, 64)},
			},
		},
		{
			name:    "expression across lines",
			text:    "echo ${{\n  github.event['pull_request']['title'] }}",
			dialect: DialectGitHub,
			want:    []model.ContextRef{{Path: "github.event.pull_request.title", Untrusted: true, Pos: span(11, 11, 48)}},
		},
		{
			name:    "an invalid expression reads nothing",
			text:    `echo ${{ github.event. }}`,
			dialect: DialectGitHub,
		},
		{
			name:    "gitlab input with a dash",
			text:    `echo $[[ inputs.my-input ]]`,
			dialect: DialectGitLab,
			want:    []model.ContextRef{{Path: "inputs.my-input", AuthorControlled: true, Pos: span(10, 14, 36)}},
		},
		{
			name:    "groovy: a name, an untrusted variable, an expression",
			text:    `echo "$BRANCH_NAME ${params.X} ${a-b}"`,
			dialect: DialectGroovy,
			want: []model.ContextRef{
				{Path: "BRANCH_NAME", Untrusted: true, Pos: span(10, 15, 27)},
				{Path: "params.X", AuthorControlled: true, Pos: span(10, 28, 39)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []model.ContextRef
			for _, in := range Interpolations(tt.text, blockMap(tt.text, 10, 8), tt.dialect) {
				got = append(got, in.Contexts...)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("contexts:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestNewInterpolationContexts checks that interpolations built without a map of their
// text place their contexts at the interpolation.
func TestNewInterpolationContexts(t *testing.T) {
	pos := span(3, 5, 30)
	tests := []struct {
		expr, kind string
		want       model.Interpolation
	}{
		{"github.event.issue.title || github.sha", model.InterpGitHub, model.Interpolation{
			Expr: "github.event.issue.title || github.sha", Kind: model.InterpGitHub, Untrusted: true, Pos: pos,
			Contexts: []model.ContextRef{{Path: "github.event.issue.title", Untrusted: true, Pos: pos}, {Path: "github.sha", Pos: pos}},
		}},
		{"env.CHANGE_TITLE", model.InterpGroovy, model.Interpolation{
			Expr: "env.CHANGE_TITLE", Kind: model.InterpGroovy, Untrusted: true, Pos: pos,
			Contexts: []model.ContextRef{{Path: "env.CHANGE_TITLE", Untrusted: true, Pos: pos}},
		}},
		{"params.X.trim()", model.InterpGroovy, model.Interpolation{Expr: "params.X.trim()", Kind: model.InterpGroovy, AuthorControlled: true, Pos: pos}},
	}
	for _, tt := range tests {
		if got := NewInterpolation(tt.expr, tt.kind, pos); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("NewInterpolation(%q):\n got %+v\nwant %+v", tt.expr, got, tt.want)
		}
	}
}

// TestIsUntrusted checks isUntrusted on its own, for callers that only need the verdict.
func TestIsUntrusted(t *testing.T) {
	tests := []struct {
		kind, expr string
		want       bool
	}{
		{model.InterpGitHub, "format('{0}', github.event.issue.title)", true},
		{model.InterpGitHub, "contains(github.event.issue.title, 'x')", false},
		{model.InterpGitHub, "toJson(github.event.comment)", true},
		{model.InterpGitHub, "github.head_ref != 'main'", false},
		{model.InterpGitHub, "github.event.", false},
		{model.InterpCircleCI, "pipeline.git.branch", true},
		{model.InterpGroovy, "params.X", false},
	}
	for _, tt := range tests {
		if got := isUntrusted(tt.kind, tt.expr); got != tt.want {
			t.Errorf("isUntrusted(%s, %q) = %v, want %v", tt.kind, tt.expr, got, tt.want)
		}
	}
}
