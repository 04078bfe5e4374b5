package jenkins

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
)

// artifact returns what an `archiveArtifacts`, `archive` or `stash` step keeps, or nil
// for other steps. archiveArtifacts takes comma-separated Ant patterns, positional or as
// `artifacts:`; its deprecated form `archive` takes them positional or as `includes:`;
// `stash name: 'x', includes: 'a/**'` keeps its includes, or the whole workspace (`**`,
// placed at the step) when it has none.
func (p *parser) artifact(c *groovy.Call) *model.Artifact {
	switch c.Path() {
	case "archiveArtifacts", "archive":
		a := &model.Artifact{Kind: model.ArtifactJenkinsArchive, Pos: c.Pos}
		if e := argument(c.Args, archivePatterns[c.Path()]); e != nil {
			p.addPatterns(a, e)
		}
		return a
	case "stash":
		a := &model.Artifact{Kind: model.ArtifactJenkinsStash, Pos: c.Pos}
		if e := argument(c.Args, "name"); e != nil {
			a.Name = p.str(e)
		}
		if e := namedArgument(c.Args, "includes"); e != nil {
			p.addPatterns(a, e)
		} else {
			a.Paths, a.PathPos = []string{"**"}, []model.Pos{c.Pos}
		}
		return a
	}
	return nil
}

// archivePatterns names the argument that holds the patterns of each archiving step.
var archivePatterns = map[string]string{"archiveArtifacts": "artifacts", "archive": "includes"}

// addPatterns adds the comma-separated patterns of e to a, each at its own position; an
// expression that is not a string is one pattern, as written.
func (p *parser) addPatterns(a *model.Artifact, e groovy.Expr) {
	s, ok := e.(*groovy.String)
	if !ok {
		a.Paths = append(a.Paths, p.source(e.Span()))
		a.PathPos = append(a.PathPos, e.Span())
		return
	}
	text, m := s.Decoded()
	for start := 0; start <= len(text); {
		end := strings.IndexByte(text[start:], ',')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		from, to := start, end
		for from < to && isSpace(text[from]) {
			from++
		}
		for to > from && isSpace(text[to-1]) {
			to--
		}
		if to > from {
			a.Paths = append(a.Paths, text[from:to])
			a.PathPos = append(a.PathPos, m.Pos(from, to))
		}
		start = end + 1
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// argument returns the value of the named argument name, or else of the first
// positional argument.
func argument(args []*groovy.Arg, name string) groovy.Expr {
	if e := namedArgument(args, name); e != nil {
		return e
	}
	for _, a := range args {
		if a.Name == "" {
			return a.Value
		}
	}
	return nil
}

// namedArgument returns the value of the named argument name, or nil.
func namedArgument(args []*groovy.Arg, name string) groovy.Expr {
	for _, a := range args {
		if a.Name == name {
			return a.Value
		}
	}
	return nil
}
