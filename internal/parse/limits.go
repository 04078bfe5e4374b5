package parse

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pipeguard/pipeguard/internal/fileread"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/typecache"
)

// The files parsers read are written by attackers (a fork's pull request is scanned in
// CI), so every parse is bounded: in the bytes it reads, the errors it reports and the
// size of the model it builds. Go cannot recover from running out of memory or stack,
// so the bounds must hold before those run out, not after.

// DefaultMaxSize is the largest file a parser reads through Input.Repo (a GitLab
// include) when Input.MaxSize is zero: fileread.DefaultMaxSize.
const DefaultMaxSize = fileread.DefaultMaxSize

// MaxErrors bounds the parse errors of one pipeline: past it, AddError records that the
// rest are not reported. A file of errors (200,000 broken scripts) would otherwise
// cost gigabytes of messages that nobody reads.
const MaxErrors = 1000

// DefaultMaxModel is the model budget of one file when Input.MaxModel is zero, in the
// units of Weight (list elements and object fields of the model, at any depth).
//
// It is chosen from measurements: the Rego input costs about 110 bytes per unit and the
// model itself about 15, so a model at the budget takes about 125 MB, and the scan of
// the file stays under 300 MB. The heaviest file of the real-world corpus (a GitLab
// pipeline) weighs 161,000 units, six times below the budget; valid 5 MiB files weigh
// 2.3 million (CircleCI) to 10.8 million units (a Jenkinsfile of 20,000 `sh` steps) and
// needed 0.4 to 2 GB before the budget.
const DefaultMaxModel = 1_000_000

// AddError appends e to the parse errors of p, unless p already holds MaxErrors of
// them; the first error past the cap is replaced by a note saying that the rest are not
// reported.
func AddError(p *model.Pipeline, e model.ParseError) {
	switch n := len(p.ParseErrors); {
	case n > MaxErrors:
		return
	case n == MaxErrors:
		e = model.ParseError{Message: fmt.Sprintf("more than %d problems; the rest are not reported", MaxErrors), Pos: e.Pos}
	}
	p.ParseErrors = append(p.ParseErrors, e)
}

// Budget counts the weight of a model while a parser builds it, so that the parser can
// stop building an oversized one before its memory is spent. The zero Budget has the
// DefaultMaxModel limit.
type Budget struct {
	limit, used int
}

// NewBudget returns the model budget of in (Input.MaxModel, or DefaultMaxModel).
func NewBudget(in Input) *Budget {
	return &Budget{limit: in.maxModel()}
}

// Spend adds the weight of v (a job, a step, a list of values…) to the budget and
// reports whether the model is still within it. Once it is not, the parser stops
// building and calls TooLarge.
func (b *Budget) Spend(v any) bool {
	b.used += Weight(v)
	return !b.Exceeded()
}

// Exceeded reports whether the weight spent so far is over the limit.
func (b *Budget) Exceeded() bool {
	limit := b.limit
	if limit <= 0 {
		limit = DefaultMaxModel
	}
	return b.used > limit
}

// Limit returns the budget's limit.
func (b *Budget) Limit() int {
	if b.limit <= 0 {
		return DefaultMaxModel
	}
	return b.limit
}

// TooLarge replaces the content of p, a model over its budget of limit units, by one
// parse error saying that the file is too large to analyse (the parse errors found so
// far are kept, up to MaxErrors). A partial model would let rules report as absent what
// they could not see.
func TooLarge(p *model.Pipeline, limit int) {
	errs := p.ParseErrors
	*p = model.Pipeline{Platform: p.Platform, File: p.File, Kind: p.Kind, Name: p.Name}
	for _, e := range errs {
		if e.Message != tooLargeMessage(limit) {
			AddError(p, e)
		}
	}
	AddError(p, model.ParseError{Message: tooLargeMessage(limit), Pos: model.Point(1, 1)})
}

func tooLargeMessage(limit int) string {
	return fmt.Sprintf("too large to analyse: the pipeline's model would hold more than %d elements (steps, commands, words, variables…); not analysed", limit)
}

// Weight returns the size of a model value as the Rego input will hold it: the number
// of list elements, map entries and object fields in it, at any depth (a step with its
// positions, commands, words and references; encoding/json's omitempty fields count
// only when set). A value reached through several pointers (Step.EffectiveEnv points
// at the Vars of the pipeline, job and step) is counted once, as the Rego input shares
// it.
func Weight(v any) int {
	w := weigher{seen: map[uintptr]bool{}}
	return w.weigh(reflect.ValueOf(v))
}

type weigher struct {
	seen map[uintptr]bool
}

func (w weigher) weigh(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || w.seen[v.Pointer()] {
			return 0
		}
		w.seen[v.Pointer()] = true
		return w.weigh(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return w.weigh(v.Elem())
	case reflect.Slice:
		n := v.Len()
		if isComposite(v.Type().Elem()) {
			for i := range v.Len() {
				n += w.weigh(v.Index(i))
			}
		}
		return n
	case reflect.Map:
		n := v.Len()
		if isComposite(v.Type().Elem()) {
			for iter := v.MapRange(); iter.Next(); {
				n += w.weigh(iter.Value())
			}
		}
		return n
	case reflect.Struct:
		n := 0
		for _, f := range weighedFields(v.Type()) {
			fv := v.Field(f.index)
			if f.omitEmpty && fv.IsZero() {
				continue
			}
			n++
			if f.composite {
				n += w.weigh(fv)
			}
		}
		return n
	}
	return 0
}

// weighedField is what Weight needs of one struct field.
type weighedField struct {
	index     int
	omitEmpty bool
	composite bool
}

// fieldCache holds each struct type's []weighedField.
var fieldCache typecache.Cache[[]weighedField]

// weighedFields returns the fields of struct type t that the Rego input holds: the
// exported ones (an embedded struct counts as one field more than encoding/json writes,
// close enough for a budget).
func weighedFields(t reflect.Type) []weighedField {
	return fieldCache.Get(t, func(t reflect.Type) []weighedField {
		var fields []weighedField
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			fields = append(fields, weighedField{index: i, omitEmpty: strings.Contains(opts, "omitempty"), composite: isComposite(f.Type)})
		}
		return fields
	})
}

// isComposite reports whether a value of type t holds more than one scalar.
func isComposite(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Interface, reflect.Struct:
		return true
	case reflect.Pointer, reflect.Array:
		return isComposite(t.Elem())
	}
	return false
}
