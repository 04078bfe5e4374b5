// Package scan is pipeguard's scan as a library: discover → parse → evaluate → filter →
// result. The command line (internal/cli) only turns flags into Options, calls Scan and
// writes the Result in a format; tests drive the same Scanner directly.
//
// The stages:
//
//  1. Discover the pipeline files below the paths (internal/discover); "-" is standard
//     input, parsed as Options.Platform.
//  2. Parse each file with its platform's parser (internal/parse), concurrently. A file
//     that cannot be read at all is an input error; one that cannot be parsed is a
//     parse-error finding.
//  3. Evaluate every rule on each file (internal/engine). A rule that fails on a file is a
//     RuleError; the other rules' findings for that file are kept.
//  4. The repository pass: the rules that define `deny_repository` run once per
//     repository over a summary of all its files.
//  5. Give every finding a fingerprint that is unique in the scan and stable across
//     unrelated edits (engine.AssignFingerprints), over its repository-relative path.
//  6. Filter the findings, in one documented order (see Filter); inline-ignore comments
//     that held nothing back become unused-ignore findings, filtered the same way.
//  7. The Result says which findings remain, what was held back and why, and whether the
//     scan fails (a finding at or above Filter.FailOn).
package scan

import (
	"context"
	"fmt"
	"io"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
	"github.com/pipeguard/pipeguard/internal/report"
)

// StdinPath is the path that stands for standard input.
const StdinPath = "-"

// Options configure a scan.
type Options struct {
	// Platform is the platform of standard input and of explicit files whose name says
	// nothing.
	Platform string
	// MaxSize is the largest file read, in bytes (discover.DefaultMaxSize if zero).
	MaxSize int64
	// Stdin is read when the paths include StdinPath.
	Stdin io.Reader
	// RunnerIsolation maps runner labels to isolation levels (configuration).
	RunnerIsolation isolation.Labels
	// Filter says which findings to keep.
	Filter Filter
	// Workers bounds the files scanned at once (GOMAXPROCS if zero).
	Workers int
	// Hook says the paths are files a hook passes (discover.Options.Hook).
	Hook bool
	// NoInlineIgnores turns `pipeguard: ignore[…]` comments off: they hold nothing back
	// and are not checked for use.
	NoInlineIgnores bool
	// Progress, if set, is called after each file is scanned with the number of files
	// done and the total; calls never overlap.
	Progress func(done, total int)
	// Now is the date of the scan, which the rules compare the inventory's dates with
	// (today, UTC, if zero).
	Now time.Time
	// InventoryPath is the credential inventory to use for every file; when empty each
	// repository's own (config.DefaultInventory below its root) is used if it exists.
	InventoryPath string
}

// Scanner scans paths with one engine. It is safe for concurrent use.
type Scanner struct {
	eng  *engine.Engine
	opts Options
}

