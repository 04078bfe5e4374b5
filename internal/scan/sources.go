package scan

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/pipeguard/pipeguard/internal/fileread"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/secrets"
)

// sourceCache gives reporters the lines of scanned files, with every literal secret the
// scan found, and every provider-format token on the line itself (a comment, a value the
// parser could not read), replaced by asterisks. Files are read lazily, only when a
// finding quotes them, and only files the scan read itself: a finding that names another
// file (a user policy's pos.file) cannot make the report print it.
type sourceCache struct {
	mu      sync.Mutex
	data    map[string][]byte
	secrets map[string][]model.Pos
	lines   map[string][]string
	// quotable are the files the scan read (scanned files and their includes).
	quotable map[string]bool
	// maxSize bounds what is read of a file to quote it.
	maxSize int64
}

func newSourceCache(maxSize int64) *sourceCache {
	return &sourceCache{data: map[string][]byte{}, secrets: map[string][]model.Pos{}, lines: map[string][]string{}, quotable: map[string]bool{}, maxSize: maxSize}
}

// add records a scanned file's in-memory data (standard input only), its secrets, and
// the files its lines may be quoted from.
func (c *sourceCache) add(file string, data []byte, secrets []model.FoundSecret, quotable []string) {
	if data != nil {
		c.data[file] = data
	}
	for _, q := range quotable {
		c.quotable[q] = true
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
	if !c.quotable[file] && c.data[file] == nil {
		return "", false
	}
	lines, ok := c.lines[file]
	if !ok {
		data, inMemory := c.data[file]
		if !inMemory {
			var err error
			if data, err = fileread.Read(filepath.FromSlash(file), c.maxSize); err != nil {
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
	return secrets.BlankTokens(maskLine(lines[n-1], n, c.secrets[file])), true
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
