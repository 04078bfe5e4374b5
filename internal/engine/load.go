package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"

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

// add loads a policy directory exactly as `opa test DIR` and `opa check DIR` read it:
// every .rego file is a module, and every .json or .yaml file is data mounted at the path
// of its directory below the root (policies/pipeguard/agents.json holding {"agents": …} is
// data.pipeguard.agents). fsys is nil for a directory on disk. Module names are prefixed
// with prefix so that messages say where a module came from.
//
// OPA's loader walks the directory and reads the data; it hands the .rego files it meets
// to parseModules, which parses them on every core (parsing is about a third of a
// one-file scan's start-up).
func (s *policySet) add(fsys fs.FS, root, prefix string, builtin bool) error {
	fl := loader.NewFileLoader().WithRegoVersion(ast.RegoV1)
	if fsys != nil {
		fl = fl.WithFS(fsys)
	}
	var regoFiles []string
	skip := func(path string, info fs.FileInfo, depth int) bool {
		switch {
		case skipHidden(path, info, depth):
			return true
		case info.IsDir():
			return false
		case isTestModule(info.Name()) && !s.tests:
			return true
		case strings.HasSuffix(info.Name(), ".rego"):
			regoFiles = append(regoFiles, path)
			return true
		}
		return false
	}
	res, err := fl.Filtered([]string{root}, skip)
	if err != nil {
		return fmt.Errorf("load policies %s: %w", prefix+root, err)
	}
	modules, err := parseModules(fsys, regoFiles)
	if err != nil {
		return fmt.Errorf("load policies %s: %w", prefix+root, err)
	}
	for i, name := range regoFiles {
		key := prefix + strings.TrimPrefix(name, "./")
		if _, dup := s.modules[key]; dup {
			return fmt.Errorf("load policies: module %s is loaded twice", key)
		}
		s.modules[key] = modules[i]
		s.builtin[key] = builtin
	}
	if err := mergeData(s.data, res.Documents); err != nil {
		return fmt.Errorf("load policy data %s: %w", prefix+root, err)
	}
	return nil
}

// regoParserOptions are the options OPA's loader parses modules with (`opa test`, `opa
// check`): Rego v1, METADATA annotations read.
var regoParserOptions = ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}

// parseModules reads and parses the .rego files at paths (in fsys, or on disk when fsys is
// nil), GOMAXPROCS at a time. The modules come back in the order of paths; the errors of
// every file are reported together, in that order, as OPA's loader reports them.
func parseModules(fsys fs.FS, paths []string) ([]*ast.Module, error) {
	modules := make([]*ast.Module, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				modules[i], errs[i] = parseModule(fsys, paths[i])
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	var all loader.Errors
	for _, err := range errs {
		var parseErrs ast.Errors
		switch {
		case err == nil:
		case errors.As(err, &parseErrs):
			for _, e := range parseErrs {
				all = append(all, e)
			}
		default:
			all = append(all, err)
		}
	}
	if len(all) > 0 {
		return nil, all
	}
	return modules, nil
}

// parseModule reads and parses one .rego file.
func parseModule(fsys fs.FS, path string) (*ast.Module, error) {
	var data []byte
	var err error
	if fsys != nil {
		data, err = fs.ReadFile(fsys, path)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	return ast.ParseModuleWithOpts(path, string(data), regoParserOptions)
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
