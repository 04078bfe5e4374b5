// Package config reads pipeguard's configuration file, `.pipeguard.yml`, documented in
// docs/config.md, with a JSON Schema for editors in docs/pipeguard.schema.json.
//
// The file is found from the scanned directory upward to the repository root (Find);
// the nearest one wins, nothing is merged. It is read as yaml.v3 nodes, so that every
// mistake — an unknown key, a value of the wrong kind, an unknown severity, a rule that
// does not exist — is an *Error naming the file, line and column. Paths in the file are
// relative to its directory.
//
// The credential inventory (`.pipeguard/credentials.yml`, docs/credentials.md) is read
// here too (ReadInventory); the configuration only says where it is
// (Credentials.Inventory). Its mistakes are *Errors as well.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pipeguard/pipeguard/internal/fileread"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/isolation"
	"github.com/pipeguard/pipeguard/internal/parse/yamlpos"
)

// FileNames are the names of the configuration file, in the order they are looked for.
var FileNames = []string{".pipeguard.yml", ".pipeguard.yaml"}

// DefaultInventory is the credential inventory's path when the file does not say.
const DefaultInventory = ".pipeguard/credentials.yml"

// maxFileSize bounds the configuration file read.
const maxFileSize = 1 << 20

// Version is the only `version:` the file may declare.
const Version = 1

// Config is a parsed configuration file. The zero Config (no file) changes nothing.
type Config struct {
	// File is the path the configuration was read from; "" when there is none.
	File string
	// Dir is the directory the file's relative paths are relative to: its own.
	Dir string
	// Persona, FailOn and MinSeverity are the defaults of --persona, --fail-on and
	// --min-severity (Value.Value is "" when the file does not set them).
	Persona     Value
	FailOn      Value
	MinSeverity Value
	// DisabledRules are the rule ids of `rules.disable`.
	DisabledRules []Value
	// Severities are the `rules.severity` remaps, in file order.
	Severities []SeverityRemap
	// IgnorePaths are the `ignore.paths` (Rule "") and `ignore.rules` patterns.
	IgnorePaths []PathIgnore
	// PolicyDirs are the `policies` directories, joined to Dir.
	PolicyDirs []string
	// RunnerIsolation maps runner labels, tags and Jenkins agent labels to an isolation
	// level (`runner-isolation`).
	RunnerIsolation isolation.Labels
	// Credentials says where the credential inventory is.
	Credentials Credentials
}

// Value is a string of the file with the position it was written at.
type Value struct {
	Value string
	Pos   model.Pos
}

// SeverityRemap gives every finding of Rule the severity Severity.
type SeverityRemap struct {
	Rule     Value
	Severity string
}

// PathIgnore holds back the findings of Rule ("" for every rule) in the paths that Glob
// matches (relative to Config.Dir).
type PathIgnore struct {
	Rule Value
	Glob Glob
}

// Credentials is the `credentials:` section.
type Credentials struct {
	// Inventory is the credential inventory's path as written (DefaultInventory when the
	// file does not say), relative to Config.Dir; InventoryPath joins them.
	Inventory string
}

// InventoryPath returns the credential inventory's path: Credentials.Inventory joined to
// the configuration's directory (to the working directory without a file).
func (c *Config) InventoryPath() string {
	inv := c.Credentials.Inventory
	if inv == "" {
		inv = DefaultInventory
	}
	return joinDir(c.Dir, inv)
}

// Error is a problem in the configuration file or the credential inventory, at a
// position.
type Error struct {
	File string
	Pos  model.Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.IsZero() {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Find returns the configuration file that applies to start (a directory or a file): the
// first of FileNames found in start's directory or above it, up to and including the
// repository root (the nearest directory holding .git). It returns "" when there is
// none.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("find configuration: %w", err)
	}
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		for _, name := range FileNames {
			p := filepath.Join(dir, name)
			if info, err := os.Stat(p); err == nil && !info.IsDir() {
				return p, nil
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", nil // the repository root: do not look above it
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and checks the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := fileread.Read(path, maxFileSize)
	if errors.Is(err, fileread.ErrTooLarge) {
		return nil, &Error{File: path, Msg: fmt.Sprintf("the configuration file is larger than %d bytes", maxFileSize)}
	}
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	return Parse(path, data)
}

// Parse checks the configuration data read from path.
func Parse(path string, data []byte) (*Config, error) {
	cfg := &Config{File: path, Dir: filepath.Dir(path)}
	d := &decoder{file: path, src: yamlpos.NewSource(data)}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: path, Pos: d.src.ErrorPos(err), Msg: "invalid YAML: " + yamlpos.ErrorMessage(err)}
	}
	if len(doc.Content) == 0 {
		return cfg, nil // an empty file
	}
	if err := d.mapping(yamlpos.Resolve(doc.Content[0]), "the configuration", d.topLevel(cfg)); err != nil {
		return nil, err
	}
	return cfg, nil
}

