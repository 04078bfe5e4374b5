package circleci

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// templateSpan is one `<< … >>` interpolation of a text, at the byte offsets
// [start, end) of that text.
type templateSpan struct {
	start, end int
	// interp carries the expression, its kind and whether it is untrusted; its Pos is
	// left for the caller to fill from the text's own map.
	interp model.Interpolation
}

// templateSpans returns the CircleCI interpolations of text with their byte offsets,
// computed once per text.
//
// The one finder of `<< … >>` is script.Interpolations, which reports positions through a
// textpos.Map. Given a map that sends byte i of the text to column i+1 of line 1, the
// columns it reports are byte offsets, so the finder is reused rather than written twice.
func (p *parser) templateSpans(text string) []templateSpan {
	if !strings.Contains(text, "<<") {
		return nil
	}
	if spans, ok := p.spanCache[text]; ok {
		return spans
	}
	if p.offsets.Len() < len(text) {
		p.offsets = textpos.Verbatim(strings.Repeat("x", max(len(text), 2*p.offsets.Len())), 1, 1)
	}
	found := script.Interpolations(text, p.offsets.Sub(0, len(text)), dialect)
	var out []templateSpan
	if len(found) > 0 {
		out = make([]templateSpan, len(found))
		for i, in := range found {
			out[i] = templateSpan{start: in.Pos.Col - 1, end: in.Pos.EndCol - 1, interp: in}
			out[i].interp.Pos = model.Pos{}
		}
	}
	p.spanCache[text] = out
	return out
}

// fillMatrix returns s with every `<< matrix.x >>` replaced by x's value in values
// (matrix parameter name → value); other interpolations stay as written.
func (p *parser) fillMatrix(s string, values map[string]string) string {
	spans := p.templateSpans(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		name, ok := strings.CutPrefix(sp.interp.Expr, "matrix.")
		v, known := values[name]
		if !ok || !known {
			continue
		}
		b.WriteString(s[last:sp.start])
		b.WriteString(v)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}
