// Package model holds pipeguard's normalized pipeline model and its Finding type.
//
// Every platform parser turns one file into a Pipeline; the Rego policies see that
// Pipeline, marshalled to JSON with the tags below, as their `input`. The JSON shape is
// therefore a public schema that user policies rely on: add fields freely, but rename or
// remove them only with a changelog entry.
//
// Conventions that hold throughout the model:
//   - Every leaf a rule may point at carries a Pos: 1-based line and column, columns counted
//     in Unicode code points, EndCol exclusive.
//   - Lists are never null in JSON: parsers leave them nil and the engine's input
//     conversion (or the policies' `object.get`) treats missing and empty alike.
//   - "unknown" is never the same as "absent": a value the parser could not see is
//     reported in Unresolved or Incomplete, not silently left out.
package model

// Platform names used in Pipeline.Platform, in rule metadata and on the command line.
const (
	PlatformGitHub   = "github"
	PlatformGitLab   = "gitlab"
	PlatformCircleCI = "circleci"
	PlatformJenkins  = "jenkins"
)

// Pipeline kinds used in Pipeline.Kind.
const (
	KindWorkflow = "workflow" // a GitHub Actions workflow
	KindAction   = "action"   // a GitHub composite (or other) action.yml
	KindPipeline = "pipeline" // a GitLab, CircleCI or Jenkins pipeline
)

// Pipeline is one scanned file, normalized. It is the Rego `input` document.
type Pipeline struct {
	// Platform is the CI platform: github, gitlab, circleci or jenkins.
	Platform string `json:"platform"`
	// File is the path as reported in findings: relative to the scan root, slash-separated.
	File string `json:"file"`
	// Kind is workflow (a GitHub workflow), action (a GitHub action.yml) or pipeline.
	Kind string `json:"kind"`
	// Name is the pipeline's own name (GitHub `name:`, GitLab `workflow:name`), if any.
	Name string `json:"name,omitempty"`
	// Triggers are the events that start the pipeline, with their trust level.
	Triggers []Trigger `json:"triggers"`
	// Permissions is the pipeline-wide token permission block (GitHub), if any.
	Permissions *Permissions `json:"permissions,omitempty"`
	// Env holds pipeline-level environment variables (GitHub `env:`, GitLab global
	// `variables:`, Jenkins top-level `environment {}`).
	Env []Var `json:"env"`
	// Secrets lists every reference to a stored secret anywhere in the file.
	Secrets []SecretRef `json:"secrets"`
	// Includes lists included or referenced files (GitLab include:, Jenkins libraries).
	Includes []Include `json:"includes"`
	// Unresolved lists things the parser knows exist but could not see into.
	Unresolved []Unresolved `json:"unresolved"`
	// ParseErrors lists problems that made the file unreadable in whole or in part.
	ParseErrors []ParseError `json:"parse_errors"`
	// Inputs are the declared inputs of a composite action or reusable workflow. (The
	// inputs of a GitLab CI/CD component are Parameters, which carry types and options.)
	Inputs []Var `json:"inputs"`
	// Parameters are the pipeline's declared parameters: CircleCI pipeline parameters,
	// the `spec: inputs:` of a GitLab CI/CD component, Jenkins build parameters, the
	// inputs of GitHub workflow_dispatch and workflow_call triggers (a workflow_call
	// input's default stays in Inputs).
	Parameters []Parameter `json:"parameters"`
	// Options are pipeline-wide settings kept for rules, named by the setting: Jenkins
	// declarative `options {}` entries (`buildDiscarder`, `timeout`, …) and the same job
	// properties set by scripted `properties([…])`, each with its arguments as written.
	Options []Var `json:"options"`
	// Declarative is set for a Jenkins declarative pipeline: the position of its first
	// `pipeline` block's keyword (rules about declarative directives such as `options`
	// point at it).
	Declarative *Pos `json:"declarative,omitempty"`
	// Values are literal values of the file that no other field of the model carries
	// (names, descriptions, unknown keys), kept so that rules looking for literals
	// anywhere in the file still see them. Name is the dotted key path.
	Values []Var `json:"values"`
	// Jobs are the pipeline's jobs; a GitHub action.yml is one job named "action".
	Jobs []Job `json:"jobs"`
	// FoundSecrets lists every LiteralSecret of the model with its job and step. Parsers
	// leave it nil; the parse pipeline (parse.File) fills it once (FindSecrets; an empty
	// list when there are none), and the engine's input conversion when it is nil.
	FoundSecrets []FoundSecret `json:"found_secrets,omitempty"`
	// Repository is set only in the repository pass (a rule's `deny_repository`), whose
	// input holds nothing else: every file of one repository, after each file was
	// evaluated on its own.
	Repository *Repository `json:"repository,omitempty"`
	// Inventory is the credential inventory of the file's repository
	// (`.pipeguard/credentials.yml`), absent when the repository has none. The scan sets
	// it; parsers leave it nil.
	Inventory *Inventory `json:"inventory,omitempty"`
}

// Repository is the input of the repository pass: the pipeline files of one repository.
type Repository struct {
	// Root is the repository's root directory, as reported (relative to the working
	// directory when it lies below it).
	Root string `json:"root"`
	// Files are the repository's scanned pipeline files, in path order.
	Files []RepositoryFile `json:"files"`
	// Now is the date of the scan, YYYY-MM-DD (UTC): today, or `--now`. Rules compare
	// dates with it, never with the clock, so that an audit can be repeated.
	Now string `json:"now"`
	// Inventory is the repository's credential inventory, absent when it has none.
	Inventory *Inventory `json:"inventory,omitempty"`
}

// Inventory is a credential inventory: metadata about the credentials pipelines
// reference (who owns them, when they expire), never their values. Dates are
// YYYY-MM-DD; the day counts are computed from them and the scan's date when the
// inventory is read, so that rules and reports agree on them.
type Inventory struct {
	// File is the inventory's path as reported in findings.
	File string `json:"file"`
	// WarnDays is how many days before `expires` an entry is reported as expiring
	// (`defaults: warn_days`, 14 when not set).
	WarnDays int `json:"warn_days"`
	// MaxLifetimeDays is the longest `expires` − `created` allowed
	// (`defaults: max_lifetime_days`, 90 when not set).
	MaxLifetimeDays int `json:"max_lifetime_days"`
	// Credentials are the entries, in the order of the file.
	Credentials []InventoryEntry `json:"credentials"`
}

// Expires values of InventoryEntry.Expires besides a date.
const (
	ExpiresNever = "never" // the credential has no expiry date
)

