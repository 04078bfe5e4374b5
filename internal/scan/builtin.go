package scan

import (
	"slices"
	"sort"
	"strings"

	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
)

// Two rules are the scan's own rather than Rego policies: they are about the scan
// itself — what it was told to ignore and what it could not read — and the facts they
// need (comments of the scanned files, include errors) are not part of the model the
// policies see. They are listed, explained, documented and filtered like every rule.

// Ids of the scan's own rules.
const (
	RuleUnusedIgnore      = "unused-ignore"
	RuleUnreadableInclude = "unreadable-include"
)

var allPlatforms = []string{model.PlatformGitHub, model.PlatformGitLab, model.PlatformCircleCI, model.PlatformJenkins}

// builtinRules are the scan's own rules' metadata.
var builtinRules = []model.Rule{
	{
		ID:    RuleUnusedIgnore,
		Title: "Inline ignore that matches no finding",
		Description: "A `pipeguard: ignore[rule]` comment holds back no finding of the rule it names: the rule does not exist, " +
			"the problem was fixed, or the comment is not on the finding's line, the line above it, or the first line of its job or step. " +
			"A stale ignore silently hides the next problem written there.",
		Severity:   model.SeverityLow,
		Confidence: "high",
		Category:   "configuration",
		Platforms:  allPlatforms,
		Persona:    model.PersonaPedantic,
		Help: "Delete the comment, or correct the rule id or move the comment to the finding's line, the line above it, " +
			"or the first line of the job or step the finding is in.",
		Builtin: true,
	},
	{
		ID:    RuleUnreadableInclude,
		Title: "Local include that could not be read",
		Description: "A GitLab `include: local` file could not be read (it does not exist, its path uses variables, " +
			"no file matches its pattern, or the includes nest too deep), so nothing in it was checked.",
		Severity:   model.SeverityLow,
		Confidence: "high",
		Category:   "input",
		Platforms:  []string{model.PlatformGitLab},
		Persona:    model.PersonaAuditor,
		Help:       "Fix the include's path, or scan the repository that holds the included file.",
		Builtin:    true,
	},
}

// BuiltinRules returns the metadata of the scan's own rules.
func BuiltinRules() []model.Rule { return slices.Clone(builtinRules) }

// Rules returns the metadata of every rule a scan with eng reports: eng's and the
// scan's own, sorted by id.
func Rules(eng *engine.Engine) []model.Rule {
	rules := append(slices.Clone(eng.Rules()), builtinRules...)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}

// builtinFinding returns a finding of one of the scan's own rules.
func builtinFinding(id, platform, msg string, pos model.Pos) engine.Evaluated {
	i := slices.IndexFunc(builtinRules, func(r model.Rule) bool { return r.ID == id })
	r := builtinRules[i]
	f := model.Finding{
		Rule: r.ID, Severity: r.Severity, Confidence: r.Confidence, Category: r.Category, Message: msg,
		File: pos.File, Line: pos.Line, Column: max(pos.Col, 1), EndLine: pos.EndLine, EndColumn: pos.EndCol, Platform: platform,
	}
	if f.EndLine < f.Line || (f.EndLine == f.Line && f.EndColumn <= f.Column) {
		f.EndLine, f.EndColumn = f.Line, f.Column+1
	}
	return engine.Evaluated{Finding: f, Persona: r.Persona}
}

// unreadableIncludes returns a finding for each local include of p that could not be
// read.
func unreadableIncludes(p *model.Pipeline) []engine.Evaluated {
	var out []engine.Evaluated
	for _, u := range p.Unresolved {
		target, local := strings.CutPrefix(u.Name, "local:")
		if u.Kind != "include" || !local {
			continue
		}
		pos := u.Pos
		if pos.File == "" {
			pos.File = p.File
		}
		out = append(out, builtinFinding(RuleUnreadableInclude, p.Platform,
			"local include "+target+" could not be read ("+u.Reason+"): nothing in it was checked", pos))
	}
	return out
}
