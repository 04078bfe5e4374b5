package gitlab

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Inputs of included files. A `$[[ inputs.x ]]` of the pipeline's own file is a
// pipeline input, set by whoever starts the pipeline (model AuthorControlled). In a file
// pulled in by `include: local` with `inputs:`, GitLab fills it in when it includes the
// file, with the value the including file gives (or the input's default): text the
// including file's author wrote, not whoever starts the pipeline — unless that value is
// itself `$[[ inputs.y ]]` of a file whose inputs are pipeline inputs.

// inputName matches the input an interpolation reads: `inputs.x`, with or without
// functions after it (`inputs.x | expand_vars`).
var inputName = regexp.MustCompile(`^\s*inputs\.([A-Za-z0-9_-]+)`)

// passedInputs says, for the file included by f with the `inputs:` mapping given,
// which of its inputs the include fills with one of f's own pipeline inputs: input name
// → the `inputs.y` it is filled from. Inputs it leaves out, or fills with other text,
// are fixed when the file is included.
func passedInputs(f *file, given *node) map[string]string {
	if !given.isMap() {
		return nil
	}
	var out map[string]string
	for _, fl := range given.fields {
		if !fl.value.isScalar() {
			continue
		}
		for _, m := range interpolationInputs(fl.value.value) {
			if from, ok := f.pipelineInput(m); ok {
				if out == nil {
					out = map[string]string{}
				}
				out[fl.key] = from
				break
			}
		}
	}
	return out
}

// interpolationInputs lists the inputs the `$[[ … ]]` interpolations of s read.
func interpolationInputs(s string) []string {
	var names []string
	for rest := s; ; {
		i := strings.Index(rest, "$[[")
		if i < 0 {
			return names
		}
		rest = rest[i+3:]
		if m := inputName.FindStringSubmatch(rest); m != nil {
			names = append(names, m[1])
		}
	}
}

// pipelineInput reports whether input name of f is set by whoever starts the pipeline,
// and names the pipeline input it comes from: every input of the pipeline's own file,
// and the inputs an include filled with one.
func (f *file) pipelineInput(name string) (string, bool) {
	if !f.included {
		return "inputs." + name, true
	}
	from, ok := f.inputFrom[name]
	return from, ok
}

// settleInputs marks the `$[[ inputs.x ]]` interpolations and references in v (a
// *model.Text or *model.Run built from f) by where an included file's inputs come from:
// not AuthorControlled when the include fixes them, From naming the pipeline input an
// include passed on. The pipeline's own file keeps its marks.
func settleInputs(v any, f *file) {
	if f.included {
		settleValue(reflect.ValueOf(v), f)
	}
}

var (
	interpolationType = reflect.TypeFor[model.Interpolation]()
	refType           = reflect.TypeFor[model.Ref]()
)

func settleValue(v reflect.Value, f *file) {
	eachStruct(v, func(s reflect.Value) bool {
		switch s.Type() {
		case interpolationType:
			in := s.Addr().Interface().(*model.Interpolation)
			if in.Kind == model.InterpGitLab {
				from, author := inputSource(f, in.Expr)
				in.AuthorControlled = author
				for i := range in.Contexts {
					in.Contexts[i].AuthorControlled, in.Contexts[i].From = author, from
				}
			}
			return true
		case refType:
			r := s.Addr().Interface().(*model.Ref)
			if r.Kind == model.InterpGitLab {
				r.From, r.AuthorControlled = inputSource(f, r.Name)
			}
			return true
		}
		return s.Type() == posType
	})
}

// inputSource says whether the input an interpolation of included file f reads is set
// by whoever starts the pipeline, and from which pipeline input.
func inputSource(f *file, expr string) (string, bool) {
	m := inputName.FindStringSubmatch(expr)
	if m == nil {
		return "", false
	}
	return f.pipelineInput(m[1])
}
