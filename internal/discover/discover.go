// Package discover decides which files are pipelines and of which platform.
//
// Directories are walked (skipping .git, node_modules and vendor, and never following a
// link out of the scanned tree), and each file is judged by its path relative to its
// repository root (File.Root), so that scanning `.github/workflows`, `.circleci` or
// `ci/` finds what scanning the whole repository would find there. Paths that only make
// a file likely to be a pipeline are confirmed by the file's content (patterns.go,
// content.go). An explicit file argument is always scanned, its platform taken from its
// path, its content or the --platform flag — unless Options.Hook says the arguments are
// files a hook passes, which are judged like the files of a directory.
package discover

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pipeguard/pipeguard/internal/fileread"
	"github.com/pipeguard/pipeguard/internal/model"
)

// DefaultMaxSize is the largest file pipeguard reads (fileread.DefaultMaxSize); larger
// files are reported.
const DefaultMaxSize = fileread.DefaultMaxSize

// File is one pipeline file to scan.
type File struct {
	// Path is the path reported in findings: as given on the command line joined with
	// the path below it, slash-separated.
	Path string
	// DiskPath is where the file is on disk.
	DiskPath string
	Platform string
	// RepoRoot is the directory GitLab local includes are read from: the nearest
	// directory that holds the platform's marker such as .gitlab-ci.yml or .github, else
	// the nearest one with .git, else the scanned directory.
	RepoRoot string
	// Root is the repository the file is reported in, as an absolute directory: the
	// nearest directory at or above the scanned path that holds .git, else the nearest
	// one that holds a platform marker (.github, .circleci, .gitlab-ci.yml), else the
	// scanned directory (a file argument's own directory). Discovery patterns are matched
	// against paths relative to it; SARIF, GitHub annotations, GitLab Code Quality,
	// fingerprints and baselines use such paths too.
	Root string
	// Size is the file's size in bytes.
	Size int64
	// ForIncludes is set on a .gitlab-ci.yml that is scanned only because a hook passed
	// files it may include: their paths relative to RepoRoot. The scan keeps the file's
	// results only when parsing it reads one of them.
	ForIncludes []string
}

// Skipped is a file that looked like a pipeline by its place but is not one.
type Skipped struct {
	Path   string
	Reason string
}

// Result is what discovery found.
type Result struct {
	// Files are the files to scan, sorted by Path.
	Files []File
	// Skipped are the candidates rejected by their content, sorted by Path.
	Skipped []Skipped
}

// Options tune discovery.
type Options struct {
	// Platform forces the platform of explicit file arguments whose path and content
	// say nothing.
	Platform string
	// Hook says the arguments are files a hook passes (pre-commit): each is judged like
	// a file found in a directory, those that are not pipelines are left out without an
	// error, and a YAML file that is not a pipeline brings in the .gitlab-ci.yml above it
	// (File.ForIncludes), since it may be a GitLab local include.
	Hook bool
	// MaxSize bounds what is read of a candidate to judge its content
	// (DefaultMaxSize if zero); a larger candidate is skipped.
	MaxSize int64
}

// ErrNotFound is wrapped by errors about paths that do not exist.
var ErrNotFound = errors.New("no such file or directory")

// Discover returns the pipeline files under paths. An error means an argument is
// unusable (missing path, unknown platform of an explicit file); it is returned together
// with what was found for the other arguments.
func Discover(paths []string, opts Options) (Result, error) {
	if opts.MaxSize <= 0 {
		opts.MaxSize = DefaultMaxSize
	}
	d := &discovery{opts: opts, seen: map[string]bool{}, includers: map[string]*File{}}
	var errs []error
	for _, arg := range paths {
		if err := d.arg(arg); err != nil {
			errs = append(errs, err)
		}
	}
	d.addIncluders()
	sort.Slice(d.res.Files, func(i, j int) bool { return d.res.Files[i].Path < d.res.Files[j].Path })
	sort.Slice(d.res.Skipped, func(i, j int) bool { return d.res.Skipped[i].Path < d.res.Skipped[j].Path })
	return d.res, errors.Join(errs...)
}

// discovery is the state of one Discover call.
type discovery struct {
	opts Options
	res  Result
	// seen holds the absolute paths of the files added, so that a file named twice is
	// scanned once.
	seen map[string]bool
	// includers are the .gitlab-ci.yml files a hook's non-pipeline YAML files may be
	// included by, by absolute path.
	includers map[string]*File
	// candidates counts the files judged, kept or skipped, seen before or not.
	candidates int
}

