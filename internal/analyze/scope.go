package analyze

import (
	"slices"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/secrets"
	"github.com/pipeguard/pipeguard/internal/untrusted"
)

// Complete fills in the facts that every platform shares, once a parser has built p:
//
//   - Step.Label for every step (model.StepLabel);
//   - Var.Credential for every variable, by the secret detector's name table;
//   - Ref.Untrusted and Ref.RefName of shell variable references, by the platform's
//     table of attacker-controlled variables (internal/untrusted);
//   - Step.ControlledText once the references are marked, and Job.ControlledText;
//   - Step.EffectiveEnv: the pipeline's, job's and step's variables merged by name, the
//     innermost definition winning;
//   - Step.SecretsInScope: every secret the step can read — secret references in its
//     effective environment, its `with:` inputs and its script; credential-named
//     variables; the credentials bound to the job or the step — with the names a
//     credential inventory lists each under (ScopedSecret.InventoryNames);
//   - Job.PassedSecrets: the secrets a reusable-workflow call passes on.
func Complete(p *model.Pipeline) {
	markCredentials(p.Env)
	markCredentials(p.Inputs)
	for i := range p.Jobs {
		job := &p.Jobs[i]
		markCredentials(job.Env)
		markCredentials(job.With)
		markCredentials(job.Outputs)
		if job.Uses != nil {
			job.PassedSecrets = passedSecrets(p.Platform, job.With)
		}
		stepScoped := stepScopedCredentials(job)
		for k := range job.Steps {
			step := &job.Steps[k]
			step.Label = model.StepLabel(*step, k)
			markCredentials(step.Env)
			markCredentials(step.With)
			if step.Run != nil {
				markCommands(p.Platform, step.Run.Commands)
			}
			step.ControlledText = controlledText(step)
			job.ControlledText = job.ControlledText || step.ControlledText
			step.EffectiveEnv = effectiveEnv(p.Env, job.Env, step.Env)
			step.SecretsInScope = secretsInScope(p, job, step, stepScoped)
		}
		setInventoryNames(p.Platform, job)
	}
}

// markCredentials sets Var.Credential on vars.
func markCredentials(vars []model.Var) {
	for i := range vars {
		vars[i].Credential = secrets.IsCredentialName(vars[i].Name)
	}
}

// markCommands sets Var.Credential on env prefixes and Ref.Untrusted on the shell
// references of every word and env prefix.
func markCommands(platform string, cmds []model.Command) {
	for i := range cmds {
		c := &cmds[i]
		markCredentials(c.EnvPrefix)
		for e := range c.EnvPrefix {
			markRefs(platform, c.EnvPrefix[e].Refs)
		}
		for w := range c.Argv {
			markRefs(platform, c.Argv[w].Refs)
		}
		markRefs(platform, c.StdinRefs)
		for r := range c.Redirects {
			if t := c.Redirects[r].Target; t != nil {
				markRefs(platform, t.Refs)
			}
		}
	}
}

// markRefs marks the shell references of refs that read an attacker-controlled variable
// of the platform's table, keeping what the parser already found (a GitHub variable set
// from an untrusted context).
func markRefs(platform string, refs []model.Ref) {
	for i := range refs {
		r := &refs[i]
		if r.Kind == model.RefShell && untrusted.Variable(platform, r.Name) {
			r.Untrusted = true
			r.RefName = untrusted.RefName(platform, r.Name)
		}
	}
}

// controlledText reports whether a value of step carries untrusted or author-controlled
// text (model.Step.ControlledText).
func controlledText(step *model.Step) bool {
	if step.Run != nil {
		if controlledInterpolations(step.Run.Script.Interpolations) {
			return true
		}
		for _, c := range step.Run.Commands {
			if controlledCommand(c) {
				return true
			}
		}
	}
	for _, vars := range [][]model.Var{step.With, step.Env} {
		for _, v := range vars {
			if controlledInterpolations(v.Value.Interpolations) {
				return true
			}
		}
	}
	return false
}

// controlledInterpolations reports whether one of list reads controlled text.
func controlledInterpolations(list []model.Interpolation) bool {
	return slices.ContainsFunc(list, func(in model.Interpolation) bool { return in.Untrusted || in.AuthorControlled })
}

