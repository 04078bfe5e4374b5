package secrets

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// Masker redacts secrets from text derived from a scanned file (the model printed by
// `pipeguard inspect`, a message quoting the file): the secrets the scan found, known by
// their positions in the file, and any provider-format token, each replaced by Redact.
type Masker struct {
	// known are the secret strings found in the file, longest first, so that a secret
	// that contains another is replaced whole.
	known []string
}

// NewMasker returns a Masker for the file src whose secrets lie at positions.
func NewMasker(src []byte, positions []model.Pos) *Masker {
	m := &Masker{}
	for _, p := range positions {
		start, end, ok := textpos.Offsets(src, p)
		if !ok || end == start {
			continue
		}
		if s := string(src[start:end]); !slices.Contains(m.known, s) {
			m.known = append(m.known, s)
		}
	}
	slices.SortFunc(m.known, func(a, b string) int { return len(b) - len(a) })
	return m
}

// Mask returns s with every known secret and every provider-format token redacted.
func (m *Masker) Mask(s string) string {
	for _, secret := range m.known {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Redact(secret))
		}
	}
	return MaskTokens(s)
}

// MaskTokens returns s with every provider-format token (and URL password) redacted.
func MaskTokens(s string) string {
	return replaceTokens(s, Redact)
}

// BlankTokens returns s with every provider-format token (and URL password) replaced by
// as many asterisks as it has characters, so that columns stay where they were (a source
// line quoted above a caret span).
func BlankTokens(s string) string {
	return replaceTokens(s, func(secret string) string { return strings.Repeat("*", utf8.RuneCountInString(secret)) })
}

// replaceTokens replaces every token the detector finds in s by with(token).
func replaceTokens(s string, with func(string) string) string {
	var found []match
	if rules := candidateRules(s); rules != 0 {
		found = providerMatches(s, rules)
	}
	found = appendUnlessOverlapping(found, urlCredentialMatches(s)...)
	if len(found) == 0 {
		return s
	}
	slices.SortFunc(found, func(a, b match) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, f := range found {
		if f.start < last {
			continue
		}
		b.WriteString(s[last:f.start])
		b.WriteString(with(s[f.start:f.end]))
		last = f.end
	}
	b.WriteString(s[last:])
	return b.String()
}
