package engine

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// RunPolicyTests runs the Rego unit tests (`test_` rules in *_test.rego files) of every
// loaded policy, with the same restricted capabilities as a scan. The engine must be
// loaded with Options.Tests.
func RunPolicyTests(ctx context.Context, e *Engine) ([]*tester.Result, error) {
	if !e.tests {
		return nil, fmt.Errorf("policy tests: the engine was loaded without its tests (Options.Tests)")
	}
	store := e.Store()
	txn, err := store.NewTransaction(ctx)
	if err != nil {
		return nil, fmt.Errorf("policy tests: %w", err)
	}
	defer store.Abort(ctx, txn)
	runner := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithCapabilities(Capabilities())).
		SetStore(store).
		SetModules(e.Modules()).
		RaiseBuiltinErrors(true)
	ch, err := runner.RunTests(ctx, txn)
	if err != nil {
		return nil, fmt.Errorf("policy tests: %w", err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	return results, nil
}
