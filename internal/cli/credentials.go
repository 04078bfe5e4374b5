package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/scan"
)

// dateFlag is the `--now YYYY-MM-DD` flag of scan and credentials; the zero Time means
// today.
type dateFlag struct{ time.Time }

func (d *dateFlag) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(config.DateLayout)
}

func (d *dateFlag) Set(v string) error {
	t, err := config.ParseDate(v)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

// credentialsFormats are the formats of `pipeguard credentials`.
var credentialsFormats = []string{"table", "json", "markdown"}

// CredentialsReportVersion is the `version` of the JSON credentials report.
const CredentialsReportVersion = 1

// runCredentials reports the credentials the pipelines below the paths reference,
// joined with the credential inventory, or writes a skeleton inventory (--init).
func runCredentials(args []string, env Env) (int, error) {
	c := newCommand("credentials", fmt.Sprintf("Usage: pipeguard credentials [PATH…] [flags]\n\nLists the credentials the pipelines below each PATH (default .) reference, with their\ninventory entries (%s), and the entries nothing references.\n", config.DefaultInventory))
	format := c.fs.String("format", "table", "output format: "+strings.Join(credentialsFormats, ", "))
	inventory := c.fs.String("inventory", "", "use the credential inventory `FILE` (default: "+config.DefaultInventory+" of each repository)")
	platform := c.fs.String("platform", "", "platform of standard input and of files whose name says nothing")
	initInventory := c.fs.Bool("init", false, "write a skeleton inventory with one entry per referenced credential (never overwrites)")
	var now dateFlag
	c.fs.Var(&now, "now", "compute days left as on the day `YYYY-MM-DD` (default today, UTC)")
	paths, err := c.parse(args, env)
	if err != nil {
		return ExitUsage, err
	}
	if !slices.Contains(credentialsFormats, *format) {
		return ExitUsage, usagef("unknown --format %q for credentials (want one of %s)", *format, strings.Join(credentialsFormats, ", "))
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	opts := scan.Options{Platform: *platform, Stdin: env.Stdin, Now: now.Time}
	if !*initInventory {
		opts.InventoryPath = *inventory
	}
	rep, err := scan.New(nil, opts).Credentials(context.Background(), paths)
	var scanUsage scan.UsageError
	if errors.As(err, &scanUsage) {
		return ExitUsage, usagef("%s", scanUsage.Msg)
	}
	if err != nil {
		return ExitInternal, err
	}
	for _, e := range rep.InputErrors {
		if e.File == "" {
			say(env, "%s", e.Message)
		} else {
			say(env, "%s: %s", e.File, e.Message)
		}
	}
	if *initInventory {
		return writeSkeleton(rep, *inventory, paths, env)
	}
	switch *format {
	case "json":
		err = writeCredentialsJSON(env.Stdout, rep)
	case "markdown":
		err = writeCredentialsMarkdown(env.Stdout, rep)
	default:
		err = writeCredentialsTable(env.Stdout, rep)
	}
	if err != nil {
		return ExitInternal, fmt.Errorf("write the credentials report: %w", err)
	}
	if len(rep.InputErrors) > 0 {
		return ExitUsage, nil
	}
	return ExitOK, nil
}

// writeSkeleton writes a skeleton inventory to target (default: the default inventory
// of the first path's repository), refusing to overwrite an existing file.
func writeSkeleton(rep *scan.CredentialReport, target string, paths []string, env Env) (int, error) {
	if target == "" {
		target = skeletonPath(rep, paths)
	}
	var entries []config.SkeletonEntry
	for _, c := range rep.Credentials {
		where := strings.Join(c.Kinds, ", ")
		if len(c.References) > 0 {
			r := c.References[0]
			where += fmt.Sprintf(", %s:%d", r.File, r.Pos.Line)
		}
		entries = append(entries, config.SkeletonEntry{Name: c.Name, Where: where})
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil { //nolint:gosec // .pipeguard/ is part of the repository, readable like the rest of it
		return ExitUsage, usagef("create the inventory's directory: %v", err)
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644) //nolint:gosec // the inventory is committed (metadata, never values)
	if errors.Is(err, os.ErrExist) {
		return ExitUsage, usagef("%s already exists: not overwritten (edit it, or remove it first)", target)
	}
	if err != nil {
		return ExitUsage, usagef("create the inventory: %v", err)
	}
	_, err = f.Write(config.InventorySkeleton(entries))
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return ExitInternal, fmt.Errorf("write %s: %w", target, err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s with %d credentials: fill in owner, created, expires and rotation_days\n", target, len(entries))
	return ExitOK, nil
}

// skeletonPath is the default inventory of the repository of the first file found, or
// of the first path.
func skeletonPath(rep *scan.CredentialReport, paths []string) string {
	for _, f := range rep.Files {
		if f.RepoRoot != "" {
			return filepath.Join(f.RepoRoot, filepath.FromSlash(config.DefaultInventory))
		}
	}
	dir := paths[0]
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	return filepath.Join(dir, filepath.FromSlash(config.DefaultInventory))
}

// credentialView is one credential as every format shows it.
type credentialView struct {
	scan.Credential
}

func (c credentialView) owner() string {
	if c.Entry == nil {
		return ""
	}
	return c.Entry.Owner
}

func (c credentialView) field(get func(*model.InventoryEntry) string) string {
	if c.Entry == nil {
		return ""
	}
	return get(c.Entry)
}

func (c credentialView) daysLeft() string {
	if c.Entry == nil || c.Entry.DaysLeft == nil {
		return ""
	}
	return strconv.Itoa(*c.Entry.DaysLeft)
}

func (c credentialView) untrusted() string {
	switch {
	case len(c.Untrusted) == 0:
		return "no"
	case c.Guarded:
		return strings.Join(c.Untrusted, ",") + " (guarded)"
	}
	return strings.Join(c.Untrusted, ",")
}

func (c credentialView) agent() string {
	if c.Agent {
		return "yes"
	}
	return "no"
}

func referenceText(r scan.CredentialReference) string {
	s := fmt.Sprintf("%s:%d", r.File, r.Pos.Line)
	if r.Job != "" {
		s += " (" + r.Job + ")"
	}
	return s
}

func inventoryFiles(rep *scan.CredentialReport) string {
	if len(rep.Inventories) == 0 {
		return "none (" + config.DefaultInventory + " not found)"
	}
	var files []string
	for _, i := range rep.Inventories {
		files = append(files, i.File)
	}
	return strings.Join(files, ", ")
}

func createdOf(e *model.InventoryEntry) string { return e.Created }
func expiresOf(e *model.InventoryEntry) string { return e.Expires }
func rotationDueOf(e *model.InventoryEntry) string {
	if e.RotationDaysLeft != nil && *e.RotationDaysLeft < 0 {
		return e.RotationDue + " (overdue)"
	}
	return e.RotationDue
}

// writeCredentialsTable writes the readable report.
func writeCredentialsTable(w io.Writer, rep *scan.CredentialReport) error {
	fmt.Fprintf(w, "Credentials of %d pipeline files, as on %s (inventory: %s)\n\n", len(rep.Files), rep.Now, inventoryFiles(rep))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tOWNER\tEXPIRES\tDAYS LEFT\tROTATION DUE\tUNTRUSTED TRIGGER\tAGENT\tREFERENCES")
	for _, cred := range rep.Credentials {
		c := credentialView{cred}
		expires := c.field(expiresOf)
		if c.Entry == nil {
			expires = "(not in the inventory)"
		}
		for i, r := range c.References {
			if i == 0 {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", safe(c.Name), strings.Join(c.Kinds, ","), safe(c.owner()), safe(expires), c.daysLeft(), c.field(rotationDueOf), c.untrusted(), c.agent(), safe(referenceText(r)))
				continue
			}
			fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t%s\n", safe(referenceText(r)))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.Unreferenced) > 0 {
		fmt.Fprintf(w, "\nIn the inventory but referenced by no scanned pipeline (revoke them if nothing else uses them):\n")
		for _, e := range rep.Unreferenced {
			fmt.Fprintf(w, "  %s (%s:%d, owner %s, expires %s)\n", safe(e.Name), e.Inventory, e.Pos.Line, orNone(e.Owner), orNone(e.Expires))
		}
	}
	return nil
}

// safe keeps a value of a scanned file on one line of the terminal.
func safe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

func orNone(s string) string {
	if s == "" {
		return "not recorded"
	}
	return safe(s)
}

// writeCredentialsMarkdown writes the report as a monthly audit issue: a table and
// checklists of what to do.
func writeCredentialsMarkdown(w io.Writer, rep *scan.CredentialReport) error {
	fmt.Fprintf(w, "# Credential audit, %s\n\n", rep.Now)
	fmt.Fprintf(w, "%d credentials referenced in %d pipeline files; inventory: %s.\n\n", len(rep.Credentials), len(rep.Files), md(inventoryFiles(rep)))
	fmt.Fprintln(w, "| Credential | Kind | Owner | Created | Expires | Days left | Rotation due | Untrusted trigger | Agent | References |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	var missing []string
	for _, cred := range rep.Credentials {
		c := credentialView{cred}
		var refs []string
		for _, r := range c.References {
			refs = append(refs, md(referenceText(r)))
		}
		expires := c.field(expiresOf)
		if c.Entry == nil {
			expires = "not in the inventory"
			missing = append(missing, c.Name)
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCode(c.Name), strings.Join(c.Kinds, ", "), md(c.owner()), c.field(createdOf), md(expires), c.daysLeft(), c.field(rotationDueOf), md(c.untrusted()), c.agent(), strings.Join(refs, "<br>"))
	}
	if len(missing) > 0 {
		fmt.Fprintf(w, "\n## Not in the inventory\n\n")
		for _, n := range missing {
			fmt.Fprintf(w, "- [ ] add `%s` with its owner, expiry and rotation\n", mdCode(n))
		}
	}
	if len(rep.Unreferenced) > 0 {
		fmt.Fprintf(w, "\n## Referenced by no scanned pipeline\n\n")
		for _, e := range rep.Unreferenced {
			fmt.Fprintf(w, "- [ ] revoke `%s` if nothing else uses it (owner %s, expires %s; %s:%d)\n", mdCode(e.Name), md(orNone(e.Owner)), md(orNone(e.Expires)), md(e.Inventory), e.Pos.Line)
		}
	}
	return nil
}

// md escapes text for a Markdown table cell.
func md(s string) string {
	s = safe(s)
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`).Replace(s)
}

// mdCode keeps text inside a code span.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`).Replace(safe(s))
}

// credentialsJSON is the JSON report.
type credentialsJSON struct {
	Version      int                   `json:"version"`
	Tool         toolJSON              `json:"tool"`
	Now          string                `json:"now"`
	Files        int                   `json:"files"`
	Inventories  []string              `json:"inventories"`
	Credentials  []credentialJSON      `json:"credentials"`
	Unreferenced []unreferencedJSON    `json:"unreferenced"`
	Errors       []credentialErrorJSON `json:"errors"`
}

type toolJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type credentialJSON struct {
	Name       string                `json:"name"`
	Kinds      []string              `json:"kinds"`
	Entry      *model.InventoryEntry `json:"entry"`
	Inventory  string                `json:"inventory,omitempty"`
	Untrusted  []string              `json:"untrusted_triggers"`
	Guarded    bool                  `json:"guarded"`
	Agent      bool                  `json:"agent"`
	References []referenceJSON       `json:"references"`
}

type referenceJSON struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Platform string `json:"platform"`
	Kind     string `json:"kind"`
	Job      string `json:"job,omitempty"`
	Step     string `json:"step,omitempty"`
}

type unreferencedJSON struct {
	model.InventoryEntry
	Inventory string `json:"inventory"`
}

type credentialErrorJSON struct {
	File    string `json:"file,omitempty"`
	Message string `json:"message"`
}

func writeCredentialsJSON(w io.Writer, rep *scan.CredentialReport) error {
	out := credentialsJSON{
		Version: CredentialsReportVersion, Tool: toolJSON{Name: "pipeguard", Version: Version()},
		Now: rep.Now, Files: len(rep.Files),
		Inventories: []string{}, Credentials: []credentialJSON{}, Unreferenced: []unreferencedJSON{}, Errors: []credentialErrorJSON{},
	}
	for _, i := range rep.Inventories {
		out.Inventories = append(out.Inventories, i.File)
	}
	for _, c := range rep.Credentials {
		cj := credentialJSON{Name: c.Name, Kinds: c.Kinds, Entry: c.Entry, Inventory: c.Inventory, Untrusted: c.Untrusted, Guarded: c.Guarded, Agent: c.Agent, References: []referenceJSON{}}
		if cj.Untrusted == nil {
			cj.Untrusted = []string{}
		}
		for _, r := range c.References {
			cj.References = append(cj.References, referenceJSON{File: r.File, Line: r.Pos.Line, Column: r.Pos.Col, Platform: r.Platform, Kind: r.Kind, Job: r.Job, Step: r.Step})
		}
		out.Credentials = append(out.Credentials, cj)
	}
	for _, e := range rep.Unreferenced {
		out.Unreferenced = append(out.Unreferenced, unreferencedJSON{InventoryEntry: e.InventoryEntry, Inventory: e.Inventory})
	}
	for _, e := range rep.InputErrors {
		out.Errors = append(out.Errors, credentialErrorJSON{File: e.File, Message: e.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
