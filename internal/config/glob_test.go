package config

import "testing"

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		noMatch []string
	}{
		{"testdata/**", []string{"testdata/a.yml", "testdata/rules/x/.github/workflows/ci.yml"}, []string{"testdata", "src/testdata/a.yml", "testdatax/a.yml"}},
		{"testdata", []string{"testdata", "testdata/a/b.yml", "src/testdata/a.yml"}, []string{"testdatax/a.yml"}},
		{"/testdata", []string{"testdata/a/b.yml"}, []string{"src/testdata/a.yml"}},
		{"testdata/", []string{"testdata/a.yml", "src/testdata/b.yml"}, []string{"testdata"}},
		{"*.gen.yml", []string{"a.gen.yml", "deep/dir/b.gen.yml"}, []string{"a.gen.yaml", "a.yml"}},
		{".github/workflows/*.yml", []string{".github/workflows/ci.yml"}, []string{".github/workflows/sub/ci.yml", "x/.github/workflows/ci.yml"}},
		{"**/workflows/*.{yml,yaml}", []string{".github/workflows/a.yaml", "workflows/b.yml", "x/y/workflows/c.yml"}, []string{"workflows/c.json"}},
		{"docs/**/*.yml", []string{"docs/a.yml", "docs/x/y/a.yml"}, []string{"docs.yml", "src/docs/a.yml"}},
		{"a?c/[0-9]*.yml", []string{"abc/1x.yml", "a-c/9.yml"}, []string{"ac/1.yml", "a/c/1.yml", "abc/x1.yml"}},
		{"[!a]*.yml", []string{"b.yml", "dir/c.yml"}, []string{"a.yml"}},
		{`a\*b.yml`, []string{"a*b.yml"}, []string{"axb.yml"}},
		{"a,b:c%d.yml", []string{"a,b:c%d.yml"}, []string{"abc.yml"}},
		{"my workflow #1.yml", []string{"dir/my workflow #1.yml"}, []string{"my workflow 1.yml"}},
		{"**", []string{"a", "a/b/c"}, nil},
		{"x/**/y", []string{"x/y", "x/a/b/y", "x/y/z"}, []string{"xy", "a/x/y"}},
	}
	for _, tt := range tests {
		g, err := CompileGlob(tt.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		for _, p := range tt.match {
			if !g.Match(p) {
				t.Errorf("%q does not match %q", tt.pattern, p)
			}
		}
		for _, p := range tt.noMatch {
			if g.Match(p) {
				t.Errorf("%q matches %q", tt.pattern, p)
			}
		}
	}
}

func TestGlobErrors(t *testing.T) {
	for pattern, want := range map[string]string{
		"":        "empty pattern",
		"/":       "the pattern names no path",
		"a//b":    "empty path segment (`//`)",
		"a[b":     "`[` without a closing `]`",
		"{a,b":    "`{` without a closing `}`",
		"a}":      "`}` without an opening `{`",
		"{a,{b}}": "nested `{` alternatives are not supported",
		`trail\`:  "the pattern ends with `\\`",
		"x" + string(make([]byte, maxGlobLength)): "pattern longer than 1024 characters",
	} {
		if _, err := CompileGlob(pattern); err == nil || err.Error() != want {
			t.Errorf("CompileGlob(%.20q) = %v, want %s", pattern, err, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"hardcoded-token", "agent-sandbox-bypass", "parse-error", "json", "sarif", "text"}
	for got, want := range map[string]string{
		"hardcoded-tokn":  "hardcoded-token",
		"hardcoded_token": "hardcoded-token",
		"jsn":             "json",
		"sarfi":           "sarif",
		"xml":             "",
		"parse-error":     "",
		"":                "",
	} {
		if s := Suggest(got, known); s != want {
			t.Errorf("Suggest(%q) = %q, want %q", got, s, want)
		}
	}
	if DidYouMean("jsn", known) != ` (did you mean "json"?)` || DidYouMean("xml", known) != "" {
		t.Error("DidYouMean")
	}
}
