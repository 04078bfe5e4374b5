package secrets

import (
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// commandLine builds the model command of a one-line shell command written at line:col,
// the way internal/script does: words split on spaces outside quotes, Value without the
// quotes, Pos the word as written, Dynamic when the word expands something. Leading
// NAME=value words become EnvPrefix.
func commandLine(line, col int, written string) model.Command {
	var c model.Command
	start, quote := -1, byte(0)
	flush := func(end int) {
		if start < 0 {
			return
		}
		raw := written[start:end]
		value := strings.NewReplacer(`"`, "", "'", "").Replace(raw)
		pos := model.Pos{Line: line, Col: col + start, EndLine: line, EndCol: col + end}
		dynamic := strings.Contains(raw, "$")
		if len(c.Argv) == 0 && assignmentWord.MatchString(value) {
			name, v, _ := strings.Cut(value, "=")
			vpos := pos
			vpos.Col += len(name) + 1
			c.EnvPrefix = append(c.EnvPrefix, model.Var{Name: name, Pos: pos, Value: model.Text{Value: v, Pos: vpos, Literal: !dynamic}})
		} else {
			c.Argv = append(c.Argv, model.Word{Value: value, Dynamic: dynamic, Pos: pos})
		}
		start = -1
	}
	for i := 0; i < len(written); i++ {
		ch := written[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '"' || ch == '\'':
			quote = ch
			if start < 0 {
				start = i
			}
		case ch == ' ':
			flush(i)
		default:
			if start < 0 {
				start = i
			}
		}
	}
	flush(len(written))
	c.Pos = model.Pos{Line: line, Col: col, EndLine: line, EndCol: col + len(written)}
	return c
}

func TestScanCommands(t *testing.T) {
	const pw = "Zq8mP2vLk9Xw" // 12 characters
	tests := []struct {
		name, line string
		want       []string // rule/confidence/key@line:col-endline:endcol
	}{
		{"curl -u", "curl -u admin:" + pw + " https://x", []string{"basic-auth/high/-u@5:25-5:37"}},
		{"curl -u attached", "curl -uadmin:" + pw + " https://x", []string{"basic-auth/high/-u@5:24-5:36"}},
		{"curl --user=", "curl --user=ci:" + pw, []string{"basic-auth/high/--user@5:26-5:38"}},
		{"authorization header, quoted word", `curl -H "Authorization: Bearer ` + pw + `" https://x`,
			[]string{"authorization-header/high/Authorization@5:19-5:55"}},
		{"private-token header", "curl --header=PRIVATE-TOKEN:" + pw, []string{"authorization-header/high/PRIVATE-TOKEN@5:39-5:51"}},
		{"basic header", `wget --header "Authorization: Basic ` + pw + `"`, []string{"authorization-header/high/Authorization@5:25-5:60"}},
		{"docker login -p", "docker login -p " + pw + " -u bot registry.example.org", []string{"registry-login/high/-p@5:27-5:39"}},
		{"docker login --password", "docker login --password " + pw, []string{"registry-login/high/--password@5:35-5:47"}},
		{"helm registry login", "helm registry login --password=" + pw + " r.example.org", []string{"registry-login/high/--password@5:42-5:54"}},
		{"sshpass -p", "sshpass -p " + pw + " ssh deploy@host", []string{"credential-flag/high/-p@5:22-5:34"}},
		{"mysql -p attached", "mysql -uroot -p" + pw + " db", []string{"credential-flag/high/-p@5:26-5:38"}},
		{"--api-key=", "mytool --api-key=" + pw, []string{"credential-flag/medium/--api-key@5:28-5:40"}},
		{"--token VALUE", "mytool deploy --token " + pw, []string{"credential-flag/medium/--token@5:33-5:45"}},
		{"--auth-token", "codecov --auth-token " + pw, []string{"credential-flag/medium/--auth-token@5:32-5:44"}},
		{"export", "export NPM_TOKEN=" + pw, []string{"credential-key/high/NPM_TOKEN@5:28-5:40"}},
		{"export with literal default", "export NPM_TOKEN=${NPM_TOKEN:-" + pw + "}", []string{"credential-key/high/NPM_TOKEN@5:41-5:53"}},
		{"env prefix", "GITHUB_TOKEN=" + pw + " gh release create v1", []string{"credential-key/high/GITHUB_TOKEN@5:24-5:36"}},
		{"docker run -e", "docker run -e API_TOKEN=" + pw + " img", []string{"credential-key/medium/API_TOKEN@5:35-5:47"}},
		{"kubectl from-literal", "kubectl create secret generic app --from-literal=password=" + pw,
			[]string{"credential-key/medium/password@5:69-5:81"}},
		{"npm config set =", "npm config set //registry.npmjs.org/:_authToken=" + pw, []string{"npm-auth-token/high/_authToken@5:59-5:71"}},
		{"npm config set two words", "npm config set //registry.npmjs.org/:_authToken " + pw, []string{"npm-auth-token/high/_authToken@5:59-5:71"}},
		{"npmrc line echoed", `echo "//registry.npmjs.org/:_authToken=` + pw + `" > .npmrc`, []string{"npm-auth-token/high/_authToken@5:16-5:63"}},
		// Nothing to report.
		{"dynamic user:pass", `curl -u "$USER:$PASS" https://x`, nil},
		{"reference in header", `curl -H "Authorization: Bearer $TOKEN" https://x`, nil},
		{"other header", `curl -H "Accept: application/json" https://x`, nil},
		{"no password in -u", "curl -u admin https://x", nil},
		{"github expression", "export NPM_TOKEN=${{ secrets.NPM_TOKEN }}", nil},
		{"port mapping", "docker run -p 8080:80 img", nil},
		{"password-stdin", "docker login --password-stdin -u bot registry.example.org", nil},
		{"with-token", "gh auth login --with-token", nil},
		{"buildkit secret", "docker buildx build --secret id=npmrc,src=.npmrc .", nil},
		{"placeholder", "mytool --password changeme", nil},
		{"weak default", "mysql -uroot -proot db", nil},
		{"not a credential", "export PATH=/usr/local/bin:/usr/bin", nil},
		{"token file", "mytool --token-file /run/secrets/t", nil},
		{"provider token left to ScanValue", "mytool --token gh" + "p_" + rnd(1, 36, alnum), nil},
		{"flag followed by a flag", "mytool --token --verbose", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range ScanCommands([]model.Command{commandLine(5, 11, tc.line)}) {
				got = append(got, s.Rule+"/"+s.Confidence+"/"+s.Key+"@"+s.Pos.String()+"-"+model.Pos{Line: s.Pos.EndLine, Col: s.Pos.EndCol}.String())
				if strings.Contains(s.Redacted, pw) || strings.Contains(s.Key, pw) {
					t.Errorf("finding holds the secret: %+v", s)
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestScanCommandsBareAssignment(t *testing.T) {
	// `DEPLOY_PASSWORD=…` alone on a line: a Command with EnvPrefix and no Argv.
	c := commandLine(2, 1, "DEPLOY_PASSWORD=Zq8mP2vLk9Xw")
	if len(c.Argv) != 0 {
		t.Fatalf("test command has argv %+v", c.Argv)
	}
	got := ScanCommands([]model.Command{c})
	if len(got) != 1 || describe(got[0]) != "credential-key@2:17-2:29" || got[0].Provider != "" {
		t.Fatalf("got %+v", got)
	}
}

func FuzzScanCommands(f *testing.F) {
	f.Add("curl -u admin:Zq8mP2vLk9Xw https://x")
	f.Add(`curl -H "Authorization: Bearer Zq8mP2vLk9Xw"`)
	f.Add("npm config set //r/:_authToken")
	f.Add("docker login -p")
	f.Add("export A_TOKEN=${A_TOKEN:-Zq8mP2vLk9Xw}")
	f.Add("mysql -p")
	f.Fuzz(func(t *testing.T, line string) {
		for _, s := range ScanCommands([]model.Command{commandLine(1, 1, line)}) {
			if len(line) >= minLiteralLength && strings.Contains(s.Redacted, line) {
				t.Fatalf("redacted form %q holds the whole input %q", s.Redacted, line)
			}
		}
	})
}
