package gitlab

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/parse/yamlpos"
)

// maxNodes bounds the number of tree nodes one pipeline may create while aliases,
// merges, includes, extends and references are expanded. Real files stay far below it
// (the largest corpus pipeline needs about 60,000); an alias bomb hits it quickly.
const maxNodes = 1_000_000

// errTooLarge is reported when expansion would create more than maxNodes nodes.
var errTooLarge = fmt.Errorf("configuration expands to more than %d nodes (alias or extends bomb?)", maxNodes)

// file is one YAML file of the pipeline: the root file or an included one.
type file struct {
	// repoPath is the file's path inside the repository ("" for a root without one).
	repoPath string
	// report is the path reported in model.Pos.File: empty for the pipeline's own file.
	report string
	src    *yamlpos.Source
	data   []byte
	// docs are the file's YAML documents; config is the one holding the configuration
	// (the second when the first is a `spec:` header).
	docs   []*yaml.Node
	config *yaml.Node
	// included is true for a file pulled in by `include: local`; inputFrom says which
	// of its inputs the include filled with a pipeline input (see passedInputs).
	included  bool
	inputFrom map[string]string
}

// pos returns the position of yaml node n in f, with File set for included files.
func (f *file) pos(n *yaml.Node) model.Pos {
	p := f.src.Pos(n)
	p.File = f.report
	return p
}

// node is a YAML value after alias and merge resolution, with the provenance of every
// part of it. Trees of nodes never share nodes: every expansion copies.
type node struct {
	kind yaml.Kind // ScalarNode, MappingNode or SequenceNode
	// tag is the node's tag: "!!str", "!!null", "!reference", …
	tag    string
	value  string
	yn     *yaml.Node // the source node the value is written in
	f      *file
	fields []field // MappingNode entries, keys unique (the last duplicate wins)
	// index maps the keys of a large mapping to their place in fields, so that a
	// configuration of many jobs is not searched key by key; nil until a lookup needs
	// it, and dropped when fields are removed.
	index map[string]int
	items []*node // SequenceNode items
	// via lists how the node arrived where it is, innermost first. Chains are
	// immutable and shared by the nodes that arrived the same way.
	via *chain
}

// chain is an immutable list of hops, innermost first, stored outermost first: adding
// a hop links one element to the chain it extends instead of copying the hops, so a
// long extends or include chain costs one element per hop.
type chain struct {
	hop model.Via
	// inner is the chain the hop was added to (nil for the first hop).
	inner *chain
	// hops caches the list once a model value asks for it.
	hops []model.Via
}

// hops returns the via chain of n, innermost first.
func (n *node) hops() []model.Via {
	if n == nil || n.via == nil {
		return nil
	}
	c := n.via
	if c.hops == nil {
		for h := c; h != nil; h = h.inner {
			c.hops = append(c.hops, h.hop)
		}
		slices.Reverse(c.hops)
	}
	return c.hops
}

// hopper adds one hop to many chains.
type hopper struct {
	hop  model.Via
	memo map[*chain]*chain
}

func newHopper(hop model.Via) *hopper {
	return &hopper{hop: hop, memo: map[*chain]*chain{}}
}

// extend returns c with the hop added (c itself when the hop is empty); equal inputs
// share the result.
func (h *hopper) extend(c *chain) *chain {
	if h.hop.Kind == "" {
		return c
	}
	if out, ok := h.memo[c]; ok {
		return out
	}
	out := &chain{hop: h.hop, inner: c}
	h.memo[c] = out
	return out
}

// field is one entry of a mapping node.
type field struct {
	key   string
	keyYN *yaml.Node
	keyF  *file
	value *node
}

// keyPos returns the position of the field's key.
func (fl *field) keyPos() model.Pos { return fl.keyF.pos(fl.keyYN) }

// isNull reports whether n is absent or an explicit null.
func (n *node) isNull() bool { return n == nil || (n.kind == yaml.ScalarNode && n.tag == "!!null") }

// isMap reports whether n is a mapping.
func (n *node) isMap() bool { return n != nil && n.kind == yaml.MappingNode }

// isSeq reports whether n is a sequence.
func (n *node) isSeq() bool { return n != nil && n.kind == yaml.SequenceNode }

// isScalar reports whether n is a non-null scalar.
func (n *node) isScalar() bool { return n != nil && n.kind == yaml.ScalarNode && n.tag != "!!null" }

