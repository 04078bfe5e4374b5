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

// conditionCache memoizes rules:if verdicts by expression and source: templates repeat
// the same rules in many jobs.
type conditionCache map[[2]string]verdict

// eval returns the verdict of expr for source.
func (c conditionCache) eval(expr, source string) verdict {
	key := [2]string{expr, source}
	v, ok := c[key]
	if !ok {
		v = evalCondition(expr, source)
		c[key] = v
	}
	return v
}

// decision is the verdict of rules for one source, with the rule that decided it.
type decision struct {
	verdict verdict
	pos     model.Pos
	filters []string
}

// evalRules evaluates a rules: list for a pipeline of source: the first rule whose
// condition holds decides (when: never excludes). A rule that may hold decides only
// when it would run the job, since the job may then run.
func evalRules(rules *node, source string, fallback model.Pos, conds conditionCache) decision {
	for _, rule := range rules.items {
		if !rule.isMap() {
			continue
		}
		cond, pos, filters := verdictYes, rule.pos(), []string(nil)
		if ifNode := rule.get("if"); ifNode.isScalar() {
			cond, pos, filters = conds.eval(ifNode.value, source), ifNode.pos(), []string{ifNode.value}
		}
		if cond == verdictYes && (!rule.get("changes").isNull() || !rule.get("exists").isNull()) {
			cond = verdictMaybe
		}
		never := false
		if when := rule.get("when"); when.isScalar() && when.value == "never" {
			never = true
		}
		switch {
		case cond == verdictYes && never:
			return decision{verdict: verdictNo, pos: pos, filters: filters}
		case cond != verdictNo && !never:
			return decision{verdict: cond, pos: pos, filters: filters}
		}
	}
	return decision{verdict: verdictNo, pos: fallback}
}

// evalOnlyExcept evaluates a job's only:/except: (default only: [branches, tags]) for
// a pipeline of source.
func evalOnlyExcept(job *node, source string, fallback model.Pos) decision {
	only, except := job.field("only"), job.field("except")
	pos := fallback
	onlyRefs := []string{"branches", "tags"}
	onlyConditional := false
	if only != nil {
		pos = only.keyPos()
		refs, conditional := refList(only.value)
		if refs != nil {
			onlyRefs = refs
		}
		onlyConditional = conditional
	}
	v := verdictNo
	for _, ref := range onlyRefs {
		v = max(v, refMatches(ref, source))
	}
	if v == verdictYes && onlyConditional {
		v = verdictMaybe
	}
	if except != nil {
		refs, _ := refList(except.value)
		for _, ref := range refs {
			if refMatches(ref, source) == verdictYes {
				return decision{verdict: verdictNo, pos: except.keyPos()}
			}
		}
	}
	return decision{verdict: v, pos: pos}
}

// refList returns the refs of an only:/except: value (a list, or a mapping with refs:)
// and whether it has other conditions (variables, changes, kubernetes). Refs are nil
// when the value names none.
func refList(n *node) (refs []string, conditional bool) {
	list := n
	if n.isMap() {
		list = n.get("refs")
		for _, fl := range n.fields {
			if fl.key != "refs" {
				conditional = true
			}
		}
	}
	for _, it := range scalarList(list) {
		refs = append(refs, it.value)
	}
	return refs, conditional
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

// jobDecision evaluates whether job runs in a pipeline of source.
func jobDecision(job *node, source string, fallback model.Pos, conds conditionCache) decision {
	if rules := job.get("rules"); rules.isSeq() {
		return evalRules(rules, source, fallback, conds)
	}
	return evalOnlyExcept(job, source, fallback)
}

// pipelineTriggers returns the sources that create pipelines, from workflow:rules or
// GitLab's defaults (merge-request pipelines only when a job runs in them). External
// pull-request pipelines (GitHub repositories mirrored for CI) are considered only when
// the configuration mentions them.
func pipelineTriggers(config *node, jobs []*node, at model.Pos, externalPRs bool, conds conditionCache) []model.Trigger {
	workflowRules := config.get("workflow").get("rules")
	var out []model.Trigger
	for _, s := range pipelineSources {
		if s.event == sourceExternalPR && !externalPRs {
			continue
		}
		var d decision
		switch {
		case workflowRules.isSeq():
			d = evalRules(workflowRules, s.event, at, conds)
		case defaultSource(s.event):
			d = decision{verdict: verdictYes, pos: at}
		case s.event != sourceParentPipeline:
			for _, job := range jobs {
				if jd := jobDecision(job, s.event, at, conds); jd.verdict != verdictNo {
					d = jd
					break
				}
			}
		}
		if d.verdict != verdictNo {
			out = append(out, model.Trigger{Event: s.event, Trust: s.trust, Filters: d.filters, Pos: d.pos})
		}
	}
	return out
}

// jobTriggers returns the pipeline triggers in which job runs, each positioned at the
// rule (or only:/except:) that lets it run.
func jobTriggers(job *node, pipeline []model.Trigger, at model.Pos, conds conditionCache) []model.Trigger {
	var out []model.Trigger
	for _, t := range pipeline {
		d := jobDecision(job, t.Event, at, conds)
		if d.verdict == verdictNo {
			continue
		}
		out = append(out, model.Trigger{Event: t.Event, Trust: t.Trust, Filters: d.filters, Pos: d.pos})
	}
	return out
}
