package script

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pipeguard/pipeguard/internal/model"
)

// wrapper describes a command that runs the command given in its arguments.
type wrapper struct {
	// shortValue lists the short options that take a value; longValue the long ones
	// (a `--name=value` form never consumes the next word).
	shortValue string
	longValue  []string
	// scriptShort and scriptLong name the option whose value is a shell script to run
	// (`npx -c 'cmd'`).
	scriptShort byte
	scriptLong  string
	// packageShort and packageLong name the option whose value is a package a package
	// runner fetches (`npx -p @openai/codex codex`, `--package=…`).
	packageShort byte
	packageLong  string
	// envAssignments is set when NAME=value words after the options set the environment
	// of the command (env, sudo).
	envAssignments bool
	// operands is the number of words between the options and the command (the duration
	// of timeout).
	operands int
	// refuse lists short options with which the wrapper does not run the command
	// (`command -v`, `sudo -l`).
	refuse string
}

var (
	npxWrapper = wrapper{shortValue: "pc", longValue: []string{"package", "call"}, scriptShort: 'c', scriptLong: "call",
		packageShort: 'p', packageLong: "package"}
	bunxWrapper = wrapper{shortValue: "p", longValue: []string{"package"}, packageShort: 'p', packageLong: "package"}
	dlxWrapper  = wrapper{shortValue: "p", longValue: []string{"package"}, packageShort: 'p', packageLong: "package"}
)

// wrappers are the wrapper commands known by their own name.
var wrappers = map[string]wrapper{
	"sudo": {
		shortValue: "CDgpRrTtUu",
		longValue: []string{"close-from", "chdir", "group", "prompt", "chroot", "role",
			"command-timeout", "type", "other-user", "user", "host"},
		envAssignments: true,
		refuse:         "elV",
	},
	"env": {
		shortValue:     "uCS",
		longValue:      []string{"unset", "chdir", "split-string"},
		envAssignments: true,
	},
	"npx":     npxWrapper,
	"pnpx":    npxWrapper,
	"bunx":    bunxWrapper,
	"timeout": {shortValue: "sk", longValue: []string{"signal", "kill-after"}, operands: 1},
	"nohup":   {},
	"time":    {shortValue: "fo", longValue: []string{"format", "output"}},
	"nice":    {shortValue: "n", longValue: []string{"adjustment"}},
	"xargs": {
		shortValue: "aEdILnPs",
		longValue: []string{"arg-file", "delimiter", "eof", "replace", "max-lines", "max-args",
			"max-procs", "max-chars", "process-slot-var"},
	},
	"stdbuf":  {shortValue: "ioe", longValue: []string{"input", "output", "error"}},
	"exec":    {shortValue: "a"},
	"command": {refuse: "vV"},
}

// subcommandWrappers are wrappers spelled as a command and a subcommand (`pnpm dlx`).
var subcommandWrappers = map[string]map[string]wrapper{
	"npm":  {"exec": npxWrapper, "x": npxWrapper},
	"pnpm": {"dlx": dlxWrapper, "exec": {}},
	"yarn": {"dlx": dlxWrapper, "exec": {}},
	"bun":  {"x": bunxWrapper},
}

// maxWrappers bounds how many wrappers are removed from one command.
const maxWrappers = 16

// unwrapped is a command with its wrappers removed.
type unwrapped struct {
	argv     []argWord
	env      []envVar
	wrappers []string
	// packages are the values of the wrappers' package options (wrapper.packageShort).
	packages []argWord
	// script is the index in argv of the shell script the innermost wrapper runs
	// (`bash -c SCRIPT`, `npx -c SCRIPT`), -1 for none; argv is then the wrapper's own
	// argv.
	script       int
	scriptInterp interpreter
}

// unwrap removes the wrappers at the front of args. A wrapper is only removed when a
// command remains after it.
func unwrap(args []argWord) unwrapped {
	u := unwrapped{argv: args, script: -1}
	for len(u.wrappers) < maxWrappers && len(u.argv) > 0 && !u.argv[0].Dynamic {
		name := commandName(u.argv[0].Value)
		if lang, ok := shellLanguage(name); ok {
			if script, ok := shellScript(u.argv); ok {
				u.script = script
				u.scriptInterp = interpBash
				if lang == syntax.LangPOSIX {
					u.scriptInterp = interpPOSIX
				}
				u.wrappers = append(u.wrappers, name+" -c")
			}
			return u
		}
		label, spec, first, ok := lookupWrapper(u.argv)
		if !ok {
			return u
		}
		rest, env, packages, script, ok := spec.unwrap(u.argv, first)
		if !ok {
			return u
		}
		u.wrappers = append(u.wrappers, label)
		u.env = append(u.env, env...)
		u.packages = append(u.packages, packages...)
		if script >= 0 {
			u.script = script
			u.scriptInterp = interpPOSIX
			return u
		}
		u.argv = rest
	}
	return u
}

