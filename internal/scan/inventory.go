package scan

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/report"
)

// inventories holds the credential inventory of each repository of a scan, read once.
type inventories struct {
	// only is the inventory of Options.InventoryPath, which holds for every file.
	only *model.Inventory
	// byRoot maps a repository root (discover.File.RepoRoot) to its inventory; a root
	// without one maps to nil.
	byRoot map[string]*model.Inventory
}

// of returns the inventory that holds for f, nil when there is none.
func (inv *inventories) of(f discover.File) *model.Inventory {
	if inv.only != nil {
		return inv.only
	}
	return inv.byRoot[f.RepoRoot]
}

// loadInventories reads Options.InventoryPath, or else the default inventory of the
// repository of each file. A missing default inventory is no error; a missing explicit
// one and a mistake in any inventory are input errors (exit code 2).
func (s *Scanner) loadInventories(files []discover.File, res *Result) *inventories {
	inv := &inventories{byRoot: map[string]*model.Inventory{}}
	if s.opts.InventoryPath != "" {
		reported := discover.ReportPath(s.opts.InventoryPath)
		var err error
		if inv.only, err = config.ReadInventory(s.opts.InventoryPath, reported, s.opts.Now); err != nil {
			res.InputErrors = append(res.InputErrors, inventoryError(reported, err))
		}
		return inv
	}
	for _, f := range files {
		if f.RepoRoot == "" || f.DiskPath == "" {
			continue
		}
		if _, done := inv.byRoot[f.RepoRoot]; done {
			continue
		}
		_, prefix := RepoRelative(f)
		reported := prefix + config.DefaultInventoryPath
		found, err := config.ReadInventory(filepath.Join(f.RepoRoot, filepath.FromSlash(config.DefaultInventoryPath)), reported, s.opts.Now)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			res.InputErrors = append(res.InputErrors, inventoryError(reported, err))
		}
		inv.byRoot[f.RepoRoot] = found
	}
	return inv
}

// inventoryError reports an inventory that could not be read, at its line and column
// when the mistake is in its content.
func inventoryError(reported string, err error) report.FileError {
	var ie *config.InventoryError
	if errors.As(err, &ie) {
		return report.FileError{File: ie.File, Message: fmt.Sprintf("line %d, column %d: %s", ie.Pos.Line, ie.Pos.Col, ie.Msg)}
	}
	return report.FileError{File: reported, Message: err.Error()}
}
