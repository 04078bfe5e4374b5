package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	_ "github.com/pipeguard/pipeguard/internal/parse/all" // registers every platform parser
	"github.com/pipeguard/pipeguard/internal/report"
	"github.com/pipeguard/pipeguard/internal/scan"
)

const scanUsage = `Usage: pipeguard scan [PATH…] [flags]

Scans the pipeline files below each PATH (default .): GitHub Actions workflows and
actions, GitLab CI files and components, CircleCI configs and Jenkinsfiles. A file
named on the command line is always scanned; - reads standard input (with --platform).

The nearest .pipeguard.yml from the first PATH up to the repository root is read
(docs/config.md); the flags below win over it.
`

// colorModes are the values of --color.
var colorModes = []string{"auto", "always", "never"}

// progressThreshold is the number of files above which a scan shows its progress on a
// terminal.
const progressThreshold = 300

// scanOptions are the flags of `pipeguard scan`.
type scanOptions struct {
	// engine holds --policy-timeout and --policy-memory.
	engine        engine.Options
	format        string
	output        string
	failOn        string
	minSeverity   string
	persona       string
	platform      string
	exitZero      bool
	maxSize       int64
	policyDirs    stringList
	configFile    string
	noConfig      bool
	baseline      string
	writeBaseline string
	noIgnores     bool
	color         string
	verbose       bool
	hook          bool
	now           dateFlag
	debug         bool
	// cmd tells which flags were given.
	cmd *command
}

