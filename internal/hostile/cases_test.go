package hostile

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/secrets"
	"github.com/pipeguard/pipeguard/internal/secrets/secretstest"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// hostileCase is one hostile input and what pipeguard must do with it.
type hostileCase struct {
	// class is the class of the issue the case belongs to: crash, memory, outside,
	// secret, detector.
	class, name string
	// build writes the input under dir and returns the path to scan.
	build func(t *testing.T, dir string) string
	// args are extra scan flags (--platform, --persona); moreArgs adds flags that name
	// files the case wrote under dir (--policy DIR).
	args     []string
	moreArgs func(dir string) []string
	// text scans with --format text (the report that quotes lines) instead of json.
	text bool
	// exit, when not zero, is the exit code the scan must end with; otherwise 0, 1 and 3
	// are accepted.
	exit   int
	limits limits
	check  func(t *testing.T, out outcome)
}

// Limits of the cases. The machine is shared (two cores for several jobs): the wall
// times leave room for that. The memory limits sit above the peaks measured when the
// suite was written (a small case 26 MiB, an alias bomb 45, the 5 MiB files 156 to
// 400, 100,000 GitLab jobs 449) and far below what the same inputs took before they
// were bounded (1.1 to 4.5 GB, or a fatal stack overflow).
var (
	small  = limits{wall: 10 * time.Second, rssMB: 100}
	medium = limits{wall: 20 * time.Second, rssMB: 400}
	large  = limits{wall: 30 * time.Second, rssMB: 600}
)

