package github

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Script gates: actor checks made at run time by a script rather than by an `if:`.
// Two forms are common enough to recognize:
//
//   - a step that checks the actor's standing and fails the job otherwise (an
//     actions/github-script that tests author_association and calls core.setFailed, a
//     run step that asks the collaborator-permission API and exits non-zero): every
//     later step of the job that does not run whatever happened before gets an actor
//     guard;
//   - a job whose `if:` reads an output of a job it needs, when the step that sets that
//     output checks the actor's standing: the job gets an actor guard (and, through
//     inheritGuards, the jobs that need it).

// actorCheckMarkers are what a script contains when it checks the standing of the
// actor (the commenter, the pull request's author) in the repository.
var actorCheckMarkers = []string{
	"author_association", "authorAssociation", "getCollaboratorPermissionLevel",
	"checkCollaborator", "/permission",
}

// failMarkers are how a script stops the job when a check fails.
var failMarkers = []string{"setFailed(", "throw ", "process.exit(", "exit 1"}

// gateScript returns the script a step runs (a run step's, an actions/github-script's
// `script:` input), "" for other steps.
func gateScript(st *model.Step) string {
	switch {
	case st.Run != nil:
		return st.Run.Script.Value
	case isAction(st.Uses, "actions", "github-script"):
		for _, v := range st.With {
			if v.Name == "script" {
				return v.Value.Value
			}
		}
	}
	return ""
}

func checksActor(script string) bool { return containsAny(script, actorCheckMarkers) }

// scriptGates adds the actor guards of script gates to the steps and jobs of pipe. It
// runs after the jobs are parsed and before inheritGuards.
func scriptGates(pipe *model.Pipeline) {
	for i := range pipe.Jobs {
		job := &pipe.Jobs[i]
		var gate *model.Guard
		for k := range job.Steps {
			st := &job.Steps[k]
			if gate != nil && !st.Always {
				st.Guards = append(st.Guards, *gate)
			}
			if gate == nil {
				if script := gateScript(st); checksActor(script) && containsAny(script, failMarkers) {
					gate = &model.Guard{Kind: model.GuardActor, Detail: "step " + model.StepLabel(*st, k) + " checks the actor and fails the job otherwise", Pos: st.Pos}
				}
			}
		}
	}
	for i := range pipe.Jobs {
		job := &pipe.Jobs[i]
		if job.Condition == nil {
			continue
		}
		for _, r := range job.Condition.Reads {
			if g, ok := outputGate(pipe, r); ok {
				job.Guards = append(job.Guards, g)
				break
			}
		}
	}
}

// outputGate returns an actor guard when the condition read r is an output of a job
// (`needs.<job>.outputs.<name>`) set by a step that checks the actor's standing.
func outputGate(pipe *model.Pipeline, r model.ContextRef) (model.Guard, bool) {
	segs := strings.Split(strings.ToLower(r.Path), ".")
	if len(segs) != 4 || segs[0] != "needs" || segs[2] != "outputs" {
		return model.Guard{}, false
	}
	for i := range pipe.Jobs {
		producer := &pipe.Jobs[i]
		if !strings.EqualFold(producer.ID, segs[1]) {
			continue
		}
		for _, out := range producer.Outputs {
			if !strings.EqualFold(out.Name, segs[3]) {
				continue
			}
			for _, in := range out.Value.Interpolations {
				for _, c := range in.Contexts {
					if k := outputStep(producer, c.Path); k >= 0 && checksActor(gateScript(&producer.Steps[k])) {
						label := model.StepLabel(producer.Steps[k], k)
						return model.Guard{Kind: model.GuardActor, Detail: r.Path + " is set by step " + label + ", which checks the actor", Pos: r.Pos}, true
					}
				}
			}
		}
	}
	return model.Guard{}, false
}

// outputStep returns the index of the step of job that a `steps.<id>.outputs.<name>`
// path names, -1 for none.
func outputStep(job *model.Job, path string) int {
	segs := strings.Split(path, ".")
	if len(segs) != 4 || !strings.EqualFold(segs[0], "steps") || !strings.EqualFold(segs[2], "outputs") {
		return -1
	}
	for k := range job.Steps {
		if strings.EqualFold(job.Steps[k].ID, segs[1]) {
			return k
		}
	}
	return -1
}
