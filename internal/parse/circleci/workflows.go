package circleci

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// invocation is one entry of a workflow's `jobs:` list.
type invocation struct {
	workflow string
	ref      string    // the job as referenced: a local job or orb/job
	name     string    // the `name:` override as written, if any
	pos      model.Pos // the entry's position
	via      []model.Via
	params   []field // parameter values passed to the job
	matrix   *matrix // nil without `matrix:`
	pre      []field // pre-steps
	post     []field // post-steps
	contexts []contextRef
	requires []string // as written
	// requiresPos is the position of the `requires:` value.
	requiresPos model.Pos
	// isApproval is true for `type: approval` entries, which run nothing.
	isApproval bool
	// filters are the entry's `filters:` as written ("branches.only=main").
	filters []string
	// guard is the branch-filter guard the entry's own filters make, if they keep builds
	// of forked pull requests out.
	guard *model.Guard
	// condition is the workflow's `when:`/`unless:`, shared by all its entries.
	condition *model.Condition
}

// displayName is the job name a workflow entry gives, before matrix expansion.
func (inv *invocation) displayName() string {
	if inv.name != "" {
		return inv.name
	}
	return inv.ref
}

// contextRef is one context named by a workflow entry.
type contextRef struct {
	name string
	pos  model.Pos
}

// instance is one job a workflow entry runs: the entry itself, or one combination of
// its matrix's values.
type instance struct {
	inv *invocation
	// display is the job's name in its workflow, as CircleCI names it (`test-3.11` for a
	// matrix combination); id is that name made unique within the file.
	display, id string
	// values holds, for each parameter of inv.matrix in the same order, the values this
	// instance takes: one for a combination, all of them for the instance that stands
	// for the combinations beyond maxMatrixJobs. It is nil without a matrix.
	values [][]item
	// requires are the entry's requirements with matrix values filled in.
	requires []string
	needs    []string
	triggers []model.Trigger
	guards   []model.Guard
}

// workflowJobs is what the workflows say about jobs.
type workflowJobs struct {
	// instances are the jobs the workflows run, in file order (approvals left out).
	instances []*instance
	// runs holds the names of the local job definitions some instance runs.
	runs map[string]bool
}

// Keys of a workflow job entry that are not job parameters.
var reservedEntryKeys = map[string]bool{
	"requires": true, "name": true, "context": true, "filters": true, "matrix": true,
	"type": true, "pre-steps": true, "post-steps": true, "serial-group": true, "override-with": true,
}

// readWorkflows reads every workflow's job entries, contexts, filters, conditions and
// schedules into instances with unique IDs (ids), their requirements resolved.
func (p *parser) readWorkflows(n *yaml.Node, jobs map[string]definition, ids *idSet) workflowJobs {
	wf := workflowJobs{runs: map[string]bool{}}
	var groups [][]*instance
	var schedules [][]model.Trigger
	for _, w := range p.fields(n) {
		if p.scalar(w.value) != nil { // `version: 2` inside 2.0 workflows
			continue
		}
		wfFields := p.fields(w.value)
		sched := p.schedules(value(wfFields, "triggers"))
		p.out.Triggers = append(p.out.Triggers, sched...)
		cond := p.workflowCondition(wfFields)
		var group []*instance
		for _, it := range p.items(value(wfFields, "jobs")) {
			inv := p.invocation(w.key.Value, it)
			if inv == nil || !p.runnable(inv, jobs) {
				continue
			}
			inv.condition = cond
			group = append(group, p.instances(inv)...)
		}
		groups = append(groups, group)
		schedules = append(schedules, sched)
	}
	assignIDs(groups, ids)
	for i, group := range groups {
		link(group, schedules[i])
		for _, inst := range group {
			if inst.inv.isApproval {
				continue
			}
			wf.instances = append(wf.instances, inst)
			if _, local := jobs[inst.inv.ref]; local {
				wf.runs[inst.inv.ref] = true
			}
		}
	}
	return wf
}

