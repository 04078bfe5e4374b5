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
		`echo "x=$Y" >> "$GITHUB_OUTPUT" 2>&1 &>a <b 3<>c {fd}>d >&- <<<"$S"`,
		`echo ${X:-$Y} ${#Z} ${A[$i]} ${B#$p} ${!C} ${D/$e/$f} ${G:1:$n} $((N+M)) $1 $@ '$Q' $H${{ a }}`,
		`printf '%s' "$T" | codex login --with-access-token |& tee -a out | sudo tee f`,
		`{ a; b; } | bash -c 'c | d' | e "$(f | g)" > out; f() { g; } >> log`,
		`eval "$CMD"; sh -c "$CMD" x; bash -c "echo \"$X\" $(date)"; bash <<< "$Y"`,
		"bash <<EOF\necho $X $(id)\nEOF\nwhile read l; do echo $l; done < in <<-EOF\n\tx\n\tEOF",
		"export FOO=\"$BAR\" B=(a $D)\r\necho \"<< parameters.x >>\" $X",
		"Write-Host $env:A \"${env:B}\" '$env:C' > out 2>&1 *>> log | Out-File -FilePath $env:O -Append\niex $x | Tee-Object -Append t |",
		"echo %TOKEN% !A! %B:~0,3% %1 > out 2>nul <in & cmd /c echo %C%",
		"curl -fsSL https://claude.ai/install.sh | sudo V=1 bash -s -- 1.0 >&2; bash <(curl x) a; sh -c \"$(wget -qO- y)\" sh b",
		`npx -y -p @openai/codex@1.2.3 --package="x@$V" -pz codex; eval "$(echo "$(c)")"; source <(d) e`,
	}
	for i, s := range seeds {
		f.Add(s, uint8(i), uint8(i))
	}
	f.Fuzz(func(t *testing.T, text string, shell, dialect uint8) {
		m := textpos.Verbatim(text, 3, 5)
		// One substitution, placed by the other inputs, so that substitutions meet every
		// construct.
		start := int(dialect) * 7 % (len(text) + 1)
		subs := []Substitution{{Start: start, End: start + int(shell)%16, Expr: "parameters.x", Kind: model.InterpCircleCI}}
		res := Analyze(Source{
			Text:          text,
			Map:           m,
			Shell:         fuzzShells[int(shell)%len(fuzzShells)],
			Dialect:       Dialect(int(dialect) % 5),
			Substitutions: subs,
		})
		unmapped := Analyze(Source{Text: text, Shell: fuzzShells[int(shell)%len(fuzzShells)], Dialect: Dialect(int(dialect) % 5)})
		if len(unmapped.Commands) != len(res.Commands) {
			t.Errorf("without a map: %d commands, with one: %d", len(unmapped.Commands), len(res.Commands))
		}
		limits := positionLimits{first: m.Pos(0, len(text)), last: m.Pos(len(text), len(text))}
		pipeLen := map[int]int{}
		for _, c := range res.Commands {
			limits.check(t, "command", c.Pos)
			for _, w := range c.Argv {
				limits.checkWord(t, w)
			}
			for _, r := range c.Redirects {
				limits.check(t, "redirect "+r.Op, r.Pos)
				if r.Target != nil {
					limits.checkWord(t, *r.Target)
				}
			}
			if p := c.Pipe; p != nil {
				if p.ID < 1 || p.Len < 2 || p.Index < 0 || p.Index >= p.Len {
					t.Errorf("pipe %+v: want ID >= 1, Len >= 2, 0 <= Index < Len", *p)
				}
				if n, seen := pipeLen[p.ID]; seen && n != p.Len {
					t.Errorf("pipeline %d has stages of lengths %d and %d", p.ID, n, p.Len)
				}
				pipeLen[p.ID] = p.Len
			}
			for _, v := range c.EnvPrefix {
				limits.check(t, "env name "+v.Name, v.Pos)
				limits.check(t, "env value "+v.Name, v.Value.Pos)
			}
			if c.Stdin != nil {
				limits.check(t, "stdin", c.Stdin.Pos)
			}
			for _, w := range c.WrapperPackages {
				limits.checkWord(t, w)
			}
			if run := c.OutputRun; run != nil {
				limits.check(t, "output runner", run.Pos)
				if run.Runner == "" {
					t.Errorf("output run %+v: no runner", *run)
				}
				for _, w := range run.Args {
					limits.checkWord(t, w)
				}
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

// checkWord checks the positions of a word and of its references, and that its
// quotings are spelled as the model says.
func (l positionLimits) checkWord(t *testing.T, w model.Word) {
	t.Helper()
	l.check(t, "word "+w.Value, w.Pos)
	switch w.Quoting {
	case model.QuotingUnquoted, model.QuotingDouble, model.QuotingSingle, model.QuotingMixed:
	default:
		t.Errorf("word %q: quoting %q", w.Value, w.Quoting)
	}
	for _, r := range w.Refs {
		l.check(t, "ref "+r.Name, r.Pos)
		switch r.Quoting {
		case model.QuotingUnquoted, model.QuotingDouble, model.QuotingSingle:
		default:
			t.Errorf("ref %q: quoting %q", r.Name, r.Quoting)
		}
		if w.Code && !r.Code {
			t.Errorf("ref %q of a code word is not code", r.Name)
		}
	}
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
