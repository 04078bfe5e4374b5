// Package script turns CI shell scripts into commands with file positions.
//
// A parser hands over a Source: the script text as the platform delivers it (YAML or
// Groovy decoding already done) and a textpos.Map back to the file. Analyze masks CI
// template interpolations with same-length placeholders, parses the result as shell, and
// returns the simple commands with argv words, env prefixes and positions, after
// unwrapping wrappers such as sudo, env, npx, timeout, nohup and `bash -c`.
//
// How scripts become commands:
//
//   - Every simple command becomes one model.Command, wherever it stands: in pipelines,
//     `&&`/`||` lists, if/for/while/case bodies, functions, subshells, blocks and command
//     or process substitutions. A command is listed before the commands of the
//     substitutions inside its words.
//   - Word.Value is the value the shell passes to the program: quotes removed, escapes
//     decoded. Parameter expansions, command substitutions, arithmetic and masked CI
//     interpolations are kept as written and make the word Dynamic. Word.Pos is the span
//     of the word as written in the file.
//   - Assignments: `FOO=1 cmd` gives EnvPrefix; a bare `FOO=1` (no command) is a Command
//     with only EnvPrefix and no Argv; `export`/`declare`/`local`/`readonly`/`typeset`
//     are Commands whose Argv is the keyword followed by one word per argument as written
//     (`export FOO=bar` gives ["export", "FOO=bar"], each word with its own position).
//   - Wrappers are removed from the front of Argv and recorded in WrappedBy, outermost
//     first: sudo, env (its NAME=value arguments join EnvPrefix), npx, bunx, pnpx,
//     "npm exec", "pnpm dlx", "pnpm exec", "yarn dlx", "yarn exec", "bun x" (the package
//     name stays as Argv[0]; the values of their `-p`/`--package` options are
//     WrapperPackages), timeout, nohup, time, nice, xargs, stdbuf, exec, command.
//     Command.Pos stays the span of the whole command as written, wrappers included
//     (bash's `time` keyword excepted: the parser treats it as part of the syntax).
//   - `bash -c SCRIPT` (and sh, zsh, dash, ksh, ash, mksh; `npx -c` too) is replaced by the
//     commands of SCRIPT, with positions inside the quoted argument and a WrappedBy entry
//     such as "bash -c". Environment prefixes of the wrapper carry over to every inner
//     command. Nesting is followed to a depth of 5.
//   - A heredoc or here-string sets Stdin. When the command that reads it is a shell
//     reading its script from standard input (`bash`, `sh -s`, …), the body is analysed as
//     a script too and its commands carry WrappedBy "heredoc"; otherwise a heredoc's
//     references (the variables of an unquoted body, at double quoting, and the CI
//     interpolations of any body) are the command's StdinRefs.
//   - A command on the right of a pipe is Piped, and so are the commands of a block,
//     subshell or `bash -c` script that is itself piped into.
//   - Shell syntax errors become model.ParseErrors; parsing resumes on the line after the
//     start of the broken statement, so the commands of the other lines are still found.
//   - An empty or unknown Shell is parsed as bash, which accepts POSIX scripts too;
//     sh, dash and ash are parsed as POSIX shell, so bash-only syntax there is an error.
//   - PowerShell and cmd scripts are split into words line by line (quotes, `;`, `&&`,
//     `||`, `|`, redirections and line continuations understood, a line ending in `|`
//     going on with the next, nothing else). Other interpreters (python, node, …) give
//     interpolations only.
//
// What words, redirections and pipelines say:
//
//   - Word.Quoting is "unquoted", "double", "single" (`$'…'` too) or "mixed", from the
//     word's top-level parts as written. A declaration argument `FOO="$X"` is mixed: its
//     `FOO=` is unquoted text.
//   - Word.Refs lists, in the order written, every variable the word reads — `$X`, `${X}`,
//     `${X:-d}`, `${X#p}`, `${#X}`, `${!X}`, `${X[0]}` (Name "X"), the variables nested in
//     an expansion's words and indexes (`${X:-$Y}` gives X, then Y), the names an
//     arithmetic expansion reads (`$((N+1))`) — and every CI interpolation (masked span)
//     inside the word, with the interpolation's kind, expression and Untrusted. Special
//     and positional parameters are left out, and so is `$X` inside single quotes; a CI
//     interpolation inside single quotes is a Ref (the CI pastes it in first). A
//     reference's Quoting is the quoting at its own place, its Pos the span of `$X` /
//     `${X:-d}` / the interpolation as written. References inside command substitutions
//     belong to the words of the inner commands. Shell refs are never Untrusted here: the
//     parse pipeline decides that from the platform's table. A CI interpolation glued to
//     a short expansion (`$X${{ a }}`) ends the variable's name where it starts.
//   - Ref.Expansion says when a shell reference yields something other than the
//     variable's value: a part (`${X:0:4}`, `${X#p}`, `${X%p}`, cmd `%X:~0,4%`), a
//     rewritten value (`${X/a/b}`, `${X^^}`, `${X@U}`, cmd `%X:a=b%`) or other text
//     (`${#X}`, `${!X}`, `${X:+w}`).
//   - The env prefixes and bare assignments of a command (EnvPrefix) carry Refs too, read
//     as for a word: `T="Bearer $A"` reads A.
//   - Command.Capture is set on the commands of a command substitution (`$(…)`,
//     backquotes) or an input process substitution (`<(…)`), whose output becomes text
//     of the script: the index of the command holding the substitution, and the variable
//     when it is an assignment's value (`X=$(…)`, `export X=$(…)`); -1 when no listed
//     command holds it (a `for` list, a `case` word, a test).
//   - Source.Substitutions (CircleCI parameters filled in by the template) are parsed as
//     shell text; every word overlapping one gets a Ref of the substitution's kind, its
//     Expr as Name and its Untrusted, at the quoting of its first byte in the word,
//     spanning the substituted bytes inside the word. They follow the text into `bash -c`
//     scripts and heredoc bodies.
//   - PowerShell words give Refs for `$env:X` and `${env:X}` (other PowerShell variables
//     are not the environment), cmd words for `%X%`, `%X:~0,4%` and `!X!`; `"…"` is double
//     quoting in both, `'…'` single quoting in PowerShell.
//   - Word.Code marks words that the receiving command runs as code, and every Ref in
//     them: the arguments of `eval`; the script of `bash -c` (and `npx -c`) when it is
//     only known at run time — made of expansions and interpolations only, `sh -c
//     "$CMD"`, `bash -c "$(curl …)"` — in which case it is not analysed as a script and
//     the shell stays the command, with its WrappedBy entry dropped; a here-string that a
//     shell reads as its script (a run-time-only one is not analysed either); PowerShell
//     `Invoke-Expression`/`iex` arguments other than parameter names; the command line
//     after `cmd /c` or `/k` in PowerShell and cmd.
//   - Ref.Code is also set inside a script that is analysed as nested (`bash -c`, a
//     here-string or an unquoted heredoc read by a shell) for references lying in text the
//     outer shell expanded first: `sh -c "echo \"$X\""` gives an inner Ref X with Quoting
//     double and Code true, `sh -c 'echo "$X"'` one with Code false. Command
//     substitutions the outer shell expanded are the outer script's commands (they are
//     listed once, with the outer context), not the inner script's.
//   - Command.Redirects lists the redirections in model form: Op as written with its fd
//     (">", "2>>", "2>&", "&>", "<<<", "{fd}>"), Target the word after it (`2>&1` is Op
//     "2>&", Target "1"; nil for heredocs), Pos the span of fd, operator and target. The
//     redirections of enclosing compound commands (blocks, subshells, loops, if, case,
//     function bodies) and of a `bash -c` or heredoc-fed shell come first, heredocs and
//     here-strings excepted, at most 16 of them (the innermost). When a stage of a
//     pipeline is piped into `tee [-a] FILE…` (after unwrapping: `| sudo tee -a f`), every
//     command of that stage gets one Op "tee" / "tee -a" redirection per file, spanning
//     `tee` to the file word; PowerShell `| Tee-Object [-Append] FILE` likewise, and `|
//     Out-File [-Append] FILE` gives Op ">" / ">>", since that is what PowerShell's `>`
//     does. tee itself stays a command. PowerShell and cmd redirections (`>`, `>>`, `2>`,
//     `2>&1`, `*>`, cmd's `<`) are taken out of the argv.
//   - Command.Pipe: every pipeline of two or more stages (`|`, `|&`) gets an ID, unique
//     within one Analyze result and counted from 1 in the order pipelines are met; each
//     command of a stage gets Pipe{ID, Index, Len}, including the commands of a block,
//     subshell, `bash -c` script or heredoc-fed shell that forms the stage. A pipeline
//     nested in a stage gives its commands its own Pipe (and no tee redirections of the
//     outer one); commands of command substitutions have no Pipe.
//   - Command.OutputRun names the command that runs a command's output as a script: the
//     first command of the next stage when it is a shell reading its script from standard
//     input (`| bash`, `| sudo sh -s -- 1.2`; not `| bash file.sh`, nor a shell with a
//     heredoc of its own) or PowerShell `| iex`; the shell or `source` whose script file
//     operand is exactly `<(…)`; the command whose code word (a `bash -c` script, an
//     `eval` argument, a here-string read by a shell) holds the `$(…)`. Only the
//     outermost substitutions of such a word and only the last stage of a pipeline inside
//     them feed it; a command whose standard output is redirected (`> f`, `>&2`) feeds
//     nothing. For a shell, `--` or `-` ends its options: a word after them is its script
//     file unless `-s` was given.
package script

