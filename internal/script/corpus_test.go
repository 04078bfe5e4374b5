package script

import (
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// corpusScript is one `run:` script of the corpus with the file it came from.
type corpusScript struct {
	file string
	src  Source
}

// corpusScripts returns every `run:` script of the GitHub corpus, positioned approximately
// (at the value's node, whatever its scalar style). It skips when the corpus is absent.
func corpusScripts(tb testing.TB) []corpusScript {
	tb.Helper()
	var scripts []corpusScript
	for _, f := range testutil.CorpusYAML(tb, "github") {
		var root yaml.Node
		if yaml.Unmarshal(f.Data, &root) != nil {
			continue // a file YAML cannot read has no scripts to measure
		}
		collectRuns(&root, func(value *yaml.Node, shell string) {
			scripts = append(scripts, corpusScript{file: f.Path, src: Source{
				Text:    value.Value,
				Map:     textpos.Verbatim(value.Value, value.Line, value.Column),
				Shell:   shell,
				Dialect: DialectGitHub,
			}})
		})
	}
	if len(scripts) == 0 {
		tb.Fatal("no run: scripts in the GitHub corpus")
	}
	return scripts
}

// collectRuns calls fn with the value of every `run` key whose value is a string, and
// the `shell` of the same mapping (bash when there is none).
func collectRuns(n *yaml.Node, fn func(value *yaml.Node, shell string)) {
	if n.Kind == yaml.MappingNode {
		var run *yaml.Node
		shell := "bash"
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			switch {
			case key.Value == "run" && value.Kind == yaml.ScalarNode && value.Tag == "!!str":
				run = value
			case key.Value == "shell" && value.Kind == yaml.ScalarNode:
				shell = value.Value
			}
		}
		if run != nil {
			fn(run, shell)
		}
	}
	for _, child := range n.Content {
		collectRuns(child, fn)
	}
}

func TestAnalyzeCorpusNoPanic(t *testing.T) {
	scripts := corpusScripts(t)
	failed, commands := 0, 0
	for _, s := range scripts {
		res := Analyze(s.src)
		commands += len(res.Commands)
		if len(res.Errors) > 0 {
			failed++
			t.Logf("%s:%v: %s", s.file, res.Errors[0].Pos, res.Errors[0].Message)
		}
	}
	t.Logf("%d scripts, %d commands, %d with parse errors (%.2f%%)",
		len(scripts), commands, failed, 100*float64(failed)/float64(len(scripts)))
}

func BenchmarkAnalyzeCorpus(b *testing.B) {
	scripts := corpusScripts(b)
	total := 0
	for _, s := range scripts {
		total += len(s.src.Text)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		for _, s := range scripts {
			Analyze(s.src)
		}
	}
	perScript := float64(time.Since(start).Nanoseconds()) / float64(b.N*len(scripts))
	b.ReportMetric(perScript, "ns/script")
}

// TestAnalyzeCorpusOutputRuns counts the commands whose output a shell runs, by how, and
// checks that each sits where its ScriptRun says: a piped one before the last stage of
// its pipeline, a substituted one at the last stage of any pipeline inside the
// substitution.
func TestAnalyzeCorpusOutputRuns(t *testing.T) {
	counts := map[string]int{}
	runners := map[string]int{}
	for _, s := range corpusScripts(t) {
		for _, c := range Analyze(s.src).Commands {
			run := c.OutputRun
			if run == nil {
				continue
			}
			counts[run.Through]++
			runners[run.Runner]++
			switch p := c.Pipe; {
			case run.Through == model.ThroughPipe && (p == nil || p.Index+1 >= p.Len):
				t.Errorf("%s:%v: piped into %s but not before a pipeline's last stage (%+v)", s.file, c.Pos, run.Runner, p)
			case run.Through != model.ThroughPipe && p != nil && p.Index+1 != p.Len:
				t.Errorf("%s:%v: substituted for %s but not the last stage (%+v)", s.file, c.Pos, run.Runner, *p)
			}
		}
	}
	t.Logf("output run by %v, through %v", runners, counts)
}
