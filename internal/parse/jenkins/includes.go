package jenkins

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
)

// maxUnresolvedName bounds the code quoted in an Unresolved name.
const maxUnresolvedName = 120

// annotation handles `@Library('lib@1') _` and `@Grab(…)`; other annotations' strings
// are values.
func (p *parser) annotation(a *groovy.Annotation, sc *scope) {
	name := a.Name[strings.LastIndex(a.Name, ".")+1:]
	switch name {
	case "Library":
		for _, arg := range a.Args {
			if arg.Name == "" || arg.Name == "value" {
				p.libraryTargets(arg.Value)
			}
		}
	case "Grab":
		p.pipe.Unresolved = append(p.pipe.Unresolved, model.Unresolved{
			Kind: "grab", Name: p.clip(a.Pos), Reason: "Grape dependency is not analysed", Pos: a.Pos,
		})
	}
	csc := *sc
	csc.noSteps = true
	p.args(a.Args, "", &csc)
}

// libraryTargets records every library named by a string or a list of strings.
func (p *parser) libraryTargets(e groovy.Expr) {
	switch e := e.(type) {
	case *groovy.String:
		p.consumed[e] = true
		p.addLibrary(e.Value, e.Pos)
	case *groovy.List:
		for _, el := range e.Elems {
			p.libraryTargets(el)
		}
	}
}

func (p *parser) addLibrary(target string, pos model.Pos) {
	p.pipe.Includes = append(p.pipe.Includes, model.Include{Kind: "library", Target: target, Pos: pos})
	p.pipe.Unresolved = append(p.pipe.Unresolved, model.Unresolved{
		Kind: "library", Name: target, Reason: "shared library code is not analysed", Pos: pos,
	})
}

// library handles `library 'x@1'`, `library('x')` and `library(identifier: 'x@1', …)`.
func (p *parser) library(c *groovy.Call, sc *scope) {
	found := false
	for _, a := range c.Args {
		if a.Name == "" || a.Name == "identifier" {
			if s, ok := a.Value.(*groovy.String); ok && !found {
				p.consumed[s] = true
				p.addLibrary(s.Value, s.Pos)
				found = true
			}
		}
	}
	if !found {
		p.addLibrary(p.clip(p.headPos(c)), p.headPos(c))
	}
	csc := *sc
	csc.noSteps = true
	p.args(c.Args, "", &csc)
}

// libraries handles the declarative `libraries { lib('x@1') }` directive.
func (p *parser) libraries(c *groovy.Call, sc *scope) {
	if c.Closure != nil {
		for _, s := range c.Closure.Body {
			if lib := stmtCall(s); lib != nil && lib.Name() == "lib" {
				for _, a := range lib.Args {
					p.libraryTargets(a.Value)
				}
			}
		}
	}
	p.configuration(c, sc)
}

// load handles `load 'path.groovy'`: code read at run time.
func (p *parser) load(c *groovy.Call, sc *scope) {
	target, pos := "", p.headPos(c)
	if len(c.Args) > 0 {
		v := c.Args[0].Value
		target, pos = p.str(v), v.Span()
	}
	p.pipe.Includes = append(p.pipe.Includes, model.Include{Kind: "load", Target: target, Pos: pos})
	p.pipe.Unresolved = append(p.pipe.Unresolved, model.Unresolved{
		Kind: "load", Name: target, Reason: "script loaded at run time is not analysed", Pos: pos,
	})
	p.args(c.Args, "", sc)
}

// evaluate handles `evaluate(code)`: Groovy evaluated at run time.
func (p *parser) evaluate(c *groovy.Call, sc *scope) {
	name := ""
	if len(c.Args) > 0 {
		name = p.clip(c.Args[0].Value.Span())
	}
	p.pipe.Unresolved = append(p.pipe.Unresolved, model.Unresolved{
		Kind: "evaluate", Name: name, Reason: "code evaluated at run time is not analysed", Pos: p.headPos(c),
	})
	p.args(c.Args, "", sc)
}

// clip returns the source of pos on one line, shortened to maxUnresolvedName bytes.
func (p *parser) clip(pos model.Pos) string {
	s := strings.Join(strings.Fields(p.source(pos)), " ")
	if len(s) > maxUnresolvedName {
		cut := maxUnresolvedName
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