func parseScanFlags(args []string, env Env) (scanOptions, []string, error) {
	var o scanOptions
	c := newCommand("scan", scanUsage)
	fs := c.fs
	fs.StringVar(&o.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	fs.StringVar(&o.output, "output", "", "write the report to `FILE` instead of standard output (the summary goes to standard error)")
	fs.StringVar(&o.failOn, "fail-on", model.SeverityLow, "exit 1 when a finding has this `severity` or higher")
	fs.StringVar(&o.minSeverity, "min-severity", model.SeverityInfo, "report only findings of this `severity` or higher")
	fs.StringVar(&o.persona, "persona", model.PersonaRegular, "which findings to show: regular, pedantic or auditor")
	fs.StringVar(&o.platform, "platform", "", "platform of standard input and of files whose name says nothing: "+strings.Join(parse.Platforms(), ", "))
	fs.BoolVar(&o.exitZero, "exit-zero", false, "exit 0 even when findings are reported (errors still exit 2 or 3)")
	fs.Int64Var(&o.maxSize, "max-size", discover.DefaultMaxSize, "largest file to read, in `bytes`")
	fs.Var(&o.policyDirs, "policy", "also load the Rego policies in `DIR` (repeatable)")
	fs.DurationVar(&o.engine.Timeout, "policy-timeout", engine.DefaultTimeout, "stop a rule still running on a file after this `duration` and report it")
	fs.Uint64Var(&o.engine.MemoryLimit, "policy-memory", engine.DefaultMemoryLimit>>20, "stop the rules running when the heap grows over this many `MiB`, and report them")
	fs.StringVar(&o.configFile, "config", "", "read the configuration from `FILE` instead of the nearest .pipeguard.yml")
	fs.BoolVar(&o.noConfig, "no-config", false, "read no configuration file")
	fs.StringVar(&o.baseline, "baseline", "", "report only findings that are not in the baseline `FILE`")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "record the reported findings in the baseline `FILE` (and exit 0 for findings)")
	fs.BoolVar(&o.noIgnores, "no-ignores", false, "honour no pipeguard: ignore comments and no ignored paths of the configuration")
	fs.StringVar(&o.color, "color", "auto", "colour the text on a terminal: auto (unless NO_COLOR is set), always or never")
	fs.BoolVar(&o.verbose, "verbose", false, "say which configuration is used and list the files skipped")
	fs.Var(&o.now, "now", "check credential dates as on the day `YYYY-MM-DD` (default today, UTC)")
	fs.BoolVar(&o.debug, "debug", false, "print on standard error where the scan spent its time, per phase and per rule (rules are then evaluated one by one, which is slower)")
	fs.BoolVar(&o.hook, "hook", false, "the PATHs are files a hook passes (pre-commit): skip those that are not pipelines")
	o.cmd = c
	paths, err := c.parse(args, env)
	if err != nil {
		return o, nil, err
	}
	if err := checkChoice("--format", o.format, report.Formats); err != nil {
		return o, nil, err
	}
	for _, s := range []struct{ flag, value string }{{"--fail-on", o.failOn}, {"--min-severity", o.minSeverity}} {
		if err := checkChoice(s.flag+" severity", s.value, model.Severities); err != nil {
			return o, nil, err
		}
	}
	if err := checkChoice("--persona", o.persona, []string{model.PersonaRegular, model.PersonaPedantic, model.PersonaAuditor}); err != nil {
		return o, nil, err
	}
	if err := checkChoice("--color", o.color, colorModes); err != nil {
		return o, nil, err
	}
	if o.platform != "" {
		if err := checkChoice("--platform", o.platform, parse.Platforms()); err != nil {
			return o, nil, err
		}
	}
	if o.noConfig && o.configFile != "" {
		return o, nil, usagef("--config and --no-config exclude each other")
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return o, paths, nil
}

func runScan(args []string, env Env) (int, error) {
	opts, paths, err := parseScanFlags(args, env)
	if err != nil {
		return ExitUsage, err
	}
	cfg, err := loadConfig(opts, paths)
	if err != nil {
		return ExitUsage, err
	}
	if opts.verbose && cfg.File != "" {
		say(env, "using the configuration in %s", discover.ReportPath(cfg.File))
	}
	ctx := context.Background()
	engineOpts := opts.engine
	engineOpts.PolicyDirs = append(append([]string(nil), opts.policyDirs...), cfg.PolicyDirs...)
	engineOpts.MemoryLimit <<= 20
	engineOpts.EachRuleApart = opts.debug // to measure each rule's cost
	eng, err := loadEngine(ctx, engineOpts)
	if err != nil {
		return exitCodeOf(err), err
	}
	rules := scan.Rules(eng)
	if err := cfg.CheckRules(scan.RuleIDs(rules)); err != nil {
		return ExitUsage, usagef("%v", err)
	}
	filter, err := buildFilter(opts, cfg)
	if err != nil {
		return ExitUsage, err
	}
	scanOpts := scan.Options{
		Platform:        opts.platform,
		MaxSize:         opts.maxSize,
		Stdin:           env.Stdin,
		RunnerIsolation: cfg.RunnerIsolation,
		Now:             opts.now.Time,
		Filter:          filter,
		Hook:            opts.hook,
		NoInlineIgnores: opts.noIgnores,
	}
	if cfg.Credentials.Inventory != "" {
		scanOpts.InventoryPath = cfg.InventoryPath()
	}
	progress := newProgress(env)
	scanOpts.Progress = progress.update
	res, err := scan.New(eng, scanOpts).Scan(ctx, paths)
	progress.done()
	if opts.debug && res != nil {
		writeTimings(env, res.Timings, eng.Stats())
	}
	var scanUsageErr scan.UsageError
	if errors.As(err, &scanUsageErr) {
		return ExitUsage, usagef("%s", scanUsageErr.Msg)
	}
	if err != nil {
		return ExitInternal, err
	}
	for _, e := range res.InputErrors {
		if e.File == "" {
			say(env, "%s", e.Message)
		}
	}
	for _, e := range res.RuleErrors {
		say(env, "error: %s", oneLine(e.Error()))
	}
	if opts.verbose {
		for _, s := range res.Skipped {
			say(env, "skipped %s: %s", s.Path, s.Reason)
		}
	}
	rep := buildReport(res, rules)
	if err := writeReport(rep, opts, env, res.Sources); err != nil {
		return ExitInternal, err
	}
	if opts.writeBaseline != "" {
		if err := writeBaseline(opts.writeBaseline, res, env); err != nil {
			return ExitUsage, err
		}
	}
	switch {
	case len(res.RuleErrors) > 0:
		return ExitInternal, nil
	case len(res.InputErrors) > 0:
		return ExitUsage, nil
	case !opts.exitZero && opts.writeBaseline == "" && res.Failing:
		return ExitFindings, nil
	}
	return ExitOK, nil
}

// loadConfig reads --config, or the nearest .pipeguard.yml above the first path, unless
// --no-config; without a file it returns an empty configuration.
func loadConfig(opts scanOptions, paths []string) (*config.Config, error) {
	if opts.noConfig {
		return &config.Config{}, nil
	}
	file := opts.configFile
	if file == "" {
		start := paths[0]
		if start == scan.StdinPath {
			start = "."
		}
		found, err := config.Find(start)
		if err != nil {
			return nil, usagef("%v", err)
		}
		if found == "" {
			return &config.Config{}, nil
		}
		file = found
	}
	cfg, err := config.Load(file)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return cfg, nil
}

// buildFilter merges the flags and the configuration: a flag given on the command line
// wins over the file, which wins over the flag's default.
func buildFilter(opts scanOptions, cfg *config.Config) (scan.Filter, error) {
	pick := func(flagName, flagValue string, fromFile config.Value) string {
		if opts.cmd.set(flagName) || fromFile.Value == "" {
			return flagValue
		}
		return fromFile.Value
	}
	f := scan.Filter{
		Persona:     pick("persona", opts.persona, cfg.Persona),
		MinSeverity: pick("min-severity", opts.minSeverity, cfg.MinSeverity),
		FailOn:      pick("fail-on", opts.failOn, cfg.FailOn),
	}
	for _, r := range cfg.DisabledRules {
		f.DisabledRules = append(f.DisabledRules, r.Value)
	}
	for _, s := range cfg.Severities {
		if f.Severities == nil {
			f.Severities = map[string]string{}
		}
		f.Severities[s.Rule.Value] = s.Severity
	}
	if !opts.noIgnores {
		for _, ig := range cfg.IgnorePaths {
			f.IgnorePaths = append(f.IgnorePaths, scan.PathIgnore{Rule: ig.Rule.Value, Glob: ig.Glob})
		}
		if cfg.Dir != "" {
			base, err := filepath.Abs(cfg.Dir)
			if err != nil {
				return f, fmt.Errorf("configuration directory: %w", err)
			}
			f.PathBase = base
		}
	}
	if opts.baseline != "" {
		b, err := config.ReadBaseline(opts.baseline)
		if err != nil {
			return f, usagef("%v", err)
		}
		f.Baseline = func(fi model.Finding) bool { return b.Contains(fi.Fingerprint) }
	}
	return f, nil
}

// buildReport turns a scan's result into what the reporters print.
func buildReport(res *scan.Result, rules []model.Rule) report.Report {
	rep := report.Report{ToolVersion: Version(), Rules: rules, Files: len(res.Files), Findings: res.Findings, Locations: res.Locations}
	for _, e := range res.InputErrors {
		if e.File != "" {
			rep.Errors = append(rep.Errors, e)
		}
	}
	for _, e := range res.RuleErrors {
		rep.Errors = append(rep.Errors, report.FileError{File: e.File, Rule: e.Rule, Message: e.Err.Error()})
	}
	rep.Errors = append(rep.Errors, res.IncludeErrors...)
	for _, s := range res.Suppressed {
		rep.Suppressed = append(rep.Suppressed, report.Suppressed{
			Finding: s.Finding, Stage: s.Stage, Kind: suppressionKind[s.Stage], Justification: s.Reason, At: s.At,
		})
	}
	for _, s := range res.Skipped {
		rep.Skipped = append(rep.Skipped, report.Skipped{File: s.Path, Reason: s.Reason})
	}
	return rep
}

// suppressionKind says which filter stages hold findings back in a way SARIF records as
// a suppression: an inline comment in the source, or a baseline outside it.
var suppressionKind = map[string]string{
	scan.StageInlineIgnore: report.SuppressedInSource,
	scan.StageBaseline:     report.SuppressedExternal,
}

// writeBaseline records the findings reported and those the old baseline held back.
func writeBaseline(path string, res *scan.Result, env Env) error {
	var entries []config.BaselineEntry
	add := func(f model.Finding) {
		entries = append(entries, config.BaselineEntry{Rule: f.Rule, File: res.Locations[f.File].Path, Job: f.Job, Step: f.Step, Fingerprint: f.Fingerprint})
	}
	for _, f := range res.Findings {
		add(f)
	}
	for _, s := range res.Suppressed {
		if s.Stage == scan.StageBaseline {
			add(s.Finding)
		}
	}
	if err := config.WriteBaseline(path, entries); err != nil {
		return usagef("%v", err)
	}
	say(env, "wrote %s with %d findings; scan with --baseline %s to report only new ones", path, len(entries), path)
	return nil
}

// loadEngine loads the built-in policies and those of opts; a missing directory is a
// usage error, and so is a policy whose rule id is one of the scan's own rules.
func loadEngine(ctx context.Context, opts engine.Options) (*engine.Engine, error) {
	eng, err := engine.Load(ctx, opts)
	if err != nil {
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			return nil, usagef("%v", err)
		}
		return nil, err
	}
	for _, r := range scan.BuiltinRules() {
		if _, dup := eng.Rule(r.ID); dup {
			return nil, usagef("a policy defines rule %s, the id of one of pipeguard's own rules; rename it", r.ID)
		}
	}
	return eng, nil
}