// InventoryEntry is one credential of the inventory.
type InventoryEntry struct {
	// Name is the name pipelines reference it by (ScopedSecret.InventoryNames).
	Name string `json:"name"`
	// Kind is api-key, pat, access-token, oauth-token, ssh-key, password, other, or a
	// more specific kind as written (codex-access-token).
	Kind string `json:"kind,omitempty"`
	// Owner is the team or workflow responsible for the credential.
	Owner string `json:"owner,omitempty"`
	// Created is the day the credential was issued, "" when not recorded.
	Created string `json:"created,omitempty"`
	// Expires is the day it stops working, ExpiresNever, or "" when not recorded.
	Expires string `json:"expires,omitempty"`
	// RotationDays is how often it must be replaced, 0 when not recorded.
	RotationDays int `json:"rotation_days,omitempty"`
	// StoredIn says where it is stored (github:repo, gitlab:group, vault:…), as written.
	StoredIn []string `json:"stored_in"`
	// DaysLeft is `expires` − the scan's date in days (negative once expired); absent
	// without an expiry date.
	DaysLeft *int `json:"days_left,omitempty"`
	// LifetimeDays is `expires` − `created` in days; absent unless both are dates.
	LifetimeDays *int `json:"lifetime_days,omitempty"`
	// RotationDue is `created` + `rotation_days`, YYYY-MM-DD; "" unless both are set.
	RotationDue string `json:"rotation_due,omitempty"`
	// RotationDaysLeft is RotationDue − the scan's date in days (negative when the
	// rotation is overdue); absent without RotationDue.
	RotationDaysLeft *int `json:"rotation_days_left,omitempty"`
	// Pos spans the entry's `name:` value.
	Pos Pos `json:"pos"`
	// OwnerPos points at the `owner:` value (at `name:` when there is none).
	OwnerPos Pos `json:"owner_pos"`
	// ExpiresPos points at the `expires:` value (at `name:` when there is none).
	ExpiresPos Pos `json:"expires_pos"`
	// CreatedPos points at the `created:` value (at `name:` when there is none).
	CreatedPos Pos `json:"created_pos"`
	// RotationPos points at the `rotation_days:` value (at `name:` when there is none).
	RotationPos Pos `json:"rotation_pos"`
}

// RepositoryFile is what the repository pass knows of one scanned file.
type RepositoryFile struct {
	// File is the file's reported path.
	File string `json:"file"`
	// Platform is the file's CI platform.
	Platform string `json:"platform"`
	// Secrets lists every secret some step of the file can read (each name and position
	// once), with the job and step that read it.
	Secrets []RepositorySecret `json:"secrets"`
}

// RepositorySecret is a ScopedSecret together with the job and step that can read it.
type RepositorySecret struct {
	ScopedSecret
	// Job is the ID of the job that can read the secret.
	Job string `json:"job"`
	// Step is the label of the step that can read the secret.
	Step string `json:"step"`
}

// Trust levels of a Trigger.
const (
	TrustUntrusted = "untrusted" // text or code from a fork or outsider can reach the run
	TrustTrusted   = "trusted"   // only people with write access can start it
	TrustInternal  = "internal"  // started by the platform or another pipeline
)

// Trigger is one event that starts a pipeline.
type Trigger struct {
	// Event is the event as the platform names it: GitHub `pull_request_target`, GitLab
	// `merge_request_event` (a $CI_PIPELINE_SOURCE value), CircleCI
	// `push`/`pull_request`/`schedule`, Jenkins `push`/`change_request`/`schedule`.
	Event string `json:"event"`
	// Trust is untrusted, trusted or internal (see the Trust constants).
	Trust string `json:"trust"`
	// Secrets is true when runs started by this event get the repository's secrets (and,
	// on GitHub, a token that can write), whoever caused the event: GitHub
	// pull_request_target, workflow_run, issue_comment, issues, push, schedule, …; not a
	// fork's pull_request. On GitLab, CircleCI and Jenkins it is true unless the platform
	// is known to withhold secrets from that event.
	Secrets bool `json:"secrets"`
	// Filters holds event filters such as branches or types, as written.
	Filters []string `json:"filters,omitempty"`
	// Pos is where the event is named (the `on:` entry, the rule that admits it).
	Pos Pos `json:"pos"`
}

// Permissions is a token permission block. All is set for the shorthand forms
// (`read-all`, `write-all`, `{}` as "none").
type Permissions struct {
	// All is the shorthand form when one is used: read-all, write-all, or none for `{}`.
	All string `json:"all,omitempty"`
	// Scopes maps each named scope to its access (`contents: read`).
	Scopes map[string]string `json:"scopes,omitempty"`
	// Pos is the `permissions:` value.
	Pos Pos `json:"pos"`
}

// Include is one file pulled in by the pipeline.
type Include struct {
	Kind   string `json:"kind"`   // local, remote, project, template, component, library, load
	Target string `json:"target"` // path, URL, project or library name as written
	// Resolved is true when the parser read the included file.
	Resolved bool `json:"resolved"`
	// Pos is the include entry.
	Pos Pos `json:"pos"`
}

// Unresolved is something the parser knows about but could not see into.
type Unresolved struct {
	Kind string `json:"kind"` // include, orb, library, reusable-workflow, extends, …
	// Name is what could not be seen, as written (an orb, a library, a remote URL).
	Name string `json:"name"`
	// Reason says why it could not be seen.
	Reason string `json:"reason,omitempty"`
	// Pos is where it is referenced.
	Pos Pos `json:"pos"`
}

// ParseError is a problem that made (part of) the file unreadable.
type ParseError struct {
	// Message says what is wrong, with secrets redacted.
	Message string `json:"message"`
	// Pos is where the problem is.
	Pos Pos `json:"pos"`
	// Partial is true when only one value could not be analysed (a script the shell
	// parser rejects, say) and the rest of the file was read.
	Partial bool `json:"partial,omitempty"`
}

// Job is one unit of work that runs on one runner.
type Job struct {
	// ID identifies the job within the file: the GitHub/GitLab job key, the CircleCI
	// workflow entry's name, the Jenkins stage path.
	ID string `json:"id"`
	// Name is the job's display name, if it has one besides its ID.
	Name string `json:"name,omitempty"`
	// Pos is the job's key (GitLab, GitHub, CircleCI job definition) or stage head
	// (Jenkins).
	Pos Pos `json:"pos"`
	// Condition decides whether the job runs: GitHub `if:`, GitLab `rules:` (their `if:`
	// expressions combined in GitLab's first-match order) or `only:`/`except:` variables,
	// Jenkins `when {}`.
	Condition *Condition `json:"condition,omitempty"`
	// Guards are the checks found in the job's conditions, environment or filters that keep
	// forks and outsiders from running it (see Guard). On GitHub they come from the job's
	// own `if:` (a step's `if:` guards only that step) and its `environment:`: an
	// environment may require reviewers, which pipeguard cannot see, so every environment
	// is listed as a possible gate; an `if:` on an output of a needed job that a step
	// checking the actor sets is an actor guard. A GitHub job also has the guards of the
	// jobs it needs (directly or through others), since a job its guard skips skips the
	// jobs that need it, unless the job's own `if:` runs it whatever happened before
	// (Condition.Always).
	Guards []Guard `json:"guards"`
	// Needs are the IDs of the jobs this one waits for.
	Needs []string `json:"needs"`
	// Environment is the deployment environment (GitHub/GitLab `environment:`).
	Environment *Environment `json:"environment,omitempty"`
	// Runner says where the job runs and how isolated it is.
	Runner Runner `json:"runner"`
	// Env holds the job's own environment variables (GitHub job `env:`, GitLab job
	// `variables:`, CircleCI executor and job `environment:`, a Jenkins stage's `environment
	// {}`).
	Env []Var `json:"env"`
	// Secrets lists the references to stored secrets inside the job.
	Secrets []SecretRef `json:"secrets"`
	// Credentials are credential bindings made available to the job's steps (Jenkins
	// withCredentials, GitLab secrets:/id_tokens, CircleCI contexts, container logins).
	Credentials []Credential `json:"credentials"`
	// Contexts are CircleCI contexts given to the job by a workflow.
	Contexts []string `json:"contexts"`
	// Permissions is the job's token permission block (GitHub), if any.
	Permissions *Permissions `json:"permissions,omitempty"`
	// Artifacts are the files the job uploads or keeps for later jobs.
	Artifacts []Artifact `json:"artifacts"`
	// Outputs are the job's declared outputs (GitHub `outputs:`), by name.
	Outputs []Var `json:"outputs"`
	// Parameters are the job's declared parameters (CircleCI), with types and defaults.
	Parameters []Parameter `json:"parameters"`
	// Uses is set when the job calls a reusable workflow instead of running steps.
	Uses *Uses `json:"uses,omitempty"`
	// With holds the inputs passed to a reusable workflow.
	With []Var `json:"with"`
	// SecretsInherit is true for `secrets: inherit` on a reusable-workflow call.
	SecretsInherit bool `json:"secrets_inherit"`
	// ControlledText is true when one of the job's steps has Step.ControlledText, so
	// that rules looking for controlled text skip the other jobs without visiting their
	// steps. The parse pipeline sets it (Complete).
	ControlledText bool `json:"controlled_text,omitempty"`
	// PassedSecrets lists the secrets a reusable-workflow call hands to the called
	// workflow: those its `secrets:` entries and `with:` inputs read (Source "with").
	// With `secrets: inherit` it hands over every secret besides. The parse pipeline
	// computes it (Scope).
	PassedSecrets []ScopedSecret `json:"passed_secrets"`
	// Triggers narrows the pipeline triggers for this job (GitLab rules, Jenkins
	// when { changeRequest() } or a change-request branch around all of its steps);
	// empty means the job runs on every pipeline trigger.
	Triggers []Trigger `json:"triggers"`
	// Steps are the job's steps in the order they run.
	Steps []Step `json:"steps"`
	// Incomplete is true when part of the job's definition could not be seen
	// (an extends target in a remote include, an orb job, …).
	Incomplete bool `json:"incomplete"`
	// Via records how the job's definition arrived (extends, a YAML merge, …), innermost
	// first.
	Via []Via `json:"via"`
}

