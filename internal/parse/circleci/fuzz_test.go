package circleci

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// fuzzSeeds are small configurations that exercise every resolution path; they run as
// ordinary test cases in every `go test`.
var fuzzSeeds = []string{
	commandConfig,
	"version: 2\njobs:\n  build:\n    docker: [{image: a, auth: {password: p}}]\n    steps: [checkout, {run: make}]\n",
	"version: 2.1\ncommands:\n  a:\n    steps: [b]\n  b:\n    steps: [a]\njobs:\n  j:\n    machine: true\n    steps: [a]\n",
	"version: 2.1\na: &a [x, x]\nb: &b [*a, *a]\njobs:\n  j:\n    environment: *b\n    steps: [{when: {condition: *b, steps: [checkout]}}]\n",
	"version: 2.1\nd: &d {docker: [{image: x}]}\njobs:\n  j:\n    <<: [*d, {machine: true}]\n    executor: {name: e, p: << parameters.q >>}\n    steps: [{steps: << parameters.s >>}]\nexecutors:\n  e:\n    parameters: {p: {default: 1}}\n    resource_class: a/b\n",
	"version: 2.1\norbs:\n  o: ns/o@1.2.3\n  i: {}\nworkflows:\n  w:\n    triggers: [{schedule: {cron: x, filters: {branches: {only: main}}}}]\n    jobs:\n      - o/job: {context: [c], pre-steps: [{run: x}], filters: {branches: {ignore: /pull\\/.*/}}}\n      - missing\n",
	"version: 2.1\njobs:\n  j:\n    environment: A=1\n    steps:\n      - run: {command: \"a \\\\<< b\", shell: cmd.exe, environment: [B=2, {C: 3}], when: always}\n",
	"jobs: [\n",
	"- a\n",
	"",
	"version: 2.1\njobs:\n  j: *undefined\n",
	matrixConfig,
	"version: 2.1\njobs:\n  t:\n    parameters: {v: {type: string}}\n    machine: true\n    steps: [{run: echo << parameters.v >>}]\nworkflows:\n  w:\n    jobs:\n      - t: {name: \"x-<< matrix.v >>\", matrix: {alias: m, parameters: {v: [a, [b], {c: d}, \"\"]}, exclude: [{v: a}, {}, x]}, requires: [\"<< matrix.v >>\", m]}\n      - t: {matrix: {parameters: {v: []}}}\n      - t: {matrix: {parameters: {v: z, w: [1, 2]}}, v: << matrix.w >>}\n",
	"version: 2.1\nparameters: {p: {default: \"<< parameters.p >>\"}, q: {default: ~}}\ncommands:\n  c:\n    parameters: {a: {default: \"<< pipeline.parameters.p >>\"}}\n    steps:\n      - run: {command: \"x << parameters.a >><< parameters.a >> \\\\<< parameters.a >> << pipeline.parameters.q >>\", environment: [\"<< parameters.a >>=1\", \"A=<< parameters.a >>\", {B: << parameters.a >>}]}\n      - store_artifacts: {path: << parameters.a >>}\n      - persist_to_workspace: {root: << parameters.a >>, paths: [a, << parameters.a >>]}\njobs:\n  j:\n    machine: true\n    steps: [c, {c: {a: \"é\\t<< parameters.a >>\"}}, checkout]\nworkflows:\n  w:\n    when: {and: [<< pipeline.parameters.p >>, {not: true}]}\n    jobs: [j, {j: {requires: [j], filters: {branches: {only: ['/[/', /.*/]}}}}, {hold: {type: approval}}, {j: {requires: [hold]}}]\n  w2:\n    jobs: [j, j]\n",
}

// FuzzParse checks that Parse never panics and that every job, step and parse error it
// reports lies inside the file.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := Parse(parse.Input{Path: "config.yml", Data: data})
		if p == nil || p.Platform != model.PlatformCircleCI {
			t.Fatalf("pipeline = %+v", p)
		}
		testutil.CheckPositions(t, p, data)
	})
}
