// Command pipeguard is a security linter for CI/CD pipeline configuration.
package main

import (
	"os"

	"github.com/pipeguard/pipeguard/internal/cli"
)

func main() {
	info, err := os.Stdout.Stat()
	isTerminal := err == nil && info.Mode()&os.ModeCharDevice != 0
	os.Exit(cli.Run(os.Args[1:], cli.Env{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Getenv:     os.Getenv,
		IsTerminal: isTerminal,
	}))
}
