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

// parserProblems are the messages of yaml.v3's parser (as opposed to its scanner).
// For them yaml.v3 prints the 0-based line of the construct that failed (a flow
// sequence's `[`, say), and no line at all for line 0; scanner errors carry 1-based
// lines.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found duplicate %TAG directive",
	"found incompatible YAML document",
}

// ErrorPos returns the 1-based line a yaml.v3 syntax error in s names ("yaml: line 7:
// …"), at column 1, or 1:1 when it names none. A line past the end of the file (an
// unexpected end of stream) is the file's last line.
func (s *Source) ErrorPos(err error) model.Pos {
	msg := err.Error()
	line := 0
	if m := yamlLinePattern.FindStringSubmatch(msg); m != nil && m[1] != "" {
		line, _ = strconv.Atoi(m[1])
	}
	for _, problem := range parserProblems {
		if strings.HasSuffix(msg, problem) {
			line++ // a 0-based line, or line 0 printed as none
			break
		}
	}
	last := s.LineCount()
	if last > 1 && len(s.lines[last-1]) == 0 {
		last-- // the empty "line" after the final line break
	}
	return model.Point(max(min(line, last), 1), 1)
}

// ErrorMessage returns a yaml.v3 error's text without its "yaml: line N:" prefix.
func ErrorMessage(err error) string {
	msg := yamlLinePattern.ReplaceAllString(err.Error(), "")
	return strings.TrimSpace(msg)
}

// ExpandedSize returns how many nodes the tree under n holds once every alias is
// expanded where it stands (a parser that follows aliases visits that many), counting
// up to limit: it returns a number over limit as soon as the count passes it. It takes
// time linear in the nodes as written, whatever their expansion: an alias bomb (an
// anchored list of 1,000 steps reused by 1,000 jobs) is measured, not expanded. An
// alias to a node that contains it counts as one node.
func ExpandedSize(n *yaml.Node, limit int) int {
	e := expansion{limit: limit, sizes: map[*yaml.Node]int{}, active: map[*yaml.Node]bool{}}
	return e.size(n)
}

// expansion memoizes the expanded size of anchored nodes.
type expansion struct {
	limit  int
	sizes  map[*yaml.Node]int
	active map[*yaml.Node]bool
}

func (e *expansion) size(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	if n.Kind == yaml.AliasNode {
		target := n.Alias
		if target == nil || e.active[target] {
			return 1
		}
		if s, ok := e.sizes[target]; ok {
			return s
		}
		e.active[target] = true
		s := e.size(target)
		delete(e.active, target)
		e.sizes[target] = s
		return s
	}
	total := 1
	for _, c := range n.Content {
		if total += e.size(c); total > e.limit {
			return total
		}
	}
	return total
}
