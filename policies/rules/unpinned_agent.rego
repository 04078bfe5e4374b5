# METADATA
# title: AI agent not pinned to an exact version
# description: >-
#   The pipeline installs or fetches an AI coding agent without pinning it: an npm install
#   or npx run of the agent's package without an exact version (or with `@latest`,
#   `@next`, a `^`/`~` range, a bare major), an installer script piped into a shell
#   (`curl … | bash`) that is told no exact version, an agent action whose version input
#   is empty or `latest`, or an agent action used at a branch or tag instead of a commit
#   SHA. The agent then changes under the job's credentials without review: a new or
#   compromised release runs with the tokens the job gives it.
# custom:
#   id: unpinned-agent
#   severity: medium
#   confidence: high
#   category: supply chain
#   platforms: [github, gitlab, circleci, jenkins]
#   persona: regular
#   cwe: CWE-829
#   help: >-
#     Pin the agent to an exact release and update it on purpose (Dependabot or Renovate
#     can): `npm install -g @openai/codex@<exact version>` (likewise `pnpm add -g`, `yarn
#     global add`, `bun add -g` and `npx -y @openai/codex@<exact version>`), installers
#     told their version (`curl -fsSL https://claude.ai/install.sh | bash -s <exact
#     version>`), agent actions at a full commit SHA with the tag in a comment (`uses:
#     openai/codex-action@<40-character SHA> # v1.11` with `codex-version: <exact
#     version>`). The same commands pin the agent in GitLab `script:`, CircleCI `run:` and
#     Jenkins `sh` steps. The OpenCode and Copilot installers read the version from the
#     shell's environment (`curl -fsSL https://opencode.ai/install | VERSION=<exact
#     version> bash`, `curl -fsSL https://gh.io/copilot-install | VERSION=v<exact version>
#     bash`); for agents whose installer takes no version (Cursor, Kiro, Aider), install
#     a pinned release another way. On google-github-actions/run-gemini-cli set
#     `gemini_cli_version: <exact version>`.
package pipeguard.rules.unpinned_agent

import rego.v1

import data.pipeguard.lib
import data.pipeguard.lib.agents
import data.pipeguard.lib.pins

# The commands that may install or fetch an agent, each list a cheap test over the
# commands view (a function call per command costs several times more): package manager
# commands, wrapped commands (npx, pnpm dlx, …) and commands whose output a shell runs.
package_manager_commands := [c |
	count(package_manager_programs) > 0
	some c in lib.commands
	data.pipeguard.agents.package_managers[c.cmd.argv[0].value]
]

# package_manager_programs are the package managers the file runs (lib.programs). A
# command whose first word is `npm` runs the program `npm`, so a file without one has no
# package manager command.
package_manager_programs := lib.programs_in(data.pipeguard.agents.package_managers)

wrapped_commands := [c |
	some c in lib.commands
	c.cmd.wrapped_by
]

script_fetches := [c |
	some c in lib.commands
	c.cmd.output_run
]

# agent_actions are the steps that use an agent action, with its table entry (action).
agent_actions := [r | some r in lib.agent_runs; r.action]

# An npm, pnpm, yarn or bun command installs an agent package without an exact version.
deny contains finding if {
	some c in package_manager_commands
	some p in pins.installed_packages(c.cmd)
	finding := result(c, sprintf("%s is installed as %s", [title(p.cli), pins.spelled(p.spec)]), p.word.pos, concat(" ", ["install", p.spec.name, p.spec.version]))
}

# npx, pnpm dlx, bunx or yarn dlx fetch an agent package without an exact version to run
# it.
deny contains finding if {
	some c in wrapped_commands
	some p in pins.run_packages(c.cmd)
	msg := sprintf("%s is run with %s as %s", [title(p.cli), p.runner, pins.spelled(p.spec)])
	finding := result(c, msg, p.word.pos, concat(" ", [p.runner, p.spec.name, p.spec.version]))
}

# An agent's installer script is run by a shell (`curl … | bash`, `bash <(curl …)`, `sh -c
# "$(curl …)"`, PowerShell `irm … | iex`) and told no exact version.
deny contains finding if {
	some c in script_fetches
	some i in pins.installer_runs(c.cmd, lib.env_of(c.step))
	msg := sprintf("%s is installed by running %s with %s %s", [title(i.installer.cli), i.word.value, c.cmd.output_run.runner, pins.not_exact(i.version)])
	finding := result(c, msg, i.word.pos, concat(" ", ["installer", pins.url_key(i.word.value), i.version]))
}

# An agent action installs the agent at its default or at a version that is not exact.
deny contains finding if {
	some a in agent_actions
	v := pins.action_version(a.step, a.action)
	msg := sprintf("%s installs %s without an exact version (%s)", [action_name(a.step), title(a.action.cli), v.what])
	finding := result(a, msg, v.pos, concat(" ", [action_name(a.step), a.action.version_input.name]))
}

# An agent action is used at a branch, a tag or no ref instead of a full commit SHA.
deny contains finding if {
	some a in agent_actions
	uses := a.step.uses
	severity := ref_severity[uses.ref_kind]
	msg := sprintf("%s is used %s, not at a full commit SHA,", [action_name(a.step), ref_text(uses)])
	finding := object.union(result(a, msg, uses.pos, uses.ref), {
		"severity": severity,
		"persona": ref_persona[uses.ref_kind],
	})
}

ref_severity := {"branch": "medium", "none": "medium", "tag": "low"}

ref_persona := {"branch": "regular", "none": "regular", "tag": "pedantic"}

ref_text(uses) := sprintf("at the branch `%s` (it changes with every push)", [uses.version]) if uses.ref_kind == "branch"

else := sprintf("at the tag `%s` (a tag can be moved)", [uses.version]) if uses.ref_kind == "tag"

else := "without a ref"

# result is a finding at pos for the step of s (a view entry with job, step and label).
result(s, what, pos, evidence) := {
	"msg": sprintf("%s in job `%s`: the agent can change under the job's credentials without review", [what, s.job.id]),
	"pos": pos,
	"job": s.job.id,
	"step": s.label,
	"evidence": evidence,
}

title(cli) := agents.clis[cli].title

action_name(step) := concat("/", [x | some x in [step.uses.owner, step.uses.repo, object.get(step.uses, "path", "")]; x != ""])
