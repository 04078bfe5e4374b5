package circleci

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Matrix limits. A matrix gives one job per combination of its values, so a hostile one
// could ask for millions: after maxMatrixJobs combinations the rest are analysed as one
// job that takes every value (its parameters hold several values, like a job whose
// executor may be one of several), and at most maxMatrixScan combinations are looked
// at when skipping excluded ones.
const (
	maxMatrixJobs = 32
	maxMatrixScan = 4096
)

// matrix is a workflow entry's `matrix:`.
type matrix struct {
	key *yaml.Node // the `matrix` key
	// alias is the name other entries require to wait for every job of the matrix; it
	// defaults to the name of the job being run.
	alias string
	// params are the matrix parameters sorted by name, the order CircleCI names and
	// enumerates combinations in.
	params []matrixParam
	// excluded holds the excluded combinations, each as combinationKey of its values.
	// An exclude that does not give every parameter one value matches nothing (CircleCI
	// rejects it).
	excluded map[string]bool
}

// matrixParam is one parameter of a matrix with its values.
type matrixParam struct {
	name   string
	key    *yaml.Node
	values []item
}

// readMatrix reads the `matrix:` of an entry that runs job ref.
func (p *parser) readMatrix(f field, ref string) *matrix {
	fs := p.fields(f.value)
	m := &matrix{key: f.key, alias: p.carried(value(fs, "alias"))}
	if m.alias == "" {
		m.alias = ref
	}
	for _, mp := range p.fields(value(fs, "parameters")) {
		values := p.items(mp.value)
		if s := p.scalar(mp.value); s != nil {
			values = []item{{node: s}}
		}
		m.params = append(m.params, matrixParam{name: mp.key.Value, key: mp.key, values: values})
	}
	sort.SliceStable(m.params, func(i, j int) bool { return m.params[i].name < m.params[j].name })
	m.excluded = map[string]bool{}
	for _, ex := range p.items(value(fs, "exclude")) {
		values := make([]string, len(m.params))
		given := 0
		for _, kv := range p.fields(ex.node) {
			i, s := m.paramIndex(kv.key.Value), p.scalar(kv.value)
			if i < 0 || s == nil {
				given = -1
				break
			}
			values[i] = p.carried(s)
			given++
		}
		if given == len(m.params) {
			m.excluded[combinationKey(values)] = true
		}
	}
	return m
}

// combinationKey identifies a combination of matrix values (one per parameter, in
// parameter order).
func combinationKey(values []string) string {
	return strings.Join(values, "\x00")
}

// instances returns the jobs a workflow entry runs, within the file's job limit: the
// entry itself, or one per combination of its matrix.
func (p *parser) instances(inv *invocation) []*instance {
	var out []*instance
	if inv.matrix == nil || !inv.matrix.hasCombinations() {
		out = []*instance{{inv: inv, display: inv.displayName(), requires: inv.requires}}
	} else {
		out = p.expandMatrix(inv)
	}
	for i := range out {
		if !p.claimJob(inv.pos) {
			return out[:i]
		}
	}
	return out
}

// hasCombinations reports whether every matrix parameter has at least one value.
func (m *matrix) hasCombinations() bool {
	for _, mp := range m.params {
		if len(mp.values) == 0 {
			return false
		}
	}
	return len(m.params) > 0
}

// expandMatrix returns one instance per combination of the entry's matrix values, in
// CircleCI's order (parameters by name, the first varying slowest), excluded
// combinations left out. Beyond maxMatrixJobs combinations, or maxMatrixScan looked
// at, one more instance stands for all the others, with a partial parse error.
func (p *parser) expandMatrix(inv *invocation) []*instance {
	m := inv.matrix
	index := make([]int, len(m.params))
	var out []*instance
	more := false
	for scanned := 0; ; scanned++ {
		if scanned == maxMatrixScan {
			more = true
			break
		}
		if !m.isExcluded(index) {
			if len(out) == maxMatrixJobs {
				more = true
				break
			}
			out = append(out, p.combination(inv, index))
		}
		if !m.advance(index) {
			break
		}
	}
	if more {
		rest := p.combination(inv, nil)
		out = append(out, rest)
		p.addError(model.ParseError{
			Message: fmt.Sprintf("matrix of %s has more than %d combinations: the first %d are analysed as separate jobs, the others together as job %q with every matrix value", inv.displayName(), maxMatrixJobs, len(out)-1, rest.display),
			Pos:     p.src.Pos(m.key),
			Partial: true,
		})
	}
	return out
}

// advance moves index to the next combination and reports false after the last.
func (m *matrix) advance(index []int) bool {
	for i := len(index) - 1; i >= 0; i-- {
		index[i]++
		if index[i] < len(m.params[i].values) {
			return true
		}
		index[i] = 0
	}
	return false
}

// isExcluded reports whether the combination at index is one of the matrix's excludes.
func (m *matrix) isExcluded(index []int) bool {
	if len(m.excluded) == 0 {
		return false
	}
	values := make([]string, len(index))
	for i, v := range index {
		values[i] = valueName(m.params[i].values[v], v)
	}
	return m.excluded[combinationKey(values)]
}

// paramIndex returns the position of parameter name in m.params, or -1.
func (m *matrix) paramIndex(name string) int {
	for i, mp := range m.params {
		if mp.name == name {
			return i
		}
	}
	return -1
}

// combination builds the instance of the matrix combination at index, or, with index
// nil, the instance that takes every value of every parameter (named with `*` for each
// value).
func (p *parser) combination(inv *invocation, index []int) *instance {
	m := inv.matrix
	inst := &instance{inv: inv, values: make([][]item, len(m.params))}
	names := make(map[string]string, len(m.params))
	parts := make([]string, len(m.params))
	for i, mp := range m.params {
		if index == nil {
			inst.values[i] = mp.values
			parts[i] = "*"
		} else {
			inst.values[i] = mp.values[index[i] : index[i]+1]
			parts[i] = valueName(mp.values[index[i]], index[i])
		}
		names[mp.name] = parts[i]
	}
	inst.display = p.fillMatrix(inv.displayName(), names)
	if inst.display == inv.displayName() {
		inst.display += "-" + strings.Join(parts, "-")
	}
	inst.requires = make([]string, len(inv.requires))
	for i, r := range inv.requires {
		inst.requires[i] = p.fillMatrix(r, names)
	}
	return inst
}

// valueName is how a matrix value appears in job names: a scalar as written, another
// value by its 1-based place in the list.
func valueName(it item, index int) string {
	if it.node.Kind == yaml.ScalarNode {
		return it.node.Value
	}
	return strconv.Itoa(index + 1)
}