// list returns the items of sequence n (nil for anything else).
func (n *node) list() []*node {
	if n.isSeq() {
		return n.items
	}
	return nil
}

// pos returns the position of n in its file.
func (n *node) pos() model.Pos {
	if n == nil || n.yn == nil {
		return model.Pos{}
	}
	return n.f.pos(n.yn)
}

// get returns the value of key in mapping n, or nil.
func (n *node) get(key string) *node {
	if fl := n.field(key); fl != nil {
		return fl.value
	}
	return nil
}

// field returns the entry of key in mapping n, or nil.
func (n *node) field(key string) *field {
	if i := n.indexOf(key); i >= 0 {
		return &n.fields[i]
	}
	return nil
}

// indexMin is the size from which a mapping's keys are looked up through its index.
const indexMin = 16

// indexOf returns the place of key in the fields of mapping n, or -1.
func (n *node) indexOf(key string) int {
	if !n.isMap() {
		return -1
	}
	if len(n.fields) < indexMin {
		for i := range n.fields {
			if n.fields[i].key == key {
				return i
			}
		}
		return -1
	}
	if n.index == nil {
		n.index = make(map[string]int, len(n.fields))
		for i := range n.fields {
			n.index[n.fields[i].key] = i
		}
	}
	if i, ok := n.index[key]; ok {
		return i
	}
	return -1
}

// set replaces or appends the entry fl in mapping n.
func (n *node) set(fl field) {
	if i := n.indexOf(fl.key); i >= 0 {
		n.fields[i] = fl
		return
	}
	if n.index != nil {
		n.index[fl.key] = len(n.fields)
	}
	n.fields = append(n.fields, fl)
}

// remove deletes key from mapping n.
func (n *node) remove(key string) {
	if i := n.indexOf(key); i >= 0 {
		n.fields = append(n.fields[:i:i], n.fields[i+1:]...)
		n.index = nil
	}
}

// nodeBudget counts created nodes against maxNodes.
type nodeBudget struct {
	used     int
	exceeded bool
}

// take accounts for one more node and reports whether the budget still allows it.
func (b *nodeBudget) take() bool {
	if b.used >= maxNodes {
		b.exceeded = true
		return false
	}
	b.used++
	return true
}

// copyTree returns a deep copy of n whose nodes all have hop appended to their via
// chains (no hop when hop.Kind is empty). It returns nil when the budget runs out.
func (b *nodeBudget) copyTree(n *node, hop model.Via) *node {
	return b.copyWith(n, newHopper(hop))
}

func (b *nodeBudget) copyWith(n *node, h *hopper) *node {
	if n == nil || !b.take() {
		return nil
	}
	c := &node{kind: n.kind, tag: n.tag, value: n.value, yn: n.yn, f: n.f, via: h.extend(n.via)}
	if len(n.fields) > 0 {
		c.fields = make([]field, 0, len(n.fields))
		for _, fl := range n.fields {
			v := b.copyWith(fl.value, h)
			if v == nil {
				return nil
			}
			fl.value = v
			c.fields = append(c.fields, fl)
		}
	}
	if len(n.items) > 0 {
		c.items = make([]*node, 0, len(n.items))
		for _, it := range n.items {
			v := b.copyWith(it, h)
			if v == nil {
				return nil
			}
			c.items = append(c.items, v)
		}
	}
	return c
}

// addHop appends hop to the via chain of n and all its descendants, in place.
func addHop(n *node, hop model.Via) {
	if hop.Kind != "" {
		addHopWith(n, newHopper(hop))
	}
}

func addHopWith(n *node, h *hopper) {
	if n == nil {
		return
	}
	n.via = h.extend(n.via)
	for _, fl := range n.fields {
		addHopWith(fl.value, h)
	}
	for _, it := range n.items {
		addHopWith(it, h)
	}
}

// deepMerge merges over into base the way GitLab merges includes and extends: mappings
// merge key by key, anything else in over replaces base, and a null in over removes the
// key. Both trees are consumed; the result may share their nodes. It takes time linear in
// the keys of both, however many there are.
func deepMerge(base, over *node) *node {
	if !base.isMap() || !over.isMap() {
		return over
	}
	removed := false
	for _, fl := range over.fields {
		i := base.indexOf(fl.key)
		switch {
		case fl.value.isNull():
			if i >= 0 {
				base.fields[i].value, removed = nil, true
			}
			continue
		case i >= 0 && base.fields[i].value.isMap() && fl.value.isMap():
			fl.value = deepMerge(base.fields[i].value, fl.value)
		}
		base.set(fl)
	}
	if removed {
		base.fields = slices.DeleteFunc(base.fields, func(fl field) bool { return fl.value == nil })
		base.index = nil
	}
	return base
}

