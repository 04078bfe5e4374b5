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
	repos := map[string]*model.Repository{}
	var roots []string
	for i, f := range files {
		if results[i].err != nil {
			continue
		}
		root := discover.ReportPath(f.RepoRoot)
		if f.RepoRoot == "" {
			root = f.Path
		}
		repo := repos[root]
		if repo == nil {
			repo = &model.Repository{Root: root, Now: s.opts.Now.Format(config.DateLayout), Inventory: inv.of(f)}
			repos[root] = repo
			roots = append(roots, root)
		}
		repo.Files = append(repo.Files, results[i].summary)
	}
	sort.Strings(roots)
	var findings []engine.Evaluated
	var errs []engine.RuleError
	for _, root := range roots {
		f, e := s.eng.EvaluateRepository(ctx, repos[root])
		findings = append(findings, f...)
		errs = append(errs, e...)
	}
	return findings, errs
}
