package hostile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the pipeguard binary TestMain builds for the suite.
var binary string

// TestMain builds the pipeguard binary once, so that every case measures the program
// users run, in a process of its own: a crash, a hang or a memory blow-up of a case
// cannot take the suite down with it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pipeguard-hostile")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "pipeguard")
	build := exec.Command("go", "build", "-o", binary, "./cmd/pipeguard")
	build.Dir = moduleRoot()
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build pipeguard: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// moduleRoot returns the directory of go.mod above the package directory.
func moduleRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// limits bound one case's child process.
type limits struct {
	// wall is the longest the scan may take; it is killed at three times that.
	wall time.Duration
	// rssMB is the most memory it may hold at its peak, in MiB.
	rssMB int64
}

// outcome is what one scan did.
type outcome struct {
	exit           int
	stdout, stderr []byte
	report         report
	wall           time.Duration
	rssMB          int64
}

// report is the part of the JSON report the checks read.
type report struct {
	Findings []struct {
		Rule    string `json:"rule"`
		Message string `json:"message"`
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
	} `json:"findings"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// startMu serializes the start of the cases' children: a child's peak memory as the
// kernel counts it includes the suite's own until the child execs, so each child starts
// when the suite has generated its input and returned what it no longer uses.
var startMu sync.Mutex

// scan builds the input of c under dir and runs pipeguard on it, within c's limits, and
// returns what it did. It fails the test when the scan is killed or goes over a limit.
func scan(t *testing.T, c hostileCase, dir string) outcome {
	t.Helper()
	lim := c.limits
	ctx, cancel := context.WithTimeout(context.Background(), 3*lim.wall)
	defer cancel()
	var stdout, stderr bytes.Buffer
	startMu.Lock()
	path := c.build(t, dir)
	cmd := exec.CommandContext(ctx, binary, append([]string{"scan", path, "--format", "json"}, c.args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	debug.FreeOSMemory()
	start := time.Now()
	err := cmd.Start()
	startMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	out := outcome{stdout: stdout.Bytes(), stderr: stderr.Bytes(), wall: time.Since(start), exit: cmd.ProcessState.ExitCode()}
	if usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		out.rssMB = usage.Maxrss / 1024 // KiB on Linux
	}
	t.Logf("exit %d in %v, peak %d MiB", out.exit, out.wall.Round(time.Millisecond), out.rssMB)
	if ctx.Err() != nil {
		t.Fatalf("killed after %v: the scan hangs (%v)\n%s", 3*lim.wall, err, tail(out.stderr))
	}
	if out.exit > 1 && out.exit != 3 {
		t.Fatalf("exit %d: %v\n%s", out.exit, err, tail(out.stderr))
	}
	if out.wall > lim.wall {
		t.Errorf("took %v, over the limit of %v", out.wall, lim.wall)
	}
	if out.rssMB > lim.rssMB {
		t.Errorf("peak memory %d MiB, over the limit of %d MiB", out.rssMB, lim.rssMB)
	}
	if err := json.Unmarshal(out.stdout, &out.report); err != nil {
		t.Fatalf("no JSON report: %v\n%s", err, tail(out.stdout))
	}
	return out
}

// tail returns the end of a long output, for messages.
func tail(b []byte) []byte {
	if len(b) > 2000 {
		return b[len(b)-2000:]
	}
	return b
}

// TestHostile runs every case of the suite.
func TestHostile(t *testing.T) {
	for _, c := range append(parserCases(), leadCases()...) {
		t.Run(c.class+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			c.check(t, scan(t, c, t.TempDir()))
		})
	}
}
