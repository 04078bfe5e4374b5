package gitlab

import (
	"github.com/pipeguard/pipeguard/internal/model"
)

// Pipeline sources ($CI_PIPELINE_SOURCE values) that pipeguard distinguishes.
const (
	sourcePush           = "push"
	sourceMergeRequest   = "merge_request_event"
	sourceExternalPR     = "external_pull_request_event"
	sourceSchedule       = "schedule"
	sourceWeb            = "web"
	sourceAPI            = "api"
	sourceTrigger        = "trigger"
	sourcePipeline       = "pipeline"
	sourceParentPipeline = "parent_pipeline"
)

// pipelineSources lists every source with its trust: merge-request and external
// pull-request pipelines run code and text that outsiders (forks) control.
//
// Pipelines of every source get the project's CI/CD variables (Trigger.Secrets), fork
// merge requests included: GitLab runs a fork's merge-request pipeline in the fork by
// default, but a parent-project member can run it in the parent project (and projects can
// make that the rule), where it gets the parent's variables, protected ones excepted.
// Whether that happens is a project setting, invisible in the configuration.
var pipelineSources = []struct{ event, trust string }{
	{sourcePush, model.TrustTrusted},
	{sourceMergeRequest, model.TrustUntrusted},
	{sourceExternalPR, model.TrustUntrusted},
	{sourceSchedule, model.TrustTrusted},
	{sourceWeb, model.TrustTrusted},
	{sourceAPI, model.TrustTrusted},
	{sourceTrigger, model.TrustInternal},
	{sourcePipeline, model.TrustInternal},
	{sourceParentPipeline, model.TrustInternal},
}

// defaultSource reports whether GitLab creates pipelines for source when there are no
// workflow:rules. Merge-request and external pull-request pipelines are created only
// when some job runs in them; child pipelines are not roots.
func defaultSource(source string) bool {
	switch source {
	case sourceMergeRequest, sourceExternalPR, sourceParentPipeline:
		return false
	}
	return true
}

// decision is the verdict of rules for one source, with the rule that decided it.
type decision struct {
	verdict verdict
	pos     model.Pos
	filters []string
}

// judge evaluates rules:, only:/except: and workflow:rules for pipelines of one case,
// with the atoms of pin evaluated for the project's own merge-request pipeline (see
// forkGuards).
type judge struct {
	conds *conditions
	pc    pipelineCase
	pin   pinned
}

// expr returns the verdict of a rules:if or only:variables expression.
func (j judge) expr(expr string) verdict { return j.conds.eval(expr, j.pc, j.pin) }

// rules evaluates a rules: list: the first rule whose condition holds decides (when:
// never excludes). A rule that may hold decides only when it would run the job, since
// the job may then run.
func (j judge) rules(rules *node, fallback model.Pos) decision {
	for _, rule := range rules.items {
		if !rule.isMap() {
			continue
		}
		cond, pos, filters := verdictYes, rule.pos(), []string(nil)
		if ifNode := rule.get("if"); ifNode.isScalar() {
			cond, pos, filters = j.expr(ifNode.value), ifNode.pos(), []string{ifNode.value}
		}
		if cond == verdictYes && hasFileConditions(rule) {
			cond = verdictMaybe
		}
		never := isNever(rule)
		switch {
		case cond == verdictYes && never:
			return decision{verdict: verdictNo, pos: pos, filters: filters}
		case cond != verdictNo && !never:
			return decision{verdict: cond, pos: pos, filters: filters}
		}
	}
	return decision{verdict: verdictNo, pos: fallback}
}

// hasFileConditions reports whether a rule also depends on the files of the commit
// (changes:, exists:), which the configuration does not tell.
func hasFileConditions(rule *node) bool {
	return !rule.get("changes").isNull() || !rule.get("exists").isNull()
}

// isNever reports whether a rule says `when: never`.
func isNever(rule *node) bool {
	when := rule.get("when")
	return when.isScalar() && when.value == "never"
}

// onlyExcept evaluates a job's only:/except: (default only: [branches, tags]). The keys
// of only: must all match (refs any of theirs, variables any of theirs); except: excludes
// the job when its refs or any of its variables expressions match.
func (j judge) onlyExcept(job *node, fallback model.Pos) decision {
	only, except := job.field("only"), job.field("except")
	pos := fallback
	onlyRefs := []string{"branches", "tags"}
	v := verdictYes
	if only != nil {
		pos = only.keyPos()
		spec := readOnlyExcept(only.value)
		if spec.refs != nil {
			onlyRefs = spec.refs
		}
		if len(spec.variables) > 0 {
			v = min(v, j.anyExpr(spec.variables))
		}
		if spec.other {
			v = min(v, verdictMaybe)
		}
	}
	refs := verdictNo
	for _, ref := range onlyRefs {
		refs = max(refs, refMatches(ref, j.pc.source))
	}
	v = min(v, refs)
	if except != nil {
		spec := readOnlyExcept(except.value)
		for _, ref := range spec.refs {
			if refMatches(ref, j.pc.source) == verdictYes {
				return decision{verdict: verdictNo, pos: except.keyPos()}
			}
		}
		if len(spec.variables) > 0 {
			excluded := j.anyExpr(spec.variables)
			if excluded == verdictYes {
				return decision{verdict: verdictNo, pos: except.keyPos()}
			}
			v = min(v, notVerdict(excluded))
		}
	}
	return decision{verdict: v, pos: pos}
}

