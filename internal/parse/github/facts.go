package github

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
	"github.com/pipeguard/pipeguard/internal/parse/yamlpos"
)

// Short names for the shared YAML helpers.
var (
	resolve      = yamlpos.Resolve
	lookup       = yamlpos.Lookup
	eachPair     = yamlpos.EachPair
	nodeKindName = yamlpos.KindName
)

// eventTrust gives the trust level of each GitHub event. Events not listed are trusted.
var eventTrust = map[string]string{
	// Text or code from forks or outsiders reaches these runs.
	"pull_request_target":         model.TrustUntrusted,
	"pull_request":                model.TrustUntrusted,
	"workflow_run":                model.TrustUntrusted,
	"issues":                      model.TrustUntrusted,
	"issue_comment":               model.TrustUntrusted,
	"discussion":                  model.TrustUntrusted,
	"discussion_comment":          model.TrustUntrusted,
	"pull_request_review":         model.TrustUntrusted,
	"pull_request_review_comment": model.TrustUntrusted,
	// Started by the platform or by another workflow.
	"schedule":            model.TrustInternal,
	"workflow_call":       model.TrustInternal,
	"repository_dispatch": model.TrustInternal,
	"merge_group":         model.TrustInternal,
	"check_run":           model.TrustInternal,
	"check_suite":         model.TrustInternal,
	"status":              model.TrustInternal,
	"deployment_status":   model.TrustInternal,
}

// withoutSecrets are the events whose runs from a fork get no secrets and a read-only
// token (Trigger.Secrets false).
var withoutSecrets = map[string]bool{
	"pull_request":                true,
	"pull_request_review":         true,
	"pull_request_review_comment": true,
}

func trustOf(event string) string {
	if t, ok := eventTrust[event]; ok {
		return t
	}
	return model.TrustTrusted
}

// triggers reads `on:` in its three forms: a string, a list, or a mapping of events.
func (p *parser) triggers(n *yaml.Node) []model.Trigger {
	var out []model.Trigger
	add := func(k *yaml.Node, filters []string) {
		p.consumed[k] = true
		out = append(out, model.Trigger{
			Event: k.Value, Trust: trustOf(k.Value), Secrets: !withoutSecrets[k.Value], Filters: filters, Pos: p.src.Pos(k),
		})
	}
	switch n.Kind {
	case yaml.ScalarNode:
		add(n, nil)
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c = resolve(c); c.Kind == yaml.ScalarNode {
				add(c, nil)
			}
		}
	case yaml.MappingNode:
		eachPair(n, func(k, v *yaml.Node) {
			var filters []string
			eachPair(v, func(fk, fv *yaml.Node) {
				if fk.Value == "inputs" || fk.Value == "outputs" || fk.Value == "secrets" {
					return
				}
				for _, f := range p.stringList(fv) {
					filters = append(filters, fk.Value+":"+f)
				}
			})
			add(k, filters)
		})
	}
	return out
}

var (
	fullSHA    = regexp.MustCompile(`^[0-9a-f]{40}$`)
	tagPattern = regexp.MustCompile(`^v?\d+(\.\d+)*([-+.][0-9A-Za-z.-]+)?$`)
)

// uses parses an action or reusable-workflow reference.
func (p *parser) uses(n *yaml.Node) *model.Uses {
	ref := p.scalar(n)
	u := &model.Uses{Ref: ref, RefKind: model.RefNone, Pos: p.src.Pos(n)}
	switch {
	case strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "../"):
		u.Local = true
		u.Path = ref
		return u
	case strings.HasPrefix(ref, "docker://"):
		u.Docker = true
		image := strings.TrimPrefix(ref, "docker://")
		u.Path = image
		if at := strings.Index(image, "@sha256:"); at >= 0 {
			u.Version, u.RefKind = image[at+1:], model.RefSHA
		} else if colon := strings.LastIndex(image, ":"); colon > strings.LastIndex(image, "/") {
			u.Version, u.RefKind = image[colon+1:], model.RefTag
		}
		return u
	}
	name, version, hasVersion := strings.Cut(ref, "@")
	parts := strings.SplitN(name, "/", 3)
	u.Owner = parts[0]
	if len(parts) > 1 {
		u.Repo = parts[1]
	}
	if len(parts) > 2 {
		u.Path = parts[2]
	}
	if hasVersion {
		u.Version = version
		u.RefKind = refKind(version)
	}
	return u
}

func refKind(version string) string {
	switch {
	case fullSHA.MatchString(version):
		return model.RefSHA
	case tagPattern.MatchString(version):
		return model.RefTag
	}
	return model.RefBranch
}

// runnerFromLabels decides runner kind and isolation from `runs-on` labels. Config
// (label → isolation) wins; `self-hosted` or a runner group means a host pipeguard cannot
// see; GitHub-hosted labels mean a fresh VM per job; anything else is a custom label,
// which in practice names a self-hosted or larger runner: unknown.
func runnerFromLabels(labels []string, configured isolation.Labels) (kind, iso string) {
	if iso, ok := configured.Lookup(labels); ok {
		return isolation.KindFor(iso), iso
	}
	if len(labels) == 0 {
		return model.RunnerUnknown, model.IsolationUnknown
	}
	hosted := false
	for _, l := range labels {
		switch {
		case strings.EqualFold(l, "self-hosted") || strings.HasPrefix(l, "group:"):
			return model.RunnerSelfHosted, model.IsolationNone
		case strings.Contains(l, "${{"):
			return model.RunnerUnknown, model.IsolationUnknown
		case isolation.IsGitHubHosted(l):
			hosted = true
		}
	}
	if hosted {
		return model.RunnerHosted, model.IsolationEphemeral
	}
	return model.RunnerUnknown, model.IsolationUnknown
}

// defaultShellFor returns GitHub's default shell for a job's runner labels: pwsh on
// Windows, bash elsewhere, and "" when the runner is chosen at run time
// (`runs-on: ${{ matrix.os }}`) and may be Windows: its matrix holds a Windows label, or
// the expression reads something other than the matrix (an input). Run then reads the
// script as bash, or as PowerShell when it is no valid bash.
func defaultShellFor(labels []string, matrix *yaml.Node) string {
	dynamic := false
	for _, l := range labels {
		switch {
		case strings.HasPrefix(strings.ToLower(l), "windows"):
			return "pwsh"
		case strings.Contains(l, "${{"):
			dynamic = true
			if !strings.Contains(l, "matrix.") || holdsWindowsLabel(matrix) {
				return ""
			}
		}
	}
	if dynamic && holdsWindowsLabel(matrix) {
		return ""
	}
	return "bash"
}

// holdsWindowsLabel reports whether a job's `strategy.matrix` has a value naming a
// Windows runner (`windows-latest`, `windows-2022`).
func holdsWindowsLabel(n *yaml.Node) bool {
	found := false
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = resolve(n)
		if n == nil || found || depth > maxMatrixDepth {
			return
		}
		if n.Kind == yaml.ScalarNode {
			found = strings.HasPrefix(strings.ToLower(n.Value), "windows")
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return found
}

// maxMatrixDepth bounds the nesting holdsWindowsLabel follows (a matrix is a mapping of
// lists of scalars or mappings: four levels; aliases may nest deeper).
const maxMatrixDepth = 16

// shellName reduces a `shell:` value ("bash -e {0}", "pwsh", "python {0}") to the
// interpreter name that internal/script understands.
func shellName(shell string) string {
	fields := strings.Fields(shell)
	if len(fields) == 0 {
		return ""
	}
	name := fields[0]
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSuffix(name, ".exe")
}
