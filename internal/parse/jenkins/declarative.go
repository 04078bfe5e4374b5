package jenkins

import (
	"slices"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
)

// declarative walks a `pipeline { … }` block. The agent and environment are read first,
// since they apply to the stages whatever the order they are written in.
func (p *parser) declarative(c *groovy.Call, sc *scope) {
	psc := *sc
	psc.stage, psc.stageName, psc.stagePos, psc.stageAt = "", "", model.Pos{}, model.Pos{}
	body := c.Closure.Body
	for _, s := range body {
		call := stmtCall(s)
		if call == nil {
			continue
		}
		switch call.Name() {
		case "agent":
			psc.agent = p.declAgent(call, &psc)
		case "environment":
			envScope := psc
			envScope.base = "environment"
			vars, bindings := p.environment(call, &envScope)
			p.pipe.Env = append(p.pipe.Env, vars...)
			psc.bindings = append(slices.Clip(psc.bindings), bindings...)
		}
	}
	for _, s := range body {
		call := stmtCall(s)
		if call == nil {
			p.stmt(s, &psc)
			continue
		}
		switch call.Name() {
		case "agent", "environment":
		case "stages":
			if call.Closure != nil {
				p.declStages(call.Closure.Body, &psc)
			}
		case "post":
			post := psc
			post.base, post.stagePos, post.stageAt = "post", p.headPos(call), call.Pos
			p.post(call, &post)
		case "libraries":
			p.libraries(call, &psc)
		case "triggers":
			p.triggersBlock(call, &psc)
		case "options":
			p.options(call)
			p.configuration(call, &psc)
		case "parameters", "tools", "input":
			if call.Name() == "parameters" {
				p.parameters(call)
			}
			p.configuration(call, &psc)
		default:
			p.stmt(s, &psc)
		}
	}
}

// declStages walks the body of `stages { }` or `parallel { }`.
func (p *parser) declStages(body []groovy.Stmt, sc *scope) {
	for _, s := range body {
		if c := stmtCall(s); c != nil && isIdent(c.Callee, "stage") {
			name, _ := p.stageName(c)
			ssc := sc.withStage(name, p.headPos(c), c.Pos)
			if c.Closure != nil {
				p.declStageBody(c.Closure.Body, ssc)
			}
			continue
		}
		p.stmt(s, sc)
	}
}

// declStageBody walks the directives of a stage (or a matrix): agent, environment and
// when first, then steps, nested stages and post.
func (p *parser) declStageBody(body []groovy.Stmt, sc *scope) {
	ssc := *sc
	for _, s := range body {
		call := stmtCall(s)
		if call == nil {
			continue
		}
		switch call.Name() {
		case "agent":
			ssc.agent = p.declAgent(call, &ssc)
		case "environment":
			vars, bindings := p.environment(call, &ssc)
			ssc.stageEnv = append(slices.Clip(ssc.stageEnv), vars...)
			ssc.bindings = append(slices.Clip(ssc.bindings), bindings...)
		case "when":
			f := p.when(call)
			ssc.triggers = append(slices.Clip(ssc.triggers), f.triggers...)
			ssc.guards = append(slices.Clip(ssc.guards), f.guards...)
			if f.condition != nil {
				ssc.condition = f.condition
			}
			p.configuration(call, &ssc)
		}
	}
	for _, s := range body {
		call := stmtCall(s)
		if call == nil {
			p.stmt(s, &ssc)
			continue
		}
		switch call.Name() {
		case "agent", "environment", "when":
		case "steps":
			if call.Closure != nil {
				p.stmts(call.Closure.Body, &ssc)
			}
		case "stages", "parallel":
			if call.Closure != nil {
				p.declStages(call.Closure.Body, &ssc)
			} else {
				p.call(call, "", &ssc)
			}
		case "matrix":
			if call.Closure != nil {
				p.declStageBody(call.Closure.Body, &ssc)
			}
		case "post":
			p.post(call, &ssc)
		case "options", "tools", "input", "axes", "excludes", "failFast":
			p.configuration(call, &ssc)
		default:
			p.stmt(s, &ssc)
		}
	}
}