// runnable reports whether an entry names something the parser can model: a local job,
// an orb job, or an approval. Anything else is recorded as unresolved.
func (p *parser) runnable(inv *invocation, jobs map[string]definition) bool {
	if inv.isApproval {
		return true
	}
	if _, local := jobs[inv.ref]; local {
		return true
	}
	if alias, _, ok := strings.Cut(inv.ref, "/"); ok {
		if _, known := p.orbs[alias]; !known {
			p.unresolved("orb", alias, "orb "+alias+" is used by a workflow but not declared under orbs:", inv.pos)
		}
		return true
	}
	p.unresolved("job", inv.ref, "job "+inv.ref+" is run by workflow "+inv.workflow+" but not defined in this file", inv.pos)
	return false
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
	if inv.ref == "" {
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
			inv.requiresPos = p.src.Pos(p.derefNode(f.value))
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
			inv.matrix = p.readMatrix(f, inv.ref)
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
	inv.guard = p.branchGuard(filters)
	return inv
}

// derefNode follows the aliases of n and returns the node they lead to.
func (p *parser) derefNode(n *yaml.Node) *yaml.Node {
	v, _ := p.deref(n)
	return v
}

// workflowCondition reads a workflow's `when:` or `unless:`, which decides whether any
// of its jobs run.
func (p *parser) workflowCondition(fs []field) *model.Condition {
	for _, f := range fs {
		if f.key.Value == "when" || f.key.Value == "unless" {
			return p.condition(f.value, f.key)
		}
	}
	return nil
}

// idSet hands out job IDs that are unique within the file: an ID already taken gets a
// `#2`, `#3`, … suffix.
type idSet struct {
	taken map[string]bool
	next  map[string]int // the next suffix to try for an ID
}

func newIDSet() *idSet {
	return &idSet{taken: map[string]bool{}, next: map[string]int{}}
}

// claim returns id, or id with the first free suffix, and marks it taken.
func (s *idSet) claim(id string) string {
	if !s.taken[id] {
		s.taken[id] = true
		return id
	}
	n := max(s.next[id], 2)
	for s.taken[id+"#"+strconv.Itoa(n)] {
		n++
	}
	s.next[id] = n + 1
	out := id + "#" + strconv.Itoa(n)
	s.taken[out] = true
	return out
}

// assignIDs gives every job instance its ID: its display name, prefixed with its
// workflow's name (`nightly/test`) when several workflows run a job of that name, then
// made unique.
func assignIDs(groups [][]*instance, ids *idSet) {
	firstWorkflow := map[string]string{}
	shared := map[string]bool{}
	for _, group := range groups {
		for _, inst := range group {
			if inst.inv.isApproval {
				continue
			}
			wf, seen := firstWorkflow[inst.display]
			if !seen {
				firstWorkflow[inst.display] = inst.inv.workflow
			} else if wf != inst.inv.workflow {
				shared[inst.display] = true
			}
		}
	}
	for _, group := range groups {
		for _, inst := range group {
			if inst.inv.isApproval {
				continue
			}
			id := inst.display
			if shared[id] {
				id = inst.inv.workflow + "/" + id
			}
			inst.id = ids.claim(id)
		}
	}
}

// claimJob counts one more workflow job or job definition for the file. Past maxJobs it
// records a parse error (once) and reports false.
func (p *parser) claimJob(pos model.Pos) bool {
	if p.jobCount < maxJobs {
		p.jobCount++
		return true
	}
	if !p.jobLimitReported {
		p.jobLimitReported = true
		p.errorAt(pos, "job limit reached: more than "+strconv.Itoa(maxJobs)+" jobs after workflow and matrix expansion; the rest is not analysed")
	}
	return false
}

// requirements resolves the `requires:` of one workflow's instances by name (a job's
// display name, or a matrix's alias for all of its jobs).
type requirements struct {
	byName map[string][]*instance
	// restricted memoizes isRestricted: 1 while being decided, 2 no, 3 yes.
	restricted map[*instance]int8
	// approval memoizes approvalFor (nil while being decided or when there is none).
	approval map[*instance]*instance
}

// link resolves the requirements of one workflow's instances into Needs, and decides
// their triggers and guards. In a scheduled workflow the schedules start every job.
// Otherwise a job restricted to trusted branches (isRestricted) runs on pushes there;
// any other job runs for pull-request branches too, forks included when the project
// builds forked pull requests.
func link(group []*instance, schedules []model.Trigger) {
	r := &requirements{byName: map[string][]*instance{}, restricted: map[*instance]int8{}, approval: map[*instance]*instance{}}
	for _, inst := range group {
		r.byName[inst.display] = append(r.byName[inst.display], inst)
		if m := inst.inv.matrix; m != nil && m.alias != inst.display {
			r.byName[m.alias] = append(r.byName[m.alias], inst)
		}
	}
	for _, inst := range group {
		if inst.inv.isApproval {
			continue
		}
		inv := inst.inv
		inst.needs = r.needs(inst)
		restricted := r.isRestricted(inst)
		inherited := restricted && inv.guard == nil
		filters := inv.filters
		if inherited {
			filters = append(append([]string(nil), filters...), "requires="+strings.Join(inst.requires, ","))
		}
		switch {
		case len(schedules) > 0:
			inst.triggers = schedules
		case restricted:
			inst.triggers = []model.Trigger{{Event: "push", Trust: model.TrustTrusted, Secrets: true, Filters: filters, Pos: inv.pos}}
		default:
			inst.triggers = untrustedTriggers(inv.pos, filters)
		}
		if inv.guard != nil {
			inst.guards = append(inst.guards, *inv.guard)
		}
		if inherited {
			inst.guards = append(inst.guards, model.Guard{Kind: model.GuardBranchFilter, Detail: "requires: " + strings.Join(inst.requires, ", "), Pos: inv.requiresPos})
		}
		if a := r.approvalFor(inst); a != nil {
			inst.guards = append(inst.guards, model.Guard{Kind: model.GuardActor, Detail: "approval: " + a.display, Pos: a.inv.pos})
		}
	}
}

// needs returns the IDs of the jobs inst requires; a requirement that names no job (an
// approval, a job of another file) stays as written.
func (r *requirements) needs(inst *instance) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, name := range inst.requires {
		deps := r.byName[name]
		if len(deps) == 0 {
			add(name)
		}
		for _, d := range deps {
			if d.inv.isApproval {
				add(name)
			} else {
				add(d.id)
			}
		}
	}
	return out
}

