package config

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseDirectives checks that any text gives directives whose positions lie on its
// lines, each rule id written where its position says.
func FuzzParseDirectives(f *testing.F) {
	for _, seed := range []string{
		"# pipeguard: ignore[a,b] why\n", "x // pipeguard:ignore[c]\r\n", "# pipeguard: ignore\n",
		"é # pipeguard: ignore[ü, ]\n#pipeguard: ignore[", "a#pipeguard: ignore[x]",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // columns count code points; invalid bytes have none to compare
		}
		lines := strings.Split(text, "\n")
		for _, d := range ParseDirectives([]byte(text)) {
			if d.Line < 1 || d.Line > len(lines) {
				t.Fatalf("directive on line %d of %d", d.Line, len(lines))
			}
			line := []rune(lines[d.Line-1])
			for _, r := range d.Rules {
				if r.Pos.Col < 1 || r.Pos.EndCol-1 > len(line) || string(line[r.Pos.Col-1:r.Pos.EndCol-1]) != r.Value {
					t.Fatalf("rule %q at %d-%d of %q", r.Value, r.Pos.Col, r.Pos.EndCol, string(line))
				}
			}
		}
	})
}

// FuzzParseConfig checks that no configuration text makes Parse panic, and that every
// error has a position inside the text.
func FuzzParseConfig(f *testing.F) {
	f.Add(fullConfig)
	f.Add("rules:\n  disable: [a\n")
	f.Add("ignore: {paths: ['[']}\n")
	f.Fuzz(func(t *testing.T, text string) {
		_, err := Parse("c.yml", []byte(text))
		var e *Error
		if errors.As(err, &e) && e.Pos.Line > strings.Count(text, "\n")+strings.Count(text, "\r")+1 {
			t.Fatalf("error %v past the text's end", err)
		}
	})
}

// FuzzGlob checks that any pattern compiles or fails cleanly, and matches any path
// without panicking.
func FuzzGlob(f *testing.F) {
	for _, seed := range []string{"testdata/**", "*.{yml,yaml}", "[!a]?/b", `a\`, "{", "**/x/**"} {
		f.Add(seed, "a/b/c.yml")
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		if !utf8.ValidString(pattern) {
			return
		}
		if g, err := CompileGlob(pattern); err == nil {
			g.Match(path)
		}
	})
}
