package gitlab

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/parse/yamlpos"
)

// Include limits, as GitLab enforces them.
const (
	maxIncludedFiles = 150
	maxIncludeDepth  = 100
	// maxGlobEntries bounds the directory entries one glob include may walk.
	maxGlobEntries = 100_000
)

// Include kinds of model.Include.Kind.
const (
	includeLocal     = "local"
	includeRemote    = "remote"
	includeProject   = "project"
	includeTemplate  = "template"
	includeComponent = "component"
)

// loadFile decodes data as the YAML file at repoPath. Syntax errors become parse
// errors; the documents decoded before an error are kept.
func (p *parser) loadFile(data []byte, repoPath, report string) *file {
	f := &file{repoPath: repoPath, report: report, src: yamlpos.NewSource(data), data: data}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			pos := f.src.ErrorPos(err)
			pos.File = report
			p.errorAt(pos, "invalid YAML in %s: %s", displayPath(f), yamlpos.ErrorMessage(err))
			break
		}
		f.docs = append(f.docs, &doc)
	}
	switch {
	case len(f.docs) >= 2 && isSpecHeader(f.docs[0]):
		f.config = f.docs[1]
	case len(f.docs) >= 1 && !isSpecHeader(f.docs[0]):
		f.config = f.docs[0]
	}
	return f
}

// isSpecHeader reports whether doc is a `spec:` header document.
func isSpecHeader(doc *yaml.Node) bool {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := doc.Content[0]
	return len(m.Content) == 2 && m.Content[0].Value == "spec"
}

// displayPath names f in messages.
func displayPath(f *file) string {
	switch {
	case f.report != "":
		return f.report
	case f.repoPath != "":
		return f.repoPath
	}
	return "pipeline"
}

// expand converts f, pulls in its local includes (recursively, in order) and returns the
// merged configuration: the includes deep-merged in order, then f's own content on top.
// hop, when set, is the include hop that brought f in. It returns nil when the node
// budget runs out.
func (p *parser) expand(f *file, hop model.Via) *node {
	conv := converter{f: f, nodes: &p.nodes, expanding: map[*yaml.Node]bool{}}
	if f.config == nil {
		return &node{kind: yaml.MappingNode, f: f}
	}
	tree := conv.convert(f.config)
	if tree == nil {
		return nil
	}
	if !tree.isMap() {
		if !tree.isNull() {
			p.errorAt(tree.pos(), "parse %s: the top level is not a mapping", displayPath(f))
		}
		return &node{kind: yaml.MappingNode, yn: f.config, f: f}
	}
	base := &node{kind: yaml.MappingNode, yn: tree.yn, f: f}
	if inc := tree.get("include"); inc != nil {
		tree.remove("include")
		for _, entry := range includeEntries(inc) {
			for _, child := range p.include(f, entry) {
				if child == nil {
					return nil
				}
				base = deepMerge(base, child)
			}
		}
	}
	merged := deepMerge(base, tree)
	addHop(merged, hop)
	return merged
}

// includeEntries returns the entries of an include: value (a string, a mapping, or a
// list of either).
func includeEntries(inc *node) []*node {
	if inc.isSeq() {
		return inc.items
	}
	if inc.isNull() {
		return nil
	}
	return []*node{inc}
}

// include records one include entry of f and returns the expanded files it pulls in
// (a nil element means the node budget ran out).
func (p *parser) include(f *file, entry *node) []*node {
	if entry.isScalar() {
		if isURL(entry.value) {
			p.unresolvedInclude(includeRemote, entry.value, entry.pos())
			return nil
		}
		return p.includeLocal(f, entry.value, entry, nil)
	}
	if !entry.isMap() {
		return nil
	}
	if v := entry.get("local"); v.isScalar() {
		return p.includeLocal(f, v.value, v, entry.get("inputs"))
	}
	for _, kind := range []string{includeRemote, includeTemplate, includeComponent} {
		if v := entry.get(kind); v.isScalar() {
			p.unresolvedInclude(kind, v.value, v.pos())
			return nil
		}
	}
	if v := entry.get("project"); v.isScalar() {
		files := entry.get("file")
		targets := []*node{files}
		if files.isSeq() {
			targets = files.items
		}
		for _, t := range targets {
			target := v.value
			if t.isScalar() {
				target += ":" + t.value
			}
			if ref := entry.get("ref"); ref.isScalar() {
				target += "@" + ref.value
			}
			p.unresolvedInclude(includeProject, target, v.pos())
		}
	}
	return nil
}

// isURL reports whether an include string is a remote URL.
func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// unresolvedInclude records an include that is not fetched.
func (p *parser) unresolvedInclude(kind, target string, pos model.Pos) {
	p.partial = true
	p.pipeline.Includes = append(p.pipeline.Includes, model.Include{Kind: kind, Target: target, Pos: pos})
	p.pipeline.Unresolved = append(p.pipeline.Unresolved, model.Unresolved{
		Kind: "include", Name: kind + ":" + target, Reason: kind + " includes are not fetched", Pos: pos,
	})
}