// Environment is a deployment environment.
type Environment struct {
	// Name is the environment's name as written.
	Name string `json:"name"`
	// URL is the environment's URL, if given.
	URL string `json:"url,omitempty"`
	// Pos is the `environment:` value.
	Pos Pos `json:"pos"`
}

// Runner kinds and isolation levels.
const (
	RunnerHosted     = "hosted"
	RunnerSelfHosted = "self-hosted"
	RunnerContainer  = "container"
	RunnerUnknown    = "unknown"

	IsolationIsolated  = "isolated"     // a container the job cannot escape
	IsolationEphemeral = "ephemeral-vm" // a fresh VM per job (GitHub-hosted, CircleCI machine)
	IsolationNone      = "none"         // a shared or persistent host
	IsolationUnknown   = "unknown"
)

// Runner says where a job runs and how isolated that place is.
type Runner struct {
	// Kind is hosted, self-hosted, container or unknown.
	Kind string `json:"kind"`
	// Isolation is isolated, ephemeral-vm, none or unknown (see the Isolation constants):
	// how far a job's damage can reach beyond the job.
	Isolation string `json:"isolation"`
	// Image is the container image the job runs in, if any.
	Image string `json:"image,omitempty"`
	// Labels are the runner labels, GitLab tags or Jenkins agent labels as written.
	Labels []string `json:"labels"`
	// Privileged, MountsDockerSocket and HostNetwork describe a container that does not
	// isolate the job from its host; any of them makes Isolation "none".
	Privileged bool `json:"privileged"`
	// MountsDockerSocket is true when the container mounts the Docker daemon's socket.
	MountsDockerSocket bool `json:"mounts_docker_socket"`
	// HostNetwork is true when the container shares the host's network or PID namespace.
	HostNetwork bool `json:"host_network"`
	// Escapes lists, as written, the settings that undo the container's isolation
	// (`--privileged`, `/var/run/docker.sock:/var/run/docker.sock`, `--network host`, …).
	Escapes []string `json:"escapes"`
	// Credentials holds registry credentials of the job's container and services.
	Credentials []Var `json:"credentials"`
	// Services are sidecar containers (GitHub services:, GitLab services:).
	Services []Service `json:"services"`
	// Pos is what decided the runner (`runs-on:`, `container:`, `tags:`, `agent`).
	Pos Pos `json:"pos"`
}

// Service is a sidecar container of a job.
type Service struct {
	// Name is the service's name or alias.
	Name string `json:"name"`
	// Image is the service's container image.
	Image string `json:"image,omitempty"`
	// Env holds the service's environment variables.
	Env []Var `json:"env"`
	// Credentials holds the service's registry credentials.
	Credentials []Var `json:"credentials"`
	// Pos is the service's entry.
	Pos Pos `json:"pos"`
}

// Credential is a credential binding made available to a job or step.
type Credential struct {
	Kind string `json:"kind"` // jenkins-credentials, gitlab-secret, id-token, circleci-context, docker-login, ssh-agent, …
	// ID names the credential as the platform stores it: a Jenkins credentials id, a
	// CircleCI context, a GitLab secrets:/id_tokens entry.
	ID string `json:"id"`
	// Vars are the environment variables the binding sets.
	Vars []string `json:"vars"`
	// Usernames lists the Vars that hold the credential's user name rather than its
	// secret (Jenkins `usernameVariable`, the `_USR` variable of `credentials()`).
	Usernames []string `json:"usernames,omitempty"`
	// Files lists the Vars that hold the path of a file with the secret rather than the
	// secret itself: a GitLab `secrets:` entry (unless `file: false`), Jenkins `file()`
	// and `sshUserPrivateKey(keyFileVariable:)`.
	Files []string `json:"files,omitempty"`
	// NotFile is set on a GitLab `secrets:` entry written with `file: false`: its
	// variable then holds the secret's value itself instead of the path of a file that
	// holds it (GitLab's default). It is the position of the `false`.
	NotFile *Pos `json:"not_file,omitempty"`
	// Pos is the binding.
	Pos Pos `json:"pos"`
}

// Artifact kinds of Artifact.Kind.
const (
	ArtifactGitHubUpload    = "upload-artifact"      // actions/upload-artifact
	ArtifactGitLab          = "gitlab-artifacts"     // a GitLab job's artifacts:
	ArtifactCircleCIStore   = "store_artifacts"      // CircleCI store_artifacts
	ArtifactCircleCIPersist = "persist_to_workspace" // CircleCI persist_to_workspace
	ArtifactJenkinsArchive  = "archiveArtifacts"     // Jenkins archiveArtifacts (or its deprecated form archive)
	ArtifactJenkinsStash    = "stash"                // Jenkins stash
)

// Artifact is a set of paths a job uploads or keeps for later jobs.
type Artifact struct {
	// Kind says which mechanism keeps the files (the Artifact constants).
	Kind string `json:"kind"`
	// Name is the artifact's name where the platform gives one (upload-artifact `name:`,
	// stash name, GitLab `artifacts:name`).
	Name string `json:"name,omitempty"`
	// Paths are the files, directories or glob patterns kept, as written.
	Paths []string `json:"paths"`
	// PathPos holds the position of each entry of Paths, in the same order.
	PathPos []Pos `json:"path_pos"`
	// Untracked is true for GitLab `untracked: true` (every untracked file).
	Untracked bool `json:"untracked,omitempty"`
	// ReportsOnly is true for a GitLab artifacts: block whose only uploads are `reports:`
	// (no `paths:`, no `untracked: true`).
	ReportsOnly bool `json:"reports_only,omitempty"`
	// ExpireIn is how long the platform keeps the artifact: GitLab `expire_in`, GitHub
	// `retention-days` (a number of days); absent when the file does not say.
	ExpireIn *Text `json:"expire_in,omitempty"`
	// Step is the label (Step.Label) of the step that uploads it, for step-based uploads.
	Step string `json:"step,omitempty"`
	// Pos is the step or `artifacts:` key that uploads them.
	Pos Pos `json:"pos"`
}