// parserCases are the classes of the parsers and the detector: no input ends the
// process, memory per file is bounded, nothing is read outside the scanned tree, no
// secret is printed whole in a parser's message, and the detector does what RULES.md
// says.
func parserCases() []hostileCase {
	token := secretstest.ProviderTokens[0].Value
	return []hostileCase{
		// Crash: Go's stack overflow and out-of-memory are fatal, so they are prevented.
		{class: "crash", name: "jenkins operator chain", limits: large,
			build: file("Jenkinsfile", func() string { return "node { x = 1" + strings.Repeat("+1", 800_000) + "\n}\n" }),
			check: findings("parse-error", "invalid Groovy: expression too long: more than 10000 chained operators")},
		{class: "crash", name: "jenkins member chain", limits: large,
			build: file("Jenkinsfile", func() string { return "node { a" + strings.Repeat(".b", 800_000) + "\n}\n" }),
			check: findings("parse-error", "invalid Groovy: expression too long")},
		{class: "crash", name: "jenkins command chain", limits: large,
			build: file("Jenkinsfile", func() string { return "node { a" + strings.Repeat(" b c", 400_000) + "\n}\n" }),
			check: findings("parse-error", "invalid Groovy: expression too long")},
		{class: "crash", name: "shell substitutions nested a million deep", limits: medium, args: pedantic,
			build: file(".github/workflows/a.yml", func() string {
				return "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: '" + strings.Repeat("$(", 1_000_000) + "'\n"
			}),
			check: findings("parse-error", "script not fully analysed: shell: more than 10000 brackets")},
		{class: "crash", name: "github alias bomb", limits: small,
			build: file(".github/workflows/a.yml", func() string { return aliasBomb() }),
			check: findings("parse-error", "too large to analyse: the file expands to more than 1000000 YAML nodes")},
		{class: "crash", name: "gitlab extends chain of 500", limits: small,
			build: file(".gitlab-ci.yml", func() string { return extendsChain(500) }),
			check: findings("parse-error", `extends chain of ".t12" is deeper than 11 levels`)},
		{class: "crash", name: "gitlab 100k jobs with defaults", limits: large,
			build: file(".gitlab-ci.yml", func() string {
				return "default:\n  image: alpine\n  before_script: [echo hi]\n  tags: [x]\n" + repeat(100_000, "j%d:\n  script: [echo]\n")
			}),
			check: findings("parse-error", "too large to analyse")},
		{class: "crash", name: "circleci 100k environment keys", limits: medium,
			build: file(".circleci/config.yml", func() string {
				return "version: 2.1\njobs:\n  build:\n    docker: [{image: cimg/base:stable}]\n    environment:\n" +
					repeat(100_000, "      K%d: v\n") + "    steps: [checkout]\nworkflows:\n  w:\n    jobs: [build]\n"
			}),
			check: findings("parse-error", "too large to analyse")},
		{class: "crash", name: "github error flood", limits: medium, args: pedantic,
			build: file(".github/workflows/e.yml", func() string {
				return "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n" + repeat(100_000, "      - run: 'if %d'\n")
			}),
			check: errorCap},
		{class: "crash", name: "circleci error flood", limits: medium, args: pedantic,
			build: file(".circleci/config.yml", func() string {
				return "version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    steps:\n" + repeat(100_000, "      - run: 'if %d'\n") + "workflows:\n  w:\n    jobs: [build]\n"
			}),
			check: errorCap},
		{class: "crash", name: "jenkins error flood", limits: medium,
			build: file("Jenkinsfile", func() string { return repeat(200_000, ") // %d\n") }),
			check: errorCap},
		{class: "crash", name: "gitlab error flood", limits: medium, args: pedantic,
			build: file(".gitlab-ci.yml", func() string { return repeat(20_000, "j%d:\n  script: ['if']\n") }),
			check: errorCap},

		// Memory: a valid 5 MiB file (the size limit) on each platform.
		{class: "memory", name: "github 5 MiB", limits: medium, build: file(".github/workflows/big.yml", func() string { return fiveMiB("on: push\njobs:\n", "", githubJob) }),
			check: findings("parse-error", "too large to analyse")},
		{class: "memory", name: "gitlab 5 MiB", limits: medium, build: file(".gitlab-ci.yml", func() string { return fiveMiB("stages: [test]\n", "", gitlabJob) }),
			check: findings("parse-error", "too large to analyse")},
		{class: "memory", name: "circleci 5 MiB", limits: medium, build: file(".circleci/config.yml", func() string { return circleci5MiB() }),
			check: findings("parse-error", "too large to analyse")},
		{class: "memory", name: "jenkins 5 MiB", limits: large, build: file("Jenkinsfile", func() string { return fiveMiB("pipeline {\n  agent any\n  stages {\n", "  }\n}\n", jenkinsStage) }),
			check: findings("parse-error", "too large to analyse")},

		// Outside the tree: an include is read inside the repository only, and only a
		// regular file, bounded while it is read.
		{class: "outside", name: "gitlab include through a symlink out of the tree", limits: small,
			build: includeOf(func(t *testing.T, repo, outside string) {
				write(t, filepath.Join(outside, "secret.yml"), "leak:\n  script: [echo "+token+"]\n  broken: [\n")
				symlink(t, "../outside/secret.yml", filepath.Join(repo, "inc.yml"))
			}),
			check: all(findings("parse-error", "include inc.yml not read: read inc.yml: resolves outside the repository (a link to ../outside/secret.yml)"), nothing(token, "leak")),
		},
		{class: "outside", name: "gitlab include of a FIFO", limits: small,
			build: includeOf(func(t *testing.T, repo, _ string) {
				if err := syscall.Mkfifo(filepath.Join(repo, "inc.yml"), 0o644); err != nil {
					t.Fatal(err)
				}
			}),
			check: findings("parse-error", "include inc.yml not read: read inc.yml: not a regular file"),
		},
		{class: "outside", name: "gitlab include of /dev/zero", limits: small,
			build: includeOf(func(t *testing.T, repo, _ string) { symlink(t, "/dev/zero", filepath.Join(repo, "inc.yml")) }),
			check: findings("parse-error", "include inc.yml not read: read inc.yml: resolves outside the repository (a link to /dev/zero)"),
		},

		// Secrets: whatever a parser quotes from the file in a message is redacted.
		{class: "secret", name: "yaml unknown anchor", limits: small,
			build: file(".github/workflows/a.yml", func() string { return "on: push\njobs:\n  a: *" + token + "\n" }),
			check: all(findings("parse-error", "unknown anchor '"+secrets.Redact(token)+"'"), nothing(token))},
		{class: "secret", name: "github job name", limits: small,
			build: file(".github/workflows/a.yml", func() string { return "on: push\njobs:\n  " + token + ": 1\n" }),
			check: all(findings("parse-error", `job "`+secrets.Redact(token)+`" is a scalar`), nothing(token))},
		{class: "secret", name: "gitlab extends cycle", limits: small,
			build: file(".gitlab-ci.yml", func() string {
				return "." + token + ":\n  extends: ." + token + "\n  script: [x]\njob:\n  extends: ." + token + "\n"
			}),
			check: all(findings("parse-error", "extends cycle through"), nothing(token))},
		{class: "secret", name: "circleci command chain", limits: small,
			build: file(".circleci/config.yml", func() string {
				return "version: 2.1\ncommands:\n  " + token + ":\n    steps: [" + token + "]\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [" + token + "]\nworkflows:\n  w:\n    jobs: [build]\n"
			}),
			check: all(findings("parse-error", "command expansion stopped"), nothing(token))},
		{class: "secret", name: "groovy syntax error", limits: small,
			build: file("Jenkinsfile", func() string { return "node {\n  foo(a " + token + ")\n}\n" }),
			check: all(findings("parse-error", `found "`+secrets.Redact(token)+`"`), nothing(token))},

		// Detector: known password fields report any literal; precision stays.
		{class: "detector", name: "github hazmat passwords", limits: small, args: []string{"--platform", "github"},
			build: testdata("github/hazmat-passwords.yml"),
			check: all(count("hardcoded-token", 3), noFindingAt("hardcoded-token", 17))},
		{class: "detector", name: "circleci docker auth password", limits: small, args: []string{"--platform", "circleci"},
			build: testdata("circleci/auth-password.yml"),
			check: count("hardcoded-token", 1)},
		{class: "detector", name: "unknown shell and powershell on a matrix", limits: small, args: []string{"--platform", "github", "--persona", "pedantic"},
			build: testdata("github/shells.yml"),
			check: count("parse-error", 0)},
	}
}

