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
//  5. Filter the findings, in one documented order (see Filter).
//  6. The Result says which findings remain, what was held back and why, and whether the
//     scan fails (a finding at or above Filter.FailOn).
package scan

import (
	"context"
	"fmt"
	"io"
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
	// Now is the date of the scan, which the rules compare the inventory's dates with
	// (today, UTC, if zero).
	Now time.Time
	// InventoryPath is the credential inventory to use for every file; when empty each
	// repository's own (config.DefaultInventoryPath below its root) is used if it exists.
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
	// Files are the files scanned, in order.
	Files []discover.File
	// Findings are the findings that passed the filter, sorted by file and position.
	Findings []model.Finding
	// Suppressed are the findings the filter held back, with the stage that did.
	Suppressed []Suppressed
	// InputErrors are paths and files that could not be read (exit code 2).
	InputErrors []report.FileError
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
}

// Scan discovers, parses, evaluates and filters the pipeline files below paths.
func (s *Scanner) Scan(ctx context.Context, paths []string) (*Result, error) {
	res := &Result{}
	files, stdin, err := s.discover(paths, res)
	if err != nil {
		return nil, err
	}
	res.Files = files
	inv := s.loadInventories(files, res)
	results := s.scanFiles(ctx, files, stdin, inv)
	sources := newSourceCache(s.opts.MaxSize)
	var evaluated []engine.Evaluated
	for i, r := range results {
		if r.err != nil {
			res.InputErrors = append(res.InputErrors, report.FileError{File: files[i].Path, Message: r.err.Error()})
			continue
		}
		sources.add(files[i].Path, r.data, r.secrets)
		evaluated = append(evaluated, r.findings...)
		res.RuleErrors = append(res.RuleErrors, r.ruleErrors...)
	}
	repoFindings, repoErrors := s.repositoryPass(ctx, files, results, inv)
	evaluated = append(evaluated, repoFindings...)
	res.RuleErrors = append(res.RuleErrors, repoErrors...)
	s.opts.Filter.apply(dedupe(evaluated), res)
	res.Sources = sources
	return res, nil
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
		found, err := discover.Discover(diskPaths, discover.Options{Platform: s.opts.Platform})
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				res.InputErrors = append(res.InputErrors, report.FileError{Message: line})
			}
		}
		files = append(files, found...)
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
	for range max(1, min(s.opts.Workers, len(files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = s.scanFile(ctx, files[i], stdin, inv.of(files[i]))
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
	type key struct {
		rule, file, msg string
		line, col       int
	}
	seen := map[key]bool{}
	out := findings[:0]
	for _, f := range findings {
		k := key{f.Rule, f.File, f.Message, f.Line, f.Column}
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b engine.Evaluated) int {
		switch {
		case engine.Less(a.Finding, b.Finding):
			return -1
		case engine.Less(b.Finding, a.Finding):
			return 1
		}
		return 0
	})
	return out
}
