package engine

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/typecache"
)

// Input converts a pipeline to the Rego input document, with `found_secrets` filled.
//
// The document has exactly the shape encoding/json gives the model (field names from
// the json tags, omitempty honoured, embedded structs flattened), except that nil lists
// become empty arrays, so that policies see `[]` rather than `null`. It is built straight
// from the Go values: going through JSON text took most of a scan's time.
func Input(p *model.Pipeline) (ast.Value, error) {
	withIndex := *p
	if withIndex.FoundSecrets == nil {
		withIndex.FoundSecrets = model.FindSecrets(p)
	}
	t, err := newConverter().term(reflect.ValueOf(withIndex))
	if err != nil {
		return nil, fmt.Errorf("convert model of %s: %w", p.File, err)
	}
	return t.Value, nil
}

// converter converts model values to Rego terms. The Vars of Step.EffectiveEnv, which
// point at the Vars of the pipeline, job and step, are converted once and shared (Rego
// values are immutable); scalars use OPA's interned terms.
type converter struct {
	shared map[uintptr]*ast.Term
	// pairs is a stack of the key/value pairs of the objects being built, nested ones
	// above their parents': ast.NewObject copies them, so one buffer serves every object.
	pairs *[][2]*ast.Term
}

// sharedVar is the type of the pointers whose terms the converter shares.
var sharedVar = reflect.TypeFor[*model.Var]()

func newConverter() converter {
	return converter{shared: map[uintptr]*ast.Term{}, pairs: new([][2]*ast.Term)}
}

// term converts one model value.
func (c converter) term(v reflect.Value) (*ast.Term, error) {
	switch v.Kind() {
	case reflect.String:
		if v.Len() == 0 {
			return ast.InternedTerm(""), nil
		}
		return ast.StringTerm(v.String()), nil
	case reflect.Bool:
		return ast.InternedTerm(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.InternedTerm(int(v.Int())), nil
	case reflect.Pointer:
		if v.IsNil() {
			return ast.NullTerm(), nil
		}
		if v.Type() != sharedVar {
			return c.term(v.Elem())
		}
		if t, ok := c.shared[v.Pointer()]; ok {
			return t, nil
		}
		t, err := c.term(v.Elem())
		if err == nil {
			c.shared[v.Pointer()] = t
		}
		return t, err
	case reflect.Interface:
		if v.IsNil() {
			return ast.NullTerm(), nil
		}
		return c.term(v.Elem())
	case reflect.Slice:
		if v.Len() == 0 {
			return ast.InternedEmptyArray, nil
		}
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			t, err := c.term(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = t
		}
		return ast.ArrayTerm(terms...), nil
	case reflect.Map:
		pairs := make([][2]*ast.Term, 0, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			t, err := c.term(iter.Value())
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, [2]*ast.Term{ast.StringTerm(iter.Key().String()), t})
		}
		return ast.ObjectTerm(pairs...), nil
	case reflect.Struct:
		base := len(*c.pairs)
		err := c.addFields(v, fieldsOf(v.Type()))
		obj := ast.ObjectTerm((*c.pairs)[base:]...)
		*c.pairs = (*c.pairs)[:base]
		return obj, err
	}
	return nil, fmt.Errorf("unsupported kind %s in the model", v.Kind())
}

// fieldInfo is what addFields needs of one struct field, computed once per type.
type fieldInfo struct {
	index     int
	key       *ast.Term // the JSON name as a term, shared by every object of the type
	name      string
	omitEmpty bool
	// embedded holds the fields of an embedded struct, flattened into its parent.
	embedded []fieldInfo
}

// fieldCache holds each struct type's []fieldInfo.
var fieldCache typecache.Cache[[]fieldInfo]

// fieldsOf returns what addFields needs of the fields of struct type t.
func fieldsOf(t reflect.Type) []fieldInfo { return fieldCache.Get(t, computeFields) }

func computeFields(t reflect.Type) []fieldInfo {
	var fields []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		if !field.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(field.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		info := fieldInfo{index: i, name: name, omitEmpty: strings.Contains(opts, "omitempty")}
		switch {
		case field.Anonymous && name == "" && field.Type.Kind() == reflect.Struct:
			info.embedded = fieldsOf(field.Type)
		case name == "":
			info.name = field.Name
		}
		info.key = ast.StringTerm(info.name)
		fields = append(fields, info)
	}
	return fields
}

// addFields pushes the key/value pairs of the exported fields of struct v, as
// encoding/json would write them, on the pairs stack.
func (c converter) addFields(v reflect.Value, fields []fieldInfo) error {
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.embedded != nil {
			if err := c.addFields(fv, f.embedded); err != nil {
				return err
			}
			continue
		}
		if f.omitEmpty && isEmpty(fv) {
			continue
		}
		t, err := c.term(fv)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		*c.pairs = append(*c.pairs, [2]*ast.Term{f.key, t})
	}
	return nil
}

// isEmpty is encoding/json's notion of an empty value for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.String:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	}
	return false
}

// RepositoryInput converts a repository to the input of the repository pass:
// `{"repository": …}` and nothing else.
func RepositoryInput(repo *model.Repository) (ast.Value, error) {
	t, err := newConverter().term(reflect.ValueOf(*repo))
	if err != nil {
		return nil, fmt.Errorf("convert repository %s: %w", repo.Root, err)
	}
	return ast.NewObject([2]*ast.Term{ast.StringTerm("repository"), t}), nil
}

// inputSchemaSet returns the schema set policies are type-checked against: the input
// document is model.InputSchema.
func inputSchemaSet() (*ast.SchemaSet, error) {
	var schema any
	if err := util.Unmarshal(model.InputSchema(), &schema); err != nil {
		return nil, fmt.Errorf("read the input schema: %w", err)
	}
	set := ast.NewSchemaSet()
	set.Put(ast.SchemaRootRef, schema)
	return set, nil
}
