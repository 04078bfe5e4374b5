package jenkins

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse"
)

func parseGroovy(t *testing.T, src string) *model.Pipeline {
	t.Helper()
	return Parse(parse.Input{Path: "Jenkinsfile", Data: []byte(src)})
}

// at formats a position as line:col-endLine:endCol.
func at(p model.Pos) string {
	return fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Col, p.EndLine, p.EndCol)
}

// start formats the start of a position as line:col.
func start(p model.Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

func findJob(t *testing.T, p *model.Pipeline, id string) model.Job {
	t.Helper()
	for _, j := range p.Jobs {
		if j.ID == id {
			return j
		}
	}
	ids := make([]string, 0, len(p.Jobs))
	for _, j := range p.Jobs {
		ids = append(ids, j.ID)
	}
	t.Fatalf("job %q not found among %q", id, ids)
	return model.Job{}
}

// runnerSummary formats a runner as kind/isolation image [labels] flags.
func runnerSummary(r model.Runner) string {
	s := r.Kind + "/" + r.Isolation
	if r.Image != "" {
		s += " " + r.Image
	}
	if len(r.Labels) > 0 {
		s += " [" + strings.Join(r.Labels, ",") + "]"
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{r.Privileged, "privileged"}, {r.MountsDockerSocket, "docker-socket"}, {r.HostNetwork, "host-network"}} {
		if f.on {
			s += " " + f.name
		}
	}
	return s
}

// withValue returns the value of a step's With var, or "".
func TestJobsAndRunners(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// want maps job ID to runner summary and "Name@pos" of the job.
		want []string
	}{
		{
			name: "declarative docker agent",
			src:  "pipeline {\n  agent { docker { image 'node:20'; args '-u root' } }\n  stages {\n    stage('Build') {\n      steps { sh 'npm ci' }\n    }\n  }\n}\n",
			want: []string{"Build container/isolated node:20 Build@4:5-4:19"},
		},
		{
			name: "agent any and stage agents under agent none",
			src:  "pipeline {\n  agent none\n  stages {\n    stage('a') {\n      agent any\n      steps { sh 'a' }\n    }\n    stage('b') {\n      agent { label 'linux && docker' }\n      steps { sh 'b' }\n    }\n    stage('c') { steps { echo 'c' } }\n  }\n}\n",
			want: []string{
				"a self-hosted/none a@4:5-4:15",
				"b self-hosted/none [linux && docker] b@8:5-8:15",
				"c unknown/unknown c@12:5-12:15",
			},
		},
		{
			name: "kubernetes agent is isolated",
			src:  "pipeline {\n  agent {\n    kubernetes {\n      yaml '''\nspec:\n  containers:\n  - name: maven\n    image: maven:3.9\n'''\n    }\n  }\n  stages { stage('t') { steps { sh 'mvn test' } } }\n}\n",
			want: []string{"t container/isolated maven:3.9 t@12:12-12:22"},
		},
		{
			name: "privileged kubernetes pod is not isolated",
			src:  "pipeline {\n  agent { kubernetes { yaml 'spec: {containers: [{name: d, image: docker:dind, securityContext: {privileged: true}}]}' } }\n  stages { stage('t') { steps { sh 'docker ps' } } }\n}\n",
			want: []string{"t container/none docker:dind privileged t@3:12-3:22"},
		},
		{
			name: "dockerfile agent with host network",
			src:  "pipeline {\n  agent { dockerfile { filename 'ci/Dockerfile'; args '--network host' } }\n  stages { stage('t') { steps { sh 'make' } } }\n}\n",
			want: []string{"t container/none ci/Dockerfile host-network t@3:12-3:22"},
		},
		{
			name: "nested and parallel stages are flattened",
			src:  "pipeline {\n  agent any\n  stages {\n    stage('outer') {\n      parallel {\n        stage('x') { steps { sh 'x' } }\n        stage('y') { agent { docker 'alpine' }\n          steps { sh 'y' } }\n      }\n    }\n  }\n  post { always { sh 'cleanup' } }\n}\n",
			want: []string{
				"outer/x self-hosted/none x@6:9-6:19",
				"outer/y container/isolated alpine y@7:9-7:19",
				"post self-hosted/none @12:3-12:7",
			},
		},
		{
			name: "scripted node and docker inside",
			src:  "node('linux') {\n  stage('b') {\n    sh 'make'\n    docker.image('x').inside('-v /var/run/docker.sock:/var/run/docker.sock') { sh 'x' }\n  }\n  stage('c') { docker.image('y').inside { sh 'y' } }\n  sh 'outside'\n}\n",
			want: []string{
				"b self-hosted/none [linux] b@2:3-2:13",
				"b/inside container/none x docker-socket b@2:3-2:13",
				"c container/isolated y c@6:3-6:13",
				"(scripted) self-hosted/none [linux] @7:3-7:15",
			},
		},
		{
			name: "parallel map branches, functions and old-style stages",
			src:  "def build(String os) {\n  stage(\"build ${os}\") { sh 'make' }\n}\nparallel linux: { node('linux') { sh 'l' } }, failFast: true\nstage 'Deploy'\nnode { sh 'deploy' }\n",
			want: []string{
				"build ${os} unknown/unknown build ${os}@2:3-2:23",
				"linux self-hosted/none [linux] linux@4:10-4:15",
				"Deploy self-hosted/none Deploy@5:1-5:15",
			},
		},
		{
			name: "podTemplate node",
			src:  "podTemplate(containers: [containerTemplate(name: 'd', image: 'docker:24', privileged: true)]) {\n  node(POD_LABEL) { stage('s') { sh 'docker build .' } }\n}\n",
			want: []string{"s container/none docker:24 privileged s@2:21-2:31"},
		},
		{
			name: "non-ASCII stage name",
			src:  "node { stage('é ü') { sh 'x' } }\n",
			want: []string{"é ü self-hosted/none é ü@1:8-1:20"},
		},
		{
			name: "withDockerContainer",
			src:  "node {\n  withDockerContainer(image: 'golang:1.22', args: '--privileged') { sh 'go test' }\n}\n",
			want: []string{"(scripted) container/none golang:1.22 privileged @2:69-2:81"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			if len(p.ParseErrors) > 0 {
				t.Fatalf("parse errors: %+v", p.ParseErrors)
			}
			var got []string
			for _, j := range p.Jobs {
				got = append(got, fmt.Sprintf("%s %s %s@%s", j.ID, runnerSummary(j.Runner), j.Name, at(j.Pos)))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("jobs:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestRunnerIsolationFromConfig(t *testing.T) {
	src := "node('ephemeral-pod && linux') { sh 'make' }\n"
	p := Parse(parse.Input{Path: "Jenkinsfile", Data: []byte(src), RunnerIsolation: map[string]string{"ephemeral-pod": model.IsolationIsolated}})
	if got := runnerSummary(findJob(t, p, "(scripted)").Runner); got != "self-hosted/isolated [ephemeral-pod && linux]" {
		t.Errorf("runner = %q", got)
	}
}

func TestRunSteps(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		shell string
		kind  string
		// words lists argv words with their starts, "value@line:col".
		words []string
		// interps lists interpolations as "expr@span".
		interps []string
	}{
		{
			name:  "triple-single-quoted multi-line script maps into the string",
			src:   "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps {\n        sh '''\n          npm ci\n          codex exec --sandbox danger-full-access \"fix\"\n        '''\n      }\n    }\n  }\n}\n",
			shell: "sh", kind: "triple-single",
			words: []string{"npm@7:11", "ci@7:15", "codex@8:11", "exec@8:17", "--sandbox@8:22", "danger-full-access@8:32", "fix@8:51"},
		},
		{
			name:  "double-quoted script keeps Groovy interpolations",
			src:   "node {\n  sh \"curl -u $U:$P https://x/${env.BRANCH_NAME}\"\n}\n",
			shell: "sh", kind: "double",
			words:   []string{"curl@2:7", "-u@2:12", "$U:$P@2:15", "https://x/${env.BRANCH_NAME}@2:21"},
			interps: []string{"U@2:15-2:17", "P@2:18-2:20", "env.BRANCH_NAME@2:31-2:49"},
		},
		{
			name:  "single-quoted dollar is the shell's, escapes decoded",
			src:   "node { sh 'echo $HOME \\u0041B' }\n",
			shell: "sh", kind: "single",
			words: []string{"echo@1:12", "$HOME@1:17", "AB@1:23"},
		},
		{
			name:  "script named argument and bat",
			src:   "node { bat(script: 'dir /b', returnStdout: true) }\n",
			shell: "cmd", kind: "single",
			words: []string{"dir@1:21", "/b@1:25"},
		},
		{
			name:  "concatenation stands for the Groovy operand",
			src:   "node { sh 'make ' + target + \" -j${n}\" }\n",
			shell: "sh", kind: "single",
			words:   []string{"make@1:12", "${target}@1:21", "-j${n}@1:32"},
			interps: []string{"target@1:21-1:27", "n@1:34-1:38"},
		},
		{
			name:  "concatenation on a non-ASCII line",
			src:   "node { sh 'é ' + x }\n",
			shell: "sh", kind: "single",
			words:   []string{"é@1:12", "${x}@1:18"},
			interps: []string{"x@1:18-1:19"},
		},
		{
			name:  "pwsh with escaped dollar in a GString",
			src:   "node { pwsh \"Write-Output \\$env:HOME\" }\n",
			shell: "pwsh", kind: "double",
			words: []string{"Write-Output@1:14", "$env:HOME@1:27"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			if len(p.ParseErrors) > 0 {
				t.Fatalf("parse errors: %+v", p.ParseErrors)
			}
			if len(p.Jobs) != 1 || len(p.Jobs[0].Steps) != 1 {
				t.Fatalf("want one job with one step, got %+v", p.Jobs)
			}
			st := p.Jobs[0].Steps[0]
			if st.Kind != model.StepRun || st.Run == nil {
				t.Fatalf("step is %q, not a run step", st.Kind)
			}
			if st.Run.Shell != tt.shell {
				t.Errorf("shell = %q, want %q", st.Run.Shell, tt.shell)
			}
			if got := st.StringKind; got != tt.kind {
				t.Errorf("string kind = %q, want %q", got, tt.kind)
			}
			var words []string
			for _, c := range st.Run.Commands {
				for _, w := range c.Argv {
					words = append(words, w.Value+"@"+start(w.Pos))
				}
			}
			if !slices.Equal(words, tt.words) {
				t.Errorf("words:\n got  %q\n want %q", words, tt.words)
			}
			var interps []string
			for _, in := range st.Run.Script.Interpolations {
				interps = append(interps, in.Expr+"@"+at(in.Pos))
			}
			if !slices.Equal(interps, tt.interps) {
				t.Errorf("interpolations:\n got  %q\n want %q", interps, tt.interps)
			}
		})
	}
}

func TestCredentials(t *testing.T) {
	src := `pipeline {
  agent any
  environment { GH = credentials('gh-token') }
  stages {
    stage('b') {
      steps {
        withCredentials([string(credentialsId: 'a', variable: 'T'), usernamePassword(credentialsId: 'b', usernameVariable: 'U', passwordVariable: 'P')]) {
          sh "curl -u $U:$P https://x"
        }
        sshagent(['deploy']) { sh 'git push' }
        withEnv(['A=1']) { git url: 'https://x', credentialsId: 'scm' }
      }
    }
  }
}
`
	p := parseGroovy(t, src)
	job := findJob(t, p, "b")
	var creds []string
	for _, c := range job.Credentials {
		creds = append(creds, fmt.Sprintf("%s:%s%v@%s", c.Kind, c.ID, c.Vars, start(c.Pos)))
	}
	wantCreds := []string{
		"jenkins-credentials:gh-token[GH GH_USR GH_PSW]@3:22",
		"jenkins-credentials:a[T]@7:26",
		"jenkins-credentials:b[U P]@7:69",
		"ssh-agent:deploy[]@10:9",
		"jenkins-credentials:scm[]@11:65",
	}
	if !slices.Equal(creds, wantCreds) {
		t.Errorf("credentials:\n got  %q\n want %q", creds, wantCreds)
	}
	var secrets []string
	for _, s := range p.Secrets {
		secrets = append(secrets, s.Name+"@"+at(s.Pos))
	}
	wantSecrets := []string{"gh-token@3:34-3:44", "a@7:48-7:51", "b@7:101-7:104", "deploy@10:19-10:27", "scm@11:65-11:70"}
	if !slices.Equal(secrets, wantSecrets) {
		t.Errorf("secrets:\n got  %q\n want %q", secrets, wantSecrets)
	}
	var pipelineEnv []string
	for _, v := range p.Env {
		ref := ""
		if v.SecretRef != nil {
			ref = "=" + v.SecretRef.Name
		}
		pipelineEnv = append(pipelineEnv, v.Name+ref+"@"+at(v.Pos))
	}
	if want := []string{"GH=gh-token@3:17-3:19", "GH_USR=gh-token@3:17-3:19", "GH_PSW=gh-token@3:17-3:19"}; !slices.Equal(pipelineEnv, want) {
		t.Errorf("pipeline env:\n got  %q\n want %q", pipelineEnv, want)
	}
	var env []string
	for _, st := range job.Steps {
		var names []string
		for _, v := range st.Env {
			ref := ""
			if v.SecretRef != nil {
				ref = "=" + v.SecretRef.Name
			}
			names = append(names, v.Name+ref)
		}
		env = append(env, st.Name+"("+strings.Join(names, ",")+")")
	}
	wantEnv := []string{"sh(T=a,U=b,P=b)", "sh()", "git(A)"}
	if !slices.Equal(env, wantEnv) {
		t.Errorf("step env:\n got  %q\n want %q", env, wantEnv)
	}
	if got := job.Steps[0].StringKind; got != "double" {
		t.Errorf("string kind = %q, want double", got)
	}
	if job.Runner.Isolation != model.IsolationNone {
		t.Errorf("isolation = %q, want none", job.Runner.Isolation)
	}
}

func TestLiteralSecrets(t *testing.T) {
	key := "Zq8v" + "T1mR4pL0xK7w"
	tests := []struct {
		name string
		src  string
		// want lists "rule@line:col" of every literal secret in the model.
		want []string
	}{
		{
			name: "environment literal",
			src:  "pipeline {\n  agent any\n  environment {\n    OPENAI_API_KEY = '" + key + "'\n  }\n}\n",
			want: []string{"credential-key@4:23"},
		},
		{
			name: "curl basic auth in a script",
			src:  "node { sh 'curl -u admin:Hn7pQ2x" + "Lw9Rt4Vz https://x' }\n",
			want: []string{"basic-auth@1:26"},
		},
		{
			name: "declared variable and named argument",
			src:  "def apiToken = '" + key + "'\nnode { httpRequest url: 'https://x', password: '" + key + "' }\n",
			want: []string{"credential-key@1:17", "credential-key@2:49"},
		},
		{
			name: "withEnv entry",
			src:  "node { withEnv([\"GEMINI_API_KEY=" + key + "\"]) { sh 'gemini' } }\n",
			want: []string{"credential-key@1:33"},
		},
		{
			name: "references and placeholders are not secrets",
			src:  "pipeline {\n  agent any\n  environment {\n    OPENAI_API_KEY = credentials('openai')\n    TOKEN = \"${params.TOKEN}\"\n    PASSWORD = 'changeme'\n  }\n  stages { stage('a') { steps { withCredentials([string(credentialsId: 'gh-token-prod', variable: 'TOKEN')]) { sh 'curl -H \"Authorization: Bearer $TOKEN\" https://x' } } } }\n}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			var got []string
			for _, s := range model.FindSecrets(p) {
				got = append(got, s.Rule+"@"+start(s.Pos))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("literal secrets:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestIncludesAndUnresolved(t *testing.T) {
	src := "@Library('lib@main') _\n@Library(['a', 'b@1']) import foo.Bar\nlibrary identifier: 'c@2', retriever: modernSCM([$class: 'GitSCMSource', remote: 'https://x'])\nnode {\n  def u = load 'ci/utils.groovy'\n  evaluate(readFile('x.groovy'))\n}\n"
	p := parseGroovy(t, src)
	var includes, unresolved []string
	for _, in := range p.Includes {
		includes = append(includes, fmt.Sprintf("%s:%s:%v@%s", in.Kind, in.Target, in.Resolved, at(in.Pos)))
	}
	for _, u := range p.Unresolved {
		unresolved = append(unresolved, fmt.Sprintf("%s:%s@%s", u.Kind, u.Name, start(u.Pos)))
	}
	wantIncludes := []string{
		"library:lib@main:false@1:10-1:20",
		"library:a:false@2:11-2:14",
		"library:b@1:false@2:16-2:21",
		"library:c@2:false@3:21-3:26",
		"load:ci/utils.groovy:false@5:16-5:33",
	}
	wantUnresolved := []string{
		"library:lib@main@1:10", "library:a@2:11", "library:b@1@2:16", "library:c@2@3:21",
		"load:ci/utils.groovy@5:16", "evaluate:readFile('x.groovy')@6:3",
	}
	if !slices.Equal(includes, wantIncludes) {
		t.Errorf("includes:\n got  %q\n want %q", includes, wantIncludes)
	}
	if !slices.Equal(unresolved, wantUnresolved) {
		t.Errorf("unresolved:\n got  %q\n want %q", unresolved, wantUnresolved)
	}
}

func TestTriggers(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// jobs lists "id:event/trust@line:col" of every job trigger, or "id:-" for none.
		jobs     []string
		pipeline []string
	}{
		{
			name:     "changeRequest stage",
			src:      "pipeline {\n  agent any\n  stages {\n    stage('pr') {\n      when { changeRequest() }\n      steps { sh 'x' }\n    }\n    stage('main') {\n      when { not { changeRequest() } }\n      steps { sh 'y' }\n    }\n  }\n  triggers { cron('H 2 * * *') }\n}\n",
			jobs:     []string{"pr:change_request/untrusted@5:14", "main:-"},
			pipeline: []string{"push/trusted", "change_request/untrusted", "schedule/internal"},
		},
		{
			name:     "expression and PR branch",
			src:      "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      when { expression { return env.CHANGE_ID != null } }\n      steps { sh 'a' }\n    }\n    stage('b') {\n      when { anyOf { branch 'PR-*'; branch 'main' } }\n      steps { sh 'b' }\n    }\n  }\n}\n",
			jobs:     []string{"a:change_request/untrusted@5:14", "b:change_request/untrusted@9:22"},
			pipeline: []string{"push/trusted", "change_request/untrusted"},
		},
		{
			name:     "scripted if on CHANGE_FORK",
			src:      "node {\n  stage('t') { sh 'test' }\n  if (env.CHANGE_FORK) {\n    stage('fork') { sh 'x' }\n  } else {\n    stage('own') { sh 'y' }\n  }\n  if (!env.CHANGE_ID) { stage('branch') { sh 'z' } }\n}\n",
			jobs:     []string{"t:-", "fork:change_request/untrusted@3:7", "own:-", "branch:-"},
			pipeline: []string{"push/trusted", "change_request/untrusted"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			var jobs []string
			for _, j := range p.Jobs {
				if len(j.Triggers) == 0 {
					jobs = append(jobs, j.ID+":-")
				}
				for _, tr := range j.Triggers {
					jobs = append(jobs, fmt.Sprintf("%s:%s/%s@%s", j.ID, tr.Event, tr.Trust, start(tr.Pos)))
				}
			}
			if !slices.Equal(jobs, tt.jobs) {
				t.Errorf("job triggers:\n got  %q\n want %q", jobs, tt.jobs)
			}
			var pipe []string
			for _, tr := range p.Triggers {
				pipe = append(pipe, tr.Event+"/"+tr.Trust)
			}
			if !slices.Equal(pipe, tt.pipeline) {
				t.Errorf("pipeline triggers:\n got  %q\n want %q", pipe, tt.pipeline)
			}
		})
	}
}

func TestJenkinsSteps(t *testing.T) {
	src := "node {\n  echo 'codex exec --yolo'\n  docker.image('x:1').push('latest')\n  def out = sh(script: 'git rev-parse HEAD', returnStdout: true).trim()\n  if (out.startsWith('a')) { error \"bad ${out}\" }\n  timeout(time: 5) { checkout scm }\n  post.always { cleanWs() }\n}\n"
	p := parseGroovy(t, src)
	var got []string
	for _, j := range p.Jobs {
		for _, st := range j.Steps {
			var with []string
			for _, v := range st.With {
				with = append(with, v.Name+"="+v.Value.Value)
			}
			got = append(got, fmt.Sprintf("%s %s@%s %s %s", st.Kind, st.Name, start(st.Pos), strings.Join(with, ","), st.StringKind))
		}
	}
	want := []string{
		"jenkins-step echo@2:3 _=codex exec --yolo single",
		"jenkins-step docker.image.push@3:3 _=x:1,_=latest single",
		"run sh@4:13 returnStdout=true single",
		"jenkins-step error@5:30 _=bad ${out} double",
		"jenkins-step checkout@6:22  ",
		"jenkins-step cleanWs@7:17  ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("steps:\n got  %q\n want %q", got, want)
	}
	// Only the argument of a Groovy method call is left as a value.
	if len(p.Values) != 1 || p.Values[0].Value.Value != "a" || start(p.Values[0].Pos) != "5:22" {
		t.Errorf("values = %+v, want only 'a' at 5:22", p.Values)
	}
}

func TestPostAndFinallyAreAlways(t *testing.T) {
	src := "pipeline {\n  agent any\n  stages { stage('a') { steps { sh 'a' }\n    post { failure { sh 'f' }\n      cleanup { sh 'c' } } } }\n  post { always { sh 'p' } }\n}\nnode { try { sh 't' } finally { sh 'fin' } }\n"
	p := parseGroovy(t, src)
	var got []string
	for _, j := range p.Jobs {
		for _, st := range j.Steps {
			got = append(got, fmt.Sprintf("%s:%s:%v", j.ID, st.Run.Script.Value, st.Always))
		}
	}
	want := []string{"a:a:false", "a:f:false", "a:c:true", "post:p:true", "(scripted):t:false", "(scripted):fin:true"}
	if !slices.Equal(got, want) {
		t.Errorf("steps:\n got  %q\n want %q", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{name: "unclosed brace", src: "pipeline {\n  agent any\n", want: []string{"1:10 false"}},
		{name: "valid", src: "pipeline { agent any }\n"},
		{name: "broken shell script is partial", src: "node { sh 'if then fi (' }\n", want: []string{"1:12 true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseGroovy(t, tt.src)
			var got []string
			for _, e := range p.ParseErrors {
				if e.Message == "" {
					t.Errorf("parse error without a message at %s", e.Pos)
				}
				got = append(got, fmt.Sprintf("%s %v", start(e.Pos), e.Partial))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("parse errors:\n got  %q\n want %q (%+v)", got, tt.want, p.ParseErrors)
			}
		})
	}
}

func TestValuesAreKeyed(t *testing.T) {
	src := "def token = 'abc'\nenv.DEPLOY_KEY = \"x${y}\"\nproperties([parameters([string(name: 'API_TOKEN', defaultValue: 'dflt')])])\nMap cfg = [password: 'pw', url: 'https://' + host]\n"
	p := parseGroovy(t, src)
	var got []string
	for _, v := range p.Values {
		got = append(got, v.Name+"="+v.Value.Value+"@"+start(v.Pos))
	}
	want := []string{"token=abc@1:13", "DEPLOY_KEY=x${y}@2:18", "password=pw@4:22", "url=https://${host}@4:33"}
	if !slices.Equal(got, want) {
		t.Errorf("values:\n got  %q\n want %q", got, want)
	}
	// The build parameter's default is keyed by the parameter's name.
	props := findJob(t, p, "(scripted)").Steps[0]
	if got := props.With; len(got) != 2 || got[1].Name != "API_TOKEN" || got[1].Value.Value != "dflt" {
		t.Errorf("properties With = %+v, want name then API_TOKEN=dflt", got)
	}
}

func TestCredentialUsernamesAndFiles(t *testing.T) {
	tests := []struct {
		binding          string
		usernames, files []string
	}{
		{"string(credentialsId: 'c', variable: 'T')", nil, nil},
		{"usernamePassword(credentialsId: 'c', usernameVariable: 'U', passwordVariable: 'P')", []string{"U"}, nil},
		{"usernameColonPassword(credentialsId: 'c', variable: 'UP')", nil, nil},
		{"file(credentialsId: 'c', variable: 'KUBECONFIG')", nil, []string{"KUBECONFIG"}},
		{"sshUserPrivateKey(credentialsId: 'c', keyFileVariable: 'KEY', usernameVariable: 'U', passphraseVariable: 'PP')", []string{"U"}, []string{"KEY"}},
		{"[$class: 'FileBinding', credentialsId: 'c', variable: 'F']", nil, []string{"F"}},
		{"[$class: 'UsernamePasswordMultiBinding', credentialsId: 'c', usernameVariable: 'U', passwordVariable: 'P']", []string{"U"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.binding, func(t *testing.T) {
			p := parseGroovy(t, "node {\n  withCredentials(["+tt.binding+"]) {\n    sh 'make'\n  }\n}\n")
			creds := p.Jobs[0].Steps[0].Credentials
			if len(creds) != 1 {
				t.Fatalf("credentials = %+v, want one", creds)
			}
			if !slices.Equal(creds[0].Usernames, tt.usernames) || !slices.Equal(creds[0].Files, tt.files) {
				t.Errorf("usernames %q files %q, want %q and %q", creds[0].Usernames, creds[0].Files, tt.usernames, tt.files)
			}
		})
	}
	p := parseGroovy(t, "pipeline {\n  agent any\n  environment { R = credentials('reg') }\n  stages { stage('s') { steps { sh 'make' } } }\n}\n")
	if got := p.Jobs[0].Credentials[0].Usernames; !slices.Equal(got, []string{"R_USR"}) {
		t.Errorf("credentials() usernames = %q, want R_USR", got)
	}
}

func TestRegistryCredentialAndNestedSteps(t *testing.T) {
	src := "pipeline {\n  agent { docker { image 'r/x:1'; registryCredentialsId 'reg' } }\n  environment { REV = \"${sh(script: 'git rev-parse HEAD', returnStdout: true)}\" }\n  stages { stage('a') { steps { echo \"at ${sh(script: 'date', returnStdout: true)}\" } } }\n}\n"
	p := parseGroovy(t, src)
	var got []string
	for _, j := range p.Jobs {
		if creds := j.Runner.Credentials; len(creds) > 0 && creds[0].SecretRef != nil {
			got = append(got, j.ID+" registry "+creds[0].SecretRef.Name+"@"+start(creds[0].SecretRef.Pos))
		}
		for _, st := range j.Steps {
			script := ""
			if st.Run != nil {
				script = " " + st.Run.Script.Value
			}
			got = append(got, fmt.Sprintf("%s %s@%s%s", j.ID, st.Name, start(st.Pos), script))
		}
	}
	want := []string{
		"environment registry reg@2:57",
		"environment sh@3:26 git rev-parse HEAD",
		"a registry reg@2:57",
		"a sh@4:44 date",
		"a echo@4:33",
	}
	if !slices.Equal(got, want) {
		t.Errorf("jobs:\n got  %q\n want %q", got, want)
	}
}
