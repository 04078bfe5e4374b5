package circleci

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// TestDockerAuthPassword checks that `docker: auth: password:` is a known password
// field: a short or weak literal there is a hard-coded password, a reference is not.
func TestDockerAuthPassword(t *testing.T) {
	tests := []struct {
		password string
		want     []model.Pos
	}{
		{"p@ssw0rd1234", []model.Pos{{Line: 7, Col: 21, EndLine: 7, EndCol: 33}}},
		{"hackme", []model.Pos{{Line: 7, Col: 21, EndLine: 7, EndCol: 27}}},
		{"$DOCKERHUB_PASSWORD", nil},
	}
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			p := parseYAML(t, `version: 2.1
jobs:
  build:
    docker:
      - image: org/private
        auth:
          password: `+tt.password+`
          username: bot
    steps: [checkout]
workflows:
  w:
    jobs: [build]
`)
			var got []model.Pos
			for _, f := range model.FindSecrets(p) {
				if f.Key != "password" || f.Confidence != "high" {
					t.Errorf("unexpected finding %+v", f)
				}
				got = append(got, f.Pos)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Errorf("found %v, want %v", got, tt.want)
			}
		})
	}
}
