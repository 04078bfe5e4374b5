package jenkins

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
)

// scope is the lexical context of a statement: where its steps are filed and what is in
// effect around them. Walkers copy it before changing it.
type scope struct {
	// stage is the stage path ("outer/inner"); "" outside stages.
	stage     string
	stageName string
	// stagePos is the head of the stage (or post block) that names the job.
	stagePos model.Pos
	// stageAt identifies one occurrence of a stage, so two stages with the same name
	// give two jobs.
	stageAt model.Pos
	// base names the job of steps outside any stage.
	base  string
	agent *agent
	// pod is the agent of an enclosing podTemplate, used by `node` inside it.
	pod *agent
	// stageEnv is the declarative `environment {}` of the stage and its parents.
	stageEnv []model.Var
	// env holds the withEnv and credential variables of the steps.
	env      []model.Var
	bindings []*binding
	triggers []*model.Trigger
	// guards keep change requests or forks out of the steps; condition is the `when` of
	// the innermost stage that has one.
	guards    []*model.Guard
	condition *model.Condition
	// always is set in post always/cleanup blocks and finally blocks.
	always bool
	// noSteps is set in declarative directives (options, parameters, when, agent, …),
	// whose calls are configuration, not steps.
	noSteps bool
}

// withStage returns a copy of sc inside the stage name headed by call position pos.
func (sc *scope) withStage(name string, head, at model.Pos) *scope {
	next := *sc
	if sc.stage == "" {
		next.stage = name
	} else {
		next.stage = sc.stage + "/" + name
	}
	next.stageName, next.stagePos, next.stageAt = name, head, at
	return &next
}

// stageKey identifies one stage occurrence (or the base job outside stages).
type stageKey struct {
	path string
	at   model.Pos
}

// jobKey identifies a job: a stage occurrence on one agent.
type jobKey struct {
	stage stageKey
	agent *agent
}

// jobState is a job being built, with the bindings already attached, and the triggers
// and guards that hold for every step so far.
type jobState struct {
	job      model.Job
	bindings map[*binding]bool
	triggers []*model.Trigger
	guards   []*model.Guard
	// steps holds the triggers and guards in effect for each step of job.Steps.
	steps []stepConditions
}

// stepConditions are the change-request triggers and the guards in effect for a step.
type stepConditions struct {
	triggers []*model.Trigger
	guards   []*model.Guard
}

// jobFor returns the job of the steps in sc, creating it on first use; at positions a
// job that has no stage head.
func (p *parser) jobFor(sc *scope, at model.Pos) *jobState {
	sk := stageKey{path: sc.stage, at: sc.stageAt}
	if sc.stage == "" {
		sk.path = sc.base
	}
	key := jobKey{stage: sk, agent: sc.agent}
	if js := p.jobIndex[key]; js != nil {
		return js
	}
	id := sk.path
	if n := p.stageJobs[sk]; n > 0 {
		id += "/" + sc.agent.suffix()
	}
	p.stageJobs[sk]++
	js := &jobState{
		job: model.Job{
			ID:     p.uniqueID(id),
			Name:   sc.stageName,
			Pos:    sc.stagePos,
			Runner: sc.agent.model(),
			Env:    slices.Clone(sc.stageEnv),
		},
		bindings: map[*binding]bool{},
	}
	if js.job.Pos.IsZero() {
		js.job.Pos = at
	}
	p.jobIndex[key] = js
	p.jobs = append(p.jobs, js)
	return js
}

// uniqueID returns id, or id with a "#n" suffix when it is taken.
func (p *parser) uniqueID(id string) string {
	unique := id
	for n := 2; p.usedIDs[unique]; n++ {
		unique = id + "#" + strconv.Itoa(n)
	}
	p.usedIDs[unique] = true
	return unique
}

