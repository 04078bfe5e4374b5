package model

import (
	"fmt"
	"reflect"

	"github.com/pipeguard/pipeguard/internal/typecache"
)

// FoundSecret is a LiteralSecret together with the job and step it was found in.
type FoundSecret struct {
	LiteralSecret
	// Job is the ID of the job the secret is in, if any.
	Job string `json:"job,omitempty"`
	// Step is the label of the step the secret is in, if any.
	Step string `json:"step,omitempty"`
}

// FindSecrets returns every LiteralSecret anywhere in p, with its job and step. The
// engine hands this list to the policies as `input.found_secrets`, so that rules need
// not walk the whole model; reporters use it to mask secrets in quoted lines.
func FindSecrets(p *Pipeline) []FoundSecret {
	var out []FoundSecret
	add := func(job, step string) func(LiteralSecret) {
		return func(s LiteralSecret) { out = append(out, FoundSecret{LiteralSecret: s, Job: job, Step: step}) }
	}
	collectSecrets(reflect.ValueOf(*p), "Jobs", add("", ""))
	for _, job := range p.Jobs {
		collectSecrets(reflect.ValueOf(job), "Steps", add(job.ID, ""))
		for i, step := range job.Steps {
			label := step.Label
			if label == "" {
				label = StepLabel(step, i)
			}
			collectSecrets(reflect.ValueOf(step), "EffectiveEnv", add(job.ID, label))
		}
	}
	return out
}

// StepLabel names a step in findings: its id, else its name, else its 1-based index.
func StepLabel(s Step, index int) string {
	switch {
	case s.ID != "":
		return s.ID
	case s.Name != "":
		return s.Name
	}
	return fmt.Sprintf("#%d", index+1)
}

var literalSecretType = reflect.TypeOf(LiteralSecret{})

// collectSecrets calls add for every LiteralSecret reachable from v, skipping the struct
// field named skip at the top level.
func collectSecrets(v reflect.Value, skip string, add func(LiteralSecret)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectSecrets(v.Elem(), "", add)
		}
	case reflect.Struct:
		if v.Type() == literalSecretType {
			add(v.Interface().(LiteralSecret))
			return
		}
		for _, f := range secretFields(v.Type()) {
			if f.name != skip {
				collectSecrets(v.Field(f.index), "", add)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			collectSecrets(v.Index(i), "", add)
		}
	}
}

// secretField is a struct field through which a LiteralSecret can be reached.
type secretField struct {
	index int
	name  string
}

// secretFieldCache holds each struct type's []secretField.
var secretFieldCache typecache.Cache[[]secretField]

// secretFields returns the fields of struct type t whose type can hold a LiteralSecret,
// so that collectSecrets does not walk positions, words and the rest of the model that
// never does.
func secretFields(t reflect.Type) []secretField {
	return secretFieldCache.Get(t, func(t reflect.Type) []secretField {
		var fields []secretField
		for i := range t.NumField() {
			if holdsSecrets(t.Field(i).Type) {
				fields = append(fields, secretField{index: i, name: t.Field(i).Name})
			}
		}
		return fields
	})
}

// holdsCache holds, for each type, whether it can hold a LiteralSecret.
var holdsCache typecache.Cache[bool]

// holdsSecrets reports whether a value of type t can hold a LiteralSecret.
func holdsSecrets(t reflect.Type) bool {
	return holdsCache.Get(t, func(t reflect.Type) bool { return reaches(t, map[reflect.Type]bool{}) })
}

// reaches reports whether type t is or contains (through struct fields, pointers,
// interfaces and slices) a LiteralSecret; seen stops the recursion on recursive types.
// An interface may hold anything, so it counts as one that can.
func reaches(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == literalSecretType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice:
		return reaches(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if reaches(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}
