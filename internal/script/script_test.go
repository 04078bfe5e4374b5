package script

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// span is a Pos on one line.
func span(line, col, endCol int) model.Pos {
	return model.Pos{Line: line, Col: col, EndLine: line, EndCol: endCol}
}

// spanLines is a Pos across lines.
func spanLines(line, col, endLine, endCol int) model.Pos {
	return model.Pos{Line: line, Col: col, EndLine: endLine, EndCol: endCol}
}

func word(value string, pos model.Pos) model.Word { return model.Word{Value: value, Pos: pos} }

func dynWord(value string, pos model.Pos) model.Word {
	return model.Word{Value: value, Dynamic: true, Pos: pos}
}

// envSummary is the part of an env prefix a test compares.
type envSummary struct {
	Name     string
	NamePos  model.Pos
	Value    string
	ValuePos model.Pos
	Literal  bool
}

// textSummary is the part of a Stdin text a test compares.
type textSummary struct {
	Value string
	Pos   model.Pos
}

// commandSummary is the part of a model.Command a test compares.
type commandSummary struct {
	Pos       model.Pos
	Argv      []model.Word
	Env       []envSummary
	WrappedBy []string
	Piped     bool
	Stdin     *textSummary
}

// String formats a summary with full spans, for failure messages.
func (c commandSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{cmd %s argv[", fullSpan(c.Pos))
	for _, w := range c.Argv {
		fmt.Fprintf(&b, " %q dyn=%v %s", w.Value, w.Dynamic, fullSpan(w.Pos))
	}
	b.WriteString(" ] env[")
	for _, v := range c.Env {
		fmt.Fprintf(&b, " %s@%s=%q@%s lit=%v", v.Name, fullSpan(v.NamePos), v.Value, fullSpan(v.ValuePos), v.Literal)
	}
	fmt.Fprintf(&b, " ] wrapped=%q piped=%v", c.WrappedBy, c.Piped)
	if c.Stdin != nil {
		fmt.Fprintf(&b, " stdin=%q@%s", c.Stdin.Value, fullSpan(c.Stdin.Pos))
	}
	b.WriteString("}")
	return b.String()
}

func fullSpan(p model.Pos) string {
	return fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Col, p.EndLine, p.EndCol)
}

// plainWords returns words with only Value, Dynamic and Pos: the argv tables check
// those, the tables of TestAnalyzeWordFacts the rest.
func plainWords(words []model.Word) []model.Word {
	var out []model.Word
	for _, w := range words {
		out = append(out, model.Word{Value: w.Value, Dynamic: w.Dynamic, Pos: w.Pos})
	}
	return out
}

func summarize(cmds []model.Command) []commandSummary {
	var out []commandSummary
	for _, c := range cmds {
		s := commandSummary{Pos: c.Pos, Argv: plainWords(c.Argv), WrappedBy: c.WrappedBy, Piped: c.Piped}
		for _, v := range c.EnvPrefix {
			s.Env = append(s.Env, envSummary{Name: v.Name, NamePos: v.Pos, Value: v.Value.Value, ValuePos: v.Value.Pos, Literal: v.Value.Literal})
		}
		if c.Stdin != nil {
			s.Stdin = &textSummary{Value: c.Stdin.Value, Pos: c.Stdin.Pos}
		}
		out = append(out, s)
	}
	return out
}

// blockMap maps text as a YAML block scalar would: line i of text stands on file line
// firstLine+i, starting at column indent+1.
func blockMap(text string, firstLine, indent int) *textpos.Map {
	var b textpos.Builder
	for i, line := range strings.SplitAfter(text, "\n") {
		b.Verbatim(line, firstLine+i, indent+1)
	}
	return b.Map()
}

func TestAnalyzeCommands(t *testing.T) {
	tests := []struct {
		name   string
		script string
		shell  string
		want   []commandSummary
		errors []model.Pos
	}{
		{
			name:   "plain command",
			script: `codex exec --sandbox danger-full-access "fix"`,
			want: []commandSummary{{
				Pos: span(1, 1, 46),
				Argv: []model.Word{
					word("codex", span(1, 1, 6)), word("exec", span(1, 7, 11)),
					word("--sandbox", span(1, 12, 21)), word("danger-full-access", span(1, 22, 40)),
					word("fix", span(1, 41, 46)),
				},
			}},
		},
		{
			name:   "env prefix",
			script: `FOO=1 BAR=$X claude -p "x" --dangerously-skip-permissions`,
			want: []commandSummary{{
				Pos: span(1, 1, 58),
				Argv: []model.Word{
					word("claude", span(1, 14, 20)), word("-p", span(1, 21, 23)), word("x", span(1, 24, 27)),
					word("--dangerously-skip-permissions", span(1, 28, 58)),
				},
				Env: []envSummary{
					{Name: "FOO", NamePos: span(1, 1, 4), Value: "1", ValuePos: span(1, 5, 6), Literal: true},
					{Name: "BAR", NamePos: span(1, 7, 10), Value: "$X", ValuePos: span(1, 11, 13)},
				},
			}},
		},
		{
			name:   "stacked wrappers",
			script: `sudo -E env A=1 timeout 5m npx -y @openai/codex exec --yolo`,
			want: []commandSummary{{
				Pos: span(1, 1, 60),
				Argv: []model.Word{
					word("@openai/codex", span(1, 35, 48)), word("exec", span(1, 49, 53)), word("--yolo", span(1, 54, 60)),
				},
				Env:       []envSummary{{Name: "A", NamePos: span(1, 13, 14), Value: "1", ValuePos: span(1, 15, 16), Literal: true}},
				WrappedBy: []string{"sudo", "env", "timeout", "npx"},
			}},
		},
		{
			name:   "bash -c with single quotes",
			script: `bash -c 'codex exec -s danger-full-access'`,
			want: []commandSummary{{
				Pos: span(1, 10, 42),
				Argv: []model.Word{
					word("codex", span(1, 10, 15)), word("exec", span(1, 16, 20)),
					word("-s", span(1, 21, 23)), word("danger-full-access", span(1, 24, 42)),
				},
				WrappedBy: []string{"bash -c"},
			}},
		},
		{
			name:   "sh -c with escaped double quotes",
			script: `FOO=1 sh -ec "codex \"a b\" --yolo"`,
			want: []commandSummary{{
				Pos: span(1, 15, 35),
				Argv: []model.Word{
					word("codex", span(1, 15, 20)), word("a b", span(1, 21, 28)), word("--yolo", span(1, 29, 35)),
				},
				Env:       []envSummary{{Name: "FOO", NamePos: span(1, 1, 4), Value: "1", ValuePos: span(1, 5, 6), Literal: true}},
				WrappedBy: []string{"sh -c"},
			}},
		},
		{
			name:   "line continuations",
			script: "codex exec \\\n  --sandbox \\\n    danger-full-access\n",
			want: []commandSummary{{
				Pos: spanLines(1, 1, 3, 23),
				Argv: []model.Word{
					word("codex", span(1, 1, 6)), word("exec", span(1, 7, 11)),
					word("--sandbox", span(2, 3, 12)), word("danger-full-access", span(3, 5, 23)),
				},
			}},
		},
		{
			name:   "heredoc to cat and to bash",
			script: "cat <<'EOF'\ncodex --yolo\nEOF\nbash <<EOF\ncodex --yolo\nEOF\n",
			want: []commandSummary{
				{
					Pos:   span(1, 1, 12),
					Argv:  []model.Word{word("cat", span(1, 1, 4))},
					Stdin: &textSummary{Value: "codex --yolo\n", Pos: span(2, 1, 14)},
				},
				{
					Pos:   span(4, 1, 11),
					Argv:  []model.Word{word("bash", span(4, 1, 5))},
					Stdin: &textSummary{Value: "codex --yolo\n", Pos: span(5, 1, 14)},
				},
				{
					Pos:       span(5, 1, 13),
					Argv:      []model.Word{word("codex", span(5, 1, 6)), word("--yolo", span(5, 7, 13))},
					WrappedBy: []string{"heredoc"},
				},
			},
		},
		{
			name:   "here-string to a shell",
			script: `bash <<< "codex --yolo"`,
			want: []commandSummary{
				{
					Pos:   span(1, 1, 24),
					Argv:  []model.Word{word("bash", span(1, 1, 5))},
					Stdin: &textSummary{Value: "codex --yolo", Pos: span(1, 10, 24)},
				},
				{
					Pos:       span(1, 11, 23),
					Argv:      []model.Word{word("codex", span(1, 11, 16)), word("--yolo", span(1, 17, 23))},
					WrappedBy: []string{"heredoc"},
				},
			},
		},
		{
			name:   "flag inside echo is one word",
			script: `echo "codex exec --yolo"`,
			want: []commandSummary{{
				Pos:  span(1, 1, 25),
				Argv: []model.Word{word("echo", span(1, 1, 5)), word("codex exec --yolo", span(1, 6, 25))},
			}},
		},
		{
			name:   "comments",
			script: "# codex --yolo\necho hi # codex --yolo\n",
			want: []commandSummary{{
				Pos:  span(2, 1, 8),
				Argv: []model.Word{word("echo", span(2, 1, 5)), word("hi", span(2, 6, 8))},
			}},
		},
		{
			name:   "masked interpolation inside a word",
			script: `codex --token=${{ secrets.X }}x`,
			want: []commandSummary{{
				Pos:  span(1, 1, 32),
				Argv: []model.Word{word("codex", span(1, 1, 6)), dynWord("--token=${{ secrets.X }}x", span(1, 7, 32))},
			}},
		},
		{
			name:   "config overrides in both quotings",
			script: `codex -c sandbox_mode="danger-full-access" -c 'sandbox_mode="danger-full-access"'`,
			want: []commandSummary{{
				Pos: span(1, 1, 82),
				Argv: []model.Word{
					word("codex", span(1, 1, 6)), word("-c", span(1, 7, 9)),
					word("sandbox_mode=danger-full-access", span(1, 10, 43)), word("-c", span(1, 44, 46)),
					word(`sandbox_mode="danger-full-access"`, span(1, 47, 82)),
				},
			}},
		},
		{
			name:   "pipe, lists, substitutions",
			script: `echo x | claude -p && out=$(gemini --yolo) || echo "$(cat f)"`,
			want: []commandSummary{
				{Pos: span(1, 1, 7), Argv: []model.Word{word("echo", span(1, 1, 5)), word("x", span(1, 6, 7))}},
				{Pos: span(1, 10, 19), Argv: []model.Word{word("claude", span(1, 10, 16)), word("-p", span(1, 17, 19))}, Piped: true},
				{
					Pos: span(1, 23, 43),
					Env: []envSummary{{Name: "out", NamePos: span(1, 23, 26), Value: "$(gemini --yolo)", ValuePos: span(1, 27, 43)}},
				},
				{Pos: span(1, 29, 42), Argv: []model.Word{word("gemini", span(1, 29, 35)), word("--yolo", span(1, 36, 42))}},
				{Pos: span(1, 47, 62), Argv: []model.Word{word("echo", span(1, 47, 51)), dynWord("$(cat f)", span(1, 52, 62))}},
				{Pos: span(1, 55, 60), Argv: []model.Word{word("cat", span(1, 55, 58)), word("f", span(1, 59, 60))}},
			},
		},
		{
			name:   "compound commands",
			script: "if true; then\n  for f in a; do codex; done\nfi\nrun() { claude; }\n( gemini )",
			want: []commandSummary{
				{Pos: span(1, 4, 8), Argv: []model.Word{word("true", span(1, 4, 8))}},
				{Pos: span(2, 18, 23), Argv: []model.Word{word("codex", span(2, 18, 23))}},
				{Pos: span(4, 9, 15), Argv: []model.Word{word("claude", span(4, 9, 15))}},
				{Pos: span(5, 3, 9), Argv: []model.Word{word("gemini", span(5, 3, 9))}},
			},
		},
		{
			name:   "export and bare assignment",
			script: "export TOKEN=abc B=\"x y\"\nKEY=v",
			want: []commandSummary{
				{
					Pos: span(1, 1, 25),
					Argv: []model.Word{
						word("export", span(1, 1, 7)), word("TOKEN=abc", span(1, 8, 17)), word("B=x y", span(1, 18, 25)),
					},
				},
				{
					Pos: span(2, 1, 6),
					Env: []envSummary{{Name: "KEY", NamePos: span(2, 1, 4), Value: "v", ValuePos: span(2, 5, 6), Literal: true}},
				},
			},
		},
		{
			name:   "export in POSIX sh",
			script: "export TOKEN=abc",
			shell:  "sh",
			want: []commandSummary{{
				Pos:  span(1, 1, 17),
				Argv: []model.Word{word("export", span(1, 1, 7)), word("TOKEN=abc", span(1, 8, 17))},
			}},
		},
		{
			name:   "broken shell recovers other lines",
			script: "echo a\nif then fi (((\necho b\n",
			want: []commandSummary{
				{Pos: span(1, 1, 7), Argv: []model.Word{word("echo", span(1, 1, 5)), word("a", span(1, 6, 7))}},
				{Pos: span(3, 1, 7), Argv: []model.Word{word("echo", span(3, 1, 5)), word("b", span(3, 6, 7))}},
			},
			errors: []model.Pos{span(2, 1, 2)},
		},
		{
			name:   "POSIX errors and an unterminated quote inside a block",
			shell:  "sh",
			script: "a=(1 2)\necho ok\nif true; then\n  codex --yolo\n  echo \"unterminated\nfi\necho last",
			want: []commandSummary{
				{Pos: span(2, 1, 8), Argv: []model.Word{word("echo", span(2, 1, 5)), word("ok", span(2, 6, 8))}},
				{Pos: span(4, 3, 15), Argv: []model.Word{word("codex", span(4, 3, 8)), word("--yolo", span(4, 9, 15))}},
				{Pos: span(7, 1, 10), Argv: []model.Word{word("echo", span(7, 1, 5)), word("last", span(7, 6, 10))}},
			},
			errors: []model.Pos{span(1, 3, 4), span(5, 8, 9), span(6, 1, 2)},
		},
		{
			name:   "CRLF line ends",
			script: "codex exec \\\r\n  --yolo\r\necho \"a\"\r\n",
			want: []commandSummary{
				{
					Pos:  spanLines(1, 1, 2, 9),
					Argv: []model.Word{word("codex", span(1, 1, 6)), word("exec", span(1, 7, 11)), word("--yolo", span(2, 3, 9))},
				},
				{Pos: span(3, 1, 9), Argv: []model.Word{word("echo", span(3, 1, 5)), word("a", span(3, 6, 9))}},
			},
		},
		{
			name:   "PowerShell fallback",
			shell:  "pwsh",
			script: "# codex --yolo\ncodex exec `\n  --yolo \"a b\"; echo x | claude -p 'it''s'",
			want: []commandSummary{
				{
					Pos: spanLines(2, 1, 3, 15),
					Argv: []model.Word{
						word("codex", span(2, 1, 6)), word("exec", span(2, 7, 11)),
						word("--yolo", span(3, 3, 9)), word("a b", span(3, 10, 15)),
					},
				},
				{Pos: span(3, 17, 23), Argv: []model.Word{word("echo", span(3, 17, 21)), word("x", span(3, 22, 23))}},
				{
					Pos:   span(3, 26, 43),
					Argv:  []model.Word{word("claude", span(3, 26, 32)), word("-p", span(3, 33, 35)), word("it's", span(3, 36, 43))},
					Piped: true,
				},
			},
		},
		{
			name:   "cmd fallback",
			shell:  "cmd",
			script: "@echo off\r\nREM codex --yolo\r\nset X=%TOKEN% && codex ^\r\n  --yolo",
			want: []commandSummary{
				{Pos: span(1, 2, 10), Argv: []model.Word{word("echo", span(1, 2, 6)), word("off", span(1, 7, 10))}},
				{Pos: span(3, 1, 14), Argv: []model.Word{word("set", span(3, 1, 4)), dynWord("X=%TOKEN%", span(3, 5, 14))}},
				{Pos: spanLines(3, 18, 4, 9), Argv: []model.Word{word("codex", span(3, 18, 23)), word("--yolo", span(4, 3, 9))}},
			},
		},
		{
			name:   "python has no commands",
			shell:  "python",
			script: "import os\nos.system('codex --yolo')",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Analyze(Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1), Shell: tt.shell, Dialect: DialectGitHub})
			if got := summarize(res.Commands); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("commands:\n got %v\nwant %v", got, tt.want)
			}
			var errs []model.Pos
			for _, e := range res.Errors {
				errs = append(errs, e.Pos)
			}
			if !reflect.DeepEqual(errs, tt.errors) {
				t.Errorf("errors: got %v (%+v), want %v", errs, res.Errors, tt.errors)
			}
		})
	}
}

