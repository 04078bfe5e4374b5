package gitlab

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Resolution limits, as GitLab documents them.
const (
	maxExtendsDepth   = 11
	maxReferenceDepth = 10
)

// reservedKeys are top-level keys that are not jobs.
var reservedKeys = map[string]bool{
	"stages": true, "types": true, "variables": true, "default": true, "include": true,
	"workflow": true, "image": true, "services": true, "before_script": true,
	"after_script": true, "cache": true, "spec": true,
}

// defaultKeys are the keys a job takes from `default:` when it does not set them.
var defaultKeys = []string{
	"after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens", "image",
	"interruptible", "retry", "services", "tags", "timeout",
}

// globalDefaultKeys are the deprecated top-level keys that act like `default:` ones.
var globalDefaultKeys = map[string]bool{
	"image": true, "services": true, "before_script": true, "after_script": true, "cache": true,
}

// flattenKeys are the keys whose nested lists GitLab flattens (a `!reference` or an
// alias to a list inside the list).
var flattenKeys = map[string]bool{
	"script": true, "before_script": true, "after_script": true, "rules": true,
}

// isJob reports whether top-level entry name with value n is a job.
func isJob(name string, n *node) bool {
	return n.isMap() && !reservedKeys[name] && !strings.HasPrefix(name, ".") && name != ""
}

// resolver applies extends, !reference and default: to the merged configuration.
type resolver struct {
	p      *parser
	config *node
	// done holds entries with extends applied; height the length of their extends
	// chain; active the entries being resolved (cycle detection).
	done   map[string]*node
	height map[string]int
	active map[string]bool
	// incomplete holds entries whose definition misses something unresolvable.
	incomplete map[string]bool
	reported   map[string]bool
}

func newResolver(p *parser, config *node) *resolver {
	return &resolver{
		p: p, config: config,
		done: map[string]*node{}, height: map[string]int{}, active: map[string]bool{},
		incomplete: map[string]bool{}, reported: map[string]bool{},
	}
}

// resolve applies extends to every entry, then resolves references, then applies the
// job defaults. The configuration is changed in place.
func (r *resolver) resolve() {
	for _, fl := range r.config.fields {
		r.extended(fl.key)
	}
	for i := range r.config.fields {
		fl := &r.config.fields[i]
		if n, ok := r.done[fl.key]; ok && n != nil {
			fl.value = n
		}
		fl.value = r.refs(fl.value, fl.key, 0, fl.key)
		r.done[fl.key] = fl.value
	}
	for _, fl := range r.config.fields {
		if isJob(fl.key, fl.value) {
			r.applyDefaults(fl.value)
		}
	}
}

// extended returns entry name with its extends chain merged in, and whether the entry
// exists. A nil node with true means the entry closes an extends cycle.
func (r *resolver) extended(name string) (*node, bool) {
	if n, ok := r.done[name]; ok {
		return n, true
	}
	entry := r.config.get(name)
	if entry == nil {
		return nil, false
	}
	if r.active[name] {
		return nil, true // the caller reports the cycle
	}
	ext := entry.get("extends")
	if !entry.isMap() || ext == nil {
		r.done[name] = entry
		return entry, true
	}
	r.active[name] = true
	defer delete(r.active, name)
	entry.remove("extends")
	base := &node{kind: yaml.MappingNode, yn: entry.yn, f: entry.f}
	height := 0
	for _, ref := range scalarList(ext) {
		parent, ok := r.extended(ref.value)
		if !ok {
			r.missing(name, "extends", ref.value, ref.pos())
			continue
		}
		if parent == nil && r.active[ref.value] {
			r.p.errorAt(ref.pos(), "extends cycle through %q", ref.value)
		}
		if !parent.isMap() {
			continue
		}
		if r.incomplete[ref.value] {
			r.incomplete[name] = true
		}
		if r.height[ref.value] >= maxExtendsDepth {
			// GitLab rejects the chain; its templates are not merged, and the entries
			// that extend this one are too deep as well (reported once, here).
			if r.height[ref.value] == maxExtendsDepth {
				r.p.errorAt(ref.pos(), "extends chain of %q is deeper than %d levels: %q and the templates it extends are not merged", name, maxExtendsDepth, ref.value)
			}
			r.incomplete[name], r.p.partial = true, true
			height = maxExtendsDepth + 1
			continue
		}
		height = max(height, r.height[ref.value]+1)
		hop := model.Via{Kind: "extends", Name: ref.value, File: ref.f.report, Pos: ref.pos()}
		cp := r.p.nodes.copyTree(parent, hop)
		if cp == nil {
			return base, true
		}
		base = deepMerge(base, cp)
	}
	r.height[name] = height
	merged := deepMerge(base, entry)
	r.done[name] = merged
	return merged, true
}

