package circleci

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// builtinSteps are CircleCI's own step types (run, when and unless are handled apart).
var builtinSteps = map[string]bool{
	"checkout": true, "setup_remote_docker": true, "save_cache": true, "restore_cache": true,
	"store_artifacts": true, "store_test_results": true, "persist_to_workspace": true,
	"attach_workspace": true, "add_ssh_keys": true,
}

// checkoutReason says whose code a `checkout` step fetches. The step checks out the
// commit the pipeline was started for; which code that is depends on the event (on a
// build of a forked pull request, the fork's), which the trigger says, not the step.
const checkoutReason = "checkout step: the pipeline's own commit — for builds of pull requests, the pull request's code"

// builtinStep builds a built-in step. Its arguments become With, read in the current
// scope (known parameter values filled in). `checkout` records a Checkout,
// `store_artifacts` and `persist_to_workspace` an Artifact, `add_ssh_keys` an ssh-agent
// credential of the job.
func (p *parser) builtinStep(ctx *expansion, name string, args *yaml.Node, pos model.Pos, via []model.Via) {
	step := model.Step{Kind: model.StepBuiltin, Name: name, Pos: pos, Via: via, Condition: ctx.cond}
	step.With = p.builtinArgs(ctx.scope, p.fields(args))
	if name == "checkout" {
		// The checkout key (a deploy or user SSH key) stays in ~/.ssh for the later
		// steps of the job.
		c := model.Checkout{Target: model.CheckoutBase, Reason: checkoutReason, PersistCredentials: true, Pos: pos}
		if dir, ok := withValue(step.With, "path"); ok {
			c.Path = dir.Value
		}
		step.Checkouts = []model.Checkout{c}
	}
	if !p.addStep(ctx, step) {
		return
	}
	switch name {
	case "store_artifacts", "persist_to_workspace":
		if a, ok := artifactOf(name, step.With, pos); ok {
			a.Step = model.StepLabel(step, len(ctx.job.Steps)-1)
			ctx.job.Artifacts = append(ctx.job.Artifacts, a)
		}
	case "add_ssh_keys":
		var prints []string
		for _, w := range step.With {
			if w.Name == "fingerprints" && w.Value.Value != "" {
				prints = append(prints, w.Value.Value)
			}
		}
		id := "all"
		if len(prints) > 0 {
			id = strings.Join(prints, ",")
		}
		ctx.job.Credentials = append(ctx.job.Credentials, model.Credential{Kind: "ssh-agent", ID: id, Pos: pos})
	}
}

// builtinArgs reads the arguments of a built-in step: one Var per scalar argument, and
// one per scalar element of a list argument (named by the argument, placed at the
// element).
func (p *parser) builtinArgs(sc *scope, fs []field) []model.Var {
	var out []model.Var
	for _, f := range fs {
		if p.scalar(f.value) != nil {
			out = append(out, model.Var{Name: f.key.Value, Pos: p.src.Pos(f.key), Value: p.textIn(sc, f.key.Value, f.value), Via: f.via})
			continue
		}
		for _, it := range p.items(f.value) {
			if it.node.Kind == yaml.ScalarNode {
				out = append(out, model.Var{Name: f.key.Value, Pos: p.src.Pos(it.node), Value: p.textIn(sc, f.key.Value, it.node), Via: it.via})
			}
		}
	}
	return out
}

// withValue returns the value of the first argument called name.
func withValue(with []model.Var, name string) (model.Text, bool) {
	for _, w := range with {
		if w.Name == name {
			return w.Value, true
		}
	}
	return model.Text{}, false
}

// artifactOf builds the Artifact of a store_artifacts step (its `path`, named by its
// `destination`) or a persist_to_workspace step (each of its `paths` under its `root`,
// joined as CircleCI joins them). ok is false when the step names no path.
func artifactOf(kind string, with []model.Var, pos model.Pos) (model.Artifact, bool) {
	a := model.Artifact{Kind: kind, Pos: pos}
	switch kind {
	case model.ArtifactCircleCIStore:
		if p, ok := withValue(with, "path"); ok && p.Value != "" {
			a.Paths, a.PathPos = []string{p.Value}, []model.Pos{p.Pos}
		}
		if d, ok := withValue(with, "destination"); ok {
			a.Name = d.Value
		}
	case model.ArtifactCircleCIPersist:
		root, _ := withValue(with, "root")
		for _, w := range with {
			if w.Name == "paths" && w.Value.Value != "" {
				a.Paths = append(a.Paths, path.Join(root.Value, w.Value.Value))
				a.PathPos = append(a.PathPos, w.Value.Pos)
			}
		}
	}
	return a, len(a.Paths) > 0
}
