package config

// The credential inventory (`.pipeguard/credentials.yml`, docs/credentials.md).

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/yamlpos"
	"github.com/pipeguard/pipeguard/internal/secrets"
)

// The credential inventory (docs/credentials.md) lists, per credential the pipelines
// reference, who owns it, when it was created, when it expires and how often it is
// rotated — metadata only, never a value:
//
//	version: 1
//	defaults: {warn_days: 14, max_lifetime_days: 90}
//	credentials:
//	  - name: CODEX_ACCESS_TOKEN
//	    kind: codex-access-token
//	    owner: team-release
//	    created: 2026-05-15
//	    expires: 2026-08-13        # a date, or never
//	    rotation_days: 30
//	    stored_in: [github:repo]
//
// It is read as yaml.v3 nodes: an unknown key, a bad date, a missing name or a key that
// could hold a credential's value is an error naming the file, line and column.

// InventoryVersion is the only `version:` an inventory may declare.
const InventoryVersion = 1

// Defaults of the inventory's `defaults:` section.
const (
	DefaultWarnDays        = 14
	DefaultMaxLifetimeDays = 90
)

// DateLayout is the layout of every date of the inventory and of `--now`.
const DateLayout = "2006-01-02"

// Bounds against hostile inventories.
const (
	maxInventorySize    = 1 << 20
	maxInventoryEntries = 10000
)

// ParseDate reads a YYYY-MM-DD date as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return t, nil
}

// ReadInventory reads the inventory at path, reported as reportPath, with day counts
// computed for the date now. A missing file is an error for which
// errors.Is(err, fs.ErrNotExist) holds; every other error names the file, and the line
// and column when it is about the file's content.
func ReadInventory(path, reportPath string, now time.Time) (*model.Inventory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read credential inventory %s: %w", reportPath, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxInventorySize+1))
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return nil, fmt.Errorf("read credential inventory %s: %w", reportPath, err)
	}
	if len(data) > maxInventorySize {
		return nil, fmt.Errorf("%s: the credential inventory is over %d bytes", reportPath, maxInventorySize)
	}
	return ParseInventory(data, reportPath, now)
}

