package discover

import (
	"bytes"

	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/parse/groovy"
)

// Content checks for candidate files (see classify): each reads the file's start of
// at most the size limit and says whether it is a pipeline of its platform, or why not.

// Reasons a candidate is skipped, as the summary prints them.
const (
	ReasonNotCircleCI = "not a CircleCI config (no top-level version with jobs or workflows)"
	ReasonNotJenkins  = "not a Jenkins pipeline (no top-level pipeline, node, stage or step call)"
	// ReasonNotComponent is never reported: templates/ of other tools are common.
	ReasonNotComponent = "not a GitLab CI/CD component (no spec: header document)"
	ReasonTooLarge     = "over the size limit, not read"
	ReasonUnreadable   = "could not be read"
	ReasonOutsideTree  = "a symbolic link out of the scanned tree, not followed"
)

// isCircleCIConfig reports whether YAML data is a CircleCI config: a top-level mapping
// with `version` and `jobs` or `workflows` (an orb's test-deploy.yml continuation, a
// second config such as config-gh-pages.yml), as opposed to another tool's file that
// lives in .circleci/ (stale.yml, jazzy.yml, test-suites.yml).
func isCircleCIConfig(data []byte) bool {
	top := topMapping(data)
	return top["version"] && (top["jobs"] || top["workflows"])
}

// isGitLabComponent reports whether YAML data is a GitLab CI/CD component: a first
// document holding only `spec:` (the inputs header), then a second document.
func isGitLabComponent(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var header yaml.Node
	if err := dec.Decode(&header); err != nil || len(header.Content) == 0 {
		return false
	}
	m := header.Content[0]
	if m.Kind != yaml.MappingNode || len(m.Content) != 2 || m.Content[0].Value != "spec" {
		return false
	}
	var body yaml.Node
	return dec.Decode(&body) == nil
}

// topMapping returns the keys of the top-level mapping of YAML data's first document.
func topMapping(data []byte) map[string]bool {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	keys := make(map[string]bool, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys[m.Content[i].Value] = true
	}
	return keys
}

// jenkinsEntrySteps are the calls whose presence at the top level of a Groovy file
// (outside function and class bodies) makes it a pipeline: declarative `pipeline {}`,
// scripted `node`/`stage`, Kubernetes `podTemplate`, and steps that only run inside a
// pipeline.
var jenkinsEntrySteps = map[string]bool{
	"pipeline": true, "node": true, "stage": true, "podTemplate": true, "parallel": true,
	"timestamps": true, "ansiColor": true, "withCredentials": true, "withEnv": true,
	"sh": true, "bat": true, "powershell": true,
}

// isJenkinsPipeline reports whether Groovy data is a Jenkins pipeline: its top level
// (not the bodies of functions or classes) calls one of jenkinsEntrySteps, or it
// consists of one lone call such as a shared library's `buildPlugin()`.
func isJenkinsPipeline(data []byte) bool {
	if declaresPackage(data) {
		return false
	}
	file, _ := groovy.Parse(data)
	var statements []groovy.Stmt
	for _, s := range file.Statements {
		switch s.(type) {
		case *groovy.Import, *groovy.Annotation:
			continue
		}
		statements = append(statements, s)
	}
	if len(statements) == 1 {
		if e, ok := statements[0].(*groovy.ExprStmt); ok {
			if c, ok := e.X.(*groovy.Call); ok {
				if _, bare := c.Callee.(*groovy.Ident); bare {
					return true
				}
			}
		}
	}
	for _, s := range statements {
		found := false
		groovy.Inspect(s, func(n groovy.Node) bool {
			switch n := n.(type) {
			case *groovy.Func, *groovy.Class:
				return false
			case *groovy.Call:
				if id, ok := n.Callee.(*groovy.Ident); ok && jenkinsEntrySteps[id.Name] {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// declaresPackage reports whether Groovy data starts, after comments, with a `package`
// declaration: the sources of a Groovy project, a Gradle plugin or a shared library's
// src/ do, pipeline scripts never do. It spares parsing them.
func declaresPackage(data []byte) bool {
	if bytes.HasPrefix(data, []byte("#!")) {
		data = afterByte(data, '\n')
	}
	for {
		data = bytes.TrimLeft(data, " \t\r\n\ufeff")
		switch {
		case bytes.HasPrefix(data, []byte("//")):
			data = afterByte(data, '\n')
		case bytes.HasPrefix(data, []byte("/*")):
			end := bytes.Index(data[2:], []byte("*/"))
			if end < 0 {
				return false
			}
			data = data[2+end+2:]
		default:
			return bytes.HasPrefix(data, []byte("package ")) || bytes.HasPrefix(data, []byte("package\t"))
		}
	}
}

// afterByte returns data after the first c, or nothing.
func afterByte(data []byte, c byte) []byte {
	if i := bytes.IndexByte(data, c); i >= 0 {
		return data[i+1:]
	}
	return nil
}
