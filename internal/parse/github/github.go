// Package github parses GitHub Actions workflows and action metadata files (action.yml)
// into the normalized model.
//
// The structure is read from a yaml.v3 node tree, which keeps exact positions for every
// value (including inside `run: |` block scalars) and anchors; rhysd/actionlint's own
// AST is not used for positions because it points block scalars at their `|` indicator.
// Expressions (`${{ }}` and `if:` conditions) are analysed by internal/ghexpr, whose
// byte offsets map to file positions through the scalars' textpos maps.
//
// Besides the structure, the parser fills the facts rules reason with: job and step
// conditions (conditions.go: contexts read, Always, guards; gates.go: actor checks made
// by scripts), checkouts of source code and whose code they fetch (checkouts.go),
// uploaded artifacts (artifacts.go), and every `secrets.X` the file reads.
package github

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/analyze"
	"github.com/pipeguard/pipeguard/internal/ghexpr"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
	"github.com/pipeguard/pipeguard/internal/parse/yamlpos"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/secrets"
)

func init() { parse.Register(model.PlatformGitHub, Parse) }

// Parse parses one GitHub Actions workflow or action metadata file. It never fails: a
// file it cannot read yields a Pipeline with ParseErrors.
func Parse(in parse.Input) *model.Pipeline {
	p := &parser{
		in:       in,
		src:      yamlpos.NewSource(in.Data),
		consumed: map[*yaml.Node]bool{},
		pipe:     &model.Pipeline{Platform: model.PlatformGitHub, File: in.Path},
		budget:   parse.NewBudget(in),
	}
	p.parse()
	if p.budget.Exceeded() {
		parse.TooLarge(p.pipe, p.budget.Limit())
	}
	return p.pipe
}

// parser holds the state of one Parse call.
type parser struct {
	in   parse.Input
	src  *yamlpos.Source
	pipe *model.Pipeline
	// consumed marks the scalar nodes the model already carries, so that the rest can
	// be kept in Pipeline.Values.
	consumed map[*yaml.Node]bool
	// defaults are the workflow-level `defaults.run` settings.
	defaults runDefaults
	// events are the workflow's trigger events, for the event guards of conditions.
	events []string
	// budget counts the model's weight as steps and values are built.
	budget *parse.Budget
}

// maxExpandedNodes bounds the YAML nodes of a file with its aliases expanded: the
// parser follows aliases, so an alias bomb (one anchored list of 1,000 steps reused by
// 1,000 jobs, 79 KB) would build a million steps. Real workflows hardly use aliases;
// the largest of the corpus has 40,000 nodes.
const maxExpandedNodes = 1_000_000

func (p *parser) parse() {
	var doc yaml.Node
	if err := yaml.Unmarshal(p.in.Data, &doc); err != nil {
		p.pipe.Kind = kindOf(p.in.Path, nil)
		p.errorf(p.src.ErrorPos(err), "invalid YAML: %s", yamlpos.ErrorMessage(err))
		return
	}
	if yamlpos.ExpandedSize(&doc, maxExpandedNodes) > maxExpandedNodes {
		p.pipe.Kind = kindOf(p.in.Path, nil)
		p.errorf(model.Point(1, 1), "too large to analyse: the file expands to more than %d YAML nodes through its aliases (an alias bomb?); not analysed", maxExpandedNodes)
		return
	}
	var root *yaml.Node
	if len(doc.Content) > 0 {
		root = resolve(doc.Content[0])
	}
	if root == nil || (root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
		p.pipe.Kind = kindOf(p.in.Path, nil)
		p.errorf(model.Point(1, 1), "empty file: not a GitHub Actions %s", kindName(p.pipe.Kind))
		return
	}
	if root.Kind != yaml.MappingNode {
		p.pipe.Kind = kindOf(p.in.Path, nil)
		p.errorf(p.src.Pos(root), "not a GitHub Actions %s: the top level is %s, not a mapping", kindName(p.pipe.Kind), nodeKindName(root))
		return
	}
	p.pipe.Kind = kindOf(p.in.Path, root)
	if p.pipe.Kind == model.KindAction {
		p.parseAction(root)
	} else {
		p.parseWorkflow(root)
	}
	scriptGates(p.pipe)
	inheritGuards(p.pipe)
	findCheckouts(p.pipe)
	markTaint(p.pipe)
	p.collectValues(root, "")
	p.collectSecretRefs()
}

