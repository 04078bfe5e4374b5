package scan

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/report"
)

// CredentialReport is what `pipeguard credentials` reports: every credential the
// pipelines reference, joined with its inventory entry, and the entries nothing
// references.
type CredentialReport struct {
	// Now is the date the day counts are computed for, YYYY-MM-DD.
	Now string
	// Files are the pipeline files read.
	Files []discover.File
	// Inventories are the inventories found, in the order first met.
	Inventories []*model.Inventory
	// Credentials are the referenced credentials, by inventory name.
	Credentials []Credential
	// Unreferenced are the inventory entries no pipeline references, with their
	// inventory's file.
	Unreferenced []InventoryEntryOf
	// InputErrors are files and inventories that could not be read.
	InputErrors []report.FileError
}

// Credential is one credential the pipelines reference, under the name an inventory
// lists it by (model.ScopedSecret.InventoryNames).
type Credential struct {
	Name string
	// Kinds are the platform kinds it is referenced as (github-secret, …), sorted.
	Kinds []string
	// Entry is its inventory entry, nil when the inventory does not list it (or there
	// is no inventory); Inventory is the entry's inventory file.
	Entry     *model.InventoryEntry
	Inventory string
	// Untrusted lists the untrusted triggers that start a job reading it (GitHub
	// pull_request_target, GitLab merge requests, …) and get secrets, sorted.
	Untrusted []string
	// Guarded is true when every job reading it on an untrusted trigger has a guard
	// (model.Guard) that may keep outsiders out.
	Guarded bool
	// Agent is true when an AI coding agent reads it: an agent credential by its name or
	// by the variable that holds it (model.ScopedSecret.Agent).
	Agent bool
	// References are the places that read it, in file and position order.
	References []CredentialReference
	seen       map[referenceKey]bool
}

// referenceKey identifies a reference: several steps of a job read a job-level
// variable from one place.
type referenceKey struct {
	file, job string
	pos       model.Pos
}

// CredentialReference is one place a pipeline reads a credential.
type CredentialReference struct {
	File     string
	Pos      model.Pos
	Platform string
	Kind     string
	Job      string
	Step     string
}

// InventoryEntryOf is an inventory entry with its inventory's file.
type InventoryEntryOf struct {
	model.InventoryEntry
	Inventory string
}

// Credentials discovers and parses the pipeline files below paths (no rule runs) and
// reports the credentials they reference, joined with the inventory of each file's
// repository (or Options.InventoryPath).
func (s *Scanner) Credentials(ctx context.Context, paths []string) (*CredentialReport, error) {
	res := &Result{}
	files, stdin, err := s.discover(paths, res)
	if err != nil {
		return nil, err
	}
	inv := s.loadInventories(files, res)
	out := &CredentialReport{Now: s.opts.Now.Format(config.DateLayout), Files: files}
	byName := map[string]*Credential{}
	referenced := map[*model.Inventory]map[string]bool{}
	seenInventory := map[*model.Inventory]bool{}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := s.parseOnly(f, stdin)
		if err != nil {
			res.InputErrors = append(res.InputErrors, report.FileError{File: f.Path, Message: err.Error()})
			continue
		}
		fileInv := inv.of(f)
		if fileInv != nil && !seenInventory[fileInv] {
			seenInventory[fileInv] = true
			out.Inventories = append(out.Inventories, fileInv)
			referenced[fileInv] = map[string]bool{}
		}
		for _, job := range p.Jobs {
			untrusted := untrustedSecretTriggers(p, &job)
			for _, step := range job.Steps {
				for _, sec := range step.SecretsInScope {
					if len(sec.InventoryNames) == 0 {
						continue
					}
					c := byName[sec.InventoryNames[0]]
					if c == nil {
						c = &Credential{Name: sec.InventoryNames[0], Guarded: true}
						byName[c.Name] = c
					}
					c.add(p, &job, step.Label, sec, untrusted)
					if fileInv != nil {
						referenced[fileInv][c.Name] = true
						if c.Entry == nil {
							c.Entry, c.Inventory = entryFor(fileInv, sec.InventoryNames)
						}
					}
				}
			}
		}
	}
	for _, c := range byName {
		c.finish()
		out.Credentials = append(out.Credentials, *c)
	}
	sort.Slice(out.Credentials, func(i, j int) bool { return out.Credentials[i].Name < out.Credentials[j].Name })
	for _, i := range out.Inventories {
		for _, e := range i.Credentials {
			if !referenced[i][e.Name] {
				out.Unreferenced = append(out.Unreferenced, InventoryEntryOf{InventoryEntry: e, Inventory: i.File})
			}
		}
	}
	out.InputErrors = res.InputErrors
	return out, nil
}

