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
// itself (those are not stored secrets), each once.
func (c *refCollector) secretRefs(defined func(name string) bool) []model.SecretRef {
	var out refSet
	for _, r := range c.refs {
		if !defined(r.Name) {
			out.add(r)
		}
	}
	return out.list
}

// refSet collects secret references, each kind, name and position once, in the order
// they are added.
type refSet struct {
	list []model.SecretRef
	seen map[model.SecretRef]bool
}

// add adds the refs not in the set yet.
func (s *refSet) add(refs ...model.SecretRef) {
	for _, r := range refs {
		if s.seen == nil {
			s.seen = map[model.SecretRef]bool{}
		}
		if !s.seen[r] {
			s.seen[r] = true
			s.list = append(s.list, r)
		}
	}
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