func (p *parser) parseWorkflow(root *yaml.Node) {
	if lookup(root, "on") == nil && lookup(root, "jobs") == nil {
		p.errorf(p.src.Pos(root), "not a GitHub Actions workflow: no `on:` or `jobs:` key")
		return
	}
	if n := lookup(root, "name"); n != nil {
		p.pipe.Name = p.scalar(n)
	}
	if n := lookup(root, "on"); n != nil {
		p.pipe.Triggers = p.triggers(n)
		for _, t := range p.pipe.Triggers {
			p.events = append(p.events, t.Event)
		}
	}
	p.pipe.Permissions = p.permissions(lookup(root, "permissions"))
	p.pipe.Env = p.vars(lookup(root, "env"))
	p.defaults = p.runDefaults(lookup(root, "defaults"))
	if n := lookup(root, "on"); n != nil {
		if call := lookup(resolve(n), "workflow_call"); call != nil {
			p.pipe.Inputs = p.inputs(lookup(call, "inputs"))
		}
		for _, event := range []string{"workflow_dispatch", "workflow_call"} {
			if on := lookup(resolve(n), event); on != nil {
				p.pipe.Parameters = append(p.pipe.Parameters, p.parameters(lookup(on, "inputs"))...)
			}
		}
	}
	jobs := lookup(root, "jobs")
	if jobs == nil {
		return
	}
	if jobs.Kind != yaml.MappingNode {
		p.errorf(p.src.Pos(jobs), "`jobs:` is %s, not a mapping", nodeKindName(jobs))
		return
	}
	eachPair(jobs, func(k, v *yaml.Node) {
		if p.budget.Exceeded() {
			return
		}
		p.consumed[k] = true
		p.pipe.Jobs = append(p.pipe.Jobs, p.job(k, v))
	})
}

// job builds one job from its key and body.
func (p *parser) job(key, body *yaml.Node) model.Job {
	job := model.Job{ID: key.Value, Pos: p.src.Pos(key)}
	if body.Kind != yaml.MappingNode {
		p.errorf(p.src.Pos(body), "job %q is %s, not a mapping", key.Value, nodeKindName(body))
		return job
	}
	if n := lookup(body, "name"); n != nil {
		job.Name = p.scalar(n)
	}
	if n := lookup(body, "if"); n != nil {
		job.Condition, job.Guards = p.condition(n)
	}
	job.Needs = p.stringList(lookup(body, "needs"))
	job.Environment = p.environment(lookup(body, "environment"))
	if job.Environment != nil {
		job.Guards = append(job.Guards, environmentGuard(job.Environment))
	}
	job.Permissions = p.permissions(lookup(body, "permissions"))
	job.Env = p.vars(lookup(body, "env"))
	job.Outputs = p.vars(lookup(body, "outputs"))
	job.Runner = p.runner(body)
	if n := lookup(body, "uses"); n != nil {
		job.Uses = p.uses(n)
		job.With = p.vars(lookup(body, "with"))
		if s := lookup(body, "secrets"); s != nil {
			if s.Kind == yaml.ScalarNode && s.Value == "inherit" {
				p.consumed[s] = true
				job.SecretsInherit = true
			} else {
				job.With = append(job.With, p.vars(s)...)
			}
		}
	}
	defaults := p.defaults.overriddenBy(p.runDefaults(lookup(body, "defaults")))
	if defaults.shell == "" {
		defaults.shell = defaultShellFor(job.Runner.Labels, lookup(lookup(body, "strategy"), "matrix"))
	}
	if steps := lookup(body, "steps"); steps != nil {
		job.Steps, job.Artifacts = p.steps(steps, defaults)
	}
	return job
}

