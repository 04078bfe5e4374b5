package circleci

import (
	"github.com/pipeguard/pipeguard/internal/model"
)

// buildJob turns a job definition and the workflow entries that run it into a Job.
func (p *parser) buildJob(def definition, invs []*invocation) model.Job {
	job := model.Job{ID: def.name, Pos: p.src.Pos(def.key), Via: def.via}
	fs := p.fields(def.value)
	sc := p.jobScope(value(fs, "parameters"), invs)
	job.With = p.withVars(sc)
	p.applyInvocations(&job, invs)

	info := p.jobRunner(fs, sc, &job)
	job.Runner = p.finalRunner(info)
	job.Env = info.env
	job.Incomplete = job.Incomplete || info.incomplete

	ctx := &expansion{job: &job, scope: sc, shell: info.shell}
	p.expandPrePost(ctx, invs, true)
	if steps, ok := get(fs, "steps"); ok {
		p.expandSteps(ctx, steps.value, steps.via)
	}
	p.expandPrePost(ctx, invs, false)
	return job
}

// buildOrbJob turns the workflow entries that run one orb job into a Job whose single
// orb step stands for the job's unseen definition.
func (p *parser) buildOrbJob(g *orbJobGroup) model.Job {
	first := g.invs[0]
	job := model.Job{
		ID: g.id, Pos: first.pos, Via: first.via, Incomplete: true,
		Runner: model.Runner{Kind: model.RunnerUnknown, Isolation: model.IsolationUnknown, Pos: first.pos},
	}
	sc := p.jobScope(nil, g.invs)
	job.With = p.withVars(sc)
	p.applyInvocations(&job, g.invs)
	ctx := &expansion{job: &job, scope: sc}
	p.expandPrePost(ctx, g.invs, true)
	p.addStep(ctx, model.Step{Kind: model.StepOrb, Name: g.ref, Pos: first.pos, Uses: p.orbUses(g.ref, first.pos), With: job.With, Via: first.via})
	for _, inv := range g.invs {
		p.expandStepArgs(ctx, g.ref, inv.params, inv.via)
	}
	p.expandPrePost(ctx, g.invs, false)
	return job
}

// applyInvocations copies what workflow entries give a job: contexts (as contexts,
// credentials and secret references), requirements and triggers.
func (p *parser) applyInvocations(job *model.Job, invs []*invocation) {
	for _, inv := range invs {
		for _, c := range inv.contexts {
			if !contains(job.Contexts, c.name) {
				job.Contexts = append(job.Contexts, c.name)
			}
			job.Credentials = append(job.Credentials, model.Credential{Kind: "circleci-context", ID: c.name, Pos: c.pos})
			ref := model.SecretRef{Kind: model.SecretCircleCI, Name: c.name, Pos: c.pos}
			job.Secrets = append(job.Secrets, ref)
			p.out.Secrets = append(p.out.Secrets, ref)
		}
		for _, r := range inv.requires {
			if !contains(job.Needs, r) {
				job.Needs = append(job.Needs, r)
			}
		}
		for _, t := range inv.triggers {
			if !hasTrigger(job.Triggers, t) {
				job.Triggers = append(job.Triggers, t)
			}
		}
	}
}

func hasTrigger(ts []model.Trigger, t model.Trigger) bool {
	for _, x := range ts {
		if x.Event == t.Event && x.Pos == t.Pos {
			return true
		}
	}
	return false
}

// expandPrePost expands the pre-steps (pre true) or post-steps of every entry.
func (p *parser) expandPrePost(ctx *expansion, invs []*invocation, pre bool) {
	for _, inv := range invs {
		list := inv.post
		if pre {
			list = inv.pre
		}
		for _, f := range list {
			hop := model.Via{Kind: "parameter", Name: inv.workflow + "/" + inv.displayName() + "." + f.key.Value, Pos: p.src.Pos(f.key)}
			inner := *ctx
			inner.scope = &scope{params: map[string][]paramValue{}}
			inner.with = nil
			p.expandSteps(&inner, f.value, prepend(f.via, prepend([]model.Via{hop}, inv.via)))
		}
	}
}
