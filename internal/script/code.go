package script

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// codeRange is the argv words [from, to) that a command runs as code (Word.Code).
type codeRange struct {
	from, to int
	// skipParameters leaves out PowerShell parameter names (`-Command`).
	skipParameters bool
}

// holds reports whether w, argv word i, is run as code.
func (r codeRange) holds(i int, w *model.Word) bool {
	if i < r.from || i >= r.to {
		return false
	}
	return !r.skipParameters || w.Dynamic || !strings.HasPrefix(w.Value, "-")
}

// codeWords returns the argv words that the command runs as code: the arguments of
// `eval` in a POSIX shell, of `Invoke-Expression`/`iex` in PowerShell, and the command
// line after `cmd /c` (or `/k`) in PowerShell and cmd. The script of `bash -c` is decided
// by the caller, which knows whether it could be analysed.
func (a *analyzer) codeWords(argv []argWord) codeRange {
	if len(argv) < 2 || argv[0].Dynamic {
		return codeRange{}
	}
	name := argv[0].Value
	switch a.interp {
	case interpBash, interpPOSIX:
		if name == "eval" {
			return codeRange{from: 1, to: len(argv)}
		}
		return codeRange{}
	case interpPowerShell:
		switch strings.ToLower(name) {
		case "invoke-expression", "iex":
			return codeRange{from: 1, to: len(argv), skipParameters: true}
		}
	}
	if programName(name) != "cmd" {
		return codeRange{}
	}
	for i := 1; i < len(argv); i++ {
		switch v := strings.ToLower(argv[i].Value); {
		case v == "/c" || v == "/k":
			return codeRange{from: i + 1, to: len(argv)}
		case !strings.HasPrefix(v, "/"):
			return codeRange{}
		}
	}
	return codeRange{}
}

// programName returns the lower-case base name of a program word without a Windows
// .exe suffix: "/usr/bin/Bash" → "bash", `C:\Windows\System32\cmd.exe` → "cmd".
func programName(word string) string {
	name := strings.ToLower(commandName(strings.ReplaceAll(word, `\`, "/")))
	return strings.TrimSuffix(name, ".exe")
}
