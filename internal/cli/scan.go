package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	_ "github.com/pipeguard/pipeguard/internal/parse/all" // registers every platform parser
	"github.com/pipeguard/pipeguard/internal/report"
)

// scanOptions are the flags of `pipeguard scan`.
type scanOptions struct {
	format      string
	output      string
	failOn      string
	minSeverity string
	persona     string
	platform    string
	exitZero    bool
	maxSize     int64
	policyDirs  stringList
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func parseScanFlags(args []string, env Env) (scanOptions, []string, error) {
	var o scanOptions
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&o.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	fs.StringVar(&o.output, "output", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&o.failOn, "fail-on", model.SeverityLow, "exit 1 when a finding has this `severity` or higher")
	fs.StringVar(&o.minSeverity, "min-severity", model.SeverityInfo, "report only findings of this `severity` or higher")
	fs.StringVar(&o.persona, "persona", model.PersonaRegular, "which findings to show: regular, pedantic or auditor")
	fs.StringVar(&o.platform, "platform", "", "platform of standard input and of files whose name says nothing: "+strings.Join(parse.Platforms(), ", "))
	fs.BoolVar(&o.exitZero, "exit-zero", false, "exit 0 even when findings are reported (errors still exit 2 or 3)")
	fs.Int64Var(&o.maxSize, "max-size", discover.DefaultMaxSize, "largest file to read, in `bytes`")
	fs.Var(&o.policyDirs, "policy", "also load the Rego policies in `DIR` (repeatable)")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: pipeguard scan [PATH…] [flags]\n\nScans pipeline files below each PATH (default .); - reads standard input (with --platform).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(interleaveFlags(args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, nil, err
		}
		return o, nil, usagef("%v", err)
	}
	if !slices.Contains(report.Formats, o.format) {
		return o, nil, usagef("unknown --format %q (want one of %s)", o.format, strings.Join(report.Formats, ", "))
	}
	for _, s := range []struct{ flag, value string }{{"--fail-on", o.failOn}, {"--min-severity", o.minSeverity}} {
		if model.SeverityRank(s.value) == 0 {
			return o, nil, usagef("unknown %s severity %q (want one of %s)", s.flag, s.value, strings.Join(model.Severities, ", "))
		}
	}
	if model.PersonaRank(o.persona) == 0 {
		return o, nil, usagef("unknown --persona %q (want regular, pedantic or auditor)", o.persona)
	}
	if o.platform != "" {
		if _, ok := parse.Lookup(o.platform); !ok {
			return o, nil, usagef("unknown --platform %q (want one of %s)", o.platform, strings.Join(parse.Platforms(), ", "))
		}
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return o, paths, nil
}

// interleaveFlags moves flags after positional arguments to the front, so that both
// `scan DIR --format json` and `scan --format json DIR` work.
func interleaveFlags(args []string) []string {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i+1:]...)
			i = len(args)
		case a == "-" || !strings.HasPrefix(a, "-"):
			positional = append(positional, a)
		default:
			flags = append(flags, a)
			if !strings.Contains(a, "=") && takesValue(a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	return append(flags, positional...)
}

// takesValue reports whether a flag of `scan` consumes the next argument.
func takesValue(flagArg string) bool {
	switch strings.TrimLeft(flagArg, "-") {
	case "exit-zero", "h", "help":
		return false
	}
	return true
}

// scanResult is the outcome of scanning one file.
type scanResult struct {
	findings []engine.Evaluated
	secrets  []model.FoundSecret
	data     []byte // kept for standard input only, to quote its lines
	err      error  // an I/O error: the file could not be read at all
}

func runScan(args []string, env Env) (int, error) {
	opts, paths, err := parseScanFlags(args, env)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK, nil
	}
	if err != nil {
		return ExitUsage, err
	}
	ctx := context.Background()
	eng, err := engine.Load(ctx, engine.Options{PolicyDirs: opts.policyDirs})
	if err != nil {
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			return ExitUsage, usagef("%v", err)
		}
		return ExitInternal, err
	}

	inputErr := false
	var files []discover.File
	var stdinData []byte
	var filePaths []string
	for _, p := range paths {
		if p != "-" {
			filePaths = append(filePaths, p)
			continue
		}
		if opts.platform == "" {
			return ExitUsage, usagef("reading standard input (-) needs --platform")
		}
		if stdinData, err = io.ReadAll(io.LimitReader(env.Stdin, opts.maxSize+1)); err != nil {
			return ExitUsage, usagef("read standard input: %v", err)
		}
		files = append(files, discover.File{Path: "-", Platform: opts.platform, Size: int64(len(stdinData))})
	}
	if len(filePaths) > 0 {
		found, err := discover.Discover(filePaths, discover.Options{Platform: opts.platform})
		if err != nil {
			inputErr = true
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(env.Stderr, "pipeguard: %s\n", line)
			}
		}
		files = append(files, found...)
	}
	if len(files) == 0 && !inputErr {
		fmt.Fprintf(env.Stderr, "pipeguard: no pipeline files found under %s\n", strings.Join(paths, ", "))
	}

	results := scanFiles(ctx, eng, files, stdinData, opts, env.Getenv)
	rep := report.Report{ToolVersion: Version(), Rules: eng.Rules(), Files: len(files)}
	sources := newSourceCache()
	for i, res := range results {
		if res.err != nil {
			rep.Errors = append(rep.Errors, report.FileError{File: files[i].Path, Message: res.err.Error()})
			inputErr = true
			continue
		}
		sources.add(files[i].Path, res.data, res.secrets)
		for _, f := range res.findings {
			if keep(f, opts) {
				rep.Findings = append(rep.Findings, f.Finding)
			}
		}
	}
	rep.Findings = dedupe(rep.Findings)

	if err := writeReport(rep, opts, env, sources); err != nil {
		return ExitInternal, err
	}
	switch {
	case inputErr:
		return ExitUsage, nil
	case !opts.exitZero && failing(rep.Findings, opts.failOn):
		return ExitFindings, nil
	}
	return ExitOK, nil
}