// exitCodeOf returns the exit code of an error: ExitUsage for usage errors, else
// ExitInternal.
func exitCodeOf(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitInternal
}

// colorFor decides whether output to a stream is coloured: --color always or never, or
// auto, which colours a terminal unless NO_COLOR is set.
func colorFor(mode string, terminal bool, env Env) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return terminal && env.Getenv("NO_COLOR") == ""
}

func writeReport(rep report.Report, opts scanOptions, env Env, sources report.Sources) error {
	if opts.output == "" {
		ropts := report.Options{Color: colorFor(opts.color, env.IsTerminal, env), Sources: sources}
		if err := report.Write(env.Stdout, opts.format, rep, ropts); err != nil {
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
	return report.WriteSummary(env.Stderr, rep, report.Options{Color: colorFor(opts.color, env.StderrIsTerminal, env)})
}

// progress shows "scanned N/M files" on a terminal's standard error during big scans.
type progress struct {
	env   Env
	shown bool
	last  int
}

func newProgress(env Env) *progress { return &progress{env: env} }

// update is scan.Options.Progress.
func (p *progress) update(done, total int) {
	if !p.env.StderrIsTerminal || total <= progressThreshold {
		return
	}
	if step := total / 100; done != total && done-p.last < max(step, 1) {
		return
	}
	p.last = done
	p.shown = true
	fmt.Fprintf(p.env.Stderr, "\rpipeguard: scanned %d/%d files", done, total)
}

// done clears the progress line.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.env.Stderr, "\r\x1b[K")
	}
}