// CheckRules reports the first rule id of the file that is not one of known, with a
// suggestion; rules are known only once the policies (and the file's `policies`) are
// loaded.
func (c *Config) CheckRules(known []string) error {
	var named []Value
	named = append(named, c.DisabledRules...)
	for _, s := range c.Severities {
		named = append(named, s.Rule)
	}
	for _, ig := range c.IgnorePaths {
		if ig.Rule.Value != "" {
			named = append(named, ig.Rule)
		}
	}
	for _, v := range named {
		if !slices.Contains(known, v.Value) {
			return &Error{File: c.File, Pos: v.Pos, Msg: fmt.Sprintf("unknown rule %q%s; run 'pipeguard rules' for the list", v.Value, DidYouMean(v.Value, known))}
		}
	}
	return nil
}

// Keys returns the keys the file accepts, as dotted paths ("rules.disable"), sorted: the
// JSON Schema is tested against this list.
func Keys() []string {
	var out []string
	var walk func(prefix string, fields map[string]field)
	walk = func(prefix string, fields map[string]field) {
		for name, f := range fields {
			out = append(out, prefix+name)
			if f.sub != nil {
				walk(prefix+name+".", f.sub(&Config{}))
			}
		}
	}
	walk("", (&decoder{}).topLevel(&Config{}))
	sort.Strings(out)
	return out
}

// field decodes the value of one key; sub, for a section, returns its own fields.
type field struct {
	decode func(value *yaml.Node) error
	sub    func(cfg *Config) map[string]field
}

// decoder turns yaml.v3 nodes into a Config, with positions for every error.
type decoder struct {
	file string
	src  *yamlpos.Source
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: d.file, Pos: d.src.Pos(n), Msg: fmt.Sprintf(format, args...)}
}

// topLevel returns the fields of the file's top-level mapping, filling cfg.
func (d *decoder) topLevel(cfg *Config) map[string]field {
	section := func(name string, fields func(cfg *Config) map[string]field) field {
		return field{
			decode: func(v *yaml.Node) error { return d.mapping(v, "`"+name+"`", fields(cfg)) },
			sub:    fields,
		}
	}
	return map[string]field{
		"version": {decode: func(v *yaml.Node) error {
			s, err := d.scalar(v, "`version`")
			if err == nil && s.Value != fmt.Sprint(Version) {
				err = d.errorf(v, "unknown configuration version %q (want %d)", s.Value, Version)
			}
			return err
		}},
		"persona": {decode: func(v *yaml.Node) error {
			return d.oneOf(v, "`persona`", &cfg.Persona, []string{model.PersonaRegular, model.PersonaPedantic, model.PersonaAuditor})
		}},
		"fail-on":      {decode: func(v *yaml.Node) error { return d.oneOf(v, "`fail-on`", &cfg.FailOn, model.Severities) }},
		"min-severity": {decode: func(v *yaml.Node) error { return d.oneOf(v, "`min-severity`", &cfg.MinSeverity, model.Severities) }},
		"rules":        section("rules", d.rulesFields),
		"ignore":       section("ignore", d.ignoreFields),
		"policies": {decode: func(v *yaml.Node) error {
			dirs, err := d.list(v, "`policies`")
			for _, dir := range dirs {
				cfg.PolicyDirs = append(cfg.PolicyDirs, joinDir(cfg.Dir, dir.Value))
			}
			return err
		}},
		"runner-isolation": {decode: func(v *yaml.Node) error { return d.runnerIsolation(v, cfg) }},
		"credentials":      section("credentials", d.credentialsFields),
	}
}

func (d *decoder) rulesFields(cfg *Config) map[string]field {
	return map[string]field{
		"disable": {decode: func(v *yaml.Node) error {
			ids, err := d.list(v, "`rules.disable`")
			cfg.DisabledRules = append(cfg.DisabledRules, ids...)
			return err
		}},
		"severity": {decode: func(v *yaml.Node) error {
			return d.eachPair(v, "`rules.severity`", func(key, value *yaml.Node) error {
				var sev Value
				if err := d.oneOf(value, "the severity of "+key.Value, &sev, model.Severities); err != nil {
					return err
				}
				cfg.Severities = append(cfg.Severities, SeverityRemap{Rule: d.value(key), Severity: sev.Value})
				return nil
			})
		}},
	}
}