// leadCases are the classes of the scan's other parts, for the lead to add: discover
// (regular files only, reads bounded while reading, a symlinked scan root, unreadable
// directories), the text reporter (masking the lines it quotes, terminal escapes,
// `pos.file` of user policies), the process memory limit, policy deadlines and memory,
// exit codes.
func leadCases() []hostileCase {
	token := secretstest.ProviderTokens[0].Value
	agentWorkflow := "on: push\njobs:\n  fix:\n    runs-on: self-hosted\n    steps:\n      - run: codex exec --yolo x\n"
	return []hostileCase{
		// Discovery reads regular files only, bounded while reading, and says when it
		// cannot.
		{class: "hang", name: "a FIFO named Jenkinsfile", limits: small, exit: 2,
			build: func(t *testing.T, dir string) string {
				write(t, filepath.Join(dir, ".github/workflows/a.yml"), agentWorkflow)
				if err := syscall.Mkfifo(filepath.Join(dir, "Jenkinsfile"), 0o600); err != nil {
					t.Skip("no FIFOs here:", err)
				}
				return dir
			},
			check: all(errorSays("not a regular file"), count("agent-sandbox-bypass", 1))},
		{class: "hang", name: "scan /dev/zero --platform github", limits: small, exit: 2, args: []string{"--platform", "github"},
			build: func(*testing.T, string) string { return "/dev/zero" },
			check: errorSays("not a regular file")},
		{class: "hang", name: "a link to /dev/zero named .gitlab-ci.yml", limits: small, args: []string{"--verbose"},
			build: func(t *testing.T, dir string) string {
				symlink(t, "/dev/zero", filepath.Join(dir, ".gitlab-ci.yml"))
				return dir
			},
			check: said("a symbolic link out of the scanned tree, not followed")},
		{class: "hang", name: "a link to /dev/zero named on the command line", limits: small, exit: 2,
			build: func(t *testing.T, dir string) string {
				symlink(t, "/dev/zero", filepath.Join(dir, ".gitlab-ci.yml"))
				return filepath.Join(dir, ".gitlab-ci.yml")
			},
			check: errorSays("not a regular file")},
		{class: "memory", name: "a 1 GiB file is reported, not quoted in full", limits: small, text: true,
			build: func(t *testing.T, dir string) string {
				path := filepath.Join(dir, "x.gitlab-ci.yml")
				write(t, path, "")
				if err := os.Truncate(path, 1<<30); err != nil {
					t.Fatal(err)
				}
				return dir
			},
			check: said("over the 5.0 MiB size limit")},
		// Failures are loud and honest.
		{class: "honest", name: "a symlinked scan root is followed", limits: small,
			build: func(t *testing.T, dir string) string {
				write(t, filepath.Join(dir, "repo/.github/workflows/a.yml"), agentWorkflow)
				symlink(t, filepath.Join(dir, "repo"), filepath.Join(dir, "link"))
				return filepath.Join(dir, "link")
			},
			check: count("agent-sandbox-bypass", 1)},
		{class: "honest", name: "a path without pipelines exits 2", limits: small, exit: 2,
			build: file("README.md", func() string { return "# nothing to scan\n" }),
			check: errorSays("no pipeline files found")},
		// The text report masks what it quotes, never prints control characters, and
		// quotes only files the scan read.
		{class: "secret", name: "a token in a comment on a finding's line", limits: small, text: true,
			build: file(".github/workflows/a.yml", func() string {
				return strings.Replace(agentWorkflow, "codex exec --yolo x", "codex exec --yolo x # "+token, 1)
			}),
			check: all(nothing(token), said("agent-sandbox-bypass"))},
		{class: "secret", name: "terminal escapes in the scanned file", limits: small, text: true,
			build: file("Jenkinsfile", func() string {
				return "node('shared') {\n  sh 'codex exec --yolo \"\x1b[2J\x1b]0;owned\x07\"'\n}\n"
			}),
			check: all(nothing("\x1b", "\x07"), said("\u241b[2J"), said("agent-sandbox-bypass"))},
		{class: "outside", name: "a user policy's pos.file names a file outside the tree", limits: small, text: true, exit: 1,
			build: func(t *testing.T, dir string) string {
				write(t, filepath.Join(dir, "outside/secret.txt"), "the outside file's content\n")
				write(t, filepath.Join(dir, "repo/.github/workflows/a.yml"), agentWorkflow)
				write(t, filepath.Join(dir, "policy/p.rego"), userPolicy("outside-pos", `deny contains {"msg": "look", "pos": {"line": 1, "file": "`+filepath.ToSlash(filepath.Join(dir, "outside/secret.txt"))+`"}} if true`))
				return filepath.Join(dir, "repo")
			},
			moreArgs: func(dir string) []string { return []string{"--policy", filepath.Join(dir, "policy")} },
			check:    all(nothing("the outside file's content"), said("outside-pos"))},
		// Policy evaluation has a deadline and a memory bound per file.
		{class: "policy", name: "a 100k × 100k comprehension is stopped by the timeout", limits: medium, exit: 3,
			build: func(t *testing.T, dir string) string {
				write(t, filepath.Join(dir, "repo/.github/workflows/a.yml"), agentWorkflow)
				write(t, filepath.Join(dir, "policy/p.rego"), userPolicy("slow-policy", `pairs := [1 | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000); a == b + 100000]

deny contains {"msg": sprintf("%d", [count(pairs)]), "pos": {"line": 1}} if true`))
				return filepath.Join(dir, "repo")
			},
			moreArgs: func(dir string) []string {
				return []string{"--policy", filepath.Join(dir, "policy"), "--policy-timeout", "2s", "--policy-memory", "100000"}
			},
			check: all(errorSays("policy timeout"), count("agent-sandbox-bypass", 1))},
		{class: "policy", name: "a policy that builds gigabytes is stopped by the memory guard", limits: medium, exit: 3,
			build: func(t *testing.T, dir string) string {
				write(t, filepath.Join(dir, "repo/.github/workflows/a.yml"), agentWorkflow)
				write(t, filepath.Join(dir, "policy/p.rego"), userPolicy("big-policy", `big := [[a, b, "padding padding"] | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000)]

deny contains {"msg": sprintf("%d", [count(big)]), "pos": {"line": 1}} if true`))
				return filepath.Join(dir, "repo")
			},
			moreArgs: func(dir string) []string {
				return []string{"--policy", filepath.Join(dir, "policy"), "--policy-memory", "150", "--policy-timeout", "60s"}
			},
			check: all(errorSays("memory limit"), count("agent-sandbox-bypass", 1))},
	}
}

