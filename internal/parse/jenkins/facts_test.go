package jenkins

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

// conditionSummary formats a job's condition as "value@pos reads…".
func conditionSummary(c *model.Condition) string {
	if c == nil {
		return "-"
	}
	var reads []string
	for _, r := range c.Reads {
		mark := ""
		if r.Untrusted {
			mark = "!"
		}
		reads = append(reads, mark+r.Path+"@"+at(r.Pos))
	}
	return fmt.Sprintf("%q@%s %s", c.Value, at(c.Pos), strings.Join(reads, " "))
}

// guardSummary formats guards as "kind detail@pos".
func guardSummary(gs []model.Guard) []string {
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("%s %s@%s %s", g.Kind, g.Detail, at(g.Pos), strings.Join(g.Events, ",")))
	}
	return out
}

// stage wraps a when block and a step into a declarative pipeline with one stage 's',
// the when block on line 4.
func stage(when string) string {
	return "pipeline {\n  agent any\n  stages {\n    stage('s') {\n      when { " + when + " }\n      steps { sh 'x' }\n    }\n  }\n}\n"
}

func TestWhen(t *testing.T) {
	tests := []struct {
		name      string
		when      string
		condition string
		guards    []string
		triggers  []string
	}{
		{
			name:      "not a change request",
			when:      "not { changeRequest() }",
			condition: `"not { changeRequest() }"@5:7-5:11 env.CHANGE_ID@5:20-5:35`,
			guards:    []string{"not-change not { changeRequest() }@5:14-5:37 change_request"},
		},
		{
			name:      "a branch build of main",
			when:      "branch 'main'",
			condition: `"branch 'main'"@5:7-5:11 !env.BRANCH_NAME@5:14-5:27`,
			guards:    []string{"not-change branch 'main'@5:14-5:27 change_request"},
		},
		{
			name:      "tag builds",
			when:      "buildingTag()",
			condition: `"buildingTag()"@5:7-5:11 env.TAG_NAME@5:14-5:27`,
			guards:    []string{"not-change buildingTag()@5:14-5:27 change_request"},
		},
		{
			name:      "not from a fork, in an expression",
			when:      "expression { env.CHANGE_FORK == null && params.DEPLOY }",
			condition: `"expression { env.CHANGE_FORK == null && params.DEPLOY }"@5:7-5:11 env.CHANGE_FORK@5:27-5:42 params.DEPLOY@5:54-5:67`,
			guards:    []string{"same-repo env.CHANGE_FORK == null@5:27-5:50 change_request"},
		},
		{
			name:      "allOf is decomposed, anyOf is not",
			when:      "allOf { branch 'release/*'; anyOf { buildingTag(); environment name: 'DEPLOY', value: 'yes' } }",
			condition: `"allOf { branch 'release/*'; anyOf { buildingTag(); environment name: 'DEPLOY', value: 'yes' } }"@5:7-5:11 !env.BRANCH_NAME@5:22-5:40 env.TAG_NAME@5:50-5:63 env.DEPLOY@5:65-5:105`,
			guards:    []string{"not-change branch 'release/*'@5:22-5:40 change_request"},
		},
		{
			name:      "a change request stage",
			when:      "changeRequest target: 'main'",
			condition: `"changeRequest target: 'main'"@5:7-5:11 env.CHANGE_ID@5:14-5:42`,
			triggers:  []string{"change_request@5:14-5:42 [target: 'main']"},
		},
		{
			name:      "a change request branch, as a regular expression",
			when:      "branch pattern: 'PR-\\\\d+', comparator: 'REGEXP'",
			condition: `"branch pattern: 'PR-\\\\d+', comparator: 'REGEXP'"@5:7-5:11 !env.BRANCH_NAME@5:14-5:61`,
			triggers:  []string{"change_request@5:14-5:61 [branch: PR-\\d+]"},
		},
		{
			name:      "reads of bare names, env indexes and untrusted variables",
			when:      "expression { return BRANCH_NAME != 'x' && env['CHANGE_TITLE'] =~ /wip/ }",
			condition: `"expression { return BRANCH_NAME != 'x' && env['CHANGE_TITLE'] =~ /wip/ }"@5:7-5:11 !BRANCH_NAME@5:34-5:45 !env.CHANGE_TITLE@5:56-5:75`,
			triggers:  []string{"change_request@5:14-5:24 []"},
		},
		{
			name:      "no guard: anyOf lets change requests in, a negated branch",
			when:      "anyOf { branch 'main'; changeRequest() }; not { branch 'main' }",
			condition: `"anyOf { branch 'main'; changeRequest() }; not { branch 'main' }"@5:7-5:11 !env.BRANCH_NAME@5:22-5:35 env.CHANGE_ID@5:37-5:52`,
			triggers:  []string{"change_request@5:37-5:52 []"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, stage(tt.when))
			if len(p.ParseErrors) > 0 {
				t.Fatalf("parse errors: %+v", p.ParseErrors)
			}
			job := findJob(t, p, "s")
			if got := conditionSummary(job.Condition); got != tt.condition {
				t.Errorf("condition:\n got  %s\n want %s", got, tt.condition)
			}
			if got := guardSummary(job.Guards); !slices.Equal(got, tt.guards) {
				t.Errorf("guards:\n got  %q\n want %q", got, tt.guards)
			}
			var triggers []string
			for _, tr := range job.Triggers {
				triggers = append(triggers, fmt.Sprintf("%s@%s %v", tr.Event, at(tr.Pos), tr.Filters))
				if !tr.Secrets || tr.Trust != model.TrustUntrusted {
					t.Errorf("trigger %+v, want untrusted with secrets", tr)
				}
			}
			if !slices.Equal(triggers, tt.triggers) {
				t.Errorf("triggers:\n got  %q\n want %q", triggers, tt.triggers)
			}
		})
	}
}