// scanFiles reads, parses and evaluates every file, concurrently (bounded by
// GOMAXPROCS); results come back in the order of files.
func scanFiles(ctx context.Context, eng *engine.Engine, files []discover.File, stdinData []byte, opts scanOptions, getenv func(string) string) []scanResult {
	results := make([]scanResult, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = scanFile(ctx, eng, files[i], stdinData, opts)
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

// scanFile scans one file. A panic in a parser or in evaluation is turned into a
// parse-error finding: one bad file never stops the scan of the others.
func scanFile(ctx context.Context, eng *engine.Engine, f discover.File, stdinData []byte, opts scanOptions) (res scanResult) {
	defer func() {
		if r := recover(); r != nil {
			res = scanResult{findings: internalErrorFindings(ctx, eng, f, fmt.Sprintf("internal error while scanning this file: %v", r))}
		}
	}()
	var data []byte
	if f.Path == "-" {
		data = stdinData
		res.data = data
	} else {
		if f.Size > opts.maxSize {
			return scanResult{findings: internalErrorFindings(ctx, eng, f, fmt.Sprintf("file is %s, over the %s size limit (--max-size): not scanned", humanSize(f.Size), humanSize(opts.maxSize)))}
		}
		var err error
		if data, err = os.ReadFile(f.DiskPath); err != nil {
			return scanResult{err: fmt.Errorf("read: %w", err)}
		}
	}
	if int64(len(data)) > opts.maxSize {
		return scanResult{data: res.data, findings: internalErrorFindings(ctx, eng, f, fmt.Sprintf("input is over the %s size limit (--max-size): not scanned", humanSize(opts.maxSize)))}
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return scanResult{findings: internalErrorFindings(ctx, eng, f, "binary file (it contains NUL bytes): not a pipeline")}
	}
	parseFn, ok := parse.Lookup(f.Platform)
	if !ok {
		return scanResult{err: fmt.Errorf("no parser for platform %q", f.Platform)}
	}
	in := parse.Input{Path: f.Path, Data: data}
	if f.DiskPath != "" && f.RepoRoot != "" {
		in.Repo = os.DirFS(f.RepoRoot)
		in.RepoPath, in.ReportPrefix = repoRelative(f)
	}
	pipeline := parseFn(in)
	findings, err := eng.Evaluate(ctx, pipeline)
	if err != nil {
		return scanResult{err: err}
	}
	res.findings = findings
	res.secrets = model.FindSecrets(pipeline)
	return res
}

// internalErrorFindings reports a file that could not be scanned as a parse-error
// finding, through the engine so that the finding has the rule's metadata.
func internalErrorFindings(ctx context.Context, eng *engine.Engine, f discover.File, msg string) []engine.Evaluated {
	p := &model.Pipeline{Platform: f.Platform, File: f.Path, Kind: model.KindPipeline,
		ParseErrors: []model.ParseError{{Message: msg, Pos: model.Point(1, 1)}}}
	findings, err := eng.Evaluate(ctx, p)
	if err != nil {
		return nil
	}
	return findings
}

// keep applies --persona and --min-severity.
func keep(f engine.Evaluated, opts scanOptions) bool {
	return model.PersonaRank(f.Persona) <= model.PersonaRank(opts.persona) &&
		model.SeverityRank(f.Severity) >= model.SeverityRank(opts.minSeverity)
}

// failing reports whether any finding is at or above the --fail-on severity.
func failing(findings []model.Finding, failOn string) bool {
	for _, f := range findings {
		if model.SeverityRank(f.Severity) >= model.SeverityRank(failOn) {
			return true
		}
	}
	return false
}

// dedupe drops repeated findings: a file included by several pipelines (GitLab
// `include: local`) is reported once per problem.
func dedupe(findings []model.Finding) []model.Finding {
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
	slices.SortStableFunc(out, func(a, b model.Finding) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		if a.Column != b.Column {
			return a.Column - b.Column
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	return out
}

func writeReport(rep report.Report, opts scanOptions, env Env, sources report.Sources) error {
	if opts.output == "" {
		color := env.IsTerminal && env.Getenv("NO_COLOR") == ""
		if err := report.Write(env.Stdout, opts.format, rep, report.Options{Color: color, Sources: sources}); err != nil {
			return fmt.Errorf("write %s report: %w", opts.format, err)
		}
		return nil
	}
	f, err := os.Create(opts.output)
	if err != nil {
		return usagef("create --output file: %v", err)
	}
	err = report.Write(f, opts.format, rep, report.Options{Sources: sources})
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("write %s report to %s: %w", opts.format, opts.output, err)
	}
	return nil
}

func humanSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	if n >= 1<<10 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
