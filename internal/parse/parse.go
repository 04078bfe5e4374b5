// Package parse holds the registry from platform name to parser, so that the command
// line knows no platform by name. Each platform package registers itself in an init
// function; internal/parse/all imports them all.
package parse

import (
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"github.com/pipeguard/pipeguard/internal/analyze"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
)

// Input is one file to parse.
type Input struct {
	// Path is the file's path as reported in findings: relative to the scan root,
	// slash-separated ("-" for standard input).
	Path string
	// Data is the file's content.
	Data []byte
	// Repo reads the other files of the repository the file belongs to (GitLab
	// `include: local`), by slash-separated paths relative to the repository root. It is
	// nil when the file has no repository (standard input).
	Repo fs.FS
	// RepoPath is the file's own path inside Repo.
	RepoPath string
	// ReportPrefix turns a path inside Repo into a reported path: ReportPrefix + RepoPath
	// is Path.
	ReportPrefix string
	// RunnerIsolation maps runner labels, tags or Jenkins agent labels to an isolation
	// level (model.IsolationIsolated, …), from configuration. Parsers consult it before
	// their own defaults, through isolation.Labels.Lookup (one meaning on every platform).
	RunnerIsolation isolation.Labels
	// MaxSize is the largest file, in bytes, that ReadRepoFile reads from Repo (the
	// scan's --max-size); zero means DefaultMaxSize.
	MaxSize int64
	// MaxModel is the model budget of the file, in Weight units; zero means
	// DefaultMaxModel. A model over it becomes one "too large to analyse" parse error.
	MaxModel int
}

func (in Input) maxSize() int64 {
	if in.MaxSize > 0 {
		return in.MaxSize
	}
	return DefaultMaxSize
}

func (in Input) maxModel() int {
	if in.MaxModel > 0 {
		return in.MaxModel
	}
	return DefaultMaxModel
}

// Func parses one file. It never fails: a file it cannot read becomes a Pipeline whose
// ParseErrors say why, and unknown fields never drop the file.
type Func func(in Input) *model.Pipeline

var (
	mu      sync.RWMutex
	parsers = map[string]Func{}
)

// Register makes the parser for platform available. It is called from init functions.
func Register(platform string, fn Func) {
	mu.Lock()
	defer mu.Unlock()
	parsers[platform] = fn
}

// Lookup returns the parser registered for platform.
func Lookup(platform string) (Func, bool) {
	mu.RLock()
	defer mu.RUnlock()
	fn, ok := parsers[platform]
	return fn, ok
}

// Platforms returns the registered platform names, sorted.
func Platforms() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(parsers))
	for name := range parsers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// File parses one file of platform and completes the model with the facts every
// platform shares (analyze.Complete): step labels, effective environments, the secrets
// each step can read. A model over the budget (Input.MaxModel) becomes one "too large to
// analyse" parse error, and the strings of the file that the parser put into messages
// are redacted (Redact). This is how the scan parses; a platform Func alone leaves
// those facts empty.
func File(platform string, in Input) (*model.Pipeline, error) {
	fn, ok := Lookup(platform)
	if !ok {
		return nil, fmt.Errorf("no parser for platform %q", platform)
	}
	p := fn(in)
	analyze.Complete(p)
	if limit := in.maxModel(); Weight(p) > limit {
		TooLarge(p, limit)
	}
	p.FoundSecrets = model.FindSecrets(p)
	if p.FoundSecrets == nil {
		p.FoundSecrets = []model.FoundSecret{} // found none: the engine need not look again
	}
	Redact(p, in.Data)
	return p, nil
}