func TestNestedStagesKeepConditionAndGuards(t *testing.T) {
	src := "pipeline {\n  agent any\n  stages {\n    stage('outer') {\n      when { branch 'main' }\n      stages {\n        stage('inner') {\n          when { expression { !env.CHANGE_FORK } }\n          steps { sh 'x' }\n        }\n        stage('plain') { steps { sh 'y' } }\n      }\n    }\n  }\n}\n"
	p := parseGroovy(t, src)
	tests := []struct {
		job       string
		condition string
		guards    []string
	}{
		{"outer/inner", `"expression { !env.CHANGE_FORK }"@8:11-8:15 env.CHANGE_FORK@8:32-8:47`, []string{
			"not-change branch 'main'@5:14-5:27 change_request",
			"same-repo !env.CHANGE_FORK@8:31-8:47 change_request",
		}},
		{"outer/plain", `"branch 'main'"@5:7-5:11 !env.BRANCH_NAME@5:14-5:27`, []string{"not-change branch 'main'@5:14-5:27 change_request"}},
	}
	for _, tt := range tests {
		job := findJob(t, p, tt.job)
		if got := conditionSummary(job.Condition); got != tt.condition {
			t.Errorf("%s condition:\n got  %s\n want %s", tt.job, got, tt.condition)
		}
		if got := guardSummary(job.Guards); !slices.Equal(got, tt.guards) {
			t.Errorf("%s guards:\n got  %q\n want %q", tt.job, got, tt.guards)
		}
	}
}