func TestAnalyzeWrappers(t *testing.T) {
	tests := []struct {
		script  string
		argv    []string
		wrapped []string
	}{
		{`npx @openai/codex exec`, []string{"@openai/codex", "exec"}, []string{"npx"}},
		{`npx --yes -p @openai/codex codex exec`, []string{"codex", "exec"}, []string{"npx"}},
		{`bunx --bun @anthropic-ai/claude-code -p`, []string{"@anthropic-ai/claude-code", "-p"}, []string{"bunx"}},
		{`pnpm dlx @openai/codex exec`, []string{"@openai/codex", "exec"}, []string{"pnpm dlx"}},
		{`yarn dlx -p x @openai/codex exec`, []string{"@openai/codex", "exec"}, []string{"yarn dlx"}},
		{`npm exec --yes -- @openai/codex exec`, []string{"@openai/codex", "exec"}, []string{"npm exec"}},
		{`sudo -u runner -H codex`, []string{"codex"}, []string{"sudo"}},
		{`/usr/bin/sudo --user=root codex`, []string{"codex"}, []string{"sudo"}},
		{`env -u HOME -i codex`, []string{"codex"}, []string{"env"}},
		{`timeout -s KILL 10 codex`, []string{"codex"}, []string{"timeout"}},
		{`nohup nice -n 10 stdbuf -oL codex &`, []string{"codex"}, []string{"nohup", "nice", "stdbuf"}},
		{`time codex`, []string{"codex"}, []string{"time"}},
		{`xargs -I{} -n 1 codex exec {}`, []string{"codex", "exec", "{}"}, []string{"xargs"}},
		{`exec codex`, []string{"codex"}, []string{"exec"}},
		{`command -v codex`, []string{"command", "-v", "codex"}, nil},
		{`sudo -i`, []string{"sudo", "-i"}, nil},
		{`env A=1`, []string{"env", "A=1"}, nil},
		{`bash -eo pipefail -c 'codex'`, []string{"codex"}, []string{"bash -c"}},
		{`sudo bash -c "env X=1 codex"`, []string{"codex"}, []string{"sudo", "bash -c", "env"}},
		{`npx -c 'codex --yolo'`, []string{"codex", "--yolo"}, []string{"npx"}},
		{`bash script.sh`, []string{"bash", "script.sh"}, nil},
		{`$RUNNER codex`, []string{"$RUNNER", "codex"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			res := Analyze(Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1)})
			if len(res.Commands) != 1 {
				t.Fatalf("got %d commands (%+v), want 1", len(res.Commands), summarize(res.Commands))
			}
			cmd := res.Commands[0]
			var argv []string
			for _, w := range cmd.Argv {
				argv = append(argv, w.Value)
			}
			if !reflect.DeepEqual(argv, tt.argv) || !reflect.DeepEqual(cmd.WrappedBy, tt.wrapped) {
				t.Errorf("got argv %q wrapped by %q, want %q wrapped by %q", argv, cmd.WrappedBy, tt.argv, tt.wrapped)
			}
		})
	}
}

