//go:build unix

package fileread

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestReadNeverBlocksOnAFIFOOrEndlessDevice(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "Jenkinsfile")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero.yml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Skip("no symlinks here:", err)
	}
	done := make(chan error, 2)
	go func() { _, err := Read(fifo, 1<<20); done <- err }()
	go func() { _, err := Read(zero, 1<<20); done <- err }()
	for range 2 {
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("err = %v, want ErrNotRegular", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Read blocked")
		}
	}
}
