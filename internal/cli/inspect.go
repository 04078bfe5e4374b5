package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/fileread"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/scan"
	"github.com/pipeguard/pipeguard/internal/secrets"
)

// runInspect prints the model of one file — the document rules see as `input` — as JSON,
// with every secret the scan finds in it redacted.
func runInspect(args []string, env Env) error {
	c := newCommand("inspect", "Usage: pipeguard inspect FILE [--platform P]\n\nPrints the model of FILE (- for standard input) as the policies see it: the Rego input, as JSON.\n")
	platform := c.fs.String("platform", "", "platform of standard input and of a file whose name says nothing: "+strings.Join(parse.Platforms(), ", "))
	maxSize := c.fs.Int64("max-size", discover.DefaultMaxSize, "largest file to read, in `bytes`")
	rest, err := c.parse(args, env)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("usage: pipeguard inspect FILE [--platform P]")
	}
	in, kind, err := inspectInput(rest[0], *platform, *maxSize, env.Stdin)
	if err != nil {
		return err
	}
	p, err := parse.File(kind, in)
	if err != nil {
		return usagef("%v", err)
	}
	value, err := engine.Input(p)
	if err != nil {
		return err
	}
	doc, err := ast.JSON(value)
	if err != nil {
		return fmt.Errorf("inspect %s: %w", in.Path, err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("inspect %s: %w", in.Path, err)
	}
	var positions []model.Pos
	for _, s := range p.FoundSecrets {
		if s.Pos.File == "" {
			positions = append(positions, s.Pos)
		}
	}
	_, err = io.WriteString(env.Stdout, secrets.NewMasker(in.Data, positions).Mask(out.String()))
	return err
}

// inspectInput reads the file to inspect (or standard input) and decides its platform.
func inspectInput(arg, platform string, maxSize int64, stdin io.Reader) (parse.Input, string, error) {
	if arg == scan.StdinPath {
		if platform == "" {
			return parse.Input{}, "", usagef("reading standard input (-) needs --platform")
		}
		data, err := io.ReadAll(io.LimitReader(stdin, maxSize+1))
		if err != nil {
			return parse.Input{}, "", usagef("read standard input: %v", err)
		}
		if int64(len(data)) > maxSize {
			return parse.Input{}, "", usagef("standard input is over the --max-size limit")
		}
		return parse.Input{Path: scan.StdinPath, Data: data}, platform, nil
	}
	found, err := discover.Discover([]string{arg}, discover.Options{Platform: platform, MaxSize: maxSize})
	if err != nil {
		return parse.Input{}, "", usagef("%v", err)
	}
	files := found.Files
	if len(files) != 1 {
		return parse.Input{}, "", usagef("inspect takes one pipeline file; %s holds %d", arg, len(files))
	}
	f := files[0]
	if f.Size > maxSize {
		return parse.Input{}, "", usagef("%s is over the --max-size limit", f.Path)
	}
	data, err := fileread.Read(f.DiskPath, maxSize)
	if err != nil {
		return parse.Input{}, "", usagef("read %s: %v", f.Path, err)
	}
	in := parse.Input{Path: f.Path, Data: data}
	if f.RepoRoot != "" {
		in.Repo = os.DirFS(f.RepoRoot)
		in.RepoPath, in.ReportPrefix = scan.RepoRelative(f)
	}
	return in, f.Platform, nil
}
