package circleci

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
)

// runnerInfo is what a job or executor body says about where its steps run.
type runnerInfo struct {
	runner     model.Runner
	hasRunner  bool // docker, machine or macos given
	class      string
	classPos   model.Pos
	env        []model.Var
	shell      string
	incomplete bool
}

// jobRunner combines the job's executor (every value an executor parameter may take)
// with the job's own runner keys. When several executors are possible, the least
// isolated one wins and the environments are joined.
func (p *parser) jobRunner(fs []field, sc *scope, job *model.Job) runnerInfo {
	own := p.runnerOf(fs, nil, sc)
	ex, ok := get(fs, "executor")
	if !ok {
		return own
	}
	candidates := p.executorCandidates(ex, sc, job)
	if len(candidates) == 0 {
		return own
	}
	best := overlay(candidates[0], own)
	for _, c := range candidates[1:] {
		next := overlay(c, own)
		if isolation.Rank(p.finalRunner(next).Isolation) < isolation.Rank(p.finalRunner(best).Isolation) {
			next.env = unionEnv(next.env, best.env)
			best = next
		} else {
			best.env = unionEnv(best.env, next.env)
		}
		best.incomplete = best.incomplete || next.incomplete
	}
	return best
}

// executorCandidates resolves a job's `executor:` (a name, `{name: …, params}`, or a
// parameter of type executor) to the runner of each executor it may name.
func (p *parser) executorCandidates(ex field, sc *scope, job *model.Job) []runnerInfo {
	v, via := p.deref(ex.value)
	if v == nil {
		return nil
	}
	via = prepend(via, ex.via)
	refPos := p.src.Pos(v)
	if v.Kind == yaml.ScalarNode {
		if ref := p.paramRef(v.Value); ref != "" {
			p.consumed[v] = true
			var out []runnerInfo
			for _, c := range sc.lookup(ref) {
				hop := model.Via{Kind: "parameter", Name: ref, Pos: refPos}
				out = append(out, p.executorRunner(c.value, prepend(c.via, prepend([]model.Via{hop}, via)), sc, job)...)
			}
			if len(out) == 0 {
				job.Incomplete = true
				p.unresolved("executor", v.Value, "executor parameter has no value", refPos)
			}
			return out
		}
	}
	return p.executorRunner(v, via, sc, job)
}

// executorRunner returns the runner of executor reference n: a name or
// `{name: …, params}`.
func (p *parser) executorRunner(n *yaml.Node, via []model.Via, outer *scope, job *model.Job) []runnerInfo {
	var nameNode *yaml.Node
	var args []field
	switch n.Kind {
	case yaml.ScalarNode:
		nameNode = n
	case yaml.MappingNode:
		fs := p.fields(n)
		for _, f := range fs {
			if f.key.Value == "name" {
				nameNode = p.scalar(f.value)
			} else {
				args = append(args, f)
			}
		}
	}
	if nameNode == nil {
		return nil
	}
	name := p.carried(nameNode)
	pos := p.src.Pos(nameNode)
	unknown := runnerInfo{
		runner:     model.Runner{Kind: model.RunnerUnknown, Isolation: model.IsolationUnknown, Pos: pos},
		incomplete: true,
	}
	if _, _, isOrb := strings.Cut(name, "/"); isOrb {
		return []runnerInfo{unknown}
	}
	def, ok := p.executors[name]
	if !ok {
		p.unresolved("executor", name, "executor "+name+" is not defined in this file", pos)
		return []runnerInfo{unknown}
	}
	hop := model.Via{Kind: "executor", Name: name, Pos: pos}
	execVia := prepend(def.via, prepend([]model.Via{hop}, via))
	fs := p.fields(def.value)
	sc := p.argScope(value(fs, "parameters"), args, outer)
	for _, w := range sc.with {
		w.Via = prepend(w.Via, []model.Via{hop})
		job.With = append(job.With, w)
	}
	info := p.runnerOf(fs, execVia, sc)
	return []runnerInfo{info}
}

