package scan

import (
	"context"
	"sort"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
)

// summarize keeps what the repository pass needs of a parsed file: every secret a step
// can read, once per name and position.
func summarize(p *model.Pipeline) model.RepositoryFile {
	sum := model.RepositoryFile{File: p.File, Platform: p.Platform}
	type key struct {
		name string
		pos  model.Pos
	}
	seen := map[key]bool{}
	for _, job := range p.Jobs {
		for _, step := range job.Steps {
			for _, s := range step.SecretsInScope {
				k := key{s.Name, s.Pos}
				if seen[k] {
					continue
				}
				seen[k] = true
				sum.Secrets = append(sum.Secrets, model.RepositorySecret{ScopedSecret: s, Job: job.ID, Step: step.Label})
			}
		}
	}
	return sum
}

// repositoryPass groups the scanned files by repository and runs the repository rules
// once over each group.
func (s *Scanner) repositoryPass(ctx context.Context, files []discover.File, results []fileResult, inv *inventories) ([]engine.Evaluated, []engine.RuleError) {
	if !s.eng.HasRepositoryRules() {
		return nil, nil
	}
	// A repository whose files have different inventories (projects inside it with their
	// own) is passed once per inventory.
	type group struct {
		root      string
		inventory *model.Inventory
	}
	repos := map[group]*model.Repository{}
	var groups []group
	for i, f := range files {
		if results[i].err != nil {
			continue
		}
		root := discover.ReportPath(f.RepoRoot)
		if f.RepoRoot == "" {
			root = f.Path
		}
		g := group{root, inv.of(f)}
		repo := repos[g]
		if repo == nil {
			repo = &model.Repository{Root: root, Now: s.opts.Now.Format(config.DateLayout), Inventory: g.inventory}
			repos[g] = repo
			groups = append(groups, g)
		}
		repo.Files = append(repo.Files, results[i].summary)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].root < groups[j].root })
	var findings []engine.Evaluated
	var errs []engine.RuleError
	for _, g := range groups {
		f, e := s.eng.EvaluateRepository(ctx, repos[g])
		findings = append(findings, f...)
		errs = append(errs, e...)
	}
	return findings, errs
}
