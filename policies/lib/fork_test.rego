package pipeguard.lib.fork_test

import rego.v1

import data.pipeguard.lib.fork

pos := {"line": 1, "col": 1, "end_line": 1, "end_col": 2}

argv(words) := [{"value": w, "dynamic": false, "pos": pos} | some w in words]

text(v) := {"value": v, "pos": pos, "literal": true, "interpolations": [], "literal_secrets": []}

trigger(event, trust) := {"event": event, "trust": trust, "secrets": true, "pos": pos}

guard(kind, events) := {"kind": kind, "detail": "x", "events": events, "pos": pos}

test_runs_workspace if {
	every words in [
		["npm", "ci"], ["npm", "--prefix", "pr", "ci"], ["npm", "run", "build"], ["yarn"], ["yarn", "test"],
		["pnpm", "install"], ["pip", "install", "."], ["pip", "install", "-e", ".[dev]"],
		["pip3", "install", "-r", "requirements.txt"], ["python", "-m", "pip", "install", "."],
		["python", "-m", "pytest"], ["python3", "setup.py", "install"], ["poetry", "install"],
		["go", "test", "./..."], ["go", "generate"], ["go", "install", "./cmd/x"], ["make"], ["make", "-C", "pr", "test"],
		["mvn", "-B", "verify"], ["./gradlew", "build"], ["gradle", "build"], ["cargo", "build"],
		["bundle", "install"], ["composer", "install"], ["./build.sh"], ["scripts/ci.sh"],
		["bash", "scripts/test.sh"], ["sh", "./x"], ["node", "tools/gen.js"], [".", "./env.sh"],
		["$GITHUB_WORKSPACE/run.sh"], ["pytest", "-x"], ["tox"], ["uv", "sync"], ["uv", "pip", "install", "-e", "."],
	] {
		fork.runs_workspace(argv(words))
	}
}

test_not_workspace_runs if {
	every words in [
		["npm", "install", "-g", "@openai/codex"], ["npm", "view", "x"], ["npm", "--version"], ["yarn", "config", "get", "x"],
		["pip", "install", "requests"], ["pip", "install", "git+https://github.com/o/r"], ["go", "install", "golang.org/x/tools/cmd/goimports@latest"],
		["go", "mod", "download"], ["cargo", "install", "cargo-audit"], ["make", "--version"], ["echo", "make"],
		["bash", "-c", "true"], ["python", "-c", "print(1)"], ["node", "--version"], ["/usr/bin/env"], ["git", "diff"],
		["jq", ".", "pr/x.json"], ["gh", "pr", "checkout", "1"], ["uv", "tool", "install", "ruff"],
	] {
		not fork.runs_workspace(argv(words))
	}
}

test_runs_from_a_directory if {
	fork.runs_from(argv(["./pr/build.sh"]), "pr")
	fork.runs_from(argv(["bash", "pr/x.sh"]), "pr")
	fork.runs_from(argv(["make", "-C", "pr"]), "pr")
	fork.runs_from(argv(["npm", "--prefix=pr", "ci"]), "pr")
	fork.runs_from(argv(["pip", "install", "./pr"]), "pr")
	fork.runs_from(argv(["make", "-C", "$GITHUB_WORKSPACE/pr/sub"]), "pr")
	not fork.runs_from(argv(["node", "scripts/check.js", "pr/package.json"]), "pr")
	not fork.runs_from(argv(["make", "-C", "private"]), "pr")
	not fork.runs_from(argv(["cat", "pr/README.md"]), "pr")
}

test_dir_and_under if {
	fork.dir("./pr/") == "pr"
	fork.dir(".") == ""
	fork.dir("") == ""
	fork.under("pr", "pr")
	fork.under("./pr/a", "pr")
	not fork.under("pr2", "pr")
	not fork.under("x", "")
	fork.changes_dir(argv(["cd", "pr"]), "pr")
	not fork.changes_dir(argv(["cd", "base"]), "pr")
}

