package circleci

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// maxFilledBytes bounds the filled-in texts of a file (scripts and values with known
// parameter values filled in), in total: a long default used in many places, or a long
// script filled in for many jobs, cannot make the model explode. Once it is spent,
// interpolations stay as written.
const maxFilledBytes = 4 << 20

// filled is a scalar's text with the known values of its interpolations filled in.
type filled struct {
	text string
	m    *textpos.Map
	// interps are the interpolations as written, with their positions in the file.
	interps []model.Interpolation
	// subs are the spans of text that hold filled-in values.
	subs []script.Substitution
	// subPos are the file positions of the interpolations that subs replaced.
	subPos []model.Pos
}

// fillPlan says which interpolations of a scalar take a known value in a scope.
type fillPlan struct {
	text   string
	m      *textpos.Map
	spans  []templateSpan
	values []*yaml.Node // per span: the scalar whose value fills it, nil when unknown
	// via holds, per span, the pipeline parameter whose default fills it when the span
	// is a parameter whose value is exactly `<< pipeline.parameters.y >>` ("y"), else "".
	via []string
	// key identifies the values filled in (each span's index, value and via), "" when
	// there are none.
	key string
}

// planFill looks up the value of every interpolation of scalar n in scope sc.
func (p *parser) planFill(n *yaml.Node, sc *scope) fillPlan {
	text, m := p.src.Scalar(n)
	spans, ok := p.nodeSpans[n]
	if !ok {
		spans = p.templateSpans(text)
		p.nodeSpans[n] = spans
	}
	pl := fillPlan{text: text, m: m, spans: spans}
	if len(pl.spans) == 0 {
		return pl
	}
	pl.values = make([]*yaml.Node, len(pl.spans))
	pl.via = make([]string, len(pl.spans))
	var key []byte
	for i, sp := range pl.spans {
		v, via := p.knownValue(sc, sp.interp.Expr)
		if v == nil {
			continue
		}
		pl.values[i], pl.via[i] = v, via
		// The filled text depends on the values only (filled bytes map to the
		// interpolation), so equal values written in different places share a key;
		// where a value came from is part of what the text says, so via is too.
		key = strconv.AppendInt(key, int64(i), 10)
		key = append(key, '=')
		key = strconv.AppendInt(key, int64(len(v.Value)), 10)
		key = append(key, ':')
		key = append(key, v.Value...)
		if via != "" {
			key = append(key, '|')
			key = append(key, via...)
		}
	}
	pl.key = string(key)
	return pl
}

// knownValue returns the scalar whose value interpolation expr takes in scope sc: a
// parameter with one scalar value (or several equal ones), or a pipeline parameter with
// a default. A value that is exactly `<< pipeline.parameters.y >>` takes y's default, as
// pipeline parameters are filled in before anything else, and via is then "y". Anything
// else (pipeline.git.*, pipeline.number, a parameter without a value) is unknown: nil.
func (p *parser) knownValue(sc *scope, expr string) (node *yaml.Node, via string) {
	if name, ok := strings.CutPrefix(expr, "pipeline.parameters."); ok {
		return p.pipelineDefaults[name], ""
	}
	name, ok := strings.CutPrefix(expr, "parameters.")
	if !ok {
		return nil, ""
	}
	for _, v := range sc.lookup(name) {
		if v.value.Kind != yaml.ScalarNode || (node != nil && v.value.Value != node.Value) {
			return nil, ""
		}
		if node == nil {
			node = v.value
		}
	}
	if node != nil {
		if y := p.exactRef(node.Value, "pipeline.parameters."); y != "" {
			return p.pipelineDefaults[y], y
		}
	}
	return node, ""
}