// addStep files st under the job of sc, with the bindings, triggers and condition in
// effect and the extra bindings of the step's own arguments, which are all the step's
// Credentials. The job keeps the triggers and guards that hold for all of its steps;
// finish gives each step the rest of its own. It returns the job.
func (p *parser) addStep(sc *scope, st model.Step, extra []*binding) *jobState {
	js := p.jobFor(sc, st.Pos)
	bindings := slices.Concat(sc.bindings, extra)
	for i, b := range bindings {
		if !slices.Contains(bindings[:i], b) {
			st.Credentials = append(st.Credentials, b.cred)
		}
		if !js.bindings[b] {
			js.bindings[b] = true
			js.job.Credentials = append(js.job.Credentials, b.cred)
			js.job.Secrets = append(js.job.Secrets, b.refs...)
		}
	}
	if js.job.Condition == nil {
		js.job.Condition = sc.condition
	}
	st.Env = slices.Clone(sc.env)
	st.Always = st.Always || sc.always
	if !p.budget.Spend(&st) {
		return js
	}
	if len(js.job.Steps) == 0 {
		js.triggers = slices.Clone(sc.triggers)
		js.guards = slices.Clone(sc.guards)
	} else {
		js.triggers = slices.DeleteFunc(js.triggers, func(t *model.Trigger) bool { return !slices.Contains(sc.triggers, t) })
		js.guards = slices.DeleteFunc(js.guards, func(g *model.Guard) bool { return !slices.Contains(sc.guards, g) })
	}
	js.steps = append(js.steps, stepConditions{triggers: sc.triggers, guards: sc.guards})
	js.job.Steps = append(js.job.Steps, st)
	return js
}

// addArtifact records an artifact that the job's last step keeps.
func (js *jobState) addArtifact(a model.Artifact) {
	last := len(js.job.Steps) - 1
	a.Step = model.StepLabel(js.job.Steps[last], last)
	js.job.Artifacts = append(js.job.Artifacts, a)
}

// finish moves the jobs built into the pipeline: each job with the triggers and guards
// all of its steps share, each step with those of its own.
func (p *parser) finish() {
	for _, js := range p.jobs {
		for _, t := range js.triggers {
			js.job.Triggers = append(js.job.Triggers, *t)
		}
		for _, g := range js.guards {
			js.job.Guards = append(js.job.Guards, *g)
		}
		for i, sc := range js.steps {
			st := &js.job.Steps[i]
			for _, t := range sc.triggers {
				if !slices.Contains(js.triggers, t) {
					st.Triggers = append(st.Triggers, *t)
				}
			}
			for _, g := range sc.guards {
				if !slices.Contains(js.guards, g) {
					st.Guards = append(st.Guards, *g)
				}
			}
		}
		p.pipe.Jobs = append(p.pipe.Jobs, js.job)
	}
}

// stmts walks a statement list. An old-style `stage 'name'` statement (no block) puts
// the statements after it into that stage.
func (p *parser) stmts(list []groovy.Stmt, sc *scope) {
	cur := sc
	for _, s := range list {
		if p.budget.Exceeded() {
			return // the model is dropped: see Parse
		}
		if c := stmtCall(s); c != nil && c.Closure == nil && isIdent(c.Callee, "stage") && len(c.Args) > 0 {
			name, _ := p.stageName(c)
			cur = sc.withStage(name, p.headPos(c), c.Pos)
			continue
		}
		p.stmt(s, cur)
	}
}

func (p *parser) stmt(s groovy.Stmt, sc *scope) {
	switch s := s.(type) {
	case *groovy.ExprStmt:
		p.expr(s.X, "", sc)
	case *groovy.Decl:
		for _, v := range s.Vars {
			if v.Name != nil {
				p.expr(v.Value, v.Name.Name, sc)
			}
		}
		p.expr(s.Value, "", sc)
	case *groovy.Assign:
		p.assign(s, sc)
	case *groovy.Block:
		p.stmts(s.Statements, sc)
	case *groovy.If:
		p.ifStmt(s, sc)
	case *groovy.For:
		if s.Init != nil {
			p.stmt(s.Init, sc)
		}
		p.expr(s.Cond, "", sc)
		for _, u := range s.Update {
			p.expr(u, "", sc)
		}
		p.expr(s.Iter, "", sc)
		p.body(s.Body, sc)
	case *groovy.While:
		p.expr(s.Cond, "", sc)
		p.body(s.Body, sc)
	case *groovy.Switch:
		p.expr(s.Tag, "", sc)
		for _, c := range s.Cases {
			for _, v := range c.Values {
				p.expr(v, "", sc)
			}
			p.stmts(c.Body, sc)
		}
	case *groovy.Try:
		p.tryStmt(s, sc)
	case *groovy.Return:
		p.expr(s.Value, "", sc)
	case *groovy.Throw:
		p.expr(s.Value, "", sc)
	case *groovy.Assert:
		p.expr(s.Cond, "", sc)
		p.expr(s.Message, "", sc)
	case *groovy.Labeled:
		p.body(s.Stmt, sc)
	case *groovy.Annotation:
		p.annotation(s, sc)
	case *groovy.Func:
		p.function(s.Name, s, sc)
	case *groovy.Class:
		for _, m := range s.Body {
			if f, ok := m.(*groovy.Func); ok {
				p.function(s.Name+"."+f.Name, f, sc)
				continue
			}
			p.stmt(m, &scope{base: s.Name})
		}
	}
}

