package scan

import (
	"errors"

	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/report"
	"github.com/pipeguard/pipeguard/internal/secrets"
)

// redact passes every string of the result that may come from a scanned file or the
// command line — messages, paths, job and step names, evidence, error texts — through
// the detector's redaction, whatever produced it (a rule, a parser, the file system):
// no output format can then print a full token.
func redact(res *Result) {
	for i := range res.Findings {
		redactFinding(&res.Findings[i])
	}
	for i := range res.Suppressed {
		redactFinding(&res.Suppressed[i].Finding)
	}
	for _, list := range [][]report.FileError{res.InputErrors, res.IncludeErrors} {
		for i := range list {
			list[i].File = secrets.MaskTokens(list[i].File)
			list[i].Message = secrets.MaskTokens(list[i].Message)
		}
	}
	for i, e := range res.RuleErrors {
		res.RuleErrors[i] = engine.RuleError{
			Rule: secrets.MaskTokens(e.Rule),
			File: secrets.MaskTokens(e.File),
			Err:  errors.New(secrets.MaskTokens(e.Err.Error())),
		}
	}
}

func redactFinding(f *model.Finding) {
	for _, s := range []*string{&f.Message, &f.File, &f.Job, &f.Step, &f.Evidence} {
		*s = secrets.MaskTokens(*s)
	}
}
