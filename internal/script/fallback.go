package script

import (
	"strings"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// fallback splits a PowerShell (cmdStyle false) or cmd (cmdStyle true) script into
// commands of words. There is no parser for these languages: quotes, escapes, comments,
// command separators (newline, `;`, `&&`, `||`, `|`, and `&` for cmd) and line
// continuations (backtick or `^` before the newline) are understood, nothing else.
func (a *analyzer) fallback(cmdStyle bool, c context) {
	text := a.masked
	continuation := byte('`')
	if cmdStyle {
		continuation = '^'
	}
	var words []argWord
	piped := false
	flush := func(nextPiped bool) {
		if len(words) > 0 {
			pc := c
			pc.piped = c.piped || piped
			a.command(words, nil, nil, words[0].start, words[len(words)-1].end, pc)
		}
		words, piped = nil, nextPiped
	}
	for i := 0; i < len(text); {
		ch := text[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\r':
			i++
		case ch == '\n':
			flush(false)
			i++
		case ch == continuation && isContinuation(text, i):
			i += 1 + strings.IndexByte(text[i:], '\n')
		case !cmdStyle && strings.HasPrefix(text[i:], "<#"):
			end := strings.Index(text[i:], "#>")
			if end < 0 {
				return
			}
			i += end + 2
		case !cmdStyle && ch == '#', cmdStyle && len(words) == 0 && isCmdComment(text[i:]):
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
			case !cmdStyle && len(words) == 0:
				i++ // PowerShell's call operator: `& codex …`
			default:
				flush(false)
				i++
			}
		case cmdStyle && ch == '@' && len(words) == 0:
			i++ // `@echo off`: @ only silences the echo of the command
		default:
			w, next := a.fallbackWord(i, cmdStyle)
			if next <= i {
				i++ // cannot happen: every character is a separator or starts a word
				continue
			}
			words = append(words, w)
			i = next
		}
	}
	flush(false)
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

// fallbackWord reads one PowerShell or cmd word starting at i and returns it with the
// offset just after it.
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
	for i < len(text) {
		ch := text[i]
		if ms, me, ok := a.nextMask(i); ok && ms == i {
			d.verbatim(ms, me)
			i = me
			continue
		}
		switch {
		case quote == 0 && (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == ';' || ch == '|'):
			return d.word(start, i), i
		case quote == 0 && ch == '&' && (i == start || text[i-1] != '>'):
			return d.word(start, i), i
		case quote == 0 && (ch == '"' || ch == '\'' && !cmdStyle):
			quote = ch
			i++
		case quote != 0 && ch == quote:
			if !cmdStyle && i+1 < len(text) && text[i+1] == quote {
				d.emit(string(quote), i, i+2) // '' or "" inside quotes
				i += 2
				continue
			}
			quote = 0
			i++
		case ch == escape && quote != '\'' && i+1 < len(text) && !(cmdStyle && quote != 0):
			if isContinuation(text, i) {
				return d.word(start, i), i // a continuation ends the word
			}
			_, size := utf8.DecodeRuneInString(text[i+1:])
			d.emit(powerShellEscape(a.text[i+1:i+1+size], cmdStyle), i, i+1+size)
			i += 1 + size
		default:
			if quote != '\'' && startsVariable(text[i:], cmdStyle) {
				d.dynamic = true
			}
			d.verbatim(i, i+1)
			i++
		}
	}
	return d.word(start, i), i
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
