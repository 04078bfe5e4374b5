package scan

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
)

// fileResult is the outcome of scanning one file.
type fileResult struct {
	findings   []engine.Evaluated
	ruleErrors []engine.RuleError
	secrets    []model.FoundSecret
	// summary is what the repository pass needs of the file.
	summary model.RepositoryFile
	data    []byte // kept for standard input only, to quote its lines
	err     error  // an I/O error: the file could not be read at all
}

// scanFile scans one file. A panic in a parser or in evaluation is turned into a
// parse-error finding: one bad file never stops the scan of the others.
// inventory is the credential inventory of the file's repository, nil when it has none.
func (s *Scanner) scanFile(ctx context.Context, f discover.File, stdin []byte, inventory *model.Inventory) (res fileResult) {
	defer func() {
		if r := recover(); r != nil {
			res = s.unreadable(ctx, f, fmt.Sprintf("internal error while scanning this file: %v", r))
		}
	}()
	var data []byte
	if f.Path == StdinPath {
		data = stdin
		res.data = data
	} else {
		if f.Size > s.opts.MaxSize {
			return s.unreadable(ctx, f, fmt.Sprintf("file is %s, over the %s size limit (--max-size): not scanned", humanSize(f.Size), humanSize(s.opts.MaxSize)))
		}
		var err error
		if data, err = os.ReadFile(f.DiskPath); err != nil {
			return fileResult{err: fmt.Errorf("read: %w", err)}
		}
	}
	if int64(len(data)) > s.opts.MaxSize {
		r := s.unreadable(ctx, f, fmt.Sprintf("input is over the %s size limit (--max-size): not scanned", humanSize(s.opts.MaxSize)))
		r.data = res.data
		return r
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return s.unreadable(ctx, f, "binary file (it contains NUL bytes): not a pipeline")
	}
	in := parse.Input{Path: f.Path, Data: data, RunnerIsolation: s.opts.RunnerIsolation}
	if f.DiskPath != "" && f.RepoRoot != "" {
		in.Repo = os.DirFS(f.RepoRoot)
		in.RepoPath, in.ReportPrefix = RepoRelative(f)
	}
	pipeline, err := parse.File(f.Platform, in)
	if err != nil {
		return fileResult{err: err}
	}
	pipeline.Inventory = inventory
	res.findings, res.ruleErrors = s.eng.Evaluate(ctx, pipeline)
	res.secrets = model.FindSecrets(pipeline)
	res.summary = summarize(pipeline)
	return res
}

// unreadable reports a file that could not be scanned as a parse-error finding, through
// the engine so that the finding has the rule's metadata.
func (s *Scanner) unreadable(ctx context.Context, f discover.File, msg string) fileResult {
	p := &model.Pipeline{Platform: f.Platform, File: f.Path, Kind: model.KindPipeline,
		ParseErrors: []model.ParseError{{Message: msg, Pos: model.Point(1, 1)}}}
	findings, errs := s.eng.Evaluate(ctx, p)
	return fileResult{findings: findings, ruleErrors: errs}
}

// RepoRelative returns a file's path inside its repository and the prefix that turns
// such paths back into reported paths.
func RepoRelative(f discover.File) (repoPath, reportPrefix string) {
	rel, err := filepath.Rel(f.RepoRoot, f.DiskPath)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.Base(f.DiskPath), strings.TrimSuffix(f.Path, filepath.Base(f.DiskPath))
	}
	rel = filepath.ToSlash(rel)
	return rel, strings.TrimSuffix(f.Path, rel)
}

func humanSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	if n >= 1<<10 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