// post walks a `post { always { … } failure { … } }` block; always and cleanup steps run
// whatever happened.
func (p *parser) post(c *groovy.Call, sc *scope) {
	if c.Closure == nil {
		return
	}
	for _, s := range c.Closure.Body {
		cond := stmtCall(s)
		if cond == nil || cond.Closure == nil {
			p.stmt(s, sc)
			continue
		}
		psc := *sc
		name := cond.Name()
		psc.always = sc.always || name == "always" || name == "cleanup"
		p.stmts(cond.Closure.Body, &psc)
	}
}

// configuration walks a directive whose calls configure rather than run (options,
// parameters, tools, when, agent): its strings are values, its calls are not steps.
func (p *parser) configuration(c *groovy.Call, sc *scope) {
	csc := *sc
	csc.noSteps = true
	p.args(c.Args, "", &csc)
	if c.Closure != nil {
		p.stmts(c.Closure.Body, &csc)
	}
}

// environment reads an `environment { NAME = value }` block. Values that run code
// (`X = sh(…)`) are walked in sc, so their steps are filed there.
func (p *parser) environment(c *groovy.Call, sc *scope) ([]model.Var, []*binding) {
	if c.Closure == nil {
		return nil, nil
	}
	var vars []model.Var
	var bindings []*binding
	for _, s := range c.Closure.Body {
		a, ok := s.(*groovy.Assign)
		if !ok {
			p.stmt(s, sc)
			continue
		}
		name := targetName(a.Target)
		v := model.Var{Name: name, Pos: a.Target.Span()}
		if b := p.credentialsCall(a.Value, name); b != nil {
			// X = credentials('id') sets X, and X_USR and X_PSW for a username and
			// password: each is a variable of the environment holding the secret.
			bindings = append(bindings, b)
			value := model.Text{Value: p.source(a.Value.Span()), Pos: a.Value.Span()}
			for _, bv := range b.vars {
				vars = append(vars, model.Var{Name: bv.Name, Pos: v.Pos, Value: value, SecretRef: &b.refs[0]})
			}
			continue
		}
		if t, ok := p.compositeText(a.Value, name, sc); ok {
			v.Value = t
		} else {
			v.Value = p.opaqueText(a.Value)
			p.expr(a.Value, name, sc)
		}
		vars = append(vars, v)
	}
	return vars, bindings
}

// triggersBlock reads a declarative `triggers { }` block.
func (p *parser) triggersBlock(c *groovy.Call, sc *scope) {
	if c.Closure != nil {
		for _, s := range c.Closure.Body {
			if t := stmtCall(s); t != nil {
				p.trigger(t)
			}
		}
	}
	p.configuration(c, sc)
}

// triggerList reads `pipelineTriggers([cron(…), …])` of scripted properties.
func (p *parser) triggerList(args []*groovy.Arg, sc *scope) {
	for _, a := range args {
		if l, ok := a.Value.(*groovy.List); ok {
			for _, el := range l.Elems {
				if t, ok := el.(*groovy.Call); ok {
					p.trigger(t)
				}
			}
		}
	}
	csc := *sc
	csc.noSteps = true
	p.args(args, "", &csc)
}

// triggerEvents maps trigger directives to events and trust.
var triggerEvents = map[string][2]string{
	"cron":                {"schedule", model.TrustInternal},
	"parameterizedCron":   {"schedule", model.TrustInternal},
	"pollSCM":             {"push", model.TrustTrusted},
	"githubPush":          {"push", model.TrustTrusted},
	"bitbucketPush":       {"push", model.TrustTrusted},
	"upstream":            {"pipeline", model.TrustInternal},
	"issueCommentTrigger": {"comment", model.TrustUntrusted},
	"GenericTrigger":      {"webhook", model.TrustUntrusted},
}

func (p *parser) trigger(c *groovy.Call) {
	name := c.Name()
	ev, ok := triggerEvents[name]
	if !ok {
		ev = [2]string{name, model.TrustTrusted}
	}
	t := model.Trigger{Event: ev[0], Trust: ev[1], Secrets: true, Pos: p.headPos(c)}
	for _, a := range c.Args {
		if s, ok := a.Value.(*groovy.String); ok {
			p.consumed[s] = true
			t.Filters = append(t.Filters, s.Value)
		}
	}
	p.pipe.Triggers = append(p.pipe.Triggers, t)
}
