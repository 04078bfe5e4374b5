package gitlab

import (
	"testing"
	"testing/fstest"

	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// fuzzSeeds exercise every resolution feature; they run in every `go test`.
var fuzzSeeds = []string{
	"",
	"job:\n  script: [echo]\n",
	templateRepo[".gitlab-ci.yml"],
	templateRepo["ci/templates.yml"],
	extendsChain(13),
	"include: fuzz.yml\n.a: &a {x: 1}\njob:\n  <<: [*a, {y: 2}]\n  script: !reference [.a, x]\n",
	"include:\n  - local: '**/*.yml'\n  - remote: https://x/y.yml\njob:\n  extends: [.a, .b]\n  script: [[a, [b]], c]\n",
	".a:\n  script: [!reference [.b, script]]\n.b:\n  script: [!reference [.a, script]]\njob:\n  script: [!reference [.a, script]]\n",
	"workflow:\n  rules:\n    - if: '$CI_PIPELINE_SOURCE =~ /^merge/ && ($X || $Y != \"a\")'\n      when: never\n    - when: always\njob:\n  only:\n    refs: [merge_requests]\n    variables: [$A]\n  except: [tags]\n  script: [echo]\n",
	"spec:\n  inputs:\n    x: {default: 1}\n---\njob:\n  script:\n    - echo $[[ inputs.x ]]\n",
	"default:\n  image: {name: alpine}\n  before_script: [a]\njob:\n  inherit: {default: [image]}\n  variables: {A: {value: v, description: d}, B: ~}\n  artifacts: {paths: [a], untracked: yes, expire_in: never}\n  secrets: {S: {vault: a/b@c}}\n  id_tokens: {T: {aud: x}}\n  services: [docker:dind, {name: redis, alias: r, variables: {P: q}}]\n  tags: [saas-linux-small-amd64]\n  environment: {name: prod, url: u}\n  needs: [a, {job: b}]\n  hooks: {pre_get_sources_script: [echo]}\n  script: [echo $TOKEN]\n",
	"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\njob:\n  script: *c\n",
	"workflow:\n  rules:\n    - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID\n      when: never\n    - if: $[[ inputs.c ]] || $CI_COMMIT_REF_PROTECTED == \"true\"\njob:\n  extends: .t\n  rules: [{if: '($A', when: never}, {changes: [x]}, {if: $B, when: always}]\n  script: [echo]\n.t:\n  artifacts: {name: n, paths: [a, b], reports: {junit: r}, expire_in: 1d}\n",
	"spec:\n  inputs:\n    a: {type: number, default: 1, options: [1, 2]}\n    b: {default: [x]}\n    c:\n---\njob:\n  only: {variables: [$X == $[[ inputs.a ]]]}\n  except: {variables: [$Y]}\n  script: [echo]\n",
	"job:\n  script: \"\\u00e9 \\t x\"\n  after_script: |\n    é\n    x\n",
	"- list\n",
	"job: [\n",
	"? [a, b]\n: c\n*x : y\n",
}

// FuzzParse checks that Parse never panics and always reports errors with a position.
// The input is both the root file and an included file, so includes (and their
// cycles) are exercised too.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		repo := fstest.MapFS{
			".gitlab-ci.yml":   {Data: data},
			"fuzz.yml":         {Data: data},
			"ci/templates.yml": {Data: []byte(templateRepo["ci/templates.yml"])},
		}
		p := Parse(parse.Input{Path: ".gitlab-ci.yml", Data: data, Repo: repo, RepoPath: ".gitlab-ci.yml"})
		if p == nil {
			t.Fatal("nil pipeline")
		}
		testutil.CheckPositions(t, p, data)
	})
}