func TestAnalyzeBlockScalarPositions(t *testing.T) {
	script := "codex exec \\\n  --yolo\nbash -c 'claude -p x'\n"
	res := Analyze(Source{Text: script, Map: blockMap(script, 10, 8), Shell: "bash", Dialect: DialectGitHub})
	want := []commandSummary{
		{
			Pos:  spanLines(10, 9, 11, 17),
			Argv: []model.Word{word("codex", span(10, 9, 14)), word("exec", span(10, 15, 19)), word("--yolo", span(11, 11, 17))},
		},
		{
			Pos:       span(12, 18, 29),
			Argv:      []model.Word{word("claude", span(12, 18, 24)), word("-p", span(12, 25, 27)), word("x", span(12, 28, 29))},
			WrappedBy: []string{"bash -c"},
		},
	}
	if got := summarize(res.Commands); !reflect.DeepEqual(got, want) {
		t.Errorf("commands:\n got %v\nwant %v", got, want)
	}
}

func TestAnalyzeNestedInterpolation(t *testing.T) {
	script := `bash -c 'codex ${{ inputs.args }}'`
	res := Analyze(Source{Text: script, Map: textpos.Verbatim(script, 1, 1), Dialect: DialectGitHub})
	want := []commandSummary{{
		Pos:       span(1, 10, 34),
		Argv:      []model.Word{word("codex", span(1, 10, 15)), dynWord("${{ inputs.args }}", span(1, 16, 34))},
		WrappedBy: []string{"bash -c"},
	}}
	if got := summarize(res.Commands); !reflect.DeepEqual(got, want) {
		t.Errorf("commands:\n got %v\nwant %v", got, want)
	}
	wantInterp := []model.Interpolation{{Expr: "inputs.args", Kind: model.InterpGitHub, AuthorControlled: true, Pos: span(1, 16, 34),
		Contexts: []model.ContextRef{{Path: "inputs.args", AuthorControlled: true, Pos: span(1, 20, 31)}}}}
	if !reflect.DeepEqual(res.Interpolations, wantInterp) {
		t.Errorf("interpolations: got %+v, want %+v", res.Interpolations, wantInterp)
	}
}