// writeTimings prints the --debug summary: the policies' load and the scan's phases,
// then the engine's input conversion and each rule, the most costly first. Times summed
// over workers are marked.
func writeTimings(env Env, t scan.Timings, st engine.Stats) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%8.1f ms", float64(d.Microseconds())/1000) }
	w := env.Stderr
	fmt.Fprintf(w, "pipeguard: timings (wall time of each phase; * = summed over the workers)\n")
	for _, row := range []struct {
		name string
		d    time.Duration
	}{
		{"load policies", st.Load}, {"discover", t.Discover}, {"files (read, parse, evaluate)", t.Files},
		{"  read *", t.Read}, {"  parse *", t.Parse}, {"  evaluate *", t.Evaluate},
		{"    input conversion *", st.Input},
		{"collect", t.Collect}, {"repository pass", t.Repository}, {"filter", t.Filter},
	} {
		fmt.Fprintf(w, "  %-32s %s\n", row.name, ms(row.d))
	}
	fmt.Fprintf(w, "pipeguard: rules (evaluation time summed over files and workers)\n")
	for _, r := range st.Rules {
		if r.Evals > 0 {
			fmt.Fprintf(w, "  %-32s %s  %6d evaluations\n", r.Rule, ms(r.Time), r.Evals)
		}
	}
}
