package discover

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/testutil"
)

// hookPatterns reads the `files` pattern of every hook in .pre-commit-hooks.yaml.
func hookPatterns(t *testing.T) map[string]*regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Files         string `yaml:"files"`
		RequireSerial bool   `yaml:"require_serial"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	out := map[string]*regexp.Regexp{}
	for _, h := range hooks {
		if !h.RequireSerial {
			t.Errorf("hook %s does not set require_serial", h.ID)
		}
		// pre-commit uses Python's re.search; the pattern keeps to what both read alike.
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("hook %s: files: %v", h.ID, err)
		}
		out[h.ID] = re
	}
	if out["pipeguard"] == nil || out["pipeguard-system"] == nil {
		t.Fatalf("hooks %v, want pipeguard and pipeguard-system", out)
	}
	return out
}

// TestHookFilesPatternCoversDiscovery checks that pre-commit passes pipeguard every file
// that discovery could take for a pipeline: the paths of the discovery tests and every
// file of the corpus.
func TestHookFilesPatternCoversDiscovery(t *testing.T) {
	patterns := hookPatterns(t)
	check := func(t *testing.T, paths []string) {
		for id, re := range patterns {
			for _, p := range paths {
				if k, _ := classify(p); k != notPipeline && !re.MatchString(p) {
					t.Errorf("hook %s does not pass %s", id, p)
				}
			}
		}
	}
	check(t, []string{
		".github/workflows/ci.yml", ".github/workflows/ci.yaml", "action.yml", "sub/action.yaml",
		".gitlab-ci.yml", "ci/deploy.gitlab-ci.yml", "ci/include.yml", ".circleci/config.yml",
		".circleci/test-deploy.yml", "templates/pipeguard.yml", "Jenkinsfile", "JenkinsFile",
		"jobs/Jenkinsfile.release", "build.jenkinsfile", "x/cpu_jenkinsfile.groovy", "Jenkinsfile_k8s",
		"Jenkinsfile.d/core/stable-rc", "buildenv/jenkins/getDependency", "ci/release", "pipelines/x.groovy",
		"examples/dind.groovy", ".jenkins/.hidden",
	})
	for id, re := range patterns {
		for _, p := range []string{"README.md", "go.mod", "src/main.go", "ci/build.sh", "docs/jenkins.png"} {
			if re.MatchString(p) {
				t.Errorf("hook %s passes %s", id, p)
			}
		}
	}
	for _, folder := range []string{"github", "gitlab", "circleci", "jenkins"} {
		t.Run("corpus/"+folder, func(t *testing.T) {
			dir := testutil.CorpusDir(t, folder)
			var paths []string
			_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					// Each corpus folder holds repositories: drop the owner__repo part.
					if _, inRepo, ok := strings.Cut(filepath.ToSlash(rel), "/"); ok {
						paths = append(paths, inRepo)
					}
				}
				return nil
			})
			check(t, paths)
		})
	}
}
