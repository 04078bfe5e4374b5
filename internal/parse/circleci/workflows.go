package circleci

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// invocation is one entry of a workflow's `jobs:` list.
type invocation struct {
	workflow string
	ref      string    // the job as referenced: a local job or orb/job
	name     string    // the `name:` override, if any
	pos      model.Pos // the entry's position
	via      []model.Via
	params   []field // parameter values passed to the job
	matrix   []field // matrix parameters, each a sequence of values
	pre      []field // pre-steps
	post     []field // post-steps
	contexts []contextRef
	requires []string
	triggers []model.Trigger
	// isApproval is true for `type: approval` entries, which run nothing.
	isApproval bool
	// filters are the entry's `filters:` as written; restricted is true when they, or
	// the entries it requires, keep it off arbitrary branches.
	filters    []string
	restricted bool
}

// contextRef is one context named by a workflow entry.
type contextRef struct {
	name string
	pos  model.Pos
}

// orbJobGroup gathers the invocations of one orb job under one job ID.
type orbJobGroup struct {
	id   string
	ref  string
	invs []*invocation
}

// workflowJobs is what the workflows say about jobs.
type workflowJobs struct {
	byJob   map[string][]*invocation
	orbJobs []*orbJobGroup
}

// Keys of a workflow job entry that are not job parameters.
var reservedEntryKeys = map[string]bool{
	"requires": true, "name": true, "context": true, "filters": true, "matrix": true,
	"type": true, "pre-steps": true, "post-steps": true, "serial-group": true, "override-with": true,
}

// readWorkflows reads every workflow's job entries, contexts, filters and schedules.
func (p *parser) readWorkflows(n *yaml.Node, jobs map[string]definition) workflowJobs {
	wf := workflowJobs{byJob: map[string][]*invocation{}}
	groups := map[string]*orbJobGroup{}
	for _, w := range p.fields(n) {
		if p.scalar(w.value) != nil { // `version: 2` inside 2.0 workflows
			continue
		}
		wfFields := p.fields(w.value)
		schedules := p.schedules(value(wfFields, "triggers"))
		p.out.Triggers = append(p.out.Triggers, schedules...)
		var invs []*invocation
		for _, it := range p.items(value(wfFields, "jobs")) {
			if inv := p.invocation(w.key.Value, it); inv != nil {
				invs = append(invs, inv)
			}
		}
		setTriggers(invs, schedules)
		for _, inv := range invs {
			if _, local := jobs[inv.ref]; local {
				wf.byJob[inv.ref] = append(wf.byJob[inv.ref], inv)
				continue
			}
			if alias, _, ok := strings.Cut(inv.ref, "/"); ok {
				if _, known := p.orbs[alias]; !known {
					p.unresolved("orb", alias, "orb "+alias+" is used by a workflow but not declared under orbs:", inv.pos)
				}
				id := inv.ref
				if inv.name != "" {
					id = inv.name
				}
				g := groups[id]
				if g == nil {
					g = &orbJobGroup{id: id, ref: inv.ref}
					groups[id] = g
					wf.orbJobs = append(wf.orbJobs, g)
				}
				g.invs = append(g.invs, inv)
				continue
			}
			if inv.isApproval {
				continue
			}
			p.unresolved("job", inv.ref, "job "+inv.ref+" is run by workflow "+w.key.Value+" but not defined in this file", inv.pos)
		}
	}
	return wf
}

// invocation reads one workflow job entry: a job name, or a one-key mapping from the
// job name to its settings and parameters.
func (p *parser) invocation(workflow string, it item) *invocation {
	inv := &invocation{workflow: workflow, via: it.via}
	var settings []field
	switch it.node.Kind {
	case yaml.ScalarNode:
		inv.ref = p.carried(it.node)
		inv.pos = p.src.Pos(it.node)
	case yaml.MappingNode:
		fs := p.fields(it.node)
		if len(fs) == 0 {
			return nil
		}
		inv.ref = fs[0].key.Value
		inv.pos = p.src.Pos(fs[0].key)
		settings = p.fields(fs[0].value)
	default:
		return nil
	}
	var filters *yaml.Node
	for _, f := range settings {
		switch f.key.Value {
		case "name":
			inv.name = p.carried(f.value)
		case "type":
			inv.isApproval = p.carried(f.value) == "approval"
		case "requires":
			for _, r := range p.items(f.value) {
				if s := p.carried(r.node); s != "" {
					inv.requires = append(inv.requires, s)
				}
			}
			if s := p.carried(f.value); s != "" {
				inv.requires = append(inv.requires, s)
			}
		case "context":
			inv.contexts = p.contexts(f.value)
		case "filters":
			filters = f.value
		case "matrix":
			inv.matrix = p.fields(value(p.fields(f.value), "parameters"))
		case "pre-steps":
			inv.pre = append(inv.pre, f)
		case "post-steps":
			inv.post = append(inv.post, f)
		default:
			if !reservedEntryKeys[f.key.Value] {
				inv.params = append(inv.params, f)
			}
		}
	}
	inv.filters = p.filterStrings(filters)
	inv.restricted = p.branchesRestricted(filters)
	return inv
}

