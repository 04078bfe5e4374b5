package script

import (
	"sort"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
)

// maxRefDepth bounds how deep the parts of one word are walked for references
// (`${A:-${B:-${C…}}}` nests without limit in hostile input).
const maxRefDepth = 32

// quoting is a set of the quotings found in a word, combined into Word.Quoting.
type quoting uint8

const (
	unquoted quoting = 1 << iota
	doubleQuoted
	singleQuoted
)

// String returns the model spelling of q: one of the model.Quoting values, "mixed" when
// q holds several, "" when it holds none.
func (q quoting) String() string {
	switch q {
	case 0:
		return ""
	case unquoted:
		return model.QuotingUnquoted
	case doubleQuoted:
		return model.QuotingDouble
	case singleQuoted:
		return model.QuotingSingle
	}
	return model.QuotingMixed
}

// span is the byte range [start, end) of a text.
type textSpan struct{ start, end int }

// describe fills Quoting and Refs of a word that the shell parser produced.
func (a *analyzer) describe(w *argWord) {
	if w.node == nil || w.Quoting != "" {
		return
	}
	q, plain := a.plainQuoting(w.node)
	if plain && !a.substitutes(w.start, w.end) {
		w.Quoting = q.String()
		return
	}
	w.Quoting = partsQuoting(w.node.Parts).String()
	r := refCollector{a: a}
	r.parts(w.node.Parts, unquoted, 0)
	w.Refs = r.substitutions(r.refs, w.start, w.end, partsQuotingAt(a, w.node.Parts))
}

// plainQuoting returns the quoting of a word that is one literal or single-quoted part
// without CI interpolations, which cannot hold a reference.
func (a *analyzer) plainQuoting(w *syntax.Word) (quoting, bool) {
	if len(w.Parts) != 1 {
		return 0, false
	}
	var q quoting
	switch w.Parts[0].(type) {
	case *syntax.Lit:
		q = unquoted
	case *syntax.SglQuoted:
		q = singleQuoted
	default:
		return 0, false
	}
	start, end, ok := a.nodeSpan(w.Parts[0])
	return q, ok && !a.masks(start, end)
}

// partQuoting returns the quoting of one top-level part of a word.
func partQuoting(p syntax.WordPart) quoting {
	switch p.(type) {
	case *syntax.SglQuoted:
		return singleQuoted
	case *syntax.DblQuoted:
		return doubleQuoted
	}
	return unquoted
}

// partsQuoting combines the quotings of the top-level parts of a word.
func partsQuoting(parts []syntax.WordPart) quoting {
	var q quoting
	for _, p := range parts {
		q |= partQuoting(p)
	}
	return q
}

// refCollector gathers the references of one word, in the order they are written.
type refCollector struct {
	a    *analyzer
	refs []model.Ref
	// nextFound is the index in a.found of the first interpolation not reported yet.
	nextFound int
}

// add records a reference spanning the text bytes [start, end).
func (r *refCollector) add(kind, name string, q quoting, untrusted bool, start, end int) {
	r.refs = append(r.refs, model.Ref{
		Kind:      kind,
		Name:      name,
		Quoting:   q.String(),
		Code:      r.a.expandedOverlaps(start, end),
		Untrusted: untrusted,
		Pos:       r.a.pos(start, end),
	})
}

// masks records the CI interpolations that overlap the text bytes [start, end), a
// literal or quoted stretch of quoting q.
func (r *refCollector) masks(start, end int, q quoting) {
	i := max(r.nextFound, r.a.firstFoundEndingAfter(start))
	for ; i < len(r.a.found) && r.a.found[i].start < end; i++ {
		in := r.a.interpolation(i)
		r.refs = append(r.refs, model.Ref{
			Kind:             in.Kind,
			Name:             in.Expr,
			Quoting:          q.String(),
			Untrusted:        in.Untrusted,
			AuthorControlled: in.AuthorControlled,
			Pos:              in.Pos,
		})
		r.nextFound = i + 1
	}
}

// parts walks word parts standing at quoting q.
func (r *refCollector) parts(parts []syntax.WordPart, q quoting, depth int) {
	if depth > maxRefDepth {
		return
	}
	for _, p := range parts {
		r.part(p, q, depth)
	}
}

