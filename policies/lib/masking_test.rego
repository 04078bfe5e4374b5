package pipeguard.lib.masking_test

import rego.v1

import data.pipeguard.lib.masking

pos(line, col) := {"line": line, "col": col, "end_line": line, "end_col": col + 1}

shell_ref(name, line, col) := {"kind": "shell", "name": name, "quoting": "double", "untrusted": false, "pos": pos(line, col)}

word(value, refs) := {"value": value, "dynamic": count(refs) > 0, "pos": pos(1, 1), "refs": refs}

lit(value) := word(value, [])

cmd(words) := {"argv": words, "env_prefix": [], "pos": pos(1, 1)}

with_pipe(c, id, index, n) := object.union(c, {"pipe": {"id": id, "index": index, "len": n}})

with_redirect(c, op, target) := object.union(c, {"redirects": [{"op": op, "target": target, "pos": pos(1, 20)}]})

test_marked_programs if {
	assign := {"argv": [], "env_prefix": [{"name": "X", "pos": pos(1, 1), "value": {"value": "$T", "pos": pos(1, 3), "literal": false, "interpolations": [], "literal_secrets": []}, "credential": false}], "pos": pos(1, 1)}
	cmds := [
		cmd([lit("echo"), lit("building")]),
		cmd([lit("Write-Host"), word("$env:T", [shell_ref("T", 1, 12)])]),
		assign,
		cmd([word("$CMD", [shell_ref("CMD", 1, 1)])]),
		cmd([lit("npm"), word("$T", [shell_ref("T", 1, 5)])]),
		cmd([lit("env")]),
		with_redirect(cmd([lit("base64")]), "<<<", word("$T", [shell_ref("T", 1, 11)])),
	]
	masking.marked_programs(cmds) == {1: "write-host", 2: "=", 5: "env", 6: "base64"}
	masking.program(cmds[1]) == "write-host"
}