func (d *discovery) arg(arg string) error {
	info, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", arg, ErrNotFound)
		}
		return fmt.Errorf("%s: %w", arg, err)
	}
	if info.IsDir() {
		before := d.candidates
		if err := d.walk(arg); err != nil {
			return err
		}
		if !d.opts.Hook && d.candidates == before {
			return fmt.Errorf("%s: %w", arg, ErrNoPipelines)
		}
		return nil
	}
	return d.explicit(arg, info)
}

// ErrNoPipelines is wrapped by the error about a directory that holds no pipeline file.
var ErrNoPipelines = errors.New("no pipeline files found here (GitHub workflows and actions, .gitlab-ci.yml, .circleci/ configs, Jenkinsfiles)")

// walk finds the pipeline files below dir. A dir that is a symbolic link is followed
// (the files below it are reported under dir's name); links further down are followed
// only when they stay inside the tree. A subdirectory that cannot be read is an error of
// its own, and the walk goes on.
func (d *discovery) walk(dir string) error {
	walkRoot := dir
	if info, err := os.Lstat(dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		walkRoot = target
	}
	dirAbs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	root := findRoot(dirAbs)
	var unreadable []error
	err = filepath.WalkDir(walkRoot, func(walked string, entry fs.DirEntry, err error) error {
		p := walked
		if walkRoot != dir {
			rel, relErr := filepath.Rel(walkRoot, walked)
			if relErr != nil {
				return nil
			}
			p = filepath.Join(dir, rel)
		}
		if err != nil {
			if walked == walkRoot {
				return err
			}
			unreadable = append(unreadable, fmt.Errorf("%s: cannot be read, not scanned: %w", ReportPath(p), errors.Unwrap(err)))
			return nil
		}
		if entry.IsDir() {
			switch entry.Name() {
			case ".git", "node_modules", "vendor":
				if p != dir {
					return filepath.SkipDir
				}
			}
			return nil
		}
		below, err := filepath.Rel(dir, p)
		if err != nil {
			return nil
		}
		k, platform := classify(relSlash(root, filepath.Join(dirAbs, below)))
		if k == notPipeline {
			return nil
		}
		if entry.Type()&fs.ModeSymlink != 0 && !insideTree(p, dirAbs) {
			d.candidates++
			d.res.Skipped = append(d.res.Skipped, Skipped{Path: ReportPath(p), Reason: ReasonOutsideTree})
			return nil
		}
		info, err := os.Stat(p) // follows links
		if err != nil || info.IsDir() {
			return nil
		}
		d.judge(k, platform, File{Path: ReportPath(p), DiskPath: p, Root: root, Size: info.Size()}, dir)
		return nil
	})
	if err != nil {
		return fmt.Errorf("walk %s: %w", dir, err)
	}
	return errors.Join(unreadable...)
}

// judge adds a file of kind k, reading its content when its place is not enough; stop
// is the scanned directory (see add).
func (d *discovery) judge(k kind, platform string, f File, stop string) {
	d.candidates++
	if k != named {
		if f.Size > d.opts.MaxSize {
			d.skip(k, f, ReasonTooLarge)
			return
		}
		data, err := fileread.Read(f.DiskPath, d.opts.MaxSize)
		if err != nil {
			d.skip(k, f, ReasonUnreadable)
			return
		}
		if reason := contentReason(k, data); reason != "" {
			d.skip(k, f, reason)
			return
		}
	}
	f.Platform = platform
	d.add(f, stop)
}

// contentReason returns why data is not a pipeline of candidate kind k, or "".
func contentReason(k kind, data []byte) string {
	switch k {
	case circleciCandidate:
		if !isCircleCIConfig(data) {
			return ReasonNotCircleCI
		}
	case componentCandidate:
		if !isGitLabComponent(data) {
			return ReasonNotComponent
		}
	case groovyCandidate, jenkinsFolderFile:
		if !isJenkinsPipeline(data) {
			return ReasonNotJenkins
		}
	}
	return ""
}

// skip records a rejected candidate; only candidates in CI folders are reported, since
// a .groovy source or a Helm chart's templates/ is no one's pipeline.
func (d *discovery) skip(k kind, f File, reason string) {
	if k == circleciCandidate || k == jenkinsFolderFile {
		d.res.Skipped = append(d.res.Skipped, Skipped{Path: f.Path, Reason: reason})
	}
}

// add adds a file to scan once; stop is the directory, in the form of f.DiskPath, above
// which File.RepoRoot is not looked for.
func (d *discovery) add(f File, stop string) {
	abs, err := filepath.Abs(f.DiskPath)
	if err != nil {
		abs = f.DiskPath
	}
	if d.seen[abs] {
		return
	}
	d.seen[abs] = true
	f.RepoRoot = repoRoot(filepath.Dir(f.DiskPath), stop, f.Platform)
	d.res.Files = append(d.res.Files, f)
}

