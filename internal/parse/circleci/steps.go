package circleci

import (
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/analyze"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/script"
)

// expansion is where steps are being expanded: the job they belong to, the parameter
// values in scope, and how the current body was reached.
type expansion struct {
	job   *model.Job
	scope *scope
	with  []model.Var      // Step.With of the steps written in the current body
	via   []model.Via      // hops that led to the current body, innermost first
	cond  *model.Condition // condition of the enclosing when/unless step
	shell string           // the job's or executor's shell
	depth int              // nesting of command and steps-parameter expansion
	stack []string         // commands being expanded, outermost first
}

// expandSteps expands a `steps:` list; via is the hop that brought the list (a merge).
func (p *parser) expandSteps(ctx *expansion, n *yaml.Node, via []model.Via) {
	if p.stepLimitReached(ctx, nodePoint(n)) {
		return
	}
	for _, it := range p.items(n) {
		if p.stepLimitReached(ctx, nodePoint(it.node)) {
			return // before the step is built: its script would be analysed for nothing
		}
		p.step(ctx, it.node, prepend(it.via, prepend(via, ctx.via)))
	}
}

// step expands one step: a name (`- checkout`, `- my-command`) or a one-key mapping.
func (p *parser) step(ctx *expansion, n *yaml.Node, via []model.Via) {
	switch n.Kind {
	case yaml.ScalarNode:
		p.invoke(ctx, p.carried(n), nil, p.src.Pos(n), via)
	case yaml.MappingNode:
		fs := p.fields(n)
		if len(fs) == 0 {
			return
		}
		f := fs[0]
		via = prepend(f.via, via)
		switch f.key.Value {
		case "run", "deploy":
			p.runStep(ctx, f, via)
		case "when", "unless":
			fields := p.fields(f.value)
			inner := *ctx
			inner.cond = p.condition(value(fields, "condition"), f.key)
			inner.via = via
			steps, _ := get(fields, "steps")
			p.expandSteps(&inner, steps.value, steps.via)
		case "steps":
			p.stepsParameter(ctx, f, via)
		default:
			p.invoke(ctx, f.key.Value, f.value, p.src.Pos(f.key), via)
		}
	}
}

// invoke expands a named step: a built-in, a local command, or an orb command.
func (p *parser) invoke(ctx *expansion, name string, args *yaml.Node, pos model.Pos, via []model.Via) {
	if name == "" {
		return
	}
	if builtinSteps[name] {
		p.builtinStep(ctx, name, args, pos, via)
		return
	}
	if def, ok := p.commands[name]; ok {
		p.expandCommand(ctx, def, args, pos, via)
		return
	}
	step := model.Step{Kind: model.StepBuiltin, Name: name, Pos: pos, Via: via, Condition: ctx.cond, With: ctx.with}
	if strings.Contains(name, "/") {
		argFields := p.fields(args)
		step.Kind = model.StepOrb
		step.Uses = p.orbUses(name, pos)
		step.With = p.argVars(ctx.scope, argFields)
		ctx.job.Incomplete = true
		p.addStep(ctx, step)
		p.expandStepArgs(ctx, name, argFields, nil)
		return
	}
	ctx.job.Incomplete = true
	p.unresolved("command", name, "command "+name+" is not defined in this file", pos)
	p.addStep(ctx, step)
}

// addStep appends step to the job, within the per-file step limit, and reports whether
// it did.
func (p *parser) addStep(ctx *expansion, step model.Step) bool {
	if p.stepLimitReached(ctx, step.Pos) {
		return false
	}
	p.steps++
	ctx.job.Steps = append(ctx.job.Steps, step)
	return true
}

