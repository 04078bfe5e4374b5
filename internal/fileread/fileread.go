// Package fileread reads the files pipeguard scans, which attackers may write: only
// regular files (a FIFO or a device named like a pipeline would block or never end), and
// never more than a limit, counted while reading (a file may grow, or lie about its size
// through a link to /dev/zero). Every file pipeguard opens goes through it.
package fileread

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// DefaultMaxSize is the largest file pipeguard reads unless told otherwise (--max-size):
// 5 MiB, far above any real pipeline file.
const DefaultMaxSize = 5 << 20

// ErrTooLarge is returned for a file that holds more than the limit.
var ErrTooLarge = errors.New("over the size limit")

// ErrNotRegular is returned for a FIFO, a device, a socket or a directory.
var ErrNotRegular = errors.New("not a regular file")

// Read returns the content of the regular file at path, or ErrTooLarge when it holds
// more than limit bytes. Links are followed; the target must be a regular file. The
// file's type is checked before it is opened, so that a FIFO never blocks.
func Read(path string, limit int64) ([]byte, error) {
	return ReadFS(nil, path, limit)
}

// ReadFS is Read on a file system; a nil fsys is the operating system's.
func ReadFS(fsys fs.FS, name string, limit int64) ([]byte, error) {
	var info fs.FileInfo
	var err error
	if fsys == nil {
		info, err = os.Stat(name)
	} else {
		info, err = fs.Stat(fsys, name)
	}
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", name, ErrNotRegular)
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s: %w", name, ErrTooLarge)
	}
	var f fs.File
	if fsys == nil {
		f, err = os.Open(name)
	} else {
		f, err = fsys.Open(name)
	}
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("%s: %w", name, ErrTooLarge)
	}
	return data, err
}
