package script

import (
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// argWord is an argv word with what unwrapping needs: its offsets in the analyzer's text
// and a way to get the map of its decoded value.
type argWord struct {
	model.Word
	a          *analyzer
	node       *syntax.Word // the shell word, when the word came from the shell parser
	m          *textpos.Map // the value's map, when the word was built with one
	start, end int
}

// valueMap returns the map from the bytes of w.Value to the file.
func (w argWord) valueMap() *textpos.Map {
	if w.m != nil || w.node == nil || w.a == nil {
		return w.m
	}
	_, _, m := w.a.decodeWord(w.node, true)
	return m
}

// suffix returns the part of w from byte from of its value on as a plain word of its own
// (the value of `--package=VALUE`), spanning its text as written, quotes included. The part before it is literal
// option text, so w's dynamic parts and references all lie in it; it keeps w's quoting.
func (w argWord) suffix(from int) argWord {
	from = min(max(from, 0), len(w.Value))
	whole := w
	if whole.a != nil {
		whole.a.describe(&whole)
	}
	part := model.Word{Value: w.Value[from:], Dynamic: w.Dynamic, Pos: w.Pos, Quoting: whole.Quoting, Refs: whole.Refs}
	if from > 0 {
		// From just after the option text (quotes of the value included) to the word's end.
		before := w.valueMap().Pos(from-1, from)
		part.Pos.Line, part.Pos.Col = before.EndLine, before.EndCol
	}
	return argWord{Word: part}
}

// envVar is an environment assignment with the offsets of its source text.
type envVar struct {
	model.Var
	nameStart, valueEnd int
}

// argWord decodes a shell word into an argWord.
func (a *analyzer) argWord(w *syntax.Word) (argWord, bool) {
	start, end, ok := a.wordSpan(w)
	if !ok {
		return argWord{}, false
	}
	value, dynamic, _ := a.decodeWord(w, false)
	return argWord{
		Word:  model.Word{Value: value, Dynamic: dynamic, Pos: a.pos(start, end)},
		a:     a,
		node:  w,
		start: start,
		end:   end,
	}, true
}

// assignVar turns `NAME=value` before a command (or alone) into an envVar.
func (a *analyzer) assignVar(as *syntax.Assign) (envVar, bool) {
	if as.Name == nil {
		return envVar{}, false
	}
	ns, ne, ok := a.nodeSpan(as.Name)
	if !ok {
		return envVar{}, false
	}
	v := envVar{Var: model.Var{Name: as.Name.Value, Pos: a.pos(ns, ne)}, nameStart: ns}
	switch {
	case as.Value != nil:
		vs, ve, ok := a.wordSpan(as.Value)
		if !ok {
			break
		}
		value, dynamic, _ := a.decodeWord(as.Value, false)
		v.Value = model.Text{Value: value, Pos: a.pos(vs, ve), Literal: !dynamic, Interpolations: a.interpolations(vs, ve)}
		v.valueEnd = ve
		return v, true
	case as.Array != nil:
		if vs, ve, ok := a.nodeSpan(as.Array); ok {
			raw := a.text[vs:ve]
			v.Value = model.Text{
				Value:          raw,
				Pos:            a.pos(vs, ve),
				Literal:        !a.masks(vs, ve) && !HasVariableReference(raw),
				Interpolations: a.interpolations(vs, ve),
			}
			v.valueEnd = ve
			return v, true
		}
	}
	// An empty value: point just after the `=`.
	_, end, _ := a.nodeSpan(as)
	v.Value = model.Text{Pos: a.pos(end, end), Literal: true}
	v.valueEnd = max(end, ne)
	return v, true
}

// assignWord turns one argument of a declaration (`FOO=bar`, `-x`, `FOO`) into the argv
// word the shell would see: the name and `=` as written, then the decoded value.
func (a *analyzer) assignWord(as *syntax.Assign) (argWord, bool) {
	if as.Name == nil {
		return a.argWord(as.Value)
	}
	start, end, ok := a.nodeSpan(as)
	if !ok {
		return argWord{}, false
	}
	w := argWord{a: a, start: start, end: end}
	w.Pos = a.pos(start, end)
	vs, _, hasValue := a.wordSpan(as.Value)
	if hasValue && vs >= start {
		value, dynamic, _ := a.decodeWord(as.Value, false)
		w.Value = a.text[start:vs] + value
		w.Dynamic = dynamic
	} else {
		w.Value = a.text[start:end]
		w.Dynamic = a.masks(start, end) || (as.Array != nil && HasVariableReference(w.Value))
	}
	a.describeAssign(&w, as)
	return w, true
}

// describeAssign fills Quoting and Refs of a declaration argument `NAME=value` or
// `NAME=(a b)`: the name and `=` are unquoted text, the rest is quoted as written.
func (a *analyzer) describeAssign(w *argWord, as *syntax.Assign) {
	q := unquoted
	r := refCollector{a: a}
	var values []*syntax.Word
	if as.Value != nil {
		values = append(values, as.Value)
	}
	if as.Array != nil {
		for _, el := range as.Array.Elems {
			if el.Value != nil {
				values = append(values, el.Value)
			}
		}
	}
	for _, v := range values {
		q |= partsQuoting(v.Parts)
		r.parts(v.Parts, unquoted, 0)
	}
	w.Quoting = q.String()
	var parts []syntax.WordPart
	for _, v := range values {
		parts = append(parts, v.Parts...)
	}
	w.Refs = r.substitutions(r.refs, w.start, w.end, partsQuotingAt(a, parts))
}

// decodeWord returns the value of a shell word as the program receives it, whether any
// part is only known at run time, and, when withMap is set, the map of the value.
func (a *analyzer) decodeWord(w *syntax.Word, withMap bool) (string, bool, *textpos.Map) {
	if !withMap {
		if value, ok := a.plainWord(w); ok {
			return value, false, nil
		}
	}
	d := wordDecoder{a: a}
	if withMap {
		d.m = &textpos.Builder{}
	}
	if w != nil {
		for _, part := range w.Parts {
			d.part(part, false)
		}
	}
	if d.m == nil {
		return d.value.String(), d.dynamic, nil
	}
	return d.value.String(), d.dynamic, d.m.Map()
}

// plainWord returns the value of a word that is one unquoted or single-quoted literal
// without escapes or interpolations: a substring of the text, with nothing to decode.
func (a *analyzer) plainWord(w *syntax.Word) (string, bool) {
	if w == nil || len(w.Parts) != 1 {
		return "", false
	}
	start, end, ok := a.nodeSpan(w.Parts[0])
	if !ok {
		return "", false
	}
	switch p := w.Parts[0].(type) {
	case *syntax.Lit:
	case *syntax.SglQuoted:
		if p.Dollar || end-start < 2 {
			return "", false
		}
		start, end = start+1, end-1
	default:
		return "", false
	}
	value := a.text[start:end]
	if strings.IndexByte(value, '\\') >= 0 || a.masks(start, end) {
		return "", false
	}
	return value, true
}

// wordDecoder builds the value of one shell word from the analyzer's text.
type wordDecoder struct {
	a       *analyzer
	value   strings.Builder
	m       *textpos.Builder
	dynamic bool
	// script is set when the value is a script to analyse (`bash -c SCRIPT`): the
	// decoder then records expansions, and origins when track is set too.
	script, track bool
	// expansions are the spans of the value that the shell expands when it builds the
	// word (parameter expansions, command and process substitutions, arithmetic).
	expansions []textSpan
	// origins holds, for each byte of the value, the text offset it comes from.
	origins []int
}

// emit appends s, the decoded form of the text bytes [start, end).
func (d *wordDecoder) emit(s string, start, end int) {
	d.value.WriteString(s)
	if d.m != nil {
		d.m.Mapped(s, d.a.m, start, end)
	}
	if d.track {
		same := len(s) == end-start
		for i := range len(s) {
			if same {
				d.origins = append(d.origins, start+i)
			} else {
				d.origins = append(d.origins, start)
			}
		}
	}
}

// verbatim appends the text bytes [start, end) unchanged.
func (d *wordDecoder) verbatim(start, end int) {
	if start >= end {
		return
	}
	if d.a.masks(start, end) {
		d.dynamic = true
	}
	d.emit(d.a.text[start:end], start, end)
}

// part appends one word part; quoted is true inside double quotes.
func (d *wordDecoder) part(p syntax.WordPart, quoted bool) {
	start, end, ok := d.a.nodeSpan(p)
	if !ok {
		return
	}
	switch p := p.(type) {
	case *syntax.Lit:
		d.literal(start, end, quoted)
	case *syntax.SglQuoted:
		if p.Dollar {
			d.ansiC(start+2, end-1)
		} else {
			d.verbatim(start+1, end-1)
		}
	case *syntax.DblQuoted:
		for _, inner := range p.Parts {
			d.part(inner, true)
		}
	case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp, *syntax.ProcSubst:
		d.dynamic = true
		from := d.value.Len()
		d.verbatim(start, end)
		if d.script {
			d.expansions = append(d.expansions, textSpan{from, d.value.Len()})
		}
	default:
		d.verbatim(start, end)
	}
}

// literal appends the unquoted or double-quoted literal text [start, end), decoding
// backslash escapes and keeping interpolations as written.
func (d *wordDecoder) literal(start, end int, quoted bool) {
	text := d.a.text
	for i := start; i < end; {
		next := end
		if k := strings.IndexByte(text[i:end], '\\'); k >= 0 {
			next = i + k
		}
		if ms, me, ok := d.a.nextMask(i); ok && ms < next {
			d.verbatim(i, ms)
			i = min(me, end)
			d.verbatim(ms, i)
			continue
		}
		d.verbatim(i, next)
		if next == end {
			return
		}
		i = d.escape(next, end, quoted)
	}
}

// escape decodes the backslash at text offset i and returns the offset after it.
func (d *wordDecoder) escape(i, end int, quoted bool) int {
	text := d.a.text
	if i+1 >= end {
		d.emit(`\`, i, i+1)
		return end
	}
	c := text[i+1]
	switch {
	case c == '\n':
		return i + 2 // a line continuation
	case quoted && !strings.ContainsRune("$`\"\\", rune(c)):
		d.emit(`\`, i, i+1)
		return i + 1
	}
	_, size := utf8.DecodeRuneInString(text[i+1 : end])
	d.emit(text[i+1:i+1+size], i, i+1+size)
	return i + 1 + size
}

// ansiEscapes decodes the common escapes of a `$'…'` string.
var ansiEscapes = map[byte]string{
	'n': "\n", 't': "\t", 'r': "\r", '\\': `\`, '\'': "'", '"': `"`,
	'a': "\a", 'b': "\b", 'e': "\x1b", 'E': "\x1b", 'f': "\f", 'v': "\v",
}

// ansiC appends the body [start, end) of a `$'…'` string, decoding its common escapes
// and keeping the others as written.
func (d *wordDecoder) ansiC(start, end int) {
	text := d.a.text
	for i := start; i < end; {
		k := strings.IndexByte(text[i:end], '\\')
		if k < 0 || i+k+1 >= end {
			d.verbatim(i, end)
			return
		}
		d.verbatim(i, i+k)
		i += k
		if s, ok := ansiEscapes[text[i+1]]; ok {
			d.emit(s, i, i+2)
		} else {
			d.verbatim(i, i+2)
		}
		i += 2
	}
}
