package jenkins

import (
	"regexp"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/groovy"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
)

// agent is where steps run. A nil *agent is unknown (`agent none`, code outside any
// node). Each agent block has its own identity, so steps under different blocks of one
// stage go to different jobs.
type agent struct {
	runner model.Runner
	// kind names the block ("node", "inside", "docker", "kubernetes", …); it suffixes
	// the ID of a stage's second job.
	kind string
}

// model returns the runner of a job on a.
func (a *agent) model() model.Runner {
	if a == nil {
		return model.Runner{Kind: model.RunnerUnknown, Isolation: model.IsolationUnknown}
	}
	return a.runner
}

func (a *agent) suffix() string {
	if a == nil {
		return "no-agent"
	}
	return a.kind
}

// labelAgent is a Jenkins node chosen by label: a persistent, shared machine unless
// configuration says otherwise.
func (p *parser) labelAgent(kind string, labels []string, pos model.Pos) *agent {
	return &agent{kind: kind, runner: model.Runner{
		Kind:      model.RunnerSelfHosted,
		Isolation: p.labelIsolation(labels),
		Labels:    labels,
		Pos:       pos,
	}}
}

// labelIsolation looks the label expressions up in the configured map (each label of an
// expression too); unmapped labels are not isolated.
func (p *parser) labelIsolation(labels []string) string {
	if iso, ok := p.in.RunnerIsolation.Lookup(labels); ok {
		return iso
	}
	return model.IsolationNone
}

// containerAgent is a container the steps run in: isolated, unless escapes undo it.
func containerAgent(kind, image string, escapes isolation.Escapes, pos model.Pos) *agent {
	r := model.Runner{
		Kind:      model.RunnerContainer,
		Isolation: model.IsolationIsolated,
		Image:     image,
		Pos:       pos,
	}
	escapes.Apply(&r)
	return &agent{kind: kind, runner: r}
}

// podImage finds the first container image of a Kubernetes pod spec.
var podImage = regexp.MustCompile(`\bimage["']?\s*:\s*["']?([^\s"',}]+)`)

// podOption reads a podTemplate or kubernetes agent option that undoes the pod's
// isolation (`privileged true`, `hostNetwork true`), as written in name and value.
func podOption(name string, v groovy.Expr) isolation.Escapes {
	if !isTrue(v) {
		return isolation.Escapes{}
	}
	switch name {
	case "privileged":
		return isolation.Escapes{Privileged: true, Found: []string{name + ": true"}}
	case "hostNetwork":
		return isolation.Escapes{HostNamespace: true, Found: []string{name + ": true"}}
	}
	return isolation.Escapes{}
}

// declAgent reads a declarative `agent …` directive; the strings it does not use are
// kept as values.
func (p *parser) declAgent(c *groovy.Call, sc *scope) *agent {
	head := p.headPos(c)
	var a *agent
	for _, arg := range c.Args {
		switch {
		case arg.Name == "" && isIdent(arg.Value, "any"):
			a = p.labelAgent("node", nil, head)
		case arg.Name == "" && isIdent(arg.Value, "none"):
			a = nil
		case arg.Name == "label":
			a = p.labelAgent("node", p.labels(arg.Value), head)
		case arg.Name == "docker":
			a = containerAgent("docker", p.str(arg.Value), isolation.Escapes{}, head)
		}
	}
	if c.Closure != nil {
		a = p.agentBlock(c.Closure.Body, head)
	}
	p.configuration(c, sc)
	return a
}

// agentBlock reads the body of `agent { … }`.
func (p *parser) agentBlock(body []groovy.Stmt, head model.Pos) *agent {
	var a *agent
	for _, s := range body {
		c := stmtCall(s)
		if c == nil {
			continue
		}
		switch c.Name() {
		case "label":
			a = p.labelAgent("node", p.firstLabels(c), head)
		case "node":
			var labels []string
			if c.Closure != nil {
				for _, in := range c.Closure.Body {
					if lc := stmtCall(in); lc != nil && lc.Name() == "label" {
						labels = p.firstLabels(lc)
					}
				}
			}
			a = p.labelAgent("node", labels, head)
		case "docker", "dockerfile":
			a = p.dockerAgent(c, head)
		case "kubernetes":
			a = p.kubernetesAgent(c, head)
		}
	}
	return a
}