// New returns a Scanner that evaluates eng's rules.
func New(eng *engine.Engine, opts Options) *Scanner {
	if opts.MaxSize <= 0 {
		opts.MaxSize = discover.DefaultMaxSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC().Truncate(24 * time.Hour)
	return &Scanner{eng: eng, opts: opts}
}

// Result is the outcome of a scan.
type Result struct {
	// Timings says where the scan spent its time (for --debug).
	Timings Timings
	// Files are the files scanned, in order.
	Files []discover.File
	// Skipped are files that looked like pipelines by their place but are not.
	Skipped []discover.Skipped
	// Locations gives the repository and repository-relative path of every file a
	// finding is reported in, by reported path.
	Locations map[string]report.Location
	// Findings are the findings that passed the filter, sorted by file and position.
	Findings []model.Finding
	// Suppressed are the findings the filter held back, with the stage that did.
	Suppressed []Suppressed
	// InputErrors are paths and files that could not be read (exit code 2).
	InputErrors []report.FileError
	// IncludeErrors are the GitLab local includes that could not be read; they are
	// reported with the errors but change no exit code (the rest was checked), and are
	// findings of the unreadable-include rule at the auditor persona.
	IncludeErrors []report.FileError
	// RuleErrors are rules that failed on a file (exit code 3).
	RuleErrors []engine.RuleError
	// Failing is true when a finding at or above Filter.FailOn remains.
	Failing bool
	// Sources quotes the scanned files' lines, secrets masked, for the text report.
	Sources report.Sources
}

// Suppressed is a finding the filter held back.
type Suppressed struct {
	model.Finding
	// Stage is the filter stage that held it back (StageDisabled, …).
	Stage string
	// Acknowledgement is the comment that held it back (StageInlineIgnore only).
	Acknowledgement
}

// Scan discovers, parses, evaluates and filters the pipeline files below paths.
func (s *Scanner) Scan(ctx context.Context, paths []string) (*Result, error) {
	res := &Result{Locations: map[string]report.Location{}}
	phase := time.Now()
	files, stdin, err := s.discover(paths, res)
	if err != nil {
		return nil, err
	}
	inv := s.loadInventories(files, res)
	res.Timings.Discover = time.Since(phase)
	phase = time.Now()
	results := s.scanFiles(ctx, files, stdin, inv)
	res.Timings.Files = time.Since(phase)
	for _, r := range results {
		res.Timings.Read += r.took.read
		res.Timings.Parse += r.took.parse
		res.Timings.Evaluate += r.took.evaluate
	}
	phase = time.Now()
	sources := newSourceCache(s.opts.MaxSize)
	ignores := newIgnoreSet()
	var evaluated []engine.Evaluated
	var scanned []fileResult
	for i, r := range results {
		if r.dropped {
			continue
		}
		res.Files = append(res.Files, files[i])
		scanned = append(scanned, r)
		if r.err != nil {
			res.InputErrors = append(res.InputErrors, report.FileError{File: files[i].Path, Message: r.err.Error()})
			continue
		}
		sources.add(files[i].Path, r.data, r.secrets, r.quotable)
		evaluated = append(evaluated, r.findings...)
		res.RuleErrors = append(res.RuleErrors, r.ruleErrors...)
		if r.ignores != nil {
			ignores.merge(r.ignores)
		}
		maps.Copy(res.Locations, r.locations)
	}
	res.Timings.Collect = time.Since(phase)
	phase = time.Now()
	repoFindings, repoErrors := s.repositoryPass(ctx, res.Files, scanned, inv)
	res.Timings.Repository = time.Since(phase)
	phase = time.Now()
	evaluated = append(evaluated, repoFindings...)
	res.RuleErrors = append(res.RuleErrors, repoErrors...)
	evaluated = dedupe(evaluated)
	s.locateOthers(evaluated, res)
	engine.AssignFingerprints(evaluated, res.repoPath)
	filter := s.opts.Filter
	if !s.opts.NoInlineIgnores {
		filter.InlineIgnore = ignores.holds
	}
	filter.apply(evaluated, res)
	res.IncludeErrors = includeErrors(res)
	if !s.opts.NoInlineIgnores {
		unused := ignores.unused(RuleIDs(Rules(s.eng)))
		s.locateOthers(unused, res)
		engine.AssignFingerprints(unused, res.repoPath)
		filter.InlineIgnore = nil // an unused-ignore finding is disabled in the configuration, not by a comment
		filter.apply(unused, res)
		sortFindings(res)
	}
	redact(res)
	res.Sources = sources
	res.Timings.Filter = time.Since(phase)
	return res, nil
}

// Timings says where a scan spent its time. Discover, Files, Collect, Repository and
// Filter are wall times of the stages, one after the other; Read, Parse and Evaluate are
// summed over the files and the workers that scanned them concurrently.
type Timings struct {
	Discover, Files, Collect, Repository, Filter time.Duration
	Read, Parse, Evaluate                        time.Duration
}

// locateOthers fills res.Locations for the files of findings it does not know yet
// (findings of the repository pass and of the scan's own rules): they lie in the
// repository of the scanned file with the longest directory that holds them.
func (s *Scanner) locateOthers(findings []engine.Evaluated, res *Result) {
	for _, f := range findings {
		if _, ok := res.Locations[f.File]; ok {
			continue
		}
		root := ""
		best := -1
		for _, file := range res.Files {
			if dir := path.Dir(file.Path); (dir == "." || strings.HasPrefix(f.File, dir+"/")) && len(dir) > best {
				root, best = file.Root, len(dir)
			}
		}
		res.Locations[f.File] = locate(f.File, root)
	}
}

// repoPath returns the repository-relative path of a reported file.
func (res *Result) repoPath(file string) string {
	if loc, ok := res.Locations[file]; ok {
		return loc.Path
	}
	return file
}

// sortFindings orders what the filter kept and held back by position.
func sortFindings(res *Result) {
	slices.SortStableFunc(res.Findings, compareFindings)
	slices.SortStableFunc(res.Suppressed, func(a, b Suppressed) int { return compareFindings(a.Finding, b.Finding) })
}

func compareFindings(a, b model.Finding) int {
	switch {
	case engine.Less(a, b):
		return -1
	case engine.Less(b, a):
		return 1
	}
	return 0
}

// RuleIDs returns the ids of rules, in order.
func RuleIDs(rules []model.Rule) []string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return ids
}

