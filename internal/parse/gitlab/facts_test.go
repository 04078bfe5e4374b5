package gitlab

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/model"
)

// at formats a position as line:col-endLine:endCol, with its file when it has one.
func at(p model.Pos) string {
	s := fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Col, p.EndLine, p.EndCol)
	if p.File != "" {
		s = p.File + ":" + s
	}
	return s
}

// readsOf formats a condition's reads as "path@pos", with "!" for untrusted ones.
func readsOf(c *model.Condition) []string {
	var out []string
	for _, r := range c.Reads {
		mark := ""
		if r.Untrusted {
			mark = "!"
		}
		out = append(out, mark+r.Path+"@"+at(r.Pos))
	}
	return out
}

func TestConditions(t *testing.T) {
	tests := []struct {
		name    string
		job     []string // the job's lines, under `job:`
		value   string   // "" for no condition
		pos     string
		reads   []string
		always  bool
		invalid string
	}{
		{
			name: "never rule then a running rule",
			job: []string{
				"  rules:",
				`    - if: $CI_MERGE_REQUEST_TITLE =~ /draft/`,
				"      when: never",
				`    - if: '$CI_PIPELINE_SOURCE == "merge_request_event"'`,
				`    - if: '$CI_PIPELINE_SOURCE == "push"'`,
			},
			value: `!($CI_MERGE_REQUEST_TITLE =~ /draft/) && (($CI_PIPELINE_SOURCE == "merge_request_event") || ($CI_PIPELINE_SOURCE == "push"))`,
			pos:   "2:3-2:8",
			reads: []string{"!CI_MERGE_REQUEST_TITLE@3:11-3:34", "CI_PIPELINE_SOURCE@5:12-5:31"},
		},
		{
			name: "several running rules, a never rule between them, a catch-all",
			job: []string{
				"  rules:",
				"    - if: $A",
				"    - if: ${B} == 'x'",
				"      when: never",
				"    - if: $C",
				"      when: always",
				"    - when: always",
				"    - if: $UNREACHABLE",
			},
			value: "($A) || !(${B} == 'x')",
			pos:   "2:3-2:8",
			reads: []string{"A@3:11-3:13", "B@4:11-4:15", "C@6:11-6:13", "UNREACHABLE@9:11-9:23"},
		},
		{
			name: "every running rule says when: always",
			job: []string{
				"  rules:",
				"    - if: $A",
				"      when: always",
				"    - if: $B",
				"      when: never",
			},
			value:  "($A)",
			pos:    "2:3-2:8",
			reads:  []string{"A@3:11-3:13", "B@5:11-5:13"},
			always: true,
		},
		{
			name: "a never rule before several running rules",
			job: []string{
				"  rules:",
				"    - if: $A",
				"      when: never",
				"    - if: $B",
				"    - if: $C",
				"      changes: [src/**]",
				"    - if: $D",
				"      when: never",
				"    - if: $E",
			},
			value: "!($A) && (($B) || ($C) || !($D) && ($E))",
			pos:   "2:3-2:8",
			reads: []string{"A@3:11-3:13", "B@5:11-5:13", "C@6:11-6:13", "D@8:11-8:13", "E@10:11-10:13"},
		},
		{
			name: "a catch-all after a never rule",
			job: []string{
				"  rules:",
				"    - if: $A",
				"      when: never",
				"    - if: $B",
				"    - when: on_success",
			},
			value: "!($A)",
			pos:   "2:3-2:8",
			reads: []string{"A@3:11-3:13", "B@5:11-5:13"},
		},
		{
			name: "changes: on a never rule excludes nothing for certain",
			job: []string{
				"  rules:",
				"    - if: $A",
				"      changes: [docs/**]",
				"      when: never",
				"    - changes: [src/**]",
			},
			value: "true",
			pos:   "2:3-2:8",
			reads: []string{"A@3:11-3:13"},
		},
		{
			name: "only never rules",
			job: []string{
				"  rules:",
				"    - when: never",
				"    - if: $A",
			},
			value: "false",
			pos:   "2:3-2:8",
			reads: []string{"A@4:11-4:13"},
		},
		{
			name: "an expression that does not parse",
			job: []string{
				"  rules:",
				"    - if: $A = 'x'",
			},
			value:   "($A = 'x')",
			pos:     "2:3-2:8",
			reads:   []string{"A@3:11-3:13"},
			invalid: `unexpected "=" at offset 3`,
		},
		{
			name: "only: and except: variables",
			job: []string{
				"  only:",
				"    refs: [branches]",
				"    variables: [$A == 'x', $B]",
				"  except:",
				"    variables: [$CI_COMMIT_MESSAGE =~ /skip/]",
			},
			value: "!($CI_COMMIT_MESSAGE =~ /skip/) && (($A == 'x') || ($B))",
			pos:   "2:3-2:7",
			reads: []string{"A@4:17-4:19", "B@4:28-4:30", "!CI_COMMIT_MESSAGE@6:17-6:35"},
		},
		{
			name: "except: variables alone",
			job: []string{
				"  except:",
				"    variables:",
				`      - $CI_PIPELINE_SOURCE == "schedule"`,
			},
			value: `!($CI_PIPELINE_SOURCE == "schedule")`,
			pos:   "2:3-2:9",
			reads: []string{"CI_PIPELINE_SOURCE@4:9-4:28"},
		},
		{
			name: "only: refs without variables gives no condition",
			job:  []string{"  only: [merge_requests]"},
		},
		{
			name: "no rules, no only:",
			job:  []string{"  stage: test"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			config := lines(append(append([]string{"job:"}, tt.job...), "  script: [echo]")...)
			p := parseRepo(t, map[string]string{".gitlab-ci.yml": config}, nil)
			noErrors(t, p)
			c := findJob(t, p, "job").Condition
			if tt.value == "" {
				if c != nil {
					t.Fatalf("condition = %+v, want none", c)
				}
				return
			}
			if c == nil {
				t.Fatalf("no condition, want %q", tt.value)
			}
			if c.Value != tt.value {
				t.Errorf("value = %q\n want %q", c.Value, tt.value)
			}
			if at(c.Pos) != tt.pos {
				t.Errorf("pos = %s, want %s", at(c.Pos), tt.pos)
			}
			if got := readsOf(c); !slices.Equal(got, tt.reads) {
				t.Errorf("reads = %q\n want %q", got, tt.reads)
			}
			if c.Always != tt.always || c.Invalid != tt.invalid {
				t.Errorf("always %v invalid %q, want %v %q", c.Always, c.Invalid, tt.always, tt.invalid)
			}
			if c.Literal {
				t.Errorf("a condition that reads variables is literal")
			}
		})
	}
}

