package script

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Ops of the model.Redirect a command gets when its output is piped into a file writer.
const (
	opTee       = "tee"
	opTeeAppend = "tee -a"
	opWrite     = ">"
	opAppend    = ">>"
)

// redirects returns the model form of a statement's redirections, one per entry of
// redirs. With inherited set, heredocs and here-strings are left out: they are the Stdin
// of the command that has them, not of the commands inside a block it redirects.
func (a *analyzer) redirects(redirs []*syntax.Redirect, inherited bool) []model.Redirect {
	if len(redirs) == 0 {
		return nil
	}
	out := make([]model.Redirect, 0, len(redirs))
	for _, r := range redirs {
		if inherited && readsHere(r.Op) {
			continue
		}
		out = append(out, a.redirect(r))
	}
	return out
}

// readsHere reports whether op feeds the command a heredoc or here-string.
func readsHere(op syntax.RedirOperator) bool {
	return op == syntax.Hdoc || op == syntax.DashHdoc || op == syntax.WordHdoc
}

// redirect returns the model form of one redirection: the operator with its fd as
// written ("2>", "2>&", "{fd}>"), the target word (nil for a heredoc) and the span of
// both.
func (a *analyzer) redirect(r *syntax.Redirect) model.Redirect {
	op := r.Op.String()
	if r.N != nil {
		if s, e, ok := a.nodeSpan(r.N); ok {
			op = a.text[s:e] + op
		}
	}
	out := model.Redirect{Op: op}
	if start, end, ok := a.redirectSpan(r); ok {
		out.Pos = a.pos(start, end)
	}
	if r.Op != syntax.Hdoc && r.Op != syntax.DashHdoc {
		if w, ok := a.argWord(r.Word); ok {
			a.describe(&w)
			out.Target = &w.Word
		}
	}
	return out
}

// redirectSpan returns the text offsets of a redirection's fd, operator and word (a
// heredoc's body excluded).
func (a *analyzer) redirectSpan(r *syntax.Redirect) (int, int, bool) {
	if !r.OpPos.IsValid() {
		return 0, 0, false
	}
	start := a.offset(r.OpPos)
	end := min(start+len(r.Op.String()), len(a.text))
	if r.N != nil {
		if s, _, ok := a.nodeSpan(r.N); ok {
			start = min(start, s)
		}
	}
	if _, e, ok := a.wordSpan(r.Word); ok {
		end = max(end, e)
	}
	return start, end, true
}

// pipedOutput returns the redirections that the output of a command gets when it is
// piped into argv: one per file of `tee [-a] FILE…` (Op "tee" or "tee -a"); in
// PowerShell one for `Tee-Object [-Append] FILE` (likewise) and for `Out-File [-Append]
// FILE`, which is what PowerShell's `>` does (Op ">" or ">>"). Each spans the writer's
// name to the file word.
func (a *analyzer) pipedOutput(argv []model.Word) []model.Redirect {
	if len(argv) < 2 || argv[0].Dynamic {
		return nil
	}
	if a.interp == interpPowerShell {
		switch strings.ToLower(argv[0].Value) {
		case "tee-object", "tee":
			return powerShellOutput(argv, opTee, opTeeAppend)
		case "out-file":
			return powerShellOutput(argv, opWrite, opAppend)
		}
		return nil
	}
	if a.interp == interpCmd || commandName(argv[0].Value) != "tee" {
		return nil
	}
	var files []int
	appends, options := false, true
	for i := 1; i < len(argv); i++ {
		v := argv[i].Value
		switch {
		case options && v == "--":
			options = false
		case options && !argv[i].Dynamic && len(v) > 1 && v[0] == '-':
			appends = appends || v == "--append" || v[1] != '-' && strings.IndexByte(v, 'a') > 0
		default:
			files = append(files, i)
		}
	}
	op := opTee
	if appends {
		op = opTeeAppend
	}
	out := make([]model.Redirect, 0, len(files))
	for _, i := range files {
		out = append(out, writerRedirect(argv, i, op))
	}
	return out
}

// powerShellOutput returns the redirection of `Tee-Object`/`Out-File` argv: its
// -FilePath (or -LiteralPath, or first positional) argument, with Op op, or appendOp
// with -Append. Parameter names may be abbreviated, as PowerShell allows.
func powerShellOutput(argv []model.Word, op, appendOp string) []model.Redirect {
	file := -1
	for i := 1; i < len(argv); i++ {
		v := argv[i].Value
		if argv[i].Dynamic || len(v) < 2 || v[0] != '-' {
			if file < 0 {
				file = i
			}
			continue
		}
		name, _, joined := strings.Cut(strings.ToLower(v[1:]), ":")
		switch {
		case abbreviates(name, "append", 1):
			op = appendOp
		case abbreviates(name, "filepath", 2) || abbreviates(name, "literalpath", 1) || abbreviates(name, "path", 1):
			if !joined && i+1 < len(argv) {
				file = i + 1
				i++
			}
		case abbreviates(name, "encoding", 1) || abbreviates(name, "width", 2) ||
			abbreviates(name, "inputobject", 1) || abbreviates(name, "variable", 1):
			if !joined {
				i++ // the parameter's value
			}
		}
	}
	if file < 0 {
		return nil
	}
	return []model.Redirect{writerRedirect(argv, file, op)}
}

// abbreviates reports whether name is a PowerShell parameter name full, shortened to at
// least min characters.
func abbreviates(name, full string, min int) bool {
	return len(name) >= min && strings.HasPrefix(full, name)
}

// writerRedirect returns the redirection into argv[file] of a file writer argv.
func writerRedirect(argv []model.Word, file int, op string) model.Redirect {
	target := argv[file]
	pos := target.Pos
	if !argv[0].Pos.IsZero() {
		pos.Line, pos.Col = argv[0].Pos.Line, argv[0].Pos.Col
	}
	return model.Redirect{Op: op, Target: &target, Pos: pos}
}