// discover lists the files to scan; standard input is read here, once.
func (s *Scanner) discover(paths []string, res *Result) ([]discover.File, []byte, error) {
	var files []discover.File
	var stdin []byte
	var diskPaths []string
	for _, p := range paths {
		if p != StdinPath {
			diskPaths = append(diskPaths, p)
			continue
		}
		if s.opts.Platform == "" {
			return nil, nil, UsageError{"reading standard input (-) needs --platform"}
		}
		if s.opts.Stdin == nil {
			return nil, nil, UsageError{"no standard input to read"}
		}
		data, err := io.ReadAll(io.LimitReader(s.opts.Stdin, s.opts.MaxSize+1))
		if err != nil {
			return nil, nil, UsageError{fmt.Sprintf("read standard input: %v", err)}
		}
		stdin = data
		files = append(files, discover.File{Path: StdinPath, Platform: s.opts.Platform, Size: int64(len(data))})
	}
	if len(diskPaths) > 0 {
		found, err := discover.Discover(diskPaths, discover.Options{Platform: s.opts.Platform, Hook: s.opts.Hook, MaxSize: s.opts.MaxSize})
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				res.InputErrors = append(res.InputErrors, report.FileError{Message: line})
			}
		}
		files = append(files, found.Files...)
		res.Skipped = found.Skipped
	}
	return files, stdin, nil
}

// UsageError is a problem with how the scan was asked for (exit code 2).
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// scanFiles reads, parses and evaluates every file, concurrently (bounded by
// Options.Workers); results come back in the order of files.
func (s *Scanner) scanFiles(ctx context.Context, files []discover.File, stdin []byte, inv *inventories) []fileResult {
	results := make([]fileResult, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range max(1, min(s.opts.Workers, len(files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = s.scanFile(ctx, files[i], stdin, inv.of(files[i]))
				if s.opts.Progress != nil {
					mu.Lock()
					done++
					s.opts.Progress(done, len(files))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// dedupe drops repeated findings (a file included by several pipelines, GitLab
// `include: local`, is reported once per problem) and sorts them.
func dedupe(findings []engine.Evaluated) []engine.Evaluated {
	seen := map[findingKey]bool{}
	out := findings[:0]
	for _, f := range findings {
		k := keyOf(f.Finding)
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b engine.Evaluated) int { return compareFindings(a.Finding, b.Finding) })
	return out
}

// includeErrors lists the GitLab includes that could not be read, from the
// unreadable-include findings — kept or held back by the persona or a severity gate, but
// not those of a disabled rule or an ignored path.
func includeErrors(res *Result) []report.FileError {
	var out []report.FileError
	add := func(f model.Finding) {
		if f.Rule == RuleUnreadableInclude {
			out = append(out, report.FileError{File: f.File, Message: fmt.Sprintf("%d:%d: %s", f.Line, f.Column, f.Message)})
		}
	}
	for _, f := range res.Findings {
		add(f)
	}
	for _, s := range res.Suppressed {
		if s.Stage != StageDisabled && s.Stage != StagePathIgnore {
			add(s.Finding)
		}
	}
	return out
}