// includeLocal resolves a local include of f (a path or a glob relative to the
// repository root), whose `inputs:` are given, and returns the expanded files.
func (p *parser) includeLocal(f *file, target string, at, given *node) []*node {
	pos := at.pos()
	fail := func(reason string) []*node {
		p.partial = true
		p.pipeline.Includes = append(p.pipeline.Includes, model.Include{Kind: includeLocal, Target: target, Pos: pos})
		p.pipeline.Unresolved = append(p.pipeline.Unresolved, model.Unresolved{
			Kind: "include", Name: includeLocal + ":" + target, Reason: reason, Pos: pos,
		})
		return nil
	}
	if p.in.Repo == nil {
		return fail("no repository to read local includes from")
	}
	if strings.Contains(target, "$") {
		return fail("the path uses variables")
	}
	clean := strings.TrimPrefix(path.Clean("/"+target), "/")
	paths := []string{clean}
	if strings.ContainsAny(clean, "*?{") {
		var err error
		if paths, err = globRepo(p.in.Repo, clean); err != nil {
			return fail(err.Error())
		}
		if len(paths) == 0 {
			return fail("no file matches the pattern")
		}
	}
	var out []*node
	for _, repoPath := range paths {
		child, reason := p.includeFile(f, repoPath, target, pos, given)
		if reason != "" {
			return fail(reason)
		}
		if child != nil || p.nodes.exceeded {
			out = append(out, child)
		}
	}
	return out
}

// includeFile loads, records and expands one local file. It returns a reason when the
// file cannot be read, and a nil node without reason for files that are skipped
// (already included, or closing a cycle, which is reported).
func (p *parser) includeFile(from *file, repoPath, target string, pos model.Pos, given *node) (*node, string) {
	for i, onStack := range p.stack {
		if onStack == repoPath {
			cycle := append(append([]string{}, p.stack[i:]...), repoPath)
			p.errorAt(pos, "include cycle: %s", strings.Join(cycle, " -> "))
			return nil, ""
		}
	}
	if p.included[repoPath] {
		return nil, "" // GitLab merges a file included twice only once
	}
	if len(p.stack) >= maxIncludeDepth {
		return nil, fmt.Sprintf("includes nested deeper than %d levels", maxIncludeDepth)
	}
	if len(p.included) >= maxIncludedFiles {
		return nil, fmt.Sprintf("more than %d included files", maxIncludedFiles)
	}
	data, err := parse.ReadRepoFile(p.in, repoPath)
	if err != nil {
		if errors.Is(err, parse.ErrOutsideRepo) || errors.Is(err, parse.ErrNotRegular) || errors.Is(err, parse.ErrTooLarge) {
			p.errorAt(pos, "include %s not read: %v", target, err)
		}
		return nil, err.Error()
	}
	p.included[repoPath] = true
	p.pipeline.Includes = append(p.pipeline.Includes, model.Include{Kind: includeLocal, Target: target, Resolved: true, Pos: pos})
	child := p.loadFile(data, repoPath, p.in.ReportPrefix+repoPath)
	child.included, child.inputFrom = true, passedInputs(from, given)
	p.files = append(p.files, child)
	p.stack = append(p.stack, repoPath)
	defer func() { p.stack = p.stack[:len(p.stack)-1] }()
	hop := model.Via{Kind: "include", Name: repoPath, File: from.report, Pos: pos}
	return p.expand(child, hop), ""
}

// globRepo returns the repository files matching a GitLab include glob, in lexical
// order: `*` matches within a path segment, `**` across segments, `?` one character,
// `{a,b}` alternatives.
func globRepo(repo fs.FS, pattern string) ([]string, error) {
	re, err := globRegexp(pattern)
	if err != nil {
		return nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	root := "."
	if i := strings.IndexAny(pattern, "*?{"); i > 0 {
		if j := strings.LastIndex(pattern[:i], "/"); j > 0 {
			root = pattern[:j]
		}
	}
	var out []string
	entries := 0
	err = fs.WalkDir(repo, root, func(name string, d fs.DirEntry, walkErr error) error {
		if walkErr != nil {
			return fs.SkipDir
		}
		if entries++; entries > maxGlobEntries {
			return fs.SkipAll
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return fs.SkipDir
		}
		if !d.IsDir() && re.MatchString(name) {
			out = append(out, name)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	return out, nil
}

// globRegexp translates a glob to an anchored regular expression.
func globRegexp(pattern string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	depth := 0
	runes := []rune(pattern)
	for i := 0; i < len(runes); i++ {
		switch c := runes[i]; {
		case c == '*' && i+1 < len(runes) && runes[i+1] == '*':
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '{':
			b.WriteString("(?:")
			depth++
		case c == '}' && depth > 0:
			b.WriteString(")")
			depth--
		case c == ',' && depth > 0:
			b.WriteString("|")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	for ; depth > 0; depth-- {
		b.WriteString(")")
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
