package gitlab

import (
	"github.com/pipeguard/pipeguard/internal/model"
)

// The merge-request pipelines that the guard search compares: one for a merge request
// from the project itself, one for a merge request from a fork run in the parent project.
var (
	projectMergeRequest = pipelineCase{source: sourceMergeRequest, origin: originProject}
	forkMergeRequest    = pipelineCase{source: sourceMergeRequest, origin: originFork}
)

// maxGuardAtoms bounds the tests examined in one rules list, so that a hostile file
// with thousands of them costs linear time.
const maxGuardAtoms = 32

// atomAt is an atom of an expression together with the scalar the expression is in.
type atomAt struct {
	atom *exprNode
	expr *node
}

// atomsOf returns the atoms of the expression scalars exprs.
func (p *parser) atomsOf(exprs []*node) []atomAt {
	var out []atomAt
	for _, e := range exprs {
		for _, a := range p.conditions.parse(e.value).atoms {
			out = append(out, atomAt{atom: a, expr: e})
		}
	}
	return out
}

// jobGuards returns the guards of the job's own rules (or only:/except: variables),
// evaluated with the variables vars.
func (p *parser) jobGuards(job *node, vars *variableSet) []model.Guard {
	return p.forkGuards(p.atomsOf(decidingExprs(job)), vars, func(j judge) verdict {
		return j.job(job, model.Pos{}).verdict
	})
}

// workflowGuards returns the guards of workflow:rules, which hold for every job.
func (p *parser) workflowGuards(config *node, vars *variableSet) []model.Guard {
	rules := config.get("workflow").get("rules")
	if !rules.isSeq() {
		return nil
	}
	return p.forkGuards(p.atomsOf(ruleExprs(rules)), vars, func(j judge) verdict {
		return j.rules(rules, model.Pos{}).verdict
	})
}

// forkGuards returns the tests among atoms that keep merge-request pipelines of forks
// out while those of the project's own merge requests may run, decide being the
// verdict of the rules for the judge's case, both merge-request pipelines seeing the
// variables vars. The verdict engine decides it: an atom is
// a guard when it tells the two pipelines apart and, with every other such atom
// evaluated as for the project's own merge request, the fork's pipeline is still
// excluded. When no atom does that alone (`A || B`), every atom that tells the pipelines
// apart is one.
func (p *parser) forkGuards(atoms []atomAt, vars *variableSet, decide func(judge) verdict) []model.Guard {
	fork := judge{conds: p.conditions, pc: forkMergeRequest.seeing(vars)}
	project := judge{conds: p.conditions, pc: projectMergeRequest.seeing(vars)}
	if decide(fork) != verdictNo || decide(project) == verdictNo {
		return nil
	}
	var telling []atomAt
	for _, a := range atoms {
		if a.atom.eval(fork.pc, nil) != a.atom.eval(project.pc, nil) {
			telling = append(telling, a)
			if len(telling) == maxGuardAtoms {
				break
			}
		}
	}
	var decisive []atomAt
	for _, a := range telling {
		pin := pinned{}
		for _, o := range telling {
			if o.atom != a.atom {
				pin[o.atom] = true
			}
		}
		fork.pin = pin
		if decide(fork) == verdictNo {
			decisive = append(decisive, a)
		}
	}
	if len(decisive) == 0 {
		decisive = telling
	}
	guards := make([]model.Guard, 0, len(decisive))
	for _, a := range decisive {
		guards = append(guards, p.guard(a))
	}
	return guards
}

// guard describes the atom a as a Guard: protected-ref when it tests
// $CI_COMMIT_REF_PROTECTED, same-repo otherwise (it compares the merge request's source
// project with the project).
func (p *parser) guard(a atomAt) model.Guard {
	kind := model.GuardSameRepo
	if a.atom.reads("CI_COMMIT_REF_PROTECTED") {
		kind = model.GuardProtectedRef
	}
	return model.Guard{
		Kind:   kind,
		Detail: a.expr.value[a.atom.start:a.atom.end],
		Events: []string{sourceMergeRequest},
		Pos:    p.exprPos(a.expr, a.atom.start, a.atom.end),
	}
}

// exprPos returns the file position of the bytes [start, end) of expression scalar n.
func (p *parser) exprPos(n *node, start, end int) model.Pos {
	_, m := p.scalar(n.f, n.yn)
	pos := m.Pos(start, end)
	if !pos.IsZero() {
		pos.File = n.f.report
	}
	return pos
}
