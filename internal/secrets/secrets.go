// Package secrets detects credentials written literally in pipeline values and scripts,
// and redacts them. It is pipeguard's own curated detector: provider formats keyed on a
// distinctive prefix, credential-named keys holding literals, and script patterns.
//
// No returned value ever holds a secret: findings carry its redacted form (Redact) and a
// fingerprint (Fingerprint) only.
//
// Confidence levels:
//   - high: a provider token in its full format (except the ones below), a literal under a
//     credential-named key or variable, an Authorization header, `curl -u user:pass`, a
//     registry login password, URL userinfo, a private key block;
//   - medium: JWTs (often public anon keys), a literal given to a generic credential flag
//     such as `--token VALUE`, a bare 40-hex value under a credential name (legacy GitHub
//     tokens look like that, so do commit ids), `NAME=VALUE` words of commands other than
//     export/declare;
//   - low: Stripe test-mode keys.
package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// Confidence levels of a finding.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// RuleCredentialKey is the rule of a literal held by a credential-named key or variable.
const RuleCredentialKey = "credential-key"

// RuleURLCredentials is the rule of a password written in a URL's userinfo.
const RuleURLCredentials = "url-credentials"

// minLiteralLength is the shortest literal a structural rule reports.
const minLiteralLength = 8

// ScanValue returns the literal secrets in value, the value of key (an env name, an
// input name, a map key; empty when the value has no key). Provider-format tokens are
// found anywhere in value; a credential-named key holding a literal that is not a
// reference or placeholder yields a structural finding. Positions come from m.
//
// key may be a dotted path (`jobs.build.env.TOKEN`); only its last segment is judged.
func ScanValue(key, value string, m *textpos.Map) []model.LiteralSecret {
	credentialKey := IsCredentialName(lastKeySegment(key))
	found := tokenMatches(value)
	if credentialKey {
		found = appendUnlessOverlapping(found, structuralMatches(key, value)...)
	}
	if !credentialKey {
		key = ""
	}
	return findings(found, key, value, m)
}

// ScanPassword returns the literal secrets in value, the value of key, a known password
// field: a container's or service's `credentials.password`, a docker image's
// `auth.password`, a registry login's password input. A password field holds nothing
// but a password, so any literal there that is not a reference, a placeholder or empty
// is a hard-coded password (high confidence), however short or plain: `hackme`, `pass`,
// `P@ssw0rd`, an all-lowercase word. Provider-format tokens are found as by ScanValue.
func ScanPassword(key, value string, m *textpos.Map) []model.LiteralSecret {
	found := tokenMatches(value)
	for _, c := range literalCandidates(value) {
		if v := value[c[0]:c[1]]; !IsPlaceholder(v) {
			found = appendUnlessOverlapping(found, match{start: c[0], end: c[1], rule: RuleCredentialKey,
				provider: vendorOf(key), confidence: ConfidenceHigh, key: key})
		}
	}
	return findings(found, key, value, m)
}

// tokenMatches returns the provider-format tokens and URL passwords in value.
func tokenMatches(value string) []match {
	var found []match
	if rules := candidateRules(value); rules != 0 {
		found = providerMatches(value, rules)
	}
	return appendUnlessOverlapping(found, urlCredentialMatches(value)...)
}

// findings turns the matches in value into LiteralSecrets in order, positioned by m,
// with key (when not empty) as the key that held them.
func findings(found []match, key, value string, m *textpos.Map) []model.LiteralSecret {
	if len(found) == 0 {
		return nil
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].start < found[j].start })
	out := make([]model.LiteralSecret, 0, len(found))
	for _, f := range found {
		s := f.finding(value[f.start:f.end], m.Pos(f.start, f.end))
		if key != "" {
			s.Key = key
			s.Agent = IsAgentCredential(key)
		}
		out = append(out, s)
	}
	return out
}

// match is a secret found at the byte span [start, end) of a scanned string.
type match struct {
	start, end int
	rule       string
	provider   string
	confidence string
	key        string
}

