package secrets

import (
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/secrets/secretstest"
)

func TestMasker(t *testing.T) {
	token := secretstest.ProviderTokens[0].Value
	openai := secretstest.ProviderTokens[6].Value
	src := "env:\n  A: " + token + "\n  B: hunter2-hunter2-hunter2\n"
	positions := []model.Pos{
		{Line: 2, Col: 6, EndLine: 2, EndCol: 6 + len(token)},
		{Line: 3, Col: 6, EndLine: 3, EndCol: 6 + len("hunter2-hunter2-hunter2")},
	}
	m := NewMasker([]byte(src), positions)
	out := m.Mask(`{"value": "` + token + `", "script": "echo hunter2-hunter2-hunter2 ` + openai + `"}`)
	for _, secret := range []string{token, "hunter2-hunter2-hunter2", openai} {
		if strings.Contains(out, secret) {
			t.Errorf("Mask left %q in %s", secret, out)
		}
	}
	if !strings.Contains(out, Redact(token)) {
		t.Errorf("Mask did not put the redacted form in: %s", out)
	}
	if got := m.Mask("nothing secret here"); got != "nothing secret here" {
		t.Errorf("Mask changed a clean string: %q", got)
	}
}
