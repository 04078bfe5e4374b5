package jenkins

import (
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
)

// options reads the entries of a declarative pipeline's `options { … }` into
// Pipeline.Options: Name the option (`buildDiscarder`, `timeout`, …), Value its
// arguments as written.
func (p *parser) options(c *groovy.Call) {
	if c.Closure == nil {
		return
	}
	for _, s := range c.Closure.Body {
		if opt := stmtCall(s); opt != nil && opt.Name() != "" {
			p.addOption(opt.Name(), opt.Callee.Span(), p.argumentsText(opt))
		}
	}
}

// propertyClasses names the job properties of the `[$class: …]` form by their option.
var propertyClasses = map[string]string{"BuildDiscarderProperty": "buildDiscarder"}

// directiveProperties are the job properties that declarative pipelines set with their
// own directives (`parameters {}`, `triggers {}`) rather than with options.
var directiveProperties = map[string]bool{"parameters": true, "pipelineTriggers": true}

// properties reads scripted `properties([buildDiscarder(…), disableConcurrentBuilds(),
// [$class: 'BuildDiscarderProperty', …]])`, the job properties that declarative options
// set, into Pipeline.Options.
func (p *parser) properties(c *groovy.Call) {
	for _, el := range listElements(c) {
		switch el := el.(type) {
		case *groovy.Call:
			if el.Name() == "parameters" {
				p.parameterList(el)
			}
			if el.Name() != "" && !directiveProperties[el.Name()] {
				p.addOption(el.Name(), el.Callee.Span(), p.argumentsText(el))
			}
		case *groovy.Map:
			for _, en := range el.Entries {
				s, isString := en.Value.(*groovy.String)
				if mapKey(en, "") != "$class" || !isString {
					continue
				}
				name := s.Value
				if option, ok := propertyClasses[name]; ok {
					name = option
				}
				p.addOption(name, s.Pos, model.Text{Value: p.source(el.Pos), Pos: el.Pos, Literal: literal(el)})
			}
		}
	}
}

func (p *parser) addOption(name string, pos model.Pos, value model.Text) {
	p.pipe.Options = append(p.pipe.Options, model.Var{Name: name, Pos: pos, Value: value})
}

// argumentsText returns the arguments of call c as written, from the first to the last;
// a call without arguments gives an empty Text at the end of its head.
func (p *parser) argumentsText(c *groovy.Call) model.Text {
	if len(c.Args) == 0 {
		head := p.headPos(c)
		return model.Text{Pos: model.Pos{Line: head.EndLine, Col: head.EndCol, EndLine: head.EndLine, EndCol: head.EndCol}, Literal: true}
	}
	first, last := c.Args[0], c.Args[len(c.Args)-1]
	span := first.Value.Span()
	if first.Name != "" && !first.NamePos.IsZero() {
		span = first.NamePos
	}
	end := last.Value.Span()
	span.EndLine, span.EndCol = end.EndLine, end.EndCol
	isLiteral := true
	for _, a := range c.Args {
		isLiteral = isLiteral && literal(a.Value)
	}
	return model.Text{Value: p.source(span), Pos: span, Literal: isLiteral}
}

// literal reports whether e is made of literals only: strings without interpolation,
// numbers, booleans, and lists, maps and calls (`logRotator(numToKeepStr: '5')`) of
// them.
func literal(e groovy.Expr) bool {
	switch e := e.(type) {
	case *groovy.String:
		return !e.Interpolated()
	case *groovy.Literal:
		return true
	case *groovy.List:
		for _, el := range e.Elems {
			if !literal(el) {
				return false
			}
		}
		return true
	case *groovy.Map:
		for _, en := range e.Entries {
			if en.Spread || !literal(en.Value) {
				return false
			}
		}
		return true
	case *groovy.Call:
		if _, ok := e.Callee.(*groovy.Ident); !ok || e.Closure != nil {
			return false
		}
		for _, a := range e.Args {
			if !literal(a.Value) {
				return false
			}
		}
		return true
	}
	return false
}
