package scan

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/testutil"
)

// gitlabRepo has a pipeline whose local include holds a literal token, and an include
// that does not exist.
func gitlabRepo(t *testing.T) string {
	return testutil.WriteTree(t, map[string]string{
		".git/HEAD": "x\n",
		".gitlab-ci.yml": `include:
  - local: ci/build.yml
  - local: ci/missing.yml
build:
  extends: .build
  script: [make]
`,
		"ci/build.yml":           ".build:\n  variables:\n    DEPLOY_TOKEN: " + fakeSecret + "\n",
		"ci/unrelated.yml":       "x: 1\n",
		".github/dependabot.yml": "version: 2\n",
	})
}

func TestHookScansThePipelineOfAChangedInclude(t *testing.T) {
	dir := gitlabRepo(t)
	scanHook := func(files ...string) *Result {
		var paths []string
		for _, f := range files {
			paths = append(paths, filepath.Join(dir, filepath.FromSlash(f)))
		}
		res, err := New(builtinEngine(t), Options{Hook: true}).Scan(t.Context(), paths)
		if err != nil || len(res.InputErrors) > 0 {
			t.Fatalf("%v %v", err, res.InputErrors)
		}
		return res
	}
	res := scanHook("ci/build.yml")
	if len(res.Files) != 1 || filepath.Base(res.Files[0].Path) != ".gitlab-ci.yml" {
		t.Fatalf("files %+v, want the .gitlab-ci.yml that includes ci/build.yml", res.Files)
	}
	if len(res.Findings) != 1 || !strings.HasSuffix(res.Findings[0].File, "ci/build.yml") || res.Findings[0].Line != 3 {
		t.Errorf("findings %+v, want the token in ci/build.yml:3", res.Findings)
	}
	for _, files := range [][]string{{"ci/unrelated.yml"}, {".github/dependabot.yml"}} {
		if res := scanHook(files...); len(res.Files)+len(res.Findings)+len(res.Skipped) != 0 {
			t.Errorf("hook with %v: files %+v findings %+v; want nothing, silently", files, res.Files, res.Findings)
		}
	}
}

func TestUnreadableIncludeIsAnErrorAndAnAuditorFinding(t *testing.T) {
	dir := gitlabRepo(t)
	regular := scanTree(t, dir, Options{Filter: Filter{Persona: model.PersonaRegular}})
	if len(regular.IncludeErrors) != 1 || !strings.Contains(regular.IncludeErrors[0].Message, "ci/missing.yml could not be read") ||
		!strings.HasSuffix(regular.IncludeErrors[0].File, ".gitlab-ci.yml") || !strings.HasPrefix(regular.IncludeErrors[0].Message, "3:12: ") {
		t.Errorf("include errors %+v", regular.IncludeErrors)
	}
	for _, f := range regular.Findings {
		if f.Rule == RuleUnreadableInclude {
			t.Errorf("unreadable-include at the regular persona: %+v", f)
		}
	}
	auditor := scanTree(t, dir, Options{Filter: Filter{Persona: model.PersonaAuditor}})
	found := false
	for _, f := range auditor.Findings {
		if f.Rule == RuleUnreadableInclude && f.Line == 3 && f.Column == 12 && f.Platform == model.PlatformGitLab {
			found = true
		}
	}
	if !found {
		t.Errorf("no unreadable-include finding at 3:12 for the auditor: %+v", auditor.Findings)
	}
}

func TestPathIgnoresAreRelativeToTheirBase(t *testing.T) {
	dir := gitlabRepo(t)
	base := filepath.Join(dir, "ci")
	res := scanTree(t, dir, Options{Filter: Filter{PathBase: base, IgnorePaths: []PathIgnore{{Glob: glob(t, "build.yml")}}}})
	held := false
	for _, s := range res.Suppressed {
		held = held || (s.Rule == "hardcoded-token" && s.Stage == StagePathIgnore)
	}
	if len(res.Findings) != 0 || !held {
		t.Errorf("findings %+v suppressed %+v; want the token held back by the path ignore", res.Findings, res.Suppressed)
	}
	outside := scanTree(t, dir, Options{Filter: Filter{PathBase: filepath.Join(dir, "elsewhere"), IgnorePaths: []PathIgnore{{Glob: glob(t, "**")}}}})
	if len(outside.Findings) != 1 {
		t.Errorf("a pattern matched a file outside its base: %+v", outside.Findings)
	}
}

func TestProgressCountsEveryFile(t *testing.T) {
	dir := ignoreTree(t)
	var calls, last, total int
	scanTree(t, dir, Options{Progress: func(done, n int) { calls++; last, total = done, n }})
	if calls != 4 || last != 4 || total != 4 {
		t.Errorf("progress called %d times, last %d/%d; want 4 calls ending at 4/4", calls, last, total)
	}
}