func TestInterpolations(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		dialect Dialect
		want    []model.Interpolation
	}{
		{
			name:    "github with nested braces and quotes",
			text:    "echo ${{ format('{0}}', github.x) }} ${{ unterminated",
			dialect: DialectGitHub,
			want: []model.Interpolation{{Expr: "format('{0}}', github.x)", Kind: model.InterpGitHub, Pos: span(1, 6, 37),
				Contexts: []model.ContextRef{{Path: "github.x", Funcs: []string{"format"}, Pos: span(1, 25, 33)}}}},
		},
		{
			name:    "github across lines and after multibyte text",
			text:    "é ${{\n  secrets.X }}",
			dialect: DialectGitHub,
			want: []model.Interpolation{{Expr: "secrets.X", Kind: model.InterpGitHub, Pos: spanLines(1, 3, 2, 15),
				Contexts: []model.ContextRef{{Path: "secrets.X", Pos: span(2, 3, 12)}}}},
		},
		{
			name:    "gitlab input",
			text:    "echo $[[ inputs.name ]] ${{ not.this }}",
			dialect: DialectGitLab,
			want: []model.Interpolation{{Expr: "inputs.name", Kind: model.InterpGitLab, AuthorControlled: true, Pos: span(1, 6, 24),
				Contexts: []model.ContextRef{{Path: "inputs.name", AuthorControlled: true, Pos: span(1, 6, 24)}}}},
		},
		{
			name:    "circleci parameter, not a heredoc or escaped",
			text:    `echo << parameters.x >> && cat << EOF >> out; echo \<< pipeline.git.branch >> << pipeline.git.branch >>`,
			dialect: DialectCircleCI,
			want: []model.Interpolation{
				{Expr: "parameters.x", Kind: model.InterpCircleCI, Pos: span(1, 6, 24),
					Contexts: []model.ContextRef{{Path: "parameters.x", Pos: span(1, 6, 24)}}},
				{Expr: "pipeline.git.branch", Kind: model.InterpCircleCI, Untrusted: true, Pos: span(1, 79, 104),
					Contexts: []model.ContextRef{{Path: "pipeline.git.branch", Untrusted: true, Pos: span(1, 79, 104)}}},
			},
		},
		{
			name:    "groovy",
			text:    `echo ${env.X} $name.b. ${ [a:1].collect { "}" } } \$HOME`,
			dialect: DialectGroovy,
			want: []model.Interpolation{
				{Expr: "env.X", Kind: model.InterpGroovy, Pos: span(1, 6, 14),
					Contexts: []model.ContextRef{{Path: "env.X", Pos: span(1, 6, 14)}}},
				{Expr: "name.b", Kind: model.InterpGroovy, Pos: span(1, 15, 22),
					Contexts: []model.ContextRef{{Path: "name.b", Pos: span(1, 15, 22)}}},
				{Expr: `[a:1].collect { "}" }`, Kind: model.InterpGroovy, Pos: span(1, 24, 50)},
			},
		},
		{
			name:    "no dialect",
			text:    "echo ${{ x }}",
			dialect: DialectNone,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Interpolations(tt.text, textpos.Verbatim(tt.text, 1, 1), tt.dialect)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestHasVariableReference(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"$X", true},
		{"pre${X}post", true},
		{"$(whoami)", true},
		{"%TOKEN%", true},
		{"$env:TOKEN", true},
		{"${{ secrets.X }}", true},
		{"$[[ inputs.x ]]", true},
		{"<< parameters.token >>", true},
		{"plain-literal-value", false},
		{"pa$$word", false},
		{"costs 5$", false},
		{"$1 and $?", false},
		{"100% sure 50%", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := HasVariableReference(tt.text); got != tt.want {
			t.Errorf("HasVariableReference(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestAnalyzeDialectMasking(t *testing.T) {
	tests := []struct {
		script  string
		dialect Dialect
		want    []model.Word
	}{
		{
			script:  "codex << parameters.flags >> --yolo",
			dialect: DialectCircleCI,
			want: []model.Word{
				word("codex", span(1, 1, 6)), dynWord("<< parameters.flags >>", span(1, 7, 29)), word("--yolo", span(1, 30, 36)),
			},
		},
		{
			script:  "codex $[[ inputs.x ]] --yolo",
			dialect: DialectGitLab,
			want: []model.Word{
				word("codex", span(1, 1, 6)), dynWord("$[[ inputs.x ]]", span(1, 7, 22)), word("--yolo", span(1, 23, 29)),
			},
		},
		{
			script:  "codex ${params.X} $env.T --yolo",
			dialect: DialectGroovy,
			want: []model.Word{
				word("codex", span(1, 1, 6)), dynWord("${params.X}", span(1, 7, 18)), dynWord("$env.T", span(1, 19, 25)),
				word("--yolo", span(1, 26, 32)),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			res := Analyze(Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1), Dialect: tt.dialect})
			if len(res.Commands) != 1 {
				t.Fatalf("got %d commands, want 1", len(res.Commands))
			}
			if got := plainWords(res.Commands[0].Argv); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("argv:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// loc returns the file position of the n-th (0-based) occurrence of needle in script,
// for a script mapped by textpos.Verbatim at 1:1. It fails the test when there is none.
func loc(t *testing.T, script, needle string, n int) model.Pos {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		k := strings.Index(script[off+1:], needle)
		if k < 0 {
			t.Fatalf("no occurrence %d of %q in %q", n, needle, script)
		}
		off += 1 + k
	}
	point := func(o int) (int, int) {
		line := 1 + strings.Count(script[:o], "\n")
		lineStart := strings.LastIndexByte(script[:o], '\n') + 1
		return line, 1 + utf8.RuneCountInString(script[lineStart:o])
	}
	line, col := point(off)
	endLine, endCol := point(off + len(needle))
	return model.Pos{Line: line, Col: col, EndLine: endLine, EndCol: endCol}
}

// inside returns the span of n columns from column offset from of p, on p's line.
func inside(p model.Pos, from, n int) model.Pos {
	return model.Pos{Line: p.Line, Col: p.Col + from, EndLine: p.Line, EndCol: p.Col + from + n}
}

// joinPos returns the span from the start of a to the end of b.
func joinPos(a, b model.Pos) model.Pos {
	return model.Pos{Line: a.Line, Col: a.Col, EndLine: b.EndLine, EndCol: b.EndCol}
}

// w builds an expected argv word.
func w(value string, dynamic bool, quoting string, pos model.Pos, refs ...model.Ref) model.Word {
	return model.Word{Value: value, Dynamic: dynamic, Pos: pos, Quoting: quoting, Refs: refs}
}

// code returns word with Code set on it and on its refs.
func code(word model.Word) model.Word {
	markCode(&word)
	return word
}

func shellRef(name, quoting string, pos model.Pos) model.Ref {
	return model.Ref{Kind: model.RefShell, Name: name, Quoting: quoting, Pos: pos}
}

// expanding returns r with Expansion set to expansion.
func expanding(r model.Ref, expansion string) model.Ref {
	r.Expansion = expansion
	return r
}

func codeRef(r model.Ref) model.Ref {
	r.Code = true
	return r
}

const (
	unq = model.QuotingUnquoted
	dbl = model.QuotingDouble
	sgl = model.QuotingSingle
	mix = model.QuotingMixed
)

// facts is the part of a model.Command that TestAnalyzeWordFacts compares.
type facts struct {
	Argv      []model.Word     `json:"argv"`
	WrappedBy []string         `json:"wrapped_by,omitempty"`
	Redirects []model.Redirect `json:"redirects,omitempty"`
	Pipe      *model.Pipe      `json:"pipe,omitempty"`
	Piped     bool             `json:"piped,omitempty"`
}

func factsOf(cmds []model.Command) []facts {
	var out []facts
	for _, c := range cmds {
		out = append(out, facts{Argv: c.Argv, WrappedBy: c.WrappedBy, Redirects: c.Redirects, Pipe: c.Pipe, Piped: c.Piped})
	}
	return out
}

// factsCase is one script of TestAnalyzeWordFacts: want builds the expected commands
// with loc, which finds positions in the script.
type factsCase struct {
	name    string
	script  string
	shell   string
	dialect Dialect
	subs    []Substitution
	want    func(at func(needle string, n int) model.Pos) []facts
}

func runFacts(t *testing.T, tests []factsCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Analyze(Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1), Shell: tt.shell, Dialect: tt.dialect, Substitutions: tt.subs})
			want := tt.want(func(needle string, n int) model.Pos { return loc(t, tt.script, needle, n) })
			got := factsOf(res.Commands)
			if len(got) != len(want) {
				t.Errorf("got %d commands, want %d", len(got), len(want))
			}
			for i := range min(len(got), len(want)) {
				if !reflect.DeepEqual(got[i], want[i]) {
					g, _ := json.Marshal(got[i])
					e, _ := json.Marshal(want[i])
					t.Errorf("command %d:\n got %s\nwant %s", i, g, e)
				}
			}
			if len(res.Errors) > 0 {
				t.Errorf("unexpected errors: %+v", res.Errors)
			}
		})
	}
}

func TestAnalyzeWordFacts(t *testing.T) {
	runFacts(t, []factsCase{
		{
			name:    "output file",
			script:  `echo "x=$Y" >> "$GITHUB_OUTPUT"`,
			dialect: DialectGitHub,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{{
					Argv: []model.Word{
						w("echo", false, unq, at("echo", 0)),
						w("x=$Y", true, dbl, at(`"x=$Y"`, 0), shellRef("Y", dbl, at("$Y", 0))),
					},
					Redirects: []model.Redirect{{
						Op:     ">>",
						Target: ptr(w("$GITHUB_OUTPUT", true, dbl, at(`"$GITHUB_OUTPUT"`, 0), shellRef("GITHUB_OUTPUT", dbl, at("$GITHUB_OUTPUT", 0)))),
						Pos:    at(`>> "$GITHUB_OUTPUT"`, 0),
					}},
				}}
			},
		},
		{
			name:   "quotings",
			script: `echo a "b" 'c' $'d' "$A"-$B '' x"y"`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{{Argv: []model.Word{
					w("echo", false, unq, at("echo", 0)),
					w("a", false, unq, at("a", 0)),
					w("b", false, dbl, at(`"b"`, 0)),
					w("c", false, sgl, at(`'c'`, 0)),
					w("d", false, sgl, at(`$'d'`, 0)),
					w("$A-$B", true, mix, at(`"$A"-$B`, 0), shellRef("A", dbl, at("$A", 0)), shellRef("B", unq, at("$B", 0))),
					w("", false, sgl, at(`''`, 0)),
					w("xy", false, mix, at(`x"y"`, 0)),
				}}}
			},
		},
		{
			name:   "reference forms",
			script: `echo ${X:-$Y} ${#Z} ${A[$i]} ${B#$p} ${!C} $1 $@ $? $$ $# $0 $! $- $* $_ $((N+M)) '$Q' "${R}"`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{{Argv: []model.Word{
					w("echo", false, unq, at("echo", 0)),
					w("${X:-$Y}", true, unq, at("${X:-$Y}", 0), shellRef("X", unq, at("${X:-$Y}", 0)), shellRef("Y", unq, at("$Y", 0))),
					w("${#Z}", true, unq, at("${#Z}", 0), expanding(shellRef("Z", unq, at("${#Z}", 0)), model.ExpansionOther)),
					w("${A[$i]}", true, unq, at("${A[$i]}", 0), shellRef("A", unq, at("${A[$i]}", 0)), shellRef("i", unq, at("$i", 0))),
					w("${B#$p}", true, unq, at("${B#$p}", 0), expanding(shellRef("B", unq, at("${B#$p}", 0)), model.ExpansionPart), shellRef("p", unq, at("$p", 0))),
					w("${!C}", true, unq, at("${!C}", 0), expanding(shellRef("C", unq, at("${!C}", 0)), model.ExpansionOther)),
					w("$1", true, unq, at("$1", 0)),
					w("$@", true, unq, at("$@", 0)),
					w("$?", true, unq, at("$?", 0)),
					w("$$", true, unq, at("$$", 0)),
					w("$#", true, unq, at("$#", 0)),
					w("$0", true, unq, at("$0", 0)),
					w("$!", true, unq, at("$!", 0)),
					w("$-", true, unq, at("$-", 0)),
					w("$*", true, unq, at("$*", 0)),
					w("$_", true, unq, at("$_", 0)),
					w("$((N+M))", true, unq, at("$((N+M))", 0), shellRef("N", unq, at("N", 0)), shellRef("M", unq, at("M", 0))),
					w("$Q", false, sgl, at("'$Q'", 0)),
					w("${R}", true, dbl, at(`"${R}"`, 0), shellRef("R", dbl, at("${R}", 0))),
				}}}
			},
		},
		{
			name:   "references in a command substitution belong to the inner command",
			script: `echo "$(cat "$F")"`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{Argv: []model.Word{w("echo", false, unq, at("echo", 0)), w(`$(cat "$F")`, true, dbl, at(`"$(cat "$F")"`, 0))}},
					{Argv: []model.Word{w("cat", false, unq, at("cat", 0)), w("$F", true, dbl, at(`"$F"`, 0), shellRef("F", dbl, at("$F", 0)))}},
				}
			},
		},
		{
			name:    "GitHub expressions, also inside single quotes and glued to a variable",
			script:  `echo ${{ github.event.issue.title }} '${{ github.head_ref }}' "$HOME${{ inputs.p }}"`,
			dialect: DialectGitHub,
			want: func(at func(string, int) model.Pos) []facts {
				title := model.Ref{Kind: model.InterpGitHub, Name: "github.event.issue.title", Quoting: unq, Untrusted: true, Pos: at("${{ github.event.issue.title }}", 0)}
				head := model.Ref{Kind: model.InterpGitHub, Name: "github.head_ref", Quoting: sgl, Untrusted: true, Pos: at("${{ github.head_ref }}", 0)}
				input := model.Ref{Kind: model.InterpGitHub, Name: "inputs.p", Quoting: dbl, AuthorControlled: true, Pos: at("${{ inputs.p }}", 0)}
				return []facts{{Argv: []model.Word{
					w("echo", false, unq, at("echo", 0)),
					w("${{ github.event.issue.title }}", true, unq, at("${{ github.event.issue.title }}", 0), title),
					w("${{ github.head_ref }}", true, sgl, at("'${{ github.head_ref }}'", 0), head),
					w("$HOME${{ inputs.p }}", true, dbl, at(`"$HOME${{ inputs.p }}"`, 0), shellRef("HOME", dbl, at("$HOME", 0)), input),
				}}}
			},
		},
		{
			name:    "GitLab input and CircleCI parameter",
			script:  `deploy $[[ inputs.env ]] "<< pipeline.git.branch >>"`,
			dialect: DialectGitLab,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{{Argv: []model.Word{
					w("deploy", false, unq, at("deploy", 0)),
					w("$[[ inputs.env ]]", true, unq, at("$[[ inputs.env ]]", 0), model.Ref{Kind: model.InterpGitLab, Name: "inputs.env", Quoting: unq, AuthorControlled: true, Pos: at("$[[ inputs.env ]]", 0)}),
					w("<< pipeline.git.branch >>", false, dbl, at(`"<< pipeline.git.branch >>"`, 0)),
				}}}
			},
		},
		{
			name:   "eval arguments are code",
			script: `eval "$CMD"; eval echo $X 'y'`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{Argv: []model.Word{w("eval", false, unq, at("eval", 0)), code(w("$CMD", true, dbl, at(`"$CMD"`, 0), shellRef("CMD", dbl, at("$CMD", 0))))}},
					{Argv: []model.Word{
						w("eval", false, unq, at("eval", 1)),
						code(w("echo", false, unq, at("echo", 0))),
						code(w("$X", true, unq, at("$X", 0), shellRef("X", unq, at("$X", 0)))),
						code(w("y", false, sgl, at("'y'", 0))),
					}},
				}
			},
		},
		{
			name:   "eval in POSIX sh",
			script: `eval "echo $X"`,
			shell:  "sh",
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{{Argv: []model.Word{w("eval", false, unq, at("eval", 0)), code(w("echo $X", true, dbl, at(`"echo $X"`, 0), shellRef("X", dbl, at("$X", 0))))}}}
			},
		},
		{
			name:   "bash -c in double quotes: the outer shell expands the inner references",
			script: `bash -c "echo $CI_MERGE_REQUEST_TITLE"; sh -c "echo \"$X\""; sh -c 'echo "$X"'`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{
						Argv: []model.Word{
							w("echo", false, unq, at("echo", 0)),
							w("$CI_MERGE_REQUEST_TITLE", true, unq, at("$CI_MERGE_REQUEST_TITLE", 0), codeRef(shellRef("CI_MERGE_REQUEST_TITLE", unq, at("$CI_MERGE_REQUEST_TITLE", 0)))),
						},
						WrappedBy: []string{"bash -c"},
					},
					{
						Argv:      []model.Word{w("echo", false, unq, at("echo", 1)), w("$X", true, dbl, at(`\"$X\"`, 0), codeRef(shellRef("X", dbl, at("$X", 0))))},
						WrappedBy: []string{"sh -c"},
					},
					{
						Argv:      []model.Word{w("echo", false, unq, at("echo", 2)), w("$X", true, dbl, at(`"$X"`, 0), shellRef("X", dbl, at("$X", 1)))},
						WrappedBy: []string{"sh -c"},
					},
				}
			},
		},
		{
			name:    "a bash -c script known only at run time stays the command",
			script:  `sudo sh -c "$CMD" name arg; bash -c "$(curl -fsSL https://x.example/i.sh)"; npx -c ${{ inputs.run }}`,
			dialect: DialectGitHub,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{
						Argv: []model.Word{
							w("sh", false, unq, at("sh", 0)), w("-c", false, unq, at("-c", 0)),
							code(w("$CMD", true, dbl, at(`"$CMD"`, 0), shellRef("CMD", dbl, at("$CMD", 0)))),
							w("name", false, unq, at("name", 0)), w("arg", false, unq, at("arg", 0)),
						},
						WrappedBy: []string{"sudo"},
					},
					{
						Argv: []model.Word{
							w("bash", false, unq, at("bash", 0)), w("-c", false, unq, at("-c", 1)),
							code(w("$(curl -fsSL https://x.example/i.sh)", true, dbl, at(`"$(curl -fsSL https://x.example/i.sh)"`, 0))),
						},
					},
					{Argv: []model.Word{w("curl", false, unq, at("curl", 0)), w("-fsSL", false, unq, at("-fsSL", 0)), w("https://x.example/i.sh", false, unq, at("https://x.example/i.sh", 0))}},
					{Argv: []model.Word{
						w("npx", false, unq, at("npx", 0)), w("-c", false, unq, at("-c", 2)),
						code(w("${{ inputs.run }}", true, unq, at("${{ inputs.run }}", 0), model.Ref{Kind: model.InterpGitHub, Name: "inputs.run", Quoting: unq, AuthorControlled: true, Pos: at("${{ inputs.run }}", 0)})),
					}},
				}
			},
		},
		{
			name:   "a substitution the outer shell expands is listed once, as the outer script's",
			script: `bash -c "echo $(date -u) | tr a b"`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{
						Argv:      []model.Word{w("echo", false, unq, at("echo", 0)), w("$(date -u)", true, unq, at("$(date -u)", 0))},
						WrappedBy: []string{"bash -c"},
						Pipe:      &model.Pipe{ID: 1, Index: 0, Len: 2},
					},
					{
						Argv:      []model.Word{w("tr", false, unq, at("tr", 0)), w("a", false, unq, at("a", 2)), w("b", false, unq, at("b", 1))},
						WrappedBy: []string{"bash -c"},
						Pipe:      &model.Pipe{ID: 1, Index: 1, Len: 2},
						Piped:     true,
					},
					{Argv: []model.Word{w("date", false, unq, at("date", 0)), w("-u", false, unq, at("-u", 0))}},
				}
			},
		},
		{
			name:   "heredocs and here-strings read by a shell",
			script: "bash <<EOF\necho $X\nEOF\nbash <<'EOF'\necho $Y\nEOF\nbash <<< \"echo $Z\"",
			want: func(at func(string, int) model.Pos) []facts {
				zTarget := code(w("echo $Z", true, dbl, at(`"echo $Z"`, 0), shellRef("Z", dbl, at("$Z", 0))))
				return []facts{
					{Argv: []model.Word{w("bash", false, unq, at("bash", 0))}, Redirects: []model.Redirect{{Op: "<<", Pos: at("<<EOF", 0)}}},
					{Argv: []model.Word{w("echo", false, unq, at("echo", 0)), w("$X", true, unq, at("$X", 0), codeRef(shellRef("X", unq, at("$X", 0))))}, WrappedBy: []string{"heredoc"}},
					{Argv: []model.Word{w("bash", false, unq, at("bash", 1))}, Redirects: []model.Redirect{{Op: "<<", Pos: at("<<'EOF'", 0)}}},
					{Argv: []model.Word{w("echo", false, unq, at("echo", 1)), w("$Y", true, unq, at("$Y", 0), shellRef("Y", unq, at("$Y", 0)))}, WrappedBy: []string{"heredoc"}},
					{Argv: []model.Word{w("bash", false, unq, at("bash", 2))}, Redirects: []model.Redirect{{Op: "<<<", Target: &zTarget, Pos: at(`<<< "echo $Z"`, 0)}}},
					{Argv: []model.Word{w("echo", false, unq, at("echo", 2)), w("$Z", true, unq, at("$Z", 0), codeRef(shellRef("Z", unq, at("$Z", 0))))}, WrappedBy: []string{"heredoc"}},
				}
			},
		},
		{
			name:   "declaration arguments",
			script: `export FOO="$BAR" B=x C=(a $D)`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{{Argv: []model.Word{
					w("export", false, unq, at("export", 0)),
					w("FOO=$BAR", true, mix, at(`FOO="$BAR"`, 0), shellRef("BAR", dbl, at("$BAR", 0))),
					w("B=x", false, unq, at("B=x", 0)),
					w("C=(a $D)", true, unq, at("C=(a $D)", 0), shellRef("D", unq, at("$D", 0))),
				}}}
			},
		},
	})
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

