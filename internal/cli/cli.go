// Package cli implements pipeguard's command line. Everything it needs from the outside
// (arguments, standard streams, environment) is injected, so the whole CLI is tested
// in-process.
package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/pipeguard/pipeguard/internal/report"
	"github.com/pipeguard/pipeguard/internal/secrets"

	"github.com/pipeguard/pipeguard/internal/config"
)

// Exit codes.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitUsage    = 2 // usage, configuration or input errors
	ExitInternal = 3 // internal or policy-compile failure
)

// version is set at build time with -ldflags "-X …/internal/cli.version=v1.2.3"; without
// it the module version from the build info is used.
var version = ""

// Env is the process environment the CLI sees.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable (NO_COLOR).
	Getenv func(string) string
	// IsTerminal reports whether Stdout is a terminal (colour is used only then, with
	// --color auto).
	IsTerminal bool
	// StderrIsTerminal reports whether Stderr is a terminal (for the summary's colour and
	// the progress line).
	StderrIsTerminal bool
}

// usageError is an error that exits with ExitUsage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const mainUsage = `pipeguard — security linter for CI/CD pipelines (GitHub Actions, GitLab CI, CircleCI, Jenkins)

Usage:
  pipeguard scan [PATH…] [flags]   scan pipeline files (default: the current directory)
  pipeguard rules                  list the rules
  pipeguard explain RULE           show the full help of one rule
  pipeguard inspect FILE           print the model of a file (the policies' input) as JSON
  pipeguard config init [FILE]     write a commented .pipeguard.yml
  pipeguard credentials [PATH…]    report the credentials the pipelines use, with their inventory
  pipeguard policy test [DIR…]     run the Rego tests of the built-in and user policies
  pipeguard version                print the version

Run 'pipeguard scan --help' for the scan flags.
`

// commands are the subcommands, for suggestions.
var commands = []string{"scan", "rules", "explain", "inspect", "config", "credentials", "policy", "version", "help"}

// Run runs pipeguard with args (without the program name) and returns the exit code.
func Run(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, mainUsage)
		return ExitUsage
	}
	var err error
	code := ExitOK
	switch args[0] {
	case "scan":
		code, err = runScan(args[1:], env)
	case "rules":
		err = runRules(args[1:], env)
	case "explain":
		err = runExplain(args[1:], env)
	case "policy":
		code, err = runPolicy(args[1:], env)
	case "inspect":
		err = runInspect(args[1:], env)
	case "config":
		err = runConfig(args[1:], env)
	case "credentials":
		code, err = runCredentials(args[1:], env)
	case "version", "--version":
		fmt.Fprintf(env.Stdout, "pipeguard %s\n", Version())
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, mainUsage)
	default:
		err = usagef("unknown command %q%s; run 'pipeguard help'", args[0], config.DidYouMean(args[0], commands))
	}
	if errors.Is(err, errHelp) {
		return ExitOK
	}
	if err != nil {
		say(env, "%s", oneLine(err.Error()))
		var ue usageError
		if errors.As(err, &ue) {
			return ExitUsage
		}
		return ExitInternal
	}
	return code
}

// Version returns pipeguard's version without the tag's leading v: the -ldflags
// version, else the module version in the build information (`go install
// …/cmd/pipeguard@v0.2.0` makes it 0.2.0), else "dev".
func Version() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(version, info)
}

// versionOf is Version over a given -ldflags version and build information.
func versionOf(ldflags string, info *debug.BuildInfo) string {
	v := ldflags
	if v == "" && info != nil && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	if v == "" {
		return "dev"
	}
	return strings.TrimPrefix(v, "v")
}

// oneLine folds a multi-line error into one line for the terminal.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// say writes one "pipeguard: …" line on standard error. Its text may come from scanned
// files or the command line (paths, messages), so it passes through the detector's
// redaction and loses its control characters first.
func say(env Env, format string, args ...any) {
	fmt.Fprintf(env.Stderr, "pipeguard: %s\n", report.Printable(secrets.MaskTokens(fmt.Sprintf(format, args...))))
}