func TestScriptedBranches(t *testing.T) {
	src := strings.Join([]string{
		"node {",
		"  if (!env.CHANGE_FORK) { stage('own') { sh 'a' } }",
		"  if (env.CHANGE_FORK == null && params.PUBLISH) { stage('publish') { sh 'b'; sh 'b2' } }",
		"  if (env.CHANGE_FORK) { stage('fork') { sh 'c' } } else { stage('not-fork') { sh 'd' } }",
		"  if (env.CHANGE_ID == null) { stage('branches') { sh 'e' } } else { stage('changes') { sh 'f' } }",
		"  if (env.BRANCH_NAME.startsWith('PR-')) { stage('pr') { sh 'g' } }",
		"  if (env.BRANCH_NAME == 'main' || params.FORCE) { stage('maybe') { sh 'h' } }",
		"  stage('partly') { if (!env.CHANGE_FORK) { sh 'i' }; sh 'j' }",
		"  stage('wholly') { if (!env.CHANGE_FORK) { sh 'k' }; if (env.CHANGE_FORK == null) { sh 'l' } }",
		"}",
	}, "\n") + "\n"
	p := parseGroovy(t, src)
	if len(p.ParseErrors) > 0 {
		t.Fatalf("parse errors: %+v", p.ParseErrors)
	}
	tests := []struct {
		job     string
		guards  []string
		trigger string
	}{
		{"own", []string{"same-repo !env.CHANGE_FORK@2:7-2:23 change_request"}, "-"},
		{"publish", []string{"same-repo env.CHANGE_FORK == null@3:7-3:30 change_request"}, "-"},
		{"fork", nil, "4:7-4:22"},
		{"not-fork", []string{"same-repo !(env.CHANGE_FORK)@4:7-4:22 change_request"}, "-"},
		{"branches", []string{"not-change env.CHANGE_ID == null@5:7-5:28 change_request"}, "-"},
		{"changes", nil, "5:7-5:28"},
		{"pr", nil, "6:7-6:40"},
		{"maybe", nil, "-"},
		{"partly", nil, "-"}, // step j runs for forks
		{"wholly", nil, "-"}, // each step has its own guard, none holds for the whole job
	}
	for _, tt := range tests {
		t.Run(tt.job, func(t *testing.T) {
			job := findJob(t, p, tt.job)
			if got := guardSummary(job.Guards); !slices.Equal(got, tt.guards) {
				t.Errorf("guards:\n got  %q\n want %q", got, tt.guards)
			}
			trigger := "-"
			for _, tr := range job.Triggers {
				trigger = at(tr.Pos)
			}
			if trigger != tt.trigger {
				t.Errorf("change_request trigger at %s, want %s", trigger, tt.trigger)
			}
		})
	}
}

// TestStepTriggersAndGuards checks that a job keeps the change-request triggers and
// guards all of its steps share, and each step those of its own branches.
func TestStepTriggersAndGuards(t *testing.T) {
	src := strings.Join([]string{
		"node {",
		"  stage('mixed') { sh 'a'; if (env.CHANGE_ID) { sh 'b' }; if (!env.CHANGE_FORK) { sh 'c' } }",
		"  if (env.CHANGE_ID) { stage('all') { sh 'd'; if (env.CHANGE_FORK == null) { sh 'e' } } }",
		"}",
	}, "\n") + "\n"
	p := parseGroovy(t, src)
	tests := []struct {
		job string
		// jobTrigger and the steps' are the change_request trigger's span, "-" for none.
		jobTrigger string
		steps      []string // per step: "trigger guards…"
	}{
		{"mixed", "-", []string{"- []", "2:32-2:45 []", `- ["same-repo !env.CHANGE_FORK@2:63-2:79 change_request"]`}},
		{"all", "3:7-3:20", []string{"- []", `- ["same-repo env.CHANGE_FORK == null@3:51-3:74 change_request"]`}},
	}
	for _, tt := range tests {
		t.Run(tt.job, func(t *testing.T) {
			job := findJob(t, p, tt.job)
			if got := triggerSpan(job.Triggers); got != tt.jobTrigger {
				t.Errorf("job trigger at %s, want %s", got, tt.jobTrigger)
			}
			var steps []string
			for _, st := range job.Steps {
				steps = append(steps, fmt.Sprintf("%s %q", triggerSpan(st.Triggers), guardSummary(st.Guards)))
			}
			if !slices.Equal(steps, tt.steps) {
				t.Errorf("steps:\n got  %q\n want %q", steps, tt.steps)
			}
		})
	}
}

// triggerSpan returns the span of the last change_request trigger of list, "-" for none.
func triggerSpan(list []model.Trigger) string {
	span := "-"
	for _, tr := range list {
		if tr.Event == changeRequestEvent {
			span = at(tr.Pos)
		}
	}
	return span
}

