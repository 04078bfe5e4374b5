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
	Platform string `json:"platform"`
	// File is the path as reported in findings: relative to the scan root, slash-separated.
	File string `json:"file"`
	Kind string `json:"kind"`
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
	// Inputs are the declared inputs of a composite action or reusable workflow.
	Inputs []Var `json:"inputs"`
	// Values are literal values of the file that no other field of the model carries
	// (names, descriptions, unknown keys), kept so that rules looking for literals
	// anywhere in the file still see them. Name is the dotted key path.
	Values []Var `json:"values"`
	Jobs   []Job `json:"jobs"`
	// FoundSecrets lists every LiteralSecret of the model with its job and step. Parsers
	// leave it empty; the engine fills it (FindSecrets) when it builds the Rego input.
	FoundSecrets []FoundSecret `json:"found_secrets,omitempty"`
}

// Trust levels of a Trigger.
const (
	TrustUntrusted = "untrusted" // text or code from a fork or outsider can reach the run
	TrustTrusted   = "trusted"   // only people with write access can start it
	TrustInternal  = "internal"  // started by the platform or another pipeline
)

// Trigger is one event that starts a pipeline.
type Trigger struct {
	Event string `json:"event"`
	Trust string `json:"trust"`
	// Filters holds event filters such as branches or types, as written.
	Filters []string `json:"filters,omitempty"`
	Pos     Pos      `json:"pos"`
}

// Permissions is a token permission block. All is set for the shorthand forms
// (`read-all`, `write-all`, `{}` as "none").
type Permissions struct {
	All    string            `json:"all,omitempty"`
	Scopes map[string]string `json:"scopes,omitempty"`
	Pos    Pos               `json:"pos"`
}

// Include is one file pulled in by the pipeline.
type Include struct {
	Kind     string `json:"kind"`   // local, remote, project, template, component, library, load
	Target   string `json:"target"` // path, URL, project or library name as written
	Resolved bool   `json:"resolved"`
	Pos      Pos    `json:"pos"`
}

// Unresolved is something the parser knows about but could not see into.
type Unresolved struct {
	Kind   string `json:"kind"` // include, orb, library, reusable-workflow, extends, …
	Name   string `json:"name"`
	Reason string `json:"reason,omitempty"`
	Pos    Pos    `json:"pos"`
}

// ParseError is a problem that made (part of) the file unreadable.
type ParseError struct {
	Message string `json:"message"`
	Pos     Pos    `json:"pos"`
	// Partial is true when only one value could not be analysed (a script the shell
	// parser rejects, say) and the rest of the file was read.
	Partial bool `json:"partial,omitempty"`
}

// Job is one unit of work that runs on one runner.
type Job struct {
	ID        string   `json:"id"`
	Name      string   `json:"name,omitempty"`
	Pos       Pos      `json:"pos"`
	Condition *Text    `json:"condition,omitempty"`
	Needs     []string `json:"needs"`
	// Environment is the deployment environment (GitHub/GitLab `environment:`).
	Environment *Environment `json:"environment,omitempty"`
	Runner      Runner       `json:"runner"`
	Env         []Var        `json:"env"`
	Secrets     []SecretRef  `json:"secrets"`
	// Credentials are credential bindings made available to the job's steps (Jenkins
	// withCredentials, GitLab secrets:/id_tokens, CircleCI contexts, container logins).
	Credentials []Credential `json:"credentials"`
	// Contexts are CircleCI contexts given to the job by a workflow.
	Contexts    []string     `json:"contexts"`
	Permissions *Permissions `json:"permissions,omitempty"`
	Artifacts   []Artifact   `json:"artifacts"`
	// Uses is set when the job calls a reusable workflow instead of running steps.
	Uses *Uses `json:"uses,omitempty"`
	// With holds the inputs passed to a reusable workflow.
	With []Var `json:"with"`
	// SecretsInherit is true for `secrets: inherit` on a reusable-workflow call.
	SecretsInherit bool `json:"secrets_inherit"`
	// Triggers narrows the pipeline triggers for this job (GitLab rules, Jenkins
	// when { changeRequest() }); empty means the job runs on every pipeline trigger.
	Triggers []Trigger `json:"triggers"`
	Steps    []Step    `json:"steps"`
	// Incomplete is true when part of the job's definition could not be seen
	// (an extends target in a remote include, an orb job, …).
	Incomplete bool  `json:"incomplete"`
	Via        []Via `json:"via"`
}

// Environment is a deployment environment.
type Environment struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
	Pos  Pos    `json:"pos"`
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
	Kind      string   `json:"kind"`
	Isolation string   `json:"isolation"`
	Image     string   `json:"image,omitempty"`
	Labels    []string `json:"labels"`
	// Privileged, MountsDockerSocket and HostNetwork describe a container that does not
	// isolate the job from its host; any of them makes Isolation "none".
	Privileged         bool `json:"privileged"`
	MountsDockerSocket bool `json:"mounts_docker_socket"`
	HostNetwork        bool `json:"host_network"`
	// Credentials holds registry credentials of the job's container and services.
	Credentials []Var `json:"credentials"`
	// Services are sidecar containers (GitHub services:, GitLab services:).
	Services []Service `json:"services"`
	Pos      Pos       `json:"pos"`
}

// Service is a sidecar container of a job.
type Service struct {
	Name        string `json:"name"`
	Image       string `json:"image,omitempty"`
	Env         []Var  `json:"env"`
	Credentials []Var  `json:"credentials"`
	Pos         Pos    `json:"pos"`
}

