// Package untrusted is pipeguard's one table of attacker-controlled inputs: the CI
// contexts and variables whose text a fork, an issue author or a commenter writes. The
// parsers and the script layer mark interpolations and variable references with it
// (model.Interpolation.Untrusted, model.ContextRef.Untrusted, model.Ref.Untrusted).
//
// The GitHub table starts from actionlint's own knowledge of untrusted inputs
// (actionlint.BuiltinUntrustedInputs) and adds what RULES.md lists beyond it.
package untrusted

import (
	"regexp"
	"strings"
	"sync"

	"github.com/rhysd/actionlint"

	"github.com/pipeguard/pipeguard/internal/model"
)

// githubExtra are GitHub context paths that RULES.md names and actionlint does not, in
// the same dotted form (`*` for any array element).
var githubExtra = []string{
	"github.event.workflow_run.head_branch",
	"github.event.workflow_run.display_title",
	"github.event.workflow_run.head_commit.message",
	"github.event.workflow_run.head_commit.author.email",
	"github.event.workflow_run.head_commit.author.name",
	"github.event.workflow_run.pull_requests.*.head.ref",
	"github.event.pull_request.head.repo.description",
	"github.event.head_commit.committer.email",
	"github.event.head_commit.committer.name",
	"github.event.commits.*.committer.email",
	"github.event.commits.*.committer.name",
	"github.event.discussion_comment.body",
}

// trie is a tree of context path segments; a node with no children is an untrusted leaf.
type trie map[string]trie

var (
	githubOnce sync.Once
	githubTrie trie
)

// githubTable builds the GitHub trie once, from actionlint's roots and githubExtra.
func githubTable() trie {
	githubOnce.Do(func() {
		githubTrie = trie{}
		for name, root := range actionlint.BuiltinUntrustedInputs {
			githubTrie[name] = fromActionlint(root)
		}
		for _, p := range githubExtra {
			node := githubTrie
			for _, seg := range strings.Split(p, ".") {
				next, ok := node[seg]
				if !ok {
					next = trie{}
					node[seg] = next
				}
				node = next
			}
		}
	})
	return githubTrie
}

func fromActionlint(m *actionlint.UntrustedInputMap) trie {
	t := trie{}
	for name, child := range m.Children {
		t[name] = fromActionlint(child)
	}
	return t
}

// GitHub reports whether the GitHub context path (`github.event.issue.title`,
// `github.event.commits.*.message`) reads attacker-controlled text. Names are compared
// case-insensitively, as GitHub does. A `*` segment stands for any array element and,
// on an object, for any of its properties (an object filter such as
// `github.event.*.body`). With whole set the path names an object that is read as a
// whole (`toJSON(github.event)`), which is untrusted when anything below it is.
func GitHub(path string, whole bool) bool {
	if path == "" {
		return false
	}
	return matchPath(githubTable(), strings.ToLower(path), whole)
}

// matchPath reports whether the path rest, the segments below node ("" for none),
// reads untrusted text. Its recursion is bounded by the depth of the trie.
func matchPath(node trie, rest string, whole bool) bool {
	if len(node) == 0 {
		return true // a leaf: anything below an untrusted value is untrusted too
	}
	if rest == "" {
		return whole
	}
	seg, rest, _ := strings.Cut(rest, ".")
	if next, ok := node[seg]; ok {
		return matchPath(next, rest, whole)
	}
	if next, ok := node["*"]; ok && isIndex(seg) {
		return matchPath(next, rest, whole)
	}
	if seg == "*" {
		for _, next := range node {
			if matchPath(next, rest, whole) {
				return true
			}
		}
	}
	return false
}

// isIndex reports whether a path segment stands for an array element.
func isIndex(seg string) bool {
	if seg == "*" {
		return true
	}
	for _, r := range seg {
		if r < '0' || r > '9' {
			return false
		}
	}
	return seg != ""
}

// GitHubAuthorControlled reports whether the GitHub path is set by someone who can start
// the workflow by hand or through the API (workflow_dispatch inputs, repository_dispatch
// payloads): text an outsider cannot write, reported only to pedantic users.
func GitHubAuthorControlled(path string) bool {
	for _, prefix := range []string{"inputs.", "github.event.inputs.", "github.event.client_payload."} {
		if strings.HasPrefix(path, prefix) || path == strings.TrimSuffix(prefix, ".") {
			return true
		}
	}
	return false
}

