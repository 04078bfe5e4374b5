package circleci

import (
	"regexp"

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

var paramRefPattern = regexp.MustCompile(`^\s*<<\s*parameters\.([A-Za-z0-9_-]+)\s*>>\s*$`)

// paramRef returns x when s is exactly `<< parameters.x >>`.
func paramRef(s string) string {
	if m := paramRefPattern.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
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
		if ref := paramRef(v.Value); ref != "" && len(outer.lookup(ref)) > 0 {
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
	for _, decl := range p.fields(params) {
		name := decl.key.Value
		if a, ok := get(args, name); ok {
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

// jobScope builds a job's parameter values from every workflow entry that runs it,
// their matrices, and the defaults (used when some entry does not pass a value).
func (p *parser) jobScope(params *yaml.Node, invs []*invocation) *scope {
	sc := &scope{params: map[string][]paramValue{}}
	decls := p.fields(params)
	names := make([]string, 0, len(decls))
	for _, d := range decls {
		names = append(names, d.key.Value)
	}
	for _, inv := range invs {
		for _, f := range inv.params {
			if !contains(names, f.key.Value) {
				names = append(names, f.key.Value)
			}
		}
		for _, f := range inv.matrix {
			if !contains(names, f.key.Value) {
				names = append(names, f.key.Value)
			}
		}
	}
	for _, name := range names {
		passedBy := 0
		for _, inv := range invs {
			hop := model.Via{Kind: "parameter", Name: inv.workflow + "/" + inv.displayName(), Pos: inv.pos}
			passed := false
			if a, ok := get(inv.params, name); ok {
				passed = true
				for _, v := range p.resolveArg(nil, a) {
					v.via = prepend(v.via, prepend([]model.Via{hop}, inv.via))
					sc.add(name, v)
				}
			}
			if m, ok := get(inv.matrix, name); ok {
				passed = true
				matrixHop := model.Via{Kind: "parameter", Name: "matrix." + name, Pos: p.src.Pos(m.key)}
				for _, it := range p.items(m.value) {
					sc.add(name, paramValue{key: it.node, value: it.node, via: prepend(it.via, prepend([]model.Via{matrixHop, hop}, inv.via))})
				}
			}
			if passed {
				passedBy++
			}
		}
		if passedBy < len(invs) || len(invs) == 0 {
			if decl, ok := get(decls, name); ok {
				if d, ok := p.defaultValue(decl, sc); ok {
					sc.add(name, d)
				}
			}
		}
	}
	return sc
}

// displayName is the job name a workflow entry gives.
func (inv *invocation) displayName() string {
	if inv.name != "" {
		return inv.name
	}
	return inv.ref
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