// body walks a statement that may be nil.
func (p *parser) body(s groovy.Stmt, sc *scope) {
	if s != nil {
		p.stmt(s, sc)
	}
}

// function walks a function body once, with an unknown agent: it runs wherever it is
// called. Steps outside its stages go into the job "name()".
func (p *parser) function(name string, f *groovy.Func, sc *scope) {
	fsc := &scope{base: name + "()", noSteps: sc.noSteps}
	for _, prm := range f.Params {
		if prm.Name != nil {
			p.expr(prm.Default, prm.Name.Name, fsc)
		}
	}
	if f.Body != nil {
		p.stmts(f.Body.Statements, fsc)
	}
}

func (p *parser) tryStmt(s *groovy.Try, sc *scope) {
	if s.Body != nil {
		p.stmts(s.Body.Statements, sc)
	}
	for _, c := range s.Catches {
		if c.Body != nil {
			p.stmts(c.Body.Statements, sc)
		}
	}
	if s.Finally != nil {
		fsc := *sc
		fsc.always = true
		p.stmts(s.Finally.Statements, &fsc)
	}
}

func (p *parser) ifStmt(s *groovy.If, sc *scope) {
	p.expr(s.Cond, "", sc)
	thenScope, elseScope := sc, sc
	if s.Cond != nil {
		thenScope, elseScope = p.branchScopes(s.Cond, sc)
	}
	p.body(s.Then, thenScope)
	p.body(s.Else, elseScope)
}

// changeRequestTrigger returns the untrusted trigger of a change-request condition at
// pos, and lists the event on the pipeline.
func (p *parser) changeRequestTrigger(pos model.Pos, filters []string) *model.Trigger {
	t := &model.Trigger{Event: changeRequestEvent, Trust: model.TrustUntrusted, Secrets: true, Filters: filters, Pos: pos}
	if !p.changeRequest {
		p.changeRequest = true
		p.pipe.Triggers = append(p.pipe.Triggers, *t)
	}
	return t
}

func (p *parser) assign(a *groovy.Assign, sc *scope) {
	p.expr(a.Value, targetName(a.Target), sc)
}

// targetName names the variable an assignment sets: `x`, `env.TOKEN` → TOKEN,
// `m['key']` → key.
func targetName(e groovy.Expr) string {
	switch e := e.(type) {
	case *groovy.Ident:
		return e.Name
	case *groovy.Member:
		return e.Name
	case *groovy.Index:
		if len(e.Index) == 1 {
			if s, ok := e.Index[0].(*groovy.String); ok {
				return s.Value
			}
		}
		return targetName(e.X)
	}
	return ""
}

