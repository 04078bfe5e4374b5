// Package engine loads pipeguard's Rego policies, reads their rule metadata, compiles and
// prepares them once, and evaluates them over normalized pipelines.
//
// Policies run with a restricted capability set: no network builtins (http.send, net.*)
// and no opa.runtime (which exposes the environment), for built-in and user policies
// alike, so a repository being scanned can never reach the network or read the
// environment through a policy.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

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

// query enumerates every finding of every rule in one evaluation.
const query = "data.pipeguard.rules[pkg].deny[finding]"

// Engine evaluates compiled policies. It is safe for concurrent use.
type Engine struct {
	rules    []model.Rule
	byPkg    map[string]*model.Rule
	prepared rego.PreparedEvalQuery
	// Policies holds every loaded module (tests included), for `policy test`.
	modules map[string]*ast.Module
	data    map[string]any
}

// Options says which policies to load besides the built-in ones.
type Options struct {
	// PolicyDirs are user policy directories (--policy); their .rego files are compiled
	// with the built-in ones and their .json files merged into data.
	PolicyDirs []string
}

// Load reads, compiles and prepares the built-in policies and those of opts. It is meant
// to be called once per process.
func Load(ctx context.Context, opts Options) (*Engine, error) {
	set := newPolicySet()
	if err := set.addFS(policies.FS, ".", "builtin:", true); err != nil {
		return nil, err
	}
	for _, dir := range opts.PolicyDirs {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("policy directory %s: %w", dir, err)
		}
		if err := set.addFS(os.DirFS(dir), ".", filepath.ToSlash(dir)+"/", false); err != nil {
			return nil, err
		}
	}
	rules, err := set.rules()
	if err != nil {
		return nil, err
	}
	e := &Engine{rules: rules, byPkg: map[string]*model.Rule{}, modules: set.modules, data: set.data}
	for i := range e.rules {
		e.byPkg[strings.TrimPrefix(e.rules[i].Package, RulePackagePrefix)] = &e.rules[i]
	}
	compiler := ast.NewCompiler().WithCapabilities(Capabilities())
	compiler.Compile(set.evalModules())
	if compiler.Failed() {
		return nil, fmt.Errorf("compile policies: %w", compiler.Errors)
	}
	store := inmem.NewFromObject(set.data)
	prepared, err := rego.New(
		rego.Query(query),
		rego.Compiler(compiler),
		rego.Store(store),
		rego.Capabilities(Capabilities()),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	e.prepared = prepared
	return e, nil
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

// ruleOutput is the shape of one element of a rule's `deny` set.
type ruleOutput struct {
	Msg        string    `json:"msg"`
	Pos        model.Pos `json:"pos"`
	Severity   string    `json:"severity"`
	Confidence string    `json:"confidence"`
	Persona    string    `json:"persona"`
	Job        string    `json:"job"`
	Step       string    `json:"step"`
	Evidence   string    `json:"evidence"`
}

// Evaluated is a finding together with the persona it is meant for.
type Evaluated struct {
	model.Finding
	// Persona is the rule's persona, or the finding's own when the rule lowered it.
	Persona string
}

// Evaluate runs every rule over p and returns the findings, sorted by position.
func (e *Engine) Evaluate(ctx context.Context, p *model.Pipeline) ([]Evaluated, error) {
	input, err := Input(p)
	if err != nil {
		return nil, err
	}
	rs, err := e.prepared.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, fmt.Errorf("evaluate policies on %s: %w", p.File, err)
	}
	var out []Evaluated
	for _, r := range rs {
		pkg, _ := r.Bindings["pkg"].(string)
		rule, ok := e.byPkg[pkg]
		if !ok {
			continue // a helper package with a deny rule but no metadata is not a rule
		}
		raw, err := json.Marshal(r.Bindings["finding"])
		if err != nil {
			return nil, fmt.Errorf("rule %s: finding: %w", rule.ID, err)
		}
		var o ruleOutput
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, fmt.Errorf("rule %s: finding is not {msg, pos, …}: %w", rule.ID, err)
		}
		out = append(out, e.finding(rule, p, o))
	}
	sort.SliceStable(out, func(i, j int) bool { return less(out[i].Finding, out[j].Finding) })
	return out, nil
}