// steps builds the steps of a job or composite action, and the artifacts they upload.
func (p *parser) steps(n *yaml.Node, defaults runDefaults) ([]model.Step, []model.Artifact) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(p.src.Pos(n), "`steps:` is %s, not a sequence", nodeKindName(n))
		return nil, nil
	}
	var steps []model.Step
	var artifacts []model.Artifact
	for _, item := range n.Content {
		item = resolve(item)
		if item.Kind != yaml.MappingNode {
			p.errorf(p.src.Pos(item), "a step is %s, not a mapping", nodeKindName(item))
			continue
		}
		st := p.step(item, defaults)
		if !p.budget.Spend(&st) {
			break
		}
		if isAction(st.Uses, "actions", "upload-artifact") {
			artifacts = append(artifacts, p.uploadArtifact(st, len(steps), lookup(item, "with")))
		}
		steps = append(steps, st)
	}
	return steps, artifacts
}

func (p *parser) step(n *yaml.Node, defaults runDefaults) model.Step {
	st := model.Step{Pos: model.Point(n.Line, n.Column)}
	if v := lookup(n, "id"); v != nil {
		st.ID = p.scalar(v)
	}
	if v := lookup(n, "name"); v != nil {
		st.Name = p.scalar(v)
	}
	if v := lookup(n, "if"); v != nil {
		st.Condition, st.Guards = p.condition(v) // a step's guards do not guard its job
		st.Always = st.Condition.Always
	}
	st.Env = p.vars(lookup(n, "env"))
	shell := defaults.shell
	if v := lookup(n, "shell"); v != nil {
		shell = p.scalar(v)
	}
	switch {
	case lookup(n, "run") != nil:
		st.Kind = model.StepRun
		st.Run = p.run(lookup(n, "run"), shell)
		st.WorkingDirectory = defaults.workingDirectory
		if v := lookup(n, "working-directory"); v != nil {
			wd := p.text("working-directory", v)
			st.WorkingDirectory = &wd
		}
	case lookup(n, "uses") != nil:
		st.Kind = model.StepAction
		st.Uses = p.uses(lookup(n, "uses"))
		st.With = p.varsWithPasswords(lookup(n, "with"), passwordInputs)
	default:
		// A step kind this parser does not know (GitHub keeps adding some, such as
		// `wait-all:` for parallel steps): kept, never an error.
		st.Kind = model.StepBuiltin
	}
	return st
}

// run analyses a `run:` script.
func (p *parser) run(n *yaml.Node, shell string) *model.Run {
	if n.Kind != yaml.ScalarNode {
		p.errorf(p.src.Pos(n), "`run:` is %s, not a string", nodeKindName(n))
		return &model.Run{Shell: shell}
	}
	p.consumed[n] = true
	value, m := p.src.Scalar(n)
	if !script.Knows(shellName(shell)) {
		// A custom shell of a language pipeguard does not read (`shell: tcc -run {0}`):
		// its interpolations and secrets, but no commands.
		return &model.Run{Shell: shell, Script: p.text("", n)}
	}
	src := script.Source{Text: value, Map: m, Shell: shellName(shell), Dialect: script.DialectGitHub}
	run, errs := analyze.Run(src)
	if shell == "" && len(errs) > 0 {
		// The runner is chosen at run time and may be Windows, whose default shell is
		// PowerShell: a script that is no valid bash is read as PowerShell.
		src.Shell = "pwsh"
		if ps, psErrs := analyze.Run(src); len(psErrs) == 0 {
			run, errs = ps, nil
		}
	}
	run.Shell = shell
	for _, e := range errs {
		e.Message = "script not fully analysed: " + e.Message
		e.Partial = true
		parse.AddError(p.pipe, e)
	}
	return run
}

