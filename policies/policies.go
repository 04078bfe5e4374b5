// Package policies embeds pipeguard's built-in Rego rules, their helpers and the data
// tables they use (agent CLIs, credential names, runner labels, attacker-controlled
// contexts). The tables are plain JSON under lib/ so they can be updated without Go
// changes; the parsers read the runner table through RunnerTables.
package policies

import (
	"embed"
	"encoding/json"
	"fmt"
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
	runnersOnce sync.Once
	runners     Runners
	runnersErr  error
)

// RunnerTables returns the runner table. The file is embedded, so an error means the
// binary was built from a broken tree; a test guards against that.
func RunnerTables() (Runners, error) {
	runnersOnce.Do(func() {
		var doc struct {
			Pipeguard struct {
				Runners Runners `json:"runners"`
			} `json:"pipeguard"`
		}
		data, err := FS.ReadFile("lib/runners.json")
		if err == nil {
			err = json.Unmarshal(data, &doc)
		}
		if err != nil {
			runnersErr = fmt.Errorf("read lib/runners.json: %w", err)
			return
		}
		runners = doc.Pipeguard.Runners
	})
	return runners, runnersErr
}
