package scan

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/report"
)

// inventories holds the credential inventories of a scan, each read once.
type inventories struct {
	// only is the inventory of Options.InventoryPath, which holds for every file.
	only *model.Inventory
	// byFile maps a file's disk path to the inventory that holds for it.
	byFile map[string]*model.Inventory
}

// of returns the inventory that holds for f, nil when there is none.
func (inv *inventories) of(f discover.File) *model.Inventory {
	if inv.only != nil {
		return inv.only
	}
	return inv.byFile[f.DiskPath]
}

// maxInventoryWalk bounds the directories looked at between a file and its repository
// root.
const maxInventoryWalk = 64

// loadInventories reads Options.InventoryPath, or else, for each file, the nearest
// config.DefaultInventory in the directories from the file's up to its repository
// root (a repository's own at its root; a project inside a repository may have its
// own). A missing default inventory is no error; a missing explicit one and a mistake
// in any inventory are input errors (exit code 2).
func (s *Scanner) loadInventories(files []discover.File, res *Result) *inventories {
	inv := &inventories{byFile: map[string]*model.Inventory{}}
	if s.opts.InventoryPath != "" {
		reported := discover.ReportPath(s.opts.InventoryPath)
		var err error
		if inv.only, err = config.ReadInventory(s.opts.InventoryPath, reported, s.opts.Now); err != nil {
			res.InputErrors = append(res.InputErrors, inventoryError(reported, err))
		}
		return inv
	}
	byDir := map[string]*model.Inventory{} // directory → the inventory in it, nil if none
	for _, f := range files {
		if f.RepoRoot == "" || f.DiskPath == "" {
			continue
		}
		_, prefix := RepoRelative(f)
		for _, dir := range dirsUp(filepath.Dir(f.DiskPath), f.RepoRoot) {
			found, seen := byDir[dir]
			if !seen {
				found = s.readInventory(dir, reportedDir(prefix, f.RepoRoot, dir), res)
				byDir[dir] = found
			}
			if found != nil {
				inv.byFile[f.DiskPath] = found
				break
			}
		}
	}
	return inv
}

// readInventory reads the default inventory in dir, if there is one.
func (s *Scanner) readInventory(dir, reportedDir string, res *Result) *model.Inventory {
	reported := path.Join(reportedDir, config.DefaultInventory)
	found, err := config.ReadInventory(filepath.Join(dir, filepath.FromSlash(config.DefaultInventory)), reported, s.opts.Now)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		res.InputErrors = append(res.InputErrors, inventoryError(reported, err))
	}
	return found
}

// dirsUp lists dir and its parents up to root, nearest first; just dir and root when
// root is not above dir.
func dirsUp(dir, root string) []string {
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return []string{dir, root}
	}
	var dirs []string
	for d := dir; len(dirs) < maxInventoryWalk; d = filepath.Dir(d) {
		dirs = append(dirs, d)
		if d == root || filepath.Dir(d) == d {
			break
		}
	}
	return dirs
}

// reportedDir turns a directory inside a repository into its reported form, given the
// prefix that turns repository paths into reported paths.
func reportedDir(prefix, root, dir string) string {
	rel, err := filepath.Rel(root, dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return discover.ReportPath(dir)
	}
	return path.Join(prefix, filepath.ToSlash(rel))
}

// inventoryError reports an inventory that could not be read, at its line and column
// when the mistake is in its content.
func inventoryError(reported string, err error) report.FileError {
	var ie *config.Error
	if errors.As(err, &ie) {
		return report.FileError{File: ie.File, Message: fmt.Sprintf("line %d, column %d: %s", ie.Pos.Line, ie.Pos.Col, ie.Msg)}
	}
	return report.FileError{File: reported, Message: err.Error()}
}
