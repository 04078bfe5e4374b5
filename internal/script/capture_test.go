package script

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

func analyzeText(script, shell string) Result {
	return Analyze(Source{Text: script, Map: textpos.Verbatim(script, 1, 1), Shell: shell})
}

func TestRefExpansion(t *testing.T) {
	tests := []struct {
		script, shell string
		want          string
	}{
		{"echo $X", "", ""},
		{"echo ${X}", "", ""},
		{"echo ${X:-d}", "", ""},
		{"echo ${X:=d}", "", ""},
		{"echo ${X:?unset}", "", ""},
		{"echo ${X[0]}", "", ""},
		{"echo ${X@Q}", "", ""},
		{"echo ${X:0:4}", "", model.ExpansionPart},
		{"echo ${X:4}", "", model.ExpansionPart},
		{"echo ${X#Bearer }", "", model.ExpansionPart},
		{"echo ${X##*:}", "", model.ExpansionPart},
		{"echo ${X%@*}", "", model.ExpansionPart},
		{"echo ${X%%.*}", "", model.ExpansionPart},
		{"echo ${X/a/b}", "", model.ExpansionTransform},
		{"echo ${X//a/b}", "", model.ExpansionTransform},
		{"echo ${X^^}", "", model.ExpansionTransform},
		{"echo ${X,}", "", model.ExpansionTransform},
		{"echo ${X@U}", "", model.ExpansionTransform},
		{"echo ${#X}", "", model.ExpansionOther},
		{"echo ${!X}", "", model.ExpansionOther},
		{"echo ${X:+set}", "", model.ExpansionOther},
		{"echo ${X@a}", "", model.ExpansionOther},
		{"echo %X%", "cmd", ""},
		{"echo !X!", "cmd", ""},
		{"echo %X:~0,4%", "cmd", model.ExpansionPart},
		{"echo %X:a=b%", "cmd", model.ExpansionTransform},
		{"Write-Host $env:X", "pwsh", ""},
		{"Write-Host ${env:X}", "pwsh", ""},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			res := analyzeText(tt.script, tt.shell)
			if len(res.Commands) != 1 || len(res.Commands[0].Argv) != 2 {
				t.Fatalf("got %+v, want one command with two words", res.Commands)
			}
			refs := res.Commands[0].Argv[1].Refs
			if len(refs) == 0 || refs[0].Name != "X" {
				t.Fatalf("refs = %+v, want X first", refs)
			}
			if refs[0].Expansion != tt.want {
				t.Errorf("Expansion = %q, want %q", refs[0].Expansion, tt.want)
			}
		})
	}
}

// captured is what TestCapture checks of one command: its program and Capture.
type captured struct {
	Program string         `json:"program"`
	Capture *model.Capture `json:"capture,omitempty"`
}

func TestCapture(t *testing.T) {
	into := func(command int, v string) *model.Capture { return &model.Capture{Command: command, Var: v} }
	tests := []struct {
		name, script string
		want         []captured
	}{
		{
			name:   "an assignment captures into its variable",
			script: `B64=$(echo "$T" | base64 -w0)`,
			want:   []captured{{"", nil}, {"echo", into(0, "B64")}, {"base64", into(0, "B64")}},
		},
		{
			name:   "a declaration captures into its variable",
			script: "echo hi\nexport B=\"x$(rev <<< \"$T\")\"",
			want:   []captured{{"echo", nil}, {"export", nil}, {"rev", into(1, "B")}},
		},
		{
			name:   "a word of a command captures into that command",
			script: `echo "tok=$(printf %s "$T" | base64)" >> "$GITHUB_OUTPUT"`,
			want:   []captured{{"echo", nil}, {"printf", into(0, "")}, {"base64", into(0, "")}},
		},
		{
			name:   "an env prefix of a command captures into its variable for that command",
			script: `AUTH=$(cat t) curl -H "$AUTH" x`,
			want:   []captured{{"curl", nil}, {"cat", into(0, "AUTH")}},
		},
		{
			name:   "nested substitutions capture into the command around them",
			script: `X=$(echo "$(cut -c1-4 <<< "$T")")`,
			want:   []captured{{"", nil}, {"echo", into(0, "X")}, {"cut", into(1, "")}},
		},
		{
			name:   "an input process substitution is captured, an output one writes",
			script: `diff <(echo "$A") f; tee >(base64) < f`,
			want:   []captured{{"diff", nil}, {"echo", into(0, "")}, {"tee", nil}, {"base64", nil}},
		},
		{
			name:   "a for list has no receiving command",
			script: `for x in $(echo "$T"); do echo "$x"; done`,
			want:   []captured{{"echo", into(-1, "")}, {"echo", nil}},
		},
		{
			name:   "a redirection target captures into its command",
			script: `echo "$T" > "$(mktemp)"`,
			want:   []captured{{"echo", nil}, {"mktemp", into(0, "")}},
		},
		{
			name:   "a bash -c script replaced by its commands has no receiver",
			script: `bash -c "echo ok" $(echo arg)`,
			want:   []captured{{"echo", nil}, {"echo", into(-1, "")}},
		},
		{
			name:   "a heredoc-fed shell inside a substitution stays captured",
			script: "X=$(bash <<'EOF'\necho \"$T\"\nEOF\n)",
			want:   []captured{{"", nil}, {"bash", into(0, "X")}, {"echo", into(0, "X")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := analyzeText(tt.script, "")
			if len(res.Errors) > 0 {
				t.Fatalf("errors: %+v", res.Errors)
			}
			var got []captured
			for _, c := range res.Commands {
				program := ""
				if len(c.Argv) > 0 {
					program = c.Argv[0].Value
				}
				got = append(got, captured{program, c.Capture})
			}
			if !reflect.DeepEqual(got, tt.want) {
				g, _ := json.Marshal(got)
				e, _ := json.Marshal(tt.want)
				t.Errorf("got  %s\nwant %s", g, e)
			}
		})
	}
}

func TestAssignmentRefs(t *testing.T) {
	tests := []struct {
		name, script string
		// want lists, per env prefix of the first command, the names of its refs.
		want [][]string
	}{
		{"a bare assignment", `T="Bearer $A${B:0:2}"`, [][]string{{"A", "B"}}},
		{"an env prefix", `X=$A Y=lit cmd`, [][]string{{"A"}, nil}},
		{"an array", `ARR=("$A" b "$C")`, [][]string{{"A", "C"}}},
		{"a substitution's references are its commands'", `X=$(echo "$A")`, [][]string{nil}},
		{"single quotes read nothing", `X='$A'`, [][]string{nil}},
		{"an env wrapper argument", `env X="$A" cmd`, [][]string{{"A"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := analyzeText(tt.script, "")
			if len(res.Commands) == 0 {
				t.Fatal("no command")
			}
			var got [][]string
			for _, v := range res.Commands[0].EnvPrefix {
				var names []string
				for _, r := range v.Refs {
					names = append(names, r.Name)
				}
				got = append(got, names)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAssignmentRefPositions(t *testing.T) {
	script := "echo\n  T=\"x${A:1}\""
	res := analyzeText(script, "")
	refs := res.Commands[1].EnvPrefix[0].Refs
	want := []model.Ref{{Kind: model.RefShell, Name: "A", Quoting: model.QuotingDouble, Expansion: model.ExpansionPart,
		Pos: model.Pos{Line: 2, Col: 7, EndLine: 2, EndCol: 13}}}
	if !reflect.DeepEqual(refs, want) {
		t.Errorf("got %+v, want %+v", refs, want)
	}
}
