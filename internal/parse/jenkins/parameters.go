package jenkins

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
)

// parameterTypes gives the Parameter.Type of the build parameter steps
// (`string(name: …)`) and of their `[$class: '…ParameterDefinition']` forms; other
// parameter steps keep their name as written.
var parameterTypes = map[string]string{
	"string":                      "string",
	"text":                        "text",
	"password":                    "password",
	"booleanParam":                "boolean",
	"choice":                      "choice",
	"StringParameterDefinition":   "string",
	"TextParameterDefinition":     "text",
	"PasswordParameterDefinition": "password",
	"BooleanParameterDefinition":  "boolean",
	"ChoiceParameterDefinition":   "choice",
}

// parameters reads the build parameters of a declarative `parameters { … }` block
// into Pipeline.Parameters.
func (p *parser) parameters(c *groovy.Call) {
	if c.Closure == nil {
		return
	}
	for _, s := range c.Closure.Body {
		if pc := stmtCall(s); pc != nil {
			p.parameter(pc.Name(), pc.Args)
		}
	}
}

// parameterList reads the build parameters of scripted
// `properties([parameters([string(name: …), [$class: 'ChoiceParameterDefinition', …]])])`.
func (p *parser) parameterList(c *groovy.Call) {
	for _, el := range listElements(c) {
		switch el := el.(type) {
		case *groovy.Call:
			p.parameter(el.Name(), el.Args)
		case *groovy.Map:
			p.parameterMap(el)
		}
	}
}

// listElements returns the elements of the list arguments of c (`properties([a, b])`,
// `parameters([…])`), in order.
func listElements(c *groovy.Call) []groovy.Expr {
	var out []groovy.Expr
	for _, a := range c.Args {
		if list, ok := a.Value.(*groovy.List); ok {
			out = append(out, list.Elems...)
		}
	}
	return out
}

// parameterMap reads a `[$class: 'StringParameterDefinition', name: …]` parameter.
func (p *parser) parameterMap(m *groovy.Map) {
	var class string
	var args []*groovy.Arg
	for _, en := range m.Entries {
		key := mapKey(en, "")
		if s, ok := en.Value.(*groovy.String); ok && key == "$class" {
			class = s.Value
			continue
		}
		args = append(args, &groovy.Arg{Name: key, Value: en.Value})
	}
	if class != "" {
		p.parameter(class, args)
	}
}

// parameter adds the build parameter of kind (the step or class name) declared by args:
// its `name:`, `defaultValue:` and, for a choice, its `choices:` (a list, or a string of
// one choice per line).
func (p *parser) parameter(kind string, args []*groovy.Arg) {
	name, ok := namedArgument(args, "name").(*groovy.String)
	if !ok || kind == "" {
		return
	}
	p.consumed[name] = true
	prm := model.Parameter{Name: name.Value, Type: kind, Pos: name.Pos}
	if t, known := parameterTypes[kind]; known {
		prm.Type = t
	}
	switch d := namedArgument(args, "defaultValue").(type) {
	case *groovy.String:
		t := p.text(name.Value, d)
		prm.Default = &t
	case *groovy.Literal:
		t := p.opaqueText(d)
		prm.Default = &t
	}
	switch ch := namedArgument(args, "choices").(type) {
	case *groovy.List:
		for _, el := range ch.Elems {
			if s, ok := el.(*groovy.String); ok {
				p.consumed[s] = true
				prm.Enum = append(prm.Enum, s.Value)
			}
		}
	case *groovy.String:
		p.consumed[ch] = true
		for _, line := range strings.Split(ch.Value, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				prm.Enum = append(prm.Enum, line)
			}
		}
	}
	p.pipe.Parameters = append(p.pipe.Parameters, prm)
}
