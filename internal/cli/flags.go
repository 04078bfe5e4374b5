package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pipeguard/pipeguard/internal/config"
)

// command is a subcommand's flag set with its usage text.
type command struct {
	fs *flag.FlagSet
	// usage is printed above the flags by --help.
	usage string
}

func newCommand(name, usage string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // help goes to stdout and errors to stderr, by parse
	return &command{fs: fs, usage: usage}
}

// errHelp is returned by parse after printing the help; Run exits 0 on it.
var errHelp = errors.New("help printed")

// parse parses args, flags and positional arguments in any order. -h and --help print
// the usage on standard output and return errHelp; a mistake is a usage error with a
// suggestion.
func (c *command) parse(args []string, env Env) ([]string, error) {
	err := c.fs.Parse(c.interleave(args))
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.printUsage(env.Stdout)
		return nil, errHelp
	case err != nil:
		return nil, usagef("%s%s; run 'pipeguard %s --help'", err, c.suggestFlag(err), c.fs.Name())
	}
	return c.fs.Args(), nil
}

func (c *command) printUsage(w io.Writer) {
	fmt.Fprint(w, c.usage)
	fmt.Fprintf(w, "\nFlags:\n")
	c.fs.SetOutput(w)
	c.fs.PrintDefaults()
	c.fs.SetOutput(io.Discard)
}

// suggestFlag returns a "did you mean" for an undefined flag.
func (c *command) suggestFlag(err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: ")
	if !ok {
		return ""
	}
	var names []string
	c.fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if s := config.Suggest(strings.TrimLeft(name, "-"), names); s != "" {
		return fmt.Sprintf(" (did you mean --%s?)", s)
	}
	return ""
}

// interleave moves flags after positional arguments to the front, so that both
// `scan DIR --format json` and `scan --format json DIR` work.
func (c *command) interleave(args []string) []string {
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
			if !strings.Contains(a, "=") && c.takesValue(a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	return append(flags, positional...)
}

// takesValue reports whether a flag consumes the next argument: every defined flag but
// the boolean ones.
func (c *command) takesValue(arg string) bool {
	f := c.fs.Lookup(strings.TrimLeft(arg, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// set reports whether the flag name was given on the command line.
func (c *command) set(name string) bool {
	found := false
	c.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// checkChoice returns a usage error when value is not one of allowed.
func checkChoice(flagName, value string, allowed []string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return usagef("unknown %s %q%s (want one of %s)", flagName, value, config.DidYouMean(value, allowed), strings.Join(allowed, ", "))
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