func TestAnalyzeRedirects(t *testing.T) {
	runFacts(t, []factsCase{
		{
			name:   "operators and descriptors as written",
			script: `run >out 2>>err 2>&1 &>all <in >&2 >|clob 3<>rw {fd}>x 1>>one <<<"$S"`,
			want: func(at func(string, int) model.Pos) []facts {
				target := func(value, needle string) *model.Word { return ptr(w(value, false, unq, at(needle, 0))) }
				return []facts{{
					Argv: []model.Word{w("run", false, unq, at("run", 0))},
					Redirects: []model.Redirect{
						{Op: ">", Target: target("out", "out"), Pos: at(">out", 0)},
						{Op: "2>>", Target: target("err", "err"), Pos: at("2>>err", 0)},
						{Op: "2>&", Target: ptr(w("1", false, unq, inside(at("2>&1", 0), 3, 1))), Pos: at("2>&1", 0)},
						{Op: "&>", Target: target("all", "all"), Pos: at("&>all", 0)},
						{Op: "<", Target: target("in", "in"), Pos: at("<in", 0)},
						{Op: ">&", Target: ptr(w("2", false, unq, inside(at(">&2", 0), 2, 1))), Pos: at(">&2", 0)},
						{Op: ">|", Target: target("clob", "clob"), Pos: at(">|clob", 0)},
						{Op: "3<>", Target: target("rw", "rw"), Pos: at("3<>rw", 0)},
						{Op: "{fd}>", Target: target("x", "x"), Pos: at("{fd}>x", 0)},
						{Op: "1>>", Target: target("one", "one"), Pos: at("1>>one", 0)},
						{Op: "<<<", Target: ptr(w("$S", true, dbl, at(`"$S"`, 0), shellRef("S", dbl, at("$S", 0)))), Pos: at(`<<<"$S"`, 0)},
					},
				}}
			},
		},
		{
			name:   "heredoc has no target",
			script: "cat <<-EOF > \"$F\"\n\tbody\n\tEOF",
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{{
					Argv: []model.Word{w("cat", false, unq, at("cat", 0))},
					Redirects: []model.Redirect{
						{Op: "<<-", Pos: at("<<-EOF", 0)},
						{Op: ">", Target: ptr(w("$F", true, dbl, at(`"$F"`, 0), shellRef("F", dbl, at("$F", 0)))), Pos: at(`> "$F"`, 0)},
					},
				}}
			},
		},
		{
			name:   "compound commands and wrappers pass their redirections on, heredocs excepted",
			script: "{ echo a; echo b >&2; } >> \"$GITHUB_ENV\"\nwhile read l; do echo $l; done < in <<EOF\nx\nEOF\nf() { g; } > out\nbash -c 'h' 2> log",
			want: func(at func(string, int) model.Pos) []facts {
				env := model.Redirect{Op: ">>", Target: ptr(w("$GITHUB_ENV", true, dbl, at(`"$GITHUB_ENV"`, 0), shellRef("GITHUB_ENV", dbl, at("$GITHUB_ENV", 0)))), Pos: at(`>> "$GITHUB_ENV"`, 0)}
				in := model.Redirect{Op: "<", Target: ptr(w("in", false, unq, inside(at("< in", 0), 2, 2))), Pos: at("< in", 0)}
				return []facts{
					{Argv: []model.Word{w("echo", false, unq, at("echo", 0)), w("a", false, unq, at("a", 0))}, Redirects: []model.Redirect{env}},
					{
						Argv:      []model.Word{w("echo", false, unq, at("echo", 1)), w("b", false, unq, at("b", 0))},
						Redirects: []model.Redirect{env, {Op: ">&", Target: ptr(w("2", false, unq, at("2", 0))), Pos: at(">&2", 0)}},
					},
					{Argv: []model.Word{w("read", false, unq, at("read", 0)), w("l", false, unq, inside(at("read l", 0), 5, 1))}, Redirects: []model.Redirect{in}},
					{Argv: []model.Word{w("echo", false, unq, at("echo", 2)), w("$l", true, unq, at("$l", 0), shellRef("l", unq, at("$l", 0)))}, Redirects: []model.Redirect{in}},
					{Argv: []model.Word{w("g", false, unq, at("g", 0))}, Redirects: []model.Redirect{{Op: ">", Target: ptr(w("out", false, unq, at("out", 0))), Pos: at("> out", 0)}}},
					{
						Argv:      []model.Word{w("h", false, unq, inside(at("'h'", 0), 1, 1))},
						WrappedBy: []string{"bash -c"},
						Redirects: []model.Redirect{{Op: "2>", Target: ptr(w("log", false, unq, at("log", 0))), Pos: at("2> log", 0)}},
					},
				}
			},
		},
		{
			name:   "tee after unwrapping, one redirection per file",
			script: `echo "$T" | base64 -w0 | tee out.txt; echo x | sudo tee -a "$GITHUB_ENV" -- /tmp/log; echo y | tee`,
			want: func(at func(string, int) model.Pos) []facts {
				outTxt := w("out.txt", false, unq, at("out.txt", 0))
				envFile := w("$GITHUB_ENV", true, dbl, at(`"$GITHUB_ENV"`, 0), shellRef("GITHUB_ENV", dbl, at("$GITHUB_ENV", 0)))
				tmpLog := w("/tmp/log", false, unq, at("/tmp/log", 0))
				return []facts{
					{Argv: []model.Word{w("echo", false, unq, at("echo", 0)), w("$T", true, dbl, at(`"$T"`, 0), shellRef("T", dbl, at("$T", 0)))}, Pipe: &model.Pipe{ID: 1, Index: 0, Len: 3}},
					{
						Argv:      []model.Word{w("base64", false, unq, at("base64", 0)), w("-w0", false, unq, at("-w0", 0))},
						Redirects: []model.Redirect{{Op: "tee", Target: &outTxt, Pos: at("tee out.txt", 0)}},
						Pipe:      &model.Pipe{ID: 1, Index: 1, Len: 3},
						Piped:     true,
					},
					{Argv: []model.Word{w("tee", false, unq, at("tee", 0)), outTxt}, Pipe: &model.Pipe{ID: 1, Index: 2, Len: 3}, Piped: true},
					{
						Argv: []model.Word{w("echo", false, unq, at("echo", 1)), w("x", false, unq, inside(at("echo x", 0), 5, 1))},
						Redirects: []model.Redirect{
							{Op: "tee -a", Target: &envFile, Pos: joinPos(at("tee", 1), at(`"$GITHUB_ENV"`, 0))},
							{Op: "tee -a", Target: &tmpLog, Pos: joinPos(at("tee", 1), at("/tmp/log", 0))},
						},
						Pipe: &model.Pipe{ID: 2, Index: 0, Len: 2},
					},
					{
						Argv: []model.Word{
							w("tee", false, unq, at("tee", 1)), w("-a", false, unq, at("-a", 0)), envFile,
							w("--", false, unq, at("--", 0)), tmpLog,
						},
						WrappedBy: []string{"sudo"},
						Pipe:      &model.Pipe{ID: 2, Index: 1, Len: 2},
						Piped:     true,
					},
					{Argv: []model.Word{w("echo", false, unq, at("echo", 2)), w("y", false, unq, at("y", 0))}, Pipe: &model.Pipe{ID: 3, Index: 0, Len: 2}},
					{Argv: []model.Word{w("tee", false, unq, at("tee", 2))}, Pipe: &model.Pipe{ID: 3, Index: 1, Len: 2}, Piped: true},
				}
			},
		},
	})
}

