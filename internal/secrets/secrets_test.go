package secrets

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/secrets/secretstest"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// Token-shaped test values come from secretstest, built at run time.
var (
	rnd             = secretstest.Rnd
	privateKeyBlock = secretstest.PrivateKeyBlock
	providerTokens  = secretstest.ProviderTokens
)

const (
	upperDigits = secretstest.UpperDigits
	letters     = secretstest.Letters
	digits      = secretstest.Digits
)

func TestScanValueProviderTokens(t *testing.T) {
	for _, tc := range providerTokens {
		t.Run(tc.Rule+"/"+tc.Prefix, func(t *testing.T) {
			// The token stands after `key: ` on the second line of the value, which starts
			// at line 7, column 3 of the file.
			value := "first line\nkey: " + tc.Value + " tail"
			got := ScanValue("", value, textpos.Verbatim(value, 7, 3))
			if len(got) != 1 {
				t.Fatalf("got %d findings, want 1: %+v", len(got), got)
			}
			lines := strings.Split(tc.Value, "\n")
			want := model.Pos{Line: 8, Col: 6, EndLine: 8 + len(lines) - 1, EndCol: 6 + len(tc.Value)}
			if len(lines) > 1 {
				want.EndCol = 1 + len(lines[len(lines)-1])
			}
			s := got[0]
			if s.Rule != tc.Rule || s.Provider != tc.Provider || s.Confidence != tc.Confidence || s.Pos != want {
				t.Errorf("got %s/%s/%s at %+v, want %s/%s/%s at %+v", s.Rule, s.Provider, s.Confidence, s.Pos, tc.Rule, tc.Provider, tc.Confidence, want)
			}
			if s.Redacted != Redact(tc.Value) || s.Fingerprint != Fingerprint(tc.Value) {
				t.Errorf("redacted %q fingerprint %q do not come from the token", s.Redacted, s.Fingerprint)
			}
			if !strings.HasPrefix(s.Redacted, tc.Prefix) {
				t.Errorf("redacted %q does not start with the public prefix %q", s.Redacted, tc.Prefix)
			}
		})
	}
}