// controlledCommand reports whether a command reads controlled text: in its words,
// its standard input or its redirection targets.
func controlledCommand(c model.Command) bool {
	if controlledRefs(c.StdinRefs) || c.Stdin != nil && controlledInterpolations(c.Stdin.Interpolations) {
		return true
	}
	for _, w := range c.Argv {
		if controlledRefs(w.Refs) {
			return true
		}
	}
	for _, r := range c.Redirects {
		if r.Target != nil && controlledRefs(r.Target.Refs) {
			return true
		}
	}
	return false
}

// controlledRefs reports whether one of refs reads controlled text.
func controlledRefs(refs []model.Ref) bool {
	return slices.ContainsFunc(refs, func(r model.Ref) bool { return r.Untrusted || r.AuthorControlled })
}

// effectiveEnv merges environment levels, outermost first; a later definition of a name
// replaces an earlier one in place.
func effectiveEnv(levels ...[]model.Var) []*model.Var {
	n := 0
	for _, l := range levels {
		n += len(l)
	}
	if n == 0 {
		return nil
	}
	out := make([]*model.Var, 0, n)
	index := make(map[string]int, n)
	for _, l := range levels {
		for i := range l {
			v := &l[i]
			if at, ok := index[v.Name]; ok {
				out[at] = v
				continue
			}
			index[v.Name] = len(out)
			out = append(out, v)
		}
	}
	return out
}

// stepScopedCredentials returns the credentials of job that some step holds in its own
// Step.Credentials: those are not in scope of the job's other steps.
func stepScopedCredentials(job *model.Job) map[credentialID]bool {
	scoped := map[credentialID]bool{}
	for _, st := range job.Steps {
		for _, c := range st.Credentials {
			scoped[credentialKey(c)] = true
		}
	}
	return scoped
}

// credentialID identifies a credential binding.
type credentialID struct {
	kind, id string
	pos      model.Pos
}

func credentialKey(c model.Credential) credentialID { return credentialID{c.Kind, c.ID, c.Pos} }

// scopeBuilder collects a step's secrets, each (name, source, var, position) once.
type scopeBuilder struct {
	platform string
	out      []model.ScopedSecret
	seen     map[scopedKey]bool
	// vars are the variable names already known to hold a named secret.
	vars map[string]bool
}

// scopedKey identifies a ScopedSecret (Agent follows from the names).
type scopedKey struct {
	name, kind, source, variable string
	platformToken                bool
	pos                          model.Pos
}

func (b *scopeBuilder) add(s model.ScopedSecret) {
	s.Agent = secrets.IsAgentCredential(s.Name) || (s.Var != "" && secrets.IsAgentCredential(s.Var))
	s.PlatformToken = s.PlatformToken || isPlatformToken(b.platform, s.Name)
	k := scopedKey{s.Name, s.Kind, s.Source, s.Var, s.PlatformToken, s.Pos}
	if b.seen[k] {
		return
	}
	b.seen[k] = true
	b.out = append(b.out, s)
	if s.Var != "" {
		b.vars[s.Var] = true
	}
}

// secretsInScope lists what step can read.
func secretsInScope(p *model.Pipeline, job *model.Job, step *model.Step, stepScoped map[credentialID]bool) []model.ScopedSecret {
	b := &scopeBuilder{platform: p.Platform, seen: map[scopedKey]bool{}, vars: map[string]bool{}}
	levels := []struct {
		source string
		vars   []model.Var
	}{{model.SourcePipelineEnv, p.Env}, {model.SourceJobEnv, job.Env}, {model.SourceStepEnv, step.Env}}
	winner := map[*model.Var]bool{}
	for _, v := range step.EffectiveEnv {
		winner[v] = true
	}
	for _, level := range levels {
		for i := range level.vars {
			if v := &level.vars[i]; winner[v] {
				b.fromVar(level.source, v)
			}
		}
	}
	for i := range step.With {
		b.fromVar(model.SourceWith, &step.With[i])
	}
	if step.Run != nil {
		b.fromText(model.SourceScript, "", step.Run.Script)
		if p.Platform != model.PlatformGitHub { // GitHub scripts get secrets only through ${{ secrets }}
			b.fromCommands(step.Run.Commands)
		}
	}
	for _, c := range job.Credentials {
		if !stepScoped[credentialKey(c)] {
			b.fromCredential(c)
		}
	}
	for _, c := range step.Credentials {
		b.fromCredential(c)
	}
	return b.out
}