import (
	"path"
	"slices"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// Dialect is the CI template syntax that may appear inside a script.
type Dialect int

// Dialects, one per platform.
const (
	DialectNone     Dialect = iota
	DialectGitHub           // ${{ expr }}
	DialectGitLab           // $[[ inputs.x ]]
	DialectCircleCI         // << parameters.x >>
	DialectGroovy           // ${expr} and $name in a Groovy GString
)

// Source is a script as a parser found it.
type Source struct {
	// Text is the script as the platform hands it to the shell, before CI interpolation.
	Text string
	// Map gives the file position of every byte of Text.
	Map *textpos.Map
	// Shell is the interpreter: bash, sh, pwsh, powershell, cmd, python, …; empty means
	// the platform default (a POSIX shell).
	Shell   string
	Dialect Dialect
	// Substitutions are spans of Text that a CI template filled in before the shell sees
	// the script (a CircleCI parameter whose value is known), not overlapping each other.
	// They are parsed as shell text like the rest, and every word that holds one gets a
	// model.Ref of the substitution's kind.
	Substitutions []Substitution
}

// Substitution is a span [Start, End) of a Source's Text that a CI template filled in,
// from the expression Expr of interpolation kind Kind (model.InterpCircleCI, …).
// Untrusted, AuthorControlled and From say what the filled-in value holds, as for
// model.Interpolation and model.ContextRef.
type Substitution struct {
	Start, End                  int
	Expr, Kind                  string
	Untrusted, AuthorControlled bool
	From                        string
}

// Result is what analysis recovers from a script.
type Result struct {
	Commands       []model.Command
	Interpolations []model.Interpolation
	// Errors are shell syntax problems; the commands before and after them are still
	// returned as far as they could be recovered.
	Errors []model.ParseError
}

// interpreter is how a script's language is analysed.
type interpreter int

const (
	interpNone       interpreter = iota // not a shell: interpolations only
	interpBash                          // bash and unknown shells
	interpPOSIX                         // sh, dash, ash
	interpPowerShell                    // pwsh, powershell: word splitting only
	interpCmd                           // cmd: word splitting only
)

// Analyze parses src and returns its commands and interpolations. It never panics.
func Analyze(src Source) Result {
	interp := interpreterOf(src.Shell)
	if interp == interpNone {
		return Result{Interpolations: Interpolations(src.Text, src.Map, src.Dialect)}
	}
	text, m := normalizeNewlines(src.Text, src.Map)
	var res Result
	a := newAnalyzer(text, m, src.Dialect, &session{res: &res}, 0)
	a.subs = substitutionsIn(src.Text, src.Substitutions)
	res.Interpolations = a.interpolations(0, len(text))
	a.run(interp, context{})
	return res
}

// substitutionsIn returns the substitutions of subs that lie within text, in order of
// their start and without overlaps (of two overlapping ones the first is kept), at their
// offsets once normalizeNewlines has turned CRLF into LF.
func substitutionsIn(text string, subs []Substitution) []Substitution {
	var valid []Substitution
	for _, s := range subs {
		s.Start, s.End = max(s.Start, 0), min(s.End, len(text))
		if s.Start < s.End {
			valid = append(valid, s)
		}
	}
	if len(valid) == 0 {
		return nil
	}
	slices.SortStableFunc(valid, func(a, b Substitution) int { return a.Start - b.Start })
	out := valid[:1]
	for _, s := range valid[1:] {
		if s.Start >= out[len(out)-1].End {
			out = append(out, s)
		}
	}
	if !strings.Contains(text, "\r\n") {
		return out
	}
	// Every CRLF before an offset shortens the text before it by one byte.
	removed := make([]int, 0, 16) // offsets of the CRs that normalizeNewlines drops
	for i := strings.Index(text, "\r\n"); i >= 0; {
		removed = append(removed, i)
		next := strings.Index(text[i+2:], "\r\n")
		if next < 0 {
			break
		}
		i += 2 + next
	}
	shift := func(off int) int { return off - sort.SearchInts(removed, off) }
	for i := range out {
		out[i].Start, out[i].End = shift(out[i].Start), shift(out[i].End)
	}
	return out
}

// interpreterOf classifies a Source.Shell value such as "bash", "bash -e {0}",
// "/bin/sh", "pwsh" or "python".
func interpreterOf(shell string) interpreter {
	fields := strings.Fields(shell)
	if len(fields) == 0 {
		return interpBash
	}
	name := programName(fields[0])
	switch name {
	case "sh", "dash", "ash", "posix":
		return interpPOSIX
	case "pwsh", "powershell":
		return interpPowerShell
	case "cmd":
		return interpCmd
	case "node", "ruby", "perl", "php", "rscript", "julia", "lua", "groovy", "deno", "java":
		return interpNone
	}
	if strings.HasPrefix(name, "python") {
		return interpNone
	}
	return interpBash
}

// Knows reports whether Analyze knows the language of shell: a POSIX-family shell,
// PowerShell, cmd, or an interpreter it reads for interpolations only (python, node, …).
// Analyze reads any other shell as bash; a caller that would rather not guess (a custom
// GitHub `shell: tcc -run {0}`) keeps such a script as text.
func Knows(shell string) bool {
	fields := strings.Fields(shell)
	if len(fields) == 0 {
		return true
	}
	if _, ok := shellLanguage(programName(fields[0])); ok {
		return true
	}
	return interpreterOf(shell) != interpBash
}

// shellLanguage returns the parser variant for a shell command name, and whether the
// name is a POSIX-family shell at all.
func shellLanguage(name string) (syntax.LangVariant, bool) {
	switch name {
	case "sh", "dash", "ash":
		return syntax.LangPOSIX, true
	case "bash", "zsh", "ksh", "mksh":
		return syntax.LangBash, true
	}
	return 0, false
}

// commandName returns the base name of a command word ("/usr/bin/sudo" → "sudo").
func commandName(word string) string {
	if !strings.Contains(word, "/") {
		return word
	}
	return path.Base(word)
}

// commandProgram is Command.Program of a command whose first word is word.
func commandProgram(word string) string {
	if scoped, ok := strings.CutPrefix(word, "@"); ok {
		name, _, _ := strings.Cut(scoped, "@")
		return "@" + name
	}
	if i := strings.LastIndexByte(word, '/'); i >= 0 {
		word = word[i+1:]
	}
	name, _, _ := strings.Cut(word, "@")
	return name
}

// normalizeNewlines turns CRLF line ends into LF, so the shell parser sees a plain script,
// and returns the new text with its map. Texts without CRLF come back unchanged.
func normalizeNewlines(text string, m *textpos.Map) (string, *textpos.Map) {
	if !strings.Contains(text, "\r\n") {
		return text, m
	}
	var out strings.Builder
	var b textpos.Builder
	out.Grow(len(text))
	start := 0
	for start < len(text) {
		k := strings.Index(text[start:], "\r\n")
		if k < 0 {
			out.WriteString(text[start:])
			b.Mapped(text[start:], m, start, len(text))
			break
		}
		crlf := start + k
		out.WriteString(text[start:crlf])
		b.Mapped(text[start:crlf], m, start, crlf)
		out.WriteByte('\n')
		b.Mapped("\n", m, crlf+1, crlf+2)
		start = crlf + 2
	}
	if m == nil {
		return out.String(), nil
	}
	return out.String(), b.Map()
}
