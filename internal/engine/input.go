package engine

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Input converts a pipeline to the Rego input document, with `found_secrets` filled.
//
// The document has exactly the shape encoding/json gives the model (field names from
// the json tags, omitempty honoured, embedded structs flattened), except that nil lists
// become empty arrays, so that policies see `[]` rather than `null`. It is built straight
// from the Go values: going through JSON text took most of a scan's time.
func Input(p *model.Pipeline) (ast.Value, error) {
	withIndex := *p
	withIndex.FoundSecrets = model.FindSecrets(p)
	v, err := toValue(reflect.ValueOf(withIndex))
	if err != nil {
		return nil, fmt.Errorf("convert model of %s: %w", p.File, err)
	}
	return v, nil
}

// toValue converts one model value.
func toValue(v reflect.Value) (ast.Value, error) {
	switch v.Kind() {
	case reflect.String:
		return ast.String(v.String()), nil
	case reflect.Bool:
		return ast.Boolean(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.Number(fmt.Sprint(v.Int())), nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.Null{}, nil
		}
		return toValue(v.Elem())
	case reflect.Slice:
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			x, err := toValue(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = ast.NewTerm(x)
		}
		return ast.NewArray(terms...), nil
	case reflect.Map:
		obj := ast.NewObject()
		iter := v.MapRange()
		for iter.Next() {
			x, err := toValue(iter.Value())
			if err != nil {
				return nil, err
			}
			obj.Insert(ast.StringTerm(iter.Key().String()), ast.NewTerm(x))
		}
		return obj, nil
	case reflect.Struct:
		obj := ast.NewObject()
		if err := addFields(obj, v); err != nil {
			return nil, err
		}
		return obj, nil
	}
	return nil, fmt.Errorf("unsupported kind %s in the model", v.Kind())
}

// fieldInfo is what addFields needs of one struct field, computed once per type.
type fieldInfo struct {
	index     int
	name      string
	omitEmpty bool
	embedded  bool
}

// fieldCache maps a struct type to its []fieldInfo.
var fieldCache sync.Map

func fieldsOf(t reflect.Type) []fieldInfo {
	if cached, ok := fieldCache.Load(t); ok {
		return cached.([]fieldInfo)
	}
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
		if field.Anonymous && name == "" && field.Type.Kind() == reflect.Struct {
			info.embedded = true
		} else if name == "" {
			info.name = field.Name
		}
		fields = append(fields, info)
	}
	fieldCache.Store(t, fields)
	return fields
}

// addFields inserts the exported fields of struct v into obj, as encoding/json would.
func addFields(obj ast.Object, v reflect.Value) error {
	for _, f := range fieldsOf(v.Type()) {
		fv := v.Field(f.index)
		if f.embedded {
			if err := addFields(obj, fv); err != nil {
				return err
			}
			continue
		}
		if f.omitEmpty && isEmpty(fv) {
			continue
		}
		x, err := toValue(fv)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		obj.Insert(ast.StringTerm(f.name), ast.NewTerm(x))
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
