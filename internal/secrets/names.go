package secrets

import (
	"strings"
	"unicode"
)

// credentialWords are name words that say the value is a credential.
var credentialWords = setOf(
	"token", "tokens", "secret", "secrets", "password", "passwords", "passwd", "passphrase",
	"credential", "credentials", "creds", "bearer", "pat",
	"apikey", "apikeys", "accesskey", "privatekey", "secretkey", "authtoken", "accesstoken",
)

// credentialSuffixes make a compound word a credential word (`githubtoken`, `dbpassword`).
var credentialSuffixes = []string{"token", "secret", "password", "passwd", "apikey", "pwd"}

// notCredentialWords end in a credential suffix but are no credential (OLDPWD).
var notCredentialWords = setOf("oldpwd")

// keyQualifiers are the words that make a following `key` a credential (`api key`,
// `ssh key`, `signing key`); a plain `key` (a cache key, a map key) is not one.
var keyQualifiers = setOf(
	"api", "access", "private", "secret", "ssh", "deploy", "signing", "sign", "encryption",
	"encrypt", "master", "client", "license", "auth", "app", "account", "gpg", "pgp",
	"webhook", "hmac", "jwt", "session", "consumer", "subscription", "admin",
)

// nonSecretAfter are words that, after the credential word, make the name describe
// something about a credential rather than hold it: AWS_ACCESS_KEY_ID, TOKEN_URL,
// PASSWORD_FILE, SECRET_NAME, token_permissions, --password-stdin.
var nonSecretAfter = setOf(
	"id", "ids", "url", "uri", "urls", "file", "files", "path", "paths", "dir", "directory",
	"name", "names", "user", "username", "usr", "uid", "gid", "fpr", "keyid", "email", "mail", "address", "env",
	"type", "types", "kind", "header", "endpoint", "length", "len", "size", "timeout", "ttl",
	"expiry", "expires", "expiration", "lifetime", "duration", "days", "enabled", "enable",
	"disabled", "required", "version", "region", "host", "hostname", "port", "permissions",
	"permission", "scope", "scopes", "policy", "role", "arn", "format", "mode", "method",
	"prefix", "suffix", "pattern", "regex", "location", "var", "variable", "variables", "ref",
	"reference", "count", "provider", "audience", "aud", "issuer", "source", "src", "stdin",
	"manager", "vault", "store", "description", "desc", "label", "help", "hint", "field",
	"param", "parameter", "mount", "engine", "rotation", "hash", "valid", "check",
	"validation", "scanning", "scan", "exists", "set", "present", "available", "missing",
	"status", "result", "fingerprint", "command", "cmd", "input", "list", "request",
	"context", "generator",
)

// nonSecretFirst are first words that make the name a switch about a credential
// (USE_TOKEN, SKIP_SECRETS, with-token, persist-credentials).
var nonSecretFirst = setOf("no", "skip", "use", "with", "without", "has", "is", "enable", "persist",
	"disable", "should", "allow", "generate", "create", "rotate", "revoke", "mask", "check",
	"require", "requires", "need", "needs", "validate", "verify", "fetch", "get", "read", "load")

// IsCredentialName reports whether name (an env variable, input, key or flag name) names
// a credential: it contains a credential word (token, secret, password, passwd, pwd as a
// suffix, api/access/private/ssh… key, client secret, credential, auth at the end, bearer,
// pat as a whole word) and no later word that makes it describe the credential instead
// (an id, url, file, name, user, type, …). Names are split on `_ - . / :` and spaces and
// at camelCase boundaries.
func IsCredentialName(name string) bool {
	if !mayBeCredentialName(name) {
		return false
	}
	words := SplitName(name)
	if len(words) == 0 || nonSecretFirst[words[0]] {
		return false
	}
	last := -1
	for i := range words {
		if isCredentialWord(words, i) {
			last = i
		}
	}
	if last < 0 {
		return false
	}
	for i := last + 1; i < len(words); i++ {
		if nonSecretAfter[words[i]] {
			return false
		}
	}
	return true
}