// finding builds the LiteralSecret of m, whose secret text is secret, at pos.
func (m match) finding(secret string, pos model.Pos) model.LiteralSecret {
	return model.LiteralSecret{
		Rule:        m.rule,
		Provider:    m.provider,
		Confidence:  m.confidence,
		Redacted:    Redact(secret),
		Fingerprint: Fingerprint(secret),
		Key:         m.key,
		Agent:       m.key != "" && IsAgentCredential(m.key),
		Pos:         pos,
	}
}

// appendUnlessOverlapping appends every match of add that overlaps no match of found.
func appendUnlessOverlapping(found []match, add ...match) []match {
	for _, a := range add {
		if !overlapsAny(found, a) {
			found = append(found, a)
		}
	}
	return found
}

func overlapsAny(found []match, a match) bool {
	for _, f := range found {
		if a.start < f.end && f.start < a.end {
			return true
		}
	}
	return false
}

// lastKeySegment returns the last segment of a dotted key path, without an index suffix
// such as `[0]`. A key holding `/` (an npmrc `//registry/:_authToken` line) is kept whole.
func lastKeySegment(key string) string {
	if strings.Contains(key, "/") {
		return key
	}
	for len(key) > 0 && strings.IndexByte("]0123456789[", key[len(key)-1]) >= 0 {
		key = key[:len(key)-1]
	}
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// Redact returns the printable form of a secret: its public prefix, at most four more
// characters, its length and a short hash, e.g. `ghp_AbCd… (40 chars, 3f9a1c2e)`.
// Secrets shorter than 12 characters show nothing beyond the prefix; the shown
// characters stop at the first space or control character.
func Redact(secret string) string {
	prefix := PublicPrefix(secret)
	shown := prefix
	if len(secret) >= 12 {
		extra := 0
		for _, r := range secret[len(prefix):] {
			if extra == 4 || r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) {
				break
			}
			shown += string(r)
			extra++
		}
	}
	sum := sha256.Sum256([]byte(secret))
	return fmt.Sprintf("%s… (%d chars, %s)", shown, utf8.RuneCountInString(secret), hex.EncodeToString(sum[:4]))
}

// Fingerprint returns a stable identifier of secret that does not reveal it: the first 16
// hex digits of its SHA-256. The same secret in two files has the same fingerprint.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:8])
}

// publicPrefixes are token prefixes that say which kind of token it is and nothing about
// its value, longest first within each family so the most specific one wins.
var publicPrefixes = []string{
	"sk-ant-api03-", "sk-ant-admin01-", "sk-ant-oat01-",
	"sk-proj-", "sk-svcacct-", "sk-admin-", "sk-",
	"github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
	"glpat-", "gldt-", "glrt-", "glcbt-", "glptt-", "GR1348941",
	"AKIA", "ASIA", "ABIA", "ACCA", "A3T",
	"AIza",
	"xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-",
	"https://hooks.slack.com/services/", "https://hooks.slack.com/workflows/", "https://hooks.slack.com/triggers/",
	"sk_live_", "rk_live_", "sk_test_", "rk_test_",
	"npm_", "pypi-AgEIcHlwaS5vcmc", "dckr_pat_", "dckr_oat_", "hf_", "eyJ",
}

var pemHeader = regexp.MustCompile(`^-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----`)

// minSecretAfterPrefix is how much of a secret must follow a known prefix for the prefix
// to be shown: every provider format has at least that much, and a short value that only
// starts like a token (`sk-ant-admin01-0`) must not be shown almost whole.
const minSecretAfterPrefix = 16

// PublicPrefix returns the part of secret that names its format without revealing it
// (`ghp_`, `sk-proj-`, `AKIA`, a PEM header), or "" for a secret of no known format or
// one too short after the prefix to be of that format.
func PublicPrefix(secret string) string {
	best := pemHeader.FindString(secret)
	if best == "" {
		for _, p := range publicPrefixes {
			if len(p) > len(best) && strings.HasPrefix(secret, p) {
				best = p
			}
		}
	}
	if len(secret)-len(best) < minSecretAfterPrefix {
		return ""
	}
	return best
}
