package model_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// TestInputSchemaIsCurrent regenerates the input schema and docs/input.md from the Go
// structs and their doc comments and compares them with the checked-in files; with
// -update it rewrites them.
func TestInputSchemaIsCurrent(t *testing.T) {
	docs := readDocComments(t)
	g := &schemaGen{docs: docs, defs: map[string]any{}}
	root := g.object(reflect.TypeOf(model.Pipeline{}))
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	root["$id"] = "https://github.com/pipeguard/pipeguard/internal/model/input.schema.json"
	root["title"] = "pipeguard policy input"
	root["definitions"] = g.defs
	schema, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	schema = append(schema, '\n')
	markdown := g.markdown(reflect.TypeOf(model.Pipeline{}))
	for _, missing := range g.undocumented {
		t.Errorf("%s has no doc comment: every field of the policy input is documented", missing)
	}
	docPath := filepath.Join(testutil.RepoRoot(t), "docs", "input.md")
	for _, f := range []struct {
		path string
		want []byte
	}{{"input.schema.json", schema}, {docPath, markdown}} {
		if *testutil.Update {
			if err := os.WriteFile(f.path, f.want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s is out of date with the model: run `go test ./internal/model -update`", f.path)
		}
	}
	if !bytes.Equal(model.InputSchema(), schema) && !*testutil.Update {
		t.Error("the embedded schema differs from the generated one")
	}
}

// readDocComments returns the doc comment of every type ("Type") and struct field
// ("Type.Field") of this package's source.
func readDocComments(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil {
					doc = gd.Doc
				}
				docs[ts.Name.Name] = commentText(doc)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, field := range st.Fields.List {
					text := commentText(field.Doc)
					if text == "" {
						text = commentText(field.Comment)
					}
					for _, n := range field.Names {
						docs[ts.Name.Name+"."+n.Name] = text
					}
				}
			}
		}
	}
	return docs
}

func commentText(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	return strings.Join(strings.Fields(g.Text()), " ")
}

// schemaGen builds the schema of the model's types; struct types other than the root
// become definitions.
type schemaGen struct {
	docs map[string]string
	defs map[string]any
	// undocumented lists the fields without a doc comment.
	undocumented []string
}

// field is one JSON property of a struct, embedded structs flattened.
type field struct {
	name      string
	doc       string
	typ       reflect.Type
	omitEmpty bool
}

// fields lists the JSON properties of struct type t, as encoding/json names them.
func (g *schemaGen) fields(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if sf.Anonymous && name == "" {
			out = append(out, g.fields(sf.Type)...)
			continue
		}
		doc := g.docs[t.Name()+"."+sf.Name]
		if doc == "" && !slices.Contains(g.undocumented, t.Name()+"."+sf.Name) {
			g.undocumented = append(g.undocumented, t.Name()+"."+sf.Name)
		}
		out = append(out, field{name: name, doc: doc, typ: sf.Type, omitEmpty: strings.Contains(opts, "omitempty")})
	}
	return out
}

// object returns the closed object schema of struct type t.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range g.fields(t) {
		s := g.schema(f.typ)
		if f.doc != "" {
			s = withDescription(s, f.doc)
		}
		props[f.name] = s
		if !f.omitEmpty {
			required = append(required, f.name)
		}
	}
	sort.Strings(required)
	obj := map[string]any{
		"type":                 "object",
		"description":          g.docs[t.Name()],
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		obj["required"] = required
	}
	return obj
}

// withDescription adds a description to a schema; a $ref cannot have siblings in draft
// 07, so it is wrapped in allOf.
func withDescription(s map[string]any, doc string) map[string]any {
	if _, isRef := s["$ref"]; isRef {
		return map[string]any{"allOf": []any{s}, "description": doc}
	}
	s["description"] = doc
	return s
}

// schema returns the schema of a field of type t.
func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		if _, done := g.defs[t.Name()]; !done {
			g.defs[t.Name()] = nil // reserve: the model has no recursive types, but be safe
			g.defs[t.Name()] = g.object(t)
		}
		return map[string]any{"$ref": "#/definitions/" + t.Name()}
	}
	panic(fmt.Sprintf("schema: unsupported kind %s", t.Kind()))
}

// markdown renders docs/input.md: one section per type, reachable from the root.
func (g *schemaGen) markdown(root reflect.Type) []byte {
	var b bytes.Buffer
	b.WriteString("# The policy input\n\n")
	b.WriteString("<!-- Generated from internal/model by `go test ./internal/model -update`; do not edit. -->\n\n")
	b.WriteString("Every rule sees one pipeline file as its Rego `input`: the normalized model below, the same\n")
	b.WriteString("on every platform. `pipeguard inspect FILE` prints it for a file. The JSON Schema of this\n")
	b.WriteString("document is [`internal/model/input.schema.json`](../internal/model/input.schema.json); the\n")
	b.WriteString("engine type-checks every policy against it, so reading a field that does not exist is a\n")
	b.WriteString("compile error. Positions (`pos`) are 1-based, columns in Unicode code points, `end_col`\n")
	b.WriteString("exclusive. Lists are never `null`: a list without `(optional)` is always present, maybe\n")
	b.WriteString("empty; an `(optional)` field is absent when empty. Field names never change without an\n")
	b.WriteString("entry in [CHANGELOG.md](../CHANGELOG.md).\n")
	seen := map[reflect.Type]bool{}
	queue := []reflect.Type{root}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if seen[t] {
			continue
		}
		seen[t] = true
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| field | type | meaning |\n|---|---|---|\n", t.Name(), g.docs[t.Name()])
		for _, f := range g.fields(t) {
			typ, elem := typeName(f.typ)
			if elem != nil && !seen[elem] {
				queue = append(queue, elem)
			}
			opt := ""
			if f.omitEmpty {
				opt = " (optional)"
			}
			fmt.Fprintf(&b, "| `%s` | %s%s | %s |\n", f.name, typ, opt, strings.ReplaceAll(f.doc, "|", `\|`))
		}
	}
	return b.Bytes()
}

// typeName names a field type for the documentation and returns the struct type it
// refers to, if any.
func typeName(t reflect.Type) (string, reflect.Type) {
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Slice:
		name, elem := typeName(t.Elem())
		return "array of " + name, elem
	case reflect.Map:
		name, elem := typeName(t.Elem())
		return "object of " + name, elem
	case reflect.Struct:
		return "[" + t.Name() + "](#" + strings.ToLower(t.Name()) + ")", t
	case reflect.Int:
		return "integer", nil
	case reflect.Bool:
		return "boolean", nil
	}
	return t.Kind().String(), nil
}