// isRestricted reports whether inst runs only on trusted branches: its own filters keep
// forks out, or everything it requires is restricted (a job runs only after what it
// requires). A requirement that names no entry, and a cycle, count as unrestricted. The
// recursion is bounded by the number of instances (maxJobs).
func (r *requirements) isRestricted(inst *instance) bool {
	switch r.restricted[inst] {
	case 1, 2:
		return false
	case 3:
		return true
	}
	if inst.inv.guard != nil {
		r.restricted[inst] = 3
		return true
	}
	r.restricted[inst] = 1
	ok := len(inst.requires) > 0
	for _, name := range inst.requires {
		deps := r.byName[name]
		ok = ok && len(deps) > 0
		for _, d := range deps {
			ok = ok && r.isRestricted(d)
		}
		if !ok {
			break
		}
	}
	r.restricted[inst] = 2
	if ok {
		r.restricted[inst] = 3
	}
	return ok
}

// approvalFor returns the approval entry that inst waits for, directly or through what
// it requires, or nil. Approving takes write access to the project.
func (r *requirements) approvalFor(inst *instance) *instance {
	if a, decided := r.approval[inst]; decided {
		return a
	}
	r.approval[inst] = nil
	for _, name := range inst.requires {
		for _, d := range r.byName[name] {
			a := d
			if !d.inv.isApproval {
				a = r.approvalFor(d)
			}
			if a != nil {
				r.approval[inst] = a
				return a
			}
		}
	}
	return nil
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
		out = append(out, model.Trigger{Event: "schedule", Trust: model.TrustInternal, Secrets: true, Filters: filters, Pos: p.src.Pos(sched.key)})
	}
	return out
}

