package yamlpos

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Resolve follows alias nodes to the node they name; other nodes are returned as they are.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// Lookup returns the (alias-resolved) value of key in mapping n, or nil. When the key is
// repeated, the last one wins, as GitLab and CircleCI accept.
func Lookup(n *yaml.Node, key string) *yaml.Node {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var found *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			found = n.Content[i+1]
		}
	}
	return Resolve(found)
}

// EachPair calls fn with every key and (alias-resolved) value of mapping n, in order.
func EachPair(n *yaml.Node, fn func(key, value *yaml.Node)) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i], Resolve(n.Content[i+1]))
	}
}

// KindName names a node kind for messages ("a mapping", "a string", …).
func KindName(n *yaml.Node) string {
	switch Resolve(n).Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return "a scalar"
	case yaml.DocumentNode:
		return "a document"
	}
	return "an unknown node"
}

var yamlLinePattern = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// ErrorPos returns the position a yaml.v3 error names ("yaml: line 7: …"), or 1:1.
func ErrorPos(err error) model.Pos {
	m := yamlLinePattern.FindStringSubmatch(err.Error())
	if m != nil && m[1] != "" {
		if line, convErr := strconv.Atoi(m[1]); convErr == nil && line > 0 {
			return model.Point(line, 1)
		}
	}
	return model.Point(1, 1)
}

// ErrorMessage returns a yaml.v3 error's text without its "yaml: line N:" prefix.
func ErrorMessage(err error) string {
	msg := yamlLinePattern.ReplaceAllString(err.Error(), "")
	return strings.TrimSpace(msg)
}
