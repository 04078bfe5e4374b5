package model

import (
	"reflect"
	"testing"
)

// TestHoldsSecrets checks the type analysis that lets FindSecrets skip the parts of the
// model that can hold no LiteralSecret.
func TestHoldsSecrets(t *testing.T) {
	for _, tt := range []struct {
		value any
		want  bool
	}{
		{Pos{}, false},
		{[]Pos{}, false},
		{"", false},
		{LiteralSecret{}, true},
		{Text{}, true},
		{&Text{}, true},
		{[]Var{}, true},
		{Step{}, true},
		{Pipeline{}, true},
	} {
		if got := holdsSecrets(reflect.TypeOf(tt.value)); got != tt.want {
			t.Errorf("holdsSecrets(%T) = %v, want %v", tt.value, got, tt.want)
		}
	}
}

// TestFindSecretsNamesJobAndStep finds a secret in a step's variable and one in a
// pipeline variable, each with where it is.
func TestFindSecretsNamesJobAndStep(t *testing.T) {
	secret := func(value string) Text {
		return Text{Value: value, LiteralSecrets: []LiteralSecret{{Rule: "github-pat", Redacted: value}}}
	}
	p := &Pipeline{
		Env:  []Var{{Name: "TOP", Value: secret("a")}},
		Jobs: []Job{{ID: "build", Steps: []Step{{Name: "deploy", Env: []Var{{Name: "TOKEN", Value: secret("b")}}}}}},
	}
	var got [][2]string
	for _, s := range FindSecrets(p) {
		got = append(got, [2]string{s.Job, s.Step})
	}
	want := [][2]string{{"", ""}, {"build", "deploy"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FindSecrets found %v, want %v", got, want)
	}
}
