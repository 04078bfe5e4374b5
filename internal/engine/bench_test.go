package engine

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipeguard/pipeguard/internal/discover"
	"github.com/pipeguard/pipeguard/internal/fileread"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// corpusModels parses every pipeline file of one platform's corpus directory once.
func corpusModels(b testing.TB, platform string) []*model.Pipeline {
	b.Helper()
	dir := testutil.CorpusDir(b, platform)
	found, err := discover.Discover([]string{dir}, discover.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var out []*model.Pipeline
	for _, f := range found.Files {
		data, err := fileread.Read(f.DiskPath, fileread.DefaultMaxSize)
		if err != nil {
			continue
		}
		p, err := parse.File(f.Platform, parse.Input{Path: f.Path, Data: data})
		if err == nil {
			out = append(out, p)
		}
	}
	return out
}

var benchPlatforms = []string{model.PlatformGitHub, model.PlatformGitLab, model.PlatformCircleCI, model.PlatformJenkins}

// BenchmarkInput measures the conversion of models to Rego inputs, per platform's corpus
// (one op = every file of the corpus).
func BenchmarkInput(b *testing.B) {
	for _, platform := range benchPlatforms {
		b.Run(platform, func(b *testing.B) {
			models := corpusModels(b, platform)
			for b.Loop() {
				for _, p := range models {
					if _, err := Input(p); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkEvaluate measures the evaluation of every rule over each platform's corpus,
// the way a scan does it (a platform's rules together; input conversion included).
func BenchmarkEvaluate(b *testing.B) {
	eng, err := Load(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, platform := range benchPlatforms {
		b.Run(platform, func(b *testing.B) {
			models := corpusModels(b, platform)
			for b.Loop() {
				for _, p := range models {
					if _, errs := eng.Evaluate(context.Background(), p); len(errs) > 0 {
						b.Fatal(errs)
					}
				}
			}
		})
	}
}

// BenchmarkRule measures each rule on its own over the GitHub corpus (inputs converted
// beforehand): what one policy costs.
func BenchmarkRule(b *testing.B) {
	eng, err := Load(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	models := corpusModels(b, model.PlatformGitHub)
	inputs := make([]ast.Value, len(models))
	for i, p := range models {
		if inputs[i], err = Input(p); err != nil {
			b.Fatal(err)
		}
	}
	for i := range eng.compiled {
		c := &eng.compiled[i]
		if !c.platforms[model.PlatformGitHub] {
			continue
		}
		b.Run(c.meta.ID, func(b *testing.B) {
			for b.Loop() {
				for j, in := range inputs {
					if _, err := eng.evalRule(context.Background(), c, c.deny, in, models[j].File, model.PlatformGitHub); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkLoad measures what every process pays once before the first file: reading,
// compiling and preparing the built-in policies.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(context.Background(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
