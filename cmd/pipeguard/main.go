// Command pipeguard is a security linter for CI/CD pipeline configuration.
package main

import (
	"os"

	"github.com/pipeguard/pipeguard/internal/cli"
)

func main() { os.Exit(cli.Main()) }