// Step kinds.
const (
	StepRun         = "run"
	StepAction      = "action"
	StepOrb         = "orb"
	StepBuiltin     = "builtin"
	StepJenkinsStep = "jenkins-step"
)

// Step is one thing a job does: a script, an action or orb call, or a built-in.
type Step struct {
	// Kind is run, action, orb, builtin or jenkins-step (the Step constants).
	Kind string `json:"kind"`
	// Name is the step's name (GitHub `name:`, the CircleCI command or built-in, the Jenkins
	// step call).
	Name string `json:"name,omitempty"`
	// ID is the step's id where the platform has one (GitHub `id:`, the GitLab script
	// section).
	ID string `json:"id,omitempty"`
	// Label names the step in findings: its id, else its name, else "#N" (its 1-based
	// index in the job). The parse pipeline sets it (model.StepLabel).
	Label string `json:"label"`
	// Pos is the step's first line.
	Pos Pos `json:"pos"`
	// Condition decides whether the step runs (GitHub `if:`, CircleCI `when:`/`unless:`), if
	// it has one.
	Condition *Condition `json:"condition,omitempty"`
	// Guards are the guards (see Guard) of the step's own condition and of the branches
	// around it, beyond its job's Guards: a GitHub step `if:` or an earlier step of the
	// job that checks the actor and fails the job otherwise (a script gate), a Jenkins
	// scripted `if (!env.CHANGE_FORK)` branch. They keep forks or outsiders from this
	// step only.
	Guards []Guard `json:"guards"`
	// Triggers narrows the job's triggers for this step where the step runs on fewer
	// events than its job: the change_request trigger of a Jenkins
	// `if (env.CHANGE_ID)` branch around it. Empty means every trigger of the job.
	Triggers []Trigger `json:"triggers"`
	// WorkingDirectory is the directory a run step's script starts in, as written
	// (relative to the workspace unless absolute): GitHub `working-directory:`, else the
	// job's or the workflow's `defaults.run.working-directory`. Absent when the file
	// does not say, which is the workspace root; other platforms leave it absent.
	WorkingDirectory *Text `json:"working_directory,omitempty"`
	// Env is the step's own environment (GitHub step `env:`, CircleCI run
	// `environment:`, Jenkins `withEnv` and credential variables).
	Env []Var `json:"env"`
	// EffectiveEnv is the environment the step runs with: the pipeline's, the job's and
	// the step's own variables merged by name, the innermost definition winning (step
	// over job over pipeline). Command env prefixes are not included (they are on the
	// Command). The parse pipeline computes it (Scope).
	EffectiveEnv []*Var `json:"effective_env"`
	// SecretsInScope lists every secret the step can read, with where it came from. The
	// parse pipeline computes it (Scope).
	SecretsInScope []ScopedSecret `json:"secrets_in_scope"`
	// Credentials are the credential bindings that hold for this step: Jenkins
	// withCredentials and sshagent blocks around it, `environment { X = credentials(…) }`
	// of its stage and of the pipeline, credentialsId arguments of the wrappers around it
	// and of the step itself.
	Credentials []Credential `json:"credentials"`
	// Run is set for steps that run a script.
	Run *Run `json:"run,omitempty"`
	// Uses is set for steps that call an action or orb.
	Uses *Uses `json:"uses,omitempty"`
	// With holds the inputs given to an action, orb or command, and the arguments of a
	// Jenkins step.
	With []Var `json:"with"`
	// Checkouts are the checkouts of source code the step performs (actions/checkout,
	// `gh pr checkout`, `git fetch … pull/N/head`, `git checkout "$HEAD_REF"`, CircleCI
	// `checkout`, Jenkins `checkout scm`), in order.
	Checkouts []Checkout `json:"checkouts"`
	// Always is true for steps that run whatever happened before (post { always },
	// `if: always()`, after_script, `when: always`), decided from the parsed condition.
	Always bool `json:"always"`
	// StringKind is the Groovy string kind of a Jenkins step's script or first string
	// argument: single, double, triple-single, triple-double, slashy or dollar-slashy.
	// Double and triple-double strings are interpolated by Groovy before the step runs.
	StringKind string `json:"string_kind,omitempty"`
	// ControlledText is true when a value of the step carries attacker- or
	// author-controlled text: an interpolation or reference marked Untrusted or
	// AuthorControlled in its script (and the words, redirections and heredocs of its
	// commands), its `with:` inputs or its environment. Rules looking for such text can
	// skip the other steps. The parse pipeline sets it (Complete).
	ControlledText bool `json:"controlled_text,omitempty"`
	// Via records how the step arrived (a CircleCI command, a !reference, a YAML alias),
	// innermost first.
	Via []Via `json:"via"`
}

// Run is a shell script step.
type Run struct {
	// Shell is the interpreter as the file names it (bash, pwsh, sh, cmd, python, …); empty
	// means the platform default.
	Shell string `json:"shell"`
	// Script is the script as the platform hands it to the shell, with its interpolations
	// and literal secrets.
	Script Text `json:"script"`
	// Commands are the script's simple commands, in order, as internal/script found them.
	Commands []Command `json:"commands"`
}

// Reference kinds of Uses.RefKind.
const (
	RefSHA    = "sha"
	RefTag    = "tag"
	RefBranch = "branch"
	RefNone   = "none"
)

// Uses is a reference to an action, reusable workflow, orb or Docker image.
type Uses struct {
	Ref string `json:"ref"` // as written
	// Owner is the action's owner (GitHub) or the orb's namespace.
	Owner string `json:"owner,omitempty"`
	// Repo is the action's repository or the orb's name.
	Repo string `json:"repo,omitempty"`
	// Path is the path inside the repository, a local action's path, or a Docker image.
	Path string `json:"path,omitempty"`
	// Version is the ref after `@` (a tag, branch or SHA), or the orb's version.
	Version string `json:"version,omitempty"`
	// RefKind says what Version is: sha, tag, branch or none.
	RefKind string `json:"ref_kind"`
	// Local is true for `./path` references into the same repository.
	Local bool `json:"local,omitempty"`
	// Docker is true for `docker://image` references.
	Docker bool `json:"docker,omitempty"`
	// Pos is the `uses:` value.
	Pos Pos `json:"pos"`
}

// Var is a named value: an environment variable, an input, a variable.
type Var struct {
	// Name is the variable's, input's or key's name (a dotted key path in Pipeline.Values).
	Name string `json:"name"`
	Pos  Pos    `json:"pos"` // position of the name (the key)
	// Value is the value with what analysis found in it.
	Value Text `json:"value"`
	// SecretRef is set when the value is exactly a reference to a stored secret.
	SecretRef *SecretRef `json:"secret_ref,omitempty"`
	// Credential is true when the name says the value is a credential (CODEX_API_KEY,
	// DB_PASSWORD, NPM_TOKEN, …), by the same table the secret detector uses.
	Credential bool `json:"credential"`
	// Refs lists the variables and CI interpolations the value reads, as Word.Refs does
	// for a word. Only script analysis fills it: the env prefixes and bare assignments of
	// a command (Command.EnvPrefix).
	Refs []Ref `json:"refs,omitempty"`
	// Via records how the value arrived (alias, merge, extends, parameter), innermost first.
	Via []Via `json:"via,omitempty"`
}

