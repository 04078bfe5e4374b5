package discover

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
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

func TestClassifyNamedPaths(t *testing.T) {
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
		{"JenkinsFile", model.PlatformJenkins},
		{"Jenkinsfile_k8s", model.PlatformJenkins},
		{"ci/jenkins/Jenkinsfile-PreCommit", model.PlatformJenkins},
		{"tests/JenkinsfileForBinaries", model.PlatformJenkins},
		{"ci/generated/cpu_jenkinsfile.groovy", model.PlatformJenkins},
		{"run-dash-licenses.Jenkinsfile", model.PlatformJenkins},
		{"Jenkinsfile.d/core/stable-rc", model.PlatformJenkins},
		{"buildenv/jenkins/aqaTestPipeline.groovy", model.PlatformJenkins},
		{"pipelines/build/common/x.groovy", model.PlatformJenkins},
		{"Jenkinsfile.md", ""},
		{"docs/jenkinsfile.txt", ""},
		{"README.md", ""},
	}
	for _, tt := range tests {
		k, platform := classify(tt.path)
		if k != named {
			platform = ""
		}
		if platform != tt.want {
			t.Errorf("classify(%q) = %q, want %q", tt.path, platform, tt.want)
		}
	}
}

func TestClassifyCandidates(t *testing.T) {
	tests := []struct {
		path string
		want kind
	}{
		{".circleci/test-deploy.yml", circleciCandidate},
		{".circleci/stale.yml", circleciCandidate},
		{"templates/pipeguard.yml", componentCandidate},
		{"templates/scan/template.yml", componentCandidate},
		{"charts/app/templates/deployment.yaml", componentCandidate},
		{"templates/scan/other.yml", notPipeline},
		{"examples/dind.groovy", groovyCandidate},
		{"buildenv/jenkins/getDependency", jenkinsFolderFile},
		{"ci/build", jenkinsFolderFile},
		{"ci/build.sh", notPipeline},
		{"src/build", notPipeline},
		{".github/dependabot.yml", notPipeline},
	}
	for _, tt := range tests {
		if k, _ := classify(tt.path); k != tt.want {
			t.Errorf("classify(%q) = %d, want %d", tt.path, k, tt.want)
		}
	}
}

