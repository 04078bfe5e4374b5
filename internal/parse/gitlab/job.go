package gitlab

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/analyze"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
	"github.com/pipeguard/pipeguard/internal/script"
	"github.com/pipeguard/pipeguard/internal/secrets"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// scriptSections are the job keys that hold shell scripts, in the order they run.
var scriptSections = []string{"before_script", "script", "after_script"}

// build turns the resolved configuration into the pipeline's model.
func (p *parser) build(r *resolver) {
	config := r.config
	at := config.pos()
	if at.IsZero() {
		at = model.Point(1, 1)
	}
	if name := config.get("workflow").get("name"); name.isScalar() {
		p.pipeline.Name = name.value
	}
	var refs refCollector
	p.refs = &refs
	p.pipeline.Env = p.vars(config.get("variables"))
	defined := definedNames(p.pipeline.Env)

	global := newVariableSet(config.get("variables"))
	var jobNodes []*node
	var jobFields []field
	var jobVars []*variableSet
	for _, fl := range config.fields {
		if isJob(fl.key, fl.value) {
			jobNodes = append(jobNodes, fl.value)
			jobFields = append(jobFields, fl)
			jobVars = append(jobVars, newVariableSet(config.get("variables"), fl.value.get("variables")))
		}
	}
	p.pipeline.Triggers = pipelineTriggers(config, jobNodes, jobVars, global, at, p.mentions("external_pull_request"), p.conditions)
	var secretRefs refSet
	secretRefs.add(refs.secretRefs(func(name string) bool { return defined[name] })...)
	workflowGuards := p.workflowGuards(config, global)

	for i, fl := range jobFields {
		if p.budget.Exceeded() {
			break // the model is dropped: see Parse
		}
		job := p.job(fl, jobVars[i], r.incomplete[fl.key], defined, workflowGuards)
		p.budget.Spend(&job)
		secretRefs.add(job.Secrets...)
		p.pipeline.Jobs = append(p.pipeline.Jobs, job)
	}
	p.pipeline.Secrets = secretRefs.list
	p.refs = nil
}

// mentions reports whether any file read contains word.
func (p *parser) mentions(word string) bool {
	for _, f := range p.files {
		if bytes.Contains(f.data, []byte(word)) {
			return true
		}
	}
	return false
}

// job builds one job from its resolved entry, whose rules see the variables vars;
// workflowGuards are the guards of workflow:rules, which hold for every job.
func (p *parser) job(fl field, vars *variableSet, incomplete bool, globalNames map[string]bool, workflowGuards []model.Guard) model.Job {
	n := fl.value
	var refs refCollector
	p.refs = &refs
	job := model.Job{
		ID:         fl.key,
		Pos:        fl.keyPos(),
		Incomplete: incomplete,
		Via:        n.hops(),
		Env:        p.vars(n.get("variables")),
	}
	for _, need := range n.get("needs").list() {
		switch {
		case need.isScalar():
			job.Needs = append(job.Needs, need.value)
		case need.get("job").isScalar():
			job.Needs = append(job.Needs, need.get("job").value)
		}
	}
	job.Environment = environment(n.get("environment"))
	job.Runner = p.runner(n, job.Pos, append(append([]model.Var{}, p.pipeline.Env...), job.Env...))
	job.Artifacts = p.artifacts(n.field("artifacts"))
	job.Steps = p.steps(n, shellOf(job.Runner.Labels))
	job.Triggers = jobTriggers(n, vars, p.pipeline.Triggers, job.Pos, p.conditions)
	job.Condition = p.condition(n)
	job.Guards = append(slices.Clip(workflowGuards), p.jobGuards(n, vars)...)
	job.Credentials, job.Secrets = credentials(n)

	own := definedNames(job.Env)
	var secretRefs refSet
	secretRefs.add(job.Secrets...)
	secretRefs.add(refs.secretRefs(func(name string) bool { return own[name] || globalNames[name] })...)
	job.Secrets = secretRefs.list
	p.refs = nil
	return job
}

