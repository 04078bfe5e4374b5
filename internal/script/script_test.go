package script

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

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

func summarize(cmds []model.Command) []commandSummary {
	var out []commandSummary
	for _, c := range cmds {
		s := commandSummary{Pos: c.Pos, Argv: c.Argv, WrappedBy: c.WrappedBy, Piped: c.Piped}
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
	wantInterp := []model.Interpolation{{Expr: "inputs.args", Kind: model.InterpGitHub, Pos: span(1, 16, 34),
		Contexts: []model.ContextRef{{Path: "inputs.args", Pos: span(1, 20, 31)}}}}
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
			want: []model.Interpolation{{Expr: "inputs.name", Kind: model.InterpGitLab, Pos: span(1, 6, 24),
				Contexts: []model.ContextRef{{Path: "inputs.name", Pos: span(1, 6, 24)}}}},
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
			if got := res.Commands[0].Argv; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("argv:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