// ParseInventory reads an inventory's text (see ReadInventory).
func ParseInventory(data []byte, reportPath string, now time.Time) (*model.Inventory, error) {
	src := yamlpos.NewSource(data)
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: reportPath, Pos: src.ErrorPos(err), Msg: yamlpos.ErrorMessage(err)}
	}
	r := &inventoryReader{src: src, file: reportPath, now: now.UTC().Truncate(24 * time.Hour)}
	inv := &model.Inventory{File: reportPath, WarnDays: DefaultWarnDays, MaxLifetimeDays: DefaultMaxLifetimeDays}
	if len(doc.Content) == 0 {
		return nil, r.errorf(model.Point(1, 1), "the credential inventory is empty: it needs `version: %d` and `credentials:`", InventoryVersion)
	}
	if err := r.top(doc.Content[0], inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// inventoryReader decodes one inventory's nodes.
type inventoryReader struct {
	src  *yamlpos.Source
	file string
	now  time.Time
}

func (r *inventoryReader) errorf(p model.Pos, format string, args ...any) error {
	return &Error{File: r.file, Pos: p, Msg: fmt.Sprintf(format, args...)}
}

func (r *inventoryReader) at(n *yaml.Node) model.Pos { return r.src.Pos(n) }

// pairs calls fn for each key of mapping n, rejecting what is not a mapping, keys not in
// known (naming them) and repeated keys.
func (r *inventoryReader) pairs(n *yaml.Node, what string, known []string, fn func(key string, k, v *yaml.Node) error) error {
	n = yamlpos.Resolve(n)
	if n.Kind != yaml.MappingNode {
		return r.errorf(r.at(n), "%s must be a mapping, not %s", what, yamlpos.KindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], yamlpos.Resolve(n.Content[i+1])
		if !slices.Contains(known, k.Value) {
			return r.errorf(r.at(k), "unknown key %q in %s (want one of %s)", k.Value, what, strings.Join(known, ", "))
		}
		if seen[k.Value] {
			return r.errorf(r.at(k), "%q is given twice in %s", k.Value, what)
		}
		seen[k.Value] = true
		if err := fn(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (r *inventoryReader) top(n *yaml.Node, inv *model.Inventory) error {
	var version, credentials *yaml.Node
	err := r.pairs(n, "the credential inventory", []string{"version", "defaults", "credentials"}, func(key string, _, v *yaml.Node) error {
		switch key {
		case "version":
			version = v
		case "credentials":
			credentials = v
		case "defaults":
			return r.defaults(v, inv)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if version == nil {
		return r.errorf(r.at(n), "the credential inventory needs `version: %d`", InventoryVersion)
	}
	if v, err := r.number(version, "version"); err != nil {
		return err
	} else if v != InventoryVersion {
		return r.errorf(r.at(version), "unsupported inventory version %d (want %d)", v, InventoryVersion)
	}
	if credentials == nil || isNullNode(credentials) {
		return nil
	}
	if credentials.Kind != yaml.SequenceNode {
		return r.errorf(r.at(credentials), "`credentials` must be a list of entries, not %s", yamlpos.KindName(credentials))
	}
	if len(credentials.Content) > maxInventoryEntries {
		return r.errorf(r.at(credentials), "the inventory has %d entries, over the limit of %d", len(credentials.Content), maxInventoryEntries)
	}
	names := map[string]model.Pos{}
	for i, entry := range credentials.Content {
		e, err := r.entry(entry, i)
		if err != nil {
			return err
		}
		if first, dup := names[e.Name]; dup {
			return r.errorf(e.Pos, "credential %q is listed twice (first at line %d)", e.Name, first.Line)
		}
		names[e.Name] = e.Pos
		inv.Credentials = append(inv.Credentials, e)
	}
	return nil
}

func (r *inventoryReader) defaults(n *yaml.Node, inv *model.Inventory) error {
	if isNullNode(n) {
		return nil
	}
	return r.pairs(n, "`defaults`", []string{"warn_days", "max_lifetime_days"}, func(key string, _, v *yaml.Node) error {
		d, err := r.number(v, "defaults."+key)
		if err != nil {
			return err
		}
		switch key {
		case "warn_days":
			if d < 0 {
				return r.errorf(r.at(v), "`warn_days` must not be negative")
			}
			inv.WarnDays = d
		case "max_lifetime_days":
			if d < 1 {
				return r.errorf(r.at(v), "`max_lifetime_days` must be at least 1")
			}
			inv.MaxLifetimeDays = d
		}
		return nil
	})
}

// entryKeys are the keys of one credential entry.
var entryKeys = []string{"name", "kind", "owner", "created", "expires", "rotation_days", "stored_in"}

// entry decodes credentials[i].
func (r *inventoryReader) entry(n *yaml.Node, i int) (model.InventoryEntry, error) {
	what := fmt.Sprintf("credentials[%d]", i)
	var e model.InventoryEntry
	var created, expires time.Time
	n = yamlpos.Resolve(n)
	if n.Kind == yaml.MappingNode {
		// A key that may hold the credential itself is refused before anything else, and
		// without quoting its value.
		for k := 0; k+1 < len(n.Content); k += 2 {
			if key := n.Content[k]; holdsValue(key.Value) {
				return e, r.errorf(r.at(key), "%s: `%s:` has no place in the inventory, which holds metadata and never a credential's value: remove the key (its value is now in this file's history: rotate the credential)", what, key.Value)
			}
		}
	}
	var nameNode *yaml.Node
	err := r.pairs(n, what, entryKeys, func(key string, _, v *yaml.Node) error {
		if key == "stored_in" {
			list, err := r.list(v, what+".stored_in")
			e.StoredIn = list
			return err
		}
		if isNullNode(v) {
			return nil // not recorded
		}
		if v.Kind != yaml.ScalarNode {
			return r.errorf(r.at(v), "%s.%s must be a single value, not %s", what, key, yamlpos.KindName(v))
		}
		var err error
		switch key {
		case "name":
			nameNode = v
			e.Name, e.Pos = strings.TrimSpace(v.Value), r.at(v)
		case "kind":
			e.Kind = v.Value
		case "owner":
			e.Owner, e.OwnerPos = v.Value, r.at(v)
		case "created":
			created, err = r.date(v, what+".created")
			e.Created, e.CreatedPos = v.Value, r.at(v)
		case "expires":
			e.Expires, e.ExpiresPos = v.Value, r.at(v)
			if v.Value != model.ExpiresNever {
				expires, err = r.date(v, what+".expires")
			}
		case "rotation_days":
			e.RotationDays, err = r.number(v, what+".rotation_days")
			if err == nil && e.RotationDays < 1 {
				err = r.errorf(r.at(v), "%s.rotation_days must be at least 1", what)
			}
			e.RotationPos = r.at(v)
		}
		return err
	})
	if err != nil {
		return e, err
	}
	if nameNode == nil || e.Name == "" {
		return e, r.errorf(r.at(n), "%s has no `name:` (the name pipelines reference it by)", what)
	}
	for _, p := range []*model.Pos{&e.OwnerPos, &e.CreatedPos, &e.ExpiresPos, &e.RotationPos} {
		if p.IsZero() {
			*p = e.Pos
		}
	}
	r.days(&e, created, expires)
	return e, nil
}

// days fills the day counts of an entry from its dates and the scan's date.
func (r *inventoryReader) days(e *model.InventoryEntry, created, expires time.Time) {
	if !expires.IsZero() {
		e.DaysLeft = daysPtr(r.now, expires)
		if !created.IsZero() {
			e.LifetimeDays = daysPtr(created, expires)
		}
	}
	if !created.IsZero() && e.RotationDays > 0 {
		due := created.AddDate(0, 0, e.RotationDays)
		e.RotationDue = due.Format(DateLayout)
		e.RotationDaysLeft = daysPtr(r.now, due)
	}
}

func daysPtr(from, to time.Time) *int {
	d := int((to.Unix() - from.Unix()) / (24 * 60 * 60))
	return &d
}

// holdsValue reports whether an entry key could hold a credential's value.
func holdsValue(key string) bool {
	k := strings.ToLower(key)
	return k == "value" || k == "values" || k == "val" || k == "data" || strings.HasSuffix(k, "_value") || secrets.IsCredentialName(key)
}

func (r *inventoryReader) date(v *yaml.Node, what string) (time.Time, error) {
	t, err := ParseDate(v.Value)
	if err != nil {
		return t, r.errorf(r.at(v), "%s: %v", what, err)
	}
	return t, nil
}

func (r *inventoryReader) number(v *yaml.Node, what string) (int, error) {
	if v.Kind != yaml.ScalarNode {
		return 0, r.errorf(r.at(v), "%s must be a whole number, not %s", what, yamlpos.KindName(v))
	}
	d, err := strconv.Atoi(v.Value)
	if err != nil || d > 100000 {
		return 0, r.errorf(r.at(v), "%s must be a whole number of at most 100000, not %q", what, v.Value)
	}
	return d, nil
}

func (r *inventoryReader) list(v *yaml.Node, what string) ([]string, error) {
	switch {
	case isNullNode(v):
		return nil, nil
	case v.Kind == yaml.ScalarNode:
		return []string{v.Value}, nil
	case v.Kind != yaml.SequenceNode:
		return nil, r.errorf(r.at(v), "%s must be a list, not %s", what, yamlpos.KindName(v))
	}
	out := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		item = yamlpos.Resolve(item)
		if item.Kind != yaml.ScalarNode {
			return nil, r.errorf(r.at(item), "%s must hold single values, not %s", what, yamlpos.KindName(item))
		}
		out = append(out, item.Value)
	}
	return out, nil
}

func isNullNode(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// SkeletonEntry is one credential of a skeleton inventory: its name and where the
// pipelines reference it (a comment).
type SkeletonEntry struct {
	Name string
	// Where says where it is referenced, e.g. "github-secret, .github/workflows/a.yml:12".
	Where string
}

// InventorySkeleton writes an inventory with one entry per credential, a kind guessed
// from its name, and owner, dates and rotation left empty for a person to fill in. It
// holds no value.
func InventorySkeleton(entries []SkeletonEntry) []byte {
	var b strings.Builder
	b.WriteString("# Credential inventory for pipeguard (docs/credentials.md): metadata about the\n")
	b.WriteString("# credentials the pipelines reference, never their values. Fill in each owner (a team\n")
	b.WriteString("# or workflow), created, expires (a date, or never with rotation_days) and rotation_days.\n")
	fmt.Fprintf(&b, "version: %d\n", InventoryVersion)
	fmt.Fprintf(&b, "defaults: {warn_days: %d, max_lifetime_days: %d}\n", DefaultWarnDays, DefaultMaxLifetimeDays)
	if len(entries) == 0 {
		b.WriteString("credentials: []\n")
		return []byte(b.String())
	}
	b.WriteString("credentials:\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "  - name: %s", yamlString(e.Name))
		if e.Where != "" {
			fmt.Fprintf(&b, "  # %s", oneLineComment(e.Where))
		}
		fmt.Fprintf(&b, "\n    kind: %s\n    owner:\n    created:\n    expires:\n    rotation_days:\n", GuessKind(e.Name))
	}
	return []byte(b.String())
}

// GuessKind guesses a credential's inventory kind from its name.
func GuessKind(name string) string {
	words := secrets.SplitName(name)
	has := func(ws ...string) bool {
		for _, w := range words {
			if slices.Contains(ws, w) {
				return true
			}
		}
		return false
	}
	joined := strings.Join(words, "")
	switch {
	case has("pat") || strings.Contains(joined, "personalaccesstoken"):
		return "pat"
	case has("oauth"):
		return "oauth-token"
	case has("ssh") || strings.Contains(joined, "deploykey") || strings.Contains(joined, "privatekey"):
		return "ssh-key"
	case has("password", "passwd", "pwd", "passphrase"):
		return "password"
	case strings.Contains(joined, "apikey") || has("key"):
		return "api-key"
	case strings.Contains(joined, "token"):
		return "access-token"
	}
	return "other"
}

// yamlString writes s as a YAML scalar: plain when that reads back as the same string,
// double-quoted otherwise.
func yamlString(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '.' || r == '/' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			plain = false
			break
		}
	}
	if plain && !slices.Contains([]string{"null", "true", "false", "yes", "no", "on", "off", "~"}, strings.ToLower(s)) && !(s[0] >= '0' && s[0] <= '9') && s[0] != '-' && s[0] != '.' {
		return s
	}
	return strconv.Quote(s)
}

// oneLineComment keeps a comment on one line.
func oneLineComment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == 0x2028 || r == 0x2029 || r == 0x85 {
			return ' '
		}
		return r
	}, s)
}
