package config

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/model"
)

var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func intp(n int) *int { return &n }

func TestParseInventory(t *testing.T) {
	src := `version: 1
defaults: {warn_days: 7, max_lifetime_days: 60}
credentials:
  - name: CODEX_ACCESS_TOKEN   # a comment
    kind: codex-access-token
    owner: team-release
    created: 2026-05-15
    expires: 2026-08-13
    rotation_days: 30
    stored_in: [github:repo]
  - name: DEPLOY_KEY
    expires: never
  - name: "Ünïcode"
    created:
    owner: jane.doe
`
	inv, err := ParseInventory([]byte(src), "repo/.pipeguard/credentials.yml", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if inv.File != "repo/.pipeguard/credentials.yml" || inv.WarnDays != 7 || inv.MaxLifetimeDays != 60 || len(inv.Credentials) != 3 {
		t.Fatalf("inventory = %+v", inv)
	}
	codex := inv.Credentials[0]
	want := model.InventoryEntry{
		Name: "CODEX_ACCESS_TOKEN", Kind: "codex-access-token", Owner: "team-release",
		Created: "2026-05-15", Expires: "2026-08-13", RotationDays: 30, StoredIn: []string{"github:repo"},
		DaysLeft: intp(73), LifetimeDays: intp(90), RotationDue: "2026-06-14", RotationDaysLeft: intp(13),
		Pos:         model.Pos{Line: 4, Col: 11, EndLine: 4, EndCol: 29},
		OwnerPos:    model.Pos{Line: 6, Col: 12, EndLine: 6, EndCol: 24},
		CreatedPos:  model.Pos{Line: 7, Col: 14, EndLine: 7, EndCol: 24},
		ExpiresPos:  model.Pos{Line: 8, Col: 14, EndLine: 8, EndCol: 24},
		RotationPos: model.Pos{Line: 9, Col: 20, EndLine: 9, EndCol: 22},
	}
	if got := describe(codex); got != describe(want) {
		t.Errorf("entry 0:\n got %s\nwant %s", got, describe(want))
	}
	never := inv.Credentials[1]
	if never.Expires != model.ExpiresNever || never.DaysLeft != nil || never.LifetimeDays != nil || never.RotationDue != "" {
		t.Errorf("never entry = %s", describe(never))
	}
	if never.ExpiresPos != (model.Pos{Line: 12, Col: 14, EndLine: 12, EndCol: 19}) || never.CreatedPos != never.Pos {
		t.Errorf("never entry positions = %s", describe(never))
	}
	uni := inv.Credentials[2]
	if uni.Name != "Ünïcode" || uni.Pos != (model.Pos{Line: 13, Col: 12, EndLine: 13, EndCol: 19}) || uni.Created != "" || uni.OwnerPos.Col != 12 {
		t.Errorf("unicode entry = %s", describe(uni))
	}
}

func describe(e model.InventoryEntry) string {
	ptr := func(p *int) any {
		if p == nil {
			return nil
		}
		return *p
	}
	return strings.Join([]string{e.Name, e.Kind, e.Owner, e.Created, e.Expires, e.RotationDue, strings.Join(e.StoredIn, ","),
		sprint(e.RotationDays, ptr(e.DaysLeft), ptr(e.LifetimeDays), ptr(e.RotationDaysLeft)),
		sprint(e.Pos, e.OwnerPos, e.CreatedPos, e.ExpiresPos, e.RotationPos)}, " | ")
}

func TestParseInventoryDefaults(t *testing.T) {
	inv, err := ParseInventory([]byte("version: 1\n"), "c.yml", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if inv.WarnDays != DefaultWarnDays || inv.MaxLifetimeDays != DefaultMaxLifetimeDays || len(inv.Credentials) != 0 {
		t.Errorf("inventory = %+v", inv)
	}
	inv, err = ParseInventory([]byte("version: 1\ncredentials:\n  - name: X\n    expires: 2026-05-30\n"), "c.yml", testNow)
	if err != nil || *inv.Credentials[0].DaysLeft != -2 {
		t.Errorf("expired entry: %v %v", err, inv)
	}
}

// TestParseErrors checks that every mistake names the file, line and column, and
// that a value never appears in an error.
func TestParseInventoryErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"empty", "", "c.yml:1:1: the credential inventory is empty: it needs `version: 1` and `credentials:`"},
		{"syntax", "version: 1\ncredentials: [\n", "c.yml:2:1: did not find expected node content"},
		{"no version", "credentials: []\n", "c.yml:1:1: the credential inventory needs `version: 1`"},
		{"bad version", "version: 2\n", "c.yml:1:10: unsupported inventory version 2 (want 1)"},
		{"unknown top key", "version: 1\nentries: []\n", `c.yml:2:1: unknown key "entries" in the credential inventory (want one of version, defaults, credentials)`},
		{"unknown default", "version: 1\ndefaults: {warn: 3}\n", "c.yml:2:12: unknown key \"warn\" in `defaults` (want one of warn_days, max_lifetime_days)"},
		{"negative warn", "version: 1\ndefaults: {warn_days: -1}\n", "c.yml:2:23: `warn_days` must not be negative"},
		{"credentials not a list", "version: 1\ncredentials: {a: 1}\n", "c.yml:2:14: `credentials` must be a list of entries, not a mapping"},
		{"missing name", "version: 1\ncredentials:\n  - owner: team\n", "c.yml:3:5: credentials[0] has no `name:` (the name pipelines reference it by)"},
		{"unknown entry key", "version: 1\ncredentials:\n  - name: A\n    team: x\n", `c.yml:4:5: unknown key "team" in credentials[0] (want one of name, kind, owner, created, expires, rotation_days, stored_in)`},
		{"bad date", "version: 1\ncredentials:\n  - name: A\n    expires: 2026-13-01\n", `c.yml:4:14: credentials[0].expires: "2026-13-01" is not a date (want YYYY-MM-DD)`},
		{"bad created", "version: 1\ncredentials:\n  - name: A\n    created: soon\n", `c.yml:4:14: credentials[0].created: "soon" is not a date (want YYYY-MM-DD)`},
		{"bad rotation", "version: 1\ncredentials:\n  - name: A\n    rotation_days: 0\n", "c.yml:4:20: credentials[0].rotation_days must be at least 1"},
		{"rotation not a number", "version: 1\ncredentials:\n  - name: A\n    rotation_days: monthly\n", `c.yml:4:20: credentials[0].rotation_days must be a whole number of at most 100000, not "monthly"`},
		{"duplicate", "version: 1\ncredentials:\n  - name: A\n  - name: A\n", `c.yml:4:11: credential "A" is listed twice (first at line 3)`},
		{"repeated key", "version: 1\ncredentials:\n  - name: A\n    owner: x\n    owner: y\n", `c.yml:5:5: "owner" is given twice in credentials[0]`},
		{"value key", "version: 1\ncredentials:\n  - name: A\n    value: sk-proj-abcdefghijklmnop\n", "c.yml:4:5: credentials[0]: `value:` has no place in the inventory, which holds metadata and never a credential's value: remove the key (its value is now in this file's history: rotate the credential)"},
		{"token key", "version: 1\ncredentials:\n  - token: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n    name: A\n", "c.yml:3:5: credentials[0]: `token:` has no place in the inventory, which holds metadata and never a credential's value: remove the key (its value is now in this file's history: rotate the credential)"},
		{"nested name", "version: 1\ncredentials:\n  - name: [A]\n", "c.yml:3:11: credentials[0].name must be a single value, not a sequence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseInventory([]byte(tt.src), "c.yml", testNow)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
			for _, secret := range []string{"sk-proj-abcdefghijklmnop", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error prints a value: %s", err)
				}
			}
		})
	}
}

