package pipeguard.lib.injection_test

import rego.v1

import data.pipeguard.lib.injection

pos := {"line": 1, "col": 1, "end_line": 1, "end_col": 2}

trigger(event, trust, secrets) := {"event": event, "trust": trust, "secrets": secrets, "pos": pos}

job(triggers, guards) := {"id": "j", "pos": pos, "steps": [], "triggers": triggers, "guards": guards, "secrets_inherit": false}

github(triggers) := {"platform": "github", "kind": "workflow", "triggers": triggers, "jobs": [], "parameters": []}

# untrusted_src is a GitHub source that only issues and issue_comment events set.
untrusted_src := {"name": "github.event.issue.title", "via": "", "kind": "untrusted", "events": ["issues", "issue_comment"]}

test_source_names_the_first_untrusted_context if {
	ip := {"expr": "format('{0} {1}', inputs.x, github.event.issue.title)", "untrusted": true, "author_controlled": true, "contexts": [
		{"path": "inputs.x", "author_controlled": true, "untrusted": false},
		{"path": "github.event.issue.title", "untrusted": true},
	]}
	injection.source(ip) == untrusted_src with input as github([])
}

test_source_of_an_intermediary_names_where_it_was_followed_to if {
	ip := {"expr": "steps.m.outputs.t", "untrusted": true, "contexts": [{"path": "steps.m.outputs.t", "untrusted": true, "from": "github.event.issue.title"}]}
	injection.source(ip) == object.union(untrusted_src, {"via": "steps.m.outputs.t"}) with input as github([])
}

test_source_without_contexts_is_the_expression if {
	ip := {"expr": "inputs.x | expand_vars", "untrusted": false, "author_controlled": true}
	injection.source(ip) == {"name": "inputs.x | expand_vars", "via": "", "kind": "author"} with input as {"platform": "gitlab"}
}

test_no_source_in_trusted_text if {
	not injection.source({"expr": "github.sha", "untrusted": false, "contexts": [{"path": "github.sha", "untrusted": false}]})
}

test_ref_source if {
	injection.ref_source({"kind": "shell", "name": "CI_COMMIT_TITLE", "untrusted": true}) == {"name": "$CI_COMMIT_TITLE", "via": "", "kind": "untrusted"}
	injection.ref_source({"kind": "shell", "name": "PROMPT", "untrusted": true, "from": "github.event.issue.body"}) == {"name": "github.event.issue.body", "via": "$PROMPT", "kind": "untrusted"}
	injection.ref_source({"kind": "circleci-param", "name": "parameters.x", "untrusted": false, "author_controlled": true, "from": "pipeline.parameters.y"}) == {"name": "pipeline.parameters.y", "via": "parameters.x", "kind": "author"}
	not injection.ref_source({"kind": "shell", "name": "HOME", "untrusted": false})
}

test_context_events_decide_which_triggers_carry_a_source if {
	push := github([trigger("push", "trusted", true)])
	not injection.carried(job([], []), untrusted_src) with input as push
	injection.carried(job([], []), {"name": "github.event.head_commit.message", "via": "", "kind": "untrusted", "events": ["push"]}) with input as push
	injection.carried(job([], []), untrusted_src) with input as github([trigger("workflow_call", "internal", true)])
	injection.carried(job([], []), untrusted_src) with input as github([])
	injection.carried(job([], []), {"name": "$CI_COMMIT_TITLE", "via": "", "kind": "untrusted"}) with input as {"platform": "gitlab", "triggers": [trigger("push", "trusted", true)]}
}

