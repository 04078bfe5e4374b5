package jenkins

import (
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/parse"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// fuzzSeeds exercise every construct the parser models; they run in every `go test`.
var fuzzSeeds = []string{
	"",
	"pipeline {\n  agent { docker { image 'x'; args '--privileged -v /var/run/docker.sock:/var/run/docker.sock' } }\n  environment { A = credentials('id'); B = \"${env.X}\"; C = sh(script: 'date', returnStdout: true).trim() }\n  options { buildDiscarder(logRotator(numToKeepStr: '5')) }\n  parameters { string(name: 'TOKEN', defaultValue: 'x') }\n  triggers { cron('H * * * *'); issueCommentTrigger('.*') }\n  libraries { lib('l@1') }\n  stages {\n    stage('a') {\n      when { anyOf { changeRequest target: 'main'; not { branch 'PR-1' }; expression { env.CHANGE_ID } } }\n      environment { K = 'v' }\n      agent { kubernetes { yaml '''\nspec:\n  hostNetwork: true\n''' } }\n      steps { sh '''\n        echo $HOME\n      '''; script { stage('in') { echo 'x' } } }\n      post { always { sh 'x' } }\n    }\n    stage('m') { matrix { axes { axis { name 'OS'; values 'a', 'b' } }\n      stages { stage('n') { steps { bat 'dir' } } } } }\n  }\n  post { cleanup { deleteDir() } }\n}\n",
	"@Library(['a@1', 'b']) _\nnode('x') {\n  stage('s') {\n    withCredentials([usernamePassword(credentialsId: 'c', usernameVariable: 'U', passwordVariable: 'P'), [$class: 'X', credentialsId: 'd', variable: 'V']]) {\n      sh \"curl -u $U:$P ${'x' + y}\"\n    }\n    docker.image('i').inside('--net=host') { sh 'ls' }\n    docker.withRegistry('https://r', 'reg') { docker.build('t').push() }\n    sshagent(credentials: ['k']) { sh 'git push' }\n    withEnv(['A=1', \"B=${x}\", 'bad']) { pwsh 'Get-Item' }\n  }\n  parallel a: { sh 'a' }, 'b c': { stage 'old'; sh 'b' }, failFast: true\n  if (!env.CHANGE_FORK) { load 'x.groovy' } else { evaluate(readFile('y')) }\n}\n",
	"def call(Map c = [:]) { podTemplate(yaml: 'image: a') { node(POD_LABEL) { sh c.cmd + ' -x' } } }\nclass A { def m() { sh 'x' } }\ntry { sh 'a' } catch (e) { sh 'b' } finally { sh 'c' }\n",
	"sh\nsh()\nsh returnStdout: true\nnode(\nstage(",
	"pipeline { agent { label '' } stages { stage(x) { steps { sh $/a ${b}/$ ; sh /c $d/ } } } }",
	"withDockerContainer('img') { node { sh(script: \"\"\"\n#!/usr/bin/env python3\nprint('${x}')\n\"\"\") } }",
	"pipeline {\n  agent any\n  options { buildDiscarder(logRotator(numToKeepStr: '5')); timestamps() }\n  stages {\n    stage('a') {\n      when { allOf { branch pattern: 'PR-\\\\d+', comparator: 'REGEXP'; not { buildingTag() }; expression { env.CHANGE_FORK == null && BRANCH_NAME ==~ /^rel/ || !params.X } } }\n      steps { archiveArtifacts artifacts: 'a/**, b', fingerprint: true; stash name: 'n'; checkout scm }\n    }\n  }\n}\n",
	"properties([buildDiscarder(logRotator()), [$class: 'BuildDiscarderProperty'], pipelineTriggers([])])\nnode {\n  if (!env.CHANGE_FORK && env.BRANCH_NAME.startsWith('PR-')) { checkout([$class: 'GitSCM', branches: [[name: \"${env.CHANGE_BRANCH}\"]], userRemoteConfigs: [[url: u, refspec: '+refs/pull/${CHANGE_ID}/head']]]) } else { git url: 'https://x', branch: \"refs/pull/${p}/head\" }\n}\n",
	// Long chains, which every walker of the tree follows (groovy.MaxLinks).
	"node { x = 1" + strings.Repeat("+1", 12_000) + "\n}\n",
	"node { sh 'a'" + strings.Repeat(" + 'b'", 12_000) + " }\n",
	"node { a" + strings.Repeat(".b", 12_000) + "\n  sh 'after'\n}\n",
	"node { withCredentials([x" + strings.Repeat(".y()", 6_000) + "]) { sh \"$T\" } }\n",
}

// FuzzParse checks that Parse never panics and that every error and job has a position.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := Parse(parse.Input{Path: "Jenkinsfile", Data: data})
		if p == nil {
			t.Fatal("nil pipeline")
		}
		testutil.CheckPositions(t, p, data)
	})
}