// runner decides where a job runs and how isolated it is.
func (p *parser) runner(job *yaml.Node) model.Runner {
	r := model.Runner{Kind: model.RunnerUnknown, Isolation: model.IsolationUnknown}
	if n := lookup(job, "runs-on"); n != nil {
		r.Pos = p.src.Pos(n)
		r.Labels = p.runsOnLabels(n)
		r.Kind, r.Isolation = runnerFromLabels(r.Labels, p.in.RunnerIsolation)
	}
	if n := lookup(job, "container"); n != nil {
		c := p.container(n)
		r.Image = c.Image
		r.Credentials = c.Credentials
		r.Pos = c.Pos
		r.Kind = model.RunnerContainer
		r.Isolation = model.IsolationIsolated
		escapes := isolation.DockerArgs(c.options)
		escapes.Merge(isolation.Volumes(c.volumes))
		escapes.Apply(&r)
	}
	if n := lookup(job, "services"); n != nil && n.Kind == yaml.MappingNode {
		eachPair(n, func(k, v *yaml.Node) {
			p.consumed[k] = true
			c := p.container(v)
			r.Services = append(r.Services, model.Service{Name: k.Value, Image: c.Image, Env: c.Env, Credentials: c.Credentials, Pos: p.src.Pos(k)})
		})
	}
	return r
}

// containerSpec is a job container or service as written.
type containerSpec struct {
	Image       string
	Env         []model.Var
	Credentials []model.Var
	options     string
	volumes     []string
	Pos         model.Pos
}

func (p *parser) container(n *yaml.Node) containerSpec {
	c := containerSpec{Pos: p.src.Pos(n)}
	if n.Kind == yaml.ScalarNode {
		c.Image = p.scalar(n)
		return c
	}
	if v := lookup(n, "image"); v != nil {
		c.Image = p.scalar(v)
		c.Pos = p.src.Pos(v)
	}
	if v := lookup(n, "options"); v != nil {
		c.options = p.scalar(v)
	}
	c.volumes = p.stringList(lookup(n, "volumes"))
	c.Env = p.vars(lookup(n, "env"))
	c.Credentials = p.varsWithPasswords(lookup(n, "credentials"), credentialPasswords)
	return c
}

// parseAction parses an action metadata file (action.yml).
func (p *parser) parseAction(root *yaml.Node) {
	if n := lookup(root, "name"); n != nil {
		p.pipe.Name = p.scalar(n)
	}
	p.pipe.Inputs = p.inputs(lookup(root, "inputs"))
	runs := lookup(root, "runs")
	if runs == nil {
		p.errorf(p.src.Pos(root), "not a GitHub Action: no `runs:` key")
		return
	}
	if runs.Kind != yaml.MappingNode {
		p.errorf(p.src.Pos(runs), "`runs:` is %s, not a mapping", nodeKindName(runs))
		return
	}
	using := ""
	if n := lookup(runs, "using"); n != nil {
		using = p.scalar(n)
	}
	job := model.Job{
		ID:     "action",
		Name:   p.pipe.Name,
		Pos:    model.Point(runs.Line, runs.Column),
		Runner: model.Runner{Kind: model.RunnerUnknown, Isolation: model.IsolationUnknown},
	}
	job.Env = p.vars(lookup(runs, "env"))
	if using == "composite" {
		if steps := lookup(runs, "steps"); steps != nil {
			job.Steps, job.Artifacts = p.steps(steps, runDefaults{})
		}
	}
	p.pipe.Jobs = append(p.pipe.Jobs, job)
}

// inputs reads an `inputs:` block (action or workflow_call), keeping each default.
func (p *parser) inputs(n *yaml.Node) []model.Var {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var vars []model.Var
	eachPair(n, func(k, v *yaml.Node) {
		p.consumed[k] = true
		in := model.Var{Name: k.Value, Pos: p.src.Pos(k)}
		if d := lookup(v, "default"); d != nil && d.Kind == yaml.ScalarNode {
			in.Value = p.text(k.Value, d)
		}
		vars = append(vars, in)
	})
	return vars
}

