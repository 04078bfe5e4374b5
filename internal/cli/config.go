package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/pipeguard/pipeguard/internal/config"
)

const configUsage = `Usage: pipeguard config init [FILE] [--force]

Writes a commented starter configuration to FILE (default .pipeguard.yml; - for
standard output). It sets every key to its default, so it changes nothing until edited.
`

// runConfig runs `config init`.
func runConfig(args []string, env Env) error {
	if len(args) == 0 || args[0] != "init" {
		return usagef("usage: pipeguard config init [FILE] [--force]")
	}
	c := newCommand("config init", configUsage)
	force := c.fs.Bool("force", false, "overwrite FILE if it exists")
	rest, err := c.parse(args[1:], env)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usagef("usage: pipeguard config init [FILE] [--force]")
	}
	path := config.FileNames[0]
	if len(rest) == 1 {
		path = rest[0]
	}
	if path == "-" {
		_, err := env.Stdout.Write(config.Starter)
		return err
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644) //nolint:gosec // a file to commit, readable by all like the rest of the repository
	if errors.Is(err, fs.ErrExist) {
		return usagef("%s exists; pass --force to overwrite it", path)
	}
	if err != nil {
		return usagef("create %s: %v", path, err)
	}
	_, err = f.Write(config.Starter)
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	say(env, "wrote %s", path)
	return nil
}
