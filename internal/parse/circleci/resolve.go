package circleci

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Resolution limits. Every node the parser looks at through an alias, a merge or an
// expansion costs one visit, so an alias bomb or an exploding chain of commands stops
// after maxVisits instead of exhausting memory.
const (
	maxVisits     = 1_000_000
	maxSteps      = 20_000 // model steps per file, after expansion
	maxJobs       = 1_000  // jobs per file, after workflow and matrix expansion
	maxDepth      = 16     // nesting of command and steps-parameter expansion
	maxMergeDepth = 32     // nesting of `<<` merges
	maxCondBytes  = 4096   // rendered length of one when/unless condition
)

// field is one effective key/value pair of a mapping, after `<<` merges and aliases.
type field struct {
	key   *yaml.Node
	value *yaml.Node
	// via lists the merge and alias hops that brought the pair here, innermost first.
	via []model.Via
}

// item is one element of a sequence, with the alias hop that brought it, if any.
type item struct {
	node *yaml.Node
	via  []model.Via
}

// visit charges one node visit. It reports false, after recording a parse error once,
// when the budget is spent.
func (p *parser) visit(n *yaml.Node) bool {
	if p.exhausted {
		return false
	}
	p.visits++
	if p.visits > maxVisits {
		p.exhausted = true
		p.errorAt(nodePoint(n), fmt.Sprintf("resolution limit reached after %d node visits (alias bomb or exploding command expansion): the rest of the file is not analysed", maxVisits))
		return false
	}
	return true
}

// deref follows aliases from n and returns the node they lead to, with one alias via
// per hop, innermost first.
func (p *parser) deref(n *yaml.Node) (*yaml.Node, []model.Via) {
	var via []model.Via
	for hops := 0; n != nil && n.Kind == yaml.AliasNode; hops++ {
		if hops > maxMergeDepth || !p.visit(n) {
			return nil, nil
		}
		via = append([]model.Via{{Kind: "alias", Name: n.Value, Pos: nodePoint(n)}}, via...)
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	return n, via
}

// fields returns the effective pairs of mapping n: `<<` merges resolved (explicit keys
// win over merged ones, earlier merge sources over later ones) and, for duplicate keys,
// the last one. It returns nil when n is not a mapping. The result is computed once per
// node (the same definitions are read for every job that uses them) and callers must
// not modify it.
func (p *parser) fields(n *yaml.Node) []field {
	if fs, ok := p.fieldCache[n]; ok {
		return fs
	}
	fs := p.fieldsDepth(n, 0)
	if !p.exhausted {
		p.fieldCache[n] = fs
	}
	return fs
}

func (p *parser) fieldsDepth(n *yaml.Node, depth int) []field {
	n, _ = p.deref(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > maxMergeDepth {
		return nil
	}
	var explicit, merged []field
	last := map[string]int{} // explicit key → index of its last pair in explicit
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		if !p.visit(key) {
			return nil
		}
		if isMergeKey(key) {
			merged = append(merged, p.mergeSources(key, value, depth)...)
			continue
		}
		last[key.Value] = len(explicit)
		explicit = append(explicit, field{key: key, value: value})
	}
	out := make([]field, 0, len(merged)+len(last))
	taken := map[string]bool{}
	for _, f := range merged {
		if _, isExplicit := last[f.key.Value]; !isExplicit && !taken[f.key.Value] {
			taken[f.key.Value] = true
			out = append(out, f)
		}
	}
	for i, f := range explicit {
		if last[f.key.Value] == i {
			out = append(out, f)
		}
	}
	return out
}

// mergeSources returns the pairs that the `<<` key brings in from value (a mapping, an
// alias of one, or a sequence of them), each with a merge via.
func (p *parser) mergeSources(key, value *yaml.Node, depth int) []field {
	var sources []*yaml.Node
	target, _ := p.deref(value)
	if target != nil && target.Kind == yaml.SequenceNode {
		sources = target.Content
	} else {
		sources = []*yaml.Node{value}
	}
	var out []field
	for _, src := range sources {
		name := ""
		if src != nil && src.Kind == yaml.AliasNode {
			name = src.Value
		}
		hop := model.Via{Kind: "merge", Name: name, Pos: nodePoint(key)}
		for _, f := range p.fieldsDepth(src, depth+1) {
			f.via = append(append([]model.Via(nil), f.via...), hop)
			out = append(out, f)
		}
	}
	return out
}

// byKey indexes fields by key, for looking many of them up in a long list.
func byKey(fs []field) map[string]field {
	m := make(map[string]field, len(fs))
	for _, f := range fs {
		m[f.key.Value] = f
	}
	return m
}

// get returns the pair with key name.
func get(fs []field, name string) (field, bool) {
	for _, f := range fs {
		if f.key.Value == name {
			return f, true
		}
	}
	return field{}, false
}

// value returns the value node of key name, or nil.
func value(fs []field, name string) *yaml.Node {
	f, _ := get(fs, name)
	return f.value
}

func isMergeKey(key *yaml.Node) bool {
	return key.Kind == yaml.ScalarNode && key.Value == "<<" && key.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0
}

// items returns the elements of sequence n, aliases followed. A non-sequence gives nil.
func (p *parser) items(n *yaml.Node) []item {
	n, _ = p.deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]item, 0, len(n.Content))
	for _, c := range n.Content {
		if !p.visit(c) {
			return out
		}
		node, via := p.deref(c)
		if node != nil {
			out = append(out, item{node: node, via: via})
		}
	}
	return out
}

// scalar returns n (aliases followed) when it is a scalar node, else nil.
func (p *parser) scalar(n *yaml.Node) *yaml.Node {
	n, _ = p.deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil
	}
	return n
}

// str returns the value of scalar n, or "" when n is not a scalar.
func (p *parser) str(n *yaml.Node) string {
	if s := p.scalar(n); s != nil {
		return s.Value
	}
	return ""
}

// nodePoint is the start of n as a one-code-point span.
func nodePoint(n *yaml.Node) model.Pos {
	if n == nil {
		return model.Pos{}
	}
	return model.Point(n.Line, n.Column)
}

// prepend returns inner followed by outer.
// When inner is empty, outer itself is returned with its capacity clipped, so that an
// append to the result never writes into a shared array.
func prepend(inner []model.Via, outer []model.Via) []model.Via {
	if len(inner) == 0 {
		return outer[:len(outer):len(outer)]
	}
	out := make([]model.Via, 0, len(inner)+len(outer))
	return append(append(out, inner...), outer...)
}
