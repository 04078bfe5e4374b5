package script

import (
	"strings"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// fallback splits a PowerShell (cmdStyle false) or cmd (cmdStyle true) script into
// commands of words. There is no parser for these languages: quotes, escapes, comments,
// command separators (newline, `;`, `&&`, `||`, `|`, and `&` for cmd), redirections
// (`>`, `>>`, `2>`, `2>&1`, PowerShell's `*>`, cmd's `<`) and line continuations
// (backtick or `^` before the newline, and a line ending in `|`) are understood, nothing
// else.
func (a *analyzer) fallback(cmdStyle bool, c context) {
	text := a.masked
	continuation := byte('`')
	if cmdStyle {
		continuation = '^'
	}
	var sc simpleCommand
	sc.start = -1
	extend := func(start, end int) {
		if sc.start < 0 {
			sc.start = start
		}
		sc.end = end
	}
	piped := false
	var pipe *pipeline
	// flush records the command read so far; nextPiped says whether `|` follows it.
	flush := func(nextPiped bool) {
		if len(sc.args) > 0 {
			pc := c
			pc.piped = c.piped || piped
			if pipe == nil && nextPiped {
				pipe = a.newPipeline()
			}
			if pipe != nil {
				pc.pipe = pipe.stage(len(a.s.res.Commands))
			}
			if nextPiped {
				pc.output = nil // the output goes into the next stage
			}
			a.command(sc, pc)
			if pipe != nil {
				a.feedOutput(pipe)
			}
		}
		if !nextPiped && pipe != nil {
			a.closePipeline(pipe)
			pipe = nil
		}
		sc, piped = simpleCommand{start: -1}, nextPiped
	}
	for i := 0; i < len(text); {
		ch := text[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\r':
			i++
		case ch == '\n':
			if len(sc.args) > 0 || !piped {
				flush(false)
			} // else a line ending in `|` goes on with the next line
			i++
		case ch == continuation && isContinuation(text, i):
			i += 1 + strings.IndexByte(text[i:], '\n')
		case !cmdStyle && strings.HasPrefix(text[i:], "<#"):
			end := strings.Index(text[i:], "#>")
			if end < 0 {
				flush(false)
				return
			}
			i += end + 2
		case !cmdStyle && ch == '#', cmdStyle && len(sc.args) == 0 && isCmdComment(text[i:]):
			i = lineEnd(text, i)
		case ch == ';':
			flush(false)
			i++
		case ch == '|' || ch == '&':
			double := i+1 < len(text) && text[i+1] == ch
			switch {
			case double:
				flush(false)
				i += 2
			case ch == '|':
				flush(true)
				i++
			case !cmdStyle && len(sc.args) == 0:
				i++ // PowerShell's call operator: `& codex …`
			default:
				flush(false)
				i++
			}
		case cmdStyle && ch == '@' && len(sc.args) == 0:
			i++ // `@echo off`: @ only silences the echo of the command
		case startsRedirect(text, i, cmdStyle):
			r, next := a.fallbackRedirect(i, cmdStyle)
			sc.redirects = append(sc.redirects, r)
			extend(i, next)
			i = next
		default:
			w, next := a.fallbackWord(i, cmdStyle)
			if next <= i {
				i++ // cannot happen: every character is a separator or starts a word
				continue
			}
			sc.args = append(sc.args, w)
			extend(i, next)
			i = next
		}
	}
	flush(false)
}

// startsRedirect reports whether a redirection operator starts at text[i]: `>`, `>>`,
// an output stream number before them (`2>`, PowerShell's `*>`), or cmd's `<`.
func startsRedirect(text string, i int, cmdStyle bool) bool {
	switch c := text[i]; {
	case c == '>', c == '<' && cmdStyle:
		return true
	case '0' <= c && c <= '9' || c == '*' && !cmdStyle:
		return i+1 < len(text) && text[i+1] == '>'
	}
	return false
}

// fallbackRedirect reads the redirection starting at text offset i (see startsRedirect)
// and returns it with the offset just after it. `2>&1` is Op "2>&" with Target "1".
func (a *analyzer) fallbackRedirect(i int, cmdStyle bool) (model.Redirect, int) {
	text := a.masked
	j := i
	if text[j] != '>' && text[j] != '<' {
		j++ // the stream number
	}
	j++
	if text[j-1] == '>' && j < len(text) && text[j] == '>' {
		j++
	}
	if j < len(text) && text[j] == '&' {
		j++
	}
	r := model.Redirect{Op: text[i:j]}
	end := j
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	if j < len(text) {
		if w, next := a.fallbackWord(j, cmdStyle); next > j {
			r.Target = &w.Word
			end = next
		}
	}
	r.Pos = a.pos(i, end)
	return r, end
}

// isContinuation reports whether the escape character at text[i] ends its line: only
// carriage returns stand between it and the newline.
func isContinuation(text string, i int) bool {
	return strings.HasPrefix(strings.TrimLeft(text[i+1:], "\r"), "\n")
}

// isCmdComment reports whether a cmd command starting at s is a comment (`REM`, `::`).
func isCmdComment(s string) bool {
	if strings.HasPrefix(s, "::") {
		return true
	}
	if len(s) < 3 || !strings.EqualFold(s[:3], "rem") {
		return false
	}
	return len(s) == 3 || strings.ContainsRune(" \t\r\n", rune(s[3]))
}

// lineEnd returns the offset of the newline ending the line that holds i, or the end of
// the text.
func lineEnd(text string, i int) int {
	if nl := strings.IndexByte(text[i:], '\n'); nl >= 0 {
		return i + nl
	}
	return len(text)
}

// fallbackWord reads one PowerShell or cmd word starting at i and returns it, with its
// quoting and references, and the offset just after it.
func (a *analyzer) fallbackWord(i int, cmdStyle bool) (argWord, int) {
	text := a.masked
	start := i
	d := wordDecoder{a: a}
	if a.m != nil {
		d.m = &textpos.Builder{}
	}
	escape := byte('`')
	if cmdStyle {
		escape = '^'
	}
	var quote byte
	var quotings quoting
	refs := refCollector{a: a}
	// quoteChanges records where the quoting changes, for the substitutions.
	var quoteChanges []quoteChange
	setQuote := func(q byte, at int) {
		quote = q
		if len(a.subs) > 0 {
			quoteChanges = append(quoteChanges, quoteChange{at: at, q: quoteKind(q)})
		}
	}
	finish := func(end int) (argWord, int) {
		w := d.word(start, end)
		w.Quoting = quotings.String()
		q, next := unquoted, 0
		w.Refs = refs.substitutions(refs.refs, start, end, func(off int) quoting {
			for ; next < len(quoteChanges) && quoteChanges[next].at <= off; next++ {
				q = quoteChanges[next].q
			}
			return q
		})
		return w, end
	}
	for i < len(text) {
		ch := text[i]
		q := quoteKind(quote)
		if ms, me, ok := a.nextMask(i); ok && ms == i {
			quotings |= q
			refs.masks(ms, me, q)
			d.verbatim(ms, me)
			i = me
			continue
		}
		switch {
		case quote == 0 && endsFallbackWord(ch, cmdStyle):
			return finish(i)
		case quote == 0 && (ch == '"' || ch == '\'' && !cmdStyle):
			quotings |= quoteKind(ch)
			setQuote(ch, i)
			i++
		case quote != 0 && ch == quote:
			if !cmdStyle && i+1 < len(text) && text[i+1] == quote {
				d.emit(string(quote), i, i+2) // '' or "" inside quotes
				i += 2
				continue
			}
			setQuote(0, i+1)
			i++
		case ch == escape && quote != '\'' && i+1 < len(text) && !(cmdStyle && quote != 0):
			if isContinuation(text, i) {
				return finish(i) // a continuation ends the word
			}
			quotings |= q
			_, size := utf8.DecodeRuneInString(text[i+1:])
			d.emit(powerShellEscape(a.text[i+1:i+1+size], cmdStyle), i, i+1+size)
			i += 1 + size
		default:
			quotings |= q
			if quote != '\'' {
				if name, end, ok := fallbackRef(a.text, i, cmdStyle); ok && !a.masks(i, end) {
					refs.add(model.RefShell, name, q, false, i, end)
					d.dynamic = true
					d.verbatim(i, end)
					i = end
					continue
				}
				if startsVariable(text[i:], cmdStyle) {
					d.dynamic = true
				}
			}
			d.verbatim(i, i+1)
			i++
		}
	}
	return finish(i)
}

// quoteChange is a place in a fallback word where its quoting changes to q.
type quoteChange struct {
	at int
	q  quoting
}

// quoteKind returns the quoting inside the quote character q (0 for none).
func quoteKind(q byte) quoting {
	switch q {
	case '"':
		return doubleQuoted
	case '\'':
		return singleQuoted
	}
	return unquoted
}

// endsFallbackWord reports whether the unquoted character ch ends a PowerShell or cmd
// word: blanks, command separators and redirection operators.
func endsFallbackWord(ch byte, cmdStyle bool) bool {
	switch ch {
	case ' ', '\t', '\r', '\n', ';', '|', '&', '>':
		return true
	case '<':
		return cmdStyle
	}
	return false
}

// fallbackRef returns the environment variable read at text[i], with the offset after
// the reference: PowerShell `$env:NAME` and `${env:NAME}` (other PowerShell variables are
// not the environment), cmd `%NAME%`, `%NAME:~0,4%` and `!NAME!`. Positional parameters
// (`%1`, `%~dp0`) are no reference.
func fallbackRef(text string, i int, cmdStyle bool) (name string, end int, ok bool) {
	if !cmdStyle {
		if text[i] != '$' {
			return "", 0, false
		}
		from := i + 1
		braced := from < len(text) && text[from] == '{'
		if braced {
			from++
		}
		if len(text)-from < 4 || !strings.EqualFold(text[from:from+4], "env:") {
			return "", 0, false
		}
		from += 4
		end := identEnd(text, from)
		switch {
		case end == from:
			return "", 0, false
		case !braced:
			return text[from:end], end, true
		case end < len(text) && text[end] == '}':
			return text[from:end], end + 1, true
		}
		return "", 0, false
	}
	closer := text[i]
	if closer != '%' && closer != '!' || i+1 >= len(text) || !isIdentStart(text[i+1]) {
		return "", 0, false
	}
	end = identEnd(text, i+1)
	switch {
	case end >= len(text):
		return "", 0, false
	case text[end] == closer:
		return text[i+1 : end], end + 1, true
	case closer == '%' && text[end] == ':':
		if k := strings.IndexByte(text[end:lineEnd(text, end)], '%'); k > 0 {
			return text[i+1 : end], end + k + 1, true
		}
	}
	return "", 0, false
}

// word returns the decoded word spanning the text bytes [start, end).
func (d *wordDecoder) word(start, end int) argWord {
	w := argWord{
		Word:  model.Word{Value: d.value.String(), Dynamic: d.dynamic, Pos: d.a.pos(start, end)},
		a:     d.a,
		start: start,
		end:   end,
	}
	if d.m != nil {
		w.m = d.m.Map()
	}
	return w
}

// powerShellEscape decodes an escaped character: PowerShell's `n, `t, `r, `0 and `x → x,
// or cmd's ^x → x.
func powerShellEscape(c string, cmdStyle bool) string {
	if !cmdStyle {
		switch c {
		case "n":
			return "\n"
		case "t":
			return "\t"
		case "r":
			return "\r"
		case "0":
			return "\x00"
		}
	}
	return c
}

// startsVariable reports whether s starts a variable reference: PowerShell `$name`,
// `${…}`, `$(…)`; cmd `%NAME%`, `%1`, `%~dp0`, `!NAME!`.
func startsVariable(s string, cmdStyle bool) bool {
	if len(s) < 2 {
		return false
	}
	if !cmdStyle {
		return s[0] == '$' && (isIdentStart(s[1]) || s[1] == '{' || s[1] == '(')
	}
	switch s[0] {
	case '%':
		if s[1] == '~' || '0' <= s[1] && s[1] <= '9' {
			return true
		}
		end := identEnd(s, 1)
		return end > 1 && end < len(s) && s[end] == '%'
	case '!':
		end := identEnd(s, 1)
		return end > 1 && end < len(s) && s[end] == '!'
	}
	return false
}