func TestStepCredentials(t *testing.T) {
	src := strings.Join([]string{
		"pipeline {",
		"  agent any",
		"  environment { GH = credentials('gh') }",
		"  stages {",
		"    stage('a') {",
		"      environment { NPM = credentials('npm') }",
		"      steps {",
		"        withCredentials([string(credentialsId: 'tok', variable: 'T')]) {",
		"          sshagent(['key']) { sh 'deploy' }",
		"        }",
		"        git url: 'https://x/y.git', credentialsId: 'scm'",
		"        sh 'plain'",
		"      }",
		"    }",
		"  }",
		"}",
	}, "\n") + "\n"
	p := parseGroovy(t, src)
	job := findJob(t, p, "a")
	var got []string
	for _, st := range job.Steps {
		var ids []string
		for _, c := range st.Credentials {
			ids = append(ids, c.Kind+":"+c.ID)
		}
		got = append(got, st.Name+"("+strings.Join(ids, " ")+")")
	}
	want := []string{
		"sh(jenkins-credentials:gh jenkins-credentials:npm jenkins-credentials:tok ssh-agent:key)",
		"git(jenkins-credentials:gh jenkins-credentials:npm jenkins-credentials:scm)",
		"sh(jenkins-credentials:gh jenkins-credentials:npm)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("step credentials:\n got  %q\n want %q", got, want)
	}
	if len(job.Credentials) != 5 {
		t.Errorf("job credentials = %+v, want the union of five", job.Credentials)
	}
	var env []string
	for _, v := range job.Env {
		if v.SecretRef != nil {
			env = append(env, v.Name+"="+v.SecretRef.Name+"@"+at(v.Pos))
		}
	}
	if want := []string{"NPM=npm@6:21-6:24", "NPM_USR=npm@6:21-6:24", "NPM_PSW=npm@6:21-6:24"}; !slices.Equal(env, want) {
		t.Errorf("job env:\n got  %q\n want %q", env, want)
	}
}

// artifactSummary formats an artifact for comparison.
func artifactSummary(a model.Artifact) string {
	var paths []string
	for i, path := range a.Paths {
		paths = append(paths, path+"@"+at(a.PathPos[i]))
	}
	return fmt.Sprintf("%s %q %v step=%s @%s", a.Kind, a.Name, paths, a.Step, at(a.Pos))
}