// Text is a string value of the file together with what analysis found in it.
type Text struct {
	// Value is the decoded string (YAML and Groovy escapes processed; interpolations as
	// written).
	Value string `json:"value"`
	// Pos is the span of the value in its file.
	Pos Pos `json:"pos"`
	// Literal is true when the value contains no interpolation or variable reference.
	Literal bool `json:"literal"`
	// Interpolations are the CI template expressions inside the value.
	Interpolations []Interpolation `json:"interpolations"`
	// LiteralSecrets are credentials written literally in this value.
	LiteralSecrets []LiteralSecret `json:"literal_secrets"`
}

// Interpolation kinds.
const (
	InterpGitHub   = "github-expression" // ${{ … }}
	InterpGitLab   = "gitlab-input"      // $[[ … ]]
	InterpCircleCI = "circleci-param"    // << … >>
	InterpGroovy   = "groovy"            // ${…} or $x in a Groovy GString
)

// Interpolation is a CI template expression inside a value.
type Interpolation struct {
	// Expr is the expression without its delimiters (`github.event.issue.title`).
	Expr string `json:"expr"`
	// Kind is the template syntax (the Interp constants).
	Kind string `json:"kind"`
	// Untrusted is true when the expression reads an attacker-controlled context (an
	// issue title, a branch name, a commit message, …), per internal/untrusted: for
	// GitHub expressions, when one of Contexts is Untrusted. It is also true when the
	// expression reads an intermediary whose value the parser followed to such a context
	// (a GitHub step output or env variable, a CircleCI parameter filled with
	// `<< pipeline.git.branch >>`); that context's ContextRef then names it in From.
	Untrusted bool `json:"untrusted"`
	// AuthorControlled is true when the expression reads text that only people who can
	// start the pipeline set (see ContextRef.AuthorControlled), directly or through an
	// intermediary.
	AuthorControlled bool `json:"author_controlled,omitempty"`
	// Contexts lists the contexts the expression reads, as parsed (GitHub expressions
	// through actionlint's expression parser, each at its own position; other kinds have
	// one entry, at the interpolation's position, when the expression is a plain dotted
	// name such as `parameters.x`, `env.CHANGE_TITLE` or `BRANCH_NAME`).
	Contexts []ContextRef `json:"contexts,omitempty"`
	// Pos is the span of the interpolation with its delimiters.
	Pos Pos `json:"pos"`
}

// ContextRef is one context (or variable) an expression reads.
type ContextRef struct {
	// Path is the context path with string-literal indexes folded into dots and other
	// indexes (numbers, computed keys, `[*]`) written as `*`: `github.event.issue.title`
	// for `github.event['issue'].title`, `secrets.NPM_TOKEN`, `secrets.*` for
	// `secrets[format(…)]`, `github.event.commits.*.message` for `commits[0].message`,
	// `secrets` for the whole object (`toJSON(secrets)`), `inputs.x`,
	// `needs.build.outputs.sha`. Names are spelled as written; GitHub compares them
	// case-insensitively, and so does internal/untrusted.
	Path string `json:"path"`
	// Computed is true when the path has an index that is only known at run time.
	Computed bool `json:"computed,omitempty"`
	// Whole is true when the path names a whole object rather than a leaf, so that every
	// value under it is read: a context with no property (`secrets`), a computed last
	// index (`secrets[x]`: any entry), an argument of toJSON that is not known to be a
	// scalar (`toJSON(github.event)`; `toJSON(secrets.X)` is not Whole).
	Whole bool `json:"whole,omitempty"`
	// Funcs lists the functions whose arguments hold the value, innermost first, in
	// their documented spelling (`fromJSON`, `toJSON`, `format`, `join`, `contains`, …).
	Funcs []string `json:"funcs,omitempty"`
	// Derived is true when the expression's result is not the context's value itself
	// but a part or transformation of it (`fromJSON(secrets.X).field`).
	Derived bool `json:"derived,omitempty"`
	// Untrusted is true when the context holds attacker-controlled text (per
	// internal/untrusted) that can reach the expression's result as text. For GitHub
	// expressions it is false when the value only feeds contains, startsWith or endsWith
	// (actionlint's safe functions), a comparison, a negation or an index, which all
	// yield something other than the text itself. An intermediary (a GitHub
	// `steps.<id>.outputs.<x>`, `needs.<job>.outputs.<x>` or `env.X`, a CircleCI
	// `parameters.x`) is Untrusted when the parser followed its value to such a context,
	// which From names.
	Untrusted bool `json:"untrusted"`
	// Opaque is true when the context's value cannot reach the expression's result as
	// text, whoever wrote it: it only feeds a comparison, a negation, an index or
	// contains/startsWith/endsWith (`secrets.X == 'yes'`). Untrusted and
	// AuthorControlled hold only for a context that is not Opaque. GitHub expressions
	// only.
	Opaque bool `json:"opaque,omitempty"`
	// AuthorControlled is true when the context holds text that only people who can
	// start the pipeline set, per internal/untrusted, and that can reach the result as
	// for Untrusted: GitHub `inputs.*` (workflow_dispatch, workflow_call, composite
	// actions), `github.event.inputs.*` and `github.event.client_payload.*`; GitLab
	// `inputs.*`; CircleCI `pipeline.parameters.*`; Jenkins `params.*`. Intermediaries
	// followed to one are AuthorControlled too, with From naming it.
	AuthorControlled bool `json:"author_controlled,omitempty"`
	// From names the context an intermediary's value was followed to when that made it
	// Untrusted or AuthorControlled (`github.event.issue.title` for
	// `steps.meta.outputs.title`); empty for a context that is a source itself.
	From string `json:"from,omitempty"`
	// Pos is the span of the context's name in the file.
	Pos Pos `json:"pos"`
}

// Condition is a job or step condition: its text (embedded, so `condition.value` and
// `condition.pos` read as for a Text) and what the parsed expression says.
type Condition struct {
	Text
	// Reads lists the contexts and variables the condition reads.
	Reads []ContextRef `json:"reads"`
	// Always is true when the condition makes the job or step run whatever happened
	// before it (`always()`, `!cancelled()`, `when: always`, post { always }), decided
	// from the parsed expression: `!always()` is not always.
	Always bool `json:"always"`
	// Invalid is set to the parser's message when the expression could not be parsed.
	Invalid string `json:"invalid,omitempty"`
	// Pinned lists the contexts, as lower-cased paths, that the condition requires to
	// equal a literal or one of a literal list (GitHub `github.event.workflow_run.head_branch
	// == 'main'` in an `&&` chain, `contains(fromJSON('["a","b"]'), x)`; `A || B` pins
	// what both sides pin, a negation nothing). Where the condition holds they hold a
	// value the workflow chose, not attacker text.
	Pinned []string `json:"pinned,omitempty"`
}

// Guard kinds of Guard.Kind.
const (
	GuardSameRepo     = "same-repo"     // the head repository is the base repository (no forks)
	GuardActor        = "actor"         // the actor, author association or a label is checked
	GuardEnvironment  = "environment"   // a deployment environment (GitHub: may have required reviewers)
	GuardProtectedRef = "protected-ref" // GitLab $CI_COMMIT_REF_PROTECTED == "true"
	GuardBranchFilter = "branch-filter" // CircleCI branch/tag filters that keep forks out
	GuardNotChange    = "not-change"    // Jenkins: the stage or branch runs in no change-request build
	GuardEvent        = "event"         // the condition excludes the untrusted events
)

