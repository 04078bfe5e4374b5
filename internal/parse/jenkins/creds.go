package jenkins

import (
	"slices"
	"strings"

	"github.com/pipeguard/pipeguard/internal/analyze"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
	"github.com/pipeguard/pipeguard/internal/script"
)

// binding is one credential made available in a scope: the Credential for the jobs,
// its SecretRefs, and the variables it sets for the steps.
type binding struct {
	cred model.Credential
	refs []model.SecretRef
	vars []model.Var
}

// credentialKeys are argument names whose value is a credential id, never a secret.
var credentialKeys = map[string]bool{
	"credentialsId": true, "credentialId": true, "registryCredentialsId": true, "credentials": true,
}

// newBinding records a credential binding and its reference in Pipeline.Secrets.
func (p *parser) newBinding(kind, id string, idPos model.Pos, vars []model.Var, pos model.Pos) *binding {
	ref := model.SecretRef{Kind: model.SecretJenkins, Name: id, Pos: idPos}
	b := &binding{cred: model.Credential{Kind: kind, ID: id, Pos: pos}, refs: []model.SecretRef{ref}}
	for _, v := range vars {
		v.SecretRef = &b.refs[0]
		b.vars = append(b.vars, v)
		b.cred.Vars = append(b.cred.Vars, v.Name)
	}
	p.pipe.Secrets = append(p.pipe.Secrets, ref)
	return b
}

// credentialsCall reads `credentials('id')`, the value of environment variable name.
func (p *parser) credentialsCall(e groovy.Expr, name string) *binding {
	c, ok := e.(*groovy.Call)
	if !ok || !isIdent(c.Callee, "credentials") || len(c.Args) == 0 {
		return nil
	}
	id, idPos := p.str(c.Args[0].Value), c.Args[0].Value.Span()
	var vars []model.Var
	for _, suffix := range []string{"", "_USR", "_PSW"} {
		vars = append(vars, model.Var{Name: name + suffix, Pos: c.Pos})
	}
	b := p.newBinding("jenkins-credentials", id, idPos, vars, c.Pos)
	b.cred.Usernames = []string{name + "_USR"}
	return b
}

// withCredentials walks `withCredentials([string(credentialsId: 'a', variable: 'T'),
// usernamePassword(…), [$class: '…', …]]) { … }`.
func (p *parser) withCredentials(c *groovy.Call, sc *scope) {
	var bindings []*binding
	for _, a := range c.Args {
		var elems []groovy.Expr
		switch v := a.Value.(type) {
		case *groovy.List:
			elems = v.Elems
		case *groovy.Call, *groovy.Map:
			elems = []groovy.Expr{v}
		}
		for _, el := range elems {
			if b := p.credentialBinding(el); b != nil {
				bindings = append(bindings, b)
			}
		}
	}
	p.walkBound(c, bindings, sc)
}

// credentialBinding reads one binding of withCredentials: a call or a `$class` map with a
// credentialsId and variable names.
func (p *parser) credentialBinding(e groovy.Expr) *binding {
	type field struct {
		name  string
		value groovy.Expr
	}
	var fields []field
	kind := "" // the binding's kind: `file`, `usernamePassword`, `FileBinding`, …
	switch e := e.(type) {
	case *groovy.Call:
		if id, ok := e.Callee.(*groovy.Ident); ok {
			kind = id.Name
		}
		for _, a := range e.Args {
			fields = append(fields, field{a.Name, a.Value})
		}
	case *groovy.Map:
		for _, en := range e.Entries {
			fields = append(fields, field{mapKey(en, ""), en.Value})
		}
	default:
		return nil
	}
	id, idPos := "", model.Pos{}
	var vars []model.Var
	var usernames, files []string
	for _, f := range fields {
		switch {
		case f.name == "credentialsId":
			id, idPos = p.str(f.value), f.value.Span()
		case f.name == "$class":
			kind = p.str(f.value)
		case f.name == "variable" || strings.HasSuffix(f.name, "Variable"):
			name := p.str(f.value)
			vars = append(vars, model.Var{Name: name, Pos: f.value.Span()})
			switch f.name {
			case "usernameVariable":
				usernames = append(usernames, name)
			case "keyFileVariable":
				files = append(files, name)
			}
		}
	}
	if id == "" {
		return nil
	}
	if kind == "file" || kind == "FileBinding" {
		for _, v := range vars {
			files = append(files, v.Name)
		}
	}
	b := p.newBinding("jenkins-credentials", id, idPos, vars, e.Span())
	b.cred.Usernames, b.cred.Files = usernames, files
	return b
}