// expr walks an expression; key names the value it is assigned to or passed as.
func (p *parser) expr(e groovy.Expr, key string, sc *scope) {
	switch e := e.(type) {
	case *groovy.String:
		p.value(e, key)
		p.walkParts(e, key, sc)
	case *groovy.Call:
		p.call(e, key, sc)
	case *groovy.List:
		for _, el := range e.Elems {
			p.expr(el, key, sc)
		}
	case *groovy.Map:
		for _, en := range e.Entries {
			p.expr(en.Value, mapKey(en, key), sc)
		}
	case *groovy.Closure:
		p.stmts(e.Body, sc)
	case *groovy.Member:
		p.expr(e.X, key, sc)
	case *groovy.Index:
		p.expr(e.X, key, sc)
		for _, i := range e.Index {
			p.expr(i, key, sc)
		}
	case *groovy.Binary:
		if e.Op != "+" {
			p.expr(e.X, key, sc)
			p.expr(e.Y, key, sc)
			return
		}
		operands := concatOperands(e)
		if hasString(operands) {
			t, _ := p.compositeText(e, key, sc)
			p.addValue(model.Var{Name: key, Pos: e.Pos, Value: t})
			return
		}
		for _, op := range operands {
			p.expr(op, key, sc)
		}
	case *groovy.Unary:
		p.expr(e.X, key, sc)
	case *groovy.Assign:
		p.assign(e, sc)
	case *groovy.Ternary:
		p.expr(e.Cond, key, sc)
		p.expr(e.Then, key, sc)
		p.expr(e.Else, key, sc)
	case *groovy.Cast:
		p.expr(e.X, key, sc)
	case *groovy.New:
		p.args(e.Args, key, sc)
		for _, d := range e.Dims {
			p.expr(d, key, sc)
		}
		p.stmts(e.Body, sc)
	case *groovy.Range:
		p.expr(e.From, key, sc)
		p.expr(e.To, key, sc)
	}
}

// mapKey names the value of a map entry: its key when that is a name or string,
// otherwise the enclosing key.
func mapKey(en *groovy.MapEntry, outer string) string {
	switch k := en.Key.(type) {
	case *groovy.Ident:
		return k.Name
	case *groovy.String:
		return k.Value
	}
	return outer
}

// args walks call arguments as values. In a call with a `name:` argument (build and
// job parameters such as `string(name: 'TOKEN', defaultValue: '…')`), the value
// arguments are keyed by that name.
func (p *parser) args(args []*groovy.Arg, key string, sc *scope) {
	named := paramName(args)
	for _, a := range args {
		k := key
		switch {
		case named != "" && isParamValue(a.Name):
			k = named
		case a.Name != "":
			k = a.Name
		}
		if credentialKeys[a.Name] {
			p.consumeStrings(a.Value)
		}
		p.expr(a.Value, k, sc)
	}
}

// paramName returns the literal `name:` argument of a call, or "".
func paramName(args []*groovy.Arg) string {
	for _, a := range args {
		if a.Name == "name" {
			if s, ok := a.Value.(*groovy.String); ok {
				return s.Value
			}
		}
	}
	return ""
}

func isParamValue(name string) bool {
	return name == "defaultValue" || name == "value"
}

// call walks a call: a step, a block that changes the context, or a plain method call.
func (p *parser) call(c *groovy.Call, key string, sc *scope) {
	if id, ok := c.Callee.(*groovy.Ident); ok {
		if p.builtin(id.Name, c, sc) {
			return
		}
	}
	if m, ok := c.Callee.(*groovy.Member); ok && runShells[m.Name] != "" && len(c.Args) > 0 {
		if _, onName := m.X.(*groovy.Ident); onName { // steps.sh, script.sh, this.sh
			p.runStep(c, m.Name, sc)
			return
		}
	}
	if c.Name() == "inside" && c.Closure != nil {
		p.inside(c, sc)
		return
	}
	if c.Closure != nil || hasClosureArg(c) {
		p.wrapper(c, key, sc)
		return
	}
	if !sc.noSteps && p.isStep(c) {
		p.jenkinsStep(c, sc)
		return
	}
	if id, ok := c.Callee.(*groovy.Ident); ok && key == "" {
		key = id.Name // configuration calls such as `args '…'` or `password 'x'`
	}
	p.expr(c.Callee, key, sc)
	p.args(c.Args, key, sc)
}