// guardsOf formats guards as "kind detail@pos events".
func guardsOf(gs []model.Guard) []string {
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("%s %s@%s %s", g.Kind, g.Detail, at(g.Pos), strings.Join(g.Events, ",")))
	}
	return out
}

func TestForkGuards(t *testing.T) {
	const mr = `$CI_PIPELINE_SOURCE == "merge_request_event"`
	tests := []struct {
		name   string
		config []string
		// want maps job IDs to their guards.
		want map[string][]string
	}{
		{
			name: "same project, either order, also by path",
			config: []string{
				"a:",
				"  rules:",
				"    - if: " + mr + " && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID",
				"  script: [echo]",
				"b:",
				"  rules:",
				"    - if: $CI_PROJECT_PATH == $CI_MERGE_REQUEST_SOURCE_PROJECT_PATH",
				"  script: [echo]",
			},
			want: map[string][]string{
				"a": {"same-repo $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID@3:59-3:112 merge_request_event"},
				"b": {"same-repo $CI_PROJECT_PATH == $CI_MERGE_REQUEST_SOURCE_PROJECT_PATH@7:11-7:68 merge_request_event"},
			},
		},
		{
			name: "a when: never rule that excludes forks",
			config: []string{
				"job:",
				"  rules:",
				"    - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID",
				"      when: never",
				"    - if: " + mr,
				"  script: [echo]",
			},
			want: map[string][]string{
				"job": {"same-repo $CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID@3:11-3:64 merge_request_event"},
			},
		},
		{
			name: "protected refs",
			config: []string{
				"job:",
				"  rules:",
				`    - if: '$CI_COMMIT_REF_PROTECTED == "true" && ` + mr + `'`,
				"  script: [echo]",
			},
			want: map[string][]string{
				"job": {`protected-ref $CI_COMMIT_REF_PROTECTED == "true"@3:12-3:46 merge_request_event`},
			},
		},
		{
			name: "two guards, each enough",
			config: []string{
				"job:",
				"  rules:",
				`    - if: $CI_COMMIT_REF_PROTECTED == "true" && $CI_MERGE_REQUEST_SOURCE_PROJECT_PATH == $CI_PROJECT_PATH`,
				"  script: [echo]",
			},
			want: map[string][]string{
				"job": {
					`protected-ref $CI_COMMIT_REF_PROTECTED == "true"@3:11-3:45 merge_request_event`,
					`same-repo $CI_MERGE_REQUEST_SOURCE_PROJECT_PATH == $CI_PROJECT_PATH@3:49-3:106 merge_request_event`,
				},
			},
		},
		{
			name: "two tests that exclude forks only together",
			config: []string{
				"job:",
				"  rules:",
				`    - if: $CI_COMMIT_REF_PROTECTED == "true" || $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID`,
				"  script: [echo]",
			},
			want: map[string][]string{
				"job": {
					`protected-ref $CI_COMMIT_REF_PROTECTED == "true"@3:11-3:45 merge_request_event`,
					`same-repo $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID@3:49-3:102 merge_request_event`,
				},
			},
		},
		{
			name: "not guards: a truthy protected flag, an alternative that lets forks in, no merge requests",
			config: []string{
				"truthy:",
				"  rules:",
				"    - if: $CI_COMMIT_REF_PROTECTED && " + mr,
				"  script: [echo]",
				"alternative:",
				"  rules:",
				"    - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID || $RUN_ALL",
				"  script: [echo]",
				"branches:",
				"  rules:",
				"    - if: $CI_COMMIT_BRANCH && $CI_COMMIT_REF_PROTECTED == 'true'",
				"  script: [echo]",
				"plain:",
				"  only: [merge_requests]",
				"  script: [echo]",
			},
			want: map[string][]string{},
		},
		{
			name: "except: variables",
			config: []string{
				"job:",
				"  only: [merge_requests]",
				"  except:",
				"    variables: [$CI_MERGE_REQUEST_SOURCE_PROJECT_PATH != $CI_PROJECT_PATH]",
				"  script: [echo]",
			},
			want: map[string][]string{
				"job": {"same-repo $CI_MERGE_REQUEST_SOURCE_PROJECT_PATH != $CI_PROJECT_PATH@4:17-4:74 merge_request_event"},
			},
		},
		{
			name: "workflow rules guard every job",
			config: []string{
				"workflow:",
				"  rules:",
				"    - if: " + mr + " && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID",
				"    - if: $CI_COMMIT_BRANCH",
				"build:",
				"  script: [echo]",
				"deploy:",
				"  rules:",
				`    - if: $CI_COMMIT_REF_PROTECTED == "true"`,
				"  script: [echo]",
			},
			want: map[string][]string{
				"build": {"same-repo $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID@3:59-3:112 merge_request_event"},
				"deploy": {
					"same-repo $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID@3:59-3:112 merge_request_event",
					`protected-ref $CI_COMMIT_REF_PROTECTED == "true"@9:11-9:45 merge_request_event`,
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseRepo(t, map[string]string{".gitlab-ci.yml": lines(tt.config...)}, nil)
			noErrors(t, p)
			for _, job := range p.Jobs {
				if got := guardsOf(job.Guards); !slices.Equal(got, tt.want[job.ID]) {
					t.Errorf("%s guards:\n got  %q\n want %q", job.ID, got, tt.want[job.ID])
				}
			}
		})
	}
}

func TestGuardInIncludedTemplate(t *testing.T) {
	p := parseRepo(t, map[string]string{
		".gitlab-ci.yml": "include: ci/rules.yml\njob:\n  extends: .same-project\n  script: [echo]\n",
		"ci/rules.yml":   ".same-project:\n  rules:\n    - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID\n",
	}, nil)
	noErrors(t, p)
	job := findJob(t, p, "job")
	want := []string{"same-repo $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID@ci/rules.yml:3:11-3:64 merge_request_event"}
	if got := guardsOf(job.Guards); !slices.Equal(got, want) {
		t.Errorf("guards:\n got  %q\n want %q", got, want)
	}
	if job.Condition == nil || at(job.Condition.Pos) != "ci/rules.yml:2:3-2:8" {
		t.Errorf("condition = %+v, want one at the template's rules: key", job.Condition)
	}
}

// artifactSummary formats an artifact for comparison.
func artifactSummary(a model.Artifact) string {
	var paths []string
	for i, path := range a.Paths {
		paths = append(paths, path+"@"+at(a.PathPos[i]))
	}
	expire := "-"
	if a.ExpireIn != nil {
		expire = a.ExpireIn.Value + "@" + at(a.ExpireIn.Pos)
	}
	return fmt.Sprintf("%s name=%q paths=%v untracked=%v reports-only=%v expire=%s @%s",
		a.Kind, a.Name, paths, a.Untracked, a.ReportsOnly, expire, at(a.Pos))
}

func TestArtifacts(t *testing.T) {
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": lines(
		"default:",
		"  artifacts:",
		"    expire_in: 1 day",
		"    paths: [default/]",
		".keep:",
		"  artifacts:",
		"    expire_in: never",
		"own:",
		"  artifacts:",
		"    name: $CI_JOB_NAME",
		"    paths: [dist/, 'out/*.log']",
		"  script: [echo]",
		"extended:",
		"  extends: .keep",
		"  artifacts:",
		"    untracked: true",
		"  script: [echo]",
		"defaulted:",
		"  script: [echo]",
		"reports:",
		"  artifacts:",
		"    reports: {junit: report.xml}",
		"  script: [echo]",
		"none:",
		"  inherit: {default: false}",
		"  script: [echo]",
	)}, nil)
	noErrors(t, p)
	tests := []struct {
		job  string
		want []string
	}{
		{"own", []string{`gitlab-artifacts name="$CI_JOB_NAME" paths=[dist/@11:13-11:18 out/*.log@11:21-11:30] untracked=false reports-only=false expire=- @9:3-9:12`}},
		{"extended", []string{`gitlab-artifacts name="" paths=[] untracked=true reports-only=false expire=never@7:16-7:21 @15:3-15:12`}},
		{"defaulted", []string{`gitlab-artifacts name="" paths=[default/@4:13-4:21] untracked=false reports-only=false expire=1 day@3:16-3:21 @2:3-2:12`}},
		{"reports", []string{`gitlab-artifacts name="" paths=[] untracked=false reports-only=true expire=- @21:3-21:12`}},
		{"none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.job, func(t *testing.T) {
			var got []string
			for _, a := range findJob(t, p, tt.job).Artifacts {
				got = append(got, artifactSummary(a))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("artifacts:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestSpecInputsAreParameters(t *testing.T) {
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": lines(
		"spec:",
		"  inputs:",
		"    stage:",
		"      default: test",
		"    replicas:",
		"      type: number",
		"      default: 1",
		"    environment:",
		"      options: [staging, production]",
		"      description: where to deploy",
		"    empty:",
		"      default: ''",
		"    plain:",
		"---",
		"job:",
		"  stage: $[[ inputs.stage ]]",
		"  script: [echo]",
	)}, nil)
	noErrors(t, p)
	var got []string
	for _, prm := range p.Parameters {
		def := "-"
		if prm.Default != nil {
			def = fmt.Sprintf("%q@%s", prm.Default.Value, at(prm.Default.Pos))
		}
		got = append(got, fmt.Sprintf("%s:%s default=%s enum=%v @%s", prm.Name, prm.Type, def, prm.Enum, at(prm.Pos)))
	}
	want := []string{
		`stage:string default="test"@4:16-4:20 enum=[] @3:5-3:10`,
		`replicas:number default="1"@7:16-7:17 enum=[] @5:5-5:13`,
		`environment:string default=- enum=[staging production] @8:5-8:16`,
		`empty:string default=""@12:16-12:17 enum=[] @11:5-11:10`,
		`plain:string default=- enum=[] @13:5-13:10`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("parameters:\n got  %q\n want %q", got, want)
	}
	for _, v := range p.Values {
		if v.Name == "spec.inputs.stage.default" {
			t.Errorf("a default the model carries is also in Values: %+v", v)
		}
	}
}

