package script

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/textpos"
)

// TestInterpolationsMarkUntrustedContexts checks the table of attacker-controlled
// contexts (internal/untrusted) through Interpolations, per dialect. Values that only
// people who can start a pipeline set (GitLab inputs, Jenkins params) are not untrusted.
func TestInterpolationsMarkUntrustedContexts(t *testing.T) {
	tests := []struct {
		text    string
		dialect Dialect
		want    bool
	}{
		{`echo "${{ github.event.issue.title }}"`, DialectGitHub, true},
		{`echo "${{ github.event.pull_request.head.ref }}"`, DialectGitHub, true},
		{`echo "${{ github.head_ref || 'main' }}"`, DialectGitHub, true},
		{`echo '${{ toJSON(github.event) }}'`, DialectGitHub, true},
		{`echo "${{ github.event.commits[0].message }}"`, DialectGitHub, true},
		{`echo "${{ github.event.issue.number }}"`, DialectGitHub, false},
		{`echo "${{ github.event.pull_request.head.sha }}"`, DialectGitHub, false},
		{`echo "${{ secrets.TOKEN }}"`, DialectGitHub, false},
		{`echo "${{ github.ref_name }}"`, DialectGitHub, false},
		{`echo $[[ inputs.message ]]`, DialectGitLab, false},
		{`echo << pipeline.git.branch >>`, DialectCircleCI, true},
		{`echo << pipeline.git.revision >>`, DialectCircleCI, false},
		{`echo << parameters.target >>`, DialectCircleCI, false},
		{`echo "${params.VERSION}"`, DialectGroovy, false},
		{`echo "${env.CHANGE_TITLE}"`, DialectGroovy, true},
		{`echo "$BRANCH_NAME"`, DialectGroovy, true},
		{`echo "${env.BUILD_NUMBER}"`, DialectGroovy, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := Interpolations(tt.text, textpos.Verbatim(tt.text, 1, 1), tt.dialect)
			if len(got) != 1 {
				t.Fatalf("got %d interpolations, want 1: %+v", len(got), got)
			}
			if got[0].Untrusted != tt.want {
				t.Errorf("Untrusted(%q) = %v, want %v", got[0].Expr, got[0].Untrusted, tt.want)
			}
		})
	}
}
