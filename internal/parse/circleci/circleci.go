// Package circleci parses CircleCI configuration (versions 2 and 2.1) into the normalized
// model.
//
// Jobs. Every workflow entry is its own Job, and so is every combination of an entry's
// matrix, named as CircleCI names it (`test-3.11`: the job's name and the values, by
// parameter name, or the entry's `name:` with its `<< matrix.x >>` filled in). A Job's
// ID is that name, prefixed with the workflow's (`nightly/test`) when several workflows
// run that name, then suffixed `#2`, `#3`, … while taken; its Name is the job
// definition's and its Pos the definition's key, so that findings in its steps point at
// the definition. Contexts, triggers, needs (the IDs of the required jobs), guards and
// the workflow's `when:` come from that entry alone. A definition that no workflow runs
// still gives one Job with its parameters at their defaults (without workflows, CircleCI
// runs `build` on every push). A matrix gives at most maxMatrixJobs jobs per entry; the
// other combinations become one more job (`test-*`) whose parameters take every matrix
// value, like a job with several possible executors (the least isolated wins), and a
// partial parse error says so. A file gives at most maxJobs jobs.
//
// Expansion. Local `commands` and `executors` are expanded statically: a job's steps
// include the steps of every command it invokes, each carrying a command Via and keeping
// the position of the command's own definition, so a finding inside a command points at
// the command's line and names the job. Steps- and executor-typed parameters expand the
// steps and executors they name. The values a command or job receives are recorded in
// Step.With and Job.With, each with the Via that says where the value came from.
//
// Parameters. `<< parameters.x >>` takes the value that the workflow entry or the
// invoking command passes, else the parameter's default; `<< pipeline.parameters.x >>`
// takes the pipeline parameter's default. Known values are filled into run scripts,
// environment values and built-in step arguments before they are analysed, every filled
// byte mapped to the `<< … >>` it replaces: `codex exec << parameters.flags >>` with the
// default `--yolo` gives the argv word `--yolo` at the interpolation, and the script's
// Substitutions say which spans were filled. Interpolations list every `<< … >>` as
// written, filled or not. Unknown values (`<< pipeline.git.branch >>`, a parameter
// without a value) stay as written. A filled-in value is not expanded again (one level,
// as CircleCI does). A literal secret inside a filled-in value is reported where the
// value is written (the default or the argument), not again at each use.
//
// Triggers and guards. A pipeline starts on pushes, on pull requests (builds of forked
// pull requests included, when the project builds them) and on schedules. Every trigger
// has Secrets set: whether builds of forked pull requests get the project's secrets and
// contexts ("Pass secrets to builds from forked pull requests") is a project setting
// pipeguard cannot see, so it assumes they may. An entry whose filters keep builds of
// forked pull requests (branch `pull/N`) out — a `branches.only` that does not match
// it, a `branches.ignore` that does, as in tag-only jobs — runs on pushes only and has a
// branch-filter Guard at the filter; so does an entry whose requirements are all
// restricted (Detail "requires: a, b"). An entry that waits for an approval job has an
// actor Guard: approving takes write access to the project.
//
// Checkouts, artifacts and runners. A `checkout` step is a Checkout of target base: the
// commit the pipeline runs for, which on a build of a pull request is the pull request's
// code (the triggers tell which); its SSH key stays in ~/.ssh for the later steps
// (PersistCredentials). `store_artifacts` and `persist_to_workspace` are Artifacts.
// `docker:` executors are isolated containers (CircleCI's docker image options — image,
// auth, environment, entrypoint, command, user — include nothing that undoes the
// isolation, so Runner.Escapes stays empty), `machine:` and `macos:` are ephemeral VMs,
// and a `resource_class: namespace/name` is a self-hosted runner with isolation none;
// configured runner labels (the resource class) override the isolation.
//
// Registry orbs stay opaque: they are listed with their reference and position, and their
// commands, jobs and executors make steps of kind "orb" and mark jobs incomplete.
package circleci

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/analyze"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/parse/yamlpos"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/secrets"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

const dialect = script.DialectCircleCI

func init() { parse.Register(model.PlatformCircleCI, Parse) }

// Parse turns one CircleCI configuration file into a Pipeline. It never fails: YAML it
// cannot read becomes ParseErrors with positions, and unknown keys are kept as Values.
func Parse(in parse.Input) *model.Pipeline {
	p := newParser(in)
	p.parse()
	if p.budget.Exceeded() {
		parse.TooLarge(p.out, p.budget.Limit())
	}
	return p.out
}

