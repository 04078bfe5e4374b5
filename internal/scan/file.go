package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/fileread"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/report"
)

// fileResult is the outcome of scanning one file.
type fileResult struct {
	findings   []engine.Evaluated
	ruleErrors []engine.RuleError
	secrets    []model.FoundSecret
	// summary is what the repository pass needs of the file.
	summary model.RepositoryFile
	// ignores are the inline-ignore comments of the file and of the files it includes,
	// matched with the file's findings (nil with Options.NoInlineIgnores).
	ignores *ignoreSet
	// locations are the repository-relative paths of the files its findings are in.
	locations map[string]report.Location
	data      []byte // kept for standard input only, to quote its lines
	// quotable are the reported paths of the files the text report may quote lines of:
	// the file itself and the repository files its parser read (GitLab local includes).
	quotable []string
	err      error // an I/O error: the file could not be read at all
	// took is what reading, parsing and evaluating the file cost.
	took struct{ read, parse, evaluate time.Duration }
	// dropped is set for a file scanned for discover.File.ForIncludes that includes none
	// of them: it was not asked for.
	dropped bool
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
		start := time.Now()
		data, err = fileread.Read(f.DiskPath, s.opts.MaxSize)
		res.took.read = time.Since(start)
		switch {
		case errors.Is(err, fileread.ErrTooLarge):
			return s.unreadable(ctx, f, fmt.Sprintf("file is over the %s size limit (--max-size): not scanned", humanSize(s.opts.MaxSize)))
		case errors.Is(err, fileread.ErrNotRegular):
			return fileResult{err: errors.New("not a regular file (a FIFO, a device or a socket): not read")}
		case err != nil:
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
	in := parse.Input{Path: f.Path, Data: data, RunnerIsolation: s.opts.RunnerIsolation, MaxSize: s.opts.MaxSize}
	var repo *recordingFS
	if f.DiskPath != "" && f.RepoRoot != "" {
		repo = &recordingFS{fsys: os.DirFS(f.RepoRoot)}
		in.Repo = repo
		in.RepoPath, in.ReportPrefix = RepoRelative(f)
	}
	start := time.Now()
	pipeline, err := parse.File(f.Platform, in)
	res.took.parse = time.Since(start)
	if err != nil {
		return fileResult{err: err}
	}
	if len(f.ForIncludes) > 0 && !repo.openedAny(f.ForIncludes) {
		return fileResult{dropped: true}
	}
	pipeline.Inventory = inventory
	start = time.Now()
	res.findings, res.ruleErrors = s.eng.Evaluate(ctx, pipeline)
	res.took.evaluate = time.Since(start)
	res.findings = append(res.findings, unreadableIncludes(pipeline)...)
	res.secrets = pipeline.FoundSecrets
	res.summary = summarize(pipeline)
	res.quotable = []string{f.Path}
	if repo != nil {
		for _, name := range repo.opened() {
			res.quotable = append(res.quotable, in.ReportPrefix+name)
		}
	}
	if !s.opts.NoInlineIgnores {
		res.ignores = newIgnoreSet()
		res.ignores.addFile(pipeline.File, pipeline.Platform, data)
		if repo != nil {
			for _, name := range repo.opened() {
				if name != in.RepoPath {
					if included := readRepoFile(in, name); included != nil {
						res.ignores.addFile(in.ReportPrefix+name, pipeline.Platform, included)
					}
				}
			}
		}
		res.ignores.match(pipeline, res.findings)
	}
	res.locations = map[string]report.Location{}
	for _, ev := range res.findings {
		if _, ok := res.locations[ev.File]; !ok {
			res.locations[ev.File] = locate(ev.File, f.Root)
		}
	}
	return res
}

// locate returns where the file at a reported path is in the repository at root.
func locate(file, root string) report.Location {
	if file == StdinPath || root == "" {
		return report.Location{Path: file}
	}
	abs, err := filepath.Abs(filepath.FromSlash(file))
	if err != nil {
		return report.Location{Path: file}
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return report.Location{Path: file}
	}
	return report.Location{Root: root, Path: filepath.ToSlash(rel)}
}

// recordingFS is the repository as a parser reads it (GitLab local includes), noting
// every name opened.
type recordingFS struct {
	fsys  fs.FS
	names []string
	seen  map[string]bool
}

// ReadLink and Lstat let parse.ReadRepoFile see the repository's symbolic links (a link
// out of the tree is refused, not followed).
func (r *recordingFS) ReadLink(name string) (string, error) {
	return fs.ReadLink(r.fsys, name)
}

// Lstat is fs.Lstat on the repository.
func (r *recordingFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(r.fsys, name) }

// Open opens name in the repository and notes it.
func (r *recordingFS) Open(name string) (fs.File, error) {
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if !r.seen[name] {
		r.seen[name] = true
		r.names = append(r.names, name)
	}
	return r.fsys.Open(name)
}

// opened returns the names opened, in order.
func (r *recordingFS) opened() []string { return r.names }

// openedAny reports whether any of names was opened.
func (r *recordingFS) openedAny(names []string) bool {
	if r == nil {
		return false
	}
	for _, n := range names {
		if r.seen[n] {
			return true
		}
	}
	return false
}

// readRepoFile reads a file of the repository the way the parsers do (inside the tree,
// regular files only, bounded), or returns nil.
func readRepoFile(in parse.Input, name string) []byte {
	data, err := parse.ReadRepoFile(in, name)
	if err != nil || bytes.IndexByte(data, 0) >= 0 {
		return nil
	}
	return data
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
