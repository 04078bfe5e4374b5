// Package engine loads pipeguard's Rego policies, reads their rule metadata, compiles and
// prepares them once, and evaluates them over normalized pipelines.
//
// Guarantees:
//   - Policies run with a restricted capability set: no network builtins (http.send,
//     net.*) and no opa.runtime (which exposes the environment), for built-in and user
//     policies alike, so a repository being scanned can never reach the network or read
//     the environment through a policy.
//   - A rule that fails at run time (a conflict, a type error, a deadline, the memory
//     guard) becomes a RuleError naming the rule and the file, and every other rule's
//     findings for that file are still returned. The rules of a platform are evaluated
//     together, in one query, so that the views they share (policies/lib) are computed
//     once per file; when that evaluation fails, each rule is evaluated again on its own,
//     with a timeout of its own, to tell which one failed.
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
	"errors"
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
	memory   *memoryGuard
	// load is how long Load took (Stats).
	load time.Duration
	// input accumulates the cost of building inputs (Stats).
	input ruleStats
	// together holds, per platform, the query that evaluates all its rules at once.
	together map[string]*platformQuery
	// apart makes every rule be evaluated on its own (Options.EachRuleApart).
	apart bool
	// tests is Options.Tests.
	tests bool
	// modules holds every loaded module (tests included with Options.Tests), for
	// `policy test`.
	modules map[string]*ast.Module
	data    map[string]any
}

// platformQuery evaluates every rule of one platform in one query: its value is an
// array holding each rule's set of findings, in the order of rules.
type platformQuery struct {
	query rego.PreparedEvalQuery
	rules []*compiledRule
}

// compiledRule is one rule's metadata with its prepared queries.
type compiledRule struct {
	meta      *model.Rule
	platforms map[string]bool
	deny      rego.PreparedEvalQuery
	// repository is set when the rule defines deny_repository.
	repository *rego.PreparedEvalQuery
	// stats accumulates the rule's evaluation time.
	stats *ruleStats
}

// Options says which policies to load besides the built-in ones.
type Options struct {
	// PolicyDirs are user policy directories (--policy), loaded as OPA loads a
	// directory: .rego files are modules, .json/.yaml files data under their directory.
	PolicyDirs []string
	// Timeout bounds each evaluation over one file (DefaultTimeout if zero): all its
	// rules together, and, when that fails, each rule apart, so that a rule that runs
	// out of time costs the file at most twice the timeout and hides no other rule.
	Timeout time.Duration
	// MemoryLimit is the heap size, in bytes, above which the evaluations in flight are
	// stopped and reported (DefaultMemoryLimit if zero).
	MemoryLimit uint64
	// EachRuleApart evaluates every rule on its own instead of all of a platform's rules
	// in one query: slower (views shared by rules are computed once per rule), but it
	// measures what each rule costs (Stats; --debug).
	EachRuleApart bool
	// Tests also reads the *_test.rego modules, for RunPolicyTests; a scan has no use
	// for them.
	Tests bool
}

// checkOnlyStages are the compiler stages that only look for mistakes in policies and
// change nothing that evaluation uses.
var checkOnlyStages = []ast.StageID{
	ast.StageCheckUnusedImports,
	ast.StageCheckKeywordOverrides,
	ast.StageCheckDuplicateImports,
	ast.StageCheckRecursion,
	ast.StageCheckTypes,
	ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins,
	ast.StageBuildRequiredCapabilities,
}

// Load reads, compiles and prepares the built-in policies and those of opts. It is meant
// to be called once per process.
func Load(ctx context.Context, opts Options) (*Engine, error) {
	start := time.Now()
	set := newPolicySet(opts.Tests)
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
	compiler := ast.NewCompiler().WithCapabilities(Capabilities()).WithEnablePrintStatements(false)
	if len(opts.PolicyDirs) > 0 {
		// User policies are type-checked against the input schema, so that a misspelt
		// field is an error instead of a rule that never fires, and pass every other
		// check of the compiler (unsafe built-in functions among them).
		schemas, err := inputSchemaSet()
		if err != nil {
			return nil, err
		}
		compiler = compiler.WithSchemas(schemas)
	} else {
		// The built-in policies pass those checks in the tests
		// (TestBuiltinPoliciesPassEveryCompilerCheck); checking them again would cost every
		// run a good part of its start-up.
		compiler = compiler.WithSkipStages(checkOnlyStages...)
	}
	compiler.Compile(set.evalModules())
	if compiler.Failed() {
		return nil, fmt.Errorf("compile policies: %w", compiler.Errors)
	}
	e := &Engine{rules: rules, modules: set.modules, data: set.data, timeout: opts.Timeout, apart: opts.EachRuleApart, tests: opts.Tests}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	if opts.MemoryLimit == 0 {
		opts.MemoryLimit = DefaultMemoryLimit
	}
	e.memory = newMemoryGuard(opts.MemoryLimit)
	store := inmem.NewFromObject(set.data)
	for i := range e.rules {
		c, err := prepareRule(ctx, &e.rules[i], compiler, store)
		if err != nil {
			return nil, err
		}
		e.compiled = append(e.compiled, c)
	}
	if e.together, err = prepareTogether(ctx, e.compiled, compiler, store); err != nil {
		return nil, err
	}
	e.load = time.Since(start)
	return e, nil
}