// newParser returns the state of one Parse call.
func newParser(in parse.Input) *parser {
	return &parser{
		in:         in,
		src:        yamlpos.NewSource(in.Data),
		out:        &model.Pipeline{Platform: model.PlatformCircleCI, File: in.Path, Kind: model.KindPipeline},
		consumed:   map[*yaml.Node]bool{},
		fieldCache: map[*yaml.Node][]field{},
		texts:      map[textKey]model.Text{},
		runs:       map[runKey]*model.Run{},
		reported:   map[string]bool{},
		budget:     parse.NewBudget(in),

		pipelineDefaults: map[string]*yaml.Node{},
		spanCache:        map[string][]templateSpan{},
		nodeSpans:        map[*yaml.Node][]templateSpan{},
		stepCount:        map[string]int{},
		branchPatterns:   map[string]*regexp.Regexp{},
	}
}

// definition is a named entry of `commands:`, `executors:` or `jobs:`.
type definition struct {
	name  string
	key   *yaml.Node
	value *yaml.Node
	via   []model.Via
}

// orb is an entry of `orbs:`.
type orb struct {
	alias string
	ref   string // namespace/name@version as written; empty for inline orbs
	pos   model.Pos
}

// textKey identifies an analysed Text: the scalar, the key it is the value of, and the
// parameter values filled in (fillPlan.key).
type textKey struct {
	node   *yaml.Node
	key    string
	values string
}

// runKey identifies an analysed script: the scalar, its shell and the parameter values
// filled in.
type runKey struct {
	node   *yaml.Node
	shell  string
	values string
}

// parser holds the state of one Parse call.
type parser struct {
	in  parse.Input
	src *yamlpos.Source
	out *model.Pipeline

	// unescape is true for configurations processed by CircleCI's 2.1 compiler, which
	// turns `\<<` into `<<`.
	unescape bool

	visits    int
	exhausted bool
	// filledBytes counts the bytes of parameter values filled in (maxFilledBytes).
	filledBytes int
	steps       int
	// stepLimitReported is true once the step limit's parse error is recorded.
	stepLimitReported bool
	jobCount          int
	// jobLimitReported is true once the job limit's parse error is recorded.
	jobLimitReported bool
	// consumed marks the scalars the model carries, so that Values gets only the rest.
	consumed map[*yaml.Node]bool
	// fieldCache holds the result of fields per mapping node.
	fieldCache map[*yaml.Node][]field
	texts      map[textKey]model.Text
	runs       map[runKey]*model.Run
	reported   map[string]bool
	// budget counts the model's weight as jobs are built.
	budget *parse.Budget

	orbs      map[string]orb
	commands  map[string]definition
	executors map[string]definition
	// pipelineDefaults holds the scalar default of each pipeline parameter.
	pipelineDefaults map[string]*yaml.Node
	// spanCache holds templateSpans per text, nodeSpans per scalar; offsets is the
	// byte-offset map templateSpans uses.
	spanCache map[string][]templateSpan
	nodeSpans map[*yaml.Node][]templateSpan
	offsets   *textpos.Map
	// stepCount remembers how many steps the last Job of each definition got, so that
	// the next Job of that definition allocates its steps once.
	stepCount map[string]int
	// branchPatterns caches compiled branch filters (nil for unreadable ones).
	branchPatterns map[string]*regexp.Regexp
}

