package secrets

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/secrets/secretstest"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// TestScanPassword checks the known password fields: any literal that is not a
// reference, a placeholder or empty is a hard-coded password, short, weak or
// all-lowercase alike (`hackme` and `pass` are zizmor's gha-hazmat passwords).
func TestScanPassword(t *testing.T) {
	token := secretstest.ProviderTokens[0]
	tests := []struct {
		value    string
		wantRule string // "" for no finding
		// wantSpan is the 0-based code point span of the finding in value.
		wantSpan [2]int
	}{
		{value: "hackme", wantRule: RuleCredentialKey, wantSpan: [2]int{0, 6}},
		{value: "pass", wantRule: RuleCredentialKey, wantSpan: [2]int{0, 4}},
		{value: "P@ssw0rd", wantRule: RuleCredentialKey, wantSpan: [2]int{0, 8}},
		{value: "p@ssw0rd1234", wantRule: RuleCredentialKey, wantSpan: [2]int{0, 12}},
		{value: "postgres", wantRule: RuleCredentialKey, wantSpan: [2]int{0, 8}},
		{value: "  spaced  ", wantRule: RuleCredentialKey, wantSpan: [2]int{2, 8}},
		{value: "${PASS:-hunter2}", wantRule: RuleCredentialKey, wantSpan: [2]int{8, 15}},
		{value: token.Value, wantRule: token.Rule, wantSpan: [2]int{0, len(token.Value)}},
		{value: ""},
		{value: "   "},
		{value: "${{ secrets.REGISTRY_PASSWORD }}"},
		{value: "$REGISTRY_PASSWORD"},
		{value: "<< parameters.password >>"},
		{value: "changeme"},
		{value: "<password>"},
		{value: "xxxxxxxx"},
		{value: "not a password but prose"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got := ScanPassword("password", tt.value, textpos.Verbatim(tt.value, 4, 10))
			if tt.wantRule == "" {
				if len(got) != 0 {
					t.Fatalf("found %+v, want nothing", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("found %+v, want one %s", got, tt.wantRule)
			}
			want := model.Pos{Line: 4, Col: 10 + tt.wantSpan[0], EndLine: 4, EndCol: 10 + tt.wantSpan[1]}
			secret := []rune(tt.value)[tt.wantSpan[0]:tt.wantSpan[1]]
			if s := got[0]; s.Rule != tt.wantRule || s.Pos != want || s.Confidence != ConfidenceHigh || s.Key != "password" || s.Redacted != Redact(string(secret)) {
				t.Errorf("found %+v, want rule %s at %v, high, key password", s, tt.wantRule, want)
			}
		})
	}
}

// TestScanValueKeepsWeakDefaults checks that the precision of credential-named keys
// stays: a CI-local database password in a service's environment is no finding.
func TestScanValueKeepsWeakDefaults(t *testing.T) {
	for _, tc := range []struct{ key, value string }{
		{"POSTGRES_PASSWORD", "postgres"},
		{"MYSQL_ROOT_PASSWORD", "root"},
		{"DB_PASSWORD", "hackme"},
	} {
		if got := ScanValue(tc.key, tc.value, textpos.Verbatim(tc.value, 1, 1)); len(got) != 0 {
			t.Errorf("%s: %s found %+v", tc.key, tc.value, got)
		}
	}
}
