package parse

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// repoTree lays out a repository with every kind of entry ReadRepoFile must tell
// apart, and a file outside of it.
func repoTree(t *testing.T) (root string) {
	t.Helper()
	dir := t.TempDir()
	root = filepath.Join(dir, "repo")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "ci", "sub"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "outside"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "outside", "secret.yml"), []byte("secret: x\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "ci", "a.yml"), []byte("a: 1\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "big.yml"), []byte(strings.Repeat("x", 100)), 0o644))
	must(os.Symlink("ci/a.yml", filepath.Join(root, "inside.yml")))
	must(os.Symlink("../a.yml", filepath.Join(root, "ci", "sub", "up.yml")))
	must(os.Symlink("ci", filepath.Join(root, "cidir")))
	must(os.Symlink("../outside/secret.yml", filepath.Join(root, "escape.yml")))
	must(os.Symlink("ci/../../outside/secret.yml", filepath.Join(root, "escape2.yml")))
	must(os.Symlink(filepath.Join(dir, "outside", "secret.yml"), filepath.Join(root, "absolute.yml")))
	must(os.Symlink("/dev/zero", filepath.Join(root, "zero.yml")))
	must(os.Symlink("../outside", filepath.Join(root, "outdir")))
	must(os.Symlink("loop2.yml", filepath.Join(root, "loop1.yml")))
	must(os.Symlink("loop1.yml", filepath.Join(root, "loop2.yml")))
	must(syscall.Mkfifo(filepath.Join(root, "fifo.yml"), 0o644))
	return root
}

func TestReadRepoFile(t *testing.T) {
	root := repoTree(t)
	in := Input{Repo: os.DirFS(root), MaxSize: 50}
	tests := []struct {
		name     string
		want     string
		wantErr  error
		errorHas string
	}{
		{name: "ci/a.yml", want: "a: 1\n"},
		{name: "inside.yml", want: "a: 1\n"},
		{name: "ci/sub/up.yml", want: "a: 1\n"},
		{name: "cidir/a.yml", want: "a: 1\n"},
		{name: "escape.yml", wantErr: ErrOutsideRepo, errorHas: "a link to ../outside/secret.yml"},
		{name: "escape2.yml", wantErr: ErrOutsideRepo},
		{name: "absolute.yml", wantErr: ErrOutsideRepo},
		{name: "zero.yml", wantErr: ErrOutsideRepo, errorHas: "a link to /dev/zero"},
		{name: "outdir/secret.yml", wantErr: ErrOutsideRepo},
		{name: "fifo.yml", wantErr: ErrNotRegular},
		{name: "ci", wantErr: ErrNotRegular},
		{name: "big.yml", wantErr: ErrTooLarge, errorHas: "read big.yml: over the size limit (50 bytes)"},
		{name: "loop1.yml", errorHas: "more than 40 symbolic links"},
		{name: "missing.yml", wantErr: os.ErrNotExist},
		{name: "../outside/secret.yml", errorHas: `invalid path "../outside/secret.yml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var data []byte
			var err error
			go func() {
				defer close(done)
				data, err = ReadRepoFile(in, tt.name)
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("ReadRepoFile blocked")
			}
			if tt.want != "" {
				if err != nil || string(data) != tt.want {
					t.Fatalf("got %q, %v; want %q", data, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("read %q, want an error", data)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.errorHas) {
				t.Errorf("error %q, want it to say %q", err, tt.errorHas)
			}
		})
	}
}

func TestReadRepoFileWithoutLinks(t *testing.T) {
	in := Input{Repo: fstest.MapFS{"a.yml": {Data: []byte("x: 1\n")}}}
	if data, err := ReadRepoFile(in, "a.yml"); err != nil || string(data) != "x: 1\n" {
		t.Errorf("got %q, %v", data, err)
	}
	if _, err := ReadRepoFile(Input{}, "a.yml"); err == nil {
		t.Error("no repository: no error")
	}
}

// lyingFS serves one file whose stat claims it is empty, as /proc files and devices do.
type lyingFS struct{ data []byte }

func (l lyingFS) Open(name string) (fs.File, error) {
	if name != "a.yml" {
		return nil, fs.ErrNotExist
	}
	return &lyingFile{Reader: bytes.NewReader(l.data)}, nil
}

type lyingFile struct{ *bytes.Reader }

func (*lyingFile) Stat() (fs.FileInfo, error) { return lyingInfo{}, nil }
func (*lyingFile) Close() error               { return nil }

type lyingInfo struct{}

func (lyingInfo) Name() string       { return "a.yml" }
func (lyingInfo) Size() int64        { return 0 }
func (lyingInfo) Mode() fs.FileMode  { return 0o644 }
func (lyingInfo) ModTime() time.Time { return time.Time{} }
func (lyingInfo) IsDir() bool        { return false }
func (lyingInfo) Sys() any           { return nil }

// TestReadRepoFileBoundedWhileReading checks that the size limit holds while the file is
// read, whatever its stat says.
func TestReadRepoFileBoundedWhileReading(t *testing.T) {
	in := Input{Repo: lyingFS{data: bytes.Repeat([]byte("x"), 1000)}, MaxSize: 100}
	if _, err := ReadRepoFile(in, "a.yml"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("error %v, want ErrTooLarge", err)
	}
	in.MaxSize = 1000
	if data, err := ReadRepoFile(in, "a.yml"); err != nil || len(data) != 1000 {
		t.Errorf("read %d bytes, %v; want 1000", len(data), err)
	}
}
