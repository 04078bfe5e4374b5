package engine

import (
	"os"
	"testing"

	_ "github.com/pipeguard/pipeguard/internal/testutil" // accepts -update like every test binary
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
