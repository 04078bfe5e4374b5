package config

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Inline ignores are comments in a scanned file:
//
//	# pipeguard: ignore[rule-a,rule-b] reason
//	// pipeguard: ignore[rule] reason
//
// A comment starts with `#` (YAML, shell) or `//` (Groovy, JavaScript), at the start of a
// line or after white space, so that the comment works in the YAML itself and in the
// scripts it holds. What a directive applies to (its line, the next one, the job or step
// it starts) is decided by the scan; this file only reads them.

// directiveMarker starts every directive, after the comment marker.
const directiveMarker = "pipeguard:"

// maxDirectiveRules bounds the rules one directive names.
const maxDirectiveRules = 64

// Directive is one `pipeguard: ignore[…]` comment.
type Directive struct {
	// Line is the 1-based line the comment is on.
	Line int
	// Rules are the rule ids in the brackets, each with its position.
	Rules []Value
	// Reason is the text after the brackets, trimmed.
	Reason string
	// Malformed is set for a comment that starts like a directive (`pipeguard: ignore`)
	// but does not have the `ignore[rule,…]` form; Pos points at it.
	Malformed bool
	Pos       model.Pos
}

// ParseDirectives returns the inline-ignore directives of a file's text, in order: at
// most one per line (a line has one comment). It costs one search of the text when there
// are none, and stays linear in the text's length whatever it holds.
func ParseDirectives(data []byte) []Directive {
	var out []Directive
	line, lineStart, counted := 1, 0, 0
	for off := 0; off < len(data); {
		i := bytes.Index(data[off:], []byte(directiveMarker))
		if i < 0 {
			return out
		}
		at := off + i
		for ; counted < at; counted++ {
			if data[counted] == '\n' {
				line++
				lineStart = counted + 1
			}
		}
		off = at + len(directiveMarker)
		if !afterCommentMarker(data[lineStart:at]) {
			continue
		}
		end := bytes.IndexByte(data[at:], '\n')
		if end < 0 {
			end = len(data) - at
		}
		off = at + end // the rest of the line is this comment
		text := strings.TrimRight(string(data[at:at+end]), "\r")
		col := utf8.RuneCount(data[lineStart:at]) + 1
		if d, ok := parseDirective(text, line, col); ok {
			out = append(out, d)
		}
	}
	return out
}

// afterCommentMarker reports whether prefix, the text of a line before `pipeguard:`,
// ends with a comment marker (`#` or `//`) and optional blanks, the marker being at the
// line's start or after white space.
func afterCommentMarker(prefix []byte) bool {
	p := bytes.TrimRight(prefix, " \t")
	var rest []byte
	switch {
	case bytes.HasSuffix(p, []byte("//")):
		rest = p[:len(p)-2]
	case bytes.HasSuffix(p, []byte("#")):
		rest = p[:len(p)-1]
	default:
		return false
	}
	return len(rest) == 0 || rest[len(rest)-1] == ' ' || rest[len(rest)-1] == '\t'
}

// parseDirective reads `pipeguard: ignore[a,b] reason` (text starts at `pipeguard:`,
// which is at line:col). Text that is not an ignore directive at all gives ok false.
func parseDirective(text string, line, col int) (Directive, bool) {
	d := Directive{Line: line, Pos: model.Pos{Line: line, Col: col, EndLine: line, EndCol: col + utf8.RuneCountInString(text)}}
	rest := strings.TrimLeft(text[len(directiveMarker):], " \t")
	if !strings.HasPrefix(rest, "ignore") {
		return d, false
	}
	rest = strings.TrimLeft(rest[len("ignore"):], " \t")
	closing := strings.IndexByte(rest, ']')
	if !strings.HasPrefix(rest, "[") || closing < 0 {
		d.Malformed = true
		return d, true
	}
	// The column where the bracket's content starts.
	inner := rest[1:closing]
	innerCol := col + utf8.RuneCountInString(text[:len(text)-len(rest)]) + 1
	for _, part := range strings.SplitN(inner, ",", maxDirectiveRules+1) {
		if len(d.Rules) == maxDirectiveRules {
			break
		}
		id := strings.TrimSpace(part)
		lead := len(part) - len(strings.TrimLeft(part, " \t")) // blanks are one byte each
		if id != "" {
			start := innerCol + lead
			d.Rules = append(d.Rules, Value{Value: id, Pos: model.Pos{Line: line, Col: start, EndLine: line, EndCol: start + utf8.RuneCountInString(id)}})
		}
		innerCol += utf8.RuneCountInString(part) + 1
	}
	if len(d.Rules) == 0 {
		d.Malformed = true
	}
	d.Reason = strings.TrimSpace(rest[closing+1:])
	return d, true
}

// Names reports whether the directive names rule.
func (d Directive) Names(rule string) bool {
	for _, r := range d.Rules {
		if r.Value == rule {
			return true
		}
	}
	return false
}
