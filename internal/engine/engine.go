// Package engine loads pipeguard's Rego policies, reads their rule metadata, compiles and
// prepares them once, and evaluates them over normalized pipelines.
//
// Guarantees:
//   - Policies run with a restricted capability set: no network builtins (http.send,
//     net.*) and no opa.runtime (which exposes the environment), for built-in and user
//     policies alike, so a repository being scanned can never reach the network or read
//     the environment through a policy.
//   - Every rule is its own prepared query, evaluated on its own: a rule that fails at
//     run time (a conflict, a type error, a deadline) becomes a RuleError naming the rule
//     and the file, and every other rule's findings for that file are still returned.
//   - A rule runs only on files of the platforms its metadata lists.
//   - A finding with an unknown severity, persona or confidence, an unknown key, or
//     without msg or pos is a RuleError, never a silently dropped or misplaced finding.
//   - Policies are type-checked against the input schema (model.InputSchema): a policy
//     that reads a field the model does not have fails to compile, naming the field.
//
// A rule may also define `deny_repository`, evaluated once per repository after every
// file was evaluated, over `input.repository` (model.Repository).
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/policies"
)

// RulePackagePrefix is the Rego package prefix every rule lives under. A rule with id
// `hardcoded-token` is the package `pipeguard.rules.hardcoded_token`.
const RulePackagePrefix = "pipeguard.rules."

// DefaultTimeout bounds the evaluation of every rule over one file.
const DefaultTimeout = 5 * time.Second

// Engine evaluates compiled policies. It is safe for concurrent use.
type Engine struct {
	rules    []model.Rule
	compiled []compiledRule
	timeout  time.Duration
	// modules holds every loaded module (tests included), for `policy test`.
	modules map[string]*ast.Module
	data    map[string]any
}

// compiledRule is one rule's metadata with its prepared queries.
type compiledRule struct {
	meta      *model.Rule
	platforms map[string]bool
	deny      rego.PreparedEvalQuery
	// repository is set when the rule defines deny_repository.
	repository *rego.PreparedEvalQuery
}

// Options says which policies to load besides the built-in ones.
type Options struct {
	// PolicyDirs are user policy directories (--policy), loaded as OPA loads a
	// directory: .rego files are modules, .json/.yaml files data under their directory.
	PolicyDirs []string
	// Timeout bounds the evaluation of all rules over one file (DefaultTimeout if zero).
	Timeout time.Duration
}

// Load reads, compiles and prepares the built-in policies and those of opts. It is meant
// to be called once per process.
func Load(ctx context.Context, opts Options) (*Engine, error) {
	set := newPolicySet()
	if err := set.add(policies.FS, ".", builtinPrefix, true); err != nil {
		return nil, err
	}
	for _, dir := range opts.PolicyDirs {
		if err := set.addDir(dir); err != nil {
			return nil, err
		}
	}
	rules, err := set.rules()
	if err != nil {
		return nil, err
	}
	schemas, err := inputSchemaSet()
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithCapabilities(Capabilities()).WithSchemas(schemas).WithEnablePrintStatements(false)
	compiler.Compile(set.evalModules())
	if compiler.Failed() {
		return nil, fmt.Errorf("compile policies: %w", compiler.Errors)
	}
	e := &Engine{rules: rules, modules: set.modules, data: set.data, timeout: opts.Timeout}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	store := inmem.NewFromObject(set.data)
	for i := range e.rules {
		c, err := prepareRule(ctx, &e.rules[i], compiler, store)
		if err != nil {
			return nil, err
		}
		e.compiled = append(e.compiled, c)
	}
	return e, nil
}

// prepareRule prepares the deny (and deny_repository) query of one rule.
func prepareRule(ctx context.Context, r *model.Rule, compiler *ast.Compiler, store storage.Store) (compiledRule, error) {
	c := compiledRule{meta: r, platforms: map[string]bool{}}
	for _, p := range r.Platforms {
		c.platforms[p] = true
	}
	prepare := func(name string) (rego.PreparedEvalQuery, error) {
		return rego.New(
			rego.Query("data."+r.Package+"."+name),
			rego.Compiler(compiler),
			rego.Store(store),
			rego.Capabilities(Capabilities()),
		).PrepareForEval(ctx)
	}
	var err error
	if c.deny, err = prepare("deny"); err != nil {
		return c, fmt.Errorf("prepare rule %s: %w", r.ID, err)
	}
	if defines(compiler, r.Package, "deny_repository") {
		q, err := prepare("deny_repository")
		if err != nil {
			return c, fmt.Errorf("prepare rule %s: %w", r.ID, err)
		}
		c.repository = &q
	}
	return c, nil
}

// defines reports whether package pkg has a rule named name.
func defines(compiler *ast.Compiler, pkg, name string) bool {
	ref := ast.MustParseRef("data." + pkg + "." + name)
	return len(compiler.GetRulesExact(ref)) > 0
}

// Capabilities returns the capability set policies are compiled with: this OPA
// version's builtins minus every builtin that reaches the network or the environment.
func Capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if isForbiddenBuiltin(b.Name) {
			continue
		}
		kept = append(kept, b)
	}
	caps.Builtins = kept
	caps.AllowNet = []string{}
	return caps
}

func isForbiddenBuiltin(name string) bool {
	return name == "http.send" || name == "opa.runtime" || strings.HasPrefix(name, "net.")
}

// HasRepositoryRules reports whether any rule defines deny_repository.
func (e *Engine) HasRepositoryRules() bool {
	for _, c := range e.compiled {
		if c.repository != nil {
			return true
		}
	}
	return false
}

// Rules returns the metadata of every loaded rule, sorted by id.
func (e *Engine) Rules() []model.Rule { return e.rules }

