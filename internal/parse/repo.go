package parse

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/pipeguard/pipeguard/internal/fileread"
)

// maxLinkHops bounds the symbolic links followed to resolve one repository path (as
// Linux does with ELOOP).
const maxLinkHops = 40

// Errors of ReadRepoFile, for callers that tell them apart.
var (
	// ErrOutsideRepo is returned for a path that resolves outside the repository.
	ErrOutsideRepo = errors.New("resolves outside the repository")
	// ErrNotRegular is returned for a path that is not a regular file (a directory, a
	// FIFO, a device).
	ErrNotRegular = fileread.ErrNotRegular
	// ErrTooLarge is returned for a file over the size limit.
	ErrTooLarge = fileread.ErrTooLarge
)

// ReadRepoFile reads the file name of the repository (in.Repo; slash-separated,
// relative to its root) for a parser, as the scanned tree allows it and no more:
//   - symbolic links are followed inside the repository only: a link whose target is
//     absolute or climbs out of the root is ErrOutsideRepo, and is not read;
//   - only regular files are read: a directory, a FIFO (whose open would block for
//     ever) or a device such as /dev/zero is ErrNotRegular;
//   - at most in.MaxSize bytes are read, whatever the file's size claims to be; a
//     longer file is ErrTooLarge.
//
// The links are resolved through fs.ReadLinkFS (os.DirFS implements it); a file system
// without links is read as it is.
func ReadRepoFile(in Input, name string) ([]byte, error) {
	if in.Repo == nil {
		return nil, errors.New("no repository to read from")
	}
	if !fs.ValidPath(name) {
		return nil, fmt.Errorf("invalid path %q", name)
	}
	resolved, err := resolveInRepo(in.Repo, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	info, err := lstat(in.Repo, resolved)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: %w", name, ErrNotRegular)
	}
	data, err := fileread.ReadFS(in.Repo, resolved, in.maxSize())
	switch {
	case errors.Is(err, ErrTooLarge):
		return nil, fmt.Errorf("read %s: %w (%d bytes)", name, ErrTooLarge, in.maxSize())
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}

// resolveInRepo resolves the symbolic links of every component of name inside repo and
// returns the path they lead to, or ErrOutsideRepo.
func resolveInRepo(repo fs.FS, name string) (string, error) {
	links, ok := repo.(fs.ReadLinkFS)
	if !ok {
		return name, nil
	}
	done, rest := "", name // done is resolved and holds no links; rest is still to walk
	for hops := 0; rest != ""; {
		var elem string
		elem, rest, _ = strings.Cut(rest, "/")
		next := path.Join(done, elem)
		info, err := links.Lstat(next)
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = next
			continue
		}
		if hops++; hops > maxLinkHops {
			return "", fmt.Errorf("more than %d symbolic links", maxLinkHops)
		}
		target, err := links.ReadLink(next)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) || strings.HasPrefix(target, `\`) {
			return "", fmt.Errorf("%w (a link to %s)", ErrOutsideRepo, target)
		}
		joined := path.Join(done, target)
		if joined == ".." || strings.HasPrefix(joined, "../") {
			return "", fmt.Errorf("%w (a link to %s)", ErrOutsideRepo, target)
		}
		// Walk the target again from the root: it may hold links of its own.
		done, rest = "", strings.TrimPrefix(path.Join(joined, rest), "./")
		if rest == "." {
			rest = ""
		}
	}
	if done == "" {
		return ".", nil
	}
	return done, nil
}

// lstat returns the file info of name without following a final link (there is none
// left after resolveInRepo).
func lstat(repo fs.FS, name string) (fs.FileInfo, error) {
	if links, ok := repo.(fs.ReadLinkFS); ok {
		return links.Lstat(name)
	}
	return fs.Stat(repo, name)
}
