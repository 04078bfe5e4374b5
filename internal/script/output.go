package script

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
)

// This file decides which commands have their standard output run as a shell script
// (model.Command.OutputRun): through a pipe into a shell that reads its script from
// standard input, through a process substitution that a shell or `source` reads as its
// script file, or through a command substitution inside a word that a command runs as
// code.

// feed is a word of a command whose substitutions write the script the command runs.
type feed struct {
	word *syntax.Word
	// process is true for a script file operand, which a process substitution feeds
	// (`bash <(curl …)`); otherwise the command substitutions of the word feed it (a code
	// word: `sh -c "$(curl …)"`, `eval "$(curl …)"`, `bash <<< "$(curl …)"`).
	process bool
	run     *model.ScriptRun
}

// feedsByWord indexes feeds by their word; nil when there are none. A map, as `eval`
// with many arguments has a feed per argument.
func feedsByWord(feeds []feed) map[*syntax.Word]*feed {
	if len(feeds) == 0 {
		return nil
	}
	m := make(map[*syntax.Word]*feed, len(feeds))
	for i := range feeds {
		m[feeds[i].word] = &feeds[i]
	}
	return m
}

// into returns the context of the commands of a substitution of kind proc (a process
// substitution when true) inside a word that f feeds: their output is f's script when
// the kinds match.
func (f *feed) into(inner context, process bool) context {
	if f != nil && f.process == process {
		inner.output = f.run
	}
	return inner
}

// shellArgs is what the argv of a POSIX-family shell says about its script.
type shellArgs struct {
	interp interpreter
	// stdin is true when the shell reads its script from standard input (`bash`, `sh
	// -s`, `bash -s -- arg`).
	stdin bool
	// file is the index of the script file operand (`bash FILE`), -1 for none.
	file int
	// params is the index of the script's first positional parameter, len(argv) for none.
	params int
}

// shellArgsOf parses the argv of a shell run without `-c` (unwrap turns `bash -c` into the
// script's commands). ok is false for other commands and for `-c`.
func shellArgsOf(argv []model.Word) (shellArgs, bool) {
	if len(argv) == 0 || argv[0].Dynamic {
		return shellArgs{}, false
	}
	lang, ok := shellLanguage(commandName(argv[0].Value))
	if !ok {
		return shellArgs{}, false
	}
	sa := shellArgs{interp: interpBash, file: -1, params: len(argv)}
	if lang == syntax.LangPOSIX {
		sa.interp = interpPOSIX
	}
	readsStdin := false
	operand := func(i int) (shellArgs, bool) {
		switch {
		case i >= len(argv) || readsStdin:
			sa.stdin, sa.params = true, min(i, len(argv))
		default:
			sa.file, sa.params = i, i+1
		}
		return sa, true
	}
	for i := 1; i < len(argv); i++ {
		v := argv[i].Value
		switch {
		case v == "--" || v == "-":
			return operand(i + 1)
		case strings.HasPrefix(v, "--"):
			if v == "--rcfile" || v == "--init-file" {
				i++
			}
		case len(v) > 1 && (v[0] == '-' || v[0] == '+'):
			if strings.ContainsRune(v[1:], 'c') {
				return shellArgs{}, false
			}
			if strings.ContainsRune(v[1:], 's') {
				readsStdin = true
			}
			if strings.HasSuffix(v, "o") || strings.HasSuffix(v, "O") {
				i++ // -o option, -O shopt_option
			}
		default:
			// A script file, unless -s made the remaining words positional parameters.
			return operand(i)
		}
	}
	return operand(len(argv))
}

// scriptFile returns the index of the script file operand of argv: a shell's (see
// shellArgsOf) or that of `source FILE` and `. FILE`; -1 for none.
func scriptFile(argv []model.Word, sh shellArgs, isShell bool) int {
	switch {
	case isShell:
		return sh.file
	case len(argv) > 1 && !argv[0].Dynamic && (argv[0].Value == "source" || argv[0].Value == "."):
		return 1
	}
	return -1
}

// scriptRun describes the command argv (after unwrapping, at pos, with environment env)
// as the runner of a script whose positional parameters start at argv[params].
func (a *analyzer) scriptRun(through string, argv []argWord, params int, env []model.Var, pos model.Pos) *model.ScriptRun {
	run := &model.ScriptRun{Through: through, Runner: commandName(argv[0].Value), EnvPrefix: env, Pos: pos}
	for i := params; i < len(argv); i++ {
		w := argv[i]
		a.describe(&w)
		run.Args = append(run.Args, w.Word)
	}
	return run
}

// codeFeed returns the feed of a code word w, or false when w is a literal that holds
// no substitution.
func (a *analyzer) codeFeed(w *syntax.Word, run func() *model.ScriptRun) (feed, bool) {
	if w == nil || literalWord(w) {
		return feed{}, false
	}
	return feed{word: w, run: run()}, true
}

// processSubstitutionIn reports whether w is exactly one `<(…)`.
func processSubstitutionIn(w *syntax.Word) bool {
	if w == nil || len(w.Parts) != 1 {
		return false
	}
	p, ok := w.Parts[0].(*syntax.ProcSubst)
	return ok && p.Op == syntax.CmdIn
}

// pipeReader returns the runner of the script that cmd, the first command of a pipeline
// stage, reads from the pipe: a shell reading its script from standard input (without a
// heredoc or here-string of its own), or PowerShell's `iex`/`Invoke-Expression` without
// an argument of its own. Nil for other commands.
func (a *analyzer) pipeReader(cmd *model.Command) *model.ScriptRun {
	if len(cmd.Argv) == 0 || cmd.Argv[0].Dynamic || cmd.Stdin != nil {
		return nil
	}
	run := &model.ScriptRun{Through: model.ThroughPipe, EnvPrefix: cmd.EnvPrefix, Pos: cmd.Pos}
	switch a.interp {
	case interpBash, interpPOSIX:
		sh, ok := shellArgsOf(cmd.Argv)
		if !ok || !sh.stdin {
			return nil
		}
		run.Runner = commandName(cmd.Argv[0].Value)
		run.Args = cmd.Argv[sh.params:len(cmd.Argv):len(cmd.Argv)]
		if len(run.Args) == 0 {
			run.Args = nil
		}
	case interpPowerShell:
		switch strings.ToLower(cmd.Argv[0].Value) {
		case "iex", "invoke-expression":
		default:
			return nil
		}
		for _, w := range cmd.Argv[1:] {
			if w.Dynamic || !strings.HasPrefix(w.Value, "-") {
				return nil // the command runs its argument, not its input
			}
		}
		run.Runner = cmd.Argv[0].Value
	default:
		return nil
	}
	return run
}

// redirectsStdout reports whether one of rs sends standard output to a file or another
// descriptor: `> f`, `1>> f`, `>| f`, `&> f`, `>&2`, PowerShell `*> f` and `| Out-File`.
func redirectsStdout(rs []model.Redirect) bool {
	for _, r := range rs {
		switch strings.TrimPrefix(r.Op, "1") {
		case ">", ">>", ">|", "&>", "&>>", "*>", "*>>":
			return true
		case ">&":
			if r.Target == nil || r.Target.Value != "1" {
				return true
			}
		}
	}
	return false
}