// Rule returns the metadata of the rule with id.
func (e *Engine) Rule(id string) (model.Rule, bool) {
	for _, r := range e.rules {
		if r.ID == id {
			return r, true
		}
	}
	return model.Rule{}, false
}

// Modules returns every loaded Rego module, tests included, keyed by file name.
func (e *Engine) Modules() map[string]*ast.Module { return e.modules }

// Store returns a fresh store holding the policies' data documents.
func (e *Engine) Store() storage.Store { return inmem.NewFromObject(e.data) }

// Evaluated is a finding together with the persona it is meant for.
type Evaluated struct {
	model.Finding
	// Persona is the rule's persona, or the finding's own when the rule changed it.
	Persona string
}

// RuleError is a rule that failed on one file (or one repository): the rule's other
// files and the other rules are unaffected.
type RuleError struct {
	Rule string
	// File is the file (or, for the repository pass, the repository root) it failed on.
	File string
	Err  error
}

func (e RuleError) Error() string { return fmt.Sprintf("rule %s on %s: %v", e.Rule, e.File, e.Err) }

func (e RuleError) Unwrap() error { return e.Err }

// Evaluate runs every rule whose platforms include p's over p, each on its own, within
// the engine's timeout. It returns the findings, sorted by position, and the errors of
// the rules that failed.
func (e *Engine) Evaluate(ctx context.Context, p *model.Pipeline) ([]Evaluated, []RuleError) {
	input, err := Input(p)
	if err != nil {
		return nil, []RuleError{{Rule: "(input)", File: p.File, Err: err}}
	}
	return e.evalEach(ctx, input, p.File, p.Platform, func(c *compiledRule) *rego.PreparedEvalQuery {
		if !c.platforms[p.Platform] {
			return nil
		}
		return &c.deny
	})
}

// EvaluateRepository runs the deny_repository rules once over a repository.
func (e *Engine) EvaluateRepository(ctx context.Context, repo *model.Repository) ([]Evaluated, []RuleError) {
	input, err := RepositoryInput(repo)
	if err != nil {
		return nil, []RuleError{{Rule: "(input)", File: repo.Root, Err: err}}
	}
	return e.evalEach(ctx, input, repo.Root, "", func(c *compiledRule) *rego.PreparedEvalQuery { return c.repository })
}

// evalEach evaluates, within the timeout, the query that pick returns for each rule (nil
// skips the rule), each on its own.
func (e *Engine) evalEach(ctx context.Context, input ast.Value, file, platform string, pick func(*compiledRule) *rego.PreparedEvalQuery) ([]Evaluated, []RuleError) {
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	var out []Evaluated
	var errs []RuleError
	for i := range e.compiled {
		c := &e.compiled[i]
		q := pick(c)
		if q == nil {
			continue
		}
		found, err := e.evalRule(ctx, c, *q, input, file, platform)
		if err != nil {
			errs = append(errs, RuleError{Rule: c.meta.ID, File: file, Err: err})
			continue
		}
		out = append(out, found...)
	}
	sortFindings(out)
	return out, errs
}

// evalRule evaluates one prepared query and turns its set of findings into Evaluated.
func (e *Engine) evalRule(ctx context.Context, c *compiledRule, q rego.PreparedEvalQuery, input ast.Value, file, platform string) ([]Evaluated, error) {
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("stopped after %s (the policy timeout): %w", e.timeout, ctx.Err())
		}
		return nil, err
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, nil // the rule's set is empty (or undefined)
	}
	set, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return nil, fmt.Errorf("deny is not a set of findings but %T", rs[0].Expressions[0].Value)
	}
	out := make([]Evaluated, 0, len(set))
	for _, raw := range set {
		o, err := decodeOutput(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, finding(c.meta, file, platform, o))
	}
	return out, nil
}

// finding builds the reported finding of one rule output.
func finding(rule *model.Rule, file, platform string, o ruleOutput) Evaluated {
	f := model.Finding{
		Rule:       rule.ID,
		Severity:   firstNonEmpty(o.Severity, rule.Severity),
		Confidence: firstNonEmpty(o.Confidence, rule.Confidence),
		Category:   rule.Category,
		Message:    o.Msg,
		File:       firstNonEmpty(o.Pos.File, file),
		Line:       o.Pos.Line,
		Column:     max(o.Pos.Col, 1),
		EndLine:    o.Pos.EndLine,
		EndColumn:  o.Pos.EndCol,
		Platform:   firstNonEmpty(o.Platform, platform),
		Job:        o.Job,
		Step:       o.Step,
		Evidence:   o.Evidence,
	}
	if f.EndLine < f.Line || (f.EndLine == f.Line && f.EndColumn <= f.Column) {
		f.EndLine, f.EndColumn = f.Line, f.Column+1
	}
	f.Fingerprint = Fingerprint(f)
	return Evaluated{Finding: f, Persona: firstNonEmpty(o.Persona, rule.Persona)}
}

// Fingerprint identifies a finding across unrelated edits: it hashes the rule, the file,
// the job and step and the evidence (or, without evidence, the message), never the line.
func Fingerprint(f model.Finding) string {
	evidence := f.Evidence
	if evidence == "" {
		evidence = f.Message
	}
	h := sha256.Sum256([]byte(strings.Join([]string{f.Rule, f.File, f.Job, f.Step, strings.Join(strings.Fields(evidence), " ")}, "\x00")))
	return hex.EncodeToString(h[:8])
}

// sortFindings orders findings by file, position, rule and message.
func sortFindings(fs []Evaluated) {
	sort.SliceStable(fs, func(i, j int) bool { return Less(fs[i].Finding, fs[j].Finding) })
}

// Less orders findings by file, line, column, rule and message.
func Less(a, b model.Finding) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.Message < b.Message
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
