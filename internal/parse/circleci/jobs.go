package circleci

import (
	"github.com/pipeguard/pipeguard/internal/model"
)

// buildJob turns a job definition into the Job that one workflow instance runs, or,
// with inst nil, into the Job of a definition no workflow runs (its parameters at their
// defaults). Pos is the definition's key, so that findings in its steps point there.
func (p *parser) buildJob(def definition, id string, inst *instance) model.Job {
	job := model.Job{ID: id, Name: def.name, Pos: p.src.Pos(def.key), Via: def.via}
	fs := p.fields(def.value)
	params := value(fs, "parameters")
	job.Parameters = p.parameters(params)
	sc := p.jobScope(params, inst)
	job.With = p.withVars(sc)
	p.applyEntry(&job, inst)

	info := p.jobRunner(fs, sc, &job)
	job.Runner = p.finalRunner(info)
	job.Env = info.env
	job.Incomplete = job.Incomplete || info.incomplete

	job.Steps = make([]model.Step, 0, p.stepCount[def.name])
	ctx := &expansion{job: &job, scope: sc, shell: info.shell}
	p.expandPrePost(ctx, inst, true)
	if steps, ok := get(fs, "steps"); ok {
		p.expandSteps(ctx, steps.value, steps.via)
	}
	p.expandPrePost(ctx, inst, false)
	p.stepCount[def.name] = len(job.Steps)
	return job
}

// buildOrbJob turns the instance of an orb job into a Job whose single orb step stands
// for the job's unseen definition.
func (p *parser) buildOrbJob(inst *instance) model.Job {
	inv := inst.inv
	job := model.Job{
		ID: inst.id, Name: inv.ref, Pos: inv.pos, Via: inv.via, Incomplete: true,
		Runner: model.Runner{Kind: model.RunnerUnknown, Isolation: model.IsolationUnknown, Pos: inv.pos},
	}
	sc := p.jobScope(nil, inst)
	job.With = p.withVars(sc)
	p.applyEntry(&job, inst)
	ctx := &expansion{job: &job, scope: sc}
	p.expandPrePost(ctx, inst, true)
	p.addStep(ctx, model.Step{Kind: model.StepOrb, Name: inv.ref, Pos: inv.pos, Uses: p.orbUses(inv.ref, inv.pos), With: job.With, Via: inv.via})
	p.expandStepArgs(ctx, inv.ref, inv.params, inv.via)
	p.expandPrePost(ctx, inst, false)
	return job
}

// applyEntry copies what a workflow entry gives the job it runs: contexts (as contexts,
// credentials and secret references), requirements, triggers, guards and the
// workflow's condition.
func (p *parser) applyEntry(job *model.Job, inst *instance) {
	if inst == nil {
		return
	}
	named := map[string]bool{}
	for _, c := range inst.inv.contexts {
		if !named[c.name] {
			named[c.name] = true
			job.Contexts = append(job.Contexts, c.name)
		}
		job.Credentials = append(job.Credentials, model.Credential{Kind: "circleci-context", ID: c.name, Pos: c.pos})
		ref := model.SecretRef{Kind: model.SecretCircleCI, Name: c.name, Pos: c.pos}
		job.Secrets = append(job.Secrets, ref)
		if key := "secret " + c.pos.String(); !p.reported[key] {
			p.reported[key] = true
			p.out.Secrets = append(p.out.Secrets, ref)
		}
	}
	job.Needs = inst.needs
	job.Triggers = inst.triggers
	job.Guards = inst.guards
	job.Condition = inst.inv.condition
}

// expandPrePost expands the entry's pre-steps (pre true) or post-steps.
func (p *parser) expandPrePost(ctx *expansion, inst *instance, pre bool) {
	if inst == nil {
		return
	}
	inv := inst.inv
	list := inv.post
	if pre {
		list = inv.pre
	}
	for _, f := range list {
		hop := model.Via{Kind: "parameter", Name: inv.workflow + "/" + inst.display + "." + f.key.Value, Pos: p.src.Pos(f.key)}
		inner := *ctx
		inner.scope = &scope{params: map[string][]paramValue{}}
		inner.with = nil
		p.expandSteps(&inner, f.value, prepend(f.via, prepend([]model.Via{hop}, inv.via)))
	}
}