func sprint(args ...any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprint(a)
	}
	return strings.Join(parts, " ")
}

// TestInventorySkeleton checks that a skeleton reads back as an inventory whose entries
// have the names given and nothing recorded, whatever the names hold.
func TestInventorySkeleton(t *testing.T) {
	names := []string{"CODEX_ACCESS_TOKEN", "GH_PAT", "deploy-ctx", "DB_PASSWORD", "OPENAI_API_KEY", "true", "a: b\n#c", "123", "plain"}
	var entries []SkeletonEntry
	for _, n := range names {
		entries = append(entries, SkeletonEntry{Name: n, Where: "github-secret, a.yml:3\nkind: x"})
	}
	data := InventorySkeleton(entries)
	inv, err := ParseInventory(data, "c.yml", testNow)
	if err != nil {
		t.Fatalf("skeleton does not read back: %v\n%s", err, data)
	}
	wantKinds := []string{"access-token", "pat", "other", "password", "api-key", "other", "other", "other", "other"}
	for i, e := range inv.Credentials {
		if e.Name != names[i] || e.Kind != wantKinds[i] || e.Owner != "" || e.Created != "" || e.Expires != "" || e.RotationDays != 0 {
			t.Errorf("entry %d = %s, want name %q kind %s and nothing recorded", i, describe(e), names[i], wantKinds[i])
		}
	}
	if len(inv.Credentials) != len(names) {
		t.Errorf("%d entries, want %d", len(inv.Credentials), len(names))
	}
	empty, err := ParseInventory(InventorySkeleton(nil), "c.yml", testNow)
	if err != nil || len(empty.Credentials) != 0 {
		t.Errorf("empty skeleton: %v %+v", err, empty)
	}
}