func (e *Engine) finding(rule *model.Rule, p *model.Pipeline, o ruleOutput) Evaluated {
	f := model.Finding{
		Rule:       rule.ID,
		Severity:   firstNonEmpty(o.Severity, rule.Severity),
		Confidence: firstNonEmpty(o.Confidence, rule.Confidence),
		Category:   rule.Category,
		Message:    o.Msg,
		File:       firstNonEmpty(o.Pos.File, p.File),
		Line:       o.Pos.Line,
		Column:     o.Pos.Col,
		EndLine:    o.Pos.EndLine,
		EndColumn:  o.Pos.EndCol,
		Platform:   p.Platform,
		Job:        o.Job,
		Step:       o.Step,
		Evidence:   o.Evidence,
	}
	if f.Line < 1 {
		f.Line, f.Column = 1, 1
	}
	if f.Column < 1 {
		f.Column = 1
	}
	if f.EndLine < f.Line {
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

func less(a, b model.Finding) bool {
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

// policySet gathers modules and data documents before compilation.
type policySet struct {
	modules map[string]*ast.Module
	builtin map[string]bool
	data    map[string]any
}

func newPolicySet() *policySet {
	return &policySet{modules: map[string]*ast.Module{}, builtin: map[string]bool{}, data: map[string]any{}}
}

// addFS loads every .rego and .json file below root in fsys. Names are prefixed with
// prefix so that messages say where a module came from.
func (s *policySet) addFS(fsys fs.FS, root, prefix string, builtin bool) error {
	return fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read policies %s: %w", prefix+name, err)
		}
		if d.IsDir() {
			return nil
		}
		switch path.Ext(name) {
		case ".rego":
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				return fmt.Errorf("read policy %s: %w", prefix+name, err)
			}
			mod, err := ast.ParseModuleWithOpts(prefix+name, string(src), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
			if err != nil {
				return fmt.Errorf("parse policy %s: %w", prefix+name, err)
			}
			s.modules[prefix+name] = mod
			s.builtin[prefix+name] = builtin
		case ".json":
			raw, err := fs.ReadFile(fsys, name)
			if err != nil {
				return fmt.Errorf("read policy data %s: %w", prefix+name, err)
			}
			var doc map[string]any
			if err := json.Unmarshal(raw, &doc); err != nil {
				return fmt.Errorf("parse policy data %s: %w", prefix+name, err)
			}
			if err := mergeData(s.data, doc); err != nil {
				return fmt.Errorf("policy data %s: %w", prefix+name, err)
			}
		}
		return nil
	})
}

// evalModules returns the modules to evaluate: everything but the tests.
func (s *policySet) evalModules() map[string]*ast.Module {
	out := make(map[string]*ast.Module, len(s.modules))
	for name, m := range s.modules {
		if !strings.HasSuffix(name, "_test.rego") {
			out[name] = m
		}
	}
	return out
}

// rules reads the metadata of every rule package and checks it.
func (s *policySet) rules() ([]model.Rule, error) {
	var rules []model.Rule
	seen := map[string]string{}
	names := make([]string, 0, len(s.modules))
	for name := range s.modules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		mod := s.modules[name]
		pkg := strings.TrimPrefix(mod.Package.Path.String(), "data.")
		if !strings.HasPrefix(pkg, RulePackagePrefix) || strings.HasSuffix(name, "_test.rego") {
			continue
		}
		rule, err := ruleFromModule(mod, pkg)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", name, err)
		}
		rule.Builtin = s.builtin[name]
		if other, dup := seen[rule.ID]; dup {
			return nil, fmt.Errorf("policy %s: rule id %q is already used by %s", name, rule.ID, other)
		}
		seen[rule.ID] = name
		rules = append(rules, rule)
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules, nil
}

// mergeData deep-merges src into dst; two files may not set the same leaf.
func mergeData(dst, src map[string]any) error {
	for k, v := range src {
		existing, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		em, ok1 := existing.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("key %q is defined twice", k)
		}
		if err := mergeData(em, vm); err != nil {
			return err
		}
	}
	return nil
}