// parameters reads the typed `inputs:` of a workflow_dispatch or workflow_call trigger:
// each input's type (string unless `type:` says otherwise), default and `options:`. A
// default already read (a workflow_call input's, which Pipeline.Inputs carries) is not
// read twice.
func (p *parser) parameters(n *yaml.Node) []model.Parameter {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out []model.Parameter
	eachPair(n, func(k, v *yaml.Node) {
		prm := model.Parameter{Name: k.Value, Type: "string", Pos: p.src.Pos(k)}
		if t := lookup(v, "type"); t != nil && t.Kind == yaml.ScalarNode {
			prm.Type = t.Value
		}
		if d := lookup(v, "default"); d != nil && d.Kind == yaml.ScalarNode && !p.consumed[d] {
			t := p.text(k.Value, d)
			prm.Default = &t
		}
		if o := lookup(v, "options"); o != nil && o.Kind == yaml.SequenceNode {
			for _, item := range o.Content {
				if item = resolve(item); item.Kind == yaml.ScalarNode {
					prm.Enum = append(prm.Enum, item.Value)
				}
			}
		}
		out = append(out, prm)
	})
	return out
}

// Known password fields: a literal there is a hard-coded password whatever it looks
// like (secrets.ScanPassword).
var (
	// credentialPasswords are the keys of a container's or service's `credentials:`
	// that hold a password.
	credentialPasswords = map[string]bool{"password": true}
	// passwordInputs are the action inputs that take a registry password
	// (docker/login-action and the like).
	passwordInputs = map[string]bool{"password": true, "registry-password": true}
)

// vars reads a mapping of names to values (env:, with:, secrets:, credentials:).
func (p *parser) vars(n *yaml.Node) []model.Var {
	return p.varsWithPasswords(n, nil)
}

// varsWithPasswords reads a mapping of names to values in which the names in passwords
// are known password fields.
func (p *parser) varsWithPasswords(n *yaml.Node, passwords map[string]bool) []model.Var {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode { // an expression such as ${{ fromJSON(...) }}
			return []model.Var{{Name: "", Pos: p.src.Pos(n), Value: p.text("", n)}}
		}
		return nil
	}
	var vars []model.Var
	eachPair(n, func(k, v *yaml.Node) {
		p.consumed[k] = true
		vr := model.Var{Name: k.Value, Pos: p.src.Pos(k)}
		if v.Kind == yaml.ScalarNode {
			vr.Value = p.text(k.Value, v)
			if passwords[k.Value] {
				value, m := p.src.Scalar(v)
				vr.Value.LiteralSecrets = secrets.ScanPassword(k.Value, value, m)
			}
		} else {
			vr.Value = model.Text{Pos: p.src.Pos(v)}
		}
		vr.SecretRef = exactSecretRef(vr.Value)
		vars = append(vars, vr)
	})
	return vars
}

// text analyses a scalar value of key and marks it consumed.
func (p *parser) text(key string, n *yaml.Node) model.Text {
	if n.Kind != yaml.ScalarNode {
		return model.Text{Pos: p.src.Pos(n)}
	}
	p.consumed[n] = true
	value, m := p.src.Scalar(n)
	return analyze.Text(key, value, m, script.DialectGitHub)
}

// scalar returns a scalar's value and marks it consumed; other kinds give "".
func (p *parser) scalar(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return ""
	}
	p.consumed[n] = true
	return n.Value
}

// stringList reads a scalar or a sequence of scalars.
func (p *parser) stringList(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{p.scalar(n)}
	}
	var out []string
	for _, c := range n.Content {
		if c = resolve(c); c.Kind == yaml.ScalarNode {
			out = append(out, p.scalar(c))
		}
	}
	return out
}

