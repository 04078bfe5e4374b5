package parse

import (
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/secrets"
)

// Redact masks the secrets in the strings of p that parsers copy from the file into
// messages and notes, which reach every output format as they are: parse error
// messages (a YAML or Groovy syntax error quoting a token, a job name, an extends
// cycle, a CircleCI command chain), Unresolved names and reasons (include paths, orbs,
// libraries), Guard details and include targets. It masks with the detector
// (secrets.Masker): the literal secrets found in src, the pipeline's own file, wherever
// they appear, and any provider-format token or URL password.
//
// Model values that rules read (Text values and the like) are not touched: the
// detector has already reported their secrets by position, and rules need them whole.
func Redact(p *model.Pipeline, src []byte) {
	var masker *secrets.Masker
	mask := func(s *string) {
		if *s == "" {
			return
		}
		if masker == nil {
			masker = secrets.NewMasker(src, ownPositions(p.FoundSecrets))
		}
		*s = masker.Mask(*s)
	}
	for i := range p.ParseErrors {
		mask(&p.ParseErrors[i].Message)
	}
	for i := range p.Unresolved {
		mask(&p.Unresolved[i].Name)
		mask(&p.Unresolved[i].Reason)
	}
	for i := range p.Includes {
		mask(&p.Includes[i].Target)
	}
	for i := range p.Jobs {
		for j := range p.Jobs[i].Guards {
			mask(&p.Jobs[i].Guards[j].Detail)
		}
	}
}

// ownPositions returns the positions of the secrets that lie in the pipeline's own
// file (not in an included one, whose text is not at hand).
func ownPositions(found []model.FoundSecret) []model.Pos {
	var out []model.Pos
	for _, s := range found {
		if s.Pos.File == "" {
			out = append(out, s.Pos)
		}
	}
	return out
}