// Credential is a credential binding made available to a job or step.
type Credential struct {
	Kind string   `json:"kind"` // jenkins-credentials, gitlab-secret, id-token, circleci-context, docker-login, ssh-agent, …
	ID   string   `json:"id"`
	Vars []string `json:"vars"`
	Pos  Pos      `json:"pos"`
}

// Artifact is a set of paths a job uploads.
type Artifact struct {
	Paths     []string `json:"paths"`
	Untracked bool     `json:"untracked,omitempty"`
	ExpireIn  *Text    `json:"expire_in,omitempty"`
	Pos       Pos      `json:"pos"`
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
	Kind      string `json:"kind"`
	Name      string `json:"name,omitempty"`
	ID        string `json:"id,omitempty"`
	Pos       Pos    `json:"pos"`
	Condition *Text  `json:"condition,omitempty"`
	Env       []Var  `json:"env"`
	Run       *Run   `json:"run,omitempty"`
	Uses      *Uses  `json:"uses,omitempty"`
	With      []Var  `json:"with"`
	// Always is true for steps that run whatever happened before (post { always },
	// `if: always()`, after_script, `when: always`).
	Always bool `json:"always"`
	// StringKind is the Groovy string kind of a Jenkins step's script or first string
	// argument: single, double, triple-single, triple-double, slashy or dollar-slashy.
	// Double and triple-double strings are interpolated by Groovy before the step runs.
	StringKind string `json:"string_kind,omitempty"`
	Via        []Via  `json:"via"`
}

// Run is a shell script step.
type Run struct {
	Shell    string    `json:"shell"`
	Script   Text      `json:"script"`
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
	Ref     string `json:"ref"` // as written
	Owner   string `json:"owner,omitempty"`
	Repo    string `json:"repo,omitempty"`
	Path    string `json:"path,omitempty"`
	Version string `json:"version,omitempty"`
	RefKind string `json:"ref_kind"`
	// Local is true for `./path` references into the same repository.
	Local bool `json:"local,omitempty"`
	// Docker is true for `docker://image` references.
	Docker bool `json:"docker,omitempty"`
	Pos    Pos  `json:"pos"`
}

// Var is a named value: an environment variable, an input, a variable.
type Var struct {
	Name  string `json:"name"`
	Pos   Pos    `json:"pos"` // position of the name (the key)
	Value Text   `json:"value"`
	// SecretRef is set when the value is exactly a reference to a stored secret.
	SecretRef *SecretRef `json:"secret_ref,omitempty"`
	Via       []Via      `json:"via,omitempty"`
}

// Text is a string value of the file together with what analysis found in it.
type Text struct {
	Value string `json:"value"`
	Pos   Pos    `json:"pos"`
	// Literal is true when the value contains no interpolation or variable reference.
	Literal        bool            `json:"literal"`
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
	Expr string `json:"expr"`
	Kind string `json:"kind"`
	// Untrusted is true when the expression reads an attacker-controlled context (an
	// issue title, a branch name, a commit message, …), per the policies' table
	// policies/lib/contexts.json.
	Untrusted bool `json:"untrusted"`
	Pos       Pos  `json:"pos"`
}

// LiteralSecret is a credential found written literally in a value. The secret itself is
// never stored: only its redacted form and a fingerprint.
type LiteralSecret struct {
	// Rule names the detector rule that matched, e.g. "github-pat" or "credential-key".
	Rule       string `json:"rule"`
	Provider   string `json:"provider,omitempty"`
	Confidence string `json:"confidence"` // high, medium, low
	Redacted   string `json:"redacted"`
	// Fingerprint is a short hash of the secret, stable across files.
	Fingerprint string `json:"fingerprint"`
	// Key is the credential-named key or flag that held the value, when there is one.
	Key string `json:"key,omitempty"`
	Pos Pos    `json:"pos"`
}

// Command is one simple command of a script after unwrapping of wrappers.
type Command struct {
	Argv      []Word `json:"argv"`
	EnvPrefix []Var  `json:"env_prefix"`
	Pos       Pos    `json:"pos"`
	// WrappedBy lists the wrappers removed to reach this command (sudo, env, npx,
	// timeout, nohup, bash -c, heredoc), outermost first.
	WrappedBy []string `json:"wrapped_by,omitempty"`
	// Stdin is set when the command reads a heredoc or here-string, as literal text.
	Stdin *Text `json:"stdin,omitempty"`
	// Piped is true when the command's standard input comes from a pipe.
	Piped bool `json:"piped,omitempty"`
}

// Word is one argv element. Value is the static text; Dynamic is true when part of the
// word is only known at run time (a variable, a command substitution, an interpolation),
// in which case Value holds the static parts with the dynamic parts as written.
type Word struct {
	Value   string `json:"value"`
	Dynamic bool   `json:"dynamic"`
	Pos     Pos    `json:"pos"`
}

// SecretRef kinds.
const (
	SecretGitHub   = "github-secret"
	SecretGitLab   = "gitlab-variable"
	SecretCircleCI = "circleci-context"
	SecretJenkins  = "jenkins-credential"
	SecretVault    = "vault"
	SecretOIDC     = "oidc"
)

// SecretRef is a reference to a secret stored outside the file.
type SecretRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Pos  Pos    `json:"pos"`
}

// Via records one hop of how a value arrived at its place: a YAML alias or merge, a
// GitLab extends or !reference, a CircleCI command or executor expansion, an include.
type Via struct {
	Kind string `json:"kind"` // alias, merge, extends, reference, include, command, executor, default
	Name string `json:"name"`
	File string `json:"file,omitempty"`
	Pos  Pos    `json:"pos"`
}
