package model

// Personas say who a rule or finding is for: regular findings are on by default and
// must be high-signal; pedantic and auditor findings appear only when asked for.
const (
	PersonaRegular  = "regular"
	PersonaPedantic = "pedantic"
	PersonaAuditor  = "auditor"
)

// PersonaRank orders personas: a persona sees the findings of every persona of an equal
// or lower rank. Unknown names rank 0.
func PersonaRank(p string) int {
	switch p {
	case PersonaRegular:
		return 1
	case PersonaPedantic:
		return 2
	case PersonaAuditor:
		return 3
	}
	return 0
}

// Rule is a rule's metadata, read from the `# METADATA` block of its Rego package.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    string   `json:"severity"`
	Confidence  string   `json:"confidence"`
	Category    string   `json:"category"`
	Platforms   []string `json:"platforms"`
	Persona     string   `json:"persona"`
	CWE         string   `json:"cwe,omitempty"`
	Help        string   `json:"help"`
	// Package is the Rego package path, e.g. "pipeguard.rules.hardcoded_token".
	Package string `json:"package"`
	// Builtin is false for rules loaded from a user --policy directory.
	Builtin bool `json:"builtin"`
}
