package engine

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	_ "github.com/pipeguard/pipeguard/internal/parse/all" // every parser, for the fixtures
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// TestInputMatchesJSONShape checks that Input builds, for every rule fixture of every
// platform, the same document as the model's JSON encoding (with null lists as []): the
// JSON shape is the documented policy input.
func TestInputMatchesJSONShape(t *testing.T) {
	root := filepath.Join(testutil.RepoRoot(t), "testdata", "rules")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		platform := discover.PlatformOf(filepath.ToSlash(path))
		fn, ok := parse.Lookup(platform)
		if !ok {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		p := fn(parse.Input{Path: path, Data: data})
		got, err := Input(p)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if want := viaJSON(t, p); got.Compare(want) != 0 {
			t.Errorf("%s: Input differs from the JSON shape:\n got  %v\n want %v", path, got, want)
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("only %d fixture files checked", checked)
	}
}

// viaJSON is the reference conversion: JSON text, then nulls replaced by empty arrays.
func viaJSON(t *testing.T, p *model.Pipeline) ast.Value {
	t.Helper()
	withIndex := *p
	withIndex.FoundSecrets = model.FindSecrets(p)
	raw, err := json.Marshal(&withIndex)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := util.UnmarshalJSON(raw, &doc); err != nil {
		t.Fatal(err)
	}
	v, err := ast.InterfaceToValue(nullsToLists(doc))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func nullsToLists(doc any) any {
	switch v := doc.(type) {
	case nil:
		return []any{}
	case map[string]any:
		for k, x := range v {
			v[k] = nullsToLists(x)
		}
	case []any:
		for i, x := range v {
			v[i] = nullsToLists(x)
		}
	}
	return doc
}
