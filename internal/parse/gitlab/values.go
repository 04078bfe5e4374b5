package gitlab

import (
	"reflect"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/analyze"
	"github.com/pipeguard/pipeguard/internal/model"
)

// structuralKeys hold values that are GitLab keywords or job names, never free text.
var structuralKeys = map[string]bool{
	"stage": true, "stages": true, "when": true, "extends": true, "needs": true,
	"dependencies": true, "tags": true,
}

// sweepValues adds to Pipeline.Values every string scalar of every file read that the
// model does not already carry as a Text (names, descriptions, unused templates, keys
// pipeguard does not model), so that literal secrets anywhere are still found.
func (p *parser) sweepValues() {
	for _, f := range p.files {
		for _, doc := range f.docs {
			p.sweep(f, doc, "", "", model.Pos{})
		}
	}
}

// sweep visits y, found at the dotted path under key (whose position is keyPos).
func (p *parser) sweep(f *file, y *yaml.Node, path, key string, keyPos model.Pos) {
	switch y.Kind {
	case yaml.DocumentNode:
		for _, c := range y.Content {
			p.sweep(f, c, path, key, keyPos)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.ShortTag() == "!!merge" || structuralKeys[k.Value] {
				continue
			}
			p.sweep(f, v, joinPath(path, k.Value), k.Value, f.pos(k))
		}
	case yaml.SequenceNode:
		if y.Tag == "!reference" {
			return
		}
		for i, c := range y.Content {
			p.sweep(f, c, joinPath(path, strconv.Itoa(i)), key, keyPos)
		}
	case yaml.ScalarNode:
		if p.consumed[y] || y.Value == "" || p.budget.Exceeded() {
			return
		}
		switch y.ShortTag() {
		case "!!bool", "!!int", "!!float", "!!null":
			return
		}
		value, m := f.src.Scalar(y)
		t := analyze.Text(key, value, m, dialect)
		setFile(&t, f.report)
		settleInputs(&t, f)
		if keyPos.IsZero() {
			keyPos = t.Pos
		}
		v := model.Var{Name: path, Pos: keyPos, Value: t}
		if p.budget.Spend(&v) {
			p.pipeline.Values = append(p.pipeline.Values, v)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var posType = reflect.TypeFor[model.Pos]()

// setFile sets File on every non-zero model.Pos inside v (a pointer to a model value)
// that has none: positions computed through a textpos.Map do not know their file.
func setFile(v any, file string) {
	if file == "" {
		return
	}
	setFileValue(reflect.ValueOf(v), file)
}

func setFileValue(v reflect.Value, file string) {
	eachStruct(v, func(s reflect.Value) bool {
		if s.Type() != posType {
			return false
		}
		if s.FieldByName("Line").Int() != 0 && s.FieldByName("File").String() == "" && s.CanSet() {
			s.FieldByName("File").SetString(file)
		}
		return true
	})
}

// eachStruct calls visit on every struct inside v, through pointers, slices, arrays and
// struct fields, outermost first; it does not look inside a struct for which visit
// returns true.
func eachStruct(v reflect.Value, visit func(reflect.Value) bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			eachStruct(v.Elem(), visit)
		}
	case reflect.Struct:
		if visit(v) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			eachStruct(v.Field(i), visit)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			eachStruct(v.Index(i), visit)
		}
	}
}
