package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	_ "github.com/pipeguard/pipeguard/internal/parse/all" // registers every platform parser
	"github.com/pipeguard/pipeguard/internal/report"
	"github.com/pipeguard/pipeguard/internal/scan"
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
	now         dateFlag
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
	fs.Var(&o.now, "now", "check credential dates as on the day `YYYY-MM-DD` (default today, UTC)")
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

func runScan(args []string, env Env) (int, error) {
	opts, paths, err := parseScanFlags(args, env)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK, nil
	}
	if err != nil {
		return ExitUsage, err
	}
	ctx := context.Background()
	eng, err := loadEngine(ctx, opts.policyDirs)
	if err != nil {
		return ExitInternal, err
	}
	scanner := scan.New(eng, scan.Options{
		Platform: opts.platform,
		MaxSize:  opts.maxSize,
		Stdin:    env.Stdin,
		Now:      opts.now.Time,
		Filter: scan.Filter{
			Persona:     opts.persona,
			MinSeverity: opts.minSeverity,
			FailOn:      opts.failOn,
		},
	})
	res, err := scanner.Scan(ctx, paths)
	var scanUsage scan.UsageError
	if errors.As(err, &scanUsage) {
		return ExitUsage, usagef("%s", scanUsage.Msg)
	}
	if err != nil {
		return ExitInternal, err
	}
	for _, e := range res.InputErrors {
		if e.File == "" {
			fmt.Fprintf(env.Stderr, "pipeguard: %s\n", e.Message)
		}
	}
	for _, e := range res.RuleErrors {
		fmt.Fprintf(env.Stderr, "pipeguard: error: %s\n", oneLine(e.Error()))
	}
	if len(res.Files) == 0 && len(res.InputErrors) == 0 {
		fmt.Fprintf(env.Stderr, "pipeguard: no pipeline files found under %s\n", strings.Join(paths, ", "))
	}
	rep := report.Report{ToolVersion: Version(), Rules: eng.Rules(), Files: len(res.Files), Findings: res.Findings}
	for _, e := range res.InputErrors {
		if e.File != "" {
			rep.Errors = append(rep.Errors, e)
		}
	}
	for _, e := range res.RuleErrors {
		rep.Errors = append(rep.Errors, report.FileError{File: e.File, Rule: e.Rule, Message: e.Err.Error()})
	}
	if err := writeReport(rep, opts, env, res.Sources); err != nil {
		return ExitInternal, err
	}
	switch {
	case len(res.RuleErrors) > 0:
		return ExitInternal, nil
	case len(res.InputErrors) > 0:
		return ExitUsage, nil
	case !opts.exitZero && res.Failing:
		return ExitFindings, nil
	}
	return ExitOK, nil
}

// loadEngine loads the built-in policies and those of dirs; a missing directory is a
// usage error.
func loadEngine(ctx context.Context, dirs []string) (*engine.Engine, error) {
	eng, err := engine.Load(ctx, engine.Options{PolicyDirs: dirs})
	if err != nil {
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			return nil, usagef("%v", err)
		}
		return nil, err
	}
	return eng, nil
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