// sshagent walks `sshagent(['id']) { … }` or `sshagent(credentials: ['id']) { … }`.
func (p *parser) sshagent(c *groovy.Call, sc *scope) {
	var bindings []*binding
	for _, a := range c.Args {
		if a.Name != "" && a.Name != "credentials" {
			continue
		}
		ids := []groovy.Expr{a.Value}
		if l, ok := a.Value.(*groovy.List); ok {
			ids = l.Elems
		}
		for _, id := range ids {
			if s, ok := id.(*groovy.String); ok {
				bindings = append(bindings, p.newBinding("ssh-agent", p.str(s), s.Pos, nil, p.headPos(c)))
			}
		}
	}
	p.walkBound(c, bindings, sc)
}

// walkBound walks the block of a binding call with the bindings in scope; the call's
// other strings are values.
func (p *parser) walkBound(c *groovy.Call, bindings []*binding, sc *scope) {
	csc := *sc
	csc.noSteps = true
	p.args(c.Args, "", &csc)
	if c.Closure == nil {
		return
	}
	inner := *sc
	inner.bindings = append(slices.Clip(sc.bindings), bindings...)
	for _, b := range bindings {
		inner.env = append(slices.Clip(inner.env), b.vars...)
	}
	p.stmts(c.Closure.Body, &inner)
}

// withEnv walks `withEnv(['A=b', "C=${x}"]) { … }`: the entries are Step.Env of the steps
// inside, their values analysed like any literal.
func (p *parser) withEnv(c *groovy.Call, sc *scope) {
	var vars []model.Var
	for _, a := range c.Args {
		l, ok := a.Value.(*groovy.List)
		if !ok {
			p.expr(a.Value, "", sc)
			continue
		}
		for _, el := range l.Elems {
			s, ok := el.(*groovy.String)
			if !ok {
				p.expr(el, "", sc)
				continue
			}
			text, m := s.Decoded()
			eq := strings.IndexByte(text, '=')
			if eq <= 0 {
				p.value(s, "")
				continue
			}
			p.consumed[s] = true
			name, value, vm := text[:eq], text[eq+1:], m.Sub(eq+1, len(text))
			t := analyze.Text(name, value, vm, dialectOf(s.Kind))
			if interpolating(s.Kind) {
				t.Interpolations = subInterpolations(s, m.Pos(eq+1, len(text)))
				t.Literal = len(t.Interpolations) == 0 && !script.HasVariableReference(value)
			}
			vars = append(vars, model.Var{Name: name, Pos: m.Pos(0, eq), Value: t})
		}
	}
	if c.Closure == nil {
		return
	}
	inner := *sc
	inner.env = append(slices.Clip(sc.env), vars...)
	p.stmts(c.Closure.Body, &inner)
}

// argBindings returns the credentials named by `credentialsId:`-like arguments of a
// call, at any depth of its lists, maps and nested calls (not in closures).
func (p *parser) argBindings(args []*groovy.Arg) []*binding {
	var out []*binding
	var visit func(name string, e groovy.Expr)
	visit = func(name string, e groovy.Expr) {
		switch e := e.(type) {
		case *groovy.String:
			if credentialKeys[name] {
				p.consumed[e] = true
				out = append(out, p.newBinding("jenkins-credentials", e.Value, e.Pos, nil, e.Pos))
			}
		case *groovy.List:
			for _, el := range e.Elems {
				visit(name, el)
			}
		case *groovy.Map:
			for _, en := range e.Entries {
				visit(mapKey(en, ""), en.Value)
			}
		case *groovy.Call:
			for _, a := range e.Args {
				visit(a.Name, a.Value)
			}
		}
	}
	for _, a := range args {
		visit(a.Name, a.Value)
	}
	return out
}
