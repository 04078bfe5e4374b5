package circleci

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// paramValue is one value a parameter may take: passed by an invocation, a matrix, or
// the parameter's default.
type paramValue struct {
	key   *yaml.Node // where the value is named: the parameter key or `default:`
	value *yaml.Node // aliases followed
	via   []model.Via
	from  *scope // the scope the value was written in (for values of type steps)
}

// scope holds the parameter values visible to a job, command or executor body.
type scope struct {
	params map[string][]paramValue
	names  []string // parameter names in declaration order
	// with is the Step.With of steps written in this scope: the values a command
	// received; nil for a job's own steps (their values are in Job.With).
	with []model.Var
}

// paramRef returns x when s is exactly `<< parameters.x >>`.
func (p *parser) paramRef(s string) string {
	return p.exactRef(s, "parameters.")
}

// exactRef returns x when s, leading and trailing space aside, is exactly one
// interpolation `<< root.x >>` (root "parameters.", "matrix.", …).
func (p *parser) exactRef(s, root string) string {
	spans := p.templateSpans(s)
	if len(spans) != 1 || strings.TrimSpace(s) != s[spans[0].start:spans[0].end] {
		return ""
	}
	x, ok := strings.CutPrefix(spans[0].interp.Expr, root)
	if !ok {
		return ""
	}
	return x
}

// add appends values of parameter name, keeping declaration order of names.
func (s *scope) add(name string, values ...paramValue) {
	if _, ok := s.params[name]; !ok {
		s.names = append(s.names, name)
	}
	s.params[name] = append(s.params[name], values...)
}

// lookup returns the values of parameter name (nil scope: none).
func (s *scope) lookup(name string) []paramValue {
	if s == nil {
		return nil
	}
	return s.params[name]
}

// resolveArg returns the values an argument gives a parameter: the argument itself, or,
// when it is exactly `<< parameters.x >>` of the enclosing scope, x's values there.
func (p *parser) resolveArg(outer *scope, arg field) []paramValue {
	v, via := p.deref(arg.value)
	if v == nil {
		return nil
	}
	via = prepend(via, arg.via)
	if v.Kind == yaml.ScalarNode {
		if ref := p.paramRef(v.Value); ref != "" && len(outer.lookup(ref)) > 0 {
			p.consumed[v] = true
			hop := model.Via{Kind: "parameter", Name: ref, Pos: p.src.Pos(v)}
			var out []paramValue
			for _, c := range outer.lookup(ref) {
				out = append(out, paramValue{key: c.key, value: c.value, via: prepend(c.via, prepend([]model.Via{hop}, via)), from: c.from})
			}
			return out
		}
	}
	return []paramValue{{key: arg.key, value: v, via: via, from: outer}}
}

// defaultValue returns the default of a parameter declaration, if it has one.
func (p *parser) defaultValue(decl field, self *scope) (paramValue, bool) {
	d, ok := get(p.fields(decl.value), "default")
	if !ok {
		return paramValue{}, false
	}
	v, via := p.deref(d.value)
	if v == nil {
		return paramValue{}, false
	}
	hop := model.Via{Kind: "default", Name: decl.key.Value, Pos: p.src.Pos(d.key)}
	return paramValue{key: d.key, value: v, via: prepend(prepend(via, d.via), []model.Via{hop}), from: self}, true
}

// argScope builds the scope of a command or executor body: each declared parameter
// takes the argument passed (resolved in outer) or its default; undeclared arguments are
// kept too.
func (p *parser) argScope(params *yaml.Node, args []field, outer *scope) *scope {
	sc := &scope{params: map[string][]paramValue{}}
	passed := byKey(args)
	for _, decl := range p.fields(params) {
		name := decl.key.Value
		if a, ok := passed[name]; ok {
			sc.add(name, p.resolveArg(outer, a)...)
		} else if d, ok := p.defaultValue(decl, sc); ok {
			sc.add(name, d)
		}
	}
	for _, a := range args {
		if _, declared := sc.params[a.key.Value]; !declared {
			sc.add(a.key.Value, p.resolveArg(outer, a)...)
		}
	}
	sc.with = p.withVars(sc)
	return sc
}

