package github

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// TestKnownPasswordFields checks that a container's and a service's
// `credentials.password` and a registry login's password input report any literal,
// while a service's environment keeps its CI-local database password silent.
func TestKnownPasswordFields(t *testing.T) {
	src := `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    container:
      image: ghcr.io/x/y
      credentials:
        username: user
        password: hackme
    services:
      db:
        image: postgres
        env:
          POSTGRES_PASSWORD: postgres
        credentials:
          username: user
          password: pass
    steps:
      - uses: docker/login-action@v3
        with:
          username: user
          password: P@ssw0rd
      - uses: docker/login-action@v3
        with:
          password: ${{ secrets.REGISTRY_PASSWORD }}
`
	p := parseWorkflow(t, ".github/workflows/ci.yml", src)
	var got []model.Pos
	for _, f := range model.FindSecrets(p) {
		if f.Key != "password" || f.Rule != "credential-key" || f.Confidence != "high" {
			t.Errorf("unexpected finding %+v", f)
		}
		got = append(got, f.Pos)
	}
	want := []model.Pos{
		{Line: 9, Col: 19, EndLine: 9, EndCol: 25},
		{Line: 17, Col: 21, EndLine: 17, EndCol: 25},
		{Line: 22, Col: 21, EndLine: 22, EndCol: 29},
	}
	if len(got) != len(want) {
		t.Fatalf("found %v, want %v", got, want)
	}
	seen := map[model.Pos]bool{}
	for _, pos := range got {
		seen[pos] = true
	}
	for _, pos := range want {
		if !seen[pos] {
			t.Errorf("no finding at %v (found %v)", pos, got)
		}
	}
}