// parseOnly reads and parses one file, without evaluating rules. A panic in a parser is
// an error for that file.
func (s *Scanner) parseOnly(f discover.File, stdin []byte) (p *model.Pipeline, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("internal error while parsing this file: %v", r)
		}
	}()
	data := stdin
	if f.Path != StdinPath {
		if f.Size > s.opts.MaxSize {
			return nil, fmt.Errorf("file is %s, over the %s size limit (--max-size): not read", humanSize(f.Size), humanSize(s.opts.MaxSize))
		}
		if data, err = os.ReadFile(f.DiskPath); err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
	}
	in := parse.Input{Path: f.Path, Data: data, RunnerIsolation: s.opts.RunnerIsolation}
	if f.DiskPath != "" && f.RepoRoot != "" {
		in.Repo = os.DirFS(f.RepoRoot)
		in.RepoPath, in.ReportPrefix = RepoRelative(f)
	}
	return parse.File(f.Platform, in)
}

// entryFor returns the inventory entry that accounts for a secret: one named by any of
// its inventory names, its own first.
func entryFor(inv *model.Inventory, names []string) (*model.InventoryEntry, string) {
	for _, n := range names {
		for i := range inv.Credentials {
			if inv.Credentials[i].Name == n {
				return &inv.Credentials[i], inv.File
			}
		}
	}
	return nil, ""
}

// untrustedSecretTriggers lists the job's untrusted triggers that get secrets: its own
// triggers, or the pipeline's when it has none.
func untrustedSecretTriggers(p *model.Pipeline, job *model.Job) []string {
	triggers := job.Triggers
	if len(triggers) == 0 {
		triggers = p.Triggers
	}
	var out []string
	for _, t := range triggers {
		if t.Trust == model.TrustUntrusted && t.Secrets {
			out = append(out, t.Event)
		}
	}
	return out
}

// add records one reference.
func (c *Credential) add(p *model.Pipeline, job *model.Job, step string, sec model.ScopedSecret, untrusted []string) {
	file := p.File
	if sec.Pos.File != "" {
		file = sec.Pos.File
	}
	key := referenceKey{file, job.ID, sec.Pos}
	if c.seen[key] {
		return
	}
	if c.seen == nil {
		c.seen = map[referenceKey]bool{}
	}
	c.seen[key] = true
	c.References = append(c.References, CredentialReference{File: file, Pos: sec.Pos, Platform: p.Platform, Kind: sec.Kind, Job: job.ID, Step: step})
	c.Kinds = appendOnce(c.Kinds, sec.Kind)
	c.Agent = c.Agent || sec.Agent
	for _, u := range untrusted {
		c.Untrusted = appendOnce(c.Untrusted, u)
	}
	if len(untrusted) > 0 && len(job.Guards) == 0 {
		c.Guarded = false
	}
}

// finish sorts what add collected.
func (c *Credential) finish() {
	sort.Strings(c.Kinds)
	sort.Strings(c.Untrusted)
	if len(c.Untrusted) == 0 {
		c.Guarded = false
	}
	sort.SliceStable(c.References, func(i, j int) bool {
		a, b := c.References[i], c.References[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
