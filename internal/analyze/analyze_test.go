package analyze

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

func TestControlledText(t *testing.T) {
	untrusted := []model.Interpolation{{Expr: "github.event.issue.title", Untrusted: true}}
	author := []model.Interpolation{{Expr: "inputs.x", AuthorControlled: true}}
	plain := []model.Interpolation{{Expr: "github.sha"}}
	word := func(refs ...model.Ref) model.Word { return model.Word{Refs: refs} }
	tests := []struct {
		name string
		step model.Step
		want bool
	}{
		{"nothing", model.Step{Run: &model.Run{Commands: []model.Command{{Argv: []model.Word{word(model.Ref{Name: "HOME"})}}}}}, false},
		{"plain interpolations", model.Step{Run: &model.Run{Script: model.Text{Interpolations: plain}}, With: []model.Var{{Value: model.Text{Interpolations: plain}}}}, false},
		{"script interpolation", model.Step{Run: &model.Run{Script: model.Text{Interpolations: untrusted}}}, true},
		{"argv reference", model.Step{Run: &model.Run{Commands: []model.Command{{Argv: []model.Word{word(model.Ref{Name: "T", Untrusted: true})}}}}}, true},
		{"here-string", model.Step{Run: &model.Run{Commands: []model.Command{{Redirects: []model.Redirect{{Op: "<<<", Target: &model.Word{Refs: []model.Ref{{Name: "T", AuthorControlled: true}}}}}}}}}, true},
		{"heredoc reference", model.Step{Run: &model.Run{Commands: []model.Command{{StdinRefs: []model.Ref{{Name: "T", Untrusted: true}}}}}}, true},
		{"heredoc interpolation", model.Step{Run: &model.Run{Commands: []model.Command{{Stdin: &model.Text{Interpolations: untrusted}}}}}, true},
		{"with", model.Step{With: []model.Var{{Value: model.Text{Interpolations: author}}}}, true},
		{"env", model.Step{Env: []model.Var{{Value: model.Text{Interpolations: untrusted}}}}, true},
	}
	for _, tt := range tests {
		if got := controlledText(&tt.step); got != tt.want {
			t.Errorf("%s: controlledText = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMarkRefsKeepsParserMarks(t *testing.T) {
	refs := []model.Ref{
		{Kind: model.RefShell, Name: "CI_COMMIT_BRANCH"},
		{Kind: model.RefShell, Name: "CI_COMMIT_TITLE"},
		{Kind: model.RefShell, Name: "PROMPT", Untrusted: true, From: "github.event.issue.body"},
		{Kind: model.RefShell, Name: "HOME"},
		{Kind: model.InterpGitLab, Name: "CI_COMMIT_TITLE"},
	}
	markRefs(model.PlatformGitLab, refs)
	want := []struct{ untrusted, refName bool }{{true, true}, {true, false}, {true, false}, {false, false}, {false, false}}
	for i, w := range want {
		if refs[i].Untrusted != w.untrusted || refs[i].RefName != w.refName {
			t.Errorf("ref %s: untrusted %v ref name %v, want %v %v", refs[i].Name, refs[i].Untrusted, refs[i].RefName, w.untrusted, w.refName)
		}
	}
}

func TestCompleteMarksControlledJobs(t *testing.T) {
	p := &model.Pipeline{Platform: model.PlatformGitLab, Jobs: []model.Job{
		{ID: "plain", Steps: []model.Step{{Run: &model.Run{Commands: []model.Command{{Argv: []model.Word{{Refs: []model.Ref{{Kind: model.RefShell, Name: "HOME"}}}}}}}}}},
		{ID: "title", Steps: []model.Step{{}, {Run: &model.Run{Commands: []model.Command{{Argv: []model.Word{{Refs: []model.Ref{{Kind: model.RefShell, Name: "CI_COMMIT_TITLE"}}}}}}}}}},
	}}
	Complete(p)
	if p.Jobs[0].ControlledText || p.Jobs[0].Steps[0].ControlledText {
		t.Errorf("plain job marked: %+v", p.Jobs[0])
	}
	if !p.Jobs[1].ControlledText || p.Jobs[1].Steps[0].ControlledText || !p.Jobs[1].Steps[1].ControlledText {
		t.Errorf("title job: job %v, steps %v %v", p.Jobs[1].ControlledText, p.Jobs[1].Steps[0].ControlledText, p.Jobs[1].Steps[1].ControlledText)
	}
}
