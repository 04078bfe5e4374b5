package parse_test

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	_ "github.com/pipeguard/pipeguard/internal/parse/all"
	"github.com/pipeguard/pipeguard/internal/secrets"
	"github.com/pipeguard/pipeguard/internal/secrets/secretstest"
)

// TestNoSecretInMessages checks that the strings a parser copies from the file into
// messages (parse errors, unresolved names and reasons, guard details, include
// targets) never hold a secret whole: a provider-format token, or a literal the
// detector found elsewhere in the file.
func TestNoSecretInMessages(t *testing.T) {
	token := secretstest.ProviderTokens[0].Value // a ghp_ token
	// A password the detector finds under `password:`, repeated where only a message
	// quotes it.
	password := "Zq8" + secretstest.Rnd(90, 13, secretstest.Alnum)
	tests := []struct {
		name, platform, path, src string
		repo                      map[string]string
		// want is the message (or name, reason, target) that must carry the redacted
		// secret.
		want string
	}{
		{
			name: "yaml unknown anchor", platform: model.PlatformGitHub, path: ".github/workflows/a.yml",
			src:  "on: push\njobs:\n  a: *" + token + "\n",
			want: "invalid YAML: unknown anchor '" + secrets.Redact(token) + "' referenced",
		},
		{
			name: "github job name", platform: model.PlatformGitHub, path: ".github/workflows/a.yml",
			src:  "on: push\njobs:\n  " + token + ": 1\n",
			want: `job "` + secrets.Redact(token) + `" is a scalar, not a mapping`,
		},
		{
			name: "a found password in a job name", platform: model.PlatformGitHub, path: ".github/workflows/a.yml",
			src:  "on: push\nenv:\n  DB_PASSWORD: " + password + "\njobs:\n  " + password + ": 1\n",
			want: `job "` + secrets.Redact(password) + `" is a scalar, not a mapping`,
		},
		{
			name: "gitlab extends cycle", platform: model.PlatformGitLab, path: ".gitlab-ci.yml",
			src:  "." + token + ":\n  extends: ." + token + "\n  script: [x]\n",
			want: `extends cycle through "` + "." + secrets.Redact(token) + `"`,
		},
		{
			name: "gitlab include path", platform: model.PlatformGitLab, path: ".gitlab-ci.yml",
			src:  "include:\n  - local: " + token + ".yml\njob:\n  script: [x]\n",
			repo: map[string]string{},
			want: "local:" + secrets.Redact(token) + ".yml",
		},
		{
			name: "circleci command chain", platform: model.PlatformCircleCI, path: ".circleci/config.yml",
			src: "version: 2.1\ncommands:\n  " + token + ":\n    steps: [" + token + "]\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [" + token + "]\n" +
				"workflows:\n  w:\n    jobs: [build]\n",
			want: secrets.Redact(token) + " → " + secrets.Redact(token),
		},
		{
			name: "groovy syntax error", platform: model.PlatformJenkins, path: "Jenkinsfile",
			src:  "node {\n  foo(a " + token + ")\n}\n",
			want: `invalid Groovy: expected ) to close ( at 2:6, found "` + secrets.Redact(token) + `"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := parse.Input{Path: tt.path, Data: []byte(tt.src), RepoPath: tt.path}
			if tt.repo != nil {
				repo := fstest.MapFS{}
				for name, content := range tt.repo {
					repo[name] = &fstest.MapFile{Data: []byte(content)}
				}
				in.Repo = repo
			}
			p, err := parse.File(tt.platform, in)
			if err != nil {
				t.Fatal(err)
			}
			var messages []string
			for _, e := range p.ParseErrors {
				messages = append(messages, e.Message)
			}
			for _, u := range p.Unresolved {
				messages = append(messages, u.Name, u.Reason)
			}
			for _, inc := range p.Includes {
				messages = append(messages, inc.Target)
			}
			for _, j := range p.Jobs {
				for _, g := range j.Guards {
					messages = append(messages, g.Detail)
				}
			}
			all := strings.Join(messages, "\n")
			for _, secret := range []string{token, password} {
				if strings.Contains(all, secret) {
					t.Errorf("a message holds the secret whole:\n%s", all)
				}
			}
			if !strings.Contains(all, tt.want) {
				out, _ := json.MarshalIndent(messages, "", "  ")
				t.Errorf("no message says %q:\n%s", tt.want, out)
			}
		})
	}
}
