package script

import (
	"slices"
	"sort"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/textpos"
)

// wordScript returns the script a shell runs from the word w (`bash -c SCRIPT`, `bash
// <<< SCRIPT`): its value as this shell passes it on, and the spans this shell expanded
// in it.
func (a *analyzer) wordScript(w argWord) innerScript {
	if w.node == nil {
		return innerScript{text: w.Value, m: w.valueMap()}
	}
	d := wordDecoder{a: a, m: &textpos.Builder{}, script: true, track: len(a.expanded) > 0 || len(a.subs) > 0}
	for _, part := range w.node.Parts {
		d.part(part, false)
	}
	in := innerScript{text: d.value.String(), m: d.m.Map(), expanded: d.expansions}
	if d.track {
		inner := func(start, end int) (int, int, bool) {
			lo := sort.SearchInts(d.origins, start)
			hi := sort.SearchInts(d.origins, end)
			return lo, hi, lo < hi
		}
		in.expanded = mergeSpans(in.expanded, carrySpans(a.expanded, inner))
		in.subs = carrySubstitutions(a.subs, inner)
	}
	return in
}

// heredocScript returns the script a shell reads from the heredoc r, whose body is the
// text bytes [start, end). The parameter expansions and substitutions of an unquoted
// heredoc are expanded by this shell; a quoted heredoc's body is one literal.
func (a *analyzer) heredocScript(r *syntax.Redirect, start, end int) innerScript {
	in := innerScript{text: a.text[start:end], m: a.m.Sub(start, end)}
	inner := func(s, e int) (int, int, bool) {
		s, e = max(s, start)-start, min(e, end)-start
		return s, e, s < e
	}
	var own []textSpan
	for _, p := range r.Hdoc.Parts {
		switch p.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp:
			if s, e, ok := a.nodeSpan(p); ok {
				if s, e, ok := inner(s, e); ok {
					own = append(own, textSpan{s, e})
				}
			}
		}
	}
	in.expanded = mergeSpans(own, carrySpans(a.expanded, inner))
	in.subs = carrySubstitutions(a.subs, inner)
	return in
}

// runTimeOnly reports whether a script word is only known at run time: it holds
// expansions or CI interpolations and no other text than blanks (`"$CMD"`, `"$(curl
// …)"`, `${{ inputs.script }}`).
func (a *analyzer) runTimeOnly(w argWord) bool {
	return w.node != nil && w.Dynamic && a.onlyExpansions(w.node.Parts)
}

// onlyExpansions reports whether parts hold no text but expansions, CI interpolations
// and blanks.
func (a *analyzer) onlyExpansions(parts []syntax.WordPart) bool {
	for _, p := range parts {
		start, end, ok := a.nodeSpan(p)
		if !ok {
			continue
		}
		switch p := p.(type) {
		case *syntax.Lit:
			if !a.blankOrMasked(start, end) {
				return false
			}
		case *syntax.SglQuoted:
			open := start + 1
			if p.Dollar {
				open++
			}
			if !a.blankOrMasked(open, end-1) {
				return false
			}
		case *syntax.DblQuoted:
			if !a.onlyExpansions(p.Parts) {
				return false
			}
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp, *syntax.ProcSubst:
		default:
			return false
		}
	}
	return true
}

// blankOrMasked reports whether the text bytes [start, end) are blanks and CI
// interpolations only.
func (a *analyzer) blankOrMasked(start, end int) bool {
	for i := start; i < end; i++ {
		if ms, me, ok := a.nextMask(i); ok && ms == i {
			i = me - 1
			continue
		}
		switch a.text[i] {
		case ' ', '\t', '\n':
		default:
			return false
		}
	}
	return true
}

// carrySpans returns the spans of list as inner gives them in a nested script, in order.
func carrySpans(list []textSpan, inner func(start, end int) (int, int, bool)) []textSpan {
	var out []textSpan
	for _, s := range list {
		if start, end, ok := inner(s.start, s.end); ok {
			out = append(out, textSpan{start, end})
		}
	}
	return out
}

// carrySubstitutions returns the substitutions of list as inner gives them in a nested
// script, in order.
func carrySubstitutions(list []Substitution, inner func(start, end int) (int, int, bool)) []Substitution {
	var out []Substitution
	for _, s := range list {
		if start, end, ok := inner(s.Start, s.End); ok {
			s.Start, s.End = start, end
			out = append(out, s)
		}
	}
	return out
}

// mergeSpans returns the union of two lists of spans, in order and without overlaps.
func mergeSpans(a, b []textSpan) []textSpan {
	if len(b) == 0 {
		return a
	}
	all := slices.Concat(a, b)
	slices.SortFunc(all, func(x, y textSpan) int { return x.start - y.start })
	out := all[:1]
	for _, s := range all[1:] {
		last := &out[len(out)-1]
		if s.start <= last.end {
			last.end = max(last.end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}