// stepLimitReached reports whether the file has reached its step limit, recording a
// parse error (once) and marking the job incomplete when it has.
func (p *parser) stepLimitReached(ctx *expansion, pos model.Pos) bool {
	if p.steps < maxSteps {
		return false
	}
	ctx.job.Incomplete = true
	if !p.stepLimitReported {
		p.stepLimitReported = true
		p.errorAt(pos, fmt.Sprintf("expansion limit reached: more than %d steps after command expansion; the rest is not analysed", maxSteps))
	}
	return true
}

// runStep builds a run step from `run: script` or `run: {command, name, shell, …}`.
func (p *parser) runStep(ctx *expansion, f field, via []model.Via) {
	step := model.Step{Kind: model.StepRun, Pos: p.src.Pos(f.key), Via: via, Condition: ctx.cond, With: ctx.with}
	command := p.scalar(f.value)
	shell := ctx.shell
	if command == nil {
		fs := p.fields(f.value)
		command = p.scalar(value(fs, "command"))
		step.Name = p.carried(value(fs, "name"))
		if s := p.carried(value(fs, "shell")); s != "" {
			shell = s
		}
		step.Env = p.env(value(fs, "environment"), via, ctx.scope)
		if c := p.runCondition(value(fs, "when"), ctx.scope); c != nil {
			step.Condition, step.Always = c, c.Always
		}
	}
	if command != nil {
		step.Run = p.script(command, shell, ctx.scope)
	}
	p.addStep(ctx, step)
}

// script analyses the script of scalar n as the steps of scope sc run it (known
// parameter values filled in, see fill), once per shell and set of values.
// Script.Interpolations lists every `<< … >>` as written, filled in or not.
func (p *parser) script(n *yaml.Node, shell string, sc *scope) *model.Run {
	p.consumed[n] = true
	pl := p.planFill(n, sc)
	key := runKey{node: n, shell: shell, values: pl.key}
	if run, ok := p.runs[key]; ok {
		return run
	}
	f := p.fill(pl, p.unescape)
	run, errs := analyze.Run(script.Source{Text: f.text, Map: f.m, Shell: shellName(shell), Dialect: dialect, Substitutions: f.subs})
	run.Script.Interpolations = f.interps
	run.Script.LiteralSecrets = outside(run.Script.LiteralSecrets, f.subPos)
	for _, e := range errs {
		e.Message = "script not fully analysed: " + e.Message
		e.Partial = true
		p.addError(e)
	}
	p.runs[key] = run
	return run
}