// missing records that owner refers to something (an extends or !reference target)
// that is not defined in the configuration that could be read.
func (r *resolver) missing(owner, kind, name string, pos model.Pos) {
	r.incomplete[owner] = true
	r.p.partial = true
	key := kind + "\x00" + name + "\x00" + pos.File + pos.String()
	if r.reported[key] {
		return
	}
	r.reported[key] = true
	reason := "not defined in the file or its local includes"
	for _, u := range r.p.pipeline.Unresolved {
		if u.Kind == "include" {
			reason += "; it may come from an include that was not read"
			break
		}
	}
	r.p.pipeline.Unresolved = append(r.p.pipeline.Unresolved, model.Unresolved{Kind: kind, Name: name, Reason: reason, Pos: pos})
}

// refs resolves the !reference tags inside n, which is the value of key in entry
// owner, and flattens the nested lists of script keys. It returns the new value.
func (r *resolver) refs(n *node, owner string, depth int, key string) *node {
	if n == nil {
		return nil
	}
	if n.tag == "!reference" && n.isSeq() {
		return r.reference(n, owner, depth, key)
	}
	for i := range n.fields {
		n.fields[i].value = r.refs(n.fields[i].value, owner, depth, n.fields[i].key)
	}
	if n.isSeq() {
		items := make([]*node, 0, len(n.items))
		for _, it := range n.items {
			items = append(items, r.refs(it, owner, depth, key))
		}
		if flattenKeys[key] {
			items = flatten(items, 0)
		}
		n.items = items
	}
	return n
}

// reference resolves one `!reference [entry, key, …]` node.
func (r *resolver) reference(n *node, owner string, depth int, key string) *node {
	null := &node{kind: yaml.ScalarNode, tag: "!!null", yn: n.yn, f: n.f, via: n.via}
	var path []string
	for _, it := range n.items {
		if !it.isScalar() {
			r.p.errorAt(n.pos(), "!reference must list keys, not nested values")
			return null
		}
		path = append(path, it.value)
	}
	name := "[" + strings.Join(path, ", ") + "]"
	if depth >= maxReferenceDepth {
		r.p.errorAt(n.pos(), "!reference %s nested deeper than %d levels", name, maxReferenceDepth)
		return null
	}
	if len(path) == 0 {
		r.p.errorAt(n.pos(), "!reference without keys")
		return null
	}
	target, ok := r.extended(path[0])
	for _, k := range path[1:] {
		target = target.get(k)
	}
	if !ok || target == nil {
		r.missing(owner, "reference", name, n.pos())
		return null
	}
	hop := model.Via{Kind: "reference", Name: name, File: n.f.report, Pos: n.pos()}
	cp := r.p.nodes.copyTree(target, hop)
	if cp == nil {
		return null
	}
	return r.refs(cp, owner, depth+1, key)
}

// flatten replaces nested lists by their items, up to the reference depth limit.
func flatten(items []*node, depth int) []*node {
	var out []*node
	for _, it := range items {
		if it.isSeq() && depth < maxReferenceDepth {
			out = append(out, flatten(it.items, depth+1)...)
			continue
		}
		if it.isNull() && it.yn != nil && it.yn.Kind != yaml.ScalarNode {
			continue // an unresolved !reference
		}
		out = append(out, it)
	}
	return out
}

// applyDefaults gives job the `default:` (and deprecated top-level) values of the keys
// it does not set, unless `inherit: default:` says otherwise.
func (r *resolver) applyDefaults(job *node) {
	allowed := inheritDefaults(job.get("inherit"))
	defaults := r.config.get("default")
	for _, key := range defaultKeys {
		if !allowed(key) {
			continue
		}
		if v := job.get(key); v != nil && !v.isNull() {
			continue
		}
		src, name := defaults.field(key), "default"
		if src == nil && globalDefaultKeys[key] {
			src, name = r.config.field(key), key
		}
		if src == nil || src.value.isNull() {
			continue
		}
		hop := model.Via{Kind: "default", Name: name, File: src.keyF.report, Pos: src.keyPos()}
		cp := r.p.nodes.copyTree(src.value, hop)
		if cp == nil {
			return
		}
		job.set(field{key: key, keyYN: src.keyYN, keyF: src.keyF, value: cp})
	}
}

// inheritDefaults returns which default keys a job inherits, from its `inherit:` value.
func inheritDefaults(inherit *node) func(string) bool {
	v := inherit.get("default")
	if v.isSeq() {
		keys := map[string]bool{}
		for _, it := range v.items {
			keys[it.value] = true
		}
		return func(k string) bool { return keys[k] }
	}
	if b, ok := boolValue(v); ok && !b {
		return func(string) bool { return false }
	}
	return func(string) bool { return true }
}

// scalarList returns the scalars of a value that is one scalar or a list of scalars.
func scalarList(n *node) []*node {
	if n.isScalar() {
		return []*node{n}
	}
	var out []*node
	if n.isSeq() {
		for _, it := range n.items {
			if it.isScalar() {
				out = append(out, it)
			}
		}
	}
	return out
}

// boolValue reads a boolean the way GitLab does, YAML 1.1 spellings included
// (yes/no/on/off/y/n).
func boolValue(n *node) (value, ok bool) {
	if !n.isScalar() {
		return false, false
	}
	switch n.value {
	case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y":
		return true, true
	case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N":
		return false, true
	}
	return false, false
}