// builtin handles the calls by bare name that shape the model; it reports whether it
// did.
func (p *parser) builtin(name string, c *groovy.Call, sc *scope) bool {
	switch name {
	case "pipeline":
		if c.Closure != nil {
			if p.pipe.Declarative == nil {
				pos := p.headPos(c)
				p.pipe.Declarative = &pos
			}
			p.declarative(c, sc)
			return true
		}
	case "node":
		if c.Closure != nil {
			p.node(c, sc)
			return true
		}
	case "stage":
		if c.Closure != nil {
			name, _ := p.stageName(c)
			p.stmts(c.Closure.Body, sc.withStage(name, p.headPos(c), c.Pos))
			return true
		}
	case "parallel":
		p.parallel(c, sc)
		return true
	case "withCredentials":
		p.withCredentials(c, sc)
		return true
	case "withEnv":
		p.withEnv(c, sc)
		return true
	case "sshagent":
		p.sshagent(c, sc)
		return true
	case "sh", "bat", "powershell", "pwsh":
		if len(c.Args) > 0 {
			p.runStep(c, name, sc)
			return true
		}
	case "withDockerContainer":
		p.withDockerContainer(c, sc)
		return true
	case "podTemplate":
		p.podTemplate(c, sc)
		return true
	case "library":
		p.library(c, sc)
		return true
	case "load":
		p.load(c, sc)
		return true
	case "evaluate":
		p.evaluate(c, sc)
		return true
	case "pipelineTriggers":
		p.triggerList(c.Args, sc)
		return true
	}
	return false
}

func hasClosureArg(c *groovy.Call) bool {
	for _, a := range c.Args {
		if _, ok := a.Value.(*groovy.Closure); ok {
			return true
		}
	}
	return false
}

// wrapper walks a call with a block (timeout, dir, script, retry, withSonarQubeEnv,
// docker.withRegistry, …): its credential arguments are bound for the block.
func (p *parser) wrapper(c *groovy.Call, key string, sc *scope) {
	bindings := p.argBindings(c.Args)
	if path := c.Path(); path == "docker.withRegistry" || path == "docker.withServer" {
		if len(c.Args) > 1 {
			if s, ok := c.Args[1].Value.(*groovy.String); ok && c.Args[1].Name == "" {
				p.consumed[s] = true
				bindings = append(bindings, p.newBinding("jenkins-credentials", s.Value, s.Pos, nil, s.Pos))
			}
		}
	}
	inner := sc
	if len(bindings) > 0 {
		next := *sc
		next.bindings = append(slices.Clip(sc.bindings), bindings...)
		inner = &next
	}
	p.expr(c.Callee, key, sc)
	p.args(c.Args, key, inner)
	if c.Closure != nil {
		p.stmts(c.Closure.Body, inner)
	}
}

// groovyMethods are methods of Groovy and Java objects: calls to them are not steps.
var groovyMethods = map[string]bool{}

func init() {
	for _, m := range strings.Fields(`each eachWithIndex collect collectEntries collectMany find findAll
		findResult findIndexOf any every inject sort unique trim split tokenize startsWith endsWith
		contains replace replaceAll replaceFirst toString toLowerCase toUpperCase toInteger toLong
		toBoolean toList toSet size add addAll put putAll get getAt remove removeAll join equals
		matches substring indexOf lastIndexOf isEmpty keySet values containsKey containsValue format
		plus minus reverse first last take drop readLines length grep count flatten subList asType
		getProperty setProperty hashCode with times upto downto call max min sum stripIndent
		stripMargin trimEnd padLeft padRight capitalize getClass getName getValue getKey push pop
		isDirectory exists delete text bytes leftShift next previous clone intersect eachLine`) {
		groovyMethods[m] = true
	}
}

// contextObjects are global objects whose methods are not pipeline steps.
var contextObjects = map[string]bool{
	"env": true, "params": true, "currentBuild": true, "scm": true, "binding": true, "it": true,
	"manager": true, "super": true,
}

// isStep reports whether a call without a block is a pipeline step: a call by bare name
// (echo, git, a library function) other than a function of the file, or a method of a global (docker.build, infra.runMaven)
// that is not a Groovy method and not called on a variable, a class or a context object.
func (p *parser) isStep(c *groovy.Call) bool {
	switch callee := c.Callee.(type) {
	case *groovy.Ident:
		return !p.funcs[callee.Name]
	case *groovy.Member:
		root, ok := rootIdent(callee)
		if !ok {
			return false
		}
		if root == "docker" {
			return true
		}
		if groovyMethods[callee.Name] {
			return false
		}
		if root == "steps" || root == "script" || root == "this" {
			return true
		}
		first, _ := firstRune(root)
		return !unicode.IsUpper(first) && !p.locals[root] && !contextObjects[root]
	}
	return false
}

