package groovy

import "testing"

func TestParseStructure(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"command string", `sh 'make'`, `(cmd sh S"make")`},
		{"command ident", "agent any", `(cmd agent any)`},
		{"command named args", `sh script: 'x', returnStdout: true`, `(cmd sh script:S"x" returnStdout:true)`},
		{"paren call", `sh('x')`, `(call sh S"x")`},
		{"closure call", `node { sh 'a' }`, `(cmd node {(cmd sh S"a")})`},
		{"paren call with closure", `stage('x') { echo "y" }`, `(call stage S"x" {(cmd echo D"y")})`},
		{"closure on next line", "stage('x')\n{\n echo 'y'\n}", `(call stage S"x" {(cmd echo S"y")})`},
		{"agent block", `agent { label 'x' }`, `(cmd agent {(cmd label S"x")})`},
		{"withCredentials", `withCredentials([usernamePassword(credentialsId: 'a', usernameVariable: 'U', passwordVariable: 'P')]) { sh 'x' }`,
			`(call withCredentials [(call usernamePassword credentialsId:S"a" usernameVariable:S"U" passwordVariable:S"P")] {(cmd sh S"x")})`},
		{"docker inside", `docker.image('x').inside('-v /a:/b') { sh 'y' }`, `(call (call docker.image S"x").inside S"-v /a:/b" {(cmd sh S"y")})`},
		{"parallel command map", "parallel a: { sh 'a' },\n  b: { sh 'b' }", `(cmd parallel a:{(cmd sh S"a")} b:{(cmd sh S"b")})`},
		{"parallel paren map", `parallel(['a': { echo 'x' }])`, `(call parallel [S"a":{(cmd echo S"x")}])`},
		{"properties", `properties([buildDiscarder(logRotator(numToKeepStr: '10'))])`, `(call properties [(call buildDiscarder (call logRotator numToKeepStr:S"10"))])`},
		{"timeout", `timeout(time: 5, unit: 'MINUTES') { retry(3) { sh 'x' } }`, `(call timeout time:5 unit:S"MINUTES" {(call retry 3 {(cmd sh S"x")})})`},
		{"environment", "environment {\n FOO = 'bar'; T = credentials('id')\n}", `(cmd environment {(= FOO S"bar"); (= T (call credentials S"id"))})`},
		{"when", `when { branch 'main'; changeRequest() }`, `(cmd when {(cmd branch S"main"); (call changeRequest)})`},
		{"post", `post { always { junit '**/*.xml' } }`, `(cmd post {(cmd always {(cmd junit S"**/*.xml")})})`},
		{"library annotation", `@Library('lib@1.0') _`, `@Library( S"lib@1.0"); _`},
		{"library step", `library 'x'`, `(cmd library S"x")`},
		{"load", `def x = load 'y.groovy'`, `(decl def x=(cmd load S"y.groovy"))`},
		{"input", `input message: 'x'`, `(cmd input message:S"x")`},
		{"command chain", `a b c d`, `(cmd (cmd a b).c d)`},
		{"command chain odd", `a b c`, `(cmd a b).c`},
		{"leading dot", "def x = foo\n  .bar()\n  ?.baz", `(decl def x=(call foo.bar)?.baz)`},
		{"maps and lists", `def m = [a: 1, 'b': [2, 3], (k): [:], *: o]`, `(decl def m=[a:1, S"b":[2, 3], k:[:], *:o])`},
		{"closure params", `list.each { String k, v -> echo k }`, `(cmd list.each {String k,v -> (cmd echo k)})`},
		{"closure arrow only", `def c = { -> 1 }`, `(decl def c={ -> 1})`},
		{"typed decl", `Map<String, List<String>> m = [:]`, `(decl Map<String, List<String>> m=[:])`},
		{"modifier decl", "final env\nprivate static String X = 'y'", `(decl final  env); (decl private static String X=S"y")`},
		{"tuple decl", `def (a, b) = [1, 2]`, `(decl def a b = [1, 2])`},
		{"function", `def call(Map config = [:]) { sh 'x' }`, `(func  def call(Map config=[:]) {(cmd sh S"x")})`},
		{"typed function", "@NonCPS\nString foo(String a, int... rest) throws IOException\n{\n return a\n}",
			`@NonCPS(); (func  String foo(String a,int rest) {(return a)})`},
		{"class", "class A extends B implements C, D {\n  String x\n  A(y) { x = y }\n  void run() {}\n}",
			`(class A extends=B implements=C,D (decl String x); (func   A(y) {(= x y)}); (func  void run() {}))`},
		{"enum", "enum Color { RED, GREEN('g')\n def x }", `(enum Color extends= implements= RED; (call GREEN S"g"); (decl def x))`},
		{"if else", "if (a) { b() }\nelse if (c) d()\nelse { e() }", `(if a {(call b)} (if c (call d) {(call e)}))`},
		{"for in", `for (x in list) { echo x }`, `(for  x in list {(cmd echo x)})`},
		{"for colon typed", `for (String x : list) echo x`, `(for String x in list (cmd echo x))`},
		{"for classic", `for (int i = 0; i < n; i++) {}`, `(for (decl int i=0) (< i n) (post++ i) {})`},
		{"while", `while (x) { x-- }`, `(while do=false x {(post-- x)})`},
		{"do while", `do { x() } while (y)`, `(while do=true y {(call x)})`},
		{"switch", "switch (x) {\n case 'a': case 'b': y(); break\n default: z()\n}", `(switch x (case S"a": ) (case S"b": (call y); (break )) (case : (call z)))`},
		{"try", "try {\n a()\n} catch (IOException | FooException e) {\n b()\n}\ncatch (e) {}\nfinally { c() }",
			`(try {(call a)} (catch IOException|FooException e {(call b)}) (catch  e {}) finally {(call c)})`},
		{"return throw", "return\nthrow new Exception('x')", `(return nil); (throw (new Exception S"x"))`},
		{"ternary elvis", "def x = a ? b : c ?: d", `(decl def x=(? a b (? c nil d)))`},
		{"ternary multiline", "def x = a\n  ? b\n  : c", `(decl def x=(? a b c))`},
		{"binary precedence", `x = a + b * c == d && !e || f in g`, `(= x (|| (&& (== (+ a (* b c)) d) (! e)) (in f g)))`},
		{"continued operator", "x = a &&\n  b\ny = c\n  || d", `(= x (&& a b)); (= y (|| c d))`},
		{"no continuation on minus", "x = a\n-b", `(= x a); (- b)`},
		{"regex ops", `if (v ==~ /\d+/ && w =~ /a\/b/) {}`, `(if (&& (==~ v SL"\\d+") (=~ w SL"a/b")) {} nil)`},
		{"division not slashy", `x = a / b / c`, `(= x (/ (/ a b) c))`},
		{"dollar slashy", `def r = $/a$$b$/c/$`, `(decl def r=DS"a$b/c")`},
		{"cast and as", `def x = (String) y; def z = w as List<String>`, `(decl def x=(cast String y)); (decl def z=(cast List<String> w))`},
		{"new", `def f = new File("x").text; def a = new int[3]`, `(decl def f=(new File D"x").text); (decl def a=(new int [3]))`},
		{"anonymous class", `def r = new Runnable() { void run() {} }`, `(decl def r=(new Runnable {(func  void run() {})}))`},
		{"range index", `def s = list[1..<3]; x?.y*.z`, `(decl def s=(index list (..< 1 3))); x?.y*.z`},
		{"method pointer", `def p = this.&foo; def q = String::valueOf`, `(decl def p=this.&foo); (decl def q=String.&valueOf)`},
		{"instanceof", `if (x instanceof Map) {}`, `(if (instanceof x Map) {} nil)`},
		{"unary", `x = -1 + ~/re/ - !a`, `(= x (- (+ (- 1) (~ SL"re")) (! a)))`},
		{"import", "package a.b\nimport static a.B.c\nimport x.y.* \nimport q.R as S", `(import a.b static=false as= package=true); (import a.B.c static=true as= package=false); (import x.y.* static=false as= package=false); (import q.R static=false as=S package=false)`},
		{"labeled", "outer: for (x in y) { break outer }", `(label outer (for  x in y {(break outer)}))`},
		{"assert", `assert x == 1 : 'msg'`, `(assert (== x 1) S"msg")`},
		{"triple strings", "sh '''\n  echo a\n'''\nsh \"\"\"x\\\ny\"\"\"", `(cmd sh TS"\n  echo a\n"); (cmd sh TD"xy")`},
		{"escapes", `echo 'a\'b\n\u0041\$'`, `(cmd echo S"a'b\nA$")`},
		{"interpolation in string key", `foo("${a}": 1)`, `(call foo ${a}:1)`},
		{"spread arg", `foo(*args, x)`, `(call foo *args x)`},
		{"annotation named args", "@Grab(group='g', module='m')\nimport x.Y", `@Grab( group:S"g" module:S"m"); (import x.Y static=false as= package=false)`},
		{"string member", `x."foo bar"()`, `(call x.foo bar)`},
		{"keyword member and key", `x.class; foo(in: 1, default: 2)`, `x.class; (call foo in:1 default:2)`},
		{"semicolons", "a();; b()", `(call a); (call b)`},
		{"matrix", "axis { name 'X'; values 'a', 'b' }", `(cmd axis {(cmd name S"X"); (cmd values S"a" S"b")})`},
		{"script block", "script {\n def v = sh(script: 'x', returnStdout: true).trim()\n}", `(cmd script {(decl def v=(call (call sh script:S"x" returnStdout:true).trim))})`},
		{"closure in paren args", "foo(a, {\n b()\n})", `(call foo a {(call b)})`},
		{"generic call", `def l = Collections.<String>emptyList()`, `(decl def l=(call Collections.emptyList))`},
		{"def typed", `def Map<String, String> m = [:]`, `(decl def Map<String, String> m=[:])`},
		{"multiline closure params", "return {\n String a,\n Map<String, ?> b ->\n a\n}", `(return {String a,Map<String, ?> b -> a})`},
		{"static init", "class A { static { x = 1 } }", `(class A extends= implements= {(= x 1)})`},
		{"var shebang bom", "\ufeff#!/usr/bin/env groovy\nnode {}", `(cmd node {})`},
		{"backslash continuation", "sh 'a' + \\\n 'b'", `(cmd sh (+ S"a" S"b"))`},
		{"newlines in parens", "foo(a,\n  b\n  , c)", `(call foo a b c)`},
		{"string then method chain", `def m = "Hello" stage('x') { }`, `(decl def m=(call D"Hello".stage S"x" {}))`},
		{"number suffixes", `x = 0xFFL + 1.5e3d + 1_000G`, `(= x (+ (+ 0xFFL 1.5e3d) 1_000G))`},
		{"shift", `x = a << 2 >> 1 >>> 3`, `(= x (>>> (>> (<< a 2) 1) 3))`},
		{"lazy interpolation", `x = "${-> y}"`, `(= x D"${-> y}")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := Parse([]byte(tt.src))
			for _, e := range errs {
				t.Errorf("unexpected error %s", e)
			}
			if got := dump(f); got != tt.want {
				t.Errorf("parse %q\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
			checkInvariants(t, tt.name, []byte(tt.src), f, errs)
		})
	}
}
