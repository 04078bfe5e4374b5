package secrets

import (
	"regexp"
	"strings"
)

// providerRule finds one provider's token format. Rules only run on values that contain
// one of their keywords, which candidateRules finds in a single pass.
type providerRule struct {
	id         string
	provider   string
	confidence string
	// keywords are literal substrings one of which every token of the rule contains.
	keywords []string
	pattern  *regexp.Regexp
	// find replaces pattern for formats a regular expression describes badly.
	find func(value string) [][]int
	// anyBefore lets a token follow an identifier character (a PEM header, a URL).
	anyBefore bool
	// tokenAfter is the set of characters that may not directly follow a token of a
	// fixed-length format (the token would be a part of a longer run).
	tokenAfter string
}

const (
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base64URL   = alnum + "_-"
	identifiers = alnum + "_"
)

// providerRules lists every provider format. Order matters only for ties: when two
// matches start at the same offset the longer one wins, then the earlier rule.
var providerRules = []providerRule{
	{id: "anthropic-api-key", provider: "anthropic", confidence: ConfidenceHigh,
		keywords: []string{"sk-ant-"},
		pattern:  regexp.MustCompile(`sk-ant-(?:api03|admin01|oat01)-[A-Za-z0-9_-]{32,}`)},
	{id: "openai-api-key", provider: "openai", confidence: ConfidenceHigh,
		keywords: []string{"T3BlbkFJ"},
		pattern:  regexp.MustCompile(`sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}`)},
	{id: "openai-api-key", provider: "openai", confidence: ConfidenceHigh,
		keywords: []string{"sk-proj-", "sk-svcacct-", "sk-admin-"},
		pattern:  regexp.MustCompile(`sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}`)},
	{id: "github-pat", provider: "github", confidence: ConfidenceHigh,
		keywords: []string{"ghp_"}, pattern: regexp.MustCompile(`ghp_[A-Za-z0-9]{36,}`)},
	{id: "github-oauth-token", provider: "github", confidence: ConfidenceHigh,
		keywords: []string{"gho_"}, pattern: regexp.MustCompile(`gho_[A-Za-z0-9]{36,}`)},
	{id: "github-user-token", provider: "github", confidence: ConfidenceHigh,
		keywords: []string{"ghu_"}, pattern: regexp.MustCompile(`ghu_[A-Za-z0-9]{36,}`)},
	{id: "github-app-token", provider: "github", confidence: ConfidenceHigh,
		keywords: []string{"ghs_"}, pattern: regexp.MustCompile(`ghs_[A-Za-z0-9]{36,}`)},
	{id: "github-refresh-token", provider: "github", confidence: ConfidenceHigh,
		keywords: []string{"ghr_"}, pattern: regexp.MustCompile(`ghr_[A-Za-z0-9]{36,}`)},
	{id: "github-fine-grained-pat", provider: "github", confidence: ConfidenceHigh,
		keywords: []string{"github_pat_"}, pattern: regexp.MustCompile(`github_pat_[A-Za-z0-9_]{60,}`)},
	{id: "gitlab-pat", provider: "gitlab", confidence: ConfidenceHigh,
		keywords: []string{"glpat-"}, pattern: regexp.MustCompile(`glpat-[A-Za-z0-9_.-]{20,}`)},
	{id: "gitlab-deploy-token", provider: "gitlab", confidence: ConfidenceHigh,
		keywords: []string{"gldt-"}, pattern: regexp.MustCompile(`gldt-[A-Za-z0-9_.-]{20,}`)},
	{id: "gitlab-runner-token", provider: "gitlab", confidence: ConfidenceHigh,
		keywords: []string{"glrt-"}, pattern: regexp.MustCompile(`glrt-[A-Za-z0-9_.-]{20,}`)},
	{id: "gitlab-job-token", provider: "gitlab", confidence: ConfidenceHigh,
		keywords: []string{"glcbt-"}, pattern: regexp.MustCompile(`glcbt-[A-Za-z0-9_.-]{20,}`)},
	{id: "gitlab-trigger-token", provider: "gitlab", confidence: ConfidenceHigh,
		keywords: []string{"glptt-"}, pattern: regexp.MustCompile(`glptt-[A-Za-z0-9_.-]{20,}`)},
	{id: "gitlab-runner-registration-token", provider: "gitlab", confidence: ConfidenceHigh,
		keywords: []string{"GR1348941"}, pattern: regexp.MustCompile(`GR1348941[A-Za-z0-9_-]{20,}`)},
	{id: "aws-access-key-id", provider: "aws", confidence: ConfidenceHigh,
		keywords:   []string{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"},
		pattern:    regexp.MustCompile(`(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}`),
		tokenAfter: alnum},
	{id: "google-api-key", provider: "google", confidence: ConfidenceHigh,
		keywords: []string{"AIza"}, pattern: regexp.MustCompile(`AIza[A-Za-z0-9_-]{35}`), tokenAfter: base64URL},
	{id: "slack-token", provider: "slack", confidence: ConfidenceHigh,
		keywords: []string{"xox"}, pattern: regexp.MustCompile(`xox[baprs]-[0-9]+-[A-Za-z0-9-]{10,}`)},
	{id: "slack-webhook", provider: "slack", confidence: ConfidenceHigh,
		keywords: []string{"hooks.slack.com/"}, anyBefore: true,
		pattern: regexp.MustCompile(`https://hooks\.slack\.com/(?:services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{16,}|(?:workflows|triggers)/T[A-Z0-9]{6,}/[A-Za-z0-9/]{20,})`)},
	{id: "stripe-secret-key", provider: "stripe", confidence: ConfidenceHigh,
		keywords: []string{"sk_live_"}, pattern: regexp.MustCompile(`sk_live_[A-Za-z0-9]{20,}`)},
	{id: "stripe-restricted-key", provider: "stripe", confidence: ConfidenceHigh,
		keywords: []string{"rk_live_"}, pattern: regexp.MustCompile(`rk_live_[A-Za-z0-9]{20,}`)},
	{id: "stripe-test-key", provider: "stripe", confidence: ConfidenceLow,
		keywords: []string{"sk_test_", "rk_test_"}, pattern: regexp.MustCompile(`[sr]k_test_[A-Za-z0-9]{20,}`)},
	{id: "npm-token", provider: "npm", confidence: ConfidenceHigh,
		keywords: []string{"npm_"}, pattern: regexp.MustCompile(`npm_[A-Za-z0-9]{36}`), tokenAfter: alnum},
	{id: "pypi-token", provider: "pypi", confidence: ConfidenceHigh,
		keywords: []string{"pypi-AgEIcHlwaS5vcmc"}, pattern: regexp.MustCompile(`pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}`)},
	{id: "dockerhub-pat", provider: "docker", confidence: ConfidenceHigh,
		keywords: []string{"dckr_pat_", "dckr_oat_"}, pattern: regexp.MustCompile(`dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}`)},
	{id: "huggingface-token", provider: "huggingface", confidence: ConfidenceHigh,
		keywords: []string{"hf_"}, pattern: regexp.MustCompile(`hf_[A-Za-z]{30,}`), tokenAfter: alnum},
	{id: "private-key", confidence: ConfidenceHigh, anyBefore: true,
		keywords: []string{"PRIVATE KEY"}, find: findPrivateKeys},
	{id: "jwt", confidence: ConfidenceMedium,
		keywords: []string{"eyJ"},
		pattern:  regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}`)},
}

// keyword is one prefilter string and the rules (a bit set over providerRules) it admits.
type keyword struct {
	text  string
	rules uint64
}

// keywordIndex finds the prefilter keywords of providerRules in one pass over a value.
// The rule sets are 64-bit masks: providerRules may hold at most 64 rules (a test checks
// it). Every keyword is at least three bytes long.
type keywordIndex struct {
	// triples has a bit for a hash of every three-byte start of a keyword, so most
	// positions of a value are passed over after one bit test.
	triples [1 << 16 / 64]uint64
	// byFirstByte lists the keywords by their first byte.
	byFirstByte [256][]keyword
}

var keywords = buildKeywordIndex()

// tripleHash hashes the three bytes at the start of s into 16 bits.
func tripleHash(a, b, c byte) uint32 {
	return (uint32(a)<<9 ^ uint32(b)<<4 ^ uint32(c)) & 0xffff
}

func buildKeywordIndex() *keywordIndex {
	var index keywordIndex
	for i, r := range providerRules {
		for _, k := range r.keywords {
			h := tripleHash(k[0], k[1], k[2])
			index.triples[h/64] |= 1 << (h % 64)
			list := index.byFirstByte[k[0]]
			merged := false
			for j := range list {
				if list[j].text == k {
					list[j].rules |= 1 << i
					merged = true
				}
			}
			if !merged {
				list = append(list, keyword{text: k, rules: 1 << i})
			}
			index.byFirstByte[k[0]] = list
		}
	}
	return &index
}

// candidateRules returns the bit set of provider rules whose keywords occur in value.
func candidateRules(value string) uint64 {
	var rules uint64
	triples := &keywords.triples
	for i := 0; i+2 < len(value); i++ {
		h := tripleHash(value[i], value[i+1], value[i+2])
		if triples[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		for _, k := range keywords.byFirstByte[value[i]] {
			if strings.HasPrefix(value[i:], k.text) {
				rules |= k.rules
			}
		}
	}
	return rules
}

// providerMatches runs the rules of the bit set on value and returns their matches,
// without overlaps, placeholders or tokens embedded in longer identifier runs.
func providerMatches(value string, rules uint64) []match {
	var found []match
	for i, r := range providerRules {
		if rules&(1<<i) == 0 {
			continue
		}
		var spans [][]int
		if r.find != nil {
			spans = r.find(value)
		} else {
			spans = r.pattern.FindAllStringIndex(value, -1)
		}
		for _, sp := range spans {
			start, end := sp[0], sp[1]
			if !r.anyBefore && start > 0 && strings.IndexByte(identifiers, value[start-1]) >= 0 {
				continue
			}
			if r.tokenAfter != "" && end < len(value) && strings.IndexByte(r.tokenAfter, value[end]) >= 0 {
				continue
			}
			token := value[start:end]
			if isPlaceholderToken(token[len(PublicPrefix(token)):]) {
				continue
			}
			m := match{start: start, end: end, rule: r.id, provider: r.provider, confidence: r.confidence}
			found = keepLonger(found, m)
		}
	}
	return found
}

// keepLonger adds m to found unless an overlapping match is at least as long; shorter
// overlapping matches give way to m.
func keepLonger(found []match, m match) []match {
	kept := found[:0]
	for _, f := range found {
		if m.start < f.end && f.start < m.end {
			if f.end-f.start >= m.end-m.start {
				return found
			}
			continue
		}
		kept = append(kept, f)
	}
	return append(kept, m)
}

var pemHeaderAnywhere = regexp.MustCompile(`-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----`)
var pemFooter = regexp.MustCompile(`^-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----`)

// minPEMBody is the number of base64 characters a private key block must hold to count:
// a header alone (in a grep pattern, a comment) is not a key.
const minPEMBody = 64

// findPrivateKeys returns the spans of private key blocks: a PEM header followed by at
// least minPEMBody base64 characters (PEM headers such as Proc-Type, spaces, and `\n`
// escapes in between are allowed), through the footer when there is one.
func findPrivateKeys(value string) [][]int {
	var spans [][]int
	for _, h := range pemHeaderAnywhere.FindAllStringIndex(value, -1) {
		body, end := 0, h[1]
		for i := h[1]; i < len(value); i++ {
			c := value[i]
			if strings.IndexByte(alnum+"+/=", c) >= 0 {
				body++
				end = i + 1
				continue
			}
			if c == '-' {
				if f := pemFooter.FindString(value[i:]); f != "" {
					end = i + len(f)
				}
				break
			}
			if strings.IndexByte(" \t\r\n\\:,.", c) < 0 {
				break
			}
		}
		if body >= minPEMBody {
			spans = append(spans, []int{h[0], end})
		}
	}
	return spans
}

// placeholderMarkers are substrings that make a token-shaped value a documentation
// example rather than a credential.
var placeholderMarkers = []string{"xxxx", "XXXX", "****", "....", "EXAMPLE", "example", "Example", "placeholder", "PLACEHOLDER", "your", "YOUR", "redacted", "REDACTED", "dummy", "DUMMY", "123456789", "abcdefgh", "ABCDEFGH"}

// isPlaceholderToken reports whether the body of a provider token (the part after its
// public prefix) is a placeholder: a marker such as `xxxx` or `EXAMPLE`, a run of six
// equal characters, or too few distinct characters to be random.
func isPlaceholderToken(body string) bool {
	for _, p := range placeholderMarkers {
		if strings.Contains(body, p) {
			return true
		}
	}
	var seen [256]bool
	distinct, run := 0, 0
	for i := 0; i < len(body); i++ {
		if !seen[body[i]] {
			seen[body[i]] = true
			distinct++
		}
		if i > 0 && body[i] == body[i-1] {
			run++
			if run >= 5 {
				return true
			}
		} else {
			run = 0
		}
	}
	return len(body) >= 16 && distinct < 8
}