// gitlabVariables are GitLab's predefined variables that hold text a merge request's
// author (a fork's, possibly) or a committer writes.
var gitlabVariables = map[string]bool{
	"CI_MERGE_REQUEST_TITLE":                      true,
	"CI_MERGE_REQUEST_DESCRIPTION":                true,
	"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME":         true,
	"CI_COMMIT_MESSAGE":                           true,
	"CI_COMMIT_TITLE":                             true,
	"CI_COMMIT_DESCRIPTION":                       true,
	"CI_COMMIT_BRANCH":                            true,
	"CI_COMMIT_REF_NAME":                          true,
	"CI_COMMIT_REF_SLUG":                          false, // slugified: safe characters only
	"CI_COMMIT_AUTHOR":                            true,
	"CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME": true,
}

// circleCIVariables are CircleCI's environment variables that hold text a pull request's
// author controls.
var circleCIVariables = map[string]bool{
	"CIRCLE_BRANCH":      true,
	"CIRCLE_TAG":         true,
	"CIRCLE_PR_USERNAME": true,
	"CIRCLE_PR_REPONAME": true,
	"CIRCLE_USERNAME":    true,
}

// JenkinsChangeVariables are the environment variables a Jenkins multibranch build of a
// change request (a pull request) has; Untrusted marks the ones whose text the change's
// author writes.
var JenkinsChangeVariables = map[string]struct{ Untrusted bool }{
	"CHANGE_ID":                  {false},
	"CHANGE_URL":                 {false},
	"CHANGE_TARGET":              {false},
	"CHANGE_FORK":                {false},
	"CHANGE_TITLE":               {true},
	"CHANGE_BRANCH":              {true},
	"CHANGE_AUTHOR":              {true},
	"CHANGE_AUTHOR_DISPLAY_NAME": {true},
	"CHANGE_AUTHOR_EMAIL":        {true},
}

// jenkinsVariables are other Jenkins variables with attacker-controlled text.
var jenkinsVariables = map[string]bool{"BRANCH_NAME": true, "GIT_COMMIT_MESSAGE": true, "GIT_BRANCH": true}

// Variable reports whether the environment variable name (read by a script as `$NAME`)
// holds attacker-controlled text on platform.
func Variable(platform, name string) bool {
	switch platform {
	case model.PlatformGitLab:
		return gitlabVariables[name]
	case model.PlatformCircleCI:
		return circleCIVariables[name]
	case model.PlatformJenkins:
		return JenkinsChangeVariables[name].Untrusted || jenkinsVariables[name]
	}
	return false
}

// interpolationPatterns are the untrusted forms of the other interpolation kinds.
var interpolationPatterns = map[string][]*regexp.Regexp{
	model.InterpCircleCI: {regexp.MustCompile(`^\s*pipeline\.git\.(branch|tag)\s*$`)},
	model.InterpGroovy: {
		regexp.MustCompile(`\benv\.(CHANGE_TITLE|CHANGE_BRANCH|BRANCH_NAME|CHANGE_AUTHOR\w*|GIT_COMMIT_MESSAGE|GIT_BRANCH)\b`),
		regexp.MustCompile(`^\s*(CHANGE_TITLE|CHANGE_BRANCH|BRANCH_NAME|CHANGE_AUTHOR\w*|GIT_COMMIT_MESSAGE|GIT_BRANCH)\s*$`),
	},
}

// Interpolation reports whether a CI interpolation of kind (model.InterpCircleCI, …)
// reads attacker-controlled text. GitHub expressions are decided from their parsed
// contexts (GitHub); GitLab `$[[ inputs.x ]]`, CircleCI pipeline parameters and Jenkins
// `params.*` are set by people who can start pipelines, which rules treat as their own
// lower-severity class.
func Interpolation(kind, expr string) bool {
	for _, re := range interpolationPatterns[kind] {
		if re.MatchString(expr) {
			return true
		}
	}
	return false
}