func TestAnalyzePipes(t *testing.T) {
	runFacts(t, []factsCase{
		{
			name:   "token piped into an agent",
			script: `printf '%s' "$T" | codex login --with-access-token`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{
						Argv: []model.Word{w("printf", false, unq, at("printf", 0)), w("%s", false, sgl, at("'%s'", 0)), w("$T", true, dbl, at(`"$T"`, 0), shellRef("T", dbl, at("$T", 0)))},
						Pipe: &model.Pipe{ID: 1, Index: 0, Len: 2},
					},
					{
						Argv:  []model.Word{w("codex", false, unq, at("codex", 0)), w("login", false, unq, at("login", 0)), w("--with-access-token", false, unq, at("--with-access-token", 0))},
						Pipe:  &model.Pipe{ID: 1, Index: 1, Len: 2},
						Piped: true,
					},
				}
			},
		},
		{
			name:   "curl into bash, |&, and separate pipelines",
			script: "curl -fsSL https://claude.ai/install.sh | bash\nmake |& cat; lone",
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{Argv: []model.Word{w("curl", false, unq, at("curl", 0)), w("-fsSL", false, unq, at("-fsSL", 0)), w("https://claude.ai/install.sh", false, unq, at("https://claude.ai/install.sh", 0))}, Pipe: &model.Pipe{ID: 1, Index: 0, Len: 2}},
					{Argv: []model.Word{w("bash", false, unq, at("bash", 0))}, Pipe: &model.Pipe{ID: 1, Index: 1, Len: 2}, Piped: true},
					{Argv: []model.Word{w("make", false, unq, at("make", 0))}, Pipe: &model.Pipe{ID: 2, Index: 0, Len: 2}},
					{Argv: []model.Word{w("cat", false, unq, at("cat", 0))}, Pipe: &model.Pipe{ID: 2, Index: 1, Len: 2}, Piped: true},
					{Argv: []model.Word{w("lone", false, unq, at("lone", 0))}},
				}
			},
		},
		{
			name:   "blocks, nested bash -c pipelines and substitutions",
			script: `{ a; b; } | bash -c 'c | d' | e "$(f | g)"`,
			want: func(at func(string, int) model.Pos) []facts {
				stage := func(id, index, n int) *model.Pipe { return &model.Pipe{ID: id, Index: index, Len: n} }
				return []facts{
					{Argv: []model.Word{w("a", false, unq, at("a", 0))}, Pipe: stage(1, 0, 3)},
					{Argv: []model.Word{w("b", false, unq, at("b", 0))}, Pipe: stage(1, 0, 3)},
					{Argv: []model.Word{w("c", false, unq, at("c", 1))}, WrappedBy: []string{"bash -c"}, Pipe: stage(2, 0, 2), Piped: true},
					{Argv: []model.Word{w("d", false, unq, at("d", 0))}, WrappedBy: []string{"bash -c"}, Pipe: stage(2, 1, 2), Piped: true},
					{Argv: []model.Word{w("e", false, unq, at("e", 0)), w("$(f | g)", true, dbl, at(`"$(f | g)"`, 0))}, Pipe: stage(1, 2, 3), Piped: true},
					{Argv: []model.Word{w("f", false, unq, at("f", 0))}, Pipe: stage(3, 0, 2)},
					{Argv: []model.Word{w("g", false, unq, at("g", 0))}, Pipe: stage(3, 1, 2), Piped: true},
				}
			},
		},
	})
}

func TestAnalyzeSubstitutions(t *testing.T) {
	// CircleCI filled in << parameters.msg >> with `"$(id)" x`, and << pipeline.git.branch >>
	// with `main`, before the shell runs.
	// The last line's `ls` is << parameters.tool >>, after a CRLF.
	script := "echo \"$(id)\" x; bash -c \"echo main\"\r\nls"
	msg := Substitution{Start: 5, End: 14, Expr: "parameters.msg", Kind: model.InterpCircleCI}
	branch := Substitution{Start: 30, End: 34, Expr: "pipeline.git.branch", Kind: model.InterpCircleCI, Untrusted: true}
	tool := Substitution{Start: 37, End: 39, Expr: "parameters.tool", Kind: model.InterpCircleCI}
	runFacts(t, []factsCase{{
		name:   "CircleCI parameters",
		script: script,
		subs:   []Substitution{tool, branch, msg, {Start: 6, End: 8, Expr: "overlaps.msg"}, {Start: 45, End: 99, Expr: "out.of.range"}},
		want: func(at func(string, int) model.Pos) []facts {
			ref := func(s Substitution, quoting string, pos model.Pos) model.Ref {
				return model.Ref{Kind: s.Kind, Name: s.Expr, Quoting: quoting, Untrusted: s.Untrusted, Pos: pos}
			}
			return []facts{
				{Argv: []model.Word{
					w("echo", false, unq, at("echo", 0)),
					w("$(id)", true, dbl, at(`"$(id)"`, 0), ref(msg, dbl, at(`"$(id)"`, 0))),
					w("x", false, unq, at("x", 0), ref(msg, unq, at("x", 0))),
				}},
				{Argv: []model.Word{w("id", false, unq, at("id", 0), ref(msg, unq, at("id", 0)))}},
				{Argv: []model.Word{w("echo", false, unq, at("echo", 1)), w("main", false, unq, at("main", 0), ref(branch, unq, at("main", 0)))}, WrappedBy: []string{"bash -c"}},
				{Argv: []model.Word{w("ls", false, unq, at("ls", 0), ref(tool, unq, at("ls", 0)))}},
			}
		},
	}})
}