test_exposed_triggers if {
	ts := [trigger("push", "trusted"), trigger("pull_request_target", "untrusted"), trigger("issue_comment", "untrusted")]
	[t.event | some t in fork.exposed(ts, [])] == ["pull_request_target", "issue_comment"]
	[t.event | some t in fork.exposed(ts, [guard("event", ["push", "issue_comment"])])] == ["issue_comment"]
	[t.event | some t in fork.exposed(ts, [guard("same-repo", [])])] == []
	[t.event | some t in fork.exposed(ts, [guard("actor", ["issue_comment"])])] == ["pull_request_target"]
	[t.event | some t in fork.exposed(ts, [guard("environment", [])])] == []
}

test_exposed_triggers_of_a_step if {
	job := {"id": "j", "guards": [], "triggers": [trigger("change_request", "untrusted")], "steps": []}
	[t.event | some t in fork.exposed_triggers(job, {"guards": [guard("same-repo", ["change_request"])], "triggers": []})] == []
	[t.event | some t in fork.exposed_triggers(job, {"guards": [], "triggers": []})] == ["change_request"]
}

test_event_names if {
	fork.event_names([trigger("issues", "untrusted"), trigger("issues", "untrusted"), trigger("issue_comment", "untrusted")]) == "`issues`, `issue_comment`"
}

uses(owner, repo) := {"ref": "x", "owner": owner, "repo": repo, "ref_kind": "tag", "pos": pos}

test_actions_that_run_the_workspace if {
	fork.action_runs({"uses": uses("bahmutov", "npm-install"), "with": []})
	fork.action_runs({"uses": uses("ruby", "setup-ruby"), "with": [{"name": "bundler-cache", "value": text("true")}]})
	not fork.action_runs({"uses": uses("ruby", "setup-ruby"), "with": [{"name": "bundler-cache", "value": text("false")}]})
	not fork.action_runs({"uses": uses("ruby", "setup-ruby"), "with": []})
	fork.action_runs({"uses": uses("actions", "github-script"), "with": [{"name": "script", "value": text("require('./ci/x.js')(github)")}]})
	not fork.action_runs({"uses": uses("actions", "github-script"), "with": [{"name": "script", "value": text("github.rest.issues.get()")}]})
	not fork.action_runs({"uses": uses("actions", "setup-node"), "with": []})
}

test_grouped_by_key_in_order if {
	entries := [{"key": "b", "n": 1}, {"key": "a", "n": 2}, {"key": "b", "n": 3}, {"key": "a", "n": 4}, {"key": "c", "n": 5}]
	groups := {g.first.key: [m.n | some m in g.members] | some g in fork.grouped(entries)}
	groups == {"a": [2, 4], "b": [1, 3], "c": [5]}
	count(fork.grouped([])) == 0
	[e.n | some e in fork.firsts(entries)] == [2, 1, 5]
}

test_distinct_keeps_first_occurrences if {
	fork.distinct(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]
	fork.distinct([]) == []
}

test_listed_names_jobs if {
	fork.listed("job", ["a"]) == "job `a`"
	fork.listed("job", ["a", "b"]) == "jobs `a` and `b`"
	fork.listed("workflow entry", ["a", "b", "c"]) == "workflow entries `a`, `b` and `c`"
	fork.listed("stage", ["a", "b", "c", "d", "e"]) == "stages `a`, `b`, `c` and 2 more"
	fork.verb(["a"], "runs", "run") == "runs"
	fork.verb(["a", "b"], "runs", "run") == "run"
}

test_command_text_stops_before_assignments if {
	fork.command_text(argv(["npm", "run", "build", "--", "--prod"])) == "npm run build --"
	fork.command_text(argv(["make", "TOKEN=abc", "deploy"])) == "make"
	fork.command_text(argv(["./x.sh"])) == "./x.sh"
}