// passedSecrets lists the secrets that the inputs with of a reusable-workflow call read.
func passedSecrets(platform string, with []model.Var) []model.ScopedSecret {
	b := &scopeBuilder{platform: platform, seen: map[scopedKey]bool{}, vars: map[string]bool{}}
	for i := range with {
		b.fromVar(model.SourceWith, &with[i])
	}
	return b.out
}

// setInventoryNames fills ScopedSecret.InventoryNames of a job's secrets: the names a
// credential inventory may list them under. A script's read of a variable that holds an
// OIDC token needs no entry either. On CircleCI the job's contexts and the
// credential variables its steps read account for each other, since a context provides
// variables.
func setInventoryNames(platform string, job *model.Job) {
	var contexts, variables []string
	oidcVars := map[string]bool{} // variables that hold an OIDC token (GitLab id_tokens)
	for _, step := range job.Steps {
		for _, s := range step.SecretsInScope {
			switch {
			case s.Kind == model.SecretOIDC && s.Var != "":
				oidcVars[s.Var] = true
			case platform != model.PlatformCircleCI:
			case s.Kind == model.SecretCircleCI:
				contexts = appendNew(contexts, s.Name)
			case isProvidedVariable(s):
				variables = appendNew(variables, s.Name)
			}
		}
	}
	for k := range job.Steps {
		scoped := job.Steps[k].SecretsInScope
		for i := range scoped {
			s := &scoped[i]
			switch {
			case s.PlatformToken || s.Kind == model.SecretOIDC || (s.Source == model.SourceVariable && oidcVars[s.Name]) || s.Name == "*":
			case s.Kind == model.SecretCircleCI:
				s.InventoryNames = withAlternatives(s.Name, variables)
			case isProvidedVariable(*s):
				s.InventoryNames = withAlternatives(s.Name, contexts)
			case s.Kind == model.SecretGitHub, s.Kind == model.SecretGitLab, s.Kind == model.SecretJenkins, s.Kind == model.SecretVault:
				s.InventoryNames = []string{s.Name}
			}
		}
	}
}

// isProvidedVariable reports whether s is a CircleCI credential variable that a script
// reads without the file defining it: a context or the project settings provide it.
func isProvidedVariable(s model.ScopedSecret) bool {
	return s.Kind == model.SecretVariable && s.Source == model.SourceVariable
}