// shellName reduces a CircleCI `shell:` command line to the interpreter's name:
// "/bin/bash -eo pipefail" is bash, "powershell.exe" is powershell.
func shellName(shell string) string {
	fields := strings.Fields(shell)
	if len(fields) == 0 {
		return ""
	}
	name := path.Base(strings.ReplaceAll(fields[0], `\`, "/"))
	return strings.TrimSuffix(strings.ToLower(name), ".exe")
}

// expandCommand expands a local command: its steps keep their own positions and get a
// command Via at the invocation; the arguments become the steps' With.
func (p *parser) expandCommand(ctx *expansion, def definition, args *yaml.Node, pos model.Pos, via []model.Via) {
	if ctx.depth >= maxDepth || contains(ctx.stack, def.name) {
		ctx.job.Incomplete = true
		chain := strings.Join(append(append([]string(nil), ctx.stack...), def.name), " → ")
		p.errorAt(pos, "command expansion stopped (recursion or nesting deeper than "+fmt.Sprint(maxDepth)+"): "+chain)
		return
	}
	fs := p.fields(def.value)
	sc := p.argScope(value(fs, "parameters"), p.fields(args), ctx.scope)
	inner := &expansion{
		job:   ctx.job,
		scope: sc,
		with:  sc.with,
		via:   prepend([]model.Via{{Kind: "command", Name: def.name, Pos: pos}}, via),
		cond:  ctx.cond,
		shell: ctx.shell,
		depth: ctx.depth + 1,
		stack: append(append([]string(nil), ctx.stack...), def.name),
	}
	steps, _ := get(fs, "steps")
	p.expandSteps(inner, steps.value, prepend(steps.via, def.via))
}

// stepsParameter expands `- steps: << parameters.x >>` with every list of steps x may
// hold (or a literal list), each in the scope where it was written.
func (p *parser) stepsParameter(ctx *expansion, f field, via []model.Via) {
	if ctx.depth >= maxDepth {
		ctx.job.Incomplete = true
		p.errorAt(p.src.Pos(f.key), fmt.Sprintf("steps expansion stopped: nesting deeper than %d", maxDepth))
		return
	}
	v := p.scalar(f.value)
	if v == nil {
		inner := *ctx
		inner.via = via
		inner.depth++
		p.expandSteps(&inner, f.value, nil)
		return
	}
	ref := p.paramRef(v.Value)
	if ref == "" {
		return
	}
	p.consumed[v] = true
	hop := model.Via{Kind: "parameter", Name: ref, Pos: p.src.Pos(v)}
	for _, c := range ctx.scope.lookup(ref) {
		if c.value.Kind != yaml.SequenceNode {
			continue
		}
		inner := *ctx
		inner.scope = c.from
		inner.with = nil
		if c.from != nil {
			inner.with = c.from.with
		}
		inner.via = prepend(c.via, prepend([]model.Via{hop}, via))
		inner.depth++
		p.expandSteps(&inner, c.value, nil)
	}
}

// argVars returns the arguments of an orb command or job as Vars, references to the
// enclosing parameters resolved.
func (p *parser) argVars(outer *scope, args []field) []model.Var {
	sc := &scope{params: map[string][]paramValue{}}
	for _, a := range args {
		sc.add(a.key.Value, p.resolveArg(outer, a)...)
	}
	return p.withVars(sc)
}

// expandStepArgs expands the arguments of an orb command or job that are lists of
// steps (pre-steps, a `steps` parameter): those steps run in the job.
func (p *parser) expandStepArgs(ctx *expansion, ref string, args []field, via []model.Via) {
	for _, a := range args {
		list := p.items(a.value)
		if len(list) == 0 || !p.allSteps(list) {
			continue
		}
		hop := model.Via{Kind: "parameter", Name: ref + "." + a.key.Value, Pos: p.src.Pos(a.key)}
		inner := *ctx
		inner.via = prepend(a.via, prepend([]model.Via{hop}, prepend(via, ctx.via)))
		inner.depth++
		if inner.depth > maxDepth {
			return
		}
		p.expandSteps(&inner, a.value, nil)
	}
}

// allSteps reports whether every element of a list looks like a step.
func (p *parser) allSteps(list []item) bool {
	for _, it := range list {
		name := it.node.Value
		switch it.node.Kind {
		case yaml.MappingNode:
			fs := p.fields(it.node)
			if len(fs) == 0 {
				return false
			}
			name = fs[0].key.Value
		case yaml.ScalarNode:
		default:
			return false
		}
		_, local := p.commands[name]
		if !local && !builtinSteps[name] && name != "run" && name != "when" && name != "unless" && !strings.Contains(name, "/") {
			return false
		}
	}
	return true
}

// orbUses describes a reference to an orb command, job or executor (`alias/name`).
func (p *parser) orbUses(ref string, pos model.Pos) *model.Uses {
	alias, rest, _ := strings.Cut(ref, "/")
	u := &model.Uses{Ref: ref, Path: rest, RefKind: model.RefNone, Pos: pos}
	o, ok := p.orbs[alias]
	if !ok || o.ref == "" || strings.Contains(o.ref, "://") {
		return u
	}
	full, version, _ := strings.Cut(o.ref, "@")
	u.Owner, u.Repo, _ = strings.Cut(full, "/")
	u.Version = version
	switch {
	case version == "":
	case version == "volatile" || strings.HasPrefix(version, "dev:"):
		u.RefKind = model.RefBranch
	default:
		u.RefKind = model.RefTag
	}
	return u
}