// environment reads `environment: name` or `environment: {name, url}`.
func environment(n *node) *model.Environment {
	switch {
	case n.isScalar():
		return &model.Environment{Name: n.value, Pos: n.pos()}
	case n.isMap():
		env := &model.Environment{Pos: n.pos()}
		if name := n.get("name"); name.isScalar() {
			env.Name, env.Pos = name.value, name.pos()
		}
		if url := n.get("url"); url.isScalar() {
			env.URL = url.value
		}
		return env
	}
	return nil
}

// vars reads a variables: mapping; each value is `K: v` or `K: {value: v, …}`.
func (p *parser) vars(n *node) []model.Var {
	if !n.isMap() {
		return nil
	}
	out := make([]model.Var, 0, len(n.fields))
	for _, fl := range n.fields {
		v := fl.value
		valueNode := v
		if v.isMap() {
			valueNode = v.get("value")
		}
		mv := model.Var{Name: fl.key, Pos: fl.keyPos(), Via: v.hops()}
		switch {
		case valueNode.isScalar():
			mv.Value = p.text(fl.key, valueNode)
		default:
			mv.Value = emptyText(fl.keyPos())
		}
		if name, ok := exactReference(mv.Value.Value); ok && secrets.IsCredentialName(name) {
			mv.SecretRef = &model.SecretRef{Kind: model.SecretGitLab, Name: name, Pos: mv.Value.Pos}
		}
		out = append(out, mv)
	}
	return out
}

// emptyText is the Text of a value that is absent, placed at pos.
func emptyText(pos model.Pos) model.Text {
	var b textpos.Builder
	b.Decoded("", pos.Line, pos.Col, pos.Col)
	t := analyze.Text("", "", b.Map(), dialect)
	t.Pos.File = pos.File
	return t
}

// text builds the model Text of scalar n, the value of key, in its own file.
func (p *parser) text(key string, n *node) model.Text {
	value, m := p.scalar(n.f, n.yn)
	if n.tag == "!!null" {
		value = ""
	}
	p.consumed[n.yn] = true
	if p.refs != nil {
		p.refs.scan(value, m, n.f.report)
	}
	t := analyze.Text(key, value, m, dialect)
	if t.Pos.IsZero() {
		t.Pos = n.pos() // an empty value: where it is written
	}
	setFile(&t, n.f.report)
	settleInputs(&t, n.f)
	return t
}

// runner decides where the job runs: tags (looked up in the configured isolation map),
// GitLab.com hosted-runner tags, image and services.
func (p *parser) runner(n *node, jobPos model.Pos, env []model.Var) model.Runner {
	r := model.Runner{Kind: model.RunnerUnknown, Isolation: model.IsolationUnknown, Pos: jobPos}
	tags := n.field("tags")
	if tags != nil {
		r.Pos = tags.keyPos()
		for _, t := range scalarList(tags.value) {
			r.Labels = append(r.Labels, t.value)
		}
	}
	if image := n.field("image"); image != nil {
		r.Image = imageName(image.value)
		r.Kind = model.RunnerContainer
		if tags == nil {
			r.Pos = image.keyPos()
		}
	}
	// Docker-in-Docker needs a privileged service, and DOCKER_HOST points the job at a
	// Docker daemon: either way the job can reach beyond its container.
	var escapes isolation.Escapes
	if services := n.get("services"); services.isSeq() {
		for _, s := range services.items {
			svc := p.service(s)
			r.Services = append(r.Services, svc)
			if strings.Contains(svc.Image, "dind") {
				escapes.Privileged = true
				escapes.Found = append(escapes.Found, "services: "+svc.Image)
			}
		}
	}
	for _, v := range env {
		if v.Name == "DOCKER_HOST" {
			escapes.Privileged = true
			escapes.Found = append(escapes.Found, "DOCKER_HOST")
		}
	}

	hosted := false
	for _, tag := range r.Labels {
		if strings.HasPrefix(tag, "saas-") {
			hosted = true
		}
	}
	iso, configured := p.in.RunnerIsolation.Lookup(r.Labels)
	if !configured {
		iso, configured = p.in.RunnerIsolation.Lookup([]string{"*"})
	}
	switch {
	case hosted:
		r.Kind = model.RunnerHosted
		r.Isolation = model.IsolationEphemeral
	case len(r.Labels) > 0 && r.Kind == model.RunnerUnknown:
		r.Kind = model.RunnerSelfHosted
	}
	if configured {
		r.Isolation = iso
	}
	escapes.Apply(&r)
	return r
}