// part walks one word part standing at quoting q. Command and process substitutions are
// left out: their references belong to the words of the commands inside them.
func (r *refCollector) part(p syntax.WordPart, q quoting, depth int) {
	start, end, ok := r.a.nodeSpan(p)
	if !ok {
		return
	}
	switch p := p.(type) {
	case *syntax.Lit:
		r.masks(start, end, q)
	case *syntax.SglQuoted:
		// `$X` is no reference inside single quotes, but a CI interpolation is: the CI
		// pastes it in before the shell runs.
		r.masks(start, end, singleQuoted)
	case *syntax.DblQuoted:
		r.parts(p.Parts, doubleQuoted, depth+1)
	case *syntax.ParamExp:
		r.param(p, start, end, q, depth+1)
	case *syntax.ArithmExp:
		r.arithm(p.X, q, true, depth+1)
	case *syntax.ExtGlob:
		r.masks(start, end, q)
	}
}

// param records a parameter expansion spanning [start, end) and the references inside
// its index, slice, replacement and default words.
func (r *refCollector) param(p *syntax.ParamExp, start, end int, q quoting, depth int) {
	if depth > maxRefDepth {
		return
	}
	if p.Param != nil && p.Names == 0 {
		r.paramName(p, start, end, q)
	}
	if p.Index != nil {
		r.arithm(p.Index, q, false, depth+1)
	}
	if p.Slice != nil {
		r.arithm(p.Slice.Offset, q, true, depth+1)
		r.arithm(p.Slice.Length, q, true, depth+1)
	}
	if p.Repl != nil {
		r.word(p.Repl.Orig, q, depth+1)
		r.word(p.Repl.With, q, depth+1)
	}
	if p.Exp != nil {
		r.word(p.Exp.Word, q, depth+1)
	}
}

// paramName records the variable a parameter expansion reads, skipping special and
// positional parameters. A CI interpolation right after a short `$X` is masked with
// name characters, so the name ends where the mask starts (`$X${{ a }}`).
func (r *refCollector) paramName(p *syntax.ParamExp, start, end int, q quoting) {
	ns, ne, ok := r.a.nodeSpan(p.Param)
	if !ok {
		return
	}
	ms, _, masked := r.a.nextMask(ns)
	masked = masked && ms < ne
	nameEnd, refEnd := ne, end
	if masked {
		nameEnd = ms
		if p.Short {
			refEnd = ms
		}
	}
	if name := r.a.text[ns:nameEnd]; variableName(name) {
		r.add(model.RefShell, name, q, false, start, refEnd)
		r.refs[len(r.refs)-1].Expansion = expansionOf(p)
	}
	if masked {
		r.masks(ms, ne, q)
	}
}

// expansionOf says what a parameter expansion yields of its variable (Ref.Expansion).
func expansionOf(p *syntax.ParamExp) string {
	switch {
	case p.Length || p.Excl || p.Width || p.IsSet || p.Names != 0:
		return model.ExpansionOther
	case p.Slice != nil:
		return model.ExpansionPart
	case p.Repl != nil:
		return model.ExpansionTransform
	case p.Exp == nil:
		return ""
	}
	switch p.Exp.Op {
	case syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
		return model.ExpansionOther
	case syntax.RemSmallSuffix, syntax.RemLargeSuffix, syntax.RemSmallPrefix, syntax.RemLargePrefix:
		return model.ExpansionPart
	case syntax.UpperFirst, syntax.UpperAll, syntax.LowerFirst, syntax.LowerAll:
		return model.ExpansionTransform
	case syntax.OtherParamOps:
		// `${X@Q}`, `${X@A}` and `${X@K}` quote the value, which stays whole inside them;
		// `${X@a}` gives its attributes; the others (`@U`, `@L`, `@E`, `@P`) rewrite it.
		var op string
		if p.Exp.Word != nil {
			op = p.Exp.Word.Lit()
		}
		switch op {
		case "Q", "A", "K":
			return ""
		case "a":
			return model.ExpansionOther
		}
		return model.ExpansionTransform
	}
	return ""
}

// variableName reports whether name is a variable's name, not a special or positional
// parameter ($1, $@, $?, $$, $#, $0, $!, $-, $*, $_).
func variableName(name string) bool {
	return name != "_" && syntax.ValidName(name)
}

// word walks a word nested in a parameter expansion.
func (r *refCollector) word(w *syntax.Word, q quoting, depth int) {
	if w != nil {
		r.parts(w.Parts, q, depth)
	}
}

