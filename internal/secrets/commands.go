package secrets

import (
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Rules of script patterns found by ScanCommands.
const (
	RuleAuthorizationHeader = "authorization-header" // curl -H "Authorization: Bearer …"
	RuleBasicAuth           = "basic-auth"           // curl -u user:pass
	RuleRegistryLogin       = "registry-login"       // docker login -p …
	RuleCredentialFlag      = "credential-flag"      // --token VALUE, --password=VALUE
	RuleNPMAuthToken        = "npm-auth-token"       // npm config set //registry/:_authToken=…
)

// ScanCommands returns the literal secrets passed on the command lines of cmds
// (export X=…, curl -u, --token VALUE, docker login -p, URL userinfo, …).
//
// Provider-format tokens and URL userinfo inside a script are left to ScanValue over the
// script text, which has exact positions for them; ScanCommands reports the script
// patterns whose meaning comes from argv: credential assignments (`export X=v`, `X=v cmd`,
// `NAME=VALUE` arguments such as `docker run -e`), `curl -H "Authorization: …"`,
// `curl -u user:pass`, registry logins with `-p`/`--password`, credential flags
// (`--token VALUE`, `--api-key=VALUE`, not `--password-stdin`), and npm `_authToken`
// settings. Dynamic words count only through the literal default of `${VAR:-default}`.
func ScanCommands(cmds []model.Command) []model.LiteralSecret {
	var out []model.LiteralSecret
	for _, c := range cmds {
		for _, v := range c.EnvPrefix {
			dynamic := IsReference(v.Value.Value) || len(v.Value.Interpolations) > 0
			out = append(out, scanAssignment(v.Name, v.Value.Value, v.Value.Pos, 0, dynamic, ConfidenceHigh)...)
		}
		out = append(out, scanArgv(c.Argv)...)
	}
	return out
}

// assignmentCommands are the commands whose NAME=VALUE arguments are shell assignments.
var assignmentCommands = setOf("export", "declare", "typeset", "local", "readonly", "env")

// registryLoginCommands take a registry password with -p/--password on their login
// subcommand; passwordCommands take it with -p (mysql -pSECRET, sshpass -p SECRET).
var (
	registryLoginCommands = setOf("docker", "podman", "buildah", "helm", "oras", "skopeo", "crane", "nerdctl", "regctl", "singularity", "apptainer")
	passwordCommands      = setOf("sshpass", "mysql", "mysqladmin", "mysqldump")
	httpClients           = setOf("curl", "wget", "http", "https", "xh")
)

func scanArgv(argv []model.Word) []model.LiteralSecret {
	if len(argv) == 0 {
		return nil
	}
	cmd := path.Base(argv[0].Value)
	login := registryLoginCommands[cmd] && hasWord(argv, "login")
	var out []model.LiteralSecret
	for i := 1; i < len(argv); i++ {
		w := argv[i]
		next := func() (model.Word, bool) {
			if i+1 < len(argv) && !strings.HasPrefix(argv[i+1].Value, "-") {
				return argv[i+1], true
			}
			return model.Word{}, false
		}
		switch {
		case httpClients[cmd] && (w.Value == "-H" || w.Value == "--header"):
			if v, ok := next(); ok {
				out = append(out, scanHeader(v, 0)...)
				i++
			}
		case httpClients[cmd] && strings.HasPrefix(w.Value, "--header="):
			out = append(out, scanHeader(w, len("--header="))...)
		case httpClients[cmd] && strings.HasPrefix(w.Value, "-H") && len(w.Value) > 2:
			out = append(out, scanHeader(w, 2)...)
		case cmd == "curl" && (w.Value == "-u" || w.Value == "--user"):
			if v, ok := next(); ok {
				out = append(out, scanUserPassword(v, 0, w.Value)...)
				i++
			}
		case cmd == "curl" && strings.HasPrefix(w.Value, "--user="):
			out = append(out, scanUserPassword(w, len("--user="), "--user")...)
		case cmd == "curl" && strings.HasPrefix(w.Value, "-u") && len(w.Value) > 2:
			out = append(out, scanUserPassword(w, 2, "-u")...)
		case (login || cmd == "sshpass") && w.Value == "-p":
			if v, ok := next(); ok {
				rule := RuleRegistryLogin
				if !login {
					rule = RuleCredentialFlag
				}
				out = append(out, scanWordValue(v, 0, "-p", "", rule, ConfidenceHigh)...)
				i++
			}
		case passwordCommands[cmd] && cmd != "sshpass" && strings.HasPrefix(w.Value, "-p") && len(w.Value) > 2:
			out = append(out, scanWordValue(w, 2, "-p", "", RuleCredentialFlag, ConfidenceHigh)...)
		case cmd == "npm" && strings.HasSuffix(strings.SplitN(w.Value, "=", 2)[0], "_authToken"):
			out = append(out, scanNPMSetting(argv, i)...)
		case strings.HasPrefix(w.Value, "--"):
			found, consumed := scanLongFlag(w, argv[i+1:], cmd, login)
			out = append(out, found...)
			i += consumed
		case !strings.HasPrefix(w.Value, "-"):
			out = append(out, scanAssignmentWord(w, 0, cmd)...)
		}
	}
	return out
}

func hasWord(argv []model.Word, s string) bool {
	for _, w := range argv[1:] {
		if w.Value == s {
			return true
		}
	}
	return false
}

// scanLongFlag looks at `--flag=VALUE` or `--flag VALUE` (the first of rest) and returns
// what it found and how many words of rest it used. A flag that names no credential may
// still carry an assignment inline (`--from-literal=password=VALUE`).
func scanLongFlag(w model.Word, rest []model.Word, cmd string, login bool) ([]model.LiteralSecret, int) {
	name, _, inline := strings.Cut(w.Value, "=")
	flag := strings.TrimLeft(name, "-")
	if !IsCredentialName(flag) {
		if inline {
			return scanAssignmentWord(w, len(name)+1, cmd), 0
		}
		return nil, 0
	}
	rule, confidence := RuleCredentialFlag, ConfidenceMedium
	if login && flag == "password" {
		rule, confidence = RuleRegistryLogin, ConfidenceHigh
	}
	if inline {
		return scanWordValue(w, len(name)+1, name, vendorOf(flag), rule, confidence), 0
	}
	if len(rest) == 0 || strings.HasPrefix(rest[0].Value, "-") {
		return nil, 0
	}
	return scanWordValue(rest[0], 0, name, vendorOf(flag), rule, confidence), 1
}

// assignmentWord matches NAME=VALUE where NAME is a variable or setting name.
var assignmentWord = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_.-]*)=`)

// scanAssignmentWord checks the part of w from byte offset on for NAME=VALUE with a
// credential NAME, and for an npmrc `…:_authToken=VALUE` line.
func scanAssignmentWord(w model.Word, offset int, cmd string) []model.LiteralSecret {
	if offset > len(w.Value) {
		return nil
	}
	rest := w.Value[offset:]
	if i := strings.Index(rest, "_authToken="); i >= 0 && strings.Contains(rest[:i], ":") {
		return scanWordValue(w, offset+i+len("_authToken="), "_authToken", "npm", RuleNPMAuthToken, ConfidenceHigh)
	}
	sm := assignmentWord.FindStringSubmatchIndex(rest)
	if sm == nil {
		return nil
	}
	confidence := ConfidenceMedium
	if assignmentCommands[cmd] {
		confidence = ConfidenceHigh
	}
	return scanAssignment(rest[sm[2]:sm[3]], w.Value, w.Pos, offset+sm[1], w.Dynamic, confidence)
}

// scanAssignment checks the value of NAME=VALUE (an env prefix, an export argument): the
// value is text[offset:], where text stands at pos in the file.
func scanAssignment(name, text string, pos model.Pos, offset int, dynamic bool, confidence string) []model.LiteralSecret {
	if !IsCredentialName(lastKeySegment(name)) {
		return nil
	}
	value := text[offset:]
	var out []model.LiteralSecret
	for _, c := range wordCandidates(value, dynamic) {
		secret := value[c[0]:c[1]]
		if candidateIsProviderToken(secret) {
			continue
		}
		conf, ok := judgeLiteral(secret, lastKeySegment(name))
		if !ok {
			continue
		}
		if conf == ConfidenceHigh {
			conf = confidence
		}
		m := match{rule: RuleCredentialKey, provider: vendorOf(name), confidence: conf, key: name}
		out = append(out, m.finding(secret, subPos(pos, text, offset+c[0], offset+c[1])))
	}
	return out
}

// wordCandidates returns the spans of value that could be literal credentials: none for
// a dynamic word except the literal defaults of `${VAR:-default}`.
func wordCandidates(value string, dynamic bool) [][2]int {
	if !dynamic {
		s, e := trimSpan(value, 0, len(value))
		if e <= s {
			return nil
		}
		return [][2]int{{s, e}}
	}
	return literalDefaults(value)
}

// scanWordValue checks the part of w from byte offset on as the value of a credential
// flag named key.
func scanWordValue(w model.Word, offset int, key, provider, rule, confidence string) []model.LiteralSecret {
	if offset > len(w.Value) {
		return nil
	}
	value := w.Value[offset:]
	var out []model.LiteralSecret
	for _, c := range wordCandidates(value, w.Dynamic) {
		secret := value[c[0]:c[1]]
		if candidateIsProviderToken(secret) {
			continue
		}
		conf, ok := judgeLiteral(secret, key)
		if !ok {
			continue
		}
		if conf == ConfidenceHigh {
			conf = confidence
		}
		m := match{rule: rule, provider: provider, confidence: conf, key: key}
		out = append(out, m.finding(secret, subPos(w.Pos, w.Value, offset+c[0], offset+c[1])))
	}
	return out
}

// scanUserPassword checks `user:password` (curl -u) from byte offset of w on.
func scanUserPassword(w model.Word, offset int, flag string) []model.LiteralSecret {
	if offset > len(w.Value) {
		return nil
	}
	i := strings.IndexByte(w.Value[offset:], ':')
	if i < 0 {
		return nil
	}
	return scanWordValue(w, offset+i+1, flag, "", RuleBasicAuth, ConfidenceHigh)
}

// credentialHeaders are header names whose whole value is a credential.
var credentialHeaders = setOf("authorization", "proxy-authorization")

// scanHeader checks an HTTP header argument (`Authorization: Bearer X`, `PRIVATE-TOKEN: X`)
// from byte offset of w on.
func scanHeader(w model.Word, offset int) []model.LiteralSecret {
	if offset > len(w.Value) {
		return nil
	}
	header := w.Value[offset:]
	colon := strings.IndexByte(header, ':')
	if colon < 0 {
		return nil
	}
	name := strings.TrimSpace(header[:colon])
	if !credentialHeaders[strings.ToLower(name)] && !IsCredentialName(name) {
		return nil
	}
	start := offset + colon + 1
	for start < len(w.Value) && w.Value[start] == ' ' {
		start++
	}
	// Skip the scheme of `Bearer X`, `token X`, `Basic X`.
	if sp := strings.IndexByte(w.Value[start:], ' '); sp >= 0 && authSchemes[strings.ToLower(w.Value[start:start+sp])] {
		start += sp + 1
	}
	return scanWordValue(w, start, name, "", RuleAuthorizationHeader, ConfidenceHigh)
}

// scanNPMSetting checks `npm config set //registry/:_authToken=VALUE` and the two-word
// form `npm config set //registry/:_authToken VALUE` at argv[i].
func scanNPMSetting(argv []model.Word, i int) []model.LiteralSecret {
	w := argv[i]
	if eq := strings.IndexByte(w.Value, '='); eq >= 0 {
		return scanWordValue(w, eq+1, "_authToken", "npm", RuleNPMAuthToken, ConfidenceHigh)
	}
	if i+1 < len(argv) {
		return scanWordValue(argv[i+1], 0, "_authToken", "npm", RuleNPMAuthToken, ConfidenceHigh)
	}
	return nil
}

// candidateIsProviderToken reports whether s holds a provider-format token, which
// ScanValue reports from the script text with exact positions.
func candidateIsProviderToken(s string) bool {
	rules := candidateRules(s)
	return rules != 0 && len(providerMatches(s, rules)) > 0
}

// subPos returns the file span of the bytes [start, end) of text, a word or value at pos.
// When text stands 1:1 in the file (one line, as many code points as columns) the span is
// exact; otherwise (quotes, escapes, line continuations) it is the whole of pos.
func subPos(pos model.Pos, text string, start, end int) model.Pos {
	if pos.IsZero() || pos.Line != pos.EndLine || pos.EndCol-pos.Col != utf8.RuneCountInString(text) ||
		start < 0 || end > len(text) || start > end {
		return pos
	}
	col := pos.Col + utf8.RuneCountInString(text[:start])
	return model.Pos{Line: pos.Line, Col: col, EndLine: pos.Line, EndCol: col + utf8.RuneCountInString(text[start:end])}
}
