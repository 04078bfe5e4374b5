package github

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// fileWrite is one value a script writes to one of the runner's command files
// ($GITHUB_OUTPUT, $GITHUB_ENV): the name it sets and the words that make the value.
type fileWrite struct {
	name  string
	words []model.Word
}

// maxDelimitedWords bounds the words of one multi-line `NAME<<DELIMITER` value, so that
// an unterminated one costs little.
const maxDelimitedWords = 256

// fileWrites returns the values a script writes to the file named by the variable file
// ("GITHUB_OUTPUT" or "GITHUB_ENV"), in order: `echo "name=value" >> "$GITHUB_OUTPUT"`
// (echo's later words and a printf format's values included; printf and `| tee -a`
// too), the multi-line form
// (`echo "name<<EOF"`, the value's lines, `echo EOF`, each written to the file), and for
// outputs the older `echo "::set-output name=x::value"`.
func fileWrites(run *model.Run, file string) []fileWrite {
	var out []fileWrite
	open, delimiter := -1, "" // the multi-line value being written, if any
	for _, cmd := range run.Commands {
		if len(cmd.Argv) < 2 {
			continue
		}
		switch cmd.Argv[0].Value {
		case "echo", "printf":
		default:
			continue
		}
		toFile := false
		for _, rd := range cmd.Redirects {
			toFile = toFile || rd.Target != nil && strings.Contains(rd.Target.Value, file) && rd.Op != "<"
		}
		for i, w := range cmd.Argv[1:] {
			if toFile && open >= 0 {
				if strings.TrimSpace(w.Value) == delimiter || len(out[open].words) >= maxDelimitedWords {
					open = -1
				} else {
					out[open].words = append(out[open].words, w)
				}
				continue
			}
			if toFile {
				if key, value, ok := strings.Cut(w.Value, "="); ok && key != "" {
					// echo's later words are part of the value, and so are the values
					// of a printf format; other printf arguments are lines of their own.
					words := cmd.Argv[i+1 : i+2]
					if cmd.Argv[0].Value == "echo" || i == 0 && strings.Contains(value, "%") {
						words = cmd.Argv[i+1:]
					}
					out = append(out, fileWrite{name: key, words: words})
					if len(words) > 1 {
						break
					}
					continue
				}
				if key, delim, ok := strings.Cut(w.Value, "<<"); ok && key != "" && strings.TrimSpace(delim) != "" {
					out = append(out, fileWrite{name: key})
					open, delimiter = len(out)-1, strings.TrimSpace(delim)
					continue
				}
			}
			if file == "GITHUB_OUTPUT" {
				if rest, ok := strings.CutPrefix(w.Value, "::set-output name="); ok {
					if name, _, ok := strings.Cut(rest, "::"); ok {
						out = append(out, fileWrite{name: name, words: []model.Word{w}})
					}
				}
			}
		}
	}
	return out
}