// userPolicy is a user rule with id and body.
func userPolicy(id, body string) string {
	return `# METADATA
# title: T
# description: D
# custom:
#   id: ` + id + `
#   severity: high
#   confidence: high
#   category: c
#   platforms: [github]
#   persona: regular
#   help: H
package pipeguard.rules.` + strings.ReplaceAll(id, "-", "_") + `

import rego.v1

` + body + "\n"
}

// errorSays checks that an error of the report (or standard error) says msg.
func errorSays(msg string) func(*testing.T, outcome) {
	return func(t *testing.T, out outcome) {
		t.Helper()
		for _, e := range out.report.Errors {
			if strings.Contains(e.Message, msg) {
				return
			}
		}
		if !bytes.Contains(out.stderr, []byte(msg)) {
			t.Errorf("no error says %q; stderr: %s; stdout: %.2000s", msg, out.stderr, out.stdout)
		}
	}
}

// said checks that the output (either stream) holds s.
func said(s string) func(*testing.T, outcome) {
	return func(t *testing.T, out outcome) {
		t.Helper()
		if !bytes.Contains(out.stdout, []byte(s)) && !bytes.Contains(out.stderr, []byte(s)) {
			t.Errorf("the output lacks %q: %.2000s", s, out.stdout)
		}
	}
}

