package untrusted

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

func TestGitHub(t *testing.T) {
	tests := []struct {
		path  string
		whole bool
		want  bool
	}{
		{"github.event.issue.title", false, true},
		{"GitHub.Event.Issue.Title", false, true},
		{"github.event.issue.title.length", false, true},
		{"github.event.issue.number", false, false},
		{"github.event.issue", false, false},
		{"github.event.issue", true, true},
		{"github.event", true, true},
		{"github", true, true},
		{"secrets", true, false},
		{"github.event.commits.*.message", false, true},
		{"github.event.commits.0.message", false, true},
		{"github.event.commits.*.id", false, false},
		{"github.event.*.body", false, true},
		{"github.event.*.number", false, false},
		{"github.event.workflow_run.head_branch", false, true},
		{"github.event.pull_request.head.sha", false, false},
		{"github.head_ref", false, true},
		{"", true, false},
	}
	for _, tt := range tests {
		if got := GitHub(tt.path, tt.whole); got != tt.want {
			t.Errorf("GitHub(%q, %v) = %v, want %v", tt.path, tt.whole, got, tt.want)
		}
	}
}

func TestAuthorControlled(t *testing.T) {
	tests := []struct {
		kind, path string
		want       bool
	}{
		{model.InterpGitHub, "inputs.title", true},
		{model.InterpGitHub, "Inputs.Title", true},
		{model.InterpGitHub, "inputs", true},
		{model.InterpGitHub, "github.event.inputs.x", true},
		{model.InterpGitHub, "github.event.client_payload.body", true},
		{model.InterpGitHub, "github.event.client_payload", true},
		{model.InterpGitHub, "github.event.issue.title", false},
		{model.InterpGitHub, "inputsx.y", false},
		{model.InterpGitLab, "inputs.name", true},
		{model.InterpGitLab, " inputs.name ", true},
		{model.InterpCircleCI, "pipeline.parameters.msg", true},
		{model.InterpCircleCI, "parameters.msg", false},
		{model.InterpCircleCI, "pipeline.git.branch", false},
		{model.InterpGroovy, "params.TARGET", true},
		{model.InterpGroovy, "env.TARGET", false},
		{"unknown", "inputs.x", false},
	}
	for _, tt := range tests {
		if got := AuthorControlled(tt.kind, tt.path); got != tt.want {
			t.Errorf("AuthorControlled(%q, %q) = %v, want %v", tt.kind, tt.path, got, tt.want)
		}
	}
}

func TestVariable(t *testing.T) {
	tests := []struct {
		platform, name     string
		untrusted, refName bool
	}{
		{model.PlatformGitLab, "CI_MERGE_REQUEST_TITLE", true, false},
		{model.PlatformGitLab, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", true, true},
		{model.PlatformGitLab, "CI_COMMIT_REF_SLUG", false, false},
		{model.PlatformGitLab, "CI_JOB_TOKEN", false, false},
		{model.PlatformCircleCI, "CIRCLE_BRANCH", true, true},
		{model.PlatformCircleCI, "CIRCLE_PR_USERNAME", false, false}, // a login: no shell syntax
		{model.PlatformCircleCI, "CIRCLE_PR_REPONAME", false, false},
		{model.PlatformJenkins, "CHANGE_TITLE", true, false},
		{model.PlatformJenkins, "CHANGE_BRANCH", true, true},
		{model.PlatformJenkins, "CHANGE_ID", false, false},
		{model.PlatformJenkins, "CHANGE_AUTHOR", false, false}, // a login: no shell syntax
		{model.PlatformJenkins, "CHANGE_AUTHOR_DISPLAY_NAME", true, false},
		{model.PlatformJenkins, "BRANCH_NAME", true, true},
		{model.PlatformJenkins, "GIT_COMMIT_MESSAGE", true, false},
		{model.PlatformGitHub, "GITHUB_HEAD_REF", true, true},
		{model.PlatformGitHub, "GITHUB_REF_NAME", false, false},
		{model.PlatformGitHub, "CI_MERGE_REQUEST_TITLE", false, false},
	}
	for _, tt := range tests {
		if got := Variable(tt.platform, tt.name); got != tt.untrusted {
			t.Errorf("Variable(%q, %q) = %v, want %v", tt.platform, tt.name, got, tt.untrusted)
		}
		if got := RefName(tt.platform, tt.name); got != tt.refName {
			t.Errorf("RefName(%q, %q) = %v, want %v", tt.platform, tt.name, got, tt.refName)
		}
	}
}

func TestGitHubRefName(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"github.head_ref", true},
		{"GitHub.Head_Ref", true},
		{"github.event.pull_request.head.ref", true},
		{"github.event.workflow_run.head_branch", true},
		{"github.event.pull_request.title", false},
		{"github.event.head_commit.message", false},
	}
	for _, tt := range tests {
		if got := GitHubRefName(tt.path); got != tt.want {
			t.Errorf("GitHubRefName(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestInterpolation(t *testing.T) {
	tests := []struct {
		kind, expr string
		want       bool
	}{
		{model.InterpCircleCI, "pipeline.git.branch", true},
		{model.InterpCircleCI, " pipeline.git.tag ", true},
		{model.InterpCircleCI, "pipeline.git.revision", false},
		{model.InterpCircleCI, "pipeline.parameters.msg", false},
		{model.InterpGroovy, "env.CHANGE_TITLE", true},
		{model.InterpGroovy, "env.CHANGE_AUTHOR_EMAIL", true},
		{model.InterpGroovy, "env.CHANGE_AUTHOR", false},
		{model.InterpGroovy, "CHANGE_AUTHOR", false},
		{model.InterpGroovy, "env.CHANGE_TITLE.toLowerCase()", true},
		{model.InterpGroovy, "x ?: env.BRANCH_NAME", true},
		{model.InterpGroovy, "myenv.CHANGE_TITLE", false},
		{model.InterpGroovy, "env.CHANGE_TITLES", false},
		{model.InterpGroovy, "env.CHANGE_ID", false},
		{model.InterpGroovy, "BRANCH_NAME", true},
		{model.InterpGroovy, "BRANCH_NAME.trim()", false},
		{model.InterpGroovy, "env.", false},
		{model.InterpGroovy, "params.TARGET", false},
		{model.InterpGitLab, "inputs.name", false},
		{model.InterpGitHub, "github.event.issue.title", false},
	}
	for _, tt := range tests {
		if got := Interpolation(tt.kind, tt.expr); got != tt.want {
			t.Errorf("Interpolation(%q, %q) = %v, want %v", tt.kind, tt.expr, got, tt.want)
		}
	}
}
