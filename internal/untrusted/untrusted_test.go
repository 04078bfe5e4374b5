package untrusted

import "testing"

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