func TestTriggersGetSecrets(t *testing.T) {
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": "job:\n  only: [merge_requests, pushes]\n  script: [echo]\n"}, nil)
	noErrors(t, p)
	for _, tr := range append(p.Triggers, p.Jobs[0].Triggers...) {
		if !tr.Secrets {
			t.Errorf("trigger %s without secrets", tr.Event)
		}
	}
}

func TestEvalMergeRequestOrigins(t *testing.T) {
	tests := []struct {
		expr          string
		fork, project verdict
	}{
		{`$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID`, verdictNo, verdictYes},
		{`$CI_PROJECT_ID != $CI_MERGE_REQUEST_SOURCE_PROJECT_ID`, verdictYes, verdictNo},
		{`$CI_MERGE_REQUEST_SOURCE_PROJECT_PATH == $CI_MERGE_REQUEST_PROJECT_PATH`, verdictNo, verdictYes},
		{`$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == "1234"`, verdictMaybe, verdictMaybe},
		{`$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_PATH`, verdictNo, verdictNo},
		{`$CI_COMMIT_REF_PROTECTED == "true"`, verdictNo, verdictMaybe},
		{`$CI_COMMIT_REF_PROTECTED != "false"`, verdictNo, verdictMaybe},
		{`$CI_COMMIT_REF_PROTECTED == "yes"`, verdictNo, verdictNo},
		{`$CI_COMMIT_REF_PROTECTED`, verdictYes, verdictYes}, // "false" is not empty
		{`$CI_COMMIT_REF_PROTECTED =~ /true/`, verdictNo, verdictMaybe},
	}
	conds := newConditions()
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			fork, project := conds.eval(tt.expr, forkMergeRequest, nil), conds.eval(tt.expr, projectMergeRequest, nil)
			if fork != tt.fork || project != tt.project {
				t.Errorf("fork %v project %v, want %v %v", fork, project, tt.fork, tt.project)
			}
		})
	}
}

