package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// TestCredentialsGolden reports testdata/credentials/repo in every format and compares
// with testdata/golden/credentials.*; -update rewrites them.
func TestCredentialsGolden(t *testing.T) {
	root := testutil.RepoRoot(t)
	t.Chdir(filepath.Join(root, "testdata", "credentials"))
	for _, format := range credentialsFormats {
		t.Run(format, func(t *testing.T) {
			res := run(t, "", "credentials", "--now", "2026-06-01", "--format", format, "repo")
			if res.code != ExitOK || res.stderr != "" {
				t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
			}
			got := strings.ReplaceAll(res.stdout, Version(), "VERSION")
			testutil.Golden(t, filepath.Join(root, "testdata", "golden", "credentials."+format), got)
		})
	}
}

func TestCredentialsInit(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		".github/workflows/a.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: codex exec --ephemeral x\n        env:\n          CODEX_ACCESS_TOKEN: ${{ secrets.CODEX_ACCESS_TOKEN }}\n          GH_TOKEN: ${{ github.token }}\n          X: ${{ secrets.GH_PAT }}\n",
	})
	res := run(t, "", "credentials", "--init", dir)
	target := filepath.Join(dir, ".pipeguard", "credentials.yml")
	if res.code != ExitOK || res.stdout != "wrote "+target+" with 2 credentials: fill in owner, created, expires and rotation_days\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	data, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := config.ParseInventory(data, "credentials.yml", time.Now())
	if err != nil {
		t.Fatalf("the skeleton does not read back: %v\n%s", err, data)
	}
	var names []string
	for _, e := range inv.Credentials {
		names = append(names, e.Name+":"+e.Kind+":"+e.Expires)
	}
	if got := strings.Join(names, " "); got != "CODEX_ACCESS_TOKEN:access-token: GH_PAT:pat:" {
		t.Errorf("skeleton entries = %s\n%s", got, data)
	}
	if !strings.Contains(string(data), "  - name: CODEX_ACCESS_TOKEN  # github-secret, "+filepath.ToSlash(dir)+"/.github/workflows/a.yml:8\n") {
		t.Errorf("skeleton has no reference comment:\n%s", data)
	}
	again := run(t, "", "credentials", "--init", dir)
	if again.code != ExitUsage || !strings.Contains(again.stderr, "already exists: not overwritten") {
		t.Errorf("second --init: exit %d, stderr %q", again.code, again.stderr)
	}
	if after, _ := os.ReadFile(target); string(after) != string(data) {
		t.Error("the second --init changed the file")
	}
}

func TestCredentialsErrors(t *testing.T) {
	bad := testutil.WriteTree(t, map[string]string{
		".github/workflows/a.yml":    "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secrets.X }}\n",
		".pipeguard/credentials.yml": "version: 1\ncredentials:\n  - name: X\n    password: hunter2-very-secret\n",
	})
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr string
		stdout string
	}{
		{"bad date", []string{"credentials", "--now", "June", bad}, ExitUsage, `invalid value "June" for flag -now: "June" is not a date (want YYYY-MM-DD)`, ""},
		{"bad format", []string{"credentials", "--format", "sarif", bad}, ExitUsage, `unknown --format "sarif" for credentials (want one of table, json, markdown)`, ""},
		{"inventory with a value", []string{"credentials", bad}, ExitUsage, "/.pipeguard/credentials.yml: line 4, column 5: credentials[0]: `password:` has no place in the inventory", ""},
		{"scan with a bad inventory", []string{"scan", "--exit-zero", bad}, ExitUsage, "", "/.pipeguard/credentials.yml: error: line 4, column 5: credentials[0]: `password:` has no place in the inventory"},
		{"missing explicit inventory", []string{"credentials", "--inventory", filepath.Join(bad, "nope.yml"), bad}, ExitUsage, "nope.yml: read credential inventory", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, "", tt.args...)
			if res.code != tt.code || !strings.Contains(res.stderr, tt.stderr) || !strings.Contains(res.stdout, tt.stdout) {
				t.Errorf("exit %d (want %d), stderr %q (want it to contain %q), stdout %q (want %q)", res.code, tt.code, res.stderr, tt.stderr, res.stdout, tt.stdout)
			}
			if strings.Contains(res.stdout+res.stderr, "hunter2") {
				t.Errorf("the output prints the value:\n%s%s", res.stdout, res.stderr)
			}
		})
	}
}
