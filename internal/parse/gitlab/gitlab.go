// Package gitlab parses GitLab CI configuration (.gitlab-ci.yml and the files it
// includes) into the normalized model.
//
// Resolution follows GitLab's order: YAML anchors, aliases and `<<` merges per file,
// `include: local` (recursively, globs allowed, paths relative to the repository root),
// `extends` (deep merge, depth ≤ 11), `!reference` (depth ≤ 10), then `default:` job
// defaults. Every value keeps the position where it is written, in the file it is
// written in, plus the chain of hops (model.Via) that brought it to the job.
package gitlab

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// dialect is the template syntax of GitLab values ($[[ inputs.x ]]).
const dialect = script.DialectGitLab

func init() {
	parse.Register(model.PlatformGitLab, Parse)
}

// Parse parses one GitLab CI file, pulling in its local includes from in.Repo. It never
// fails: problems are reported in the Pipeline's ParseErrors, and what could not be seen
// (remote includes, unknown extends targets) in Unresolved and Job.Incomplete.
func Parse(in parse.Input) *model.Pipeline {
	p := &parser{
		in:         in,
		pipeline:   &model.Pipeline{Platform: model.PlatformGitLab, Kind: model.KindPipeline, File: in.Path},
		included:   map[string]bool{},
		consumed:   map[*yaml.Node]bool{},
		errorSeen:  map[model.ParseError]bool{},
		conditions: newConditions(),
		runs:       map[string]*model.Run{},
		maps:       map[*yaml.Node]*textpos.Map{},
		reads:      map[*yaml.Node][]model.ContextRef{},
		budget:     parse.NewBudget(in),
	}
	p.run()
	return p.pipeline
}

// parser holds the state of one Parse call.
type parser struct {
	in       parse.Input
	pipeline *model.Pipeline
	// nodes counts the tree nodes expansion creates; budget the model's weight as jobs
	// and values are built.
	nodes  nodeBudget
	budget *parse.Budget
	// files are all files read, the root first.
	files []*file
	// included holds the repository paths of included files; stack the include chain
	// being expanded (for cycle detection).
	included map[string]bool
	stack    []string
	// partial is set when part of the configuration could not be seen.
	partial bool
	// consumed holds the source scalars that the model carries as Text, so that the
	// sweep into Pipeline.Values does not repeat them.
	consumed map[*yaml.Node]bool
	// refs, while a job (or the global section) is built, collects its references to
	// credential-named variables.
	refs *refCollector
	// errorSeen holds the parse errors recorded so far.
	errorSeen map[model.ParseError]bool
	// conditions, runs, maps and reads memoize work that templates repeat across jobs.
	conditions *conditions
	runs       map[string]*model.Run
	maps       map[*yaml.Node]*textpos.Map
	// reads holds the variables each rules:if (or only:variables) scalar reads.
	reads map[*yaml.Node][]model.ContextRef
}

// run parses the root file and builds the pipeline.
func (p *parser) run() {
	root := p.loadFile(p.in.Data, p.in.RepoPath, "")
	p.files = append(p.files, root)
	p.specParameters(root)
	if p.in.RepoPath != "" {
		p.stack = append(p.stack, p.in.RepoPath)
	}
	config := p.expand(root, model.Via{})
	if config != nil {
		r := newResolver(p, config)
		r.resolve()
		if !p.nodes.exceeded {
			p.build(r)
		}
	}
	if p.nodes.exceeded {
		p.errorAt(model.Point(1, 1), "parse %s: %v", displayPath(root), errTooLarge)
	}
	if !p.budget.Exceeded() {
		p.sweepValues()
	}
	if p.budget.Exceeded() {
		parse.TooLarge(p.pipeline, p.budget.Limit())
	}
}

// errorAt records a parse error at pos.
func (p *parser) errorAt(pos model.Pos, format string, args ...any) {
	p.addError(model.ParseError{Message: fmt.Sprintf(format, args...), Pos: pos})
}

// addError records e once (a template used by several jobs is analysed once per job),
// up to parse.MaxErrors errors.
func (p *parser) addError(e model.ParseError) {
	if len(p.pipeline.ParseErrors) > parse.MaxErrors || p.errorSeen[e] {
		return
	}
	p.errorSeen[e] = true
	parse.AddError(p.pipeline, e)
}