func TestParseConditionErrors(t *testing.T) {
	tests := []struct {
		expr, invalid string
		vars          int
	}{
		{`$A == "x`, "unterminated string at offset 6", 1},
		{`$A =~ /x`, "unterminated regular expression at offset 6", 1},
		{`$ == "x"`, "a variable name must follow $ at offset 0", 0},
		{`${A == "x"`, "unclosed ${ at offset 0", 0},
		{`($A && $B`, "unclosed parenthesis at offset 0", 2},
		{`$A &&`, "the expression ends too early", 1},
		{`$A $B`, `unexpected "$B" at offset 3`, 2},
		{` `, "empty expression", 0},
		{strings.Repeat("(", maxParens+1) + "$A" + strings.Repeat(")", maxParens+1), "parentheses nested deeper than 100 levels", 1},
		{`$A == "x" && ($B || $C =~ /y/i)`, "", 3},
		{`$[[ inputs.condition ]] && $A`, "", 1},
		{`$[[ inputs.condition`, "unclosed $[[ at offset 0", 0},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			ce := parseCondition(tt.expr)
			if ce.invalid != tt.invalid || len(ce.vars) != tt.vars || (ce.root == nil) != (tt.invalid != "") {
				t.Errorf("invalid %q, %d vars, root %v; want %q, %d vars", ce.invalid, len(ce.vars), ce.root != nil, tt.invalid, tt.vars)
			}
		})
	}
}