// runsOnLabels reads `runs-on:` as a label, a list of labels, or {group, labels}.
func (p *parser) runsOnLabels(n *yaml.Node) []string {
	if n.Kind == yaml.MappingNode {
		var labels []string
		if g := lookup(n, "group"); g != nil {
			labels = append(labels, "group:"+p.scalar(g))
		}
		return append(labels, p.stringList(lookup(n, "labels"))...)
	}
	return p.stringList(n)
}

func (p *parser) environment(n *yaml.Node) *model.Environment {
	if n == nil {
		return nil
	}
	env := &model.Environment{Pos: p.src.Pos(n)}
	if n.Kind == yaml.ScalarNode {
		env.Name = p.scalar(n)
		return env
	}
	if v := lookup(n, "name"); v != nil {
		env.Name = p.scalar(v)
	}
	if v := lookup(n, "url"); v != nil {
		env.URL = p.scalar(v)
	}
	return env
}

func (p *parser) permissions(n *yaml.Node) *model.Permissions {
	if n == nil {
		return nil
	}
	perm := &model.Permissions{Pos: p.src.Pos(n)}
	switch n.Kind {
	case yaml.ScalarNode:
		perm.All = p.scalar(n)
	case yaml.MappingNode:
		perm.Scopes = map[string]string{}
		eachPair(n, func(k, v *yaml.Node) {
			p.consumed[k] = true
			perm.Scopes[k.Value] = p.scalar(v)
		})
		if len(perm.Scopes) == 0 {
			perm.All = "none"
		}
	}
	return perm
}

// runDefaults are the `defaults.run` settings of a workflow or job, which apply to its
// run steps.
type runDefaults struct {
	shell string
	// workingDirectory is `working-directory:`, nil when not set.
	workingDirectory *model.Text
}

// runDefaults reads a `defaults:` block.
func (p *parser) runDefaults(n *yaml.Node) runDefaults {
	var d runDefaults
	run := lookup(n, "run")
	if run == nil {
		return d
	}
	if sh := lookup(run, "shell"); sh != nil {
		d.shell = p.scalar(sh)
	}
	if wd := lookup(run, "working-directory"); wd != nil {
		t := p.text("working-directory", wd)
		d.workingDirectory = &t
	}
	return d
}

// overriddenBy returns the settings of inner (a job's), with d's (the workflow's)
// where inner has none.
func (d runDefaults) overriddenBy(inner runDefaults) runDefaults {
	if inner.shell == "" {
		inner.shell = d.shell
	}
	if inner.workingDirectory == nil {
		inner.workingDirectory = d.workingDirectory
	}
	return inner
}

// collectValues keeps every scalar the model does not carry yet in Pipeline.Values.
func (p *parser) collectValues(n *yaml.Node, keyPath string) {
	switch n.Kind {
	case yaml.ScalarNode:
		if !p.consumed[n] && n.Value != "" && !p.budget.Exceeded() {
			p.consumed[n] = true
			value, m := p.src.Scalar(n)
			key := keyPath[strings.LastIndex(keyPath, ".")+1:]
			v := model.Var{
				Name:  keyPath,
				Pos:   model.Point(n.Line, n.Column),
				Value: analyze.Text(key, value, m, script.DialectGitHub),
			}
			p.budget.Spend(&v)
			p.pipe.Values = append(p.pipe.Values, v)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p.collectValues(n.Content[i+1], joinPath(keyPath, n.Content[i].Value))
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p.collectValues(c, joinPath(keyPath, strconv.Itoa(i)))
		}
	}
}

