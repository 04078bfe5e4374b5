// Package untrusted is pipeguard's one table of attacker-controlled inputs: the CI
// contexts and variables whose text a fork, an issue author or a commenter writes. The
// parsers and the script layer mark interpolations and variable references with it
// (model.Interpolation.Untrusted, model.ContextRef.Untrusted, model.Ref.Untrusted).
// It also says which contexts only people who can start a pipeline set
// (AuthorControlled: inputs, dispatch payloads, pipeline and build parameters) and which
// untrusted values are git ref names (RefName, GitHubRefName), which git keeps free of
// blanks and glob characters.
//
// The GitHub table starts from actionlint's own knowledge of untrusted inputs
// (actionlint.BuiltinUntrustedInputs) and adds what RULES.md lists beyond it.
package untrusted

import (
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

// authorPrefixes are, per interpolation kind, the context paths (lower-cased) that only
// people who can start the pipeline set: GitHub workflow_dispatch, workflow_call and
// composite-action inputs and dispatch payloads, GitLab component inputs, CircleCI
// pipeline parameters, Jenkins build parameters. A path equal to a prefix without its
// dot names the whole object.
var authorPrefixes = map[string][]string{
	model.InterpGitHub:   {"inputs.", "github.event.inputs.", "github.event.client_payload."},
	model.InterpGitLab:   {"inputs."},
	model.InterpCircleCI: {"pipeline.parameters."},
	model.InterpGroovy:   {"params."},
}

// GitHubAuthorControlled reports whether the GitHub path is set by someone who can start
// the workflow by hand or through the API (workflow_dispatch inputs, repository_dispatch
// payloads): text an outsider cannot write, reported only to pedantic users.
func GitHubAuthorControlled(path string) bool {
	return AuthorControlled(model.InterpGitHub, path)
}

// AuthorControlled reports whether the context path of an interpolation of kind
// (`inputs.x`, `pipeline.parameters.x`, `params.X`) holds text that only people who can
// start the pipeline set. Paths are compared case-insensitively.
func AuthorControlled(kind, path string) bool {
	path = strings.ToLower(strings.TrimSpace(path))
	for _, prefix := range authorPrefixes[kind] {
		if strings.HasPrefix(path, prefix) || path == strings.TrimSuffix(prefix, ".") {
			return true
		}
	}
	return false
}

// shape says what an attacker-controlled variable holds.
type shape int

const (
	// freeText can hold anything: blanks, newlines, quotes, `$(…)`.
	freeText shape = iota + 1
	// refName is a git branch or tag name: chosen by the attacker, but git refuses
	// names with blanks, control characters, `*`, `?`, `[` or a leading `-`.
	refName
	// login is a user or repository name on the git host: chosen by its owner, but
	// GitHub, GitLab and Bitbucket allow only letters, digits, `-`, `_` and `.` in it,
	// so it carries no shell or template syntax and is not attacker-controlled text
	// (GitHub's own table, actionlint's, leaves out `github.actor` and `*.login` too).
	login
)

// attackerText reports whether a variable of this shape holds text an attacker can
// fill with code: free text or a ref name.
func (s shape) attackerText() bool {
	return s == freeText || s == refName
}

// gitlabVariables are GitLab's predefined variables that hold text a merge request's
// author (a fork's, possibly) or a committer writes. ($CI_COMMIT_REF_SLUG is not one:
// it is slugified to safe characters.)
var gitlabVariables = map[string]shape{
	"CI_MERGE_REQUEST_TITLE":                      freeText,
	"CI_MERGE_REQUEST_DESCRIPTION":                freeText,
	"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME":         refName,
	"CI_COMMIT_MESSAGE":                           freeText,
	"CI_COMMIT_TITLE":                             freeText,
	"CI_COMMIT_DESCRIPTION":                       freeText,
	"CI_COMMIT_BRANCH":                            refName,
	"CI_COMMIT_REF_NAME":                          refName,
	"CI_COMMIT_AUTHOR":                            freeText,
	"CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME": refName,
}

// circleCIVariables are CircleCI's environment variables that hold text a pull request's
// author chooses.
var circleCIVariables = map[string]shape{
	"CIRCLE_BRANCH":      refName,
	"CIRCLE_TAG":         refName,
	"CIRCLE_PR_USERNAME": login,
	"CIRCLE_PR_REPONAME": login,
	"CIRCLE_USERNAME":    login,
}

// githubVariables are the runner's default environment variables that hold text a
// fork's author controls (the shell form of `github.head_ref`).
var githubVariables = map[string]shape{"GITHUB_HEAD_REF": refName}

// JenkinsChangeVariables are the environment variables a Jenkins multibranch build of a
// change request (a pull request) has, with the shape of the text of those the change's
// author chooses (zero for the others).
var JenkinsChangeVariables = map[string]shape{
	"CHANGE_ID":                  0,
	"CHANGE_URL":                 0,
	"CHANGE_TARGET":              0,
	"CHANGE_FORK":                0,
	"CHANGE_TITLE":               freeText,
	"CHANGE_BRANCH":              refName,
	"CHANGE_AUTHOR":              login,
	"CHANGE_AUTHOR_DISPLAY_NAME": freeText,
	"CHANGE_AUTHOR_EMAIL":        freeText,
}

// jenkinsVariables are the Jenkins variables with attacker-controlled text: those of
// JenkinsChangeVariables, and the branch and commit variables of every build.
var jenkinsVariables = func() map[string]shape {
	m := map[string]shape{"BRANCH_NAME": refName, "GIT_BRANCH": refName, "GIT_COMMIT_MESSAGE": freeText}
	for name, sh := range JenkinsChangeVariables {
		if sh.attackerText() {
			m[name] = sh
		}
	}
	return m
}()

// variableShapes are the tables of Variable and RefName, by platform.
var variableShapes = map[string]map[string]shape{
	model.PlatformGitHub:   githubVariables,
	model.PlatformGitLab:   gitlabVariables,
	model.PlatformCircleCI: circleCIVariables,
	model.PlatformJenkins:  jenkinsVariables,
}

// Variable reports whether the environment variable name (read by a script as `$NAME`)
// holds attacker-controlled text on platform.
func Variable(platform, name string) bool {
	return variableShapes[platform][name].attackerText()
}

// RefName reports whether the attacker-controlled variable name holds a git branch or
// tag name on platform (model.Ref.RefName).
func RefName(platform, name string) bool {
	return variableShapes[platform][name] == refName
}

// githubRefNames are the attacker-controlled GitHub contexts (lower-cased) that hold a
// branch name or `owner:branch` label.
var githubRefNames = map[string]bool{
	"github.head_ref":                                    true,
	"github.event.pull_request.head.ref":                 true,
	"github.event.pull_request.head.label":               true,
	"github.event.pull_request.head.repo.default_branch": true,
	"github.event.workflow_run.head_branch":              true,
	"github.event.workflow_run.pull_requests.*.head.ref": true,
}

// GitHubRefName reports whether the GitHub context path holds a git branch name (or an
// `owner:branch` label), which git keeps free of blanks and glob characters.
func GitHubRefName(path string) bool {
	return githubRefNames[strings.ToLower(path)]
}

// circleCIValues are the CircleCI pipeline values that hold text a pull request's
// author controls.
var circleCIValues = map[string]shape{"pipeline.git.branch": refName, "pipeline.git.tag": refName}

// Interpolation reports whether a CI interpolation of kind (model.InterpCircleCI, …)
// reads attacker-controlled text: CircleCI `<< pipeline.git.branch >>` and
// `<< pipeline.git.tag >>`; a Groovy expression reading an attacker-controlled Jenkins
// variable (`env.CHANGE_TITLE` anywhere in it, or a bare `BRANCH_NAME` as the whole
// expression). GitHub expressions are decided from their parsed contexts (GitHub);
// GitLab `$[[ inputs.x ]]`, CircleCI pipeline parameters and Jenkins `params.*` are set
// by people who can start pipelines (AuthorControlled), which rules treat as their own
// lower-severity class.
func Interpolation(kind, expr string) bool {
	expr = strings.TrimSpace(expr)
	switch kind {
	case model.InterpCircleCI:
		return circleCIValues[expr] != 0
	case model.InterpGroovy:
		return jenkinsVariables[expr] != 0 || readsJenkinsEnv(expr)
	}
	return false
}

// readsJenkinsEnv reports whether a Groovy expression reads `env.NAME` of an
// attacker-controlled Jenkins variable, `env` standing at the start of a name.
func readsJenkinsEnv(expr string) bool {
	for rest, at := expr, 0; ; {
		i := strings.Index(rest, "env.")
		if i < 0 {
			return false
		}
		name := rest[i+len("env."):]
		if at+i == 0 || !isNameByte(expr[at+i-1]) {
			end := 0
			for end < len(name) && isNameByte(name[end]) {
				end++
			}
			if jenkinsVariables[name[:end]] != 0 {
				return true
			}
		}
		rest, at = name, at+i+len("env.")
	}
}

func isNameByte(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