// fill builds the text of a fill plan: known values filled in (each byte of a value
// mapped to the span of the `<< … >>` it replaces), the rest copied with its own
// positions. A value is inserted as written, even when it holds `<< … >>` itself: one
// level, as CircleCI substitutes. With unescape, `\<<` becomes `<<` (CircleCI 2.1's
// escape). Once the file's filled texts reach maxFilledBytes, texts stay as written.
func (p *parser) fill(pl fillPlan, unescape bool) filled {
	f := filled{text: pl.text, m: pl.m}
	if len(pl.spans) > 0 {
		f.interps = make([]model.Interpolation, len(pl.spans))
		for i, sp := range pl.spans {
			var vt valueTaint
			if pl.values != nil && pl.values[i] != nil {
				vt = p.taintOf(pl.values[i], pl.via[i])
			}
			f.interps[i] = vt.mark(sp.interp, pl.m.Pos(sp.start, sp.end))
		}
	}
	size := len(pl.text)
	for i, v := range pl.values {
		if v != nil {
			size += len(v.Value) - (pl.spans[i].end - pl.spans[i].start)
		}
	}
	if pl.key != "" && p.filledBytes+size > maxFilledBytes {
		p.addError(model.ParseError{
			Message: fmt.Sprintf("parameter substitution stopped after %d bytes of filled-in text: this and later values are analysed as written", maxFilledBytes),
			Pos:     f.interps[0].Pos,
			Partial: true,
		})
		pl.key = ""
	}
	if pl.key == "" {
		if unescape {
			f.text, f.m = unescapeInterpolation(pl.text, pl.m)
		}
		return f
	}
	p.filledBytes += size
	var b textpos.Builder
	b.Grow(size)
	last := 0
	for i, sp := range pl.spans {
		v := pl.values[i]
		if v == nil {
			continue
		}
		appendSegment(&b, pl.text, pl.m, last, sp.start, unescape)
		pos := f.interps[i].Pos
		endCol := pos.EndCol
		if pos.EndLine != pos.Line {
			endCol = pos.Col + 1
		}
		start := len(b.String())
		b.Decoded(v.Value, pos.Line, pos.Col, endCol)
		in := f.interps[i]
		f.subs = append(f.subs, script.Substitution{
			Start: start, End: start + len(v.Value), Expr: in.Expr, Kind: in.Kind,
			Untrusted: in.Untrusted, AuthorControlled: in.AuthorControlled, From: fromOf(in),
		})
		f.subPos = append(f.subPos, pos)
		last = sp.end
	}
	appendSegment(&b, pl.text, pl.m, last, len(pl.text), unescape)
	f.text, f.m = b.String(), b.Map()
	return f
}

// unescapeInterpolation removes the backslash of `\<<`, CircleCI's escape for a literal
// `<<` that does not start a parameter (a heredoc or here-string): the shell sees `<<`.
// The remaining bytes keep their positions.
func unescapeInterpolation(text string, m *textpos.Map) (string, *textpos.Map) {
	if !strings.Contains(text, `\<<`) {
		return text, m
	}
	var b textpos.Builder
	appendSegment(&b, text, m, 0, len(text), true)
	return b.String(), b.Map()
}

// appendSegment appends text[from:to] with its positions from m, turning `\<<` into
// `<<` when unescape is set.
func appendSegment(b *textpos.Builder, text string, m *textpos.Map, from, to int, unescape bool) {
	for unescape {
		i := strings.Index(text[from:to], `\<<`)
		if i < 0 {
			break
		}
		b.Mapped(text[from:from+i], m, from, from+i)
		from += i + 1 // skip the backslash
		b.Mapped("<<", m, from, from+2)
		from += 2
	}
	b.Mapped(text[from:to], m, from, to)
}

// textIn builds the Text of scalar n, the value of key, as the steps of scope sc see it:
// known parameter values filled in, Interpolations as written (see filledText).
func (p *parser) textIn(sc *scope, key string, n *yaml.Node) model.Text {
	n = p.scalar(n)
	if n == nil {
		return model.Text{}
	}
	pl := p.planFill(n, sc)
	if pl.key == "" {
		return p.text(key, n)
	}
	p.consumed[n] = true
	tk := textKey{node: n, key: key, values: pl.key}
	if t, ok := p.texts[tk]; ok {
		return t
	}
	f := p.fill(pl, false)
	t := p.filledText(key, f.text, f.m, f)
	p.texts[tk] = t
	return t
}

