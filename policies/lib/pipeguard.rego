# METADATA
# title: pipeguard helpers
# description: Helpers shared by the built-in rules. They read the normalized model only.
package pipeguard.lib

import rego.v1

# job_id(path) is the id of the job that a walk() path into the input lies in, or "".
job_id(path) := input.jobs[path[1]].id if {
	count(path) > 1
	path[0] == "jobs"
} else := ""

# step_id(path) names the step that a walk() path lies in: its id, its name, or its
# 1-based index; "" outside steps.
step_id(path) := name if {
	count(path) > 3
	path[0] == "jobs"
	path[2] == "steps"
	step := input.jobs[path[1]].steps[path[3]]
	name := step_name(step, path[3])
} else := ""

step_name(step, _) := step.id if step.id != ""

else := step.name if step.name != ""

step_name(step, i) := sprintf("#%d", [i + 1]) if {
	object.get(step, "id", "") == ""
	object.get(step, "name", "") == ""
}

# is_agent_credential(name) is true for the credential names that AI coding agents read.
is_agent_credential(name) if upper(name) in {n | some n in data.pipeguard.credentials.agent_credential_names}
