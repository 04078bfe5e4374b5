package scan

import (
	"fmt"
	"slices"
	"sort"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
)

// Inline ignores (config.ParseDirectives) hold back findings of the rules they name.
// A directive on line L of a file applies to
//
//   - every finding on line L or L+1 of that file (the comment on the finding's line
//     or on the line above it), and
//   - every finding inside a job or step whose first line is L or L+1 — the job's or
//     step's findings carry its id and label. A job's or step's first lines are its own
//     (Job.Pos, Step.Pos) and those of the places it came from (Via: the CircleCI
//     command invocation, the GitLab template it extends).
//
// A directive that holds back no finding of a rule it names — whatever later filter
// stage would have held that finding back too — is reported as an unused-ignore
// finding, as is a malformed one.

// lineKey is a line of a file, by reported path.
type lineKey struct {
	file string
	line int
}

// findingKey identifies a finding after dedupe.
type findingKey struct {
	rule, file, msg string
	line, col       int
}

func keyOf(f model.Finding) findingKey {
	return findingKey{f.Rule, f.File, f.Message, f.Line, f.Column}
}

// directive is a directive of a scanned file, with which of its rules held something.
type directive struct {
	config.Directive
	file, platform string
	used           []bool
}

// ignoreSet holds the directives of a scan and the findings they hold back.
type ignoreSet struct {
	directives map[lineKey]*directive
	held       map[findingKey]*directive
}

func newIgnoreSet() *ignoreSet {
	return &ignoreSet{directives: map[lineKey]*directive{}, held: map[findingKey]*directive{}}
}

// addFile records the directives of a file's text.
func (s *ignoreSet) addFile(file, platform string, data []byte) {
	for _, d := range config.ParseDirectives(data) {
		k := lineKey{file, d.Line}
		if _, dup := s.directives[k]; !dup {
			s.directives[k] = &directive{Directive: d, file: file, platform: platform, used: make([]bool, len(d.Rules))}
		}
	}
}

// match finds the directives that hold back each of findings, which p produced.
func (s *ignoreSet) match(p *model.Pipeline, findings []engine.Evaluated) {
	if len(s.directives) == 0 {
		return
	}
	jobs, steps := firstLines(p)
	for _, ev := range findings {
		f := ev.Finding
		lines := []lineKey{{f.File, f.Line}}
		if f.Job != "" {
			lines = append(lines, steps[[2]string{f.Job, f.Step}]...)
			lines = append(lines, jobs[f.Job]...)
		}
		for _, l := range lines {
			for _, line := range []int{l.line, l.line - 1} {
				d := s.directives[lineKey{l.file, line}]
				if d == nil {
					continue
				}
				for i, r := range d.Rules {
					if r.Value == f.Rule {
						d.used[i] = true
						if _, held := s.held[keyOf(f)]; !held {
							s.held[keyOf(f)] = d
						}
					}
				}
			}
		}
	}
}

// firstLines returns the first line of each job (by id) and step (by job id and label).
func firstLines(p *model.Pipeline) (jobs map[string][]lineKey, steps map[[2]string][]lineKey) {
	jobs = map[string][]lineKey{}
	steps = map[[2]string][]lineKey{}
	at := func(pos model.Pos) lineKey {
		file := pos.File
		if file == "" {
			file = p.File
		}
		return lineKey{file, pos.Line}
	}
	lines := func(pos model.Pos, via []model.Via) []lineKey {
		var out []lineKey
		if !pos.IsZero() {
			out = append(out, at(pos))
		}
		for _, v := range via {
			if !v.Pos.IsZero() {
				if v.Pos.File == "" {
					v.Pos.File = v.File
				}
				out = append(out, at(v.Pos))
			}
		}
		return out
	}
	for _, j := range p.Jobs {
		jobs[j.ID] = append(jobs[j.ID], lines(j.Pos, j.Via)...)
		for _, st := range j.Steps {
			k := [2]string{j.ID, st.Label}
			steps[k] = append(steps[k], lines(st.Pos, st.Via)...)
		}
	}
	return jobs, steps
}

// merge adds the directives and held findings of o (another file's scan).
func (s *ignoreSet) merge(o *ignoreSet) {
	for k, d := range o.directives {
		mine := s.directives[k]
		if mine == nil {
			s.directives[k] = d
			continue
		}
		for i := range mine.used {
			mine.used[i] = mine.used[i] || d.used[i]
		}
	}
	for k, d := range o.held {
		if _, held := s.held[k]; !held {
			s.held[k] = s.directives[lineKey{d.file, d.Line}]
		}
	}
}

// holds is the filter's inline-ignore stage: the directive that holds f back.
func (s *ignoreSet) holds(f model.Finding) (Acknowledgement, bool) {
	d, ok := s.held[keyOf(f)]
	if !ok {
		return Acknowledgement{}, false
	}
	at := d.Pos
	at.File = d.file
	return Acknowledgement{Reason: d.Reason, At: at}, true
}

// unused returns an unused-ignore finding for every rule of a directive that held back
// nothing, and for every malformed directive, in file order. known are the rule ids, to
// say when a directive names none.
func (s *ignoreSet) unused(known []string) []engine.Evaluated {
	var out []engine.Evaluated
	for _, d := range s.directives {
		if d.Malformed {
			pos := d.Pos
			pos.File = d.file
			out = append(out, builtinFinding(RuleUnusedIgnore, d.platform,
				"malformed inline ignore: write `pipeguard: ignore[rule-a,rule-b] reason`", pos))
			continue
		}
		for i, r := range d.Rules {
			if d.used[i] {
				continue
			}
			msg := fmt.Sprintf("`pipeguard: ignore[%s]` holds back no finding", r.Value)
			if !slices.Contains(known, r.Value) {
				msg += fmt.Sprintf(": there is no rule %q%s", r.Value, config.DidYouMean(r.Value, known))
			}
			pos := r.Pos
			pos.File = d.file
			out = append(out, builtinFinding(RuleUnusedIgnore, d.platform, msg, pos))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return engine.Less(out[i].Finding, out[j].Finding) })
	return out
}