// collectSecretRefs lists every `secrets.X` context the file reads, on the pipeline and
// on the job that holds it. A computed key (`secrets[format(…)]`) names no secret: its
// context says Computed and Whole instead.
func (p *parser) collectSecretRefs() {
	var refs secretRefs
	refs.vars(p.pipe.Env, p.pipe.Inputs, p.pipe.Values)
	p.pipe.Secrets = refs
	for i := range p.pipe.Jobs {
		job := &p.pipe.Jobs[i]
		var jobRefs secretRefs
		jobRefs.vars(job.Env, job.With, job.Outputs, job.Runner.Credentials)
		for _, s := range job.Runner.Services {
			jobRefs.vars(s.Env, s.Credentials)
		}
		if job.Condition != nil {
			jobRefs.contexts(job.Condition.Reads)
		}
		for _, st := range job.Steps {
			if st.Condition != nil {
				jobRefs.contexts(st.Condition.Reads)
			}
			jobRefs.vars(st.Env, st.With)
			if st.Run != nil {
				jobRefs.text(st.Run.Script)
			}
		}
		job.Secrets = jobRefs
		p.pipe.Secrets = append(p.pipe.Secrets, jobRefs...)
	}
}

// secretRefs collects the secret references of values.
type secretRefs []model.SecretRef

func (r *secretRefs) vars(lists ...[]model.Var) {
	for _, list := range lists {
		for _, v := range list {
			r.text(v.Value)
		}
	}
}

func (r *secretRefs) text(t model.Text) {
	for _, in := range t.Interpolations {
		r.contexts(in.Contexts)
	}
}

func (r *secretRefs) contexts(list []model.ContextRef) {
	for _, c := range list {
		if name, ok := secretName(c); ok {
			*r = append(*r, model.SecretRef{Kind: model.SecretGitHub, Name: name, Pos: c.Pos})
		}
	}
}

// secretName returns X for a context that reads `secrets.X`.
func secretName(c model.ContextRef) (string, bool) {
	root, rest, ok := strings.Cut(c.Path, ".")
	if !ok || c.Computed || !strings.EqualFold(root, "secrets") {
		return "", false
	}
	name, _, _ := strings.Cut(rest, ".")
	return name, name != "" && name != "*"
}

// exactSecretRef returns the secret a value refers to when the value is nothing but
// one `${{ secrets.X }}` expression.
func exactSecretRef(t model.Text) *model.SecretRef {
	if len(t.Interpolations) != 1 || !isWholeExpression(t.Value) {
		return nil
	}
	in := t.Interpolations[0]
	if len(in.Contexts) != 1 {
		return nil
	}
	c := in.Contexts[0]
	name, ok := secretName(c)
	if !ok || len(c.Funcs) > 0 || c.Derived || c.Whole {
		return nil
	}
	// The expression must be the access alone, not `secrets.X || 'default'`.
	reads, err := ghexpr.Reads(in.Expr)
	if err != nil || len(reads) != 1 || reads[0].Start != 0 || reads[0].End != len(in.Expr) {
		return nil
	}
	return &model.SecretRef{Kind: model.SecretGitHub, Name: name, Pos: c.Pos}
}

func isWholeExpression(v string) bool {
	v = strings.TrimSpace(v)
	return strings.HasPrefix(v, "${{") && strings.HasSuffix(v, "}}") && strings.Count(v, "${{") == 1
}

func (p *parser) errorf(pos model.Pos, format string, args ...any) {
	parse.AddError(p.pipe, model.ParseError{Message: fmt.Sprintf(format, args...), Pos: pos})
}

// kindOf decides whether a file is a workflow or an action metadata file.
func kindOf(filePath string, root *yaml.Node) string {
	if k := kindFromPath(filePath); k != "" {
		return k
	}
	if lookup(root, "runs") != nil && lookup(root, "jobs") == nil {
		return model.KindAction
	}
	return model.KindWorkflow
}

func kindFromPath(filePath string) string {
	base := path.Base(filePath)
	switch {
	case strings.Contains("/"+filePath, "/.github/workflows/"):
		return model.KindWorkflow
	case base == "action.yml" || base == "action.yaml":
		return model.KindAction
	}
	return ""
}

func kindName(kind string) string {
	if kind == model.KindAction {
		return "action"
	}
	return "workflow"
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
