package report

import (
	"fmt"
	"io"
	"strings"
)

// writeGitHub writes GitHub Actions workflow commands, one annotation per finding, with
// the file's path relative to the repository root, as the runner resolves it against
// the workspace.
func writeGitHub(w io.Writer, r Report) error {
	for _, f := range r.Findings {
		level := "warning"
		switch f.Severity {
		case "critical", "high":
			level = "error"
		case "info":
			level = "notice"
		}
		_, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n",
			level, escapeProperty(Printable(r.location(f.File).Path)), f.Line, f.Column, f.EndLine, f.EndColumn,
			escapeProperty(Printable(fmt.Sprintf("pipeguard %s [%s]", f.Rule, f.Severity))), escapeData(Printable(f.Message)))
		if err != nil {
			return err
		}
	}
	return nil
}

// escapeData escapes a workflow command's message as the runner expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
