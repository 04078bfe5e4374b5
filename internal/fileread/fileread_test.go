package fileread

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, err := Read(small, 10); err != nil || string(data) != "0123456789" {
		t.Errorf("Read at the limit = %q, %v", data, err)
	}
	if _, err := Read(small, 9); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Read over the limit: err = %v, want ErrTooLarge", err)
	}
	if _, err := Read(dir, 100); !errors.Is(err, ErrNotRegular) {
		t.Errorf("Read of a directory: err = %v, want ErrNotRegular", err)
	}
	if _, err := Read(filepath.Join(dir, "missing"), 100); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Read of a missing file: err = %v", err)
	}
	if data, err := ReadFS(os.DirFS(dir), "small", 100); err != nil || len(data) != 10 {
		t.Errorf("ReadFS = %q, %v", data, err)
	}
}
