package discover

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// tree writes empty files (slash paths) below a new temp directory.
func tree(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x: 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDefaultPlatformOf(t *testing.T) {
	tests := []struct{ path, want string }{
		{".github/workflows/ci.yml", model.PlatformGitHub},
		{".github/workflows/ci.yaml", model.PlatformGitHub},
		{".github/workflows/nested/ci.yml", ""},
		{".github/dependabot.yml", ""},
		{"action.yml", model.PlatformGitHub},
		{"actions/setup/action.yaml", model.PlatformGitHub},
		{".gitlab-ci.yml", model.PlatformGitLab},
		{"ci/deploy.gitlab-ci.yml", model.PlatformGitLab},
		{".circleci/config.yml", model.PlatformCircleCI},
		{".circleci/other.yml", ""},
		{"Jenkinsfile", model.PlatformJenkins},
		{"jobs/Jenkinsfile.release", model.PlatformJenkins},
		{"build.jenkinsfile", model.PlatformJenkins},
		{"README.md", ""},
	}
	for _, tt := range tests {
		if got := defaultPlatformOf(tt.path); got != tt.want {
			t.Errorf("defaultPlatformOf(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestPlatformOfAcceptsMoreThanTheWalk(t *testing.T) {
	tests := []struct{ path, want string }{
		{".circleci/other.yml", model.PlatformCircleCI},
		{"./.github/workflows/x.yml", model.PlatformGitHub},
		{"a/.gitlab-ci.yaml", model.PlatformGitLab},
		{"pipeline.groovy", ""},
	}
	for _, tt := range tests {
		if got := PlatformOf(tt.path); got != tt.want {
			t.Errorf("PlatformOf(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestDiscoverWalksAndSkips(t *testing.T) {
	dir := tree(t,
		".github/workflows/ci.yml",
		".gitlab-ci.yml",
		"node_modules/pkg/.gitlab-ci.yml",
		"vendor/x/Jenkinsfile",
		".git/hooks/Jenkinsfile",
		"sub/Jenkinsfile",
		"notes.txt",
	)
	files, err := Discover([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f.DiskPath)
		got = append(got, filepath.ToSlash(rel)+"="+f.Platform)
	}
	want := []string{".github/workflows/ci.yml=github", ".gitlab-ci.yml=gitlab", "sub/Jenkinsfile=jenkins"}
	if !slices.Equal(got, want) {
		t.Errorf("Discover = %v, want %v", got, want)
	}
}

func TestExplicitFiles(t *testing.T) {
	dir := tree(t, "pipeline.yml", ".gitlab-ci.yml")
	if _, err := Discover([]string{filepath.Join(dir, "pipeline.yml")}, Options{}); err == nil {
		t.Error("a file whose name says nothing was accepted without --platform")
	}
	files, err := Discover([]string{filepath.Join(dir, "pipeline.yml")}, Options{Platform: model.PlatformGitLab})
	if err != nil || len(files) != 1 || files[0].Platform != model.PlatformGitLab {
		t.Errorf("with --platform: %+v, %v", files, err)
	}
	files, err = Discover([]string{filepath.Join(dir, ".gitlab-ci.yml"), dir}, Options{})
	if err != nil || len(files) != 1 {
		t.Errorf("a file named twice is scanned once: %+v, %v", files, err)
	}
	_, err = Discover([]string{filepath.Join(dir, "missing")}, Options{})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("missing path: err = %v, want ErrNotFound", err)
	}
}

func TestRepoRootPrefersThePlatformMarker(t *testing.T) {
	dir := tree(t, ".git/HEAD", "fixtures/app/.gitlab-ci.yml", "fixtures/app/ci/inc.yml")
	files, err := Discover([]string{filepath.Join(dir, "fixtures")}, Options{})
	if err != nil || len(files) != 1 {
		t.Fatalf("%+v, %v", files, err)
	}
	if want := filepath.Join(dir, "fixtures", "app"); files[0].RepoRoot != want {
		t.Errorf("RepoRoot = %s, want %s", files[0].RepoRoot, want)
	}
}

func TestSymlinksOutOfTheTreeAreNotFollowed(t *testing.T) {
	outside := tree(t, "Jenkinsfile")
	dir := tree(t, "Jenkinsfile.local")
	if err := os.Symlink(filepath.Join(outside, "Jenkinsfile"), filepath.Join(dir, "Jenkinsfile")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	files, err := Discover([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || filepath.Base(files[0].DiskPath) != "Jenkinsfile.local" {
		t.Errorf("files = %+v, want only Jenkinsfile.local", files)
	}
}
