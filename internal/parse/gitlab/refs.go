package gitlab

import (
	"regexp"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/secrets"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// variableReference matches $NAME and ${NAME}.
var variableReference = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// refCollector gathers references to credential-named variables in a job's values.
type refCollector struct {
	refs []model.SecretRef
}

// scan records the credential-named variable references in text (mapped by m, in the
// file reported as file).
func (c *refCollector) scan(text string, m *textpos.Map, file string) {
	for _, loc := range variableReference.FindAllStringSubmatchIndex(text, -1) {
		start, end := loc[2], loc[3]
		if start < 0 {
			start, end = loc[4], loc[5]
		}
		name := text[start:end]
		if !secrets.IsCredentialName(name) {
			continue
		}
		pos := m.Pos(loc[0], loc[1])
		if !pos.IsZero() {
			pos.File = file
		}
		c.refs = append(c.refs, model.SecretRef{Kind: model.SecretGitLab, Name: name, Pos: pos})
	}
}

// secretRefs returns the collected references, except to variables the file defines
// itself (those are not stored secrets).
func (c *refCollector) secretRefs(defined map[string]bool) []model.SecretRef {
	var out []model.SecretRef
	for _, r := range c.refs {
		if !defined[r.Name] {
			out = appendRefs(out, r)
		}
	}
	return out
}

// appendRefs appends the refs not already in list (same kind, name and position).
func appendRefs(list []model.SecretRef, refs ...model.SecretRef) []model.SecretRef {
	for _, r := range refs {
		dup := false
		for _, have := range list {
			if have == r {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, r)
		}
	}
	return list
}

// definedNames returns the names of vars.
func definedNames(vars []model.Var) map[string]bool {
	out := make(map[string]bool, len(vars))
	for _, v := range vars {
		out[v.Name] = true
	}
	return out
}

// exactReference reports whether value is exactly one variable reference, and its name.
func exactReference(value string) (string, bool) {
	loc := variableReference.FindStringSubmatchIndex(value)
	if loc == nil || loc[0] != 0 || loc[1] != len(value) {
		return "", false
	}
	if loc[2] >= 0 {
		return value[loc[2]:loc[3]], true
	}
	return value[loc[4]:loc[5]], true
}
