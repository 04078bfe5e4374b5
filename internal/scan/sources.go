package scan

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pipeguard/pipeguard/internal/model"
)

// sourceCache gives reporters the lines of scanned files, with every literal secret the
// scan found replaced by asterisks. Files are read lazily, only when a finding quotes
// them.
type sourceCache struct {
	mu      sync.Mutex
	data    map[string][]byte
	secrets map[string][]model.Pos
	lines   map[string][]string
	// maxSize bounds what is read of a file to quote it.
	maxSize int64
}

func newSourceCache(maxSize int64) *sourceCache {
	return &sourceCache{data: map[string][]byte{}, secrets: map[string][]model.Pos{}, lines: map[string][]string{}, maxSize: maxSize}
}

// add records a scanned file's in-memory data (standard input only) and its secrets.
func (c *sourceCache) add(file string, data []byte, secrets []model.FoundSecret) {
	if data != nil {
		c.data[file] = data
	}
	for _, s := range secrets {
		f := s.Pos.File
		if f == "" {
			f = file
		}
		c.secrets[f] = append(c.secrets[f], s.Pos)
	}
}

// Line returns line n of file with its secrets masked.
func (c *sourceCache) Line(file string, n int) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lines, ok := c.lines[file]
	if !ok {
		data, inMemory := c.data[file]
		if !inMemory {
			var err error
			if data, err = readBounded(filepath.FromSlash(file), c.maxSize); err != nil {
				c.lines[file] = nil
				return "", false
			}
		}
		lines = strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
		c.lines[file] = lines
	}
	if n < 1 || n > len(lines) {
		return "", false
	}
	return maskLine(lines[n-1], n, c.secrets[file]), true
}

// readBounded reads at most limit bytes of a regular file.
func readBounded(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", name)
	}
	var data []byte
	if err == nil {
		data, err = io.ReadAll(io.LimitReader(f, limit))
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return data, err
}

// maskLine replaces the parts of line n that lie inside a secret's span by asterisks.
func maskLine(line string, n int, secrets []model.Pos) string {
	runes := []rune(line)
	masked := false
	for _, p := range secrets {
		if n < p.Line || n > p.EndLine {
			continue
		}
		start, end := 0, len(runes)
		if n == p.Line {
			start = p.Col - 1
		}
		if n == p.EndLine {
			end = p.EndCol - 1
		}
		for i := max(start, 0); i < min(end, len(runes)); i++ {
			runes[i] = '*'
			masked = true
		}
	}
	if !masked {
		return line
	}
	return string(runes)
}