// dockerAgent reads `docker 'image'`, `docker { image …; args …; registryCredentialsId … }`,
// `dockerfile true` and `dockerfile { filename …; args … }`. The registry credential is a
// Runner credential.
func (p *parser) dockerAgent(c *groovy.Call, head model.Pos) *agent {
	image := ""
	if c.Name() == "dockerfile" {
		image = "Dockerfile"
	}
	var esc isolation.Escapes
	var registry []model.Var
	for _, a := range c.Args {
		if s, ok := a.Value.(*groovy.String); ok && (a.Name == "" || a.Name == "image") {
			image = p.str(s)
		}
	}
	if c.Closure != nil {
		for _, s := range c.Closure.Body {
			opt := stmtCall(s)
			if opt == nil || len(opt.Args) == 0 {
				continue
			}
			switch opt.Name() {
			case "image", "filename":
				image = p.str(opt.Args[0].Value)
			case "args":
				if s, ok := opt.Args[0].Value.(*groovy.String); ok {
					esc.Merge(isolation.DockerArgs(s.Value))
				}
			case "registryCredentialsId":
				if s, ok := opt.Args[0].Value.(*groovy.String); ok {
					p.consumed[s] = true
					ref := model.SecretRef{Kind: model.SecretJenkins, Name: s.Value, Pos: s.Pos}
					p.pipe.Secrets = append(p.pipe.Secrets, ref)
					registry = append(registry, model.Var{Name: opt.Name(), Pos: opt.Callee.Span(), Value: model.Text{Value: s.Value, Pos: s.Pos, Literal: true}, SecretRef: &ref})
				}
			}
		}
	}
	a := containerAgent(c.Name(), image, esc, head)
	a.runner.Credentials = registry
	return a
}

// kubernetesAgent reads `kubernetes { yaml …; containerTemplate { … } }`.
func (p *parser) kubernetesAgent(c *groovy.Call, head model.Pos) *agent {
	image := ""
	var esc isolation.Escapes
	var scan func(body []groovy.Stmt)
	scan = func(body []groovy.Stmt) {
		for _, s := range body {
			opt := stmtCall(s)
			if opt == nil {
				continue
			}
			if opt.Closure != nil {
				scan(opt.Closure.Body)
			}
			if len(opt.Args) == 0 {
				continue
			}
			v := opt.Args[0].Value
			switch opt.Name() {
			case "yaml":
				if s, ok := v.(*groovy.String); ok {
					esc.Merge(isolation.PodSpec(s.Value))
					if m := podImage.FindStringSubmatch(s.Value); m != nil && image == "" {
						image = m[1]
					}
				}
			case "image":
				if image == "" {
					image = p.str(v)
				}
			case "privileged", "hostNetwork":
				esc.Merge(podOption(opt.Name(), v))
			}
		}
	}
	if c.Closure != nil {
		scan(c.Closure.Body)
	}
	return containerAgent("kubernetes", image, esc, head)
}

func isTrue(e groovy.Expr) bool {
	l, ok := e.(*groovy.Literal)
	return ok && l.Kind == groovy.LitBool && l.Raw == "true"
}

// firstLabels returns the labels of a call's first argument.
func (p *parser) firstLabels(c *groovy.Call) []string {
	if len(c.Args) == 0 {
		return nil
	}
	return p.labels(c.Args[0].Value)
}

// labels returns a label expression as a one-element list (empty for `”`).
func (p *parser) labels(e groovy.Expr) []string {
	if l := p.str(e); l != "" {
		return []string{l}
	}
	return nil
}