func TestScanValueExactPositions(t *testing.T) {
	pat := "gh" + "p_" + rnd(1, 36, alnum)
	aws := "AK" + "IA" + rnd(25, 16, upperDigits)
	tests := []struct {
		name, key, value string
		line, col        int
		want             []string // rule@line:col-endline:endcol
	}{
		{"token alone", "", pat, 12, 14, []string{"github-pat@12:14-12:54"}},
		{"token in a script line", "run", "git push https://x:" + pat + "@github.com", 3, 9,
			[]string{"github-pat@3:28-3:68"}},
		{"two tokens", "", aws + " " + pat, 1, 1, []string{"aws-access-key-id@1:1-1:21", "github-pat@1:22-1:62"}},
		{"credential key literal", "OPENAI_API_KEY", "Qw7rT2yU9iO3pA5sD8fG", 4, 21, []string{"credential-key@4:21-4:41"}},
		{"quoted literal keeps its quotes out", "password", `"Qw7rT2yU9iO3pA5s"`, 2, 5, []string{"credential-key@2:6-2:22"}},
		{"bearer scheme", "AUTH_HEADER_VALUE_TOKEN", "Bearer Qw7rT2yU9iO3pA5s", 2, 5, []string{"credential-key@2:12-2:28"}},
		{"literal default", "TOKEN", "${TOKEN:-Qw7rT2yU9iO3pA5s}", 6, 10, []string{"credential-key@6:19-6:35"}},
		{"dash default", "TOKEN", "${TOKEN-Qw7rT2yU9iO3pA5s}", 6, 10, []string{"credential-key@6:18-6:34"}},
		{"url userinfo", "DATABASE_URL", "postgres://app:Qw7rT2yU9iO3pA5s@db:5432/x", 9, 3, []string{"url-credentials@9:18-9:34"}},
		{"provider token wins over the key", "GITHUB_TOKEN", pat, 5, 5, []string{"github-pat@5:5-5:45"}},
		{"non-ascii before the token", "", "é " + pat, 1, 1, []string{"github-pat@1:3-1:43"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range ScanValue(tc.key, tc.value, textpos.Verbatim(tc.value, tc.line, tc.col)) {
				got = append(got, describe(s))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func describe(s model.LiteralSecret) string {
	return s.Rule + "@" + s.Pos.String() + "-" + model.Pos{Line: s.Pos.EndLine, Col: s.Pos.EndCol}.String()
}

func TestScanValueStructural(t *testing.T) {
	literal := "Qw7rT2yU9iO3pA5sD8fG"
	tests := []struct {
		key, value string
		rule       string // "" when nothing may be found
		provider   string
		confidence string
	}{
		{"CODEX_ACCESS_TOKEN", literal, "credential-key", "openai", "high"},
		{"CODEX_API_KEY", literal, "credential-key", "openai", "high"},
		{"OPENAI_API_KEY", literal, "credential-key", "openai", "high"},
		{"ANTHROPIC_API_KEY", literal, "credential-key", "anthropic", "high"},
		{"CLAUDE_CODE_OAUTH_TOKEN", literal, "credential-key", "anthropic", "high"},
		{"GEMINI_API_KEY", literal, "credential-key", "google", "high"},
		{"jobs.build.steps[2].with.api-key", literal, "credential-key", "", "high"},
		{"registry-password", literal, "credential-key", "", "high"},
		{"clientSecret", literal, "credential-key", "", "high"},
		{"DB_PWD", literal, "credential-key", "", "high"},
		{"SMTP_PASS", literal, "credential-key", "", "high"},
		{"BASIC_AUTH", "user:" + literal, "credential-key", "", "high"},
		{"GH_PAT", literal, "credential-key", "github", "high"},
		{"AWS_SECRET_ACCESS_KEY", rnd(50, 20, alnum) + "/" + rnd(51, 19, alnum), "credential-key", "aws", "high"},
		{"SNYK_TOKEN", "fb4c4a94-72d7-4743-bb08-af25b623a29a", "credential-key", "snyk", "high"},
		{"GITHUB_TOKEN", "3f2c9a0b1d4e5f60718293a4b5c6d7e8f9012345", "credential-key", "github", "medium"},
		// Not credential names.
		{"AWS_ACCESS_KEY_ID", literal, "", "", ""},
		{"TOKEN_URL", literal, "", "", ""},
		{"PASSWORD_FILE", literal, "", "", ""},
		{"SECRET_NAME", literal, "", "", ""},
		{"token_permissions", literal, "", "", ""},
		{"ARROW_GPG_KEY_UID", literal, "", "", ""},
		{"cache-key", literal, "", "", ""},
		{"PATH", literal, "", "", ""},
		{"PWD", literal, "", "", ""},
		{"TOKENIZERS_PARALLELISM", literal, "", "", ""},
		{"USE_TOKEN", literal, "", "", ""},
		{"AUTH_DOMAIN", literal, "", "", ""},
		{"description", literal, "", "", ""},
		{"inputs.token.description", "The token to use for pushing the release branch", "", "", ""},
		{"testCreds", "FOOcredentials", "", "", ""},
		{"DEPLOY_KEY", "github-deploy-key", "", "", ""},
		{"SECRET_NAME", "prodDatabaseSecret", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			got := ScanValue(tc.key, tc.value, textpos.Verbatim(tc.value, 1, 1))
			if tc.rule == "" {
				if len(got) != 0 {
					t.Fatalf("got %+v, want nothing", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %d findings, want 1: %+v", len(got), got)
			}
			s := got[0]
			if s.Rule != tc.rule || s.Provider != tc.provider || s.Confidence != tc.confidence || s.Key != tc.key {
				t.Errorf("got %s/%s/%s key %q, want %s/%s/%s key %q", s.Rule, s.Provider, s.Confidence, s.Key, tc.rule, tc.provider, tc.confidence, tc.key)
			}
		})
	}
}

func TestScanValueNegatives(t *testing.T) {
	pat := "gh" + "p_" + rnd(1, 36, alnum)
	tests := []struct{ name, key, value string }{
		// References.
		{"github secret", "TOKEN", "${{ secrets.NPM_TOKEN }}"},
		{"github var", "TOKEN", "${{ vars.TOKEN_VALUE }}"},
		{"github expression", "TOKEN", "${{ github.token }}"},
		{"shell var", "TOKEN", "$NPM_TOKEN_VALUE"},
		{"shell braces", "TOKEN", "${NPM_TOKEN_VALUE}"},
		{"empty default", "TOKEN", "${NPM_TOKEN:-}"},
		{"reference default", "TOKEN", "${NPM_TOKEN:-$OTHER_TOKEN}"},
		{"command substitution", "TOKEN", "$(cat /run/secrets/token)"},
		{"backticks", "TOKEN", "`vault read -field=t x`"},
		{"windows var", "TOKEN", "%NPM_TOKEN_VALUE%"},
		{"powershell env", "TOKEN", "$env:NPM_TOKEN_VALUE"},
		{"circleci parameter", "TOKEN", "<< parameters.npm_token >>"},
		{"gitlab input", "TOKEN", "$[[ inputs.npm_token ]]"},
		{"groovy", "TOKEN", "${params.NPM_TOKEN}"},
		{"jenkins credentials", "TOKEN", "credentials('npm-token-id')"},
		{"vault", "TOKEN", "vault:secret/data/ci#npm_token"},
		{"1password", "TOKEN", "op://ci/npm/token"},
		{"arn", "TOKEN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:npm-AbCdEf"},
		{"ssm", "TOKEN", "ssm:/ci/npm/token"},
		{"mixed literal and reference", "AUTH_TOKEN", "Bearer $TOKEN_VALUE_1"},
		{"variable name", "password-variable", "DOCKER_PASSWORD"},
		{"secrets context name", "TOKEN", "secrets.NPM_TOKEN"},
		{"helm template", "TOKEN", "{{ .Values.npmToken }}"},
		// Placeholders.
		{"changeme", "PASSWORD", "changeme"},
		{"change-me", "PASSWORD", "change-me-please"},
		{"angle brackets", "TOKEN", "<access-token>"},
		{"your key here", "API_KEY", "your-api-key-here"},
		{"your token", "TOKEN", "your_token"},
		{"xxxx", "TOKEN", "xxxxxxxxxxxxxxxx"},
		{"stars", "PASSWORD", "****************"},
		{"ellipsis", "TOKEN", "abc123...xyz789"},
		{"example", "TOKEN", "example-token-123"},
		{"dummy", "TOKEN", "dummy123456"},
		{"placeholder", "TOKEN", "placeholder-value"},
		{"redacted", "TOKEN", "REDACTED1234"},
		{"secret", "PASSWORD", "secret"},
		{"password", "PASSWORD", "password"},
		{"test word", "TOKEN", "test-7Qw2-token"},
		{"foo bar", "TOKEN", "foo-bar-baz-1"},
		{"null", "TOKEN", "null"},
		{"boolean", "persist-credentials", "false"},
		{"aws example", "AWS_ACCESS_KEY", "AKIA" + "IOSFODNN7" + "EXAMPLE"},
		{"placeholder provider token", "", "gh" + "p_" + strings.Repeat("x", 36)},
		{"low variety provider token", "", "gh" + "p_" + strings.Repeat("0123", 9)},
		{"weak default", "POSTGRES_PASSWORD", "postgres"},
		{"weak compound", "POSTGRES_PASSWORD", "mysecretpassword"},
		{"weak leet", "PASSWORD", "P@ssw0rd123"},
		{"weak own name", "SUPABASE_PASSWORD", "supabase2024"},
		{"short", "TOKEN", "a1B2c3"},
		// Public identifiers.
		{"stripe publishable", "STRIPE_KEY_SECRET", "pk_" + "live_" + rnd(60, 24, alnum)},
		{"stripe publishable test", "STRIPE_TOKEN", "pk_" + "test_" + rnd(61, 24, alnum)},
		{"image digest", "TOKEN", "sha256:" + rnd(62, 64, "0123456789abcdef")},
		{"action pin", "TOKEN", "actions/checkout@" + rnd(63, 40, "0123456789abcdef")},
		{"url without userinfo", "TOKEN", "https://vault.example.org/v1/token"},
		{"file path", "TOKEN", "/run/secrets/npm_token"},
		{"relative path", "SSH_PRIVATE_KEY", "./keys/deploy_key"},
		{"file name", "CREDENTIALS", "service-account.json"},
		{"lower-case name", "secret", "registry-credentials"},
		{"email", "TOKEN", "release-bot@example.org"},
		{"version", "TOKEN", "1.22.3-rc.1"},
		{"secret mount spec", "secret", "id=npmrc,src=.npmrc"},
		{"prose", "token", "Token used to push the release"},
		// Identifier boundaries.
		{"prefix inside identifier", "", "x" + pat},
		{"aws inside longer run", "", "AK" + "IA" + rnd(25, 16, upperDigits) + "Z"},
		{"pem header alone", "", "grep -q 'BEGIN RSA PRIVATE KEY' key.pem"},
		{"pem without body", "", "-----BEGIN " + "PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"},
		{"url with reference password", "", "https://x-access-token:${GH_TOKEN}@github.com/o/r"},
		{"url with weak password", "", "postgres://test:test@127.0.0.1/db"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ScanValue(tc.key, tc.value, textpos.Verbatim(tc.value, 1, 1)); len(got) != 0 {
				t.Errorf("ScanValue(%q, %q) = %+v, want nothing", tc.key, tc.value, got)
			}
		})
	}
}

func TestIsCredentialName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"GITHUB_TOKEN", true}, {"npmToken", true}, {"api-key", true}, {"APIKey", true},
		{"x-api-key", true}, {"ACCESS_KEY", true}, {"ssh-private-key", true}, {"client_secret", true},
		{"DOCKER_PASSWORD", true}, {"DB_PASSWD", true}, {"credentials", true}, {"BASIC_AUTH", true},
		{"BEARER", true}, {"GH_PAT", true}, {"PAT", true}, {"ID_TOKEN", true}, {"SECRET_KEY_BASE", true},
		{"//registry.npmjs.org/:_authToken", true}, {"CODEX_ACCESS_TOKEN", true},
		{"AWS_ACCESS_KEY_ID", false}, {"token_permissions", false}, {"PATH", false}, {"PATTERN", false},
		{"SECRET_NAME", false}, {"password-stdin", false}, {"TOKEN_FILE", false}, {"KEY", false},
		{"cache_key", false}, {"OLDPWD", false}, {"with-token", false}, {"AUTH_METHOD", false},
		{"persist-credentials", false},
		{"TOKENIZERS_PARALLELISM", false}, {"", false},
	}
	for _, tc := range tests {
		if got := IsCredentialName(tc.name); got != tc.want {
			t.Errorf("IsCredentialName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSplitName(t *testing.T) {
	tests := map[string]string{
		"clientSecret":         "client secret",
		"APIKey":               "api key",
		"GITHUB_TOKEN":         "github token",
		"x-api-key":            "x api key",
		"npm.authToken":        "npm auth token",
		"OAuth2Token":          "o auth2 token",
		"registry/:_authToken": "registry auth token",
	}
	for in, want := range tests {
		if got := strings.Join(SplitName(in), " "); got != want {
			t.Errorf("SplitName(%q) = %q, want %q", in, got, want)
		}
	}
}

var redactedForm = regexp.MustCompile(`^(.*)… \((\d+) chars, ([0-9a-f]{8})\)$`)

func TestRedact(t *testing.T) {
	pat := "gh" + "p_" + "AbCd" + rnd(1, 32, alnum)
	tests := []struct {
		secret, want string
	}{
		{pat, "ghp_AbCd… (40 chars, " + Fingerprint(pat)[:8] + ")"},
		{"Qw7rT2yU9iO3pA5s", "Qw7r… (16 chars, " + Fingerprint("Qw7rT2yU9iO3pA5s")[:8] + ")"},
		{"Qw7rT2yU9iO", "… (11 chars, " + Fingerprint("Qw7rT2yU9iO")[:8] + ")"},
		{"sk-" + "Qw7rT2yU", "… (11 chars, " + Fingerprint("sk-Qw7rT2yU")[:8] + ")"},
		{"sk-ant-" + "admin01-0", "sk-a… (16 chars, " + Fingerprint("sk-ant-admin01-0")[:8] + ")"},
		{"ab cdefghijklmn", "ab… (15 chars, " + Fingerprint("ab cdefghijklmn")[:8] + ")"},
		{"", "… (0 chars, e3b0c442)"},
	}
	for _, tc := range tests {
		if got := Redact(tc.secret); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.secret, got, tc.want)
		}
	}
	if len(Fingerprint(pat)) != 16 || Fingerprint(pat) == Fingerprint(pat+"x") {
		t.Errorf("Fingerprint is not a stable 16-digit hash: %q", Fingerprint(pat))
	}
}

func TestRedactRevealsAtMostPrefixPlusFour(t *testing.T) {
	secrets := []string{"Qw7rT2yU9iO3pA5sD8fG", "ab", "é" + strings.Repeat("ü", 20), "\xff\xfe" + rnd(70, 30, alnum)}
	for _, tc := range providerTokens {
		secrets = append(secrets, tc.Value)
	}
	for _, s := range secrets {
		r := Redact(s)
		m := redactedForm.FindStringSubmatch(r)
		if m == nil {
			t.Errorf("Redact(%q) = %q: not of the form `shown… (N chars, hash)`", s, r)
			continue
		}
		prefix := PublicPrefix(s)
		shown := strings.TrimPrefix(m[1], prefix)
		if !strings.HasPrefix(s, m[1]) || utf8.RuneCountInString(shown) > 4 {
			t.Errorf("Redact(%q) = %q shows more than the prefix %q and four characters", s, r, prefix)
		}
		if len(s) < 12 && shown != "" {
			t.Errorf("Redact(%q) = %q shows characters of a short secret", s, r)
		}
	}
}

func TestProviderRulesFitTheKeywordBitSet(t *testing.T) {
	if len(providerRules) > 64 {
		t.Fatalf("%d provider rules; the keyword prefilter holds 64", len(providerRules))
	}
	for i, r := range providerRules {
		if len(r.keywords) == 0 || (r.pattern == nil) == (r.find == nil) {
			t.Errorf("rule %d (%s) needs keywords and exactly one of pattern and find", i, r.id)
		}
		for _, k := range r.keywords {
			if len(k) < 3 {
				t.Errorf("rule %d (%s): keyword %q is shorter than the three bytes the prefilter hashes", i, r.id, k)
			}
		}
	}
}

func TestPrivateKeyWithEscapedNewlines(t *testing.T) {
	value := `echo "` + privateKeyBlock(`\n`) + `" > key.pem`
	got := ScanValue("", value, textpos.Verbatim(value, 2, 1))
	if len(got) != 1 || got[0].Rule != "private-key" || got[0].Pos.Col != 7 || got[0].Pos.EndCol != 7+len(privateKeyBlock(`\n`)) {
		t.Fatalf("got %+v", got)
	}
	if strings.Contains(got[0].Redacted, "\n") {
		t.Errorf("redacted form spans lines: %q", got[0].Redacted)
	}
}

func FuzzScanValue(f *testing.F) {
	for _, tc := range providerTokens {
		f.Add("", tc.Value)
		f.Add("TOKEN", "x="+tc.Value+" y")
	}
	f.Add("OPENAI_API_KEY", "Qw7rT2yU9iO3pA5sD8fG")
	f.Add("TOKEN", "${TOKEN:-Qw7rT2yU9iO3pA5s}")
	f.Add("", "https://u:Qw7rT2yU9iO3pA5s@host/x")
	f.Add("password", "Bearer Qw7rT2yU9iO3pA5s")
	f.Add("", "-----BEGIN "+"PRIVATE KEY-----")
	f.Add("é", "\xff${{")
	f.Fuzz(func(t *testing.T, key, value string) {
		found := ScanValue(key, value, textpos.Verbatim(value, 1, 1))
		for _, s := range found {
			for _, field := range []string{s.Rule, s.Provider, s.Confidence, s.Redacted, s.Fingerprint} {
				if len(value) >= minLiteralLength && strings.Contains(field, value) {
					t.Fatalf("a field of %+v holds the whole input %q", s, value)
				}
			}
			if s.Pos.IsZero() || s.Pos.Line < 1 {
				t.Fatalf("finding without a position: %+v", s)
			}
		}
	})
}