// Guard is one check that keeps forks or outsiders from reaching a job.
type Guard struct {
	// Kind is the kind of check (the Guard constants).
	Kind string `json:"kind"`
	// Detail is the check as written (an `if:` sub-expression, a filter, an environment
	// name; `!(…)` around a condition whose else branch it guards), already redacted.
	Detail string `json:"detail"`
	// Events says which events the guard concerns. For an event guard it lists the
	// trigger events the condition still admits (`github.event_name != 'x'` lists the
	// workflow's other triggers). For the other kinds it lists the events for which the
	// guard holds, empty meaning every event: `github.event_name != 'pull_request' ||
	// <same-repo check>` is a same-repo guard for pull_request only.
	Events []string `json:"events,omitempty"`
	// Pos is the check in the file.
	Pos Pos `json:"pos"`
}

// Checkout targets of Checkout.Target.
const (
	CheckoutPullRequest = "pull-request" // the pull request's head code (a fork's, possibly), or the triggering run's head for workflow_run
	CheckoutBase        = "base"         // this repository's own code: the event's ref (the default), the base branch, a fixed branch, tag or SHA
	CheckoutOther       = "other"        // another repository, named literally (a literal name of the repository itself cannot be told apart)
	CheckoutUnknown     = "unknown"      // a ref or repository only known at run time (an input, a matrix value, an output that could not be followed)
)

// Checkout is one checkout of source code into the workspace.
type Checkout struct {
	// Target says whose code is checked out.
	Target string `json:"target"`
	// Reason says why Target was decided, e.g. "ref: github.event.pull_request.head.sha".
	Reason string `json:"reason"`
	// Ref is the ref or SHA as written, when the checkout names one.
	Ref string `json:"ref,omitempty"`
	// Repository is the repository as written, when the checkout names one.
	Repository string `json:"repository,omitempty"`
	// Path is the directory the code is checked out into, "" for the workspace root.
	Path string `json:"path,omitempty"`
	// PersistCredentials is true when the checkout leaves a token in the git config
	// (actions/checkout's default).
	PersistCredentials bool `json:"persist_credentials"`
	// Pos points at what decided Target: the `ref:` value, the command word.
	Pos Pos `json:"pos"`
}

// Secret sources of ScopedSecret.Source.
const (
	SourcePipelineEnv = "pipeline-env" // the pipeline's environment
	SourceJobEnv      = "job-env"      // the job's environment
	SourceStepEnv     = "step-env"     // the step's own environment
	SourceWith        = "with"         // an action or orb input
	SourceScript      = "script"       // the step's script text
	SourceCredential  = "credential"   // a credential binding (Job or Step Credentials)
	SourceVariable    = "variable"     // a credential-named variable the script reads
)

// ScopedSecret is one secret a step can read.
type ScopedSecret struct {
	// Name is the secret's name on its platform: GitHub `secrets.NAME`, a GitLab
	// variable, a CircleCI context, a Jenkins credential id, a GitLab secrets:/id_tokens
	// entry. It is "*" for every secret of a GitHub repository: an expression that reads
	// the whole secrets context (`toJSON(secrets)`, `secrets[format(…)]`).
	Name string `json:"name"`
	// Kind is a SecretRef kind (github-secret, gitlab-variable, circleci-context,
	// jenkins-credential, vault, oidc).
	Kind string `json:"kind"`
	// Source says where the step gets it (SourcePipelineEnv, …).
	Source string `json:"source"`
	// Var is the environment variable that holds it in the step, when there is one.
	Var string `json:"var,omitempty"`
	// PlatformToken is true for the platform's own short-lived job token
	// (GITHUB_TOKEN, CI_JOB_TOKEN), which needs no inventory entry and is no leaked
	// long-lived credential.
	PlatformToken bool `json:"platform_token,omitempty"`
	// Agent is true for the credentials AI coding agents read (OPENAI_API_KEY,
	// CODEX_ACCESS_TOKEN, ANTHROPIC_API_KEY, …), by name or by the variable holding it.
	Agent bool `json:"agent,omitempty"`
	// Derived is true when the step reads only a part or a transformation of the secret
	// (`fromJSON(secrets.X).field`), which the platform does not mask.
	Derived bool `json:"derived,omitempty"`
	// InventoryNames are the credential inventory names that account for this secret,
	// its own first: GitHub `secrets.NAME`; a GitLab variable or secrets: entry; a
	// CircleCI context or a credential variable a script reads without the file defining
	// it (a context or the project settings provide it) — on CircleCI the job's contexts
	// and the credential variables its steps read account for each other —; a Jenkins
	// credential id.
	// Empty for what needs no entry: the platform's job token, OIDC tokens, variables
	// the file itself defines from other values, every secret at once ("*").
	InventoryNames []string `json:"inventory_names,omitempty"`
	// Pos is where the step gets the secret (the reference, the binding, the variable).
	Pos Pos `json:"pos"`
}

// Parameter is a declared parameter of a CircleCI job, command or pipeline, an input of
// a GitLab CI/CD component (`spec: inputs:`), a build parameter of a Jenkins pipeline
// (declarative `parameters {}`, scripted `properties([parameters([…])])`), or an input
// of a GitHub workflow_dispatch or workflow_call trigger.
type Parameter struct {
	// Name is the parameter's name.
	Name string `json:"name"`
	// Type is the declared type: CircleCI string, boolean, integer, enum, executor,
	// steps, env_var_name; GitLab string (the default), number, boolean, array; Jenkins
	// string, text, password, boolean (booleanParam), choice, or the parameter step's
	// name as written for other kinds; GitHub string (the default), boolean, number,
	// choice, environment.
	Type string `json:"type"`
	// Default is the default value, if one is declared.
	Default *Text `json:"default,omitempty"`
	// Enum lists the allowed values of an enum parameter (GitLab `options:`, Jenkins
	// choice `choices:`, GitHub choice `options:`).
	Enum []string `json:"enum,omitempty"`
	// Pos is the parameter's declaration.
	Pos Pos `json:"pos"`
}

// LiteralSecret is a credential found written literally in a value. The secret itself is
// never stored: only its redacted form and a fingerprint.
type LiteralSecret struct {
	// Rule names the detector rule that matched, e.g. "github-pat" or "credential-key".
	Rule string `json:"rule"`
	// Provider is the provider whose format matched (openai, github, aws, …), if known.
	Provider   string `json:"provider,omitempty"`
	Confidence string `json:"confidence"` // high, medium, low
	// Redacted is the printable form of the secret (public prefix, up to 4 characters,
	// length, short hash).
	Redacted string `json:"redacted"`
	// Fingerprint is a short hash of the secret, stable across files.
	Fingerprint string `json:"fingerprint"`
	// Key is the credential-named key or flag that held the value, when there is one.
	Key string `json:"key,omitempty"`
	// Agent is true when Key is a credential AI coding agents read (OPENAI_API_KEY, …).
	Agent bool `json:"agent,omitempty"`
	// Pos is the span of the secret in the file.
	Pos Pos `json:"pos"`
}