func TestAnalyzeFallbackFacts(t *testing.T) {
	runFacts(t, []factsCase{
		{
			name:   "PowerShell environment references",
			shell:  "pwsh",
			script: `Write-Host $env:OPENAI_API_KEY "${env:A}-$ENV:B" '$env:C' $local`,
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{{Argv: []model.Word{
					w("Write-Host", false, unq, at("Write-Host", 0)),
					w("$env:OPENAI_API_KEY", true, unq, at("$env:OPENAI_API_KEY", 0), shellRef("OPENAI_API_KEY", unq, at("$env:OPENAI_API_KEY", 0))),
					w("${env:A}-$ENV:B", true, dbl, at(`"${env:A}-$ENV:B"`, 0), shellRef("A", dbl, at("${env:A}", 0)), shellRef("B", dbl, at("$ENV:B", 0))),
					w("$env:C", false, sgl, at("'$env:C'", 0)),
					w("$local", true, unq, at("$local", 0)),
				}}}
			},
		},
		{
			name:   "PowerShell code, redirections and file writers",
			shell:  "pwsh",
			script: "iex $cmd; Invoke-Expression -Command \"$env:X\"\necho x > out.txt 2>&1; echo y *>> log\n\"a=b\" | Out-File -FilePath $env:GITHUB_OUTPUT -Append\necho z | Tee-Object t.txt | Out-Null\nmsbuild |",
			want: func(at func(string, int) model.Pos) []facts {
				ghOutput := w("$env:GITHUB_OUTPUT", true, unq, at("$env:GITHUB_OUTPUT", 0), shellRef("GITHUB_OUTPUT", unq, at("$env:GITHUB_OUTPUT", 0)))
				teeFile := w("t.txt", false, unq, inside(at("Tee-Object t.txt", 0), 11, 5))
				return []facts{
					{Argv: []model.Word{w("iex", false, unq, at("iex", 0)), code(w("$cmd", true, unq, at("$cmd", 0)))}},
					{Argv: []model.Word{
						w("Invoke-Expression", false, unq, at("Invoke-Expression", 0)), w("-Command", false, unq, at("-Command", 0)),
						code(w("$env:X", true, dbl, at(`"$env:X"`, 0), shellRef("X", dbl, at("$env:X", 0)))),
					}},
					{
						Argv: []model.Word{w("echo", false, unq, at("echo", 0)), w("x", false, unq, inside(at("echo x", 0), 5, 1))},
						Redirects: []model.Redirect{
							{Op: ">", Target: ptr(w("out.txt", false, unq, at("out.txt", 0))), Pos: at("> out.txt", 0)},
							{Op: "2>&", Target: ptr(w("1", false, unq, at("1", 0))), Pos: at("2>&1", 0)},
						},
					},
					{Argv: []model.Word{w("echo", false, unq, at("echo", 1)), w("y", false, unq, inside(at("echo y", 0), 5, 1))}, Redirects: []model.Redirect{{Op: "*>>", Target: ptr(w("log", false, unq, at("log", 0))), Pos: at("*>> log", 0)}}},
					{
						Argv:      []model.Word{w("a=b", false, dbl, at(`"a=b"`, 0))},
						Redirects: []model.Redirect{{Op: ">>", Target: &ghOutput, Pos: joinPos(at("Out-File", 0), at("$env:GITHUB_OUTPUT", 0))}},
						Pipe:      &model.Pipe{ID: 1, Index: 0, Len: 2},
					},
					{
						Argv: []model.Word{
							w("Out-File", false, unq, at("Out-File", 0)), w("-FilePath", false, unq, at("-FilePath", 0)), ghOutput,
							w("-Append", false, unq, at("-Append", 0)),
						},
						Pipe:  &model.Pipe{ID: 1, Index: 1, Len: 2},
						Piped: true,
					},
					{
						Argv:      []model.Word{w("echo", false, unq, at("echo", 2)), w("z", false, unq, at("z", 0))},
						Redirects: []model.Redirect{{Op: "tee", Target: &teeFile, Pos: at("Tee-Object t.txt", 0)}},
						Pipe:      &model.Pipe{ID: 2, Index: 0, Len: 3},
					},
					{Argv: []model.Word{w("Tee-Object", false, unq, at("Tee-Object", 0)), teeFile}, Pipe: &model.Pipe{ID: 2, Index: 1, Len: 3}, Piped: true},
					{Argv: []model.Word{w("Out-Null", false, unq, at("Out-Null", 0))}, Pipe: &model.Pipe{ID: 2, Index: 2, Len: 3}, Piped: true},
					{Argv: []model.Word{w("msbuild", false, unq, at("msbuild", 0))}},
				}
			},
		},
		{
			name:   "PowerShell pipeline going on after a line ending in |",
			shell:  "pwsh",
			script: "Get-ChildItem |\n  Where-Object Name\nnext",
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{Argv: []model.Word{w("Get-ChildItem", false, unq, at("Get-ChildItem", 0))}, Pipe: &model.Pipe{ID: 1, Index: 0, Len: 2}},
					{
						Argv:  []model.Word{w("Where-Object", false, unq, at("Where-Object", 0)), w("Name", false, unq, at("Name", 0))},
						Pipe:  &model.Pipe{ID: 1, Index: 1, Len: 2},
						Piped: true,
					},
					{Argv: []model.Word{w("next", false, unq, at("next", 0))}},
				}
			},
		},
		{
			name:   "cmd references, redirections and cmd /c",
			shell:  "cmd",
			script: "echo %TOKEN% > out.txt\r\nset X=!A! & echo \"%B:~0,3%\" %1 %~dp0 2>nul\r\ncmd /c echo %C%",
			want: func(at func(string, int) model.Pos) []facts {
				return []facts{
					{
						Argv:      []model.Word{w("echo", false, unq, at("echo", 0)), w("%TOKEN%", true, unq, at("%TOKEN%", 0), shellRef("TOKEN", unq, at("%TOKEN%", 0)))},
						Redirects: []model.Redirect{{Op: ">", Target: ptr(w("out.txt", false, unq, at("out.txt", 0))), Pos: at("> out.txt", 0)}},
					},
					{Argv: []model.Word{w("set", false, unq, at("set", 0)), w("X=!A!", true, unq, at("X=!A!", 0), shellRef("A", unq, at("!A!", 0)))}},
					{
						Argv: []model.Word{
							w("echo", false, unq, at("echo", 1)),
							w("%B:~0,3%", true, dbl, at(`"%B:~0,3%"`, 0), expanding(shellRef("B", dbl, at("%B:~0,3%", 0)), model.ExpansionPart)),
							w("%1", true, unq, at("%1", 0)), w("%~dp0", true, unq, at("%~dp0", 0)),
						},
						Redirects: []model.Redirect{{Op: "2>", Target: ptr(w("nul", false, unq, at("nul", 0))), Pos: at("2>nul", 0)}},
					},
					{Argv: []model.Word{
						w("cmd", false, unq, at("cmd", 0)), w("/c", false, unq, at("/c", 0)),
						code(w("echo", false, unq, at("echo", 2))), code(w("%C%", true, unq, at("%C%", 0), shellRef("C", unq, at("%C%", 0)))),
					}},
				}
			},
		},
	})
}