// prepareTogether prepares, for every platform, the query of all the platform's rules.
func prepareTogether(ctx context.Context, rules []compiledRule, compiler *ast.Compiler, store storage.Store) (map[string]*platformQuery, error) {
	together := map[string]*platformQuery{}
	for _, platform := range []string{model.PlatformGitHub, model.PlatformGitLab, model.PlatformCircleCI, model.PlatformJenkins} {
		pq := &platformQuery{}
		var refs []string
		for i := range rules {
			if rules[i].platforms[platform] {
				pq.rules = append(pq.rules, &rules[i])
				refs = append(refs, "data."+rules[i].meta.Package+".deny")
			}
		}
		if len(refs) == 0 {
			continue
		}
		q, err := rego.New(
			rego.Query("["+strings.Join(refs, ", ")+"]"),
			rego.Compiler(compiler),
			rego.Store(store),
			rego.Capabilities(Capabilities()),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("prepare the %s rules: %w", platform, err)
		}
		pq.query = q
		together[platform] = pq
	}
	return together, nil
}

// prepareRule prepares the deny (and deny_repository) query of one rule.
func prepareRule(ctx context.Context, r *model.Rule, compiler *ast.Compiler, store storage.Store) (compiledRule, error) {
	c := compiledRule{meta: r, platforms: map[string]bool{}, stats: &ruleStats{}}
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
	start := time.Now()
	input, err := Input(p)
	e.input.add(time.Since(start))
	if err != nil {
		return nil, []RuleError{{Rule: "(input)", File: p.File, Err: err}}
	}
	apart := func(c *compiledRule) *rego.PreparedEvalQuery {
		if !c.platforms[p.Platform] {
			return nil
		}
		return &c.deny
	}
	pq := e.together[p.Platform]
	if e.apart || pq == nil {
		return e.evalEach(ctx, input, p.File, p.Platform, apart)
	}
	found, errs, ok := e.evalTogether(ctx, pq, input, p.File, p.Platform)
	if !ok {
		return e.evalEach(ctx, input, p.File, p.Platform, apart)
	}
	return found, errs
}

// evalTogether evaluates all of a platform's rules in one query. ok is false when the
// evaluation itself failed (a rule's conflict, the timeout, the memory guard): the
// caller then evaluates each rule apart to tell which one failed. A rule whose findings
// are malformed is a RuleError here already.
func (e *Engine) evalTogether(ctx context.Context, pq *platformQuery, input ast.Value, file, platform string) ([]Evaluated, []RuleError, bool) {
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	ctx, unwatch := e.memory.watch(ctx)
	defer unwatch()
	rs, err := pq.query.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil || len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, nil, false
	}
	sets, ok := rs[0].Expressions[0].Value.([]any)
	if !ok || len(sets) != len(pq.rules) {
		return nil, nil, false
	}
	var out []Evaluated
	var errs []RuleError
	for i, set := range sets {
		found, err := decodeSet(pq.rules[i], set, file, platform)
		if err != nil {
			errs = append(errs, RuleError{Rule: pq.rules[i].meta.ID, File: file, Err: err})
			continue
		}
		out = append(out, found...)
	}
	sortFindings(out)
	return out, errs, true
}

// EvaluateRepository runs the deny_repository rules once over a repository.
func (e *Engine) EvaluateRepository(ctx context.Context, repo *model.Repository) ([]Evaluated, []RuleError) {
	input, err := RepositoryInput(repo)
	if err != nil {
		return nil, []RuleError{{Rule: "(input)", File: repo.Root, Err: err}}
	}
	return e.evalEach(ctx, input, repo.Root, "", func(c *compiledRule) *rego.PreparedEvalQuery { return c.repository })
}

// evalEach evaluates the query that pick returns for each rule (nil skips the rule),
// each on its own and within a timeout of its own.
func (e *Engine) evalEach(ctx context.Context, input ast.Value, file, platform string, pick func(*compiledRule) *rego.PreparedEvalQuery) ([]Evaluated, []RuleError) {
	var out []Evaluated
	var errs []RuleError
	for i := range e.compiled {
		c := &e.compiled[i]
		q := pick(c)
		if q == nil {
			continue
		}
		ruleCtx, cancel := context.WithTimeout(ctx, e.timeout)
		ruleCtx, unwatch := e.memory.watch(ruleCtx)
		found, err := e.evalRule(ruleCtx, c, *q, input, file, platform)
		unwatch()
		cancel()
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
	start := time.Now()
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
	c.stats.add(time.Since(start))
	if err != nil {
		switch cause := context.Cause(ctx); {
		case errors.Is(cause, errMemory):
			return nil, fmt.Errorf("stopped: %w", cause)
		case ctx.Err() != nil:
			return nil, fmt.Errorf("stopped after %s (the policy timeout, --policy-timeout): %w", e.timeout, ctx.Err())
		}
		return nil, err
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, nil // the rule's set is empty (or undefined)
	}
	return decodeSet(c, rs[0].Expressions[0].Value, file, platform)
}

// decodeSet turns the value of a rule's deny set into Evaluated findings.
func decodeSet(c *compiledRule, value any, file, platform string) ([]Evaluated, error) {
	set, ok := value.([]any)
	if !ok {
		return nil, fmt.Errorf("deny is not a set of findings but %s", describe(value))
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
	f.Fingerprint = Fingerprint(f, f.File)
	return Evaluated{Finding: f, Persona: firstNonEmpty(o.Persona, rule.Persona)}
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
