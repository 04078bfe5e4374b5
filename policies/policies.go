// Package policies embeds pipeguard's built-in Rego rules, their helpers and the data
// tables they use (agent CLIs, credential names, runner labels, attacker-controlled
// contexts). The tables are plain JSON under lib/ so they can be updated without Go
// changes; the Go side reads the runner and context tables through RunnerTables and
// IsUntrustedContext.
package policies

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sync"
)

// FS holds every built-in policy file: rules/*.rego, lib/*.rego and lib/*.json.
//
//go:embed rules lib
var FS embed.FS

// Runners is the runner table of lib/runners.json.
type Runners struct {
	// GitHubHostedLabels are the exact `runs-on` labels of GitHub-hosted runners.
	GitHubHostedLabels []string `json:"github_hosted_labels"`
	// GitHubHostedPrefixes are label prefixes that GitHub-hosted runners use (larger
	// runners get custom names, so a prefix match alone is not proof: see the parser).
	GitHubHostedPrefixes []string `json:"github_hosted_prefixes"`
}

var (
	tablesOnce sync.Once
	runners    Runners
	untrusted  map[string][]*regexp.Regexp
	tablesErr  error
)

// loadTables reads the JSON tables the Go side uses, once.
func loadTables() {
	var runnersDoc struct {
		Pipeguard struct {
			Runners Runners `json:"runners"`
		} `json:"pipeguard"`
	}
	if tablesErr = readTable("lib/runners.json", &runnersDoc); tablesErr != nil {
		return
	}
	runners = runnersDoc.Pipeguard.Runners
	var contextsDoc struct {
		Pipeguard struct {
			Contexts struct {
				Untrusted map[string][]string `json:"untrusted"`
			} `json:"contexts"`
		} `json:"pipeguard"`
	}
	if tablesErr = readTable("lib/contexts.json", &contextsDoc); tablesErr != nil {
		return
	}
	untrusted = map[string][]*regexp.Regexp{}
	for kind, patterns := range contextsDoc.Pipeguard.Contexts.Untrusted {
		for _, p := range patterns {
			re, err := regexp.Compile(p)
			if err != nil {
				tablesErr = fmt.Errorf("lib/contexts.json: %s: %w", kind, err)
				return
			}
			untrusted[kind] = append(untrusted[kind], re)
		}
	}
}

func readTable(name string, dst any) error {
	data, err := FS.ReadFile(name)
	if err == nil {
		err = json.Unmarshal(data, dst)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}

// RunnerTables returns the runner table. The file is embedded, so an error means the
// binary was built from a broken tree; a test guards against that.
func RunnerTables() (Runners, error) {
	tablesOnce.Do(loadTables)
	return runners, tablesErr
}

// IsUntrustedContext reports whether a CI interpolation of kind (model.InterpGitHub, …)
// reads an attacker-controlled context, per lib/contexts.json: an issue or pull request
// title, a branch name, a commit message, a Jenkins build parameter, ….
func IsUntrustedContext(kind, expr string) bool {
	tablesOnce.Do(loadTables)
	for _, re := range untrusted[kind] {
		if re.MatchString(expr) {
			return true
		}
	}
	return false
}
