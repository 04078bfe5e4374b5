package engine

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipeguard/pipeguard/internal/model"
)

var ruleIDPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// ruleFromModule reads the package-scoped `# METADATA` block of a rule module and checks
// that it has everything reporters and filters rely on.
func ruleFromModule(mod *ast.Module, pkg string) (model.Rule, error) {
	var ann *ast.Annotations
	for _, a := range mod.Annotations {
		if a.Scope == "package" {
			ann = a
			break
		}
	}
	if ann == nil {
		return model.Rule{}, fmt.Errorf("package %s has no `# METADATA` block", pkg)
	}
	custom := ann.Custom
	r := model.Rule{
		Title:       strings.TrimSpace(ann.Title),
		Description: strings.TrimSpace(ann.Description),
		ID:          stringField(custom, "id"),
		Severity:    stringField(custom, "severity"),
		Confidence:  stringField(custom, "confidence"),
		Category:    stringField(custom, "category"),
		Persona:     stringField(custom, "persona"),
		CWE:         stringField(custom, "cwe"),
		Help:        strings.TrimSpace(stringField(custom, "help")),
		Platforms:   listField(custom, "platforms"),
		Package:     pkg,
	}
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"title", r.Title}, {"description", r.Description}, {"custom.id", r.ID},
		{"custom.severity", r.Severity}, {"custom.confidence", r.Confidence},
		{"custom.category", r.Category}, {"custom.persona", r.Persona}, {"custom.help", r.Help},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(r.Platforms) == 0 {
		missing = append(missing, "custom.platforms")
	}
	if len(missing) > 0 {
		return r, fmt.Errorf("rule metadata lacks %s", strings.Join(missing, ", "))
	}
	if !ruleIDPattern.MatchString(r.ID) {
		return r, fmt.Errorf("rule id %q is not kebab-case", r.ID)
	}
	if want := RulePackagePrefix + strings.ReplaceAll(r.ID, "-", "_"); pkg != want {
		return r, fmt.Errorf("rule %s must live in package %s, not %s", r.ID, want, pkg)
	}
	if model.SeverityRank(r.Severity) == 0 {
		return r, fmt.Errorf("rule %s: unknown severity %q", r.ID, r.Severity)
	}
	if model.PersonaRank(r.Persona) == 0 {
		return r, fmt.Errorf("rule %s: unknown persona %q", r.ID, r.Persona)
	}
	for _, p := range r.Platforms {
		switch p {
		case model.PlatformGitHub, model.PlatformGitLab, model.PlatformCircleCI, model.PlatformJenkins:
		default:
			return r, fmt.Errorf("rule %s: unknown platform %q", r.ID, p)
		}
	}
	return r, nil
}

func stringField(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func listField(m map[string]any, key string) []string {
	raw, _ := m[key].([]any)
	var out []string
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