// filledText analyses text (all or the end of f's text, mapped by m) as the value of
// key. When values were filled in, Interpolations are f's as written, the value is not
// Literal, and literal secrets that overlap a filled-in value are dropped: the value is
// scanned where it is written (the default or the argument), not at each use.
func (p *parser) filledText(key, text string, m *textpos.Map, f filled) model.Text {
	t := analyzeText(key, text, m)
	if len(f.subs) == 0 {
		return t
	}
	t.Interpolations = f.interps
	t.Literal = false
	t.LiteralSecrets = outside(t.LiteralSecrets, f.subPos)
	return t
}

// outside returns the secrets that overlap none of spans.
func outside(found []model.LiteralSecret, spans []model.Pos) []model.LiteralSecret {
	if len(found) == 0 || len(spans) == 0 {
		return found
	}
	var out []model.LiteralSecret
	for _, s := range found {
		hit := false
		for _, sp := range spans {
			if overlaps(s.Pos, sp) {
				hit = true
				break
			}
		}
		if !hit {
			out = append(out, s)
		}
	}
	return out
}

// overlaps reports whether two spans share a code point.
func overlaps(a, b model.Pos) bool {
	return before(a.Line, a.Col, b.EndLine, b.EndCol) && before(b.Line, b.Col, a.EndLine, a.EndCol)
}

// before reports whether line:col comes before endLine:endCol.
func before(line, col, endLine, endCol int) bool {
	return line < endLine || line == endLine && col < endCol
}

// valueTaint is what a known parameter value holds: attacker-controlled text (a
// `<< pipeline.git.branch >>` in it), or text that only people who can trigger pipelines
// set (a pipeline parameter in it, or the default of the one it came from); from names
// the source.
type valueTaint struct {
	untrusted, author bool
	from              string
}

// taintOf says what the known value v holds; via names the pipeline parameter whose
// default it is, when a parameter took it through `<< pipeline.parameters.via >>`.
func (p *parser) taintOf(v *yaml.Node, via string) valueTaint {
	var t valueTaint
	for _, sp := range p.templateSpans(v.Value) {
		switch {
		case t.untrusted:
		case sp.interp.Untrusted:
			t = valueTaint{untrusted: true, from: sp.interp.Expr}
		case sp.interp.AuthorControlled && !t.author:
			t = valueTaint{author: true, from: sp.interp.Expr}
		}
	}
	if via != "" && !t.untrusted && !t.author {
		t = valueTaint{author: true, from: "pipeline.parameters." + via}
	}
	return t
}

// mark returns the interpolation in placed at pos, its contexts too (they are shared
// with the span cache, so they are copied), marked with what its known value holds.
func (t valueTaint) mark(in model.Interpolation, pos model.Pos) model.Interpolation {
	in.Pos = pos
	in.Untrusted = in.Untrusted || t.untrusted
	in.AuthorControlled = in.AuthorControlled || t.author
	if len(in.Contexts) == 0 {
		return in
	}
	contexts := make([]model.ContextRef, len(in.Contexts))
	for i, c := range in.Contexts {
		c.Pos = pos
		if t.untrusted && !c.Untrusted || t.author && !c.Untrusted && !c.AuthorControlled {
			c.Untrusted = c.Untrusted || t.untrusted
			c.AuthorControlled = c.AuthorControlled || t.author
			c.From = t.from
		}
		contexts[i] = c
	}
	in.Contexts = contexts
	return in
}

// fromOf returns the source an interpolation's value was followed to, if any.
func fromOf(in model.Interpolation) string {
	for _, c := range in.Contexts {
		if c.From != "" {
			return c.From
		}
	}
	return ""
}