func (p *parser) parse() {
	var doc yaml.Node
	if err := yaml.Unmarshal(p.in.Data, &doc); err != nil {
		p.errorAt(p.src.ErrorPos(err), "invalid YAML: "+yamlpos.ErrorMessage(err))
		return
	}
	root, _ := p.deref(&doc)
	if root == nil || root.Kind == 0 || (root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
		p.errorAt(model.Point(1, 1), "empty file: not a CircleCI configuration")
		return
	}
	if root.Kind != yaml.MappingNode {
		p.errorAt(nodePoint(root), "the top level of a CircleCI configuration must be a mapping")
		return
	}
	top := p.fields(root)
	version, hasVersion := get(top, "version")
	p.unescape = !hasVersion || (p.str(version.value) != "2" && p.str(version.value) != "2.0")
	jobsField, hasJobs := get(top, "jobs")
	workflowsField, hasWorkflows := get(top, "workflows")
	if !hasVersion && !hasJobs && !hasWorkflows {
		p.errorAt(nodePoint(root), "no version, jobs or workflows: not a CircleCI configuration")
	}
	p.readOrbs(value(top, "orbs"))
	p.readPipelineParameters(value(top, "parameters"))
	p.commands = p.definitions(value(top, "commands"))
	p.executors = p.definitions(value(top, "executors"))
	jobDefs := p.definitions(value(top, "jobs"))

	triggerPos := nodePoint(workflowsField.key)
	if !hasWorkflows {
		triggerPos = nodePoint(jobsField.key)
	}
	if hasWorkflows || hasJobs {
		p.out.Triggers = []model.Trigger{
			{Event: "push", Trust: model.TrustTrusted, Secrets: true, Pos: triggerPos},
			{Event: "pull_request", Trust: model.TrustUntrusted, Secrets: true, Pos: triggerPos},
		}
	}
	ids := newIDSet()
	wf := p.readWorkflows(workflowsField.value, jobDefs, ids)
	for _, inst := range wf.instances {
		if p.budget.Exceeded() {
			return
		}
		var job model.Job
		if def, local := jobDefs[inst.inv.ref]; local {
			job = p.buildJob(def, inst.id, inst)
		} else {
			job = p.buildOrbJob(inst)
		}
		p.budget.Spend(&job)
		p.out.Jobs = append(p.out.Jobs, job)
	}
	for _, name := range orderedNames(value(top, "jobs"), jobDefs) {
		def := jobDefs[name]
		if wf.runs[name] || p.budget.Exceeded() || !p.claimJob(p.src.Pos(def.key)) {
			continue
		}
		job := p.buildJob(def, ids.claim(name), nil)
		p.budget.Spend(&job)
		if !hasWorkflows && name == "build" {
			// Without workflows CircleCI runs the build job on every push, pull-request
			// branches included.
			job.Triggers = untrustedTriggers(job.Pos, nil)
		}
		p.out.Jobs = append(p.out.Jobs, job)
	}
	if !p.budget.Exceeded() {
		p.collectValues(root, "", "", nil)
	}

}

// errorAt records a parse error once per message and position.
func (p *parser) errorAt(pos model.Pos, msg string) {
	p.addError(model.ParseError{Message: msg, Pos: pos})
}

// addError records e once per message and position, up to parse.MaxErrors errors.
func (p *parser) addError(e model.ParseError) {
	key := e.Pos.String() + " " + e.Message
	if len(p.out.ParseErrors) > parse.MaxErrors || p.reported[key] {
		return
	}
	p.reported[key] = true
	parse.AddError(p.out, e)
}

// unresolved records something the parser cannot see into, once per kind, name and
// position.
func (p *parser) unresolved(kind, name, reason string, pos model.Pos) {
	key := "unresolved " + kind + " " + name + " " + pos.String()
	if p.reported[key] {
		return
	}
	p.reported[key] = true
	p.out.Unresolved = append(p.out.Unresolved, model.Unresolved{Kind: kind, Name: name, Reason: reason, Pos: pos})
}

// text builds the model Text of scalar n, the value of key, and marks n as carried.
func (p *parser) text(key string, n *yaml.Node) model.Text {
	n = p.scalar(n)
	if n == nil {
		return model.Text{}
	}
	p.consumed[n] = true
	tk := textKey{node: n, key: key}
	if t, ok := p.texts[tk]; ok {
		return t
	}
	v, m := p.src.Scalar(n)
	t := analyzeText(key, v, m)
	p.texts[tk] = t
	return t
}

// passwordSecrets returns the literal secrets of scalar n, the value of key, a known
// password field (secrets.ScanPassword).
func (p *parser) passwordSecrets(key string, n *yaml.Node) []model.LiteralSecret {
	if n = p.scalar(n); n == nil {
		return nil
	}
	v, m := p.src.Scalar(n)
	return secrets.ScanPassword(key, v, m)
}

// carried returns the value of scalar n and marks it as carried by the model.
func (p *parser) carried(n *yaml.Node) string {
	n = p.scalar(n)
	if n == nil {
		return ""
	}
	p.consumed[n] = true
	return n.Value
}

