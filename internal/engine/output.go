package engine

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// ruleOutput is one element of a rule's `deny` set, checked.
type ruleOutput struct {
	Msg        string
	Pos        model.Pos
	Severity   string
	Confidence string
	Persona    string
	Job        string
	Step       string
	Evidence   string
	// Platform is only meaningful for repository findings (files of several platforms).
	Platform string
}

// outputKeys are the keys a finding may have; every other key is a mistake.
var outputKeys = map[string]bool{
	"msg": true, "pos": true, "severity": true, "confidence": true, "persona": true,
	"job": true, "step": true, "evidence": true, "platform": true,
}

// confidences are the accepted confidence levels.
var confidences = map[string]bool{"high": true, "medium": true, "low": true}

// decodeOutput reads and checks one finding produced by a rule. The error says what is
// wrong in terms a policy author can act on.
func decodeOutput(raw any) (ruleOutput, error) {
	var o ruleOutput
	obj, ok := raw.(map[string]any)
	if !ok {
		return o, fmt.Errorf("a finding must be an object {msg, pos, …}, not %s", describe(raw))
	}
	var unknown []string
	for k := range obj {
		if !outputKeys[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return o, fmt.Errorf("finding has unknown key %s (allowed: msg, pos, severity, confidence, persona, job, step, evidence, platform)", strings.Join(quoteAll(unknown), ", "))
	}
	var err error
	str := func(key string) string {
		v, present := obj[key]
		if !present || err != nil {
			return ""
		}
		s, ok := v.(string)
		if !ok {
			err = fmt.Errorf("finding key %q must be a string, not %s", key, describe(v))
		}
		return s
	}
	o.Msg, o.Severity, o.Confidence, o.Persona = str("msg"), str("severity"), str("confidence"), str("persona")
	o.Job, o.Step, o.Evidence, o.Platform = str("job"), str("step"), str("evidence"), str("platform")
	if err != nil {
		return o, err
	}
	switch {
	case strings.TrimSpace(o.Msg) == "":
		return o, fmt.Errorf("finding has no msg")
	case o.Severity != "" && model.SeverityRank(o.Severity) == 0:
		return o, fmt.Errorf("finding has unknown severity %q (want one of %s)", o.Severity, strings.Join(model.Severities, ", "))
	case o.Persona != "" && model.PersonaRank(o.Persona) == 0:
		return o, fmt.Errorf("finding has unknown persona %q (want regular, pedantic or auditor)", o.Persona)
	case o.Confidence != "" && !confidences[o.Confidence]:
		return o, fmt.Errorf("finding has unknown confidence %q (want high, medium or low)", o.Confidence)
	}
	pos, present := obj["pos"]
	if !present {
		return o, fmt.Errorf("finding %q has no pos (copy one from the model, e.g. step.pos)", o.Msg)
	}
	if o.Pos, err = decodePos(pos); err != nil {
		return o, fmt.Errorf("finding %q: %w", o.Msg, err)
	}
	return o, nil
}

// decodePos reads a model.Pos object; line is required and 1-based.
func decodePos(raw any) (model.Pos, error) {
	var p model.Pos
	obj, ok := raw.(map[string]any)
	if !ok {
		return p, fmt.Errorf("pos must be an object {line, col, end_line, end_col}, not %s", describe(raw))
	}
	num := func(key string, required bool) (int, error) {
		v, present := obj[key]
		if !present {
			if required {
				return 0, fmt.Errorf("pos has no %s", key)
			}
			return 0, nil
		}
		n, ok := v.(json.Number)
		if !ok {
			return 0, fmt.Errorf("pos.%s must be a number, not %s", key, describe(v))
		}
		i, err := n.Int64()
		if err != nil || i < 0 || i > 1<<31 {
			return 0, fmt.Errorf("pos.%s is not a line or column number: %s", key, n)
		}
		return int(i), nil
	}
	var err error
	if p.Line, err = num("line", true); err != nil {
		return p, err
	}
	if p.Line < 1 {
		return p, fmt.Errorf("pos.line is %d: lines start at 1 (a zero pos means the model has no position there)", p.Line)
	}
	if p.Col, err = num("col", false); err != nil {
		return p, err
	}
	if p.EndLine, err = num("end_line", false); err != nil {
		return p, err
	}
	if p.EndCol, err = num("end_col", false); err != nil {
		return p, err
	}
	if f, present := obj["file"]; present {
		s, ok := f.(string)
		if !ok {
			return p, fmt.Errorf("pos.file must be a string, not %s", describe(f))
		}
		p.File = s
	}
	return p, nil
}

// describe names the JSON type of a decoded value for messages.
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
