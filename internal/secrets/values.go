package secrets

import (
	"regexp"
	"strings"
	"unicode"
)

// referencePattern matches any part of a value that refers to a value stored elsewhere:
// CI expressions and template parameters, shell and Windows variables, command
// substitutions, Groovy and Ruby interpolation, Jenkins credentials(), and secret-store
// references (vault:, op://, ARNs, AWS Secrets Manager / SSM, Azure Key Vault).
var referencePattern = regexp.MustCompile(`\$\{\{|\{\{|<<|\$\[\[|\$\(|` + "`" +
	`|\$[A-Za-z_{]|%[A-Za-z_][A-Za-z0-9_]*%|#\{` +
	`|(?i:credentials\(|vault:|op://|arn:aws|secretsmanager|\bssm:|\{resolve:|@microsoft\.keyvault|akv://|gcp:secretmanager|sm://)`)

// namedReference matches a whole value that names a variable instead of holding one:
// `secrets.NPM_TOKEN`, `env.TOKEN` or an environment variable name such as NPM_TOKEN.
var namedReference = regexp.MustCompile(`^(?:(?:secrets|vars|env|inputs|github|steps|needs|matrix|params|parameters|pipeline)\.[A-Za-z0-9_.-]+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$`)

// IsReference reports whether v refers, in whole or in part, to a value stored or
// computed elsewhere (`${{ secrets.X }}`, `$VAR`, `$(cmd)`, `%VAR%`, `<< parameters.x >>`,
// `$[[ inputs.x ]]`, `credentials('id')`, `vault:…`, `op://…`, an ARN, a variable name). A
// value that mixes a literal with a reference (`Bearer $TOKEN`) is a reference too.
func IsReference(v string) bool {
	return referencePattern.MatchString(v) || namedReference.MatchString(strings.TrimSpace(v))
}