func (d *decoder) ignoreFields(cfg *Config) map[string]field {
	globs := func(v *yaml.Node, what string, rule Value) error {
		patterns, err := d.list(v, what)
		if err != nil {
			return err
		}
		for _, p := range patterns {
			g, err := CompileGlob(p.Value)
			if err != nil {
				return &Error{File: d.file, Pos: p.Pos, Msg: fmt.Sprintf("bad path pattern %q: %v", p.Value, err)}
			}
			cfg.IgnorePaths = append(cfg.IgnorePaths, PathIgnore{Rule: rule, Glob: g})
		}
		return nil
	}
	return map[string]field{
		"paths": {decode: func(v *yaml.Node) error { return globs(v, "`ignore.paths`", Value{}) }},
		"rules": {decode: func(v *yaml.Node) error {
			return d.eachPair(v, "`ignore.rules`", func(key, value *yaml.Node) error {
				return globs(value, "the paths of "+key.Value, d.value(key))
			})
		}},
	}
}

func (d *decoder) credentialsFields(cfg *Config) map[string]field {
	return map[string]field{
		"inventory": {decode: func(v *yaml.Node) error {
			s, err := d.scalar(v, "`credentials.inventory`")
			cfg.Credentials.Inventory = s.Value
			return err
		}},
	}
}

// isolationLevels are the values of `runner-isolation`.
var isolationLevels = []string{model.IsolationIsolated, model.IsolationEphemeral, model.IsolationNone, model.IsolationUnknown}

func (d *decoder) runnerIsolation(v *yaml.Node, cfg *Config) error {
	seen := map[string]bool{}
	return d.eachPair(v, "`runner-isolation`", func(key, value *yaml.Node) error {
		label := strings.ToLower(strings.TrimSpace(key.Value))
		if label == "" {
			return d.errorf(key, "empty runner label")
		}
		if seen[label] {
			return d.errorf(key, "runner label %q is given twice (labels are matched without regard to case)", key.Value)
		}
		seen[label] = true
		var level Value
		if err := d.oneOf(value, "the isolation of "+key.Value, &level, isolationLevels); err != nil {
			return err
		}
		if cfg.RunnerIsolation == nil {
			cfg.RunnerIsolation = isolation.Labels{}
		}
		cfg.RunnerIsolation[key.Value] = level.Value
		return nil
	})
}

// mapping decodes mapping n with fields; a null value is an empty mapping. Unknown and
// repeated keys are errors.
func (d *decoder) mapping(n *yaml.Node, what string, fields map[string]field) error {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	return d.eachPair(n, what, func(key, value *yaml.Node) error {
		f, ok := fields[key.Value]
		if !ok {
			return d.errorf(key, "unknown key %q in %s%s (known keys: %s)", key.Value, what, DidYouMean(key.Value, names), strings.Join(names, ", "))
		}
		return f.decode(value)
	})
}

// eachPair calls fn for every key of mapping n, rejecting repeated keys, aliases and
// merges; a null value is an empty mapping.
func (d *decoder) eachPair(n *yaml.Node, what string, fn func(key, value *yaml.Node) error) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return d.errorf(n, "%s must be a mapping, not %s", what, yamlpos.KindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], yamlpos.Resolve(n.Content[i+1])
		if key.Kind != yaml.ScalarNode || key.Tag == "!!merge" {
			return d.errorf(key, "%s: keys must be plain strings", what)
		}
		if seen[key.Value] {
			return d.errorf(key, "key %q is given twice in %s", key.Value, what)
		}
		seen[key.Value] = true
		if err := fn(key, value); err != nil {
			return err
		}
	}
	return nil
}

// scalar returns the string of scalar n.
func (d *decoder) scalar(n *yaml.Node, what string) (Value, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return Value{}, d.errorf(n, "%s must be a string, not %s", what, yamlpos.KindName(n))
	}
	return d.value(n), nil
}

// oneOf stores scalar n in out when it is one of allowed.
func (d *decoder) oneOf(n *yaml.Node, what string, out *Value, allowed []string) error {
	v, err := d.scalar(n, what)
	if err != nil {
		return err
	}
	if !slices.Contains(allowed, v.Value) {
		return d.errorf(n, "unknown %s %q%s (want one of %s)", strings.Trim(what, "`"), v.Value, DidYouMean(v.Value, allowed), strings.Join(allowed, ", "))
	}
	*out = v
	return nil
}

// list returns the strings of sequence n; a null value is an empty list.
func (d *decoder) list(n *yaml.Node, what string) ([]Value, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, d.errorf(n, "%s must be a list, not %s", what, yamlpos.KindName(n))
	}
	out := make([]Value, 0, len(n.Content))
	for _, item := range n.Content {
		item = yamlpos.Resolve(item)
		v, err := d.scalar(item, "each entry of "+what)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(v.Value) == "" {
			return nil, d.errorf(item, "empty entry in %s", what)
		}
		out = append(out, v)
	}
	return out, nil
}

func (d *decoder) value(n *yaml.Node) Value {
	return Value{Value: n.Value, Pos: d.src.Pos(n)}
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// joinDir joins a path of the file to its directory; absolute paths stay as they are.
func joinDir(dir, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}