// arithm walks an arithmetic expression. With bareNames, a bare name is a variable read
// (`$(( N + 1 ))`); in an array index it may be an associative array's key, so it is not.
func (r *refCollector) arithm(x syntax.ArithmExpr, q quoting, bareNames bool, depth int) {
	if x == nil || depth > maxRefDepth {
		return
	}
	switch x := x.(type) {
	case *syntax.BinaryArithm:
		r.arithm(x.X, q, bareNames, depth+1)
		r.arithm(x.Y, q, bareNames, depth+1)
	case *syntax.UnaryArithm:
		r.arithm(x.X, q, bareNames, depth+1)
	case *syntax.ParenArithm:
		r.arithm(x.X, q, bareNames, depth+1)
	case *syntax.Word:
		if bareNames && len(x.Parts) == 1 {
			if lit, ok := x.Parts[0].(*syntax.Lit); ok {
				start, end, ok := r.a.nodeSpan(lit)
				if ok && !r.a.masks(start, end) && variableName(lit.Value) {
					r.add(model.RefShell, lit.Value, q, false, start, end)
					return
				}
			}
		}
		r.parts(x.Parts, q, depth+1)
	}
}

// substitutions merges into refs the Source substitutions that overlap the word at the
// text bytes [start, end), each at the quoting quotingAt gives for its first byte
// (called with increasing offsets), and returns the list in the order of the text.
func (r *refCollector) substitutions(refs []model.Ref, start, end int, quotingAt func(off int) quoting) []model.Ref {
	var subs []model.Ref
	for _, s := range r.a.subs[r.a.firstSubstitutionEndingAfter(start):] {
		if s.Start >= end {
			break
		}
		from, to := max(s.Start, start), min(s.End, end)
		subs = append(subs, model.Ref{
			Kind:             s.Kind,
			Name:             s.Expr,
			Quoting:          quotingAt(from).String(),
			Code:             r.a.expandedOverlaps(from, to),
			Untrusted:        s.Untrusted,
			AuthorControlled: s.AuthorControlled,
			From:             s.From,
			Pos:              r.a.pos(from, to),
		})
	}
	if len(subs) == 0 || len(refs) == 0 {
		return append(refs, subs...)
	}
	merged := make([]model.Ref, 0, len(refs)+len(subs))
	for len(refs) > 0 && len(subs) > 0 {
		if startsBefore(subs[0].Pos, refs[0].Pos) {
			merged, subs = append(merged, subs[0]), subs[1:]
		} else {
			merged, refs = append(merged, refs[0]), refs[1:]
		}
	}
	return append(append(merged, refs...), subs...)
}

// partsQuotingAt returns a function giving the quoting of the top-level part of a word
// that holds a text offset; offsets must come in increasing order.
func partsQuotingAt(a *analyzer, parts []syntax.WordPart) func(off int) quoting {
	i := 0
	return func(off int) quoting {
		for ; i < len(parts); i++ {
			start, end, ok := a.nodeSpan(parts[i])
			if !ok || end <= off {
				continue
			}
			if start <= off {
				return partQuoting(parts[i])
			}
			break
		}
		return unquoted
	}
}

// startsBefore reports whether p starts before q in the file.
func startsBefore(p, q model.Pos) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Col < q.Col
}

// substitutes reports whether a Source substitution overlaps the text bytes [start, end).
func (a *analyzer) substitutes(start, end int) bool {
	i := a.firstSubstitutionEndingAfter(start)
	return i < len(a.subs) && a.subs[i].Start < end
}

// firstSubstitutionEndingAfter returns the index of the first substitution that ends
// after off (substitutions are in order and do not overlap).
func (a *analyzer) firstSubstitutionEndingAfter(off int) int {
	return sort.Search(len(a.subs), func(i int) bool { return a.subs[i].End > off })
}

// expandedOverlaps reports whether the text bytes [start, end) overlap text that the
// enclosing shell expanded before this script is parsed (see analyzer.expanded).
func (a *analyzer) expandedOverlaps(start, end int) bool {
	i := sort.Search(len(a.expanded), func(i int) bool { return a.expanded[i].end > start })
	return i < len(a.expanded) && a.expanded[i].start < end
}

// markCode marks w, and every reference it holds, as run as code.
func markCode(w *model.Word) {
	w.Code = true
	for i := range w.Refs {
		w.Refs[i].Code = true
	}
}