// imageName reads `image: name` or `image: {name: …}`.
func imageName(n *node) string {
	if n.isMap() {
		n = n.get("name")
	}
	if n.isScalar() {
		return n.value
	}
	return ""
}

// service reads one services: entry.
func (p *parser) service(n *node) model.Service {
	svc := model.Service{Image: imageName(n), Pos: n.pos()}
	svc.Name = svc.Image
	if n.isMap() {
		if alias := n.get("alias"); alias.isScalar() {
			svc.Name = alias.value
		}
		svc.Env = p.vars(n.get("variables"))
	}
	return svc
}

// artifacts reads the job's artifacts: as resolved: its own block deep-merged with those
// of its extends chain, or the `default:` block when the job has none of its own (a
// default is replaced, not merged). So ExpireIn is exactly the expire_in GitLab applies;
// without one the instance's default expiry applies.
func (p *parser) artifacts(fl *field) []model.Artifact {
	if fl == nil || !fl.value.isMap() {
		return nil
	}
	n := fl.value
	a := model.Artifact{Kind: model.ArtifactGitLab, Pos: fl.keyPos()}
	if name := n.get("name"); name.isScalar() {
		a.Name = name.value
	}
	for _, path := range scalarList(n.get("paths")) {
		a.Paths = append(a.Paths, path.value)
		a.PathPos = append(a.PathPos, path.pos())
	}
	a.Untracked, _ = boolValue(n.get("untracked"))
	a.ReportsOnly = n.get("reports").isMap() && len(a.Paths) == 0 && !a.Untracked
	if expire := n.get("expire_in"); expire.isScalar() {
		t := p.text("expire_in", expire)
		a.ExpireIn = &t
	}
	return []model.Artifact{a}
}

// credentials reads secrets: (external secret managers) and id_tokens: (OIDC).
func credentials(n *node) ([]model.Credential, []model.SecretRef) {
	var creds []model.Credential
	var refs []model.SecretRef
	if secrets := n.get("secrets"); secrets.isMap() {
		for _, fl := range secrets.fields {
			pos := fl.keyPos()
			cred := model.Credential{Kind: "gitlab-secret", ID: fl.key, Vars: []string{fl.key}, Files: []string{fl.key}, Pos: pos}
			if file := fl.value.get("file"); file != nil {
				if asFile, ok := boolValue(file); ok && !asFile {
					at := file.pos()
					cred.NotFile, cred.Files = &at, nil
				}
			}
			creds = append(creds, cred)
			kind := model.SecretGitLab
			for _, provider := range []string{"vault", "gcp_secret_manager", "azure_key_vault", "aws_secrets_manager", "akeyless"} {
				if fl.value.get(provider) != nil {
					kind = model.SecretVault
				}
			}
			refs = append(refs, model.SecretRef{Kind: kind, Name: fl.key, Pos: pos})
		}
	}
	if tokens := n.get("id_tokens"); tokens.isMap() {
		for _, fl := range tokens.fields {
			pos := fl.keyPos()
			creds = append(creds, model.Credential{Kind: "id-token", ID: fl.key, Vars: []string{fl.key}, Pos: pos})
			refs = append(refs, model.SecretRef{Kind: model.SecretOIDC, Name: fl.key, Pos: pos})
		}
	}
	return creds, refs
}