// explicit handles a file argument.
func (d *discovery) explicit(arg string, info fs.FileInfo) error {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return fmt.Errorf("%s: %w", arg, err)
	}
	root := findRoot(filepath.Dir(abs))
	rel := relSlash(root, abs)
	f := File{Path: ReportPath(arg), DiskPath: arg, Root: root, Size: info.Size()}
	if d.opts.Hook {
		k, platform := classify(rel)
		switch {
		case k != notPipeline:
			d.judge(k, platform, f, filepath.Dir(arg))
		case isYAML(rel):
			d.maybeIncluded(abs, root)
		}
		return nil
	}
	platform := PlatformOf(rel)
	if platform == "" {
		if k, p := classify(rel); k != notPipeline {
			if data, err := fileread.Read(arg, d.opts.MaxSize); err == nil && contentReason(k, data) == "" {
				platform = p
			}
		}
	}
	if platform == "" {
		platform = d.opts.Platform
	}
	if platform == "" {
		return fmt.Errorf("%s: cannot tell which CI platform this file is for; name it like one (e.g. .github/workflows/x.yml, .gitlab-ci.yml, Jenkinsfile) or pass --platform", arg)
	}
	f.Platform = platform
	d.add(f, filepath.Dir(arg))
	return nil
}

// maybeIncluded notes that the YAML file abs may be a local include of the nearest
// .gitlab-ci.yml above it (up to root).
func (d *discovery) maybeIncluded(abs, root string) {
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		ci := filepath.Join(dir, ".gitlab-ci.yml")
		if info, err := os.Stat(ci); err == nil && !info.IsDir() {
			inc := d.includers[ci]
			if inc == nil {
				inc = &File{Path: ReportPath(ci), DiskPath: ci, Platform: model.PlatformGitLab, Root: root, RepoRoot: dir, Size: info.Size()}
				d.includers[ci] = inc
			}
			inc.ForIncludes = append(inc.ForIncludes, relSlash(dir, abs))
			return
		}
		if dir == root || filepath.Dir(dir) == dir {
			return
		}
	}
}

// addIncluders adds the .gitlab-ci.yml files of maybeIncluded that are not scanned
// anyway.
func (d *discovery) addIncluders() {
	names := make([]string, 0, len(d.includers))
	for name := range d.includers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !d.seen[name] {
			d.seen[name] = true
			d.res.Files = append(d.res.Files, *d.includers[name])
		}
	}
}

// findRoot returns the repository root for a scanned directory (see File.Root).
func findRoot(dirAbs string) string {
	marker := ""
	for d := dirAbs; ; {
		if exists(filepath.Join(d, ".git")) {
			return d
		}
		if marker == "" && hasAnyMarker(d) {
			marker = d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if marker != "" {
		return marker
	}
	return dirAbs
}

func hasAnyMarker(dir string) bool {
	for _, platform := range []string{model.PlatformGitHub, model.PlatformGitLab, model.PlatformCircleCI} {
		if hasPlatformMarker(dir, platform) {
			return true
		}
	}
	return false
}

// relSlash returns target relative to base, slash-separated; target itself when it is
// not below base.
func relSlash(base, target string) string {
	rel, err := filepath.Rel(base, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(target)
	}
	return filepath.ToSlash(rel)
}

// insideTree reports whether the link p resolves to a file inside rootAbs.
func insideTree(p, rootAbs string) bool {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	target, err = filepath.Abs(target)
	if err != nil {
		return false
	}
	realRoot, err := filepath.EvalSymlinks(rootAbs)
	if err != nil {
		realRoot = rootAbs
	}
	rel, err := filepath.Rel(realRoot, target)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// repoRoot finds the repository a file in dir belongs to: the nearest directory that
// holds the platform's marker (.gitlab-ci.yml, .github, .circleci), else the nearest one
// with .git, else stop. The marker wins so that a project kept inside another repository
// (a fixture, a monorepo part) resolves its own includes.
func repoRoot(dir, stop, platform string) string {
	gitRoot := ""
	for d := dir; ; {
		if hasPlatformMarker(d, platform) {
			return d
		}
		if gitRoot == "" && exists(filepath.Join(d, ".git")) {
			gitRoot = d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if gitRoot != "" {
		return gitRoot
	}
	return stop
}

func hasPlatformMarker(dir, platform string) bool {
	switch platform {
	case model.PlatformGitLab:
		return exists(filepath.Join(dir, ".gitlab-ci.yml"))
	case model.PlatformGitHub:
		return exists(filepath.Join(dir, ".github"))
	case model.PlatformCircleCI:
		return exists(filepath.Join(dir, ".circleci"))
	}
	return false
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// ReportPath turns a disk path into the reported form: slash-separated, relative to
// the working directory when it lies below it.
func ReportPath(p string) string {
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}
