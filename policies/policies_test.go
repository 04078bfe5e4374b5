package policies

import (
	"testing"

	_ "github.com/pipeguard/pipeguard/internal/testutil" // accepts -update like every test binary
)

// TestTablesLoad guards the embedded JSON tables the Go side reads.
func TestTablesLoad(t *testing.T) {
	r, err := RunnerTables()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.GitHubHostedLabels) == 0 {
		t.Error("no GitHub-hosted runner labels")
	}
	if !IsUntrustedContext("github-expression", "github.event.issue.body") {
		t.Error("github.event.issue.body is not untrusted")
	}
	if IsUntrustedContext("no-such-kind", "github.event.issue.body") {
		t.Error("an unknown kind matched")
	}
}
