package groovy

import (
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// TestChainBound checks MaxLinks: a chain longer than it is cut with one error at the
// link past the bound, the statements after it still parse, a chain at the bound has
// no error, and no tree is deeper than the bound allows, whatever nests the chains.
func TestChainBound(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr *Error
	}{
		{
			name:    "member chain past the bound",
			src:     "x = a" + strings.Repeat(".b", MaxLinks+5) + "\nsh 'after'\n",
			wantErr: &Error{Msg: "expression too long: more than 10000 chained operators, members, calls or indexes", Pos: model.Pos{Line: 1, Col: 6 + 2*MaxLinks, EndLine: 1, EndCol: 7 + 2*MaxLinks}},
		},
		{
			name:    "binary chain past the bound",
			src:     "x = 1" + strings.Repeat("+1", MaxLinks+5) + "\nsh 'after'\n",
			wantErr: &Error{Msg: "expression too long: more than 10000 chained operators, members, calls or indexes", Pos: model.Pos{Line: 1, Col: 6 + 2*MaxLinks, EndLine: 1, EndCol: 7 + 2*MaxLinks}},
		},
		{name: "member chain at the bound", src: "x = a" + strings.Repeat(".b", MaxLinks) + "\nsh 'after'\n"},
		{name: "sibling statements do not add up", src: strings.Repeat("x = a"+strings.Repeat(".b", MaxLinks/2)+"\n", 4) + "sh 'after'\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := Parse([]byte(tt.src))
			switch {
			case tt.wantErr == nil && len(errs) != 0:
				t.Errorf("errors %+v, want none", errs)
			case tt.wantErr != nil && (len(errs) != 1 || errs[0] != *tt.wantErr):
				t.Errorf("errors %+v, want %+v", errs, *tt.wantErr)
			}
			last, ok := f.Statements[len(f.Statements)-1].(*ExprStmt)
			if !ok {
				t.Fatalf("the statement after the chain was not parsed: %T", f.Statements[len(f.Statements)-1])
			}
			if call, ok := last.X.(*Call); !ok || !isIdent(call.Callee, "sh") {
				t.Errorf("the last statement is %T, want the call of sh", last.X)
			}
		})
	}
}

// TestTreeHeightBound checks that chains nested in chains (each inside the closure,
// parentheses or list that the next one starts from) still make a tree no deeper than
// MaxLinks plus the nesting bound: the links of the inner ones count for the outer.
func TestTreeHeightBound(t *testing.T) {
	const levels = 20
	chain := strings.Repeat(".b", MaxLinks/10)
	nest := func(open, close string) string {
		return "x = " + strings.Repeat(open, levels) + "a" + strings.Repeat(chain+close+chain, levels)
	}
	for _, src := range []string{nest("[(", ")]"), nest("{ ", " }")} {
		f, errs := Parse([]byte(src))
		// One error per statement cut: the closures' statements report their own.
		if len(errs) == 0 || len(errs) > levels {
			t.Errorf("%.20s…: %d errors, want 1 to %d", src, len(errs), levels)
		}
		for _, e := range errs {
			if !strings.HasPrefix(e.Msg, "expression too long") {
				t.Errorf("%.20s…: error %+v, want the chain bound", src, e)
			}
		}
		if h := height(f); h > MaxLinks+12*MaxDepth {
			t.Errorf("%.20s…: tree %d levels deep, over %d", src, h, MaxLinks+12*MaxDepth)
		}
	}
}

// height returns the depth of the tree under n.
func height(n Node) int {
	deepest, depth := 0, 0
	Inspect(n, func(c Node) bool {
		if c == nil {
			depth--
			return true
		}
		depth++
		deepest = max(deepest, depth)
		return true
	})
	return deepest
}

func isIdent(e Expr, name string) bool {
	id, ok := e.(*Ident)
	return ok && id.Name == name
}
