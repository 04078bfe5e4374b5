package groovy

import (
	"strings"
	"testing"
)

// fuzzSeeds cover every construct the parser knows, plus broken and deep input. They run
// in every `go test` as the seed corpus of FuzzParse.
var fuzzSeeds = []string{
	declarative,
	"@Library('lib@1.0') _\nnode('linux') {\n  checkout scm\n  sh 'make'\n}",
	"pipeline {\n agent { docker { image 'node:20'; args '-v /var/run/docker.sock:/var/run/docker.sock' } }\n environment { FOO = 'bar'; T = credentials('id') }\n stages { stage('x') { when { branch 'main'; changeRequest() }\n steps { sh script: 'x', returnStdout: true } } }\n post { always { echo \"done ${currentBuild.result}\" } }\n}",
	"withCredentials([usernamePassword(credentialsId: 'a', usernameVariable: 'U', passwordVariable: 'P')]) {\n  sh '''\n    curl -u $U:$P \\\n      https://x\n  '''\n}",
	"docker.image('x').inside('-v /a:/b') { sh \"echo ${env.X} $Y\" }",
	"parallel a: { sh 'a' }, b: { sh 'b' }\nparallel(['c': { echo 'x' }])",
	"properties([buildDiscarder(logRotator(numToKeepStr: '10'))])\ntimeout(time: 5, unit: 'MINUTES') { retry(3) { input message: 'x' } }",
	"def x = load 'y.groovy'\na b c d\ndef y = foo\n  .bar()\n  ?.baz*.qux",
	"class A extends B implements C {\n  final env\n  Map<String, List<String>> m = [:]\n  A(e) { env = e }\n  @NonCPS\n  static void run(String... a) throws IOException {}\n}\nenum E { X, Y('y'); def z }",
	"for (int i = 0; i < 3; i++) { if (i == 1) continue else break }\nfor (x in l) {}\nwhile (a) { a-- }\ndo { b() } while (c)",
	"switch (x) { case 'a': case ~/b.*/: y(); break\n default: z() }\ntry { a() } catch (IOException | E e) { b() } finally { c() }",
	"def r = x ==~ /\\d+/ ? $/a$$b/$ : y ?: z\ndef q = (String) w as List<String>\nnew File('x').text\nthis.&foo\nString::valueOf",
	"sh \"\"\"\n  ${\"nested ${deep}\"} \\$HOME\n\"\"\"\nx = \"${-> lazy}\"",
	"import static a.B.c\npackage p.q\nassert x : 'm'\nlabel: for (x in y) { break label }",
	"#!/usr/bin/env groovy\n\ufeffnode {}",
	"sh 'unterminated\nsh \"also ${\nsh '''never ends",
	"x = /unterminated slashy",
	"$/ unterminated dollar slashy",
	"/* unterminated comment",
	"node {{{{ ((( [[[ \"${ '",
	"}}}} ))) ]]] 1BAR = 2",
	strings.Repeat("(", 300),
	strings.Repeat("{", 300),
	strings.Repeat(`"${`, 100),
	strings.Repeat("a ? ", 300),
	// Long operator and member chains, alone and nested in each other (MaxLinks).
	"node { x = 1" + strings.Repeat("+1", MaxLinks+10) + "\n}",
	"node { a" + strings.Repeat(".b", MaxLinks+10) + "\n}",
	"a" + strings.Repeat("()", MaxLinks+10) + strings.Repeat("[0]", 10),
	"a" + strings.Repeat(" b c", MaxLinks/2+10),
	"x = " + strings.Repeat("[(a"+strings.Repeat(".b", 600), 20) + strings.Repeat(")]", 20),
	"x = " + strings.Repeat("{ a"+strings.Repeat(" + b", 600), 20) + strings.Repeat(" }.c", 20),
	"sh \"${a" + strings.Repeat(".b", MaxLinks+10) + "}\"",
	"x = \"\\u12\" + '\\777' + '\\",
	"\x00\xff\xfe#`\\",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, errs := Parse([]byte(src))
		checkInvariants(t, "fuzz", []byte(src), file, errs)
	})
}