// Command is one simple command of a script after unwrapping of wrappers.
type Command struct {
	// Argv are the command's words after unwrapping; empty for a bare assignment.
	Argv []Word `json:"argv"`
	// Program names the program the command runs, for table lookups: argv[0]'s value
	// without its directory (`/usr/local/bin/codex` → `codex`) and without an npm
	// version (`codex@latest` → `codex`, `@openai/codex@1.2` → `@openai/codex`); empty
	// for a bare assignment.
	Program string `json:"program"`
	// EnvPrefix holds the `NAME=value` assignments before the command (and those of
	// unwrapped `env`/`sudo`).
	EnvPrefix []Var `json:"env_prefix"`
	// Pos is the span of the whole command as written, wrappers included.
	Pos Pos `json:"pos"`
	// WrappedBy lists the wrappers removed to reach this command (sudo, env, npx,
	// timeout, nohup, bash -c, heredoc), outermost first.
	WrappedBy []string `json:"wrapped_by,omitempty"`
	// Stdin is set when the command reads a heredoc or here-string, as literal text.
	Stdin *Text `json:"stdin,omitempty"`
	// StdinRefs lists the references a heredoc expands into the standard input of a
	// command that does not run it as a script (`claude -p <<EOF … $TITLE … EOF`): the
	// variables of an unquoted heredoc's body, as Word.Refs lists them, at Quoting
	// "double" (a body is not split into words), and the CI interpolations of any
	// heredoc's body. A here-string's references are those of its Redirect's Target.
	StdinRefs []Ref `json:"stdin_refs,omitempty"`
	// Piped is true when the command's standard input comes from a pipe.
	Piped bool `json:"piped,omitempty"`
	// Redirects are the command's redirections in order: first those of the compound
	// commands around it (`{ …; } >> "$GITHUB_ENV"`, a loop's `> out`, the `bash -c`
	// command that runs it), then its own, then one per file when its output is piped
	// into a file writer (`| tee FILE`, PowerShell `| Out-File FILE`). Heredocs and
	// here-strings are not inherited: they are the Stdin of the command that has them. At
	// most 16 redirections are inherited (the innermost), against hostile nesting.
	Redirects []Redirect `json:"redirects,omitempty"`
	// Capture is set when the command's standard output does not reach the log but
	// becomes text of the script: the command runs inside a command substitution
	// (`$(…)`, backquotes) or an input process substitution (`<(…)`).
	Capture *Capture `json:"capture,omitempty"`
	// Pipe places the command in a pipeline of two or more stages; nil when it stands
	// alone. The commands of a stage that is a block, subshell, `bash -c` script or
	// heredoc-fed shell share the stage's Pipe; a pipeline nested in a stage gives its
	// commands its own Pipe; the commands of command substitutions have none.
	Pipe *Pipe `json:"pipe,omitempty"`
	// WrapperPackages are the packages that a package runner among the wrappers (npx,
	// pnpx, bunx, `npm exec`, `pnpm dlx`, `yarn dlx`, `bun x`) is told to fetch with
	// `-p`/`--package`, in order: the word after `-p`, or the part of `--package=…` after
	// the `=` (with the Quoting of the whole word and the Refs inside that part). Without
	// them the runner fetches the package that Argv[0] names (`npx @openai/codex@1.2.3`).
	WrapperPackages []Word `json:"wrapper_packages,omitempty"`
	// OutputRun is set when what the command writes to standard output is run as a shell
	// script by another command (see ScriptRun); nil when it is not, or not known to be.
	OutputRun *ScriptRun `json:"output_run,omitempty"`
}

// How a command's output reaches the command that runs it, in ScriptRun.Through.
const (
	ThroughPipe                = "pipe"                 // `curl … | bash`
	ThroughProcessSubstitution = "process-substitution" // `bash <(curl …)`
	ThroughCommandSubstitution = "command-substitution" // `sh -c "$(curl …)"`, `eval "$(curl …)"`
)

// ScriptRun is the command that runs another command's output as a shell script: the
// shell that output is piped into when the shell reads its script from standard input
// (`curl … | bash -s 1.2`, `| sudo sh`, PowerShell `| iex`), the shell or `source` that
// reads the process substitution holding the command as its script file (`bash <(curl
// …) 1.2`), or the command that runs the word holding the command substitution as code
// (`sh -c "$(curl …)"`, `eval "$(curl …)"`, `bash <<< "$(curl …)"`). A command whose
// standard output is redirected elsewhere (`> file`, `>&2`) has none.
type ScriptRun struct {
	// Through says how the output reaches the runner (ThroughPipe, …).
	Through string `json:"through"`
	// Runner is the running command's program as written, after unwrapping: "bash",
	// "sh", "source", ".", "eval", "iex", ….
	Runner string `json:"runner"`
	// Args are the script's positional parameters ($1, $2, …) as the runner passes them:
	// `bash -s -- 1.2`, `bash <(curl …) 1.2` and `sh -c "$(curl …)" sh 1.2` all give
	// ["1.2"] (the $0 of `sh -c` is left out).
	Args []Word `json:"args"`
	// EnvPrefix is the environment the runner command sets for the script (`| VERSION=1.2
	// bash`, `| sudo VERSION=1.2 bash`), as in Command.EnvPrefix.
	EnvPrefix []Var `json:"env_prefix"`
	// Pos spans the running command as written.
	Pos Pos `json:"pos"`
}

// Capture says where the output of a command inside a substitution goes.
type Capture struct {
	// Command is the index in Run.Commands of the command that the substitution is part
	// of (in a word, an env prefix, an assignment or a redirection target; the command
	// is listed before the commands of its substitutions), or -1 when no command of the
	// list holds it (a `for` list, a `case` word, a test, the redirection of a block).
	Command int `json:"command"`
	// Var is the variable the substitution is assigned to when it stands in an
	// assignment's value (`X=$(…)`, `export X="v$(…)"`, `local X=$(…)`).
	Var string `json:"var,omitempty"`
}

// Redirect is one redirection of a command.
type Redirect struct {
	// Op is the operator as written, with its file descriptor when one is written:
	// ">", ">>", "2>", "2>>", "1>>", "&>", "&>>", ">&", "2>&", "<", "<&", "<>", ">|", "<<",
	// "<<-", "<<<", "{fd}>". A descriptor target after `>&`/`<&` is the Target (`2>&1` is
	// Op "2>&", Target "1"). A pipe into a file writer is Op "tee" or "tee -a" (`| tee
	// [-a] FILE`, PowerShell `| Tee-Object [-Append] FILE`), and ">" or ">>" for
	// PowerShell's `| Out-File [-Append] FILE`, which is what `>` does there. PowerShell
	// and cmd redirections use the same spellings (PowerShell adds "*>", "*>>").
	Op string `json:"op"`
	// Target is the file, descriptor or here-string word (with its Refs); nil for
	// heredocs (their body is Command.Stdin).
	Target *Word `json:"target,omitempty"`
	// Pos spans the descriptor, operator and target as written; for a pipe into a file
	// writer it spans the writer's name to the file word.
	Pos Pos `json:"pos"`
}

// Pipe is a command's place in a pipeline.
type Pipe struct {
	// ID identifies the pipeline within one script analysis (Run.Commands of one step,
	// nested `bash -c` scripts included); pipelines are numbered from 1 in the order
	// they are met.
	ID int `json:"id"`
	// Index is the command's stage, 0 for the first; Len is the number of stages. The
	// stage at Index-1 of the same ID feeds the command's stage; the one at Index+1
	// reads its output.
	Index int `json:"index"`
	// Len is the number of stages of the pipeline.
	Len int `json:"len"`
}