// str returns a string literal's value (marking it consumed), or the expression as
// written.
func (p *parser) str(e groovy.Expr) string {
	if s, ok := e.(*groovy.String); ok {
		p.consumed[s] = true
		return s.Value
	}
	if e == nil {
		return ""
	}
	return p.source(e.Span())
}

// node walks a scripted `node(label) { … }`; inside podTemplate it is the pod.
func (p *parser) node(c *groovy.Call, sc *scope) {
	a := sc.pod
	if a == nil {
		var labels []string
		for _, arg := range c.Args {
			if arg.Name == "" || arg.Name == "label" {
				labels = p.labels(arg.Value)
				break
			}
		}
		a = p.labelAgent("node", labels, p.headPos(c))
	}
	nsc := *sc
	nsc.agent = a
	p.args(c.Args, "", &nsc)
	p.stmts(c.Closure.Body, &nsc)
}

// inside walks `docker.image('x').inside('args') { … }` (and `img.inside`, or
// `docker.build(…).inside`).
func (p *parser) inside(c *groovy.Call, sc *scope) {
	image := ""
	if m, ok := c.Callee.(*groovy.Member); ok {
		switch x := m.X.(type) {
		case *groovy.Call:
			if path := x.Path(); (path == "docker.image" || path == "docker.build") && len(x.Args) > 0 {
				image = p.str(x.Args[0].Value)
			}
			p.args(x.Args, "", sc)
		default:
			image = p.source(x.Span())
		}
	}
	var esc isolation.Escapes
	if len(c.Args) > 0 {
		if s, ok := c.Args[0].Value.(*groovy.String); ok {
			esc = isolation.DockerArgs(s.Value)
		}
	}
	isc := *sc
	isc.agent = containerAgent("inside", image, esc, p.headPos(c))
	p.args(c.Args, "args", sc)
	p.stmts(c.Closure.Body, &isc)
}

// withDockerContainer walks `withDockerContainer(image: 'x', args: '…') { … }`.
func (p *parser) withDockerContainer(c *groovy.Call, sc *scope) {
	image, args := "", ""
	for i, a := range c.Args {
		switch {
		case a.Name == "image" || (a.Name == "" && i == 0):
			image = p.str(a.Value)
		case a.Name == "args":
			if s, ok := a.Value.(*groovy.String); ok {
				args = s.Value
			}
		}
	}
	isc := *sc
	isc.agent = containerAgent("inside", image, isolation.DockerArgs(args), p.headPos(c))
	p.args(c.Args, "", sc)
	if c.Closure != nil {
		p.stmts(c.Closure.Body, &isc)
	}
}

// podTemplate walks a scripted `podTemplate(…) { node(POD_LABEL) { … } }`: the nodes
// inside run in the pod it describes.
func (p *parser) podTemplate(c *groovy.Call, sc *scope) {
	image := ""
	var esc isolation.Escapes
	visit := func(n groovy.Node) bool {
		switch n := n.(type) {
		case *groovy.Closure:
			return false
		case *groovy.String:
			esc.Merge(isolation.PodSpec(n.Value))
		case *groovy.Call:
			for _, a := range n.Args {
				switch a.Name {
				case "image":
					if image == "" {
						image = p.str(a.Value)
					}
				case "privileged", "hostNetwork":
					esc.Merge(podOption(a.Name, a.Value))
				case "yaml":
					if s, ok := a.Value.(*groovy.String); ok && image == "" {
						if m := podImage.FindStringSubmatch(s.Value); m != nil {
							image = m[1]
						}
					}
				}
			}
		}
		return true
	}
	groovy.Inspect(c, visit)
	psc := *sc
	psc.pod = containerAgent("kubernetes", image, esc, p.headPos(c))
	csc := *sc
	csc.noSteps = true
	p.args(c.Args, "", &csc)
	if c.Closure != nil {
		p.stmts(c.Closure.Body, &psc)
	}
}