test_reach_triggers_prefer_untrusted_ones_and_honour_guards if {
	pipe := github([trigger("issues", "untrusted", true), trigger("issue_comment", "untrusted", true), trigger("workflow_dispatch", "trusted", true)])
	[t.event | some t in injection.reach_triggers(job([], []), untrusted_src)] == ["issues", "issue_comment"] with input as pipe
	actor := {"kind": "actor", "detail": "github.actor == 'me'", "pos": pos}
	[t.event | some t in injection.reach_triggers(job([], [actor]), untrusted_src)] == [] with input as pipe
	injection.blocking_guard(job([], [actor]), untrusted_src) == actor with input as pipe
	comment_only := {"kind": "actor", "detail": "x", "events": ["issue_comment"], "pos": pos}
	[t.event | some t in injection.reach_triggers(job([], [comment_only]), untrusted_src)] == ["issues"] with input as pipe
	not injection.blocking_guard(job([], [comment_only]), untrusted_src) with input as pipe
	only_dispatch := {"kind": "event", "detail": "github.event_name == 'workflow_dispatch'", "events": ["workflow_dispatch"], "pos": pos}
	[t.event | some t in injection.reach_triggers(job([], [only_dispatch]), {"name": "inputs.x", "via": "", "kind": "author", "events": ["workflow_dispatch"]})] == ["workflow_dispatch"] with input as pipe
}

test_write_token if {
	issues := [trigger("issues", "untrusted", true)]
	injection.write_token(job([], []), untrusted_src) with input as github(issues)
	not injection.write_token(job([], []), untrusted_src) with input as object.union(github(issues), {"permissions": {"all": "read-all", "pos": pos}})
	injection.write_token(object.union(job([], []), {"permissions": {"scopes": {"issues": "write"}, "pos": pos}}), untrusted_src) with input as object.union(github(issues), {"permissions": {"all": "read-all", "pos": pos}})
	pr := {"name": "github.head_ref", "via": "", "kind": "untrusted", "events": ["pull_request"]}
	not injection.write_token(job([], []), pr) with input as github([trigger("pull_request", "untrusted", false)])
	not injection.write_token(job([], []), untrusted_src) with input as object.union(github(issues), {"kind": "action"})
}

test_free_text_parameters if {
	params := [
		{"name": "msg", "type": "string", "pos": pos},
		{"name": "env", "type": "string", "enum": ["a", "b"], "pos": pos},
		{"name": "n", "type": "number", "pos": pos},
	]
	pipe := {"platform": "gitlab", "parameters": params}
	injection.free_text({"name": "inputs.msg", "via": "", "kind": "author"}) with input as pipe
	injection.free_text({"name": "inputs.msg | expand_vars", "via": "", "kind": "author"}) with input as pipe
	injection.free_text({"name": "inputs.undeclared", "via": "", "kind": "author"}) with input as pipe
	not injection.free_text({"name": "inputs.env", "via": "", "kind": "author"}) with input as pipe
	not injection.free_text({"name": "inputs.n", "via": "", "kind": "author"}) with input as pipe
	jenkins := {"platform": "jenkins", "parameters": [{"name": "NOTES", "type": "text", "pos": pos}, {"name": "DRY", "type": "boolean", "pos": pos}]}
	injection.free_text({"name": "params.NOTES", "via": "", "kind": "author"}) with input as jenkins
	not injection.free_text({"name": "params.DRY", "via": "", "kind": "author"}) with input as jenkins
}

test_context_events_by_longest_table_prefix if {
	injection.context_events("github.event.pull_request.head.ref") == ["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"] with input as github([])
	injection.context_events("GitHub.Event.Issue") == ["issues", "issue_comment"] with input as github([])
	not injection.context_events("github.event") with input as github([])
	not injection.context_events("github.event.issuer.x") with input as github([])
	not injection.context_events("github.event.issue.title") with input as {"platform": "gitlab"}
}

test_parameter_name if {
	injection.parameter_name("pipeline.parameters.go-version") == "go-version"
	injection.parameter_name(" inputs.msg | expand_vars") == "msg"
	injection.parameter_name("params.TARGET.trim()") == "TARGET"
	injection.parameter_name("github.event.inputs.v") == "v"
	not injection.parameter_name("parameters.x")
	not injection.parameter_name("inputs.")
}

test_free_text_of_a_name_declared_twice if {
	pipe := {"platform": "github", "parameters": [
		{"name": "v", "type": "choice", "enum": ["a"], "pos": pos},
		{"name": "v", "type": "string", "pos": pos},
		{"name": "b", "type": "boolean", "pos": pos},
	]}
	injection.free_text({"name": "inputs.v", "via": "", "kind": "author"}) with input as pipe
	not injection.free_text({"name": "inputs.b", "via": "", "kind": "author"}) with input as pipe
}