// Word is one argv element. Value is the static text; Dynamic is true when part of the
// word is only known at run time (a variable, a command substitution, an interpolation),
// in which case Value holds the static parts with the dynamic parts as written.
type Word struct {
	// Value is the word as the program receives it: quotes removed, escapes decoded, dynamic
	// parts as written.
	Value string `json:"value"`
	// Dynamic is true when part of the word is only known at run time.
	Dynamic bool `json:"dynamic"`
	// Pos is the span of the word as written.
	Pos Pos `json:"pos"`
	// Quoting is how the word is quoted as written: "unquoted", "double", "single"
	// (`$'…'` included) or "mixed" (parts quoted differently, `"$A"-$B`, `FOO="$X"`).
	Quoting string `json:"quoting,omitempty"`
	// Refs lists the variables and CI interpolations the word reads, in the order they
	// are written, with those nested in a parameter expansion (`${A:-$B}` reads A, then
	// B) and the names an arithmetic expansion reads (`$((N + 1))`). References inside a
	// command substitution belong to the words of the commands inside it.
	Refs []Ref `json:"refs,omitempty"`
	// Code is true when the word is run as code by the command that receives it: an
	// argument of `eval`, the script of `sh -c`/`bash -c` when it could not be analysed as
	// a script (it is only known at run time: `sh -c "$CMD"`), a here-string that a shell
	// reads as its script, the arguments of PowerShell `Invoke-Expression`/`iex`, the
	// command line after `cmd /c`. Its Refs are Code too.
	Code bool `json:"code,omitempty"`
}

// Quoting values of Word.Quoting and Ref.Quoting.
const (
	QuotingUnquoted = "unquoted"
	QuotingDouble   = "double"
	QuotingSingle   = "single"
	QuotingMixed    = "mixed" // Word.Quoting only: parts quoted differently
)

// Ref kinds besides the Interpolation kinds (github-expression, gitlab-input,
// circleci-param, groovy), which are used for CI interpolations and for the spans a CI
// template filled in before the shell ran (CircleCI parameters).
const (
	RefShell = "shell" // $X, ${X}, ${X:-default}, ${#X}, ${X[0]}, $env:X, %X%, !X!
)

// Ref is a variable or CI interpolation read by a word.
type Ref struct {
	// Kind is RefShell or an interpolation kind.
	Kind string `json:"kind"`
	// Name is the variable's name for shell references ("X" for `${X:-d}`, `$env:X`,
	// `%X%`), the expression for CI interpolations. Special and positional parameters
	// ($1, $@, $?, $$, $#, $0, $!, $-, $*, $_) are no references; neither are PowerShell
	// variables other than `$env:`, which are not the environment.
	Name string `json:"name"`
	// Quoting is the quoting at the reference's own place: "unquoted", "double" or
	// "single". A shell variable inside single quotes is no reference; a CI
	// interpolation is pasted in before the shell runs, so quotes do not protect it,
	// whatever this says.
	Quoting string `json:"quoting"`
	// Code is true when the reference's text is parsed as code once more: the word is
	// Code (an `eval` argument), or an outer shell expands the reference before another
	// shell parses the result (inside a double-quoted or unquoted `bash -c` script, a
	// here-string or an unquoted heredoc read by a shell), so quotes at its own place do
	// not protect it.
	Code bool `json:"code,omitempty"`
	// Untrusted is true when the reference reads attacker-controlled text (a GitLab
	// $CI_MERGE_REQUEST_TITLE, an untrusted CI context), per internal/untrusted. Script
	// analysis sets it for CI interpolations; the parse pipeline sets it for shell
	// references from the platform's table. On GitHub a shell variable is also
	// Untrusted when the step's environment (`env:` of the step, job or workflow) or a
	// `$GITHUB_ENV` write of an earlier step of the job sets it from attacker-controlled
	// text; From then names the context.
	Untrusted bool `json:"untrusted"`
	// Expansion says what a shell reference yields when that is not the variable's value
	// itself: ExpansionPart, ExpansionTransform or ExpansionOther. It is empty for the
	// value (`$X`, `${X}`, `${X:-d}`, `${X:=d}`, `${X:?msg}`, `${X[0]}`, `$env:X`, `%X%`)
	// and for CI interpolations.
	Expansion string `json:"expansion,omitempty"`
	// AuthorControlled is true when the reference reads text that only people who can
	// start the pipeline set (see ContextRef.AuthorControlled): a CI interpolation that
	// is, a GitHub variable set from one the way Untrusted says.
	AuthorControlled bool `json:"author_controlled,omitempty"`
	// From names the context a shell variable's value was followed to when that made
	// it Untrusted or AuthorControlled (`github.event.issue.body` for `$PROMPT` set by
	// `env: PROMPT: ${{ github.event.issue.body }}`).
	From string `json:"from,omitempty"`
	// RefName is true when the untrusted value is a git branch or tag name
	// ($CI_COMMIT_BRANCH, $CIRCLE_BRANCH, $BRANCH_NAME, a variable set from
	// `github.head_ref`), per internal/untrusted. Git refuses ref names with blanks,
	// `*`, `?` or `[`, or a leading `-`, so an unquoted expansion of one still yields
	// one word that is not an option; a shell that parses it as code (Code) is still
	// exposed to everything else it may hold (`$(…)`, `;`, backquotes).
	RefName bool `json:"ref_name,omitempty"`
	// Pos spans the reference as written (`$X`, `${X:-d}`, `$env:X`, `%X%`, the whole
	// `${{ … }}`), or the substituted bytes of a CI template substitution.
	Pos Pos `json:"pos"`
}

// Expansion values of Ref.Expansion.
const (
	// ExpansionPart is a part of the value: `${X:1:4}`, `${X#p}`, `${X##p}`, `${X%p}`,
	// `${X%%p}`, cmd `%X:~0,4%`.
	ExpansionPart = "part"
	// ExpansionTransform is the value rewritten: `${X/a/b}`, `${X^^}`, `${X,,}`,
	// `${X@Q}`, cmd `%X:a=b%`.
	ExpansionTransform = "transform"
	// ExpansionOther is something else than the value's text: `${#X}` (its length),
	// `${!X}` (the variable X names), `${!X*}` (variable names), `${X:+w}` (w).
	ExpansionOther = "other"
)

// SecretRef kinds.
const (
	SecretGitHub   = "github-secret"
	SecretGitLab   = "gitlab-variable"
	SecretCircleCI = "circleci-context"
	SecretJenkins  = "jenkins-credential"
	SecretVault    = "vault"
	SecretOIDC     = "oidc"
	// SecretVariable is a credential-named variable whose value pipeguard cannot name as
	// a stored secret (a literal, a value built from other variables, a project variable
	// that only the platform's settings define).
	SecretVariable = "variable"
)

// SecretRef is a reference to a secret stored outside the file.
type SecretRef struct {
	// Kind says where the secret is stored (the Secret constants).
	Kind string `json:"kind"`
	// Name is the secret's name on its platform.
	Name string `json:"name"`
	// Pos is the reference.
	Pos Pos `json:"pos"`
}

// Via records one hop of how a value arrived at its place: a YAML alias or merge, a
// GitLab extends or !reference, a CircleCI command or executor expansion, an include.
type Via struct {
	Kind string `json:"kind"` // alias, merge, extends, reference, include, command, executor, default
	// Name is the anchor, template, job, command or parameter the value came through.
	Name string `json:"name"`
	// File is the file of the hop when it is another file (a GitLab include).
	File string `json:"file,omitempty"`
	// Pos is where the hop is written (the alias, the `extends:` entry, the command call).
	Pos Pos `json:"pos"`
}
