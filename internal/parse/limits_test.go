package parse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// weighed is a model-like type with every kind of field Weight tells apart.
type weighed struct {
	Name  string            `json:"name"`
	List  []int             `json:"list,omitempty"`
	Child *weighed          `json:"child,omitempty"`
	Map   map[string]string `json:"map,omitempty"`
	Skip  string            `json:"-"`
	own   []int
}

func TestWeight(t *testing.T) {
	shared := &weighed{Name: "s"}
	tests := []struct {
		name string
		v    any
		want int
	}{
		{"one field", weighed{Name: "x"}, 1},
		{"omitempty fields count when set", weighed{Name: "x", List: []int{1, 2, 3}}, 1 + 1 + 3},
		{"unexported and skipped fields never count", weighed{Name: "x", Skip: "y", own: []int{1}}, 1},
		{"nested struct", weighed{Child: &weighed{Name: "c", Map: map[string]string{"a": "b"}}}, 1 + 1 + 1 + 1 + 1},
		{"a shared pointer counts once", []*weighed{shared, shared}, 2 + 1},
		{"a list of structs", []weighed{{Name: "a"}, {Name: "b"}}, 2 + 2},
		{"nil", (*weighed)(nil), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Weight(tt.v); got != tt.want {
				t.Errorf("Weight = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestBudget(t *testing.T) {
	b := NewBudget(Input{MaxModel: 5})
	if !b.Spend(weighed{Name: "x", List: []int{1, 2}}) { // 4
		t.Fatal("4 of 5 units: over the budget")
	}
	if b.Spend(weighed{Name: "y", List: []int{1}}) { // 4 + 3
		t.Fatal("7 of 5 units: still within the budget")
	}
	if !b.Exceeded() || b.Limit() != 5 {
		t.Errorf("Exceeded = %v, Limit = %d; want true, 5", b.Exceeded(), b.Limit())
	}
	if got := NewBudget(Input{}).Limit(); got != DefaultMaxModel {
		t.Errorf("default limit = %d, want %d", got, DefaultMaxModel)
	}
}

func TestAddErrorCap(t *testing.T) {
	p := &model.Pipeline{}
	for i := range MaxErrors + 50 {
		AddError(p, model.ParseError{Message: fmt.Sprintf("problem %d", i), Pos: model.Point(i+1, 1)})
	}
	if len(p.ParseErrors) != MaxErrors+1 {
		t.Fatalf("%d errors, want %d", len(p.ParseErrors), MaxErrors+1)
	}
	last := p.ParseErrors[MaxErrors]
	want := model.ParseError{Message: "more than 1000 problems; the rest are not reported", Pos: model.Point(MaxErrors+1, 1)}
	if last != want {
		t.Errorf("last error = %+v, want %+v", last, want)
	}
	if p.ParseErrors[MaxErrors-1].Message != "problem 999" {
		t.Errorf("error %d = %q, want problem 999", MaxErrors-1, p.ParseErrors[MaxErrors-1].Message)
	}
}

func TestTooLarge(t *testing.T) {
	p := &model.Pipeline{
		Platform: model.PlatformGitHub, File: "w.yml", Kind: model.KindWorkflow, Name: "ci",
		Jobs:        []model.Job{{ID: "a"}},
		Values:      []model.Var{{Name: "x"}},
		ParseErrors: []model.ParseError{{Message: "earlier", Pos: model.Point(3, 1)}},
	}
	TooLarge(p, 10)
	TooLarge(p, 10) // a second call (the parser's, then File's) adds nothing
	want := []model.ParseError{
		{Message: "earlier", Pos: model.Point(3, 1)},
		{Message: "too large to analyse: the pipeline's model would hold more than 10 elements (steps, commands, words, variables…); not analysed", Pos: model.Point(1, 1)},
	}
	if len(p.Jobs) != 0 || len(p.Values) != 0 || p.Platform != model.PlatformGitHub || p.File != "w.yml" || p.Name != "ci" {
		t.Errorf("model not emptied: %+v", p)
	}
	if fmt.Sprint(p.ParseErrors) != fmt.Sprint(want) {
		t.Errorf("errors = %+v, want %+v", p.ParseErrors, want)
	}
	if !strings.HasPrefix(p.ParseErrors[1].Message, "too large to analyse") {
		t.Error("the message must start with the phrase the issue and rules name")
	}
}