// withAlternatives returns name followed by the other names of alts.
func withAlternatives(name string, alts []string) []string {
	out := make([]string, 1, 1+len(alts))
	out[0] = name
	for _, a := range alts {
		if a != name {
			out = append(out, a)
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// fromVar adds the secret a variable holds: its exact reference, the secrets its value's
// expressions read, or the variable itself when its name says it is a credential (and
// its value is not a literal placeholder or switch).
func (b *scopeBuilder) fromVar(source string, v *model.Var) {
	if v.SecretRef != nil {
		b.add(model.ScopedSecret{Name: v.SecretRef.Name, Kind: v.SecretRef.Kind, Source: source, Var: v.Name, Pos: v.SecretRef.Pos})
		return
	}
	before := len(b.out)
	b.fromText(source, v.Name, v.Value)
	if len(b.out) == before && v.Credential && strings.TrimSpace(v.Value.Value) != "" && !isPlaceholderLiteral(v.Value) {
		b.add(model.ScopedSecret{Name: v.Name, Kind: model.SecretVariable, Source: source, Var: v.Name, Pos: v.Pos})
	}
}

// isPlaceholderLiteral reports whether a value is a literal that holds no credential
// (`FF_USE_GIT_PROACTIVE_AUTH: true`, `TOKEN: none`): a credential-named switch or
// placeholder is no secret in scope.
func isPlaceholderLiteral(t model.Text) bool {
	return t.Literal && secrets.IsPlaceholder(t.Value)
}

// fromText adds the secrets a value's interpolations read: GitHub `secrets.X` contexts
// (and `github.token`) whose value can reach the text (not `secrets.X == 'yes'`), every
// secret for `toJSON(secrets)` and `secrets[x]` (named "*"), and
// credential-named variables of Groovy GStrings (`"$PASS"`, `"${env.TOKEN}"`) that no
// named secret explains.
func (b *scopeBuilder) fromText(source, varName string, t model.Text) {
	for _, in := range t.Interpolations {
		for _, c := range in.Contexts {
			switch {
			case c.Opaque:
			case in.Kind == model.InterpGitHub && readsEverySecret(c):
				b.add(model.ScopedSecret{Name: "*", Kind: model.SecretGitHub, Source: source, Var: varName, Pos: c.Pos})
			case in.Kind == model.InterpGitHub && strings.HasPrefix(c.Path, "secrets."):
				b.add(model.ScopedSecret{Name: strings.TrimPrefix(c.Path, "secrets."), Kind: model.SecretGitHub, Source: source, Var: varName, Derived: c.Derived, Pos: c.Pos})
			case in.Kind == model.InterpGitHub && c.Path == "github.token":
				b.add(model.ScopedSecret{Name: "GITHUB_TOKEN", Kind: model.SecretGitHub, Source: source, Var: varName, PlatformToken: true, Pos: c.Pos})
			case in.Kind == model.InterpGroovy:
				name := strings.TrimPrefix(c.Path, "env.")
				if !strings.Contains(name, ".") && !b.vars[name] && secrets.IsCredentialName(name) {
					b.add(model.ScopedSecret{Name: name, Kind: model.SecretVariable, Source: source, Var: name, Pos: c.Pos})
				}
			}
		}
	}
}

// readsEverySecret reports whether a GitHub context reads the whole secrets context:
// `toJSON(secrets)`, or a secret whose name is only known at run time (`secrets[x]`).
func readsEverySecret(c model.ContextRef) bool {
	return c.Path == "secrets" && c.Whole || strings.HasPrefix(c.Path, "secrets.") && c.Computed
}

// fromCommands adds the credential-named variables a script reads that no named secret
// explains (a GitLab project variable, a CircleCI context variable, a Jenkins binding
// the parser could not see).
func (b *scopeBuilder) fromCommands(cmds []model.Command) {
	for _, c := range cmds {
		for _, v := range c.EnvPrefix {
			b.fromRefs(v.Refs)
		}
		for _, w := range c.Argv {
			b.fromRefs(w.Refs)
		}
		for _, r := range c.Redirects {
			if r.Target != nil {
				b.fromRefs(r.Target.Refs)
			}
		}
	}
}

func (b *scopeBuilder) fromRefs(refs []model.Ref) {
	for _, r := range refs {
		if r.Kind != model.RefShell || b.vars[r.Name] || !secrets.IsCredentialName(r.Name) {
			continue
		}
		b.add(model.ScopedSecret{Name: r.Name, Kind: variableKind(b.platform), Source: model.SourceVariable, Var: r.Name, Pos: r.Pos})
	}
}

// fromCredential adds a credential binding (a CircleCI context, a GitLab secrets: or
// id_tokens: entry, a Jenkins binding).
func (b *scopeBuilder) fromCredential(c model.Credential) {
	kind := model.SecretVariable
	switch c.Kind {
	case "circleci-context":
		kind = model.SecretCircleCI
	case "gitlab-secret":
		kind = model.SecretGitLab
	case "id-token":
		kind = model.SecretOIDC
	case "jenkins-credentials", "ssh-agent", "docker-login":
		kind = model.SecretJenkins
	}
	if len(c.Vars) == 0 {
		b.add(model.ScopedSecret{Name: c.ID, Kind: kind, Source: model.SourceCredential, Pos: c.Pos})
		return
	}
	for _, v := range c.Vars {
		b.add(model.ScopedSecret{Name: c.ID, Kind: kind, Source: model.SourceCredential, Var: v, Pos: c.Pos})
	}
}

// variableKind is the kind of a credential-named variable read by a script on platform.
func variableKind(platform string) string {
	if platform == model.PlatformGitLab {
		return model.SecretGitLab
	}
	return model.SecretVariable
}

// isPlatformToken reports whether name is the platform's own short-lived job token.
func isPlatformToken(platform, name string) bool {
	switch platform {
	case model.PlatformGitHub:
		return name == "GITHUB_TOKEN"
	case model.PlatformGitLab:
		return name == "CI_JOB_TOKEN" || name == "CI_REGISTRY_PASSWORD"
	}
	return false
}
