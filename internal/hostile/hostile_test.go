package hostile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/cli"
)

// binary is the program the cases run: this test binary, which runs pipeguard's own
// main (cli.Main) when childEnv is set. The test's imports tie its cached result to the
// code it runs, which a separately built binary would not.
var binary string

// childEnv, set in a case's environment, makes the test binary be pipeguard.
const childEnv = "PIPEGUARD_HOSTILE_CHILD"

// TestMain runs pipeguard for a case's child process, or the suite: every case measures
// the program users run, in a process of its own, so that a crash, a hang or a memory
// blow-up of a case cannot take the suite down with it.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(cli.Main())
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = exe
	os.Exit(m.Run())
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
	format := "json"
	if c.text {
		format = "text"
	}
	args := append([]string{"scan", path, "--format", format, "--no-config"}, c.args...)
	if c.moreArgs != nil {
		args = append(args, c.moreArgs(dir)...)
	}
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
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
	switch {
	case c.exit != 0 && out.exit != c.exit:
		t.Fatalf("exit %d, want %d: %v\n%s", out.exit, c.exit, err, tail(out.stderr))
	case c.exit == 0 && out.exit > 1 && out.exit != 3:
		t.Fatalf("exit %d: %v\n%s", out.exit, err, tail(out.stderr))
	}
	if out.wall > lim.wall {
		t.Errorf("took %v, over the limit of %v", out.wall, lim.wall)
	}
	if out.rssMB > lim.rssMB {
		t.Errorf("peak memory %d MiB, over the limit of %d MiB", out.rssMB, lim.rssMB)
	}
	if c.text {
		return out
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
