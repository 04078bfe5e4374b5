package discover

import (
	"path"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// A file's path relative to its repository root (File.Root) decides what it is, in
// three degrees:
//
//   - named: the path alone says it is a pipeline (.github/workflows/*.yml, action.yml,
//     .gitlab-ci.yml, .circleci/config.yml, the Jenkinsfile names): it is scanned.
//   - candidate: its place makes it likely (any YAML file under .circleci/, a GitLab
//     CI/CD component under templates/, a .groovy file, an extensionless file in a
//     Jenkins folder) and its content decides (content.go). A candidate in a CI folder
//     that turns out not to be a pipeline is reported as skipped, with the reason; one
//     elsewhere (any .groovy file, templates/ of a Helm chart) is left alone silently.
//   - anything else is not looked at.

// kind says how a path is judged.
type kind uint8

const (
	notPipeline kind = iota
	named
	circleciCandidate  // a YAML file under .circleci/: a CircleCI config by content
	componentCandidate // templates/x.yml or templates/x/template.yml: a GitLab component by content
	groovyCandidate    // a .groovy file outside Jenkins folders: a pipeline by content
	jenkinsFolderFile  // an extensionless file in a Jenkins folder: a pipeline by content
)

// jenkinsFolders are directory names whose Groovy files are Jenkins pipelines (matched
// without regard to case, at any depth below the repository root).
var jenkinsFolders = []string{"jenkins", ".jenkins", "ci", "pipelines"}

// notGroovyExtensions are extensions that make a Jenkinsfile-like name something else:
// its documentation, a data file, a script of another language, an editor's leftovers.
var notGroovyExtensions = []string{
	"md", "markdown", "txt", "rst", "adoc", "html", "htm", "json", "yml", "yaml", "xml", "toml",
	"png", "jpg", "jpeg", "gif", "svg", "sh", "bash", "py", "ps1", "bat", "cmd", "properties",
	"orig", "rej", "bak", "swp", "tmp",
}

// classify judges rel, a slash-separated path relative to the repository root.
func classify(rel string) (kind, string) {
	base := path.Base(rel)
	dir := path.Dir(rel)
	switch {
	case path.Base(dir) == "workflows" && path.Base(path.Dir(dir)) == ".github" && isYAML(base):
		return named, model.PlatformGitHub
	case base == "action.yml" || base == "action.yaml":
		return named, model.PlatformGitHub
	case base == ".gitlab-ci.yml" || strings.HasSuffix(base, ".gitlab-ci.yml"):
		return named, model.PlatformGitLab
	case path.Base(dir) == ".circleci" && (base == "config.yml" || base == "config.yaml"):
		return named, model.PlatformCircleCI
	case isJenkinsfileName(base) || underDir(dir, "jenkinsfile.d"):
		return named, model.PlatformJenkins
	case isYAML(base) && underDir(dir, ".circleci"):
		return circleciCandidate, model.PlatformCircleCI
	case isYAML(base) && isComponentPath(dir, base):
		return componentCandidate, model.PlatformGitLab
	case strings.HasSuffix(strings.ToLower(base), ".groovy"):
		if inJenkinsFolder(dir) {
			return named, model.PlatformJenkins
		}
		return groovyCandidate, model.PlatformJenkins
	case !strings.Contains(strings.TrimPrefix(base, "."), ".") && inJenkinsFolder(dir):
		return jenkinsFolderFile, model.PlatformJenkins
	}
	return notPipeline, ""
}

// PlatformOf returns the platform an explicitly named file belongs to, judged by its
// path alone, or "" when the path says nothing. It accepts more than the directory walk
// does (any YAML file under .circleci/ or .github/workflows/, GitLab's .gitlab-ci.yaml,
// any .groovy file).
func PlatformOf(p string) string {
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if k, platform := classify(p); k != notPipeline && k != componentCandidate && k != jenkinsFolderFile {
		return platform
	}
	base := path.Base(p)
	switch {
	case strings.Contains("/"+p, "/.github/workflows/") && isYAML(base):
		return model.PlatformGitHub
	case base == ".gitlab-ci.yaml" || strings.HasSuffix(base, ".gitlab-ci.yaml"):
		return model.PlatformGitLab
	}
	return ""
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")
}

// isJenkinsfileName reports whether a file name, compared without regard to case, is a
// Jenkinsfile's: `Jenkinsfile`, `Jenkinsfile.release`, `Jenkinsfile_k8s`,
// `JenkinsfileBase`, `JenkinsFile`, `build.jenkinsfile`, `cpu_jenkinsfile.groovy` —
// but not `Jenkinsfile.md` or other documentation, data or scripts named after one.
func isJenkinsfileName(base string) bool {
	lower := strings.ToLower(base)
	if i := strings.LastIndexByte(lower, '.'); i > 0 {
		for _, ext := range notGroovyExtensions {
			if lower[i+1:] == ext {
				return false
			}
		}
	}
	return strings.HasPrefix(lower, "jenkinsfile") || strings.HasSuffix(strings.TrimSuffix(lower, ".groovy"), "jenkinsfile")
}

// underDir reports whether some directory of dir (a slash path) is named name, compared
// without regard to case.
func underDir(dir, name string) bool {
	for _, d := range strings.Split(dir, "/") {
		if strings.EqualFold(d, name) {
			return true
		}
	}
	return false
}

func inJenkinsFolder(dir string) bool {
	for _, f := range jenkinsFolders {
		if underDir(dir, f) {
			return true
		}
	}
	return false
}

// isComponentPath reports whether dir/base is where a GitLab CI/CD component lives:
// templates/<name>.yml or templates/<name>/template.yml.
func isComponentPath(dir, base string) bool {
	if path.Base(dir) == "templates" {
		return true
	}
	return strings.TrimSuffix(strings.TrimSuffix(base, ".yml"), ".yaml") == "template" && path.Base(path.Dir(dir)) == "templates"
}
