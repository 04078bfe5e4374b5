package gitlab

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
)

// TestIncludeStaysInRepository checks that `include: local` reads only regular files
// inside the repository: a symbolic link out of it, a FIFO or a link to a device is
// reported (an Unresolved entry and a parse error naming the include) and not read,
// and nothing blocks.
func TestIncludeStaysInRepository(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "repo")
	if err := os.MkdirAll(filepath.Join(dir, "outside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "outside", "secret.yml"), "leak:\n  script: [cat /etc/passwd]\n  broken: [\n")
	write(filepath.Join(root, "ok.yml"), "fine:\n  script: [make]\n")
	for link, target := range map[string]string{
		"inside.yml": "ok.yml",
		"inc.yml":    "../outside/secret.yml",
		"zero.yml":   "/dev/zero",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.yml"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		include    string
		wantJob    string
		wantReason string
	}{
		{include: "inside.yml", wantJob: "fine"},
		{include: "inc.yml", wantReason: "read inc.yml: resolves outside the repository (a link to ../outside/secret.yml)"},
		{include: "zero.yml", wantReason: "read zero.yml: resolves outside the repository (a link to /dev/zero)"},
		{include: "fifo.yml", wantReason: "read fifo.yml: not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.include, func(t *testing.T) {
			src := "include:\n  - local: " + tt.include + "\nmain:\n  script: [x]\n"
			done := make(chan *model.Pipeline)
			go func() {
				done <- Parse(parse.Input{Path: ".gitlab-ci.yml", Data: []byte(src), Repo: os.DirFS(root), RepoPath: ".gitlab-ci.yml"})
			}()
			var p *model.Pipeline
			select {
			case p = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the include blocked")
			}
			at := model.Pos{Line: 2, Col: 12, EndLine: 2, EndCol: 12 + len(tt.include)}
			if tt.wantJob != "" {
				findJob(t, p, tt.wantJob)
				if len(p.ParseErrors) != 0 || len(p.Unresolved) != 0 {
					t.Errorf("errors %+v, unresolved %+v", p.ParseErrors, p.Unresolved)
				}
				return
			}
			for _, j := range p.Jobs {
				if j.ID == "leak" {
					t.Fatal("the file outside the repository was read")
				}
			}
			wantUnresolved := []model.Unresolved{{Kind: "include", Name: "local:" + tt.include, Reason: tt.wantReason, Pos: at}}
			if len(p.Unresolved) != 1 || p.Unresolved[0] != wantUnresolved[0] {
				t.Errorf("unresolved = %+v, want %+v", p.Unresolved, wantUnresolved)
			}
			wantErr := model.ParseError{Message: "include " + tt.include + " not read: " + tt.wantReason, Pos: at}
			if len(p.ParseErrors) != 1 || p.ParseErrors[0] != wantErr {
				t.Errorf("parse errors = %+v, want %+v", p.ParseErrors, wantErr)
			}
		})
	}
}
