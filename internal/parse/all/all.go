// Package all registers every platform parser with internal/parse. Import it for its
// side effect.
package all

import (
	_ "github.com/pipeguard/pipeguard/internal/parse/circleci" // CircleCI
	_ "github.com/pipeguard/pipeguard/internal/parse/github"   // GitHub Actions
	_ "github.com/pipeguard/pipeguard/internal/parse/gitlab"   // GitLab CI
	_ "github.com/pipeguard/pipeguard/internal/parse/jenkins"  // Jenkins
)
