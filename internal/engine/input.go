package engine

import (
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Input converts a pipeline to the Rego input document. Nil lists become empty arrays,
// so that policies see `[]` rather than `null` for a list with no elements.
func Input(p *model.Pipeline) (ast.Value, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode model of %s: %w", p.File, err)
	}
	var doc any
	if err := util.UnmarshalJSON(raw, &doc); err != nil {
		return nil, fmt.Errorf("decode model of %s: %w", p.File, err)
	}
	v, err := ast.InterfaceToValue(emptyLists(doc))
	if err != nil {
		return nil, fmt.Errorf("convert model of %s: %w", p.File, err)
	}
	return v, nil
}

// emptyLists replaces every null in doc by an empty array. In the model only nil
// slices marshal to null: pointers and maps are omitted when empty.
func emptyLists(doc any) any {
	switch v := doc.(type) {
	case nil:
		return []any{}
	case map[string]any:
		for k, x := range v {
			v[k] = emptyLists(x)
		}
	case []any:
		for i, x := range v {
			v[i] = emptyLists(x)
		}
	}
	return doc
}