// definitions reads a mapping of named definitions (commands, executors, jobs).
func (p *parser) definitions(n *yaml.Node) map[string]definition {
	defs := map[string]definition{}
	for _, f := range p.fields(n) {
		value, via := p.deref(f.value)
		if value == nil {
			continue
		}
		defs[f.key.Value] = definition{name: f.key.Value, key: f.key, value: value, via: prepend(via, f.via)}
	}
	return defs
}

// orderedNames returns the names of defs in file order (merged names first).
func orderedNames(n *yaml.Node, defs map[string]definition) []string {
	names := make([]string, 0, len(defs))
	seen := map[string]bool{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n == nil || n.Kind != yaml.MappingNode || depth > maxMergeDepth {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if isMergeKey(n.Content[i]) {
				walk(n.Content[i+1], depth+1)
				continue
			}
			name := n.Content[i].Value
			if _, ok := defs[name]; ok && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	walk(n, 0)
	return names
}

// readOrbs records every orb as an include and an unresolved reference.
func (p *parser) readOrbs(n *yaml.Node) {
	p.orbs = map[string]orb{}
	for _, f := range p.fields(n) {
		alias := f.key.Value
		value, _ := p.deref(f.value)
		if value == nil {
			continue
		}
		o := orb{alias: alias, pos: p.src.Pos(value)}
		if value.Kind == yaml.ScalarNode {
			o.ref = p.carried(value)
			p.out.Includes = append(p.out.Includes, model.Include{Kind: "orb", Target: o.ref, Pos: o.pos})
			p.unresolved("orb", o.ref, "orb "+strconv.Quote(alias)+" is not fetched: its commands, jobs and executors are not analysed", o.pos)
		} else {
			o.pos = nodePoint(f.key)
			p.out.Includes = append(p.out.Includes, model.Include{Kind: "orb", Target: alias, Pos: o.pos})
			p.unresolved("orb", alias, "inline orb "+strconv.Quote(alias)+" is not expanded (an empty one is filled in when the orb is packed)", o.pos)
		}
		p.orbs[alias] = o
	}
}

// readPipelineParameters records the pipeline parameters and keeps their scalar
// defaults, the values `<< pipeline.parameters.x >>` takes.
func (p *parser) readPipelineParameters(n *yaml.Node) {
	p.out.Parameters = p.parameters(n)
	p.pipelineDefaults = map[string]*yaml.Node{}
	for _, f := range p.fields(n) {
		if d := p.scalar(value(p.fields(f.value), "default")); d != nil && d.Tag != "!!null" {
			p.pipelineDefaults[f.key.Value] = d
		}
	}
}

// collectValues adds to Values every string scalar of the file that the model does not
// carry elsewhere, named by its dotted key path and placed at its key (at the value
// itself inside sequences). keyName is the nearest key above n; keyNode is that key
// when n is its value directly. Aliases are not followed: the nodes they point at are
// visited where they are defined.
func (p *parser) collectValues(n *yaml.Node, path, keyName string, keyNode *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			p.collectValues(c, path, keyName, nil)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p.collectValues(c, join(path, strconv.Itoa(i)), keyName, nil)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if !isMergeKey(k) {
				p.collectValues(n.Content[i+1], join(path, k.Value), valueKey(path, k.Value), k)
			}
		}
	case yaml.ScalarNode:
		if p.consumed[n] || n.Value == "" || !isStringTag(n.Tag) {
			return
		}
		v, m := p.src.Scalar(n)
		pos := p.src.Pos(n)
		if keyNode != nil {
			pos = p.src.Pos(keyNode)
		}
		p.out.Values = append(p.out.Values, model.Var{Name: path, Pos: pos, Value: analyzeText(keyName, v, m)})
	}
}

// valueKey is the key a value is analysed under: its own key, except for a parameter's
// `default:`, which is analysed under the parameter's name (a literal default of a
// `token` parameter is a credential).
func valueKey(path, key string) string {
	if key != "default" {
		return key
	}
	parts := strings.Split(path, ".")
	if len(parts) >= 2 && parts[len(parts)-2] == "parameters" {
		return parts[len(parts)-1]
	}
	return key
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// isStringTag reports whether a scalar with this tag can hold text (not a number,
// boolean or null).
func isStringTag(tag string) bool {
	switch tag {
	case "!!int", "!!float", "!!bool", "!!null", "!!timestamp":
		return false
	}
	return true
}

// analyzeText builds the Text of value, the value of key, mapped to the file by m.
func analyzeText(key, value string, m *textpos.Map) model.Text {
	return analyze.Text(key, value, m, dialect)
}