func TestConditionTextIsLinear(t *testing.T) {
	const n = 3000
	var b strings.Builder
	b.WriteString("job:\n  script: [echo]\n  rules:\n")
	for i := 0; i < n; i++ {
		b.WriteString("    - if: $A\n      when: never\n    - if: $B\n")
	}
	start := time.Now()
	p := parseRepo(t, map[string]string{".gitlab-ci.yml": b.String()}, nil)
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("parse took %v", elapsed)
	}
	c := findJob(t, p, "job").Condition
	if c == nil || len(c.Value) > 30*n || !strings.HasPrefix(c.Value, "!($A) && (($B) || !($A) && (($B) || ") || !strings.HasSuffix(c.Value, "!($A) && ($B)"+strings.Repeat(")", n-1)) {
		t.Errorf("condition of %d bytes: %.60q…", len(c.Value), c.Value)
	}
}

// TestIncludedInputs checks that the inputs of a file included with `inputs:` are not
// pipeline inputs unless the include passes one on, in the script's interpolations and
// in its words' references, and that the pipeline's own inputs are.
func TestIncludedInputs(t *testing.T) {
	p := parseRepo(t, map[string]string{
		".gitlab-ci.yml": lines(
			"spec:",
			"  inputs:",
			"    target: {default: prod}",
			"---",
			"include:",
			"  - local: ci/deploy.yml",
			"    inputs: {fixed: staging, passed: 'x-$[[ inputs.target ]]', varied: $CI_COMMIT_SHA}",
			"root:",
			"  script: ['echo $[[ inputs.target ]]']",
		),
		"ci/deploy.yml": lines(
			"spec:",
			"  inputs:",
			"    fixed:",
			"    passed:",
			"    varied:",
			"    defaulted: {default: x}",
			"---",
			"deploy:",
			"  script:",
			"    - deploy $[[ inputs.fixed ]] $[[ inputs.passed ]] $[[ inputs.varied ]] $[[ inputs.defaulted | expand_vars ]]",
		),
	}, nil)
	noErrors(t, p)
	tests := []struct{ job, want string }{
		{"root", "inputs.target A"},
		{"deploy", "inputs.fixed - inputs.passed A←inputs.target inputs.varied - inputs.defaulted | expand_vars -"},
	}
	for _, tt := range tests {
		run := findJob(t, p, tt.job).Steps[0].Run
		var interps, refs []string
		mark := func(a bool, from string) string {
			s := "-"
			if a {
				s = "A"
			}
			if from != "" {
				s += "←" + from
			}
			return s
		}
		for _, in := range run.Script.Interpolations {
			from := ""
			for _, c := range in.Contexts {
				if c.AuthorControlled != in.AuthorControlled {
					t.Errorf("%s: context %+v differs from %+v", tt.job, c, in)
				}
				from = c.From
			}
			interps = append(interps, in.Expr+" "+mark(in.AuthorControlled, from))
		}
		for _, w := range run.Commands[0].Argv[1:] {
			for _, r := range w.Refs {
				refs = append(refs, r.Name+" "+mark(r.AuthorControlled, r.From))
			}
		}
		if got := strings.Join(interps, " "); got != tt.want {
			t.Errorf("%s interpolations = %s, want %s", tt.job, got, tt.want)
		}
		if got := strings.Join(refs, " "); got != tt.want {
			t.Errorf("%s refs = %s, want %s", tt.job, got, tt.want)
		}
	}
}
