package engine

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"

	"github.com/pipeguard/pipeguard/internal/model"
)

// builtinPrefix names the modules of the embedded policies in messages.
const builtinPrefix = "builtin:"

// policySet gathers modules and data documents before compilation.
type policySet struct {
	modules map[string]*ast.Module
	builtin map[string]bool
	data    map[string]any
	// tests makes add read the *_test.rego modules too.
	tests bool
}

func newPolicySet(tests bool) *policySet {
	return &policySet{modules: map[string]*ast.Module{}, builtin: map[string]bool{}, data: map[string]any{}, tests: tests}
}

// add loads a policy directory with OPA's own loader, exactly as `opa test DIR` and
// `opa check DIR` read it: every .rego file is a module, and every .json or .yaml file is
// data mounted at the path of its directory below the root (policies/pipeguard/agents.json
// holding {"agents": …} is data.pipeguard.agents). fsys is nil for a directory on disk.
// Module names are prefixed with prefix so that messages say where a module came from.
func (s *policySet) add(fsys fs.FS, root, prefix string, builtin bool) error {
	fl := loader.NewFileLoader().WithProcessAnnotation(true).WithRegoVersion(ast.RegoV1)
	if fsys != nil {
		fl = fl.WithFS(fsys)
	}
	skip := skipHidden
	if !s.tests {
		skip = func(path string, info fs.FileInfo, depth int) bool {
			return skipHidden(path, info, depth) || !info.IsDir() && isTestModule(info.Name())
		}
	}
	res, err := fl.Filtered([]string{root}, skip)
	if err != nil {
		return fmt.Errorf("load policies %s: %w", prefix+root, err)
	}
	for name, m := range res.ParsedModules() {
		key := prefix + strings.TrimPrefix(name, "./")
		if _, dup := s.modules[key]; dup {
			return fmt.Errorf("load policies: module %s is loaded twice", key)
		}
		s.modules[key] = m
		s.builtin[key] = builtin
	}
	if err := mergeData(s.data, res.Documents); err != nil {
		return fmt.Errorf("load policy data %s: %w", prefix+root, err)
	}
	return nil
}

// skipHidden leaves out dot-files and dot-directories (.git, editor files), as `opa`
// users expect of a policy directory.
func skipHidden(path string, info fs.FileInfo, depth int) bool {
	return depth > 0 && strings.HasPrefix(info.Name(), ".")
}

// addDir loads a user policy directory (--policy).
func (s *policySet) addDir(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("policy directory %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("policy directory %s: %w", dir, &fs.PathError{Op: "open", Path: dir, Err: fmt.Errorf("not a directory")})
	}
	return s.add(nil, dir, "", false)
}

// evalModules returns the modules to evaluate: everything but the tests (when they were
// read).
func (s *policySet) evalModules() map[string]*ast.Module {
	out := make(map[string]*ast.Module, len(s.modules))
	for name, m := range s.modules {
		if !isTestModule(name) {
			out[name] = m
		}
	}
	return out
}

func isTestModule(name string) bool { return strings.HasSuffix(name, "_test.rego") }

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
		if !strings.HasPrefix(pkg, RulePackagePrefix) || isTestModule(name) {
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