// withVars returns the scalar values of sc as Vars, in declaration order.
func (p *parser) withVars(sc *scope) []model.Var {
	var out []model.Var
	for _, name := range sc.names {
		for _, c := range sc.params[name] {
			if c.value.Kind != yaml.ScalarNode {
				continue
			}
			out = append(out, model.Var{Name: name, Pos: p.src.Pos(c.key), Value: p.text(name, c.value), Via: c.via})
		}
	}
	return out
}

// jobScope builds the parameter values of the job one instance runs: the values its
// workflow entry passes (an exact `<< matrix.x >>` takes the instance's matrix value),
// the instance's matrix values, and the defaults of the others. With inst nil, the
// defaults only.
func (p *parser) jobScope(params *yaml.Node, inst *instance) *scope {
	sc := &scope{params: map[string][]paramValue{}}
	decls := p.fields(params)
	var inv *invocation
	var hop []model.Via
	if inst != nil {
		inv = inst.inv
		hop = prepend([]model.Via{{Kind: "parameter", Name: inv.workflow + "/" + inst.display, Pos: inv.pos}}, inv.via)
	}
	names := make([]string, 0, len(decls))
	named := map[string]bool{}
	addName := func(name string) {
		if !named[name] {
			named[name] = true
			names = append(names, name)
		}
	}
	for _, d := range decls {
		addName(d.key.Value)
	}
	declared := byKey(decls)
	var passed map[string]field
	if inv != nil {
		passed = byKey(inv.params)
		for _, f := range inv.params {
			addName(f.key.Value)
		}
		if inv.matrix != nil {
			for _, mp := range inv.matrix.params {
				addName(mp.name)
			}
		}
	}
	for _, name := range names {
		var values []paramValue
		if inv != nil {
			if a, ok := passed[name]; ok {
				values = p.entryArg(inst, a)
			} else {
				values = p.matrixValues(inst, name)
			}
		}
		for i := range values {
			values[i].via = prepend(values[i].via, hop)
		}
		if len(values) == 0 {
			if decl, ok := declared[name]; ok {
				if d, ok := p.defaultValue(decl, sc); ok {
					values = append(values, d)
				}
			}
		}
		if len(values) > 0 {
			sc.add(name, values...)
		}
	}
	return sc
}

// entryArg returns the values a workflow entry's argument gives a job parameter: the
// argument itself, or, when it is exactly `<< matrix.x >>`, the instance's values of x.
func (p *parser) entryArg(inst *instance, a field) []paramValue {
	if s := p.scalar(a.value); s != nil && inst.inv.matrix != nil {
		if x := p.exactRef(s.Value, "matrix."); x != "" && inst.inv.matrix.paramIndex(x) >= 0 {
			p.consumed[s] = true
			return p.matrixValues(inst, x)
		}
	}
	return p.resolveArg(nil, a)
}

// matrixValues returns the values instance inst gives matrix parameter name.
func (p *parser) matrixValues(inst *instance, name string) []paramValue {
	m := inst.inv.matrix
	if m == nil {
		return nil
	}
	i := m.paramIndex(name)
	if i < 0 || i >= len(inst.values) {
		return nil
	}
	hop := []model.Via{{Kind: "parameter", Name: "matrix." + name, Pos: p.src.Pos(m.params[i].key)}}
	out := make([]paramValue, 0, len(inst.values[i]))
	for _, it := range inst.values[i] {
		out = append(out, paramValue{key: it.node, value: it.node, via: prepend(it.via, hop)})
	}
	return out
}

// parameters reads a `parameters:` declaration block (of a job, or of the pipeline).
func (p *parser) parameters(n *yaml.Node) []model.Parameter {
	var out []model.Parameter
	for _, f := range p.fields(n) {
		fs := p.fields(f.value)
		param := model.Parameter{Name: f.key.Value, Type: p.carried(value(fs, "type")), Pos: p.src.Pos(f.key)}
		if d := p.scalar(value(fs, "default")); d != nil && d.Tag != "!!null" {
			t := p.text(param.Name, d)
			param.Default = &t
		}
		for _, it := range p.items(value(fs, "enum")) {
			if s := p.scalar(it.node); s != nil {
				param.Enum = append(param.Enum, p.carried(s))
			}
		}
		out = append(out, param)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
