package pipeguard.lib_test

import rego.v1

import data.pipeguard.lib

test_job_id_inside_a_job if {
	lib.job_id(["jobs", 0, "steps", 1]) == "build" with input as {"jobs": [{"id": "build"}]}
}

test_job_id_outside_jobs if {
	lib.job_id(["env", 0]) == ""
}

test_step_id_prefers_id_then_name_then_index if {
	jobs := [{"id": "j", "steps": [{"id": "s1", "name": "one"}, {"id": "", "name": "two"}, {"id": "", "name": ""}]}]
	lib.step_id(["jobs", 0, "steps", 0, "run"]) == "s1" with input as {"jobs": jobs}
	lib.step_id(["jobs", 0, "steps", 1, "run"]) == "two" with input as {"jobs": jobs}
	lib.step_id(["jobs", 0, "steps", 2, "run"]) == "#3" with input as {"jobs": jobs}
}

test_agent_credential_names_are_case_insensitive if {
	lib.is_agent_credential("codex_access_token")
	not lib.is_agent_credential("NPM_TOKEN")
}