// agentCredentialNames are the environment variables AI coding agents read their
// credential from; a leak of one hands out its creator's full permissions.
var agentCredentialNames = setOf(
	"OPENAI_API_KEY", "CODEX_API_KEY", "CODEX_ACCESS_TOKEN", "ANTHROPIC_API_KEY",
	"CLAUDE_CODE_OAUTH_TOKEN", "GEMINI_API_KEY", "GOOGLE_API_KEY", "CURSOR_API_KEY",
	"COPILOT_GITHUB_TOKEN",
)

// IsAgentCredential reports whether name (ignoring case) is a credential that AI coding
// agents read (OPENAI_API_KEY, CODEX_ACCESS_TOKEN, ANTHROPIC_API_KEY, …).
func IsAgentCredential(name string) bool {
	return agentCredentialNames[strings.ToUpper(lastKeySegment(name))]
}

// credentialStems are substrings (lower case) that every credential name contains.
var credentialStems = []string{"token", "secret", "pass", "pwd", "key", "cred", "auth", "bearer", "pat"}

// mayBeCredentialName is IsCredentialName's cheap prefilter: whether name contains a
// credential stem, ignoring ASCII case.
func mayBeCredentialName(name string) bool {
	var buf [64]byte
	if len(name) > len(buf) {
		return true
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	lower := string(buf[:len(name)])
	for _, stem := range credentialStems {
		if strings.Contains(lower, stem) {
			return true
		}
	}
	return false
}

// isCredentialWord reports whether words[i] makes the name a credential name.
func isCredentialWord(words []string, i int) bool {
	w := words[i]
	switch {
	case credentialWords[w]:
		return true
	case w == "key" || w == "keys":
		return i > 0 && keyQualifiers[words[i-1]]
	case w == "pwd":
		// DB_PWD; a lone PWD is the working directory.
		return len(words) > 1
	case w == "auth" || w == "pass":
		// DB_PASS, BASIC_AUTH, `_auth`: at the end only; AUTH_DOMAIN is no credential.
		return i == len(words)-1 && (w == "auth" || i > 0)
	}
	for _, s := range credentialSuffixes {
		if len(w) > len(s) && strings.HasSuffix(w, s) && !notCredentialWords[w] {
			return true
		}
	}
	return false
}

// SplitName splits a name into lower-case words at `_ - . / :`, spaces, and camelCase
// boundaries (`clientSecret` → client, secret; `APIKey` → api, key).
func SplitName(name string) []string {
	var words []string
	runes := []rune(name)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, strings.ToLower(string(runes[start:end])))
		}
		start = -1
	}
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start >= 0 && unicode.IsUpper(r) {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush(i)
			}
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(runes))
	return words
}

// vendorWords maps a name word to the provider whose credential the name holds.
var vendorWords = map[string]string{
	"openai": "openai", "codex": "openai", "anthropic": "anthropic", "claude": "anthropic",
	"gemini": "google", "google": "google", "gcp": "google", "github": "github", "gh": "github",
	"copilot": "github", "gitlab": "gitlab", "aws": "aws", "npm": "npm", "docker": "docker",
	"dockerhub": "docker", "slack": "slack", "stripe": "stripe", "pypi": "pypi",
	"huggingface": "huggingface", "hf": "huggingface", "cursor": "cursor", "azure": "azure",
	"sonar": "sonar", "codecov": "codecov", "snyk": "snyk", "datadog": "datadog", "dd": "datadog",
}

// vendorOf returns the provider a credential name belongs to (CODEX_ACCESS_TOKEN →
// openai), or "" when the name says nothing about it.
func vendorOf(name string) string {
	for _, w := range SplitName(name) {
		if v, ok := vendorWords[w]; ok {
			return v
		}
	}
	return ""
}

func setOf(words ...string) map[string]bool {
	s := make(map[string]bool, len(words))
	for _, w := range words {
		s[w] = true
	}
	return s
}
