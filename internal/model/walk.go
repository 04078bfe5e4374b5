package model

import (
	"fmt"
	"reflect"
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
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Name != skip {
				collectSecrets(v.Field(i), "", add)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			collectSecrets(v.Index(i), "", add)
		}
	}
}
