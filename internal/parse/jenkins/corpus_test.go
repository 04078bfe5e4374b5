package jenkins

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// corpusFile is one corpus file, read.
type corpusFile struct {
	path string
	data []byte
}

// corpusFiles reads every file of a corpus folder (SOURCES.tsv excepted).
func corpusFiles(tb testing.TB, sub string) []corpusFile {
	tb.Helper()
	dir := testutil.CorpusDir(tb, sub)
	var out []corpusFile
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "SOURCES.tsv" {
			return err
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, name)
		out = append(out, corpusFile{path: filepath.ToSlash(rel), data: data})
		return nil
	})
	if err != nil {
		tb.Fatalf("read corpus %s: %v", sub, err)
	}
	return out
}

// corpusStats counts what parsing a corpus gives.
type corpusStats struct {
	files, failed, jobs, steps, runSteps, scriptErrors int
	// The facts: conditions, guards and checkouts by kind, artifacts by kind, files
	// with a buildDiscarder option, steps with credentials, runners with escapes.
	conditions, discarders, credentialSteps, escapes int
	guards, checkouts, artifacts                     map[string]int
}

// addFacts counts the facts of p.
func (st *corpusStats) addFacts(p *model.Pipeline) {
	if st.guards == nil {
		st.guards, st.checkouts, st.artifacts = map[string]int{}, map[string]int{}, map[string]int{}
	}
	for _, o := range p.Options {
		if o.Name == "buildDiscarder" {
			st.discarders++
			break
		}
	}
	for _, j := range p.Jobs {
		if j.Condition != nil {
			st.conditions++
		}
		for _, g := range j.Guards {
			st.guards[g.Kind]++
		}
		for _, a := range j.Artifacts {
			st.artifacts[a.Kind]++
		}
		if len(j.Runner.Escapes) > 0 {
			st.escapes++
		}
		for _, s := range j.Steps {
			for _, c := range s.Checkouts {
				st.checkouts[c.Target]++
			}
			if len(s.Credentials) > 0 {
				st.credentialSteps++
			}
		}
	}
}

// logFacts reports the facts counted.
func (st corpusStats) logFacts(t *testing.T) {
	t.Logf("facts: %d conditions, guards %v, artifacts %v, %d files with buildDiscarder, checkouts %v, %d steps with credentials, %d runners with escapes",
		st.conditions, st.guards, st.artifacts, st.discarders, st.checkouts, st.credentialSteps, st.escapes)
}

func parseCorpus(t *testing.T, files []corpusFile) corpusStats {
	var st corpusStats
	for _, f := range files {
		p := Parse(parse.Input{Path: f.path, Data: f.data})
		st.files++
		st.addFacts(p)
		fatal := 0
		for _, e := range p.ParseErrors {
			if e.Partial {
				st.scriptErrors++
				continue
			}
			fatal++
			if fatal == 1 {
				t.Logf("parse error %s:%s: %s", f.path, e.Pos, e.Message)
			}
		}
		if fatal > 0 {
			st.failed++
		}
		st.jobs += len(p.Jobs)
		for _, j := range p.Jobs {
			st.steps += len(j.Steps)
			for _, s := range j.Steps {
				if s.Kind == model.StepRun {
					st.runSteps++
				}
			}
		}
	}
	return st
}

// TestCorpus parses every real Jenkinsfile; at least 99% of the pipelines of
// corpus/jenkins must parse without a Groovy syntax error.
func TestCorpus(t *testing.T) {
	st := parseCorpus(t, corpusFiles(t, "jenkins"))
	t.Logf("jenkins corpus: %d files, %d with parse errors, %d jobs, %d steps, %d run steps, %d script syntax errors",
		st.files, st.failed, st.jobs, st.steps, st.runSteps, st.scriptErrors)
	st.logFacts(t)
	if st.failed*100 > st.files {
		t.Errorf("%d of %d files have parse errors, more than 1%%", st.failed, st.files)
	}
}

// TestParserFixturesCorpus parses the Jenkins plugins' own test Jenkinsfiles, some of them
// invalid on purpose: none may crash.
func TestParserFixturesCorpus(t *testing.T) {
	st := parseCorpus(t, corpusFiles(t, "jenkins-parser-fixtures"))
	t.Logf("jenkins-parser-fixtures corpus: %d files, %d with parse errors, %d jobs, %d steps, %d run steps, %d script syntax errors",
		st.files, st.failed, st.jobs, st.steps, st.runSteps, st.scriptErrors)
	st.logFacts(t)
}

// BenchmarkParseCorpus parses corpus/jenkins once per iteration.
func BenchmarkParseCorpus(b *testing.B) {
	files := corpusFiles(b, "jenkins")
	size := 0
	for _, f := range files {
		size += len(f.data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			Parse(parse.Input{Path: f.path, Data: f.data})
		}
	}
}