// steps builds the job's script steps: hooks:pre_get_sources_script, before_script,
// script, after_script. A section whose lines come from different files or through
// different hops (a !reference line among the job's own) becomes one step per run of
// lines that share file and hops, so that every line keeps its exact position.
func (p *parser) steps(job *node, shell string) []model.Step {
	var out []model.Step
	type section struct {
		name string
		fl   *field
	}
	sections := []section{{"pre_get_sources_script", job.get("hooks").field("pre_get_sources_script")}}
	for _, name := range scriptSections {
		sections = append(sections, section{name, job.field(name)})
	}
	for _, s := range sections {
		if s.fl == nil {
			continue
		}
		lines := scalarList(s.fl.value)
		for i, group := range groupLines(lines) {
			step := p.scriptStep(s.name, group, shell)
			step.Pos = s.fl.keyPos()
			if i > 0 {
				step.ID = fmt.Sprintf("%s.%d", s.name, i+1)
			}
			out = append(out, step)
		}
	}
	return out
}

// runKey identifies the analysis of lines under shell: a template's script used by
// many jobs is analysed once and its Run shared (the model is read-only downstream).
func runKey(shell string, lines []*node) string {
	var b strings.Builder
	b.WriteString(shell)
	for _, l := range lines {
		fmt.Fprintf(&b, "|%p", l.yn)
	}
	return b.String()
}

// scalar returns the decoded value of y in f and its map, computed once per node.
func (p *parser) scalar(f *file, y *yaml.Node) (string, *textpos.Map) {
	if m, ok := p.maps[y]; ok {
		return y.Value, m
	}
	value, m := f.src.Scalar(y)
	p.maps[y] = m
	return value, m
}

// shellOf returns the shell of a job's scripts: PowerShell on Windows runners (a tag
// that says windows), the platform default (a POSIX shell) otherwise.
func shellOf(tags []string) string {
	for _, t := range tags {
		if strings.Contains(strings.ToLower(t), "windows") {
			return "pwsh"
		}
	}
	return ""
}

// groupLines splits script lines into runs that share file and via chain.
func groupLines(lines []*node) [][]*node {
	var out [][]*node
	for i, line := range lines {
		if i == 0 || line.f != lines[i-1].f || !sameVia(line.hops(), lines[i-1].hops()) {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], line)
	}
	return out
}

// sameVia reports whether two via chains are the same hops: the same kinds and names,
// written at the same places.
func sameVia(a, b []model.Via) bool {
	return slices.EqualFunc(a, b, func(x, y model.Via) bool {
		return x.Kind == y.Kind && x.Name == y.Name && x.Pos.File == y.Pos.File && x.Pos.Line == y.Pos.Line && x.Pos.Col == y.Pos.Col
	})
}

// scriptStep analyses lines, all from one file, as one shell script: the lines joined
// by newlines, each keeping its own exact map.
func (p *parser) scriptStep(name string, lines []*node, shell string) model.Step {
	var b textpos.Builder
	f := lines[0].f
	for i, line := range lines {
		value, m := p.scalar(f, line.yn)
		if i > 0 {
			end := b.Map().Pos(len(b.String()), len(b.String()))
			if end.IsZero() { // the lines so far are empty: the newline follows the last one
				end = f.src.Pos(lines[i-1].yn)
				end.Line, end.Col = end.EndLine, end.EndCol
			}
			b.Decoded("\n", end.Line, end.Col, end.Col+1)
		}
		b.Mapped(value, m, 0, len(value))
		p.consumed[line.yn] = true
	}
	text, m := b.String(), b.Map()
	if p.refs != nil {
		p.refs.scan(text, m, f.report)
	}
	key := runKey(shell, lines)
	run, ok := p.runs[key]
	if !ok {
		var errs []model.ParseError
		run, errs = analyze.Run(script.Source{Text: text, Map: m, Shell: shell, Dialect: dialect})
		setFile(run, f.report)
		settleInputs(run, f)
		for _, e := range errs {
			setFile(&e, f.report)
			p.addError(e)
		}
		p.runs[key] = run
	}
	return model.Step{
		Kind:   model.StepRun,
		Name:   name,
		ID:     name,
		Run:    run,
		Always: name == "after_script",
		Via:    lines[0].hops(),
	}
}