// setTriggers decides who can start each entry of one workflow. In a scheduled
// workflow, the schedules. Otherwise an entry restricted by its own filters, or whose
// required entries are all restricted (a job runs only after what it requires), runs on
// pushes to trusted branches; any other entry runs for pull-request branches too (forks
// included when the project builds forked pull requests).
func setTriggers(invs []*invocation, schedules []model.Trigger) {
	if len(schedules) > 0 {
		for _, inv := range invs {
			inv.triggers = schedules
		}
		return
	}
	byName := map[string]*invocation{}
	for _, inv := range invs {
		byName[inv.displayName()] = inv
	}
	inherited := map[*invocation]bool{}
	for changed := true; changed; {
		changed = false
		for _, inv := range invs {
			if inv.restricted || len(inv.requires) == 0 {
				continue
			}
			all := true
			for _, r := range inv.requires {
				if dep, ok := byName[r]; !ok || !dep.restricted {
					all = false
					break
				}
			}
			if all {
				inv.restricted, inherited[inv], changed = true, true, true
			}
		}
	}
	for _, inv := range invs {
		filters := inv.filters
		if inherited[inv] {
			filters = append(append([]string(nil), filters...), "requires="+strings.Join(inv.requires, ","))
		}
		if inv.restricted {
			inv.triggers = []model.Trigger{{Event: "push", Trust: model.TrustTrusted, Filters: filters, Pos: inv.pos}}
		} else {
			inv.triggers = untrustedTriggers(inv.pos, filters)
		}
	}
}

// contexts reads `context:` (one name or a list).
func (p *parser) contexts(n *yaml.Node) []contextRef {
	if s := p.scalar(n); s != nil {
		return []contextRef{{name: p.carried(s), pos: p.src.Pos(s)}}
	}
	var out []contextRef
	for _, it := range p.items(n) {
		if s := p.scalar(it.node); s != nil {
			out = append(out, contextRef{name: p.carried(s), pos: p.src.Pos(s)})
		}
	}
	return out
}

// schedules reads a workflow's `triggers:` list of scheduled runs.
func (p *parser) schedules(n *yaml.Node) []model.Trigger {
	var out []model.Trigger
	for _, it := range p.items(n) {
		sched, ok := get(p.fields(it.node), "schedule")
		if !ok {
			continue
		}
		fs := p.fields(sched.value)
		var filters []string
		if cron := p.carried(value(fs, "cron")); cron != "" {
			filters = append(filters, "cron="+cron)
		}
		filters = append(filters, p.filterStrings(value(fs, "filters"))...)
		out = append(out, model.Trigger{Event: "schedule", Trust: model.TrustInternal, Filters: filters, Pos: p.src.Pos(sched.key)})
	}
	return out
}

// untrustedTriggers are the triggers of a job that any branch push starts, pull-request
// branches included.
func untrustedTriggers(pos model.Pos, filters []string) []model.Trigger {
	return []model.Trigger{
		{Event: "push", Trust: model.TrustTrusted, Filters: filters, Pos: pos},
		{Event: "pull_request", Trust: model.TrustUntrusted, Filters: filters, Pos: pos},
	}
}

// filterStrings renders filters as written: "branches.only=main", "tags.only=/^v.*/".
func (p *parser) filterStrings(filters *yaml.Node) []string {
	var out []string
	for _, kind := range p.fields(filters) {
		for _, rule := range p.fields(kind.value) {
			for _, v := range p.patterns(rule.value) {
				out = append(out, kind.key.Value+"."+rule.key.Value+"="+v)
			}
		}
	}
	return out
}

// patterns returns the branch or tag patterns of an only/ignore value.
func (p *parser) patterns(n *yaml.Node) []string {
	if s := p.scalar(n); s != nil {
		return []string{p.carried(s)}
	}
	var out []string
	for _, it := range p.items(n) {
		if s := p.scalar(it.node); s != nil {
			out = append(out, p.carried(s))
		}
	}
	return out
}

// branchesRestricted reports whether filters keep the job off arbitrary branches: an
// `only` list without a catch-all pattern, or an `ignore` list that excludes every
// branch or the `pull/N` branches of forked pull requests.
func (p *parser) branchesRestricted(filters *yaml.Node) bool {
	branches := p.fields(value(p.fields(filters), "branches"))
	if only, ok := get(branches, "only"); ok {
		pats := p.patterns(only.value)
		for _, pat := range pats {
			if isCatchAll(pat) {
				return false
			}
		}
		return len(pats) > 0
	}
	for _, pat := range p.patterns(value(branches, "ignore")) {
		if isCatchAll(pat) || strings.Contains(pat, "pull") {
			return true
		}
	}
	return false
}

// isCatchAll reports whether a branch pattern matches every branch.
func isCatchAll(pattern string) bool {
	switch strings.TrimSpace(pattern) {
	case "/.*/", "/.+/", "/^.*$/", "/^.+$/", "/^.*/", "/(.*)/":
		return true
	}
	return false
}
