// Package discover decides which files are pipelines and of which platform.
//
// Directories are walked with the default patterns of every platform (skipping .git,
// node_modules and vendor, and never following a link out of the scanned tree); an
// explicit file argument is always scanned, its platform taken from its name or from
// the --platform flag.
package discover

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// DefaultMaxSize is the largest file pipeguard reads (5 MiB); larger files are reported.
const DefaultMaxSize = 5 << 20

// File is one pipeline file to scan.
type File struct {
	// Path is the path reported in findings: as given on the command line joined with
	// the path below it, slash-separated.
	Path string
	// DiskPath is where the file is on disk.
	DiskPath string
	Platform string
	// RepoRoot is the directory of the repository the file belongs to (the nearest
	// directory that holds the platform's marker such as .gitlab-ci.yml or .github, else
	// the nearest one with .git, else the scanned directory).
	RepoRoot string
	// Size is the file's size in bytes.
	Size int64
}

// Options tune discovery.
type Options struct {
	// Platform forces the platform of explicit file arguments whose name says nothing.
	Platform string
}

// ErrNotFound is wrapped by errors about paths that do not exist.
var ErrNotFound = errors.New("no such file or directory")

// Discover returns the pipeline files under paths, sorted by path. An error means an
// argument is unusable (missing path, unknown platform of an explicit file); it is
// returned together with the files found for the other arguments.
func Discover(paths []string, opts Options) ([]File, error) {
	var files []File
	var errs []error
	seen := map[string]bool{}
	for _, arg := range paths {
		found, err := discoverArg(arg, opts)
		if err != nil {
			errs = append(errs, err)
		}
		for _, f := range found {
			if !seen[f.DiskPath] {
				seen[f.DiskPath] = true
				files = append(files, f)
			}
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, errors.Join(errs...)
}

func discoverArg(arg string, opts Options) ([]File, error) {
	info, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", arg, ErrNotFound)
		}
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	if !info.IsDir() {
		platform := PlatformOf(filepath.ToSlash(arg))
		if platform == "" {
			platform = opts.Platform
		}
		if platform == "" {
			return nil, fmt.Errorf("%s: cannot tell which CI platform this file is for; name it like one (e.g. .github/workflows/x.yml, .gitlab-ci.yml, Jenkinsfile) or pass --platform", arg)
		}
		return []File{{Path: ReportPath(arg), DiskPath: arg, Platform: platform, RepoRoot: repoRoot(filepath.Dir(arg), filepath.Dir(arg), platform), Size: info.Size()}}, nil
	}
	return walkDir(arg)
}

// walkDir finds the pipeline files below root by their default patterns.
func walkDir(root string) ([]File, error) {
	var files []File
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", root, err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable subdirectory does not stop the scan
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "vendor":
				if p != root {
					return filepath.SkipDir
				}
			}
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return nil
		}
		platform := defaultPlatformOf(filepath.ToSlash(rel))
		if platform == "" {
			return nil
		}
		info, err := os.Stat(p) // follows links
		if err != nil || info.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !insideTree(p, rootAbs) {
			return nil
		}
		files = append(files, File{
			Path:     ReportPath(p),
			DiskPath: p,
			Platform: platform,
			RepoRoot: repoRoot(filepath.Dir(p), root, platform),
			Size:     info.Size(),
		})
		return nil
	})
	if err != nil {
		return files, fmt.Errorf("walk %s: %w", root, err)
	}
	return files, nil
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

// defaultPlatformOf applies the directory-walk patterns to a path relative to the
// scanned directory.
func defaultPlatformOf(rel string) string {
	base := path.Base(rel)
	dir := path.Dir(rel)
	switch {
	case path.Base(dir) == "workflows" && path.Base(path.Dir(dir)) == ".github" && isYAML(base):
		return model.PlatformGitHub
	case base == "action.yml" || base == "action.yaml":
		return model.PlatformGitHub
	case base == ".gitlab-ci.yml" || strings.HasSuffix(base, ".gitlab-ci.yml"):
		return model.PlatformGitLab
	case path.Base(dir) == ".circleci" && (base == "config.yml" || base == "config.yaml"):
		return model.PlatformCircleCI
	case isJenkinsfile(base):
		return model.PlatformJenkins
	}
	return ""
}

// PlatformOf returns the platform an explicitly named file belongs to, judged by its
// path, or "" when the path says nothing. It accepts more than the directory walk does
// (any YAML file under .circleci/ or .github/workflows/, and GitLab's .gitlab-ci.yaml).
func PlatformOf(p string) string {
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if platform := defaultPlatformOf(p); platform != "" {
		return platform
	}
	base := path.Base(p)
	switch {
	case strings.Contains("/"+p, "/.github/workflows/") && isYAML(base):
		return model.PlatformGitHub
	case strings.Contains("/"+p, "/.circleci/") && isYAML(base):
		return model.PlatformCircleCI
	case base == ".gitlab-ci.yaml" || strings.HasSuffix(base, ".gitlab-ci.yaml"):
		return model.PlatformGitLab
	}
	return ""
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")
}

func isJenkinsfile(base string) bool {
	return base == "Jenkinsfile" || strings.HasPrefix(base, "Jenkinsfile.") ||
		strings.HasSuffix(base, ".jenkinsfile") || strings.HasSuffix(base, ".Jenkinsfile")
}

// repoRoot finds the repository a file in dir belongs to: the nearest directory that
// holds the platform's marker (.gitlab-ci.yml, .github, .circleci), else the nearest one
// with .git, else stop (the scanned directory). The marker wins so that a project kept
// inside another repository (a fixture, a monorepo part) resolves its own includes.
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