// anyExpr returns the verdict of a list of expressions of which one must hold.
func (j judge) anyExpr(exprs []*node) verdict {
	v := verdictNo
	for _, e := range exprs {
		v = max(v, j.expr(e.value))
	}
	return v
}

// onlyExceptSpec is what an only: or except: value says.
type onlyExceptSpec struct {
	// refs are the ref keywords and branch patterns, nil when the value names none.
	refs []string
	// variables are the variables: expressions.
	variables []*node
	// other is set when conditions the configuration does not decide apply (changes:,
	// kubernetes:).
	other bool
}

// readOnlyExcept reads an only:/except: value: a list of refs, or a mapping with refs:,
// variables:, changes: and kubernetes:.
func readOnlyExcept(n *node) onlyExceptSpec {
	var spec onlyExceptSpec
	list := n
	if n.isMap() {
		list = n.get("refs")
		for _, fl := range n.fields {
			switch fl.key {
			case "refs":
			case "variables":
				spec.variables = scalarList(fl.value)
			default:
				spec.other = true
			}
		}
	}
	for _, it := range scalarList(list) {
		spec.refs = append(spec.refs, it.value)
	}
	return spec
}

// refMatches says whether an only:/except: ref keyword or branch pattern selects a
// pipeline of source.
func refMatches(ref, source string) verdict {
	is := func(sources ...string) verdict {
		for _, s := range sources {
			if s == source {
				return verdictYes
			}
		}
		return verdictNo
	}
	switch ref {
	case "merge_requests":
		return is(sourceMergeRequest)
	case "external_pull_requests":
		return is(sourceExternalPR)
	case "schedules":
		return is(sourceSchedule)
	case "pushes":
		return is(sourcePush)
	case "web":
		return is(sourceWeb)
	case "api":
		return is(sourceAPI)
	case "triggers":
		return is(sourceTrigger)
	case "pipelines":
		return is(sourcePipeline, sourceParentPipeline)
	case "chat":
		return verdictNo
	}
	if source == sourceMergeRequest || source == sourceExternalPR {
		return verdictNo
	}
	if ref == "branches" || ref == "tags" {
		return verdictYes
	}
	return verdictMaybe // a branch name or pattern
}

// job evaluates whether job runs in a pipeline of the judge's case.
func (j judge) job(job *node, fallback model.Pos) decision {
	if rules := job.get("rules"); rules.isSeq() {
		return j.rules(rules, fallback)
	}
	return j.onlyExcept(job, fallback)
}

// pipelineTriggers returns the sources that create pipelines, from workflow:rules or
// GitLab's defaults (merge-request pipelines only when a job runs in them). External
// pull-request pipelines (GitHub repositories mirrored for CI) are considered only when
// the configuration mentions them. Workflow rules see the global variables, each job's
// rules jobVars[i] as well.
func pipelineTriggers(config *node, jobs []*node, jobVars []*variableSet, global *variableSet, at model.Pos, externalPRs bool, conds *conditions) []model.Trigger {
	workflowRules := config.get("workflow").get("rules")
	var out []model.Trigger
	for _, s := range pipelineSources {
		if s.event == sourceExternalPR && !externalPRs {
			continue
		}
		j := judge{conds: conds, pc: pipelineCase{source: s.event, vars: global}}
		var d decision
		switch {
		case workflowRules.isSeq():
			d = j.rules(workflowRules, at)
		case defaultSource(s.event):
			d = decision{verdict: verdictYes, pos: at}
		case s.event != sourceParentPipeline:
			for i, job := range jobs {
				jj := judge{conds: conds, pc: pipelineCase{source: s.event, vars: jobVars[i]}}
				if jd := jj.job(job, at); jd.verdict != verdictNo {
					d = jd
					break
				}
			}
		}
		if d.verdict != verdictNo {
			out = append(out, model.Trigger{Event: s.event, Trust: s.trust, Secrets: true, Filters: d.filters, Pos: d.pos})
		}
	}
	return out
}

// jobTriggers returns the pipeline triggers in which job runs, each positioned at the
// rule (or only:/except:) that lets it run, its rules seeing the variables vars.
func jobTriggers(job *node, vars *variableSet, pipeline []model.Trigger, at model.Pos, conds *conditions) []model.Trigger {
	var out []model.Trigger
	for _, t := range pipeline {
		d := judge{conds: conds, pc: pipelineCase{source: t.Event, vars: vars}}.job(job, at)
		if d.verdict == verdictNo {
			continue
		}
		out = append(out, model.Trigger{Event: t.Event, Trust: t.Trust, Secrets: t.Secrets, Filters: d.filters, Pos: d.pos})
	}
	return out
}
