package github

import (
	"strings"
	"testing"
)

// TestRunTimeAndUnknownShells checks the scripts whose shell pipeguard cannot name
// from the file alone: a custom shell of an unknown language keeps its text only, and
// a runner chosen at run time that may be Windows reads a script that is no valid bash
// as PowerShell, without a parse error.
func TestRunTimeAndUnknownShells(t *testing.T) {
	const powershell = `$dockerState = Get-Service -Name "docker"
          if ($dockerState.Status -ne "Running") {
            Start-Service -Name "docker"
          }`
	tests := []struct {
		name, job    string
		wantCommands string // the first word of each command, space-separated
		wantErrors   int
		wantShell    string
		// wantInterps is the number of interpolations of the script.
		wantInterps int
	}{
		{
			name:        "custom shell of an unknown language",
			job:         "    runs-on: ubuntu-latest\n    steps:\n      - shell: tcc -run {0}\n        run: |\n          int main() { return ${{ github.run_number }}; }\n",
			wantShell:   "tcc -run {0}",
			wantInterps: 1,
		},
		{
			name:         "powershell under a matrix with windows",
			job:          "    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n    runs-on: ${{ matrix.os }}\n    steps:\n      - run: |\n          " + powershell + "\n",
			wantCommands: "$dockerState if Start-Service }",
		},
		{
			name:         "powershell under a runner named by an input",
			job:          "    runs-on: ${{ inputs.os }}\n    steps:\n      - run: |\n          reg add `\n            /f\n",
			wantCommands: "reg",
		},
		{
			name:         "bash under a matrix with windows stays bash",
			job:          "    strategy:\n      matrix:\n        os: [macos-latest, windows-latest]\n    runs-on: ${{ matrix.os }}\n    steps:\n      - run: if true; then make; fi\n",
			wantCommands: "true make",
		},
		{
			name:         "a broken script under a Linux-only matrix is reported",
			job:          "    strategy:\n      matrix:\n        os: [ubuntu-22.04, ubuntu-24.04]\n    runs-on: ${{ matrix.os }}\n    steps:\n      - run: if (x) {\n",
			wantErrors:   1,
			wantShell:    "bash",
			wantCommands: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseWorkflow(t, ".github/workflows/ci.yml", "on: push\njobs:\n  j:\n"+tt.job)
			if len(p.ParseErrors) != tt.wantErrors {
				t.Errorf("parse errors %+v, want %d", p.ParseErrors, tt.wantErrors)
			}
			run := p.Jobs[0].Steps[0].Run
			if run.Shell != tt.wantShell {
				t.Errorf("shell %q, want %q", run.Shell, tt.wantShell)
			}
			var words []string
			for _, c := range run.Commands {
				if len(c.Argv) > 0 {
					words = append(words, c.Argv[0].Value)
				}
			}
			if got := strings.Join(words, " "); got != tt.wantCommands {
				t.Errorf("commands %q, want %q", got, tt.wantCommands)
			}
			if len(run.Script.Interpolations) != tt.wantInterps {
				t.Errorf("interpolations %+v, want %d", run.Script.Interpolations, tt.wantInterps)
			}
		})
	}
}