// untrustedTriggers are the triggers of a job that any branch push starts, pull-request
// branches included. Both get secrets (see the package documentation).
func untrustedTriggers(pos model.Pos, filters []string) []model.Trigger {
	return []model.Trigger{
		{Event: "push", Trust: model.TrustTrusted, Secrets: true, Filters: filters, Pos: pos},
		{Event: "pull_request", Trust: model.TrustUntrusted, Secrets: true, Filters: filters, Pos: pos},
	}
}

// filterStrings renders filters as written: "branches.only=main", "tags.only=/^v.*/".
func (p *parser) filterStrings(filters *yaml.Node) []string {
	var out []string
	for _, kind := range p.fields(filters) {
		for _, rule := range p.fields(kind.value) {
			for _, v := range p.patterns(rule.value) {
				out = append(out, kind.key.Value+"."+rule.key.Value+"="+v.Value)
			}
		}
	}
	return out
}

// patterns returns the branch or tag patterns of an only/ignore value (one or a list).
func (p *parser) patterns(n *yaml.Node) []*yaml.Node {
	if s := p.scalar(n); s != nil {
		p.consumed[s] = true
		return []*yaml.Node{s}
	}
	var out []*yaml.Node
	for _, it := range p.items(n) {
		if s := p.scalar(it.node); s != nil {
			p.consumed[s] = true
			out = append(out, s)
		}
	}
	return out
}

// forkBranch is a branch name as CircleCI gives it to builds of forked pull requests
// (`pull/<number>`).
const forkBranch = "pull/123"

// maxPatternBytes bounds the branch regular expressions the parser compiles.
const maxPatternBytes = 1024

// branchGuard returns the guard that an entry's `filters:` make, or nil when they let
// builds of forked pull requests (branch `pull/N`) run the job: a `branches.only` none of
// whose patterns matches `pull/N`, or a `branches.ignore` pattern that matches it
// (`/pull\/.*/`, or `/.*/` in a job that only runs for tags). A regular expression
// that Go cannot read is assumed to let forks in.
func (p *parser) branchGuard(filters *yaml.Node) *model.Guard {
	branches := p.fields(value(p.fields(filters), "branches"))
	if only, ok := get(branches, "only"); ok {
		pats := p.patterns(only.value)
		if len(pats) == 0 {
			return nil
		}
		values := make([]string, len(pats))
		for i, pat := range pats {
			if match, known := p.branchMatch(pat.Value, forkBranch); match || !known {
				return nil
			}
			values[i] = pat.Value
		}
		at := p.derefNode(only.value)
		if len(pats) == 1 {
			at = pats[0]
		}
		return &model.Guard{Kind: model.GuardBranchFilter, Detail: "branches.only=" + strings.Join(values, ","), Pos: p.src.Pos(at)}
	}
	if ignore, ok := get(branches, "ignore"); ok {
		for _, pat := range p.patterns(ignore.value) {
			if match, known := p.branchMatch(pat.Value, forkBranch); match && known {
				return &model.Guard{Kind: model.GuardBranchFilter, Detail: "branches.ignore=" + pat.Value, Pos: p.src.Pos(pat)}
			}
		}
	}
	return nil
}

// branchMatch reports whether a CircleCI branch pattern matches branch: a `/regex/`
// must match the whole name, anything else is the name itself. known is false for a
// regular expression Go cannot read (Java-only syntax such as look-arounds) or one
// longer than maxPatternBytes.
func (p *parser) branchMatch(pattern, branch string) (match, known bool) {
	if len(pattern) < 2 || pattern[0] != '/' || pattern[len(pattern)-1] != '/' {
		return pattern == branch, true
	}
	re, cached := p.branchPatterns[pattern]
	if !cached {
		if len(pattern) <= maxPatternBytes {
			re, _ = regexp.Compile(`^(?:` + pattern[1:len(pattern)-1] + `)$`)
		}
		p.branchPatterns[pattern] = re
	}
	if re == nil {
		return false, false
	}
	return re.MatchString(branch), true
}
