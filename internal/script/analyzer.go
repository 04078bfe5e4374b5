package script

import (
	"cmp"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

const (
	// maxDepth bounds how deep `bash -c` arguments and heredoc bodies are re-parsed.
	maxDepth = 5
	// maxRecoveries bounds how many times one script's parse resumes after an error.
	maxRecoveries = 64
	// maskByte fills the place of a CI interpolation in the text the shell parser sees:
	// a run of it is one word of ordinary characters.
	maskByte = '_'
)

// session is what the analyzers of one Analyze call share.
type session struct {
	res *Result
	// pipelines is the number of pipelines numbered so far (model.Pipe.ID).
	pipelines int
}

// analyzer analyses one script text: the top-level script, a `bash -c` argument or a
// heredoc body. Nested analyzers share the session of the top-level one.
type analyzer struct {
	// text is the script with its interpolations as written; masked is the same text
	// with every interpolation replaced by maskByte, byte for byte.
	text, masked string
	m            *textpos.Map
	dialect      Dialect
	interp       interpreter
	found        []found
	// interps holds the model form of found, built on first use.
	interps []model.Interpolation
	// expanded lists, in order and without overlaps, the spans of text that the
	// enclosing shell expanded before this script is parsed (`$X` in `bash -c "echo
	// $X"`): references there are Code.
	expanded []textSpan
	// subs are the Source substitutions within text, in order.
	subs  []Substitution
	s     *session
	depth int
	// base is the offset in text of the chunk being parsed: parser offsets are relative
	// to it.
	base int
}

// innerScript is a script found inside another one (a `bash -c` argument, a heredoc
// body), with what the enclosing script knows about its bytes.
type innerScript struct {
	text     string
	m        *textpos.Map
	expanded []textSpan
	subs     []Substitution
}

// context is what the enclosing script says about the commands being walked.
type context struct {
	piped     bool
	wrappedBy []string
	env       []model.Var
	// pipe is the pipeline stage the commands belong to, nil outside pipelines.
	pipe *model.Pipe
	// redirects are the redirections of the enclosing compound commands and wrappers,
	// which every command inside inherits.
	redirects []model.Redirect
	// output is the command that runs what the commands write to standard output as a
	// script (model.Command.OutputRun), nil when none is known.
	output *model.ScriptRun
	// capture is set inside a substitution whose output becomes text of the script.
	capture *model.Capture
}

// with returns a copy of c with wrappers and env added, sharing no slice with c.
func (c context) with(wrappers []string, env []model.Var) context {
	c.wrappedBy = concat(c.wrappedBy, wrappers)
	c.env = concat(c.env, env)
	return c
}

// maxInherited bounds how many redirections of enclosing commands a command inherits:
// hostile input nests blocks without limit. The innermost ones are kept.
const maxInherited = 16

// redirected returns c with the redirections of one more enclosing command added.
func (c context) redirected(redirects []model.Redirect) context {
	all := concat(c.redirects, redirects)
	c.redirects = all[max(0, len(all)-maxInherited):]
	return c
}

// substitution returns the context of the commands of a command or process
// substitution inside c: their output goes into a word, not into c's pipe, files or
// script runner. capture says where it goes; nil for an output process substitution
// (`>(…)`), whose commands write where the command around them writes.
func (c context) substitution(capture *model.Capture) context {
	return context{wrappedBy: c.wrappedBy, env: c.env, capture: capture}
}

// noReceiver is the Capture.Command of a substitution that no listed command holds.
const noReceiver = -1

// concat returns a followed by b; the result is a itself when b is empty and has no
// spare capacity otherwise, so appending to it never writes into a or b.
func concat[T any](a, b []T) []T {
	if len(b) == 0 {
		return a
	}
	out := make([]T, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

func newAnalyzer(text string, m *textpos.Map, d Dialect, s *session, depth int) *analyzer {
	a := &analyzer{text: text, masked: text, m: m, dialect: d, s: s, depth: depth}
	a.found = findInterpolations(text, d)
	if len(a.found) > 0 {
		masked := []byte(text)
		for _, f := range a.found {
			for i := f.start; i < f.end; i++ {
				masked[i] = maskByte
			}
		}
		a.masked = string(masked)
	}
	return a
}

// run analyses the whole text as interp.
func (a *analyzer) run(interp interpreter, c context) {
	a.interp = interp
	switch interp {
	case interpBash:
		a.shell(syntax.LangBash, c)
	case interpPOSIX:
		a.shell(syntax.LangPOSIX, c)
	case interpPowerShell:
		a.fallback(false, c)
	case interpCmd:
		a.fallback(true, c)
	}
}

// nested analyses a script found inside this one.
func (a *analyzer) nested(in innerScript, interp interpreter, c context) {
	if a.depth >= maxDepth {
		return
	}
	inner := newAnalyzer(in.text, in.m, a.dialect, a.s, a.depth+1)
	inner.expanded, inner.subs = in.expanded, in.subs
	inner.run(interp, c)
}

// interpolations returns the interpolations lying within [start, end).
func (a *analyzer) interpolations(start, end int) []model.Interpolation {
	i := a.firstFoundEndingAfter(start)
	j := i
	for j < len(a.found) && a.found[j].end <= end {
		j++
	}
	if i == j {
		return nil
	}
	a.interpolation(0) // build the cache
	return slices.Clone(a.interps[i:j])
}

// interpolation returns the model form of a.found[i].
func (a *analyzer) interpolation(i int) model.Interpolation {
	if a.interps == nil {
		a.interps = toModel(a.text, a.found, a.m)
	}
	return a.interps[i]
}

// firstFoundEndingAfter returns the index of the first interpolation that ends after off.
func (a *analyzer) firstFoundEndingAfter(off int) int {
	return sort.Search(len(a.found), func(i int) bool { return a.found[i].end > off })
}

// nextMask returns the first interpolation span that ends after off, clipped to start
// no earlier than off.
func (a *analyzer) nextMask(off int) (start, end int, ok bool) {
	i := a.firstFoundEndingAfter(off)
	if i == len(a.found) {
		return 0, 0, false
	}
	return max(a.found[i].start, off), a.found[i].end, true
}

// masks reports whether [start, end) overlaps an interpolation.
func (a *analyzer) masks(start, end int) bool {
	s, _, ok := a.nextMask(start)
	return ok && s < end
}

// pos returns the file span of the text bytes [start, end).
func (a *analyzer) pos(start, end int) model.Pos { return a.m.Pos(start, end) }

// offset converts a parser position to an offset in text.
func (a *analyzer) offset(p syntax.Pos) int {
	return min(max(a.base+int(p.Offset()), 0), len(a.text))
}

// nodeSpan returns the text offsets of a node whose Pos and End cannot panic.
func (a *analyzer) nodeSpan(n syntax.Node) (start, end int, ok bool) {
	if !n.Pos().IsValid() {
		return 0, 0, false
	}
	start = a.offset(n.Pos())
	end = max(a.offset(n.End()), start)
	return start, end, true
}

// wordSpan returns the text offsets of w, or ok false for a nil or empty word.
func (a *analyzer) wordSpan(w *syntax.Word) (start, end int, ok bool) {
	if w == nil || len(w.Parts) == 0 {
		return 0, 0, false
	}
	return a.nodeSpan(w)
}

var parserPools = map[syntax.LangVariant]*sync.Pool{
	syntax.LangBash:  {New: func() any { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }},
	syntax.LangPOSIX: {New: func() any { return syntax.NewParser(syntax.Variant(syntax.LangPOSIX)) }},
}

// shell parses the masked text as shell of variant lang and walks its statements. After
// a syntax error it records the error and resumes on the line after the start of the
// statement that failed.
func (a *analyzer) shell(lang syntax.LangVariant, c context) {
	pool := parserPools[lang]
	parser := pool.Get().(*syntax.Parser)
	defer pool.Put(parser)
	if off := tooManyOpeners(a.masked); off >= 0 {
		a.s.res.Errors = append(a.s.res.Errors, model.ParseError{Message: tooNestedMessage, Pos: a.pos(off, off+1)})
		return
	}
	start := 0
	// reported is the offset of the last error recorded: resuming inside a broken
	// construct can meet the same error again.
	reported := -1
	// read counts the bytes handed to the parser, against maxReparse.
	read := 0
	for attempt := 0; attempt < maxRecoveries && start < len(a.masked) && read <= maxReparse*len(a.masked)+reparseAllowance; attempt++ {
		read += len(a.masked) - start
		var stmts []*syntax.Stmt
		var parseErr error
		// The loop never breaks: StmtsSeq may yield the final error after its loop body
		// returned false, which the range-over-func runtime turns into a panic.
		for stmt, err := range parser.StmtsSeq(strings.NewReader(a.masked[start:])) {
			if err != nil || parseErr != nil {
				parseErr = cmp.Or(parseErr, err)
				continue
			}
			stmts = append(stmts, stmt)
		}
		a.base = start
		lastEnd := start
		for _, stmt := range stmts {
			a.stmt(stmt, c)
			if _, end, ok := a.nodeSpan(stmt); ok {
				lastEnd = max(lastEnd, end)
			}
		}
		if parseErr == nil {
			return
		}
		if off := a.parseError(parseErr, lastEnd, reported); off >= 0 {
			reported = off
		}
		broken := lastEnd + len(a.masked[lastEnd:]) - len(strings.TrimLeft(a.masked[lastEnd:], " \t\n;&|"))
		nl := strings.IndexByte(a.masked[broken:], '\n')
		if nl < 0 {
			return
		}
		start = broken + nl + 1
	}
}

// parseError records a parser error unless it stands at offset skip, and returns the
// offset recorded (-1 for none); fallback is the offset to report when the error carries
// no position.
func (a *analyzer) parseError(err error, fallback, skip int) int {
	off, msg := fallback, err.Error()
	var parseErr syntax.ParseError
	var langErr syntax.LangError
	switch {
	case errors.As(err, &parseErr):
		msg = parseErr.Text
		if parseErr.Pos.IsValid() {
			off = a.offset(parseErr.Pos)
		}
	case errors.As(err, &langErr):
		msg = strings.TrimPrefix(msg, langErr.Pos.String()+": ")
		if langErr.Pos.IsValid() {
			off = a.offset(langErr.Pos)
		}
	}
	if off == skip {
		return -1
	}
	end := off
	if off < len(a.text) {
		end++
	}
	a.s.res.Errors = append(a.s.res.Errors, model.ParseError{Message: "shell: " + msg, Pos: a.pos(off, end)})
	return off
}

// stmts walks a statement list.
func (a *analyzer) stmts(list []*syntax.Stmt, c context) {
	for _, s := range list {
		a.stmt(s, c)
	}
}

// stmt walks one statement and everything nested in it. The redirections of a compound
// statement (`{ …; } >> "$GITHUB_ENV"`) are inherited by the commands inside it.
func (a *analyzer) stmt(s *syntax.Stmt, c context) {
	if s == nil {
		return
	}
	switch cmd := s.Cmd.(type) {
	case *syntax.CallExpr:
		a.call(s, cmd, c)
		return
	case *syntax.DeclClause:
		a.decl(s, cmd, c)
		return
	}
	if len(s.Redirs) > 0 {
		c = c.redirected(a.redirects(s.Redirs, true))
	}
	a.compound(s.Cmd, c)
	for _, r := range s.Redirs {
		a.redirectSubstitutions(r, c, noReceiver, nil)
	}
}

// compound walks a statement's command other than a simple command or declaration.
func (a *analyzer) compound(cmd syntax.Command, c context) {
	switch cmd := cmd.(type) {
	case *syntax.BinaryCmd:
		if isPipe(cmd.Op) {
			a.pipeline(cmd, c)
			return
		}
		a.stmt(cmd.X, c)
		a.stmt(cmd.Y, c)
	case *syntax.Block:
		a.stmts(cmd.Stmts, c)
	case *syntax.Subshell:
		a.stmts(cmd.Stmts, c)
	case *syntax.IfClause:
		for clause := cmd; clause != nil; clause = clause.Else {
			a.stmts(clause.Cond, c)
			a.stmts(clause.Then, c)
		}
	case *syntax.WhileClause:
		a.stmts(cmd.Cond, c)
		a.stmts(cmd.Do, c)
	case *syntax.ForClause:
		a.substitutions(cmd.Loop, c, model.Capture{Command: noReceiver})
		a.stmts(cmd.Do, c)
	case *syntax.CaseClause:
		a.substitutions(cmd.Word, c, model.Capture{Command: noReceiver})
		for _, item := range cmd.Items {
			for _, pattern := range item.Patterns {
				a.substitutions(pattern, c, model.Capture{Command: noReceiver})
			}
			a.stmts(item.Stmts, c)
		}
	case *syntax.FuncDecl:
		// The body runs where the function is called, not in this pipe or redirection.
		a.stmt(cmd.Body, context{wrappedBy: c.wrappedBy, env: c.env})
	case *syntax.TimeClause:
		a.stmt(cmd.Stmt, c.with([]string{"time"}, nil))
	case *syntax.CoprocClause:
		a.stmt(cmd.Stmt, c)
	case *syntax.TestDecl:
		a.stmt(cmd.Body, c)
	case *syntax.ArithmCmd, *syntax.TestClause, *syntax.LetClause:
		a.substitutions(cmd, c, model.Capture{Command: noReceiver})
	}
}

// substitutions walks the command and process substitutions inside n, whose output
// goes where into says. Those inside text the enclosing shell already expanded (`bash -c
// "echo $(date)"`) ran there and are that shell's commands, not this script's.
func (a *analyzer) substitutions(n syntax.Node, c context, into model.Capture) {
	a.fedSubstitutions(n, c, into, nil)
}

// fedSubstitutions walks the substitutions inside n, a word that f feeds (nil for none):
// the outermost substitutions of f's kind write the script of f's runner. Their output
// goes where into says, but for an output process substitution (`>(…)`).
func (a *analyzer) fedSubstitutions(n syntax.Node, c context, into model.Capture, f *feed) {
	if n == nil || literalWord(n) {
		return
	}
	captured := c.substitution(&into)
	written := c.substitution(nil)
	syntax.Walk(n, func(n syntax.Node) bool {
		var stmts []*syntax.Stmt
		inner, process := captured, false
		switch n := n.(type) {
		case *syntax.CmdSubst:
			stmts = n.Stmts
		case *syntax.ProcSubst:
			stmts, process = n.Stmts, true
			if n.Op == syntax.CmdOut {
				inner = written
			}
		default:
			return true
		}
		if start, end, ok := a.nodeSpan(n); ok && !a.expandedOverlaps(start, end) {
			a.stmts(stmts, f.into(inner, process))
		}
		return false
	})
}

// literalWord reports whether n is a word made of literal and single-quoted parts only,
// which cannot hold a substitution.
func literalWord(n syntax.Node) bool {
	w, ok := n.(*syntax.Word)
	if !ok {
		return false
	}
	for _, part := range w.Parts {
		switch part.(type) {
		case *syntax.Lit, *syntax.SglQuoted:
		default:
			return false
		}
	}
	return true
}

// redirectSubstitutions walks the substitutions of a redirection's word and heredoc
// body, held by the command at index receiver of Result.Commands (or noReceiver);
// feeds are the words of the command that feed its script (feedsByWord).
func (a *analyzer) redirectSubstitutions(r *syntax.Redirect, c context, receiver int, feeds map[*syntax.Word]*feed) {
	if r.Word != nil {
		a.fedSubstitutions(r.Word, c, model.Capture{Command: receiver}, feeds[r.Word])
	}
	if r.Hdoc != nil {
		a.substitutions(r.Hdoc, c, model.Capture{Command: receiver})
	}
}

// assignCapture is where the substitutions of an assignment's value go: into the
// variable, for the command at index receiver.
func assignCapture(as *syntax.Assign, receiver int) model.Capture {
	into := model.Capture{Command: receiver}
	if as.Name != nil && (as.Value != nil || as.Array != nil) {
		into.Var = as.Name.Value
	}
	return into
}

// simpleCommand is a simple command as the script spells it, before unwrapping.
type simpleCommand struct {
	args []argWord
	env  []envVar
	// redirs are the shell parser's redirections (nil for PowerShell and cmd);
	// redirects are the command's own redirections in model form, for a shell command
	// one per entry of redirs, in the same order.
	redirs    []*syntax.Redirect
	redirects []model.Redirect
	// start and end are the text offsets of the command as written.
	start, end int
}

// call turns a simple command into a model.Command.
func (a *analyzer) call(s *syntax.Stmt, call *syntax.CallExpr, c context) {
	sc := simpleCommand{args: make([]argWord, 0, len(call.Args)), redirs: s.Redirs}
	for _, as := range call.Assigns {
		if v, ok := a.assignVar(as); ok {
			sc.env = append(sc.env, v)
		}
	}
	for _, w := range call.Args {
		if arg, ok := a.argWord(w); ok {
			sc.args = append(sc.args, arg)
		}
	}
	sc.redirects = a.redirects(s.Redirs, false)
	sc.start, sc.end = a.commandSpan(sc.args, sc.env, s.Redirs)
	receiver, fed := a.command(sc, c)
	feeds := feedsByWord(fed)
	for _, as := range call.Assigns {
		a.substitutions(as, c, assignCapture(as, receiver))
	}
	for _, w := range call.Args {
		a.fedSubstitutions(w, c, model.Capture{Command: receiver}, feeds[w])
	}
	for _, r := range s.Redirs {
		a.redirectSubstitutions(r, c, receiver, feeds)
	}
}

// decl turns `export`/`declare`/`local`/`readonly`/`typeset`/`nameref` into a
// model.Command whose argv is the keyword and its arguments as written.
func (a *analyzer) decl(s *syntax.Stmt, d *syntax.DeclClause, c context) {
	if d.Variant == nil {
		return
	}
	vs, ve, ok := a.nodeSpan(d.Variant)
	if !ok {
		return
	}
	keyword := model.Word{Value: d.Variant.Value, Pos: a.pos(vs, ve), Quoting: model.QuotingUnquoted}
	sc := simpleCommand{args: []argWord{{Word: keyword, a: a, start: vs, end: ve}}, redirs: s.Redirs}
	for _, as := range d.Args {
		if arg, ok := a.assignWord(as); ok {
			sc.args = append(sc.args, arg)
		}
	}
	sc.redirects = a.redirects(s.Redirs, false)
	sc.start, sc.end = a.commandSpan(sc.args, nil, s.Redirs)
	receiver, _ := a.command(sc, c)
	for _, as := range d.Args {
		a.substitutions(as, c, assignCapture(as, receiver))
	}
	for _, r := range s.Redirs {
		a.redirectSubstitutions(r, c, receiver, nil)
	}
}

// commandSpan returns the offsets covering the words, env prefixes and redirections of
// a command (heredoc bodies excluded).
func (a *analyzer) commandSpan(args []argWord, env []envVar, redirs []*syntax.Redirect) (int, int) {
	start, end := len(a.text), 0
	extend := func(s, e int) {
		start, end = min(start, s), max(end, e)
	}
	for _, w := range args {
		extend(w.start, w.end)
	}
	for _, v := range env {
		extend(v.nameStart, v.valueEnd)
	}
	for _, r := range redirs {
		if s, e, ok := a.redirectSpan(r); ok {
			extend(s, e)
		}
	}
	if end < start {
		return start, start
	}
	return start, end
}

// command records one command after unwrapping its wrappers, or analyses the script a
// wrapper runs (`bash -c SCRIPT`, a heredoc read by a shell). It returns the index in
// Result.Commands of the command recorded for sc (noReceiver when sc was replaced by the
// commands of its script) and the words whose substitutions write the script the
// command runs (see feed).
func (a *analyzer) command(sc simpleCommand, c context) (int, []feed) {
	u := unwrap(sc.args)
	env := append(sc.env, u.env...)
	vars := make([]model.Var, len(env))
	for i, v := range env {
		vars[i] = v.Var
	}
	inner := c.with(u.wrappers, vars)
	pos := a.pos(sc.start, sc.end)
	code := a.codeWords(u.argv)
	var feeds []feed
	if u.script >= 0 {
		script := u.argv[u.script]
		// The script's $0 follows it; its positional parameters come after.
		if f, ok := a.codeFeed(script.node, func() *model.ScriptRun {
			return a.scriptRun(model.ThroughCommandSubstitution, u.argv, u.script+2, inner.env, pos)
		}); ok {
			feeds = append(feeds, f)
		}
		if !a.runTimeOnly(script) {
			a.nested(a.wordScript(script), u.scriptInterp, inner.redirected(sc.redirects))
			return noReceiver, feeds
		}
		// The script is only known at run time (`sh -c "$CMD"`): the wrapper stays the
		// command and its script argument is code.
		inner.wrappedBy = inner.wrappedBy[:len(inner.wrappedBy)-1]
		code = codeRange{from: u.script, to: u.script + 1}
	} else {
		var run *model.ScriptRun // one for all code words: `eval` passes no parameters
		for i := code.from; i < code.to; i++ {
			if f, ok := a.codeFeed(u.argv[i].node, func() *model.ScriptRun {
				if run == nil {
					run = a.scriptRun(model.ThroughCommandSubstitution, u.argv, len(u.argv), inner.env, pos)
				}
				return run
			}); ok {
				feeds = append(feeds, f)
			}
		}
	}
	cmd := model.Command{
		Argv:      make([]model.Word, len(u.argv)),
		EnvPrefix: inner.env,
		Pos:       pos,
		WrappedBy: inner.wrappedBy,
		Piped:     c.piped,
		Redirects: concat(c.redirects, sc.redirects),
		Capture:   c.capture,
		Pipe:      c.pipe,
	}
	if len(cmd.WrappedBy) == 0 {
		cmd.WrappedBy = nil
	}
	if !redirectsStdout(cmd.Redirects) {
		cmd.OutputRun = c.output
	}
	for i := range u.argv {
		w := &u.argv[i]
		a.describe(w)
		cmd.Argv[i] = w.Word
		if code.holds(i, &cmd.Argv[i]) {
			markCode(&cmd.Argv[i])
		}
	}
	if len(cmd.Argv) == 0 {
		cmd.Argv = nil
	} else {
		cmd.Program = commandProgram(cmd.Argv[0].Value)
	}
	for i := range u.packages {
		a.describe(&u.packages[i])
		cmd.WrapperPackages = append(cmd.WrapperPackages, u.packages[i].Word)
	}
	r, body := a.stdin(sc.redirs)
	cmd.Stdin = body
	sh, isShell := shellArgsOf(cmd.Argv)
	readsScript := r != nil && isShell && sh.stdin
	if !readsScript {
		cmd.StdinRefs = a.heredocRefs(r)
	}
	own := slices.Index(sc.redirs, r)
	if readsScript && r.Op == syntax.WordHdoc {
		if own >= 0 && own < len(sc.redirects) {
			if script := cmd.Redirects[len(c.redirects)+own].Target; script != nil {
				markCode(script) // the here-string is the shell's script
			}
		}
		if f, ok := a.codeFeed(r.Word, func() *model.ScriptRun {
			return a.scriptRun(model.ThroughCommandSubstitution, u.argv, sh.params, inner.env, pos)
		}); ok {
			feeds = append(feeds, f)
		}
	}
	if file := scriptFile(cmd.Argv, sh, isShell); file >= 0 && processSubstitutionIn(u.argv[file].node) {
		run := a.scriptRun(model.ThroughProcessSubstitution, u.argv, file+1, inner.env, pos)
		feeds = append(feeds, feed{word: u.argv[file].node, process: true, run: run})
	}
	index := len(a.s.res.Commands)
	a.s.res.Commands = append(a.s.res.Commands, cmd)
	if !readsScript {
		return index, feeds
	}
	bodyContext := context{
		wrappedBy: concat(inner.wrappedBy, []string{"heredoc"}),
		env:       inner.env,
		pipe:      c.pipe,
		redirects: c.redirects,
		output:    cmd.OutputRun,
		capture:   c.capture,
	}.redirected(without(sc.redirects, own))
	if r.Op == syntax.WordHdoc {
		if w, ok := a.argWord(r.Word); ok && !a.runTimeOnly(w) {
			a.nested(a.wordScript(w), sh.interp, bodyContext)
		}
		return index, feeds
	}
	if s, e, ok := a.heredocBody(r); ok {
		a.nested(a.heredocScript(r, s, e), sh.interp, bodyContext)
	}
	return index, feeds
}

// without returns list without its element at index i (list itself when i is out of
// range).
func without[T any](list []T, i int) []T {
	if i < 0 || i >= len(list) {
		return list
	}
	return concat(list[:i:i], list[i+1:])
}

// stdin returns the last heredoc or here-string of redirs with its text.
func (a *analyzer) stdin(redirs []*syntax.Redirect) (*syntax.Redirect, *model.Text) {
	var last *syntax.Redirect
	for _, r := range redirs {
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
			last = r
		}
	}
	if last == nil {
		return nil, nil
	}
	if last.Op == syntax.WordHdoc {
		w, ok := a.argWord(last.Word)
		if !ok {
			return nil, nil
		}
		return last, &model.Text{Value: w.Value, Pos: w.Pos, Literal: !w.Dynamic, Interpolations: a.interpolations(w.start, w.end)}
	}
	s, e, ok := a.heredocBody(last)
	if !ok {
		// An empty body: point just after the delimiter word.
		_, we, _ := a.wordSpan(last.Word)
		return last, &model.Text{Pos: a.pos(we, we), Literal: true}
	}
	body := a.text[s:e]
	interps := a.interpolations(s, e)
	quoted := (last.Word != nil && last.Word.Lit() == "") || strings.Contains(a.sourceOf(last.Word), `\`)
	return last, &model.Text{
		Value:          body,
		Pos:            a.pos(s, e),
		Literal:        len(interps) == 0 && (quoted || !HasVariableReference(body)),
		Interpolations: interps,
	}
}

// heredocRefs returns the references the heredoc r expands into the standard input of a
// command that does not read it as a script (Command.StdinRefs): every variable of an
// unquoted heredoc's body, at double quoting (a body is not split into words), and the
// CI interpolations of any heredoc's body. Here-strings have none: their word is a
// Redirect Target with its own Refs.
func (a *analyzer) heredocRefs(r *syntax.Redirect) []model.Ref {
	if r == nil || r.Op == syntax.WordHdoc || r.Hdoc == nil {
		return nil
	}
	s, e, ok := a.heredocBody(r)
	if !ok {
		return nil
	}
	rc := refCollector{a: a}
	quoted := (r.Word != nil && r.Word.Lit() == "") || strings.Contains(a.sourceOf(r.Word), `\`)
	if quoted {
		rc.masks(s, e, singleQuoted)
	} else {
		rc.parts(r.Hdoc.Parts, doubleQuoted, 0)
	}
	return rc.substitutions(rc.refs, s, e, func(int) quoting { return doubleQuoted })
}

// heredocBody returns the offsets of the body of a heredoc, without its closing
// delimiter line (which the parser includes in the body word).
func (a *analyzer) heredocBody(r *syntax.Redirect) (int, int, bool) {
	s, e, ok := a.wordSpan(r.Hdoc)
	if !ok {
		return 0, 0, false
	}
	lastLine := s + strings.LastIndexByte(a.text[s:e], '\n') + 1
	delimiter, _, _ := a.decodeWord(r.Word, false)
	if strings.TrimLeft(a.text[lastLine:e], "\t") == delimiter {
		e = lastLine
	}
	return s, e, s < e
}

// sourceOf returns the text of w as written.
func (a *analyzer) sourceOf(w *syntax.Word) string {
	s, e, ok := a.wordSpan(w)
	if !ok {
		return ""
	}
	return a.text[s:e]
}