func TestArtifacts(t *testing.T) {
	src := strings.Join([]string{
		"node {",
		"  archiveArtifacts 'dist/**, build/*.log ,'",
		"  archiveArtifacts(artifacts: \"out/${name}.zip\", fingerprint: true)",
		"  stash name: 'src', includes: 'src/**', excludes: 'src/tmp/**'",
		"  stash 'all'",
		"  archiveArtifacts artifacts: files",
		"  archive '**/*.txt'",
		"  archive includes: 'out/*.zip', excludes: 'out/tmp.zip'",
		"}",
	}, "\n") + "\n"
	p := parseGroovy(t, src)
	var got []string
	for _, a := range findJob(t, p, "(scripted)").Artifacts {
		got = append(got, artifactSummary(a))
	}
	want := []string{
		`archiveArtifacts "" [dist/**@2:21-2:28 build/*.log@2:30-2:41] step=archiveArtifacts @2:3-2:44`,
		`archiveArtifacts "" [out/${name}.zip@3:32-3:47] step=archiveArtifacts @3:3-3:68`,
		`stash "src" [src/**@4:33-4:39] step=stash @4:3-4:64`,
		`stash "all" [**@5:3-5:14] step=stash @5:3-5:14`,
		`archiveArtifacts "" [files@6:31-6:36] step=archiveArtifacts @6:3-6:36`,
		`archiveArtifacts "" [**/*.txt@7:12-7:20] step=archive @7:3-7:21`,
		`archiveArtifacts "" [out/*.zip@8:22-8:31] step=archive @8:3-8:57`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("artifacts:\n got  %q\n want %q", got, want)
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "declarative",
			src:  "pipeline {\n  agent any\n  options {\n    buildDiscarder(logRotator(numToKeepStr: '10'))\n    timeout(time: 1, unit: 'HOURS')\n    disableConcurrentBuilds()\n    timestamps()\n  }\n  stages { stage('a') { options { retry(3) }\n    steps { sh 'x' } } }\n}\n",
			want: []string{
				`buildDiscarder@4:5-4:19 "logRotator(numToKeepStr: '10')"@4:20-4:50 literal`,
				`timeout@5:5-5:12 "time: 1, unit: 'HOURS'"@5:13-5:35 literal`,
				`disableConcurrentBuilds@6:5-6:28 ""@6:30-6:30 literal`,
				`timestamps@7:5-7:15 ""@7:17-7:17 literal`,
			},
		},
		{
			name: "scripted properties",
			src:  "properties([buildDiscarder(logRotator(daysToKeepStr: \"${days}\")), [$class: 'BuildDiscarderProperty', strategy: [$class: 'LogRotator', numToKeepStr: '5']], disableConcurrentBuilds(), pipelineTriggers([cron('@daily')])])\nnode { sh 'x' }\n",
			want: []string{
				`buildDiscarder@1:13-1:27 "logRotator(daysToKeepStr: \"${days}\")"@1:28-1:64 dynamic`,
				`buildDiscarder@1:76-1:100 "[$class: 'BuildDiscarderProperty', strategy: [$class: 'LogRotator', numToKeepStr: '5']]"@1:67-1:154 literal`,
				`disableConcurrentBuilds@1:156-1:179 ""@1:181-1:181 literal`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			var got []string
			for _, o := range p.Options {
				lit := "dynamic"
				if o.Value.Literal {
					lit = "literal"
				}
				got = append(got, fmt.Sprintf("%s@%s %q@%s %s", o.Name, at(o.Pos), o.Value.Value, at(o.Value.Pos), lit))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("options:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestCheckouts(t *testing.T) {
	src := strings.Join([]string{
		"node {",
		"  checkout scm",
		"  git url: 'https://github.com/org/tools.git', branch: 'main'",
		"  git 'https://github.com/org/other.git'",
		"  checkout([$class: 'GitSCM', branches: [[name: \"${env.CHANGE_BRANCH}\"]], userRemoteConfigs: [[url: env.CHANGE_URL]]])",
		"  checkout scmGit(branches: [[name: 'main']], userRemoteConfigs: [[url: 'https://x/y.git', refspec: '+refs/pull/${CHANGE_ID}/head:refs/remotes/origin/pr']])",
		"  git url: repoUrl",
		"  git url: 'https://x/y.git', branch: params.BRANCH",
		"  git url: 'https://x/y.git', branch: \"refs/pull/${params.PR}/head\"",
		"  checkout([$class: 'GitSCM', branches: [[name: 'v1']], userRemoteConfigs: [[url: 'git@host:a/b.git']]])",
		"}",
	}, "\n") + "\n"
	p := parseGroovy(t, src)
	var got []string
	for _, st := range findJob(t, p, "(scripted)").Steps {
		for _, co := range st.Checkouts {
			got = append(got, fmt.Sprintf("%s %s %q repo=%q ref=%q @%s", st.Name, co.Target, co.Reason, co.Repository, co.Ref, at(co.Pos)))
		}
	}
	want := []string{
		`checkout base "checkout scm" repo="" ref="" @2:3-2:15`,
		`git other "url: https://github.com/org/tools.git" repo="https://github.com/org/tools.git" ref="main" @3:3-3:62`,
		`git other "url: https://github.com/org/other.git" repo="https://github.com/org/other.git" ref="" @4:3-4:41`,
		`checkout pull-request "branch: ${env.CHANGE_BRANCH}" repo="env.CHANGE_URL" ref="${env.CHANGE_BRANCH}" @5:3-5:119`,
		`checkout pull-request "refspec: +refs/pull/${CHANGE_ID}/head:refs/remotes/origin/pr" repo="https://x/y.git" ref="+refs/pull/${CHANGE_ID}/head:refs/remotes/origin/pr" @6:3-6:157`,
		`git unknown "url: repoUrl" repo="repoUrl" ref="" @7:3-7:19`,
		`git unknown "branch: params.BRANCH" repo="https://x/y.git" ref="params.BRANCH" @8:3-8:52`,
		`git pull-request "branch: refs/pull/${params.PR}/head" repo="https://x/y.git" ref="refs/pull/${params.PR}/head" @9:3-9:68`,
		`checkout other "url: git@host:a/b.git" repo="git@host:a/b.git" ref="v1" @10:3-10:105`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("checkouts:\n got  %q\n want %q", got, want)
	}
}

func TestRunnerEscapes(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "docker agent args",
			src:  "pipeline {\n  agent { docker { image 'x'; args '--privileged -v /var/run/docker.sock:/var/run/docker.sock --network=host' } }\n  stages { stage('a') { steps { sh 'x' } } }\n}\n",
			want: []string{"--privileged", "-v /var/run/docker.sock:/var/run/docker.sock", "--network=host"},
		},
		{
			name: "kubernetes options and pod yaml",
			src:  "pipeline {\n  agent { kubernetes { yaml 'spec: {hostPID: true}'; containerTemplate { name 'a'; privileged true } } }\n  stages { stage('a') { steps { sh 'x' } } }\n}\n",
			want: []string{"hostPID: true", "privileged: true"},
		},
		{
			name: "podTemplate and inside",
			src:  "podTemplate(containers: [containerTemplate(name: 'd', image: 'docker', hostNetwork: true)]) {\n  node(POD_LABEL) { docker.image('y').inside('--cap-add SYS_ADMIN') { sh 'x' } }\n}\n",
			want: []string{"--cap-add SYS_ADMIN"},
		},
		{
			name: "isolated",
			src:  "node { docker.image('y').inside('-u root') { sh 'x' } }\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			r := p.Jobs[0].Runner
			if !slices.Equal(r.Escapes, tt.want) {
				t.Errorf("escapes = %q, want %q", r.Escapes, tt.want)
			}
			if (len(tt.want) > 0) != (r.Isolation == model.IsolationNone) {
				t.Errorf("isolation = %s with escapes %q", r.Isolation, r.Escapes)
			}
		})
	}
}

func TestTriggersGetSecrets(t *testing.T) {
	p := parseGroovy(t, "pipeline {\n  agent any\n  triggers { cron('H * * * *') }\n  stages { stage('a') { when { changeRequest() }\n    steps { sh 'x' } } }\n}\n")
	if len(p.Triggers) != 3 {
		t.Fatalf("triggers = %+v, want push, schedule, change_request", p.Triggers)
	}
	for _, tr := range p.Triggers {
		if !tr.Secrets {
			t.Errorf("trigger %s without secrets", tr.Event)
		}
	}
}

func TestDeclarative(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"declarative", "// build\n  pipeline {\n  agent any\n  stages { stage('a') { steps { sh 'x' } } }\n}\n", "2:3-2:11"},
		{"first of two blocks", "pipeline { agent any }\npipeline { agent none }\n", "1:1-1:9"},
		{"scripted", "node {\n  stage('a') { sh 'x' }\n}\n", ""},
		{"pipeline without a block", "def pipeline = 1\npipeline(3)\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			got := ""
			if p.Declarative != nil {
				got = at(*p.Declarative)
			}
			if got != tt.want {
				t.Errorf("Declarative = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParameters(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // name type default enum @pos
	}{
		{
			name: "declarative",
			src:  "pipeline {\n  agent any\n  parameters {\n    string(name: 'TARGET', defaultValue: 'prod')\n    booleanParam(name: 'DRY', defaultValue: true)\n    choice(name: 'ENV', choices: ['dev', 'prod'])\n    text(name: 'NOTES')\n    gitParameter(name: 'REV', type: 'PT_BRANCH')\n    string(defaultValue: 'no name')\n  }\n  stages { stage('a') { steps { sh 'x' } } }\n}\n",
			want: []string{
				"TARGET string prod [] @4:18-4:26",
				"DRY boolean true [] @5:24-5:29",
				"ENV choice - [dev prod] @6:18-6:23",
				"NOTES text - [] @7:16-7:23",
				"REV gitParameter - [] @8:24-8:29",
			},
		},
		{
			name: "scripted properties, step and class forms",
			src:  "properties([parameters([password(name: 'PW'), [$class: 'ChoiceParameterDefinition', name: 'C', choices: 'a\\nb\\n'], [$class: 'StringParameterDefinition', name: 'S', defaultValue: \"${x}\"]]), disableConcurrentBuilds()])\nnode { sh 'x' }\n",
			want: []string{
				"PW password - [] @1:40-1:44",
				"C choice - [a b] @1:91-1:94",
				"S string ${x} [] @1:160-1:163",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			var got []string
			for _, prm := range p.Parameters {
				def := "-"
				if prm.Default != nil {
					def = prm.Default.Value
				}
				got = append(got, fmt.Sprintf("%s %s %s %v @%s", prm.Name, prm.Type, def, prm.Enum, at(prm.Pos)))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("parameters:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}