// lookupWrapper finds the wrapper that argv starts with, its label and the index of its
// first argument.
func lookupWrapper(argv []argWord) (string, wrapper, int, bool) {
	name := commandName(argv[0].Value)
	if spec, ok := wrappers[name]; ok {
		return name, spec, 1, true
	}
	if subs, ok := subcommandWrappers[name]; ok && len(argv) > 1 && !argv[1].Dynamic {
		if spec, ok := subs[argv[1].Value]; ok {
			return name + " " + argv[1].Value, spec, 2, true
		}
	}
	return "", wrapper{}, 0, false
}

// unwrap skips the wrapper's options from args[i] on and returns the wrapped command,
// the environment the wrapper sets and the values of its package option, or the index in
// args of the script option's value (-1 for none).
func (s wrapper) unwrap(args []argWord, i int) ([]argWord, []envVar, []argWord, int, bool) {
	script := -1
	var packages []argWord
options:
	for i < len(args) {
		v := args[i].Value
		switch {
		case args[i].Dynamic && !dynamicValueOption(v), len(v) < 2, v[0] != '-':
			break options
		case v == "--":
			i++
			break options
		}
		i++
		if strings.HasPrefix(v, "--") {
			name, _, hasValue := strings.Cut(v[2:], "=")
			switch {
			case hasValue && name == s.packageLong && s.packageLong != "":
				packages = append(packages, args[i-1].suffix(len("--"+name+"=")))
			case !hasValue && slices.Contains(s.longValue, name) && i < len(args):
				if name == s.scriptLong {
					script = i
				}
				if name == s.packageLong {
					packages = append(packages, args[i])
				}
				i++
			}
			continue
		}
		for k := 1; k < len(v); k++ {
			if strings.IndexByte(s.refuse, v[k]) >= 0 {
				return nil, nil, nil, -1, false
			}
			if strings.IndexByte(s.shortValue, v[k]) < 0 {
				continue
			}
			switch {
			case k+1 < len(v) && v[k] == s.packageShort:
				packages = append(packages, args[i-1].suffix(k+1))
			case k+1 == len(v) && i < len(args):
				if v[k] == s.scriptShort {
					script = i
				}
				if v[k] == s.packageShort {
					packages = append(packages, args[i])
				}
				i++
			}
			break
		}
	}
	if script >= 0 {
		return nil, nil, nil, script, true
	}
	var env []envVar
	for s.envAssignments && i < len(args) {
		v, ok := args[i].envVar()
		if !ok {
			break
		}
		env = append(env, v)
		i++
	}
	i += s.operands
	if i >= len(args) {
		return nil, nil, nil, -1, false
	}
	return args[i:], env, packages, -1, true
}

// dynamicValueOption reports whether the value of a dynamic word is a long option with a
// literal name and a value only known at run time (`--package="x@$V"`): the written form
// of a dynamic part never starts with `-`, so the name is literal when it holds none.
func dynamicValueOption(v string) bool {
	name, _, ok := strings.Cut(v, "=")
	return ok && strings.HasPrefix(name, "--") && !strings.ContainsAny(name, "$`")
}

// envVar reads a `NAME=value` argument (of env or sudo) as an environment variable.
func (w argWord) envVar() (envVar, bool) {
	name, value, ok := strings.Cut(w.Value, "=")
	if !ok || !syntax.ValidName(name) {
		return envVar{}, false
	}
	m := w.valueMap()
	v := envVar{
		Var: model.Var{
			Name: name,
			Pos:  m.Pos(0, len(name)),
			Value: model.Text{
				Value:   value,
				Pos:     m.Pos(len(name)+1, len(w.Value)),
				Literal: !w.Dynamic,
			},
		},
		nameStart: w.start,
		valueEnd:  w.end,
	}
	if w.a != nil {
		v.Value.Interpolations = w.a.interpolations(w.start, w.end)
	}
	return v, true
}

// shellScript returns the index of the script argument of `bash [options] -c SCRIPT
// [args…]`.
func shellScript(argv []argWord) (int, bool) {
	sawC := false
	i := 1
options:
	for i < len(argv) {
		v := argv[i].Value
		switch {
		case argv[i].Dynamic || len(v) < 2 || (v[0] != '-' && v[0] != '+'):
			break options
		case v == "--":
			i++
			break options
		case strings.HasPrefix(v, "--"):
			i++
			if v == "--rcfile" || v == "--init-file" {
				i++
			}
			continue
		}
		i++
		if v[0] == '-' && strings.IndexByte(v[1:], 'c') >= 0 {
			sawC = true
		}
		if last := v[len(v)-1]; last == 'o' || last == 'O' {
			i++ // -o option, -O shopt_option
		}
	}
	if !sawC || i >= len(argv) {
		return 0, false
	}
	return i, true
}