// shellDefault matches `${VAR:-default}`, `${VAR-default}`, `${VAR:=default}` with a
// default free of further expansions; group 1 is the default.
var shellDefault = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=]([^}$` + "`" + `]*)\}`)

// literalCandidates returns the spans of value that could be a literal credential: the
// literal defaults of `${VAR:-default}` expansions, or else the whole value (trimmed)
// when it refers to nothing. `Bearer X`, `Basic X` and `token X` give the span of X; any
// other value with inner spaces is prose, not a credential.
func literalCandidates(value string) [][2]int {
	spans := literalDefaults(value)
	if len(spans) > 0 || IsReference(value) {
		return spans
	}
	s, e := trimSpan(value, 0, len(value))
	if i := strings.IndexFunc(value[s:e], unicode.IsSpace); i >= 0 {
		scheme := strings.ToLower(value[s : s+i])
		rest, restEnd := trimSpan(value, s+i, e)
		if !authSchemes[scheme] || strings.IndexFunc(value[rest:restEnd], unicode.IsSpace) >= 0 {
			return nil
		}
		s = rest
	}
	if e <= s {
		return nil
	}
	return [][2]int{{s, e}}
}

// literalDefaults returns the spans of the literal defaults of `${VAR:-default}`
// expansions in value.
func literalDefaults(value string) [][2]int {
	if !strings.Contains(value, "${") {
		return nil
	}
	var spans [][2]int
	for _, d := range shellDefault.FindAllStringSubmatchIndex(value, -1) {
		if s, e := trimSpan(value, d[2], d[3]); e > s {
			spans = append(spans, [2]int{s, e})
		}
	}
	return spans
}

// authSchemes are the words that may precede a credential in a header value.
var authSchemes = map[string]bool{"bearer": true, "basic": true, "token": true, "digest": true}

// trimSpan returns [start, end) without leading and trailing white space and quotes.
func trimSpan(s string, start, end int) (int, int) {
	for start < end && strings.IndexByte(" \t\r\n'\"", s[start]) >= 0 {
		start++
	}
	for end > start && strings.IndexByte(" \t\r\n'\"", s[end-1]) >= 0 {
		end--
	}
	return start, end
}

// judgeLiteral decides whether v, a literal held by a credential named name, is a
// credential to report, and with which confidence.
func judgeLiteral(v, name string) (confidence string, ok bool) {
	switch {
	case len(v) < minLiteralLength,
		strings.IndexFunc(v, unicode.IsSpace) >= 0,
		IsReference(v),
		IsPlaceholder(v),
		IsPublicIdentifier(v),
		isWeakDefault(v, name),
		namesACredential(v):
		return "", false
	case gitSHA.MatchString(v):
		return ConfidenceMedium, true
	}
	return ConfidenceHigh, true
}

var gitSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// credentialIDPattern matches values made only of letters and separators that contain a
// credential word: `FOOcredentials`, `github-token-prod`, `deployKey`. Such a value names
// a stored credential (a Jenkins credentials id, a secret's name) rather than being one.
var credentialIDPattern = regexp.MustCompile(`(?i)^[a-z._-]*(cred|token|secret|passw|pwd|key)[a-z._-]*$`)

// namesACredential reports whether v looks like the name or id of a credential.
func namesACredential(v string) bool {
	return credentialIDPattern.MatchString(v)
}

// placeholderValues are whole values that stand for a credential without being one.
var placeholderValues = setOf("secret", "password", "passwd", "token", "apikey", "api-key",
	"api_key", "none", "null", "nil", "undefined", "true", "false", "empty", "unset",
	"required", "optional", "inherit", "masked", "hidden", "disabled", "enabled")

// placeholderMarkers are substrings that make any value a placeholder.
var placeholderSubstrings = []string{"xxx", "***", "...", "…", "changeme", "change-me", "change_me",
	"changeit", "example", "placeholder", "redacted", "dummy", "replaceme", "replace-me", "replace_me",
	"replace_with", "replace-with", "insert-", "insert_", "fill-in", "fill_in", "not-a-secret",
	"not_a_secret", "notasecret", "notsecret", "not-secret", "fakesecret", "faketoken", "fake-",
	"fake_", "-fake", "_fake", "invalid", "testtoken", "test-token", "test_token", "testsecret",
	"test-secret", "test_secret", "testpass", "test-pass", "test_pass", "mytoken", "my-token",
	"my_token", "mysecret", "my-secret", "my_secret"}

// placeholderTokens are words of a value that make it a placeholder (`test-api-key`).
var placeholderTokens = setOf("test", "tests", "testing", "foo", "bar", "baz", "qux", "sample",
	"fake", "mock", "todo", "tbd", "fixme", "none", "null", "nil", "undefined", "dev", "local",
	"demo", "default", "unused", "ignored", "anything", "something", "whatever", "value", "here")

// IsPlaceholder reports whether v is a placeholder rather than a credential, matched on
// the whole value (`changeme`, `secret`, `none`) or on its words and parts (`<token>`,
// `{token}`, `your-api-key-here`, `xxxx…`, `****`, `...`, `example`, `dummy`, `test`,
// `foo`, AWS `…EXAMPLE`).
func IsPlaceholder(v string) bool {
	lower := strings.ToLower(strings.TrimSpace(v))
	if placeholderValues[lower] {
		return true
	}
	if (strings.Contains(v, "<") && strings.Contains(v, ">")) || (strings.Contains(v, "{") && strings.Contains(v, "}")) {
		return true
	}
	for _, m := range placeholderSubstrings {
		if strings.Contains(lower, m) {
			return true
		}
	}
	for _, t := range strings.FieldsFunc(lower, notAlnum) {
		if placeholderTokens[t] || strings.HasPrefix(t, "your") {
			return true
		}
	}
	return false
}

var (
	urlScheme   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
	imageDigest = regexp.MustCompile(`^(?:sha1|sha256|sha384|sha512|md5):[0-9a-fA-F]+$|@sha256:[0-9a-f]{64}$`)
	actionPin   = regexp.MustCompile(`@[0-9a-f]{40}$`)
	emailLike   = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$`)
	hostLike    = regexp.MustCompile(`^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]+)?$`)
	// lowerName is a lower-case name or phrase such as `registry-credentials` or `inherit`.
	lowerName  = regexp.MustCompile(`^[a-z]+(?:[-_.][a-z]+)*[0-9]?$`)
	numberLike = regexp.MustCompile(`^[0-9][0-9._:+-]*$`)
	// secretSpec is a BuildKit or similar secret mount spec (`id=npmrc,src=…`).
	secretSpec = regexp.MustCompile(`^(?:id|src|source|env|type|target|required|mode|uid|gid|dst|destination)=`)
	pathLike   = regexp.MustCompile(`^(?:/|\./|\.\./|~/|[A-Za-z]:\\)|^[a-z0-9_.@-]*(?:/[a-z0-9_.@-]*)+$|\.(?:json|pem|key|txt|p12|pfx|jks|keystore|ya?ml|gpg|asc|crt|cer|env|properties|xml|enc|npmrc|netrc|cfg|conf|ini|toml)$`)
)

// IsPublicIdentifier reports whether v is public by nature although it may sit under a
// credential-like name: a Stripe publishable key (`pk_live_`, `pk_test_`), an image digest
// (`sha256:…`), an action pin (`…@<40 hex>`), a URL (any password in it is judged on its
// own), an e-mail address, a host name, a file path, a number or version, a secret mount
// spec (`id=npmrc,src=…`), or a lower-case name such as `registry-credentials`. UUIDs are not public: many API keys are UUIDs.
func IsPublicIdentifier(v string) bool {
	return strings.HasPrefix(v, "pk_live_") || strings.HasPrefix(v, "pk_test_") ||
		imageDigest.MatchString(v) || actionPin.MatchString(v) || urlScheme.MatchString(v) ||
		emailLike.MatchString(v) || hostLike.MatchString(v) || pathLike.MatchString(v) ||
		numberLike.MatchString(v) || lowerName.MatchString(v) || secretSpec.MatchString(v)
}

// weakWords are the words that test and development credentials are made of
// (`postgres`, `mysecretpassword`, `minioadmin`, `Passw0rd123`): values built only from
// them are defaults of local service containers, not credentials worth a finding.
var weakWords = setOf("password", "passwd", "pass", "pwd", "secret", "secrets", "token", "key",
	"api", "test", "testing", "tester", "tests", "postgres", "postgresql", "psql", "pg", "mysql",
	"mariadb", "maria", "root", "admin", "administrator", "user", "users", "username", "guest",
	"default", "demo", "sample", "dummy", "fake", "mock", "local", "localhost", "dev", "devel",
	"development", "ci", "my", "your", "the", "change", "me", "it", "foo", "bar", "baz", "qux",
	"hello", "world", "db", "database", "redis", "mongo", "mongodb", "rabbit", "rabbitmq",
	"minio", "keycloak", "sonar", "sa", "letmein", "qwerty", "abc", "xyz", "temp", "tmp",
	"super", "superuser", "strong", "very", "safe", "insecure", "unsafe", "not", "do", "use",
	"only", "in", "for", "app", "application", "service", "server", "client", "web", "pipeline",
	"build", "runner", "grafana", "elastic", "kibana", "nexus", "oracle", "mssql", "sql",
	"clickhouse", "cassandra", "neo4j", "vault", "docker", "jenkins", "gitlab", "github",
	"airflow", "django", "rails", "flask", "node", "npm", "bitnami", "couchdb", "couch", "pw",
	"auth", "login", "access", "private", "public", "shared", "common", "new", "old", "one",
	"two", "password1", "passw0rd", "p4ssw0rd", "pa55word", "s3cr3t", "s3cret", "hunter")

// isWeakDefault reports whether v consists only of weak words, words of the credential's
// own name, and digits (`postgres`, `mysql_root_password`, `secret123`, `Pa$$w0rd`).
func isWeakDefault(v, name string) bool {
	own := SplitName(name)
	if madeOfWeakWords(strings.ToLower(v), own) {
		return true
	}
	return madeOfWeakWords(unLeet(strings.ToLower(v)), own)
}

func madeOfWeakWords(v string, own []string) bool {
	for _, part := range strings.FieldsFunc(v, notAlnum) {
		if weakWords[part] {
			continue
		}
		for _, run := range letterRuns(part) {
			if !segmentsInto(run, own) {
				return false
			}
		}
	}
	return true
}

// letterRuns returns the runs of letters of s; digits separate them.
func letterRuns(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// segmentsInto reports whether s is a concatenation of weak words and own words.
func segmentsInto(s string, own []string) bool {
	ok := make([]bool, len(s)+1)
	ok[0] = true
	for end := 1; end <= len(s); end++ {
		for start := 0; start < end && !ok[end]; start++ {
			if !ok[start] {
				continue
			}
			w := s[start:end]
			if len(w) >= 2 && (weakWords[w] || contains(own, w)) {
				ok[end] = true
			}
		}
	}
	return ok[len(s)]
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// unLeet undoes the usual letter substitutions of weak passwords (`p@ssw0rd`, `Pa$$w0rd`):
// `@` and `$` everywhere, digits only between two letters, so `password123` keeps its
// number.
func unLeet(s string) string {
	b := []byte(strings.NewReplacer("@", "a", "$", "s").Replace(s))
	digitLetters := map[byte]byte{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't'}
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' }
	for i := 1; i+1 < len(b); i++ {
		if l, ok := digitLetters[b[i]]; ok && isLetter(b[i-1]) && isLetter(b[i+1]) {
			b[i] = l
		}
	}
	return string(b)
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// structuralMatches returns the literals held by value under the credential-named key.
func structuralMatches(key, value string) []match {
	if len(value) < minLiteralLength {
		return nil
	}
	name := lastKeySegment(key)
	var out []match
	for _, c := range literalCandidates(value) {
		if confidence, ok := judgeLiteral(value[c[0]:c[1]], name); ok {
			out = append(out, match{start: c[0], end: c[1], rule: RuleCredentialKey,
				provider: vendorOf(name), confidence: confidence, key: key})
		}
	}
	return out
}

// urlUserinfo matches a URL with a password in its userinfo; group 1 is the user and
// group 2 the password.
var urlUserinfo = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://([^\s:/?#@'"]*):([^\s/?#@'"]+)@[^\s/?#@'"]`)

// hasURLUserinfo reports cheaply whether value may hold a URL with `user:password@`:
// a `://` followed by `:` and `@` before the end of the URL's authority.
func hasURLUserinfo(value string) bool {
	for rest := value; ; {
		i := strings.Index(rest, "://")
		if i < 0 {
			return false
		}
		rest = rest[i+3:]
		end := strings.IndexAny(rest, "/?# \t\r\n'\"")
		if end < 0 {
			end = len(rest)
		}
		authority := rest[:end]
		if at := strings.LastIndexByte(authority, '@'); at > 0 && strings.IndexByte(authority[:at], ':') >= 0 {
			return true
		}
	}
}

// urlCredentialMatches returns the literal passwords written in URL userinfo.
func urlCredentialMatches(value string) []match {
	if !hasURLUserinfo(value) {
		return nil
	}
	var out []match
	for _, sm := range urlUserinfo.FindAllStringSubmatchIndex(value, -1) {
		user, password := value[sm[2]:sm[3]], value[sm[4]:sm[5]]
		if _, ok := judgeLiteral(password, user); ok {
			out = append(out, match{start: sm[4], end: sm[5], rule: RuleURLCredentials, confidence: ConfidenceHigh})
		}
	}
	return out
}
