// Package secretstest builds token-shaped test values of every provider format at run
// time, from parts and deterministic pseudo-random characters, so that no realistic full
// token is ever written in the repository. Tests of every package use it.
package secretstest

import "math/rand/v2"

// Character sets of token bodies.
const (
	UpperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	Letters     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	Digits      = "0123456789"
	Alnum       = Letters + Digits
	Base64URL   = Alnum + "_-"
)

// Rnd returns n deterministic pseudo-random characters of charset; seed picks the stream.
func Rnd(seed uint64, n int, charset string) string {
	r := rand.New(rand.NewPCG(seed, 0x5eed)) //nolint:gosec // deterministic test values, not keys
	b := make([]byte, n)
	for i := range b {
		b[i] = charset[r.IntN(len(charset))]
	}
	return string(b)
}

// PrivateKeyBlock returns a PEM private key block of random base64 lines.
func PrivateKeyBlock(sep string) string {
	return "-----BEGIN " + "RSA PRIVATE KEY-----" + sep + Rnd(40, 64, Alnum+"+/") + sep + Rnd(41, 40, Alnum+"+/") + "==" + sep + "-----END RSA " + "PRIVATE KEY-----"
}

// Token is a generated token of one provider format with what the detector must say of it.
type Token struct {
	Rule, Provider, Confidence, Prefix, Value string
}

// ProviderTokens are one token per provider format, with the rule and confidence it must
// produce.
var ProviderTokens = []Token{
	{"github-pat", "github", "high", "ghp_", "gh" + "p_" + Rnd(1, 36, Alnum)},
	{"github-oauth-token", "github", "high", "gho_", "gh" + "o_" + Rnd(2, 36, Alnum)},
	{"github-user-token", "github", "high", "ghu_", "gh" + "u_" + Rnd(3, 36, Alnum)},
	{"github-app-token", "github", "high", "ghs_", "gh" + "s_" + Rnd(4, 36, Alnum)},
	{"github-refresh-token", "github", "high", "ghr_", "gh" + "r_" + Rnd(5, 36, Alnum)},
	{"github-fine-grained-pat", "github", "high", "github_pat_", "github" + "_pat_" + Rnd(6, 22, Alnum) + "_" + Rnd(7, 59, Alnum)},
	{"openai-api-key", "openai", "high", "sk-", "sk-" + Rnd(8, 20, Alnum) + "T3Blbk" + "FJ" + Rnd(9, 20, Alnum)},
	{"openai-api-key", "openai", "high", "sk-proj-", "sk-" + "proj-" + Rnd(10, 74, Base64URL) + "T3Blbk" + "FJ" + Rnd(11, 74, Base64URL)},
	{"openai-api-key", "openai", "high", "sk-svcacct-", "sk-" + "svcacct-" + Rnd(12, 120, Base64URL)},
	{"openai-api-key", "openai", "high", "sk-admin-", "sk-" + "admin-" + Rnd(13, 58, Base64URL) + "T3Blbk" + "FJ" + Rnd(14, 58, Base64URL)},
	{"anthropic-api-key", "anthropic", "high", "sk-ant-api03-", "sk-ant-" + "api03-" + Rnd(15, 93, Base64URL) + "AA"},
	{"anthropic-api-key", "anthropic", "high", "sk-ant-admin01-", "sk-ant-" + "admin01-" + Rnd(16, 93, Base64URL) + "AA"},
	{"anthropic-api-key", "anthropic", "high", "sk-ant-oat01-", "sk-ant-" + "oat01-" + Rnd(17, 93, Base64URL) + "AA"},
	{"gitlab-pat", "gitlab", "high", "glpat-", "gl" + "pat-" + Rnd(18, 20, Base64URL)},
	{"gitlab-deploy-token", "gitlab", "high", "gldt-", "gl" + "dt-" + Rnd(19, 20, Base64URL)},
	{"gitlab-runner-token", "gitlab", "high", "glrt-", "gl" + "rt-" + Rnd(20, 20, Base64URL)},
	{"gitlab-job-token", "gitlab", "high", "glcbt-", "gl" + "cbt-" + Rnd(21, 5, "0123456789abcdef") + "_" + Rnd(22, 20, Base64URL)},
	{"gitlab-trigger-token", "gitlab", "high", "glptt-", "gl" + "ptt-" + Rnd(23, 40, "0123456789abcdef")},
	{"gitlab-runner-registration-token", "gitlab", "high", "GR1348941", "GR134" + "8941" + Rnd(24, 20, Base64URL)},
	{"aws-access-key-id", "aws", "high", "AKIA", "AK" + "IA" + Rnd(25, 16, UpperDigits)},
	{"aws-access-key-id", "aws", "high", "ASIA", "AS" + "IA" + Rnd(26, 16, UpperDigits)},
	{"google-api-key", "google", "high", "AIza", "AI" + "za" + Rnd(27, 35, Base64URL[:62])},
	{"slack-token", "slack", "high", "xoxb-", "xo" + "xb-" + Rnd(28, 12, Digits) + "-" + Rnd(29, 13, Digits) + "-" + Rnd(30, 24, Alnum)},
	{"slack-webhook", "slack", "high", "https://hooks.slack.com/services/", "https://hooks.slack.com/" + "services/T" + Rnd(31, 8, UpperDigits) + "/B" + Rnd(32, 10, UpperDigits) + "/" + Rnd(33, 24, Alnum)},
	{"stripe-secret-key", "stripe", "high", "sk_live_", "sk_" + "live_" + Rnd(34, 24, Alnum)},
	{"stripe-restricted-key", "stripe", "high", "rk_live_", "rk_" + "live_" + Rnd(35, 24, Alnum)},
	{"stripe-test-key", "stripe", "low", "sk_test_", "sk_" + "test_" + Rnd(36, 24, Alnum)},
	{"npm-token", "npm", "high", "npm_", "np" + "m_" + Rnd(37, 36, Alnum)},
	{"pypi-token", "pypi", "high", "pypi-AgEIcHlwaS5vcmc", "pypi-" + "AgEIcHlwaS5vcmc" + Rnd(38, 70, Base64URL)},
	{"dockerhub-pat", "docker", "high", "dckr_pat_", "dckr" + "_pat_" + Rnd(39, 27, Base64URL)},
	{"huggingface-token", "huggingface", "high", "hf_", "h" + "f_" + Rnd(42, 34, Letters)},
	{"private-key", "", "high", "-----BEGIN RSA PRIVATE KEY-----", PrivateKeyBlock("\n")},
	{"jwt", "", "medium", "eyJ", "eyJ" + Rnd(43, 33, Base64URL) + ".eyJ" + Rnd(44, 60, Base64URL) + "." + Rnd(45, 43, Base64URL)},
}
