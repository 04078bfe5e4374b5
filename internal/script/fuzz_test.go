package script

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// fuzzShells are the interpreters FuzzAnalyze picks from.
var fuzzShells = []string{"bash", "sh", "pwsh", "cmd", "python", ""}

func FuzzAnalyze(f *testing.F) {
	seeds := []string{
		`codex exec --sandbox danger-full-access "fix"`,
		`FOO=1 BAR=$X claude -p "x" --dangerously-skip-permissions`,
		`sudo -E env A=1 timeout 5m npx -y @openai/codex exec --yolo`,
		`bash -c 'codex exec -s danger-full-access' && sh -c "a \"b\" $(c)"`,
		"codex exec \\\n  --yolo\r\n",
		"cat <<'EOF'\ncodex --yolo\nEOF\nbash <<-EOF\n\tcodex\n\tEOF\nbash <<< 'x'",
		"# comment\necho \"codex exec --yolo\" # tail",
		`codex --token=${{ secrets.X }}x $[[ inputs.y ]] << parameters.z >> ${env.W} $v.w`,
		`codex -c sandbox_mode="danger-full-access" -c 'sandbox_mode="danger-full-access"' $'a\n'`,
		"if then fi (((\necho b\n'unterminated",
		"for i in $(ls); do f() { x | y; }; done; case $a in b) c;; esac; [[ -n $(d) ]]; (( e ))",
		"export A=1 B=(x y) C; declare -x D; local E=$(f)",
		"& codex `\n --yolo; set X=%T% && y ^\r\n z | w",
		"${{ format('{0}', x) }} ${{ unterminated",
	}
	for i, s := range seeds {
		f.Add(s, uint8(i), uint8(i))
	}
	f.Fuzz(func(t *testing.T, text string, shell, dialect uint8) {
		m := textpos.Verbatim(text, 3, 5)
		res := Analyze(Source{
			Text:    text,
			Map:     m,
			Shell:   fuzzShells[int(shell)%len(fuzzShells)],
			Dialect: Dialect(int(dialect) % 5),
		})
		unmapped := Analyze(Source{Text: text, Shell: fuzzShells[int(shell)%len(fuzzShells)], Dialect: Dialect(int(dialect) % 5)})
		if len(unmapped.Commands) != len(res.Commands) {
			t.Errorf("without a map: %d commands, with one: %d", len(unmapped.Commands), len(res.Commands))
		}
		limits := positionLimits{first: m.Pos(0, len(text)), last: m.Pos(len(text), len(text))}
		for _, c := range res.Commands {
			limits.check(t, "command", c.Pos)
			for _, w := range c.Argv {
				limits.check(t, "word "+w.Value, w.Pos)
			}
			for _, v := range c.EnvPrefix {
				limits.check(t, "env name "+v.Name, v.Pos)
				limits.check(t, "env value "+v.Name, v.Value.Pos)
			}
			if c.Stdin != nil {
				limits.check(t, "stdin", c.Stdin.Pos)
			}
		}
		for _, in := range res.Interpolations {
			limits.check(t, "interpolation", in.Pos)
		}
		for _, e := range res.Errors {
			limits.check(t, "error", e.Pos)
		}
	})
}

// positionLimits are the first and last positions a text's map can give.
type positionLimits struct {
	first, last model.Pos
}

// check fails the test unless p is the zero Pos or an ordered span within the limits.
func (l positionLimits) check(t *testing.T, what string, p model.Pos) {
	t.Helper()
	if p.IsZero() {
		return
	}
	start := [2]int{p.Line, p.Col}
	end := [2]int{p.EndLine, p.EndCol}
	low := [2]int{l.first.Line, l.first.Col}
	high := maxPoint([2]int{l.first.EndLine, l.first.EndCol}, [2]int{l.last.Line, l.last.Col})
	if before(start, low) || before(high, end) || before(end, start) {
		t.Errorf("%s: position %d:%d-%d:%d outside %d:%d-%d:%d", what, p.Line, p.Col, p.EndLine, p.EndCol, low[0], low[1], high[0], high[1])
	}
}

func before(a, b [2]int) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

func maxPoint(a, b [2]int) [2]int {
	if before(a, b) {
		return b
	}
	return a
}
