package script

import "fmt"

// Bounds of the shell parser's work on one script. mvdan.cc/sh parses recursively
// with no limit of its own: a million `$(` overflow the goroutine stack, which is a
// fatal error that recover cannot catch, and every level of nesting costs it about
// 3 KB of stack. Scripts are written by attackers, so they are measured before they
// are parsed.
const (
	// maxOpeners bounds the tokens that may open a nesting level of the shell parser in
	// one script: brackets, braces and backquotes (substitutions, subshells, groups,
	// parameter expansions, arithmetic, process substitution, function bodies) and
	// compound-command keywords. The real nesting cannot be deeper than their number,
	// so the parser's stack stays under about 30 MB. The largest count in the
	// real-world corpus is 164 (an 11 KB script).
	maxOpeners = 10_000
	// maxReparse and reparseAllowance bound the bytes the parser reads when it resumes
	// after syntax errors: maxReparse times the script, plus reparseAllowance. Without
	// them maxRecoveries resumptions of a long script with an error on every line read
	// it 64 times; a script of up to 16 KB still gets all of its resumptions.
	maxReparse       = 4
	reparseAllowance = 1 << 20
)

// compoundKeywords are the reserved words that open a nesting level of the parser.
var compoundKeywords = map[string]bool{
	"if": true, "then": true, "elif": true, "else": true, "while": true, "until": true,
	"for": true, "do": true, "case": true, "select": true, "function": true,
	"coproc": true, "time": true,
}

// tooManyOpeners returns the offset of the token that takes text past maxOpeners, or
// -1 when text stays within it. It counts every candidate, quoted or not, so that no
// quoting can hide a nesting level from it.
func tooManyOpeners(text string) int {
	openers := 0
	for i := 0; i < len(text); i++ {
		start, c := i, text[i]
		switch {
		case c == '(' || c == '{' || c == '[' || c == '`':
			openers++
		case c >= 'a' && c <= 'z' && (i == 0 || !isWordByte(text[i-1])):
			for i+1 < len(text) && isWordByte(text[i+1]) {
				i++
			}
			if !compoundKeywords[text[start:i+1]] {
				continue
			}
			openers++
		default:
			continue
		}
		if openers > maxOpeners {
			return start
		}
	}
	return -1
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tooNestedMessage says why a script was not parsed.
var tooNestedMessage = fmt.Sprintf("shell: more than %d brackets, substitutions and compound commands, which could nest too deep to parse safely: not analysed", maxOpeners)