// runnerOf reads the runner keys of a job or executor body: docker, machine, macos,
// resource_class, environment and shell. via is set on the environment variables, whose
// values are read in the body's scope sc.
func (p *parser) runnerOf(fs []field, via []model.Via, sc *scope) runnerInfo {
	info := runnerInfo{runner: model.Runner{Kind: model.RunnerUnknown, Isolation: model.IsolationUnknown}}
	var containerEnv []model.Var
	for _, f := range fs {
		fieldVia := prepend(f.via, via)
		switch f.key.Value {
		case "docker":
			info.hasRunner = true
			info.runner = model.Runner{Kind: model.RunnerContainer, Isolation: model.IsolationIsolated, Pos: p.src.Pos(f.key)}
			containerEnv = p.docker(&info.runner, f.value, fieldVia, sc)
		case "machine":
			if s := p.scalar(f.value); s != nil && s.Value == "false" {
				continue
			}
			info.hasRunner = true
			info.runner = model.Runner{Kind: model.RunnerHosted, Isolation: model.IsolationEphemeral, Pos: p.src.Pos(f.key)}
			info.runner.Image = p.carried(value(p.fields(f.value), "image"))
			if strings.HasPrefix(info.runner.Image, "windows") {
				info.shell = "powershell"
			}
		case "macos":
			info.hasRunner = true
			info.runner = model.Runner{Kind: model.RunnerHosted, Isolation: model.IsolationEphemeral, Pos: p.src.Pos(f.key)}
		case "resource_class":
			if s := p.scalar(f.value); s != nil {
				info.class = p.carried(s)
				info.classPos = p.src.Pos(s)
			}
		case "environment":
			info.env = p.env(f.value, fieldVia, sc)
		case "shell":
			info.shell = p.carried(f.value)
		}
	}
	if strings.HasPrefix(info.class, "windows.") && info.shell == "" {
		info.shell = "powershell"
	}
	info.env = mergeEnv(containerEnv, info.env)
	return info
}

// docker reads a `docker:` image list into r: the first image is the job's container,
// the others are services. It returns the primary container's environment.
func (p *parser) docker(r *model.Runner, n *yaml.Node, via []model.Via, sc *scope) []model.Var {
	var primaryEnv []model.Var
	for i, it := range p.items(n) {
		fs := p.fields(it.node)
		itemVia := prepend(it.via, via)
		image := p.carried(value(fs, "image"))
		env := p.env(value(fs, "environment"), itemVia, sc)
		creds := p.registryCredentials(fs, itemVia)
		if i == 0 {
			r.Image = image
			r.Credentials = append(r.Credentials, creds...)
			primaryEnv = env
			continue
		}
		name := p.carried(value(fs, "name"))
		if name == "" {
			name = image
		}
		r.Services = append(r.Services, model.Service{Name: name, Image: image, Env: env, Credentials: creds, Pos: p.src.Pos(it.node)})
	}
	return primaryEnv
}

// registryCredentials reads `auth:` and `aws_auth:` of a docker image.
func (p *parser) registryCredentials(fs []field, via []model.Via) []model.Var {
	var out []model.Var
	for _, block := range []string{"auth", "aws_auth"} {
		b, ok := get(fs, block)
		if !ok {
			continue
		}
		for _, f := range p.fields(b.value) {
			switch f.key.Value {
			case "password", "aws_secret_access_key", "aws_access_key_id":
				if p.scalar(f.value) == nil {
					continue
				}
				v := model.Var{
					Name:  block + "." + f.key.Value,
					Pos:   p.src.Pos(f.key),
					Value: p.text(f.key.Value, f.value),
					Via:   prepend(prepend(f.via, b.via), via),
				}
				if f.key.Value == "password" {
					v.Value.LiteralSecrets = p.passwordSecrets(f.key.Value, f.value)
				}
				out = append(out, v)
			}
		}
	}
	return out
}

