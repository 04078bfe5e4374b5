// Package analyze runs the analysis every platform shares over the model's strings:
// interpolations, shell commands and literal secrets. Parsers call it while they build
// the model, so the policies receive values that are already analysed.
package analyze

import (
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/secrets"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// Text builds the model.Text of value, the value of key (empty when the value has no
// key), found in the file through m. d is the template syntax of the platform.
func Text(key, value string, m *textpos.Map, d script.Dialect) model.Text {
	interps := script.Interpolations(value, m, d)
	return model.Text{
		Value:          value,
		Pos:            m.Pos(0, len(value)),
		Literal:        len(interps) == 0 && !script.HasVariableReference(value),
		Interpolations: interps,
		LiteralSecrets: secrets.ScanValue(key, value, m),
	}
}

// Run analyses a script and builds its model.Run. Shell syntax problems come back as
// parse errors; the commands that could be recovered are kept.
func Run(src script.Source) (*model.Run, []model.ParseError) {
	res := script.Analyze(src)
	text := model.Text{
		Value:          src.Text,
		Pos:            src.Map.Pos(0, len(src.Text)),
		Interpolations: res.Interpolations,
	}
	text.LiteralSecrets = mergeSecrets(secrets.ScanValue("", src.Text, src.Map), secrets.ScanCommands(res.Commands))
	return &model.Run{Shell: src.Shell, Script: text, Commands: res.Commands}, res.Errors
}

// mergeSecrets joins two lists of findings, keeping one finding per start position (the
// first, so provider-format matches win over script-pattern matches of the same value).
func mergeSecrets(a, b []model.LiteralSecret) []model.LiteralSecret {
	seen := make(map[model.Pos]bool, len(a))
	out := a
	for _, s := range a {
		seen[startOf(s.Pos)] = true
	}
	for _, s := range b {
		if !seen[startOf(s.Pos)] {
			seen[startOf(s.Pos)] = true
			out = append(out, s)
		}
	}
	return out
}

func startOf(p model.Pos) model.Pos { return model.Pos{Line: p.Line, Col: p.Col} }