var pedantic = []string{"--persona", "pedantic"}

// file builds a case of one file at rel (a path that names its platform), whose
// content is generated when the case runs, so that the suite's own memory, which the
// child's peak includes until it execs, stays small.
func file(rel string, content func() string) func(*testing.T, string) string {
	return func(t *testing.T, dir string) string {
		write(t, filepath.Join(dir, rel), content())
		return dir
	}
}

// testdata builds a case of a reproducer in testdata/hostile, scanned as it is.
func testdata(rel string) func(*testing.T, string) string {
	return func(t *testing.T, _ string) string {
		return filepath.Join(testutil.RepoRoot(t), "testdata", "hostile", rel)
	}
}

// includeOf builds a GitLab repository whose pipeline includes inc.yml, laid out by lay
// in the repository and a directory beside it.
func includeOf(lay func(t *testing.T, repo, outside string)) func(*testing.T, string) string {
	return func(t *testing.T, dir string) string {
		repo, outside := filepath.Join(dir, "repo"), filepath.Join(dir, "outside")
		write(t, filepath.Join(repo, ".gitlab-ci.yml"), "include:\n  - local: inc.yml\nmain:\n  script: [make]\n")
		if err := os.MkdirAll(outside, 0o755); err != nil {
			t.Fatal(err)
		}
		lay(t, repo, outside)
		return repo
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// repeat writes format (with one %d, the index) n times.
func repeat(n int, format string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Replace(format, "%d", itoa(i), 1))
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

// aliasBomb is one anchored list of 1,000 steps reused by 1,000 jobs (79 KB).
func aliasBomb() string {
	return "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps: &s\n" + repeat(1000, "      - run: echo %d\n") +
		repeat(999, "  j%d:\n    runs-on: ubuntu-latest\n    steps: *s\n")
}

// extendsChain is a GitLab job extending a chain of n templates.
func extendsChain(n int) string {
	var b strings.Builder
	b.WriteString(".t0:\n  script: [echo]\n")
	for i := 1; i < n; i++ {
		b.WriteString(".t" + itoa(i) + ":\n  extends: .t" + itoa(i-1) + "\n  variables: {V" + itoa(i) + ": x}\n")
	}
	b.WriteString("job:\n  extends: .t" + itoa(n-1) + "\n")
	return b.String()
}

// fiveMiB fills head units up to 5 MiB less a little, then tail.
func fiveMiB(head, tail string, unit func(i int) string) string {
	const limit = 5<<20 - 4096
	var b strings.Builder
	b.WriteString(head)
	for i := 0; ; i++ {
		u := unit(i)
		if b.Len()+len(u)+len(tail) > limit {
			break
		}
		b.WriteString(u)
	}
	b.WriteString(tail)
	return b.String()
}

func githubJob(i int) string {
	n := itoa(i)
	return "  job" + n + ":\n    runs-on: ubuntu-latest\n    env:\n      A" + n + ": ${{ github.sha }}\n    steps:\n" + repeat(8,
		"      - name: step %d\n        run: |\n          echo \"building $A"+n+"\" && make build\n          curl -fsSL https://example.com/x | tee out.txt\n")
}

func gitlabJob(i int) string {
	n := itoa(i)
	return "job" + n + ":\n  image: alpine\n  variables:\n    A" + n + ": x\n  script:\n" + repeat(8, "    - echo \"building $A"+n+"\" && make build TARGET=%d\n")
}

func jenkinsStage(i int) string {
	return "    stage('s" + itoa(i) + "') {\n      steps {\n" + repeat(8, "        sh \"echo building ${env.A} && make build TARGET=%d\"\n") + "      }\n    }\n"
}

// circleci5MiB is 5 MiB of CircleCI jobs, each run by the workflow.
func circleci5MiB() string {
	var jobs, entries strings.Builder
	for i := 0; ; i++ {
		n := itoa(i)
		job := "  job" + n + ":\n    docker: [{image: cimg/base:stable}]\n    steps:\n      - checkout\n" + repeat(8, "      - run: echo \"building "+n+"\" && make build TARGET=%d\n")
		entry := "      - job" + n + "\n"
		if jobs.Len()+entries.Len()+len(job)+len(entry) > 5<<20-4096 {
			break
		}
		jobs.WriteString(job)
		entries.WriteString(entry)
	}
	return "version: 2.1\njobs:\n" + jobs.String() + "workflows:\n  w:\n    jobs:\n" + entries.String()
}

// findings checks that the report has a finding of rule whose message contains msg.
func findings(rule, msg string) func(*testing.T, outcome) {
	return func(t *testing.T, out outcome) {
		t.Helper()
		for _, f := range out.report.Findings {
			if f.Rule == rule && strings.Contains(f.Message, msg) {
				return
			}
		}
		t.Errorf("no %s finding says %q; findings: %.2000s", rule, msg, out.stdout)
	}
}

// count checks that the report has n findings of rule.
func count(rule string, n int) func(*testing.T, outcome) {
	return func(t *testing.T, out outcome) {
		t.Helper()
		got := 0
		for _, f := range out.report.Findings {
			if f.Rule == rule {
				got++
			}
		}
		if got != n {
			t.Errorf("%d %s findings, want %d: %.2000s", got, rule, n, out.stdout)
		}
	}
}

// noFindingAt checks that no finding of rule is on line.
func noFindingAt(rule string, line int) func(*testing.T, outcome) {
	return func(t *testing.T, out outcome) {
		t.Helper()
		for _, f := range out.report.Findings {
			if f.Rule == rule && f.Line == line {
				t.Errorf("a %s finding on line %d: %s", rule, line, f.Message)
			}
		}
	}
}

// nothing checks that none of the strings appears in the output, on either stream.
func nothing(strs ...string) func(*testing.T, outcome) {
	return func(t *testing.T, out outcome) {
		t.Helper()
		for _, s := range strs {
			if bytes.Contains(out.stdout, []byte(s)) || bytes.Contains(out.stderr, []byte(s)) {
				t.Errorf("the output holds %.12q…", s)
			}
		}
	}
}

// errorCap checks that a file's parse errors stop at the cap: at most 1,000 and the
// note that the rest are not reported.
func errorCap(t *testing.T, out outcome) {
	t.Helper()
	findings("parse-error", "more than 1000 problems; the rest are not reported")(t, out)
	got := 0
	for _, f := range out.report.Findings {
		if f.Rule == "parse-error" {
			got++
		}
	}
	if got > 1001 {
		t.Errorf("%d parse errors, over the cap", got)
	}
}

// all runs every check.
func all(checks ...func(*testing.T, outcome)) func(*testing.T, outcome) {
	return func(t *testing.T, out outcome) {
		t.Helper()
		for _, c := range checks {
			c(t, out)
		}
	}
}