test_dumps_with if {
	dumps := [
		["env", []],
		["env", ["-0"]],
		["printenv", []],
		["set", []],
		["export", ["-p"]],
		["export", []],
		["declare", ["-px"]],
		["get-childitem", ["env:"]],
		["gci", [`Env:\`]],
	]
	every d in dumps {
		masking.dumps_with(masking.tables.env_dumps[d[0]], [lit(a) | some a in d[1]])
	}
	not_dumps := [
		["printenv", ["PATH"]],
		["set", ["-x"]],
		["set", ["-euo", "pipefail"]],
		["export", ["X=1"]],
		["declare", ["-p", "X"]],
		["get-childitem", ["src"]],
	]
	every d in not_dumps {
		not masking.dumps_with(masking.tables.env_dumps[d[0]], [lit(a) | some a in d[1]])
	}
}

test_named_dump if {
	hs := {"TOKEN": {"secret": "NPM_TOKEN", "file": false}}
	spec := masking.tables.env_dumps
	masking.named_dump(cmd([lit("printenv"), lit("TOKEN")]), spec.printenv, hs).secret == "NPM_TOKEN"
	masking.named_dump(cmd([lit("declare"), lit("-p"), lit("TOKEN")]), spec.declare, hs).secret == "NPM_TOKEN"
	masking.named_dump(cmd([lit("Get-Item"), lit("env:TOKEN")]), spec["get-item"], hs).secret == "NPM_TOKEN"
	not masking.named_dump(cmd([lit("printenv"), lit("PATH")]), spec.printenv, hs)
}

test_tracing if {
	every flags in [["-x"], ["-eux"], ["-euxo", "pipefail"], ["-o", "xtrace"]] {
		masking.trace_on(cmd(array.concat([lit("set")], [lit(f) | some f in flags])), "set")
	}
	every flags in [["-e"], ["-euo", "pipefail"], ["+x"], ["-o", "pipefail"]] {
		not masking.trace_on(cmd(array.concat([lit("set")], [lit(f) | some f in flags])), "set")
	}
	masking.trace_off(cmd([lit("set"), lit("+x")]))
	masking.trace_off(cmd([lit("set"), lit("+o"), lit("xtrace")]))
	masking.traced_shell(cmd([lit("bash"), lit("-ex"), lit("deploy.sh")]), "bash").value == "-ex"
	not masking.traced_shell(cmd([lit("bash"), lit("deploy.sh")]), "bash")
}

test_path_holds if {
	holds := [
		["out", "out/token.txt"],
		["out/", "out/token.txt"],
		["./out", "out/a/b.txt"],
		["out/token.txt", "out/token.txt"],
		["out/**", "out/a/token.txt"],
		["out/*.txt", "out/token.txt"],
		["**/*.log", "a/b/c.log"],
		["**/*.txt", "token.txt"],
		["out/**/t.txt", "out/t.txt"],
		["dist/*", "dist/sub/file"],
		[".", "anything/here"],
		["", "x"],
		["/tmp/ws/token", "/tmp/ws/token"],
	]
	every h in holds {
		masking.path_holds(masking.normal_path(h[0]), h[1])
	}
	not_holds := [
		["out", "output/token.txt"],
		["out/*.txt", "out/token.json"],
		["**/*.txt", "token.json"],
		["out/**/t.txt", "t.txt"],
		["out/token.txt", "out/token.txt.bak"],
		[".", "/etc/passwd"],
		["build", "~/build/x"],
	]
	every h in not_holds {
		not masking.path_holds(masking.normal_path(h[0]), h[1])
	}
}

test_file_target if {
	targets := [
		["out/token.txt", "out/token.txt"],
		["./out/token.txt", "out/token.txt"],
		["$GITHUB_WORKSPACE/out/t", "out/t"],
		["${{ github.workspace }}/out/t", "out/t"],
		["$CI_PROJECT_DIR/out/t", "out/t"],
		["${WORKSPACE}/out/t", "out/t"],
		["/tmp/ws/token", "/tmp/ws/token"],
	]
	every t in targets {
		masking.file_target(lit(t[0])) == t[1]
	}
	every t in ["$RUNNER_TEMP/t", "${HOME}/.npmrc", "%TEMP%\\t"] {
		not masking.file_target(lit(t))
	}
}

test_uploads_with_exclusions_and_untracked if {
	a := {"kind": "upload-artifact", "paths": ["out/", "!out/*.key"], "path_pos": [], "pos": pos(1, 1)}
	masking.uploads(a, "out/token.txt")
	not masking.uploads(a, "out/signing.key")
	masking.uploads({"kind": "gitlab-artifacts", "paths": [], "untracked": true, "pos": pos(1, 1)}, "token.txt")
	not masking.uploads({"kind": "gitlab-artifacts", "paths": [], "untracked": true, "pos": pos(1, 1)}, "/tmp/token.txt")
}

test_path_through_filters if {
	cmds := [
		with_pipe(cmd([lit("echo"), word("$T", [shell_ref("T", 1, 6)])]), 1, 0, 3),
		with_pipe(cmd([lit("tr"), lit("-d"), lit("\\n")]), 1, 1, 3),
		with_pipe(cmd([lit("base64")]), 1, 2, 3),
	]
	masking.path(cmds, 0) == [0, 1, 2]
	f := masking.flow(cmds, {"index": 0})
	f.sink == "log"
	f.transform == 1
}

test_a_consumer_ends_the_flow if {
	cmds := [
		with_pipe(cmd([lit("printf"), lit("%s"), word("$T", [shell_ref("T", 1, 12)])]), 1, 0, 2),
		with_pipe(cmd([lit("codex"), lit("login"), lit("--with-access-token")]), 1, 1, 2),
	]
	masking.flow(cmds, {"index": 0}).sink == "consumed"
}

test_redirections if {
	out := word("$GITHUB_OUTPUT", [shell_ref("GITHUB_OUTPUT", 1, 25)])
	c := with_redirect(cmd([lit("echo"), lit("x")]), ">>", out)
	f := masking.flow([c], {"index": 0})
	f.sink == "files"
	masking.sink_variable(f.files[0].target) == "output"
	masking.flow([with_redirect(cmd([lit("echo")]), ">&", lit("2"))], {"index": 0}).sink == "log"
	masking.flow([with_redirect(cmd([lit("echo")]), "2>", lit("err.txt"))], {"index": 0}).sink == "log"
	masking.discarded(lit("/dev/null"))
	masking.to_log(lit("/dev/stderr"))
}

test_expression_secret if {
	secret := {"kind": "github-expression", "contexts": [{"path": "secrets.NPM_TOKEN", "untrusted": false, "pos": pos(1, 5)}], "pos": pos(1, 1)}
	masking.expression_secret(secret).secret == "NPM_TOKEN"
	part := {"kind": "github-expression", "contexts": [{"path": "secrets.CFG", "derived": true, "funcs": ["fromJSON"], "untrusted": false, "pos": pos(1, 5)}], "pos": pos(1, 1)}
	masking.expression_secret(part).derived
	all := {"kind": "github-expression", "contexts": [{"path": "secrets", "whole": true, "funcs": ["toJSON"], "untrusted": false, "pos": pos(1, 5)}], "pos": pos(1, 1)}
	masking.expression_secret(all).all
	compared := {"kind": "github-expression", "contexts": [{"path": "secrets.X", "opaque": true, "untrusted": false, "pos": pos(1, 5)}], "pos": pos(1, 1)}
	not masking.expression_secret(compared)
	token := {"kind": "github-expression", "contexts": [{"path": "github.token", "untrusted": false, "pos": pos(1, 5)}], "pos": pos(1, 1)}
	masking.expression_secret(token).platform_token
}

# step(scoped, cmds) is a run step with the given secrets in scope and commands.
step(scoped, cmds) := {
	"kind": "run", "label": "s", "pos": pos(1, 1), "env": [], "effective_env": [], "with": [], "credentials": [],
	"secrets_in_scope": scoped,
	"run": {"shell": "bash", "script": {"value": "", "pos": pos(1, 1), "literal": false, "interpolations": [], "literal_secrets": []}, "commands": cmds},
}

job := {"id": "j", "credentials": [], "secrets_inherit": false}

token_in_scope := [{"name": "NPM_TOKEN", "kind": "github-secret", "source": "step-env", "var": "T", "pos": pos(1, 1)}]

test_holders_skip_usernames_and_mark_files if {
	scoped := [
		{"name": "reg", "kind": "jenkins-credential", "source": "credential", "var": "USER", "pos": pos(1, 1)},
		{"name": "reg", "kind": "jenkins-credential", "source": "credential", "var": "PASS", "pos": pos(1, 1)},
		{"name": "kube", "kind": "jenkins-credential", "source": "credential", "var": "KUBECONFIG", "pos": pos(1, 1)},
	]
	creds := [
		{"kind": "jenkins-credentials", "id": "reg", "vars": ["USER", "PASS"], "usernames": ["USER"], "pos": pos(1, 1)},
		{"kind": "jenkins-credentials", "id": "kube", "vars": ["KUBECONFIG"], "files": ["KUBECONFIG"], "pos": pos(1, 1)},
	]
	hs := masking.holders(object.union(job, {"credentials": creds}), step(scoped, []))
	object.keys(hs) == {"PASS", "KUBECONFIG"}
	hs.KUBECONFIG.file
	not hs.PASS.file
}

test_step_flows_follow_assignments_and_substitutions if {
	cmds := [
		# B64=$(echo "$T" | base64)
		{"argv": [], "env_prefix": [{"name": "B64", "pos": pos(1, 1), "value": {"value": "$(…)", "pos": pos(1, 5), "literal": false, "interpolations": [], "literal_secrets": []}, "credential": false}], "pos": pos(1, 1)},
		object.union(with_pipe(cmd([lit("echo"), word("$T", [shell_ref("T", 1, 12)])]), 1, 0, 2), {"capture": {"command": 0, "var": "B64"}}),
		object.union(with_pipe(cmd([lit("base64")]), 1, 1, 2), {"capture": {"command": 0, "var": "B64"}}),
		# echo "$B64"
		cmd([lit("echo"), word("$B64", [shell_ref("B64", 2, 6)])]),
	]
	a := masking.step_flows(job, step(token_in_scope, cmds))
	a.holders.B64.derived
	a.holders.B64.secret == "NPM_TOKEN"
	[[f.origin.index, f.sink] | some f in a.flows] == [[1, "capture"], [3, "log"]]
	[f.origin.derived | some f in a.flows; f.sink == "log"] == [true]
}

test_masked_before if {
	cmds := [
		cmd([lit("echo"), word("::add-mask::$B64", [shell_ref("B64", 1, 19)])]),
		cmd([lit("echo"), word("x=$B64", [shell_ref("B64", 2, 8)])]),
	]
	masking.masked_before(cmds, 1, "B64")
	not masking.masked_before(cmds, 0, "B64")
	not masking.masked_before(cmds, 1, "OTHER")
}
