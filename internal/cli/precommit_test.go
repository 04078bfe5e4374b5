package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/testutil"
)

// TestPreCommitHook runs the real pre-commit (the Debian package pre-commit) on a scratch
// repository whose .pre-commit-config.yaml points at this checkout, as a user's would:
// pre-commit builds the `pipeguard` hook from it (language: golang, `go install ./...`)
// and runs it on each commit. A workflow with a literal token is blocked, a clean one
// and a YAML file that is no pipeline pass, and a token in a GitLab local include
// blocks the commit that changes only the include.
//
// It skips when pre-commit is not installed, so that `make test` works on a fresh
// machine; .ci/run installs pre-commit and sets PIPEGUARD_REQUIRE_PRECOMMIT so that it
// runs there. Go modules come from the local module cache (or the module proxy).
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pipeguard through pre-commit; not with -short")
	}
	for _, tool := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("PIPEGUARD_REQUIRE_PRECOMMIT") != "" {
				t.Fatalf("%s is not installed, and PIPEGUARD_REQUIRE_PRECOMMIT is set", tool)
			}
			t.Skipf("%s is not installed (apt-get install pre-commit; .ci/run installs it)", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	tmp := t.TempDir()
	modCache := strings.TrimSpace(string(mustRun(t, ctx, "", nil, "go", "env", "GOMODCACHE")))
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit-home"),
		"GOMODCACHE="+modCache, // pre-commit sets GOPATH to its own directory
		"GOTOOLCHAIN=local",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_GLOBAL="+filepath.Join(tmp, "gitconfig"), "GIT_CONFIG_NOSYSTEM=1",
	)
	hookRepo, rev := snapshotCheckout(t, ctx, filepath.Join(tmp, "pipeguard"), env)

	project := filepath.Join(tmp, "project")
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(project, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".pre-commit-config.yaml", "repos:\n  - repo: "+hookRepo+"\n    rev: "+rev+"\n    hooks:\n      - id: pipeguard\n")
	mustRun(t, ctx, project, env, "git", "init", "-q")
	mustRun(t, ctx, project, env, "pre-commit", "install")
	commit := func(message string, files ...string) (string, error) {
		t.Helper()
		mustRun(t, ctx, project, env, "git", append([]string{"add", "--"}, files...)...)
		return runCmd(ctx, project, env, "git", "commit", "-q", "-m", message)
	}

	write(".github/workflows/ci.yml", tokenWorkflow)
	out, err := commit("a workflow with a token", ".pre-commit-config.yaml", ".github/workflows/ci.yml")
	if err == nil || !strings.Contains(out, "hardcoded-token") || !strings.Contains(out, ".github/workflows/ci.yml:6:18") {
		t.Fatalf("the token was not blocked (err %v):\n%s", err, out)
	}
	write(".github/workflows/ci.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n")
	if out, err := commit("a clean workflow", ".pre-commit-config.yaml", ".github/workflows/ci.yml"); err != nil || !strings.Contains(out, "Passed") {
		t.Fatalf("the clean workflow was blocked (err %v):\n%s", err, out)
	}
	write(".github/dependabot.yml", "version: 2\nupdates: []\n")
	if out, err := commit("not a pipeline", ".github/dependabot.yml"); err != nil {
		t.Fatalf("a YAML file that is not a pipeline was blocked (err %v):\n%s", err, out)
	}
	write(".gitlab-ci.yml", "include:\n  - local: ci/build.yml\nbuild:\n  extends: .build\n  script: [make]\n")
	write("ci/build.yml", ".build:\n  image: golang:1.26\n")
	if out, err := commit("a GitLab pipeline", ".gitlab-ci.yml", "ci/build.yml"); err != nil {
		t.Fatalf("the clean GitLab pipeline was blocked (err %v):\n%s", err, out)
	}
	write("ci/build.yml", ".build:\n  image: golang:1.26\n  variables:\n    DEPLOY_TOKEN: "+fakeSecret+"\n")
	out, err = commit("a token in an include", "ci/build.yml")
	if err == nil || !strings.Contains(out, "ci/build.yml:4:19") {
		t.Fatalf("the token in the include was not blocked (err %v):\n%s", err, out)
	}
}

// snapshotCheckout copies this checkout's files (tracked and untracked, not ignored) to
// dir and commits them, so that pre-commit builds the code under test; it returns the
// repository and the commit.
func snapshotCheckout(t *testing.T, ctx context.Context, dir string, env []string) (string, string) {
	t.Helper()
	root := testutil.RepoRoot(t)
	list := mustRun(t, ctx, root, env, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		src := filepath.Join(root, filepath.FromSlash(name))
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or a link
		}
		if err := copyFile(src, filepath.Join(dir, filepath.FromSlash(name)), info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, ctx, dir, env, "git", "init", "-q")
	mustRun(t, ctx, dir, env, "git", "add", "-A")
	mustRun(t, ctx, dir, env, "git", "commit", "-q", "-m", "snapshot")
	rev := strings.TrimSpace(string(mustRun(t, ctx, dir, env, "git", "rev-parse", "HEAD")))
	return dir, rev
}

func copyFile(src, dst string, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// runCmd runs a command in dir and returns its combined output.
func runCmd(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// mustRun runs a command and fails the test when it fails; it returns standard output.
func mustRun(t *testing.T, ctx context.Context, dir string, env []string, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return out
}
