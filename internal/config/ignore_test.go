package config

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

func TestParseDirectives(t *testing.T) {
	type rule struct {
		id       string
		col, end int
	}
	type want struct {
		line      int
		rules     []rule
		reason    string
		malformed bool
	}
	tests := []struct {
		name string
		text string
		want []want
	}{
		{"YAML comment line", "jobs:\n  # pipeguard: ignore[hardcoded-token] test fixture\n  a: 1\n",
			[]want{{2, []rule{{"hardcoded-token", 23, 38}}, "test fixture", false}}},
		{"trailing comment, two rules", "    run: codex --yolo # pipeguard: ignore[agent-sandbox-bypass, hardcoded-token]\n",
			[]want{{1, []rule{{"agent-sandbox-bypass", 43, 63}, {"hardcoded-token", 65, 80}}, "", false}}},
		{"Groovy comment", "sh 'x' // pipeguard:ignore[parse-error] known\n",
			[]want{{1, []rule{{"parse-error", 28, 39}}, "known", false}}},
		{"code points before it", "é: ü # pipeguard: ignore[r]\n",
			[]want{{1, []rule{{"r", 26, 27}}, "", false}}},
		{"CRLF and no final newline", "a: 1\r\n# pipeguard: ignore[r] why\r", []want{{2, []rule{{"r", 21, 22}}, "why", false}}},
		{"no brackets", "# pipeguard: ignore hardcoded-token\n", []want{{1, nil, "", true}}},
		{"empty brackets", "# pipeguard: ignore[] x\n", []want{{1, nil, "x", true}}},
		{"not a comment", "url: http://x/pipeguard: ignore[r]\nname: a#pipeguard: ignore[r]\n", nil},
		{"another directive word", "# pipeguard: disable[r]\n", nil},
		{"none", "on: push\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []want
			for _, d := range ParseDirectives([]byte(tt.text)) {
				w := want{line: d.Line, reason: d.Reason, malformed: d.Malformed}
				for _, r := range d.Rules {
					if r.Pos.Line != d.Line || r.Pos.EndLine != d.Line {
						t.Errorf("rule %s on line %d, directive on %d", r.Value, r.Pos.Line, d.Line)
					}
					w.rules = append(w.rules, rule{r.Value, r.Pos.Col, r.Pos.EndCol})
				}
				got = append(got, w)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("directives %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDirectivePositionSpansTheComment(t *testing.T) {
	d := ParseDirectives([]byte("  # pipeguard: ignore[r] because\n"))
	if len(d) != 1 || d[0].Pos != (model.Pos{Line: 1, Col: 5, EndLine: 1, EndCol: 33}) || !d[0].Names("r") || d[0].Names("q") {
		t.Errorf("directive = %+v", d)
	}
}

// TestParseDirectivesIsLinear feeds texts that would make a careless scanner quadratic:
// one line full of markers, and one directive naming a million rules.
func TestParseDirectivesIsLinear(t *testing.T) {
	long := []byte(strings.Repeat("# pipeguard: ignore[r] ", 200000))
	if d := ParseDirectives(long); len(d) != 1 || len(d[0].Rules) != 1 {
		t.Errorf("a line of markers gives %d directives, want 1", len(d))
	}
	many := []byte("# pipeguard: ignore[" + strings.Repeat("r,", 1000000) + "]\n")
	if d := ParseDirectives(many); len(d) != 1 || len(d[0].Rules) != maxDirectiveRules {
		t.Errorf("a directive of a million rules keeps %d", len(d[0].Rules))
	}
}
