package jenkins

import (
	"path"
	"slices"
	"strings"

	"github.com/pipeguard/pipeguard/internal/analyze"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// runShells maps the script steps to the shell named in Run.Shell.
var runShells = map[string]string{"sh": "sh", "bat": "cmd", "powershell": "powershell", "pwsh": "pwsh"}

// runStep builds the run step of `sh 'x'`, `sh(script: "x", returnStdout: true)`, `bat`,
// `powershell` or `pwsh`.
func (p *parser) runStep(c *groovy.Call, name string, sc *scope) {
	var scriptExpr groovy.Expr
	var rest []*groovy.Arg
	for _, a := range c.Args {
		if scriptExpr == nil && (a.Name == "" || a.Name == "script") {
			scriptExpr = a.Value
			continue
		}
		rest = append(rest, a)
	}
	st := model.Step{Kind: model.StepRun, Name: name, Pos: c.Pos}
	st.With = p.withVars(rest, sc)
	for _, v := range st.With {
		if v.Name == "label" && v.Value.Value != "" {
			st.Name = v.Value.Value
		}
	}
	shell := runShells[name]
	if scriptExpr == nil {
		st.Run = &model.Run{Shell: shell, Script: model.Text{Pos: c.Pos}}
		p.addStep(sc, st, p.argBindings(rest))
		return
	}
	text, m, interps, kind, ok := p.composite(scriptExpr, sc)
	if !ok {
		src := p.source(scriptExpr.Span())
		st.Run = &model.Run{Shell: shell, Script: model.Text{
			Value:          src,
			Pos:            scriptExpr.Span(),
			Interpolations: []model.Interpolation{script.NewInterpolation(src, model.InterpGroovy, scriptExpr.Span())},
		}}
		p.expr(scriptExpr, "script", sc)
		p.addStep(sc, st, p.argBindings(rest))
		return
	}
	dialect := script.DialectNone
	if len(interps) > 0 || interpolating(kind) {
		dialect = script.DialectGroovy
	}
	run, errs := analyze.Run(script.Source{Text: text, Map: m, Shell: analysisShell(shell, text), Dialect: dialect})
	run.Shell = shell
	run.Script.Interpolations = interps
	for _, e := range errs {
		p.errorf(e.Pos, true, "script not fully analysed: %s", e.Message)
	}
	st.Run = run
	st.StringKind = kind.String()
	p.addStep(sc, st, p.argBindings(rest))
}

// analysisShell picks the language a script is analysed in: its shebang's interpreter,
// or bash for `sh` (a superset of what /bin/sh accepts on most agents).
func analysisShell(shell, text string) string {
	if shell != "sh" {
		return shell
	}
	first, _, _ := strings.Cut(strings.TrimLeft(text, " \t\r\n"), "\n")
	if !strings.HasPrefix(first, "#!") {
		return "bash"
	}
	fields := strings.Fields(strings.TrimPrefix(first, "#!"))
	if len(fields) == 0 {
		return "bash"
	}
	interp := path.Base(fields[0])
	if interp == "env" && len(fields) > 1 {
		interp = fields[1]
	}
	return interp
}

// jenkinsStep builds a step other than a script: echo, git, checkout, docker.build, a
// library function, ….
func (p *parser) jenkinsStep(c *groovy.Call, sc *scope) {
	args := chainArgs(c)
	st := model.Step{Kind: model.StepJenkinsStep, Name: c.Path(), Pos: c.Pos}
	st.With = p.withVars(args, sc)
	if len(c.Args) > 0 && c.Args[0].Name == "" {
		if s, ok := c.Args[0].Value.(*groovy.String); ok {
			st.StringKind = s.Kind.String()
		}
	}
	st.Checkouts = p.checkouts(c)
	if st.Name == "properties" {
		p.properties(c)
	}
	js := p.addStep(sc, st, p.argBindings(args))
	if a := p.artifact(c); a != nil {
		js.addArtifact(*a)
	}
}

// withVars turns step arguments into With vars: named ones by name, positional strings
// as "_", strings nested in lists, maps and calls under their own key. Credential ids
// are references, not analysed as literals.
func (p *parser) withVars(args []*groovy.Arg, sc *scope) []model.Var {
	var out []model.Var
	var visit func(name string, namePos model.Pos, e groovy.Expr)
	visit = func(name string, namePos model.Pos, e groovy.Expr) {
		switch e := e.(type) {
		case *groovy.String:
			pos := namePos
			if pos.IsZero() {
				pos = e.Pos
			}
			v := model.Var{Name: name, Pos: pos}
			if credentialKeys[name] {
				p.consumed[e] = true
				v.Value = model.Text{Value: e.Value, Pos: e.Pos, Literal: !e.Interpolated()}
				v.SecretRef = &model.SecretRef{Kind: model.SecretJenkins, Name: e.Value, Pos: e.Pos}
			} else {
				v.Value = p.text(name, e)
			}
			out = append(out, v)
			p.walkParts(e, name, sc)
		case *groovy.List:
			for _, el := range e.Elems {
				visit(name, model.Pos{}, el)
			}
		case *groovy.Map:
			for _, en := range e.Entries {
				k := mapKey(en, name)
				var kp model.Pos
				if en.Key != nil {
					kp = en.Key.Span()
				}
				visit(k, kp, en.Value)
			}
		case *groovy.Call:
			if _, isName := e.Callee.(*groovy.Ident); !isName || runShells[e.Name()] != "" || e.Closure != nil {
				p.expr(e, name, sc)
				return
			}
			named := paramName(e.Args)
			for _, a := range e.Args {
				k := a.Name
				switch {
				case named != "" && isParamValue(a.Name):
					k = named
				case k == "":
					k = name
				}
				visit(k, a.NamePos, a.Value)
			}
		case *groovy.Closure:
			p.stmts(e.Body, sc)
		case nil:
		default:
			if t, ok := p.compositeText(e, name, sc); ok {
				out = append(out, model.Var{Name: name, Pos: orPos(namePos, e.Span()), Value: t})
				return
			}
			if !namePos.IsZero() {
				out = append(out, model.Var{Name: name, Pos: namePos, Value: p.opaqueText(e)})
			}
			p.expr(e, name, sc)
		}
	}
	for _, a := range args {
		name := a.Name
		if name == "" {
			name = "_"
		}
		visit(name, a.NamePos, a.Value)
	}
	return out
}

func orPos(a, b model.Pos) model.Pos {
	if a.IsZero() {
		return b
	}
	return a
}

// opaqueText is the Text of an expression that is not a string: its source, not literal
// unless it is a number or boolean.
func (p *parser) opaqueText(e groovy.Expr) model.Text {
	_, literal := e.(*groovy.Literal)
	return model.Text{Value: p.source(e.Span()), Pos: e.Span(), Literal: literal}
}

// text analyses a string literal, the value of key, and marks it consumed. Single-quoted
// strings have no interpolations; a GString's come from its parts.
func (p *parser) text(key string, s *groovy.String) model.Text {
	p.consumed[s] = true
	value, m := s.Decoded()
	t := analyze.Text(key, value, m, dialectOf(s.Kind))
	if interpolating(s.Kind) {
		t.Interpolations = partInterpolations(s)
		t.Literal = len(t.Interpolations) == 0 && !script.HasVariableReference(value)
	}
	return t
}

// compositeText analyses a string or a `+` concatenation with at least one string.
func (p *parser) compositeText(e groovy.Expr, key string, sc *scope) (model.Text, bool) {
	if s, ok := e.(*groovy.String); ok {
		p.walkParts(s, key, sc)
		return p.text(key, s), true
	}
	text, m, interps, _, ok := p.composite(e, sc)
	if !ok {
		return model.Text{}, false
	}
	t := analyze.Text(key, text, m, script.DialectGroovy)
	t.Interpolations = interps
	t.Literal = len(interps) == 0 && !script.HasVariableReference(text)
	return t, true
}

// composite decodes a string, or a `+` concatenation holding at least one string, into
// one text with its map and Groovy interpolations. Non-string operands stand in the
// text as `${expr}` mapped onto their source, and are walked for the steps and values
// inside them. kind is the kind of the first string.
func (p *parser) composite(e groovy.Expr, sc *scope) (string, *textpos.Map, []model.Interpolation, groovy.StringKind, bool) {
	if s, ok := e.(*groovy.String); ok {
		p.consumed[s] = true
		p.walkParts(s, "", sc)
		text, m := s.Decoded()
		var interps []model.Interpolation
		if interpolating(s.Kind) {
			interps = partInterpolations(s)
		}
		return text, m, interps, s.Kind, true
	}
	operands := concatOperands(e)
	if !hasString(operands) {
		return "", nil, nil, 0, false
	}
	kind := groovy.Single
	for _, op := range operands {
		if s, ok := op.(*groovy.String); ok {
			kind = s.Kind
			break
		}
	}
	var b textpos.Builder
	var interps []model.Interpolation
	for _, op := range operands {
		if s, ok := op.(*groovy.String); ok {
			p.consumed[s] = true
			p.walkParts(s, "", sc)
			text, m := s.Decoded()
			b.Mapped(text, m, 0, m.Len())
			if interpolating(s.Kind) {
				interps = append(interps, partInterpolations(s)...)
			}
			continue
		}
		span := op.Span()
		src := strings.Join(strings.Fields(p.source(span)), " ")
		endCol := span.EndCol
		if span.EndLine != span.Line {
			endCol = span.Col + 1
		}
		b.Decoded("${"+src+"}", span.Line, span.Col, endCol)
		interps = append(interps, script.NewInterpolation(src, model.InterpGroovy, span))
		p.expr(op, "", sc)
	}
	return b.String(), b.Map(), interps, kind, true
}

// walkParts walks the interpolated expressions of a GString, for the steps and values
// inside them (`"${sh(script: 'x', returnStdout: true)}"`).
func (p *parser) walkParts(s *groovy.String, key string, sc *scope) {
	for _, part := range s.Parts {
		if part.Expr != nil {
			p.expr(part.Expr, key, sc)
		}
	}
}

// concatOperands flattens a chain of `+` into its operands, left to right. The left
// spine (`a + b + c`) is followed without recursion, so long chains cost linear time.
func concatOperands(e groovy.Expr) []groovy.Expr {
	var reversed []groovy.Expr
	for {
		b, ok := e.(*groovy.Binary)
		if !ok || b.Op != "+" {
			break
		}
		right := concatOperands(b.Y)
		for i := len(right) - 1; i >= 0; i-- {
			reversed = append(reversed, right[i])
		}
		e = b.X
	}
	reversed = append(reversed, e)
	slices.Reverse(reversed)
	return reversed
}

func hasString(operands []groovy.Expr) bool {
	for _, op := range operands {
		if _, ok := op.(*groovy.String); ok {
			return true
		}
	}
	return false
}

// interpolating reports whether Groovy interpolates strings of kind.
func interpolating(kind groovy.StringKind) bool {
	return kind != groovy.Single && kind != groovy.TripleSingle
}

func dialectOf(kind groovy.StringKind) script.Dialect {
	if interpolating(kind) {
		return script.DialectGroovy
	}
	return script.DialectNone
}

// partInterpolations lists the interpolations of a GString from its parts.
func partInterpolations(s *groovy.String) []model.Interpolation {
	var out []model.Interpolation
	for _, part := range s.Parts {
		if part.Kind == groovy.PartInterp {
			out = append(out, script.NewInterpolation(strings.TrimSpace(part.Code), model.InterpGroovy, part.Pos))
		}
	}
	return out
}

// subInterpolations lists the interpolations of a GString that start within span.
func subInterpolations(s *groovy.String, span model.Pos) []model.Interpolation {
	var out []model.Interpolation
	for _, in := range partInterpolations(s) {
		if !before(in.Pos, span) {
			out = append(out, in)
		}
	}
	return out
}

// before reports whether a starts before b.
func before(a, b model.Pos) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Col < b.Col)
}