// rootIdent returns the name a member chain starts from (`docker` in
// `docker.image('x').push()`).
func rootIdent(e groovy.Expr) (string, bool) {
	for {
		switch x := e.(type) {
		case *groovy.Ident:
			return x.Name, true
		case *groovy.Member:
			e = x.X
		case *groovy.Call:
			e = x.Callee
		default:
			return "", false
		}
	}
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

// chainArgs returns the arguments of the calls of a member chain, innermost first,
// then the call's own: `docker.image('x').push('latest')` gives 'x', 'latest'.
func chainArgs(c *groovy.Call) []*groovy.Arg {
	var inner []*groovy.Arg
	e := c.Callee
	for {
		switch x := e.(type) {
		case *groovy.Member:
			e = x.X
			continue
		case *groovy.Call:
			inner = append(slices.Clone(x.Args), inner...)
			e = x.Callee
			continue
		}
		break
	}
	return append(inner, c.Args...)
}

func stmtCall(s groovy.Stmt) *groovy.Call {
	if es, ok := s.(*groovy.ExprStmt); ok {
		if c, ok := es.X.(*groovy.Call); ok {
			return c
		}
	}
	return nil
}

func isIdent(e groovy.Expr, name string) bool {
	id, ok := e.(*groovy.Ident)
	return ok && id.Name == name
}

// stageName returns the name of a stage call (its first positional argument or
// `name:`), marking it consumed, and whether one was found.
func (p *parser) stageName(c *groovy.Call) (string, bool) {
	for _, a := range c.Args {
		if a.Name != "" && a.Name != "name" {
			continue
		}
		if s, ok := a.Value.(*groovy.String); ok {
			p.consumed[s] = true
			return s.Value, true
		}
		return p.source(a.Value.Span()), true
	}
	return "stage", false
}

// parallel walks a `parallel` call: each branch of a map of closures is a stage named
// by its key; a block (declarative `parallel { stage … }`) holds stages.
func (p *parser) parallel(c *groovy.Call, sc *scope) {
	for _, a := range c.Args {
		if cl, ok := a.Value.(*groovy.Closure); ok && a.Name != "" {
			p.stmts(cl.Body, sc.withStage(a.Name, a.NamePos, a.NamePos))
			continue
		}
		if m, ok := a.Value.(*groovy.Map); ok {
			for _, en := range m.Entries {
				cl, isClosure := en.Value.(*groovy.Closure)
				name := mapKey(en, "")
				if !isClosure || name == "" {
					p.expr(en.Value, name, sc)
					continue
				}
				p.stmts(cl.Body, sc.withStage(name, en.Key.Span(), en.Key.Span()))
			}
			continue
		}
		p.expr(a.Value, a.Name, sc)
	}
	if c.Closure != nil {
		p.declStages(c.Closure.Body, sc)
	}
}

// value keeps a string literal that the model does not carry elsewhere in
// Pipeline.Values.
func (p *parser) value(s *groovy.String, key string) {
	if p.consumed[s] || s.Value == "" || credentialKeys[key] {
		return
	}
	p.addValue(model.Var{Name: key, Pos: s.Pos, Value: p.text(key, s)})
}

// addValue appends v to Pipeline.Values, within the model budget.
func (p *parser) addValue(v model.Var) {
	if p.budget.Spend(&v) {
		p.pipe.Values = append(p.pipe.Values, v)
	}
}

// consumeStrings marks every string literal of e (outside closures) as consumed.
func (p *parser) consumeStrings(e groovy.Expr) {
	groovy.Inspect(e, func(n groovy.Node) bool {
		switch n := n.(type) {
		case *groovy.String:
			p.consumed[n] = true
		case *groovy.Closure:
			return false
		}
		return true
	})
}