func TestPlatformOfAcceptsMoreThanTheWalk(t *testing.T) {
	tests := []struct{ path, want string }{
		{".circleci/other.yml", model.PlatformCircleCI},
		{"./.github/workflows/x.yml", model.PlatformGitHub},
		{"a/.gitlab-ci.yaml", model.PlatformGitLab},
		{"pipeline.groovy", model.PlatformJenkins},
		{"ci/build", ""},
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
	res, err := Discover([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Files {
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
	res, err := Discover([]string{filepath.Join(dir, "pipeline.yml")}, Options{Platform: model.PlatformGitLab})
	if err != nil || len(res.Files) != 1 || res.Files[0].Platform != model.PlatformGitLab {
		t.Errorf("with --platform: %+v, %v", res.Files, err)
	}
	res, err = Discover([]string{filepath.Join(dir, ".gitlab-ci.yml"), dir}, Options{})
	if err != nil || len(res.Files) != 1 {
		t.Errorf("a file named twice is scanned once: %+v, %v", res.Files, err)
	}
	_, err = Discover([]string{filepath.Join(dir, "missing")}, Options{})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("missing path: err = %v, want ErrNotFound", err)
	}
}

func TestRepoRootPrefersThePlatformMarker(t *testing.T) {
	dir := tree(t, ".git/HEAD", "fixtures/app/.gitlab-ci.yml", "fixtures/app/ci/inc.yml")
	res, err := Discover([]string{filepath.Join(dir, "fixtures")}, Options{})
	if err != nil || len(res.Files) != 1 {
		t.Fatalf("%+v, %v", res.Files, err)
	}
	if want := filepath.Join(dir, "fixtures", "app"); res.Files[0].RepoRoot != want {
		t.Errorf("RepoRoot = %s, want %s", res.Files[0].RepoRoot, want)
	}
	if res.Files[0].Root != dir {
		t.Errorf("Root = %s, want the .git directory %s", res.Files[0].Root, dir)
	}
}

func TestSymlinksOutOfTheTreeAreNotFollowed(t *testing.T) {
	outside := tree(t, "Jenkinsfile")
	dir := tree(t, "Jenkinsfile.local")
	if err := os.Symlink(filepath.Join(outside, "Jenkinsfile"), filepath.Join(dir, "Jenkinsfile")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	res, err := Discover([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || filepath.Base(res.Files[0].DiskPath) != "Jenkinsfile.local" {
		t.Errorf("files = %+v, want only Jenkinsfile.local", res.Files)
	}
}

const (
	circleConfig = "version: 2.1\njobs:\n  a:\n    docker: [{image: x}]\n    steps: [checkout]\n"
	staleConfig  = "daysUntilStale: 60\nexemptLabels: [pinned]\n"
	component    = "spec:\n  inputs:\n    stage: {default: test}\n---\nscan:\n  script: [make]\n"
	k8sTemplate  = "apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n"
)

// repoTree is a repository with a file of every kind of judgement.
func repoTree(t *testing.T) string {
	return testutil.WriteTree(t, map[string]string{
		".git/HEAD":                        "ref: refs/heads/main\n",
		".github/workflows/ci.yml":         "on: push\n",
		".github/dependabot.yml":           "version: 2\n",
		".circleci/config.yml":             circleConfig,
		".circleci/test-deploy.yml":        circleConfig,
		".circleci/stale.yml":              staleConfig,
		"ci/Jenkinsfile":                   "pipeline { agent any }\n",
		"ci/release":                       "node { stage('a') { sh 'make' } }\n",
		"ci/build":                         "#!/bin/sh\nset -e\nmake\n",
		"ci/lib.groovy":                    "def helper() { echo 'x' }\n",
		"scripts/deploy.groovy":            "node('linux') {\n  sh 'make deploy'\n}\n",
		"src/main/groovy/Lib.groovy":       "package org.example\nclass Lib { def node() {} }\n",
		"vars/buildPlugin.groovy":          "def call(Map p) { node { sh 'mvn' } }\n",
		"templates/scan.yml":               component,
		"charts/app/templates/pod.yaml":    k8sTemplate,
		"ci/templates/.gitlab-ci.yml":      "job:\n  script: [make]\n",
		"docs/Jenkinsfile.md":              "# how to\n",
		"jenkins-jobs/Jenkinsfile.d/x/job": "buildPlugin()\n",
	})
}

// found runs Discover and returns "path=platform" of the files (relative to dir) and
// "path: reason" of the skipped ones.
func found(t *testing.T, dir string, paths []string, opts Options) (files, skipped []string) {
	t.Helper()
	res, err := Discover(paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		rel, _ := filepath.Rel(dir, f.DiskPath)
		entry := filepath.ToSlash(rel) + "=" + f.Platform
		if len(f.ForIncludes) > 0 {
			entry += " for " + strings.Join(f.ForIncludes, ",")
		}
		files = append(files, entry)
		if f.Root != dir {
			t.Errorf("%s: Root = %s, want %s", f.Path, f.Root, dir)
		}
	}
	for _, s := range res.Skipped {
		rel, _ := filepath.Rel(dir, s.Path)
		skipped = append(skipped, filepath.ToSlash(rel)+": "+s.Reason)
	}
	return files, skipped
}

func TestDiscoverJudgesByRepositoryPathAndContent(t *testing.T) {
	dir := repoTree(t)
	files, skipped := found(t, dir, []string{dir}, Options{})
	want := []string{
		".circleci/config.yml=circleci",
		".circleci/test-deploy.yml=circleci",
		".github/workflows/ci.yml=github",
		"ci/Jenkinsfile=jenkins",
		"ci/lib.groovy=jenkins",
		"ci/release=jenkins",
		"ci/templates/.gitlab-ci.yml=gitlab",
		"jenkins-jobs/Jenkinsfile.d/x/job=jenkins",
		"scripts/deploy.groovy=jenkins",
		"templates/scan.yml=gitlab",
	}
	if !slices.Equal(files, want) {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(files, "\n"), strings.Join(want, "\n"))
	}
	wantSkipped := []string{".circleci/stale.yml: " + ReasonNotCircleCI, "ci/build: " + ReasonNotJenkins}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("skipped %v, want %v", skipped, wantSkipped)
	}
}

// TestDiscoverSubdirectories scans the folders people type: each finds what scanning
// the repository finds there.
func TestDiscoverSubdirectories(t *testing.T) {
	dir := repoTree(t)
	for sub, want := range map[string][]string{
		".github/workflows": {".github/workflows/ci.yml=github"},
		".github":           {".github/workflows/ci.yml=github"},
		".circleci":         {".circleci/config.yml=circleci", ".circleci/test-deploy.yml=circleci"},
		"ci":                {"ci/Jenkinsfile=jenkins", "ci/lib.groovy=jenkins", "ci/release=jenkins", "ci/templates/.gitlab-ci.yml=gitlab"},
		"ci/templates":      {"ci/templates/.gitlab-ci.yml=gitlab"},
	} {
		files, _ := found(t, dir, []string{filepath.Join(dir, filepath.FromSlash(sub))}, Options{})
		if !slices.Equal(files, want) {
			t.Errorf("scan %s: %v, want %v", sub, files, want)
		}
	}
}

func TestDiscoverRootWithoutGit(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"repo/.github/workflows/ci.yml": "on: push\n"})
	res, err := Discover([]string{filepath.Join(dir, "repo", ".github", "workflows")}, Options{})
	if err != nil || len(res.Files) != 1 {
		t.Fatalf("%+v, %v", res, err)
	}
	if want := filepath.Join(dir, "repo"); res.Files[0].Root != want {
		t.Errorf("Root = %s, want the directory holding .github, %s", res.Files[0].Root, want)
	}
	res, err = Discover([]string{dir}, Options{})
	if err != nil || len(res.Files) != 1 || res.Files[0].Root != dir {
		t.Errorf("scanning a folder of repositories: Root = %+v, want the scanned folder", res.Files)
	}
}

func TestDiscoverHookFiles(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		".git/HEAD":              "x\n",
		".gitlab-ci.yml":         "include: [{local: ci/build.yml}]\n",
		"ci/build.yml":           "job:\n  script: [make]\n",
		"ci/other.yml":           "x: 1\n",
		".github/dependabot.yml": "version: 2\n",
		".circleci/stale.yml":    staleConfig,
		".circleci/config.yml":   circleConfig,
		"README.md":              "# x\n",
	})
	arg := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join(dir, filepath.FromSlash(n)))
		}
		return out
	}
	tests := []struct {
		name           string
		args           []string
		files, skipped []string
	}{
		{"not pipelines are left out", arg("README.md"), nil, nil},
		// Any YAML file may be a local include; the scan keeps the pipeline only when it
		// includes one of them.
		{"any YAML file may be an include", arg(".github/dependabot.yml"), []string{".gitlab-ci.yml=gitlab for .github/dependabot.yml"}, nil},
		{"a CircleCI folder file that is not a config", arg(".circleci/stale.yml", ".circleci/config.yml"),
			[]string{".circleci/config.yml=circleci"}, []string{".circleci/stale.yml: " + ReasonNotCircleCI}},
		{"an include brings its pipeline", arg("ci/build.yml", "ci/other.yml"),
			[]string{".gitlab-ci.yml=gitlab for ci/build.yml,ci/other.yml"}, nil},
		{"the pipeline itself is scanned in full", arg("ci/build.yml", ".gitlab-ci.yml"),
			[]string{".gitlab-ci.yml=gitlab"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, skipped := found(t, dir, tt.args, Options{Hook: true})
			if !slices.Equal(files, tt.files) || !slices.Equal(skipped, tt.skipped) {
				t.Errorf("files %v skipped %v; want %v, %v", files, skipped, tt.files, tt.skipped)
			}
		})
	}
}