// converter turns one file's yaml.Node tree into a node tree, resolving aliases and
// `<<` merges.
type converter struct {
	f     *file
	nodes *nodeBudget
	// expanding holds the anchors being expanded, to stop recursive aliases.
	expanding map[*yaml.Node]bool
}

// convert converts yaml node y. It returns nil when the budget runs out.
func (c *converter) convert(y *yaml.Node) *node {
	if y == nil || !c.nodes.take() {
		return nil
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &node{kind: yaml.ScalarNode, tag: "!!null", yn: y, f: c.f}
		}
		return c.convert(y.Content[0])
	case yaml.AliasNode:
		return c.alias(y)
	case yaml.MappingNode:
		return c.mapping(y)
	case yaml.SequenceNode:
		n := &node{kind: yaml.SequenceNode, tag: y.Tag, yn: y, f: c.f}
		for _, it := range y.Content {
			v := c.convert(it)
			if v == nil {
				return nil
			}
			n.items = append(n.items, v)
		}
		return n
	default:
		return &node{kind: yaml.ScalarNode, tag: y.ShortTag(), value: y.Value, yn: y, f: c.f}
	}
}

// alias expands an alias node into a copy of its anchor, with an alias hop.
func (c *converter) alias(y *yaml.Node) *node {
	n := c.anchored(y)
	if n == nil {
		return nil
	}
	addHop(n, model.Via{Kind: "alias", Name: y.Value, File: c.f.report, Pos: c.f.pos(y)})
	return n
}

// anchored converts the node alias y points at, without a hop.
func (c *converter) anchored(y *yaml.Node) *node {
	target := y.Alias
	if target == nil || c.expanding[target] {
		// A recursive alias: keep it as an empty value rather than loop.
		return &node{kind: yaml.ScalarNode, tag: "!!null", yn: y, f: c.f}
	}
	c.expanding[target] = true
	defer delete(c.expanding, target)
	return c.convert(target)
}

// mapping converts a mapping: the last of duplicate keys wins, and `<<` merges add the
// keys of the merged mappings that the mapping does not set itself (earlier merge
// sources win over later ones, as YAML specifies).
func (c *converter) mapping(y *yaml.Node) *node {
	n := &node{kind: yaml.MappingNode, tag: y.Tag, yn: y, f: c.f}
	var merged []field
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			fields, ok := c.mergeSources(k, v)
			if !ok {
				return nil
			}
			merged = append(merged, fields...)
			continue
		}
		val := c.convert(v)
		if val == nil {
			return nil
		}
		n.set(field{key: keyString(k), keyYN: k, keyF: c.f, value: val})
	}
	for _, fl := range merged {
		if n.field(fl.key) == nil {
			n.set(fl)
		}
	}
	return n
}

// mergeSources returns the entries that `<<: v` contributes, with merge hops, in order
// of precedence (first wins).
func (c *converter) mergeSources(k, v *yaml.Node) ([]field, bool) {
	sources := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		sources = v.Content
	}
	var out []field
	seen := map[string]bool{}
	for _, s := range sources {
		name, src := s.Anchor, (*node)(nil)
		if s.Kind == yaml.AliasNode {
			name, src = s.Value, c.anchored(s)
		} else {
			src = c.convert(s)
		}
		if src == nil {
			return nil, false
		}
		if !src.isMap() {
			continue
		}
		h := newHopper(model.Via{Kind: "merge", Name: name, File: c.f.report, Pos: c.f.pos(k)})
		for _, fl := range src.fields {
			if seen[fl.key] {
				continue
			}
			seen[fl.key] = true
			addHopWith(fl.value, h)
			out = append(out, fl)
		}
	}
	return out, true
}

// keyString returns the key text of a mapping key node (complex keys become "").
func keyString(k *yaml.Node) string {
	if k.Kind == yaml.ScalarNode {
		return k.Value
	}
	if k.Kind == yaml.AliasNode && k.Alias != nil && k.Alias.Kind == yaml.ScalarNode {
		return k.Alias.Value
	}
	return ""
}