// overlay applies a job's own runner keys over its executor's.
func overlay(base, top runnerInfo) runnerInfo {
	out := base
	if top.hasRunner {
		out.runner = top.runner
		out.hasRunner = true
	}
	if top.class != "" {
		out.class, out.classPos = top.class, top.classPos
	}
	if top.shell != "" {
		out.shell = top.shell
	}
	out.env = mergeEnv(base.env, top.env)
	out.incomplete = base.incomplete || top.incomplete
	return out
}

// finalRunner applies the resource class and the configured isolation overrides.
func (p *parser) finalRunner(info runnerInfo) model.Runner {
	r := info.runner
	if info.class != "" {
		r.Labels = []string{info.class}
		if strings.Contains(info.class, "/") {
			r.Kind, r.Isolation = model.RunnerSelfHosted, model.IsolationNone
		}
		if r.Pos.IsZero() {
			r.Pos = info.classPos
		}
	}
	if iso, ok := p.in.RunnerIsolation.Lookup(r.Labels); ok {
		r.Isolation = iso
	}
	return r
}

// env reads an `environment:` value: a mapping, a list of `K=V` strings or one-key
// mappings, or a single `K=V` string. Values are read in scope sc (known parameter
// values filled in).
func (p *parser) env(n *yaml.Node, via []model.Via, sc *scope) []model.Var {
	v, aliasVia := p.deref(n)
	if v == nil {
		return nil
	}
	via = prepend(aliasVia, via)
	switch v.Kind {
	case yaml.MappingNode:
		var out []model.Var
		for _, f := range p.fields(v) {
			if p.scalar(f.value) == nil {
				continue
			}
			out = append(out, model.Var{Name: f.key.Value, Pos: p.src.Pos(f.key), Value: p.textIn(sc, f.key.Value, f.value), Via: prepend(f.via, via)})
		}
		return out
	case yaml.SequenceNode:
		var out []model.Var
		for _, it := range p.items(v) {
			out = append(out, p.env(it.node, prepend(it.via, via), sc)...)
		}
		return lastWins(out)
	case yaml.ScalarNode:
		s, m := p.src.Scalar(v)
		name, _, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return nil
		}
		p.consumed[v] = true
		if spans := p.templateSpans(s); len(spans) > 0 && spans[0].start < len(name) {
			sc = nil // the name itself is templated: leave the whole entry as written
		}
		f := p.fill(p.planFill(v, sc), false)
		from := len(name) + 1
		return []model.Var{{Name: name, Pos: m.Pos(0, len(name)), Value: p.filledText(name, f.text[from:], f.m.Sub(from, len(f.text)), f), Via: via}}
	}
	return nil
}

// mergeEnv returns base overridden by over: base variables that over does not redefine,
// then over's.
func mergeEnv(base, over []model.Var) []model.Var {
	if len(base) == 0 {
		return over
	}
	redefined := make(map[string]bool, len(over))
	for _, v := range over {
		redefined[v.Name] = true
	}
	out := make([]model.Var, 0, len(base)+len(over))
	for _, b := range base {
		if !redefined[b.Name] {
			out = append(out, b)
		}
	}
	return append(out, over...)
}

// lastWins returns vars with only the last definition of each name, in the order of
// those definitions (what merging them one after the other gives).
func lastWins(vars []model.Var) []model.Var {
	last := make(map[string]int, len(vars))
	for i, v := range vars {
		last[v.Name] = i
	}
	if len(last) == len(vars) {
		return vars
	}
	out := make([]model.Var, 0, len(last))
	for i, v := range vars {
		if last[v.Name] == i {
			out = append(out, v)
		}
	}
	return out
}

// unionEnv adds to a the variables of b not already there (same name and position).
func unionEnv(a, b []model.Var) []model.Var {
	type place struct {
		name string
		pos  model.Pos
	}
	have := make(map[place]bool, len(a))
	for _, x := range a {
		have[place{x.Name, x.Pos}] = true
	}
	out := a
	for _, v := range b {
		if !have[place{v.Name, v.Pos}] {
			out = append(out, v)
		}
	}
	return out
}
