package github

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// uploadArtifact describes the artifact an `actions/upload-artifact` step uploads: its
// name, the entries of its `path:` input (one per line, blank and `#` comment lines
// dropped, each with its own position) and its `retention-days`. with is the step's
// `with:` node; index is the step's place in its job.
func (p *parser) uploadArtifact(st model.Step, index int, with *yaml.Node) model.Artifact {
	a := model.Artifact{Kind: model.ArtifactGitHubUpload, Step: model.StepLabel(st, index), Pos: st.Uses.Pos}
	for _, v := range st.With {
		switch v.Name {
		case "name":
			a.Name = v.Value.Value
		case "retention-days":
			expire := v.Value
			a.ExpireIn = &expire
		}
	}
	n := lookup(with, "path")
	if n == nil || n.Kind != yaml.ScalarNode {
		return a
	}
	value, m := p.src.Scalar(n)
	for start := 0; start < len(value); {
		end := strings.IndexByte(value[start:], '\n')
		if end < 0 {
			end = len(value)
		} else {
			end += start
		}
		s, e := start, end
		for s < e && isSpace(value[s]) {
			s++
		}
		for e > s && isSpace(value[e-1]) {
			e--
		}
		if s < e && value[s] != '#' {
			a.Paths = append(a.Paths, value[s:e])
			a.PathPos = append(a.PathPos, m.Pos(s, e))
		}
		start = end + 1
	}
	return a
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// isAction reports whether u calls the action owner/repo (at any version; owner and
// repository names are case-insensitive), not an action in a subdirectory of it.
func isAction(u *model.Uses, owner, repo string) bool {
	return u != nil && !u.Local && !u.Docker && u.Path == "" &&
		strings.EqualFold(u.Owner, owner) && strings.EqualFold(u.Repo, repo)
}
