package script

import (
	"slices"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
)

// isPipe reports whether op joins the stages of a pipeline (`|`, `|&`).
func isPipe(op syntax.BinCmdOperator) bool {
	return op == syntax.Pipe || op == syntax.PipeAll
}

// pipeline numbers the stages of one pipeline while they are walked.
type pipeline struct {
	id     int
	stages []pipeStage
}

// pipeStage is one stage of a pipeline: its place, which the stage's commands share,
// and the index in Result.Commands where its commands start.
type pipeStage struct {
	pipe *model.Pipe
	from int
}

// newPipeline starts a pipeline with the next ID of the session.
func (a *analyzer) newPipeline() *pipeline {
	a.s.pipelines++
	return &pipeline{id: a.s.pipelines}
}

// stage starts the next stage of p; its commands come from Result.Commands[from] on.
func (p *pipeline) stage(from int) *model.Pipe {
	st := &model.Pipe{ID: p.id, Index: len(p.stages)}
	p.stages = append(p.stages, pipeStage{pipe: st, from: from})
	return st
}

// closePipeline sets the number of stages of every stage of p. A pipeline that ended
// with a single stage (a PowerShell line ending in `|`) is no pipeline: its commands
// lose their Pipe.
func (a *analyzer) closePipeline(p *pipeline) {
	if len(p.stages) == 1 {
		only := p.stages[0]
		for i := only.from; i < len(a.s.res.Commands); i++ {
			if a.s.res.Commands[i].Pipe == only.pipe {
				a.s.res.Commands[i].Pipe = nil
			}
		}
		return
	}
	for _, st := range p.stages {
		st.pipe.Len = len(p.stages)
	}
}

// pipeline walks the stages of a shell pipeline `a | b | c`. Only the last stage's
// output goes where the pipeline's goes.
func (a *analyzer) pipeline(b *syntax.BinaryCmd, c context) {
	p := a.newPipeline()
	stages := pipeStages(b)
	for i, st := range stages {
		sc := c
		sc.piped = c.piped || i > 0
		sc.pipe = p.stage(len(a.s.res.Commands))
		if i < len(stages)-1 {
			sc.output = nil
		}
		a.stmt(st, sc)
		a.feedOutput(p)
	}
	a.closePipeline(p)
}

// pipeStages returns the stages of the pipeline b, first to last. The parser nests
// `a | b | c` to the left; the walk is a loop, so long pipelines cost no recursion.
func pipeStages(b *syntax.BinaryCmd) []*syntax.Stmt {
	var stages []*syntax.Stmt
	for {
		stages = append(stages, b.Y)
		left, ok := b.X.Cmd.(*syntax.BinaryCmd)
		if !ok || !isPipe(left.Op) || len(b.X.Redirs) > 0 || b.X.Negated {
			stages = append(stages, b.X)
			break
		}
		b = left
	}
	slices.Reverse(stages)
	return stages
}

// feedOutput handles the last stage walked of p: when its first command writes its
// input to files (`tee FILE`, see pipedOutput), the commands of the stage before get
// those redirections; when it runs its input as a script (`bash`, `sh -s`, `iex`, see
// pipeReader), they get that OutputRun unless they send their output elsewhere. A
// pipeline nested in that stage keeps its own Pipe and gets neither.
func (a *analyzer) feedOutput(p *pipeline) {
	n := len(p.stages)
	if n < 2 {
		return
	}
	prev, last := p.stages[n-2], p.stages[n-1]
	cmds := a.s.res.Commands
	var writes []model.Redirect
	var run *model.ScriptRun
	for i := last.from; i < len(cmds); i++ {
		if cmds[i].Pipe == last.pipe {
			writes = a.pipedOutput(cmds[i].Argv)
			run = a.pipeReader(&cmds[i])
			break
		}
	}
	if len(writes) == 0 && run == nil {
		return
	}
	for i := prev.from; i < last.from; i++ {
		if cmds[i].Pipe != prev.pipe {
			continue
		}
		if len(writes) > 0 {
			cmds[i].Redirects = append(slices.Clip(cmds[i].Redirects), writes...)
		}
		if run != nil && !redirectsStdout(cmds[i].Redirects) {
			cmds[i].OutputRun = run
		}
	}
}