func TestPipedOutput(t *testing.T) {
	tests := []struct {
		shell, writer string
		// want lists Op and target value of each redirection.
		want [][2]string
	}{
		{"bash", "tee a b", [][2]string{{"tee", "a"}, {"tee", "b"}}},
		{"bash", "tee -ai --output-error=warn a", [][2]string{{"tee -a", "a"}}},
		{"bash", "tee --append -- -a", [][2]string{{"tee -a", "-a"}}},
		{"bash", "/usr/bin/tee -p", nil},
		{"bash", "Out-File a", nil},
		{"pwsh", "Tee-Object -FilePath a -Append", [][2]string{{"tee -a", "a"}}},
		{"pwsh", "tee -Variable v", nil},
		{"pwsh", "Out-File -Encoding utf8 a", [][2]string{{">", "a"}}},
		{"pwsh", "out-file -Enc utf8 -LiteralPath b -a", [][2]string{{">>", "b"}}},
		{"pwsh", "Out-File -FilePath:c", nil},
		{"cmd", "tee a", nil},
	}
	for _, tt := range tests {
		t.Run(tt.shell+" "+tt.writer, func(t *testing.T) {
			script := "x | " + tt.writer
			res := Analyze(Source{Text: script, Map: textpos.Verbatim(script, 1, 1), Shell: tt.shell})
			if len(res.Commands) != 2 {
				t.Fatalf("got %d commands, want 2", len(res.Commands))
			}
			var got [][2]string
			for _, r := range res.Commands[0].Redirects {
				got = append(got, [2]string{r.Op, r.Target.Value})
				if want := joinPos(res.Commands[1].Argv[0].Pos, r.Target.Pos); r.Pos != want {
					t.Errorf("redirect %s %s at %v, want %v", r.Op, r.Target.Value, r.Pos, want)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAnalyzeWrapperPackages(t *testing.T) {
	tests := []struct {
		script string
		want   func(at func(string, int) model.Pos) []model.Word
	}{
		{`npx -y -p @openai/codex@1.2.3 codex exec`, func(at func(string, int) model.Pos) []model.Word {
			return []model.Word{w("@openai/codex@1.2.3", false, unq, at("@openai/codex@1.2.3", 0))}
		}},
		{`npx --package=@openai/codex codex`, func(at func(string, int) model.Pos) []model.Word {
			return []model.Word{w("@openai/codex", false, unq, at("@openai/codex", 0))}
		}},
		{`npx --package="@openai/codex@$V" -p x codex`, func(at func(string, int) model.Pos) []model.Word {
			return []model.Word{
				w("@openai/codex@$V", true, mix, at(`"@openai/codex@$V"`, 0), shellRef("V", dbl, at("$V", 0))),
				w("x", false, unq, inside(at("-p x", 0), 3, 1)),
			}
		}},
		{`sudo pnpm dlx --package @anthropic-ai/claude-code claude -p hi`, func(at func(string, int) model.Pos) []model.Word {
			return []model.Word{w("@anthropic-ai/claude-code", false, unq, at("@anthropic-ai/claude-code", 0))}
		}},
		{`bunx -p@google/gemini-cli gemini`, func(at func(string, int) model.Pos) []model.Word {
			return []model.Word{w("@google/gemini-cli", false, unq, at("@google/gemini-cli", 0))}
		}},
		{`npx @openai/codex exec`, func(func(string, int) model.Pos) []model.Word { return nil }},
		{`pnpm exec -p x codex`, func(func(string, int) model.Pos) []model.Word { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			res := Analyze(Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1)})
			if len(res.Commands) != 1 {
				t.Fatalf("got %d commands, want 1", len(res.Commands))
			}
			want := tt.want(func(needle string, n int) model.Pos { return loc(t, tt.script, needle, n) })
			if got := res.Commands[0].WrapperPackages; !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				e, _ := json.Marshal(want)
				t.Errorf("wrapper packages:\n got %s\nwant %s", g, e)
			}
		})
	}
}

func TestAnalyzeOutputRun(t *testing.T) {
	// outputs maps each command, by its argv[0], to the OutputRun it must have; commands
	// not listed must have none.
	type outputs map[string]*model.ScriptRun
	tests := []struct {
		name   string
		script string
		shell  string
		want   func(at func(string, int) model.Pos) outputs
	}{
		{
			name:   "piped into bash -s with a version",
			script: `curl -fsSL https://claude.ai/install.sh | bash -s 1.0.58`,
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{"curl": {Through: model.ThroughPipe, Runner: "bash", Args: []model.Word{w("1.0.58", false, unq, at("1.0.58", 0))}, Pos: at("bash -s 1.0.58", 0)}}
			},
		},
		{
			name:   "piped into sudo with an environment and options after --",
			script: `curl -fsSL https://opencode.ai/install | sudo VERSION=1.2 /bin/bash -s -- --version 1.2`,
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{"curl": {
					Through: model.ThroughPipe, Runner: "bash",
					Args:      []model.Word{w("--version", false, unq, at("--version", 0)), w("1.2", false, unq, at("1.2", 1))},
					EnvPrefix: []model.Var{{Name: "VERSION", Pos: at("VERSION", 0), Value: model.Text{Value: "1.2", Pos: at("1.2", 0), Literal: true}}},
					Pos:       at("sudo VERSION=1.2 /bin/bash -s -- --version 1.2", 0),
				}}
			},
		},
		{
			name:   "only the last stage feeds the shell",
			script: `curl -fsSL https://x.example/i.sh | tr -d '\r' | sh`,
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{"tr": {Through: model.ThroughPipe, Runner: "sh", Pos: at("sh", 1)}}
			},
		},
		{
			name:   "a block stage, one command redirected",
			script: `{ curl a; curl b > f; wget -O- c >&2; } | bash`,
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{"curl a": {Through: model.ThroughPipe, Runner: "bash", Pos: at("bash", 0)}}
			},
		},
		{
			name:   "process substitution read as the script file",
			script: `bash <(curl -fsSL https://x.example/i.sh) stable; source <(kubectl completion bash) a`,
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{
					"curl":    {Through: model.ThroughProcessSubstitution, Runner: "bash", Args: []model.Word{w("stable", false, unq, at("stable", 0))}, Pos: at("bash <(curl -fsSL https://x.example/i.sh) stable", 0)},
					"kubectl": {Through: model.ThroughProcessSubstitution, Runner: "source", Args: []model.Word{w("a", false, unq, inside(at("bash) a", 0), 6, 1))}, Pos: at("source <(kubectl completion bash) a", 0)},
				}
			},
		},
		{
			name:   "command substitution in code words",
			script: `sh -c "$(curl -fsSL https://x.example/i.sh)" sh 1.2` + "\n" + `eval "$(ssh-agent -s)"` + "\n" + `bash <<< "$(wget -qO- https://y.example)"`,
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{
					"curl":      {Through: model.ThroughCommandSubstitution, Runner: "sh", Args: []model.Word{w("1.2", false, unq, at("1.2", 0))}, Pos: at(`sh -c "$(curl -fsSL https://x.example/i.sh)" sh 1.2`, 0)},
					"ssh-agent": {Through: model.ThroughCommandSubstitution, Runner: "eval", Pos: at(`eval "$(ssh-agent -s)"`, 0)},
					"wget":      {Through: model.ThroughCommandSubstitution, Runner: "bash", Pos: at(`bash <<< "$(wget -qO- https://y.example)"`, 0)},
				}
			},
		},
		{
			name:   "an outer shell expands a substitution into an analysed bash -c script",
			script: `bash -c "set -e; $(curl -fsSL https://x.example/i.sh)"`,
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{"curl": {Through: model.ThroughCommandSubstitution, Runner: "bash", Pos: at(`bash -c "set -e; $(curl -fsSL https://x.example/i.sh)"`, 0)}}
			},
		},
		{
			name:   "nested substitutions feed the outer one only",
			script: `eval "$(echo "$(curl -fsSL https://x.example)")"`,
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{"echo": {Through: model.ThroughCommandSubstitution, Runner: "eval", Pos: at(`eval "$(echo "$(curl -fsSL https://x.example)")"`, 0)}}
			},
		},
		{
			name: "output that is not run as a script",
			script: "curl https://x | tee f\ncurl https://x | bash script.sh\necho \"$(curl https://x)\"\nbash $(curl https://x)\n" +
				"cat <(curl https://x)\ncurl https://x | bash -c 'cat'\ncurl https://x | bash <<'EOF'\necho\nEOF\nbash >(curl https://x)",
			want: func(func(string, int) model.Pos) outputs { return outputs{} },
		},
		{
			name:   "PowerShell pipe into iex",
			shell:  "pwsh",
			script: "irm https://claude.ai/install.ps1 | iex\niwr https://x | iex $y",
			want: func(at func(string, int) model.Pos) outputs {
				return outputs{"irm": {Through: model.ThroughPipe, Runner: "iex", Pos: at("iex", 0)}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Analyze(Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1), Shell: tt.shell})
			if len(res.Errors) > 0 {
				t.Fatalf("unexpected errors: %+v", res.Errors)
			}
			want := tt.want(func(needle string, n int) model.Pos { return loc(t, tt.script, needle, n) })
			seen := map[string]bool{}
			for _, cmd := range res.Commands {
				name := cmd.Argv[0].Value
				if _, ok := want[name]; !ok && len(cmd.Argv) > 1 {
					name += " " + cmd.Argv[1].Value // tell `curl a` from `curl b`
				}
				seen[name] = true
				if got, exp := cmd.OutputRun, want[name]; !reflect.DeepEqual(got, exp) {
					g, _ := json.Marshal(got)
					e, _ := json.Marshal(exp)
					t.Errorf("%s: output run\n got %s\nwant %s", name, g, e)
				}
			}
			for name := range want {
				if !seen[name] {
					t.Errorf("no command %q", name)
				}
			}
		})
	}
}

func TestStdinRefs(t *testing.T) {
	ghRef := func(expr, quoting string, untrusted bool, pos model.Pos) model.Ref {
		return model.Ref{Kind: model.InterpGitHub, Name: expr, Quoting: quoting, Untrusted: untrusted, Pos: pos}
	}
	tests := []struct {
		name   string
		script string
		subs   []Substitution
		want   func(at func(string, int) model.Pos) [][]model.Ref // per command
	}{
		{
			name:   "an unquoted heredoc expands its variables; quotes in it are text",
			script: "claude -p <<EOF\nFix $TITLE ${{ github.event.issue.body }} '$Q' ${R:-x}\nEOF\n",
			want: func(at func(string, int) model.Pos) [][]model.Ref {
				return [][]model.Ref{{
					shellRef("TITLE", dbl, at("$TITLE", 0)),
					ghRef("github.event.issue.body", dbl, true, at("${{ github.event.issue.body }}", 0)),
					shellRef("Q", dbl, at("$Q", 0)),
					shellRef("R", dbl, at("${R:-x}", 0)),
				}}
			},
		},
		{
			name:   "a quoted heredoc expands only CI interpolations",
			script: "cat <<'EOF' | codex exec -\n$X ${{ github.head_ref }}\nEOF\n",
			want: func(at func(string, int) model.Pos) [][]model.Ref {
				return [][]model.Ref{{ghRef("github.head_ref", sgl, true, at("${{ github.head_ref }}", 0))}, nil}
			},
		},
		{
			name:   "a heredoc read by a shell is a script, here-strings are redirections",
			script: "bash <<EOF\necho $X\nEOF\ngemini -p <<< \"$T\"\n",
			want: func(at func(string, int) model.Pos) [][]model.Ref {
				return [][]model.Ref{nil, nil}
			},
		},
		{
			name:   "a dash heredoc and a CircleCI substitution",
			script: "codex exec - <<-EOF\n\tbranch main\n\t$A\n\tEOF\n",
			subs:   []Substitution{{Start: 28, End: 32, Expr: "parameters.b", Kind: model.InterpCircleCI, Untrusted: true, From: "pipeline.git.branch"}},
			want: func(at func(string, int) model.Pos) [][]model.Ref {
				return [][]model.Ref{{
					{Kind: model.InterpCircleCI, Name: "parameters.b", Quoting: dbl, Untrusted: true, From: "pipeline.git.branch", Pos: at("main", 0)},
					shellRef("A", dbl, at("$A", 0)),
				}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Analyze(Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1), Dialect: DialectGitHub, Substitutions: tt.subs})
			want := tt.want(func(needle string, n int) model.Pos { return loc(t, tt.script, needle, n) })
			var got [][]model.Ref
			for _, c := range res.Commands {
				if c.WrappedBy == nil || c.WrappedBy[0] != "heredoc" {
					got = append(got, c.StdinRefs)
				}
			}
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				e, _ := json.Marshal(want)
				t.Errorf("stdin refs:\n got %s\nwant %s", g, e)
			}
		})
	}
}

func TestCommandProgram(t *testing.T) {
	tests := []struct{ word, want string }{
		{"codex", "codex"},
		{"/usr/local/bin/codex", "codex"},
		{"./node_modules/.bin/claude", "claude"},
		{"codex@latest", "codex"},
		{"@openai/codex", "@openai/codex"},
		{"@openai/codex@1.2.3", "@openai/codex"},
		{"@", "@"},
		{"dir/", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := commandProgram(tt.word); got != tt.want {
			t.Errorf("commandProgram(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
