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
	// IsTerminal reports whether Stdout is a terminal (colour is used only then).
	IsTerminal bool
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
  pipeguard credentials [PATH…]    report the credentials the pipelines use, with their inventory
  pipeguard policy test [DIR…]     run the Rego tests of the built-in and user policies
  pipeguard version                print the version

Run 'pipeguard scan -h' for the scan flags.
`

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
	case "credentials":
		code, err = runCredentials(args[1:], env)
	case "version", "--version":
		fmt.Fprintf(env.Stdout, "pipeguard %s\n", Version())
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, mainUsage)
	default:
		err = usagef("unknown command %q; run 'pipeguard help'", args[0])
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "pipeguard: %s\n", oneLine(err.Error()))
		var ue usageError
		if errors.As(err, &ue) {
			return ExitUsage
		}
		return ExitInternal
	}
	return code
}

// Version returns pipeguard's version.
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// oneLine folds a multi-line error into one line for the terminal.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}
