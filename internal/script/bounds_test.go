package script

import (
	"strings"
	"testing"
	"time"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// TestNestingBound checks that a script that could nest deeper than the shell parser
// can follow is reported, not parsed (a million `$(` overflowed the stack, fatally),
// while one within the bound is analysed as usual.
func TestNestingBound(t *testing.T) {
	tests := []struct {
		name   string
		script string
		// wantErrAt is the column of the bound's error on line 1, 0 for none.
		wantErrAt    int
		wantCommands int
	}{
		{name: "a million command substitutions", script: strings.Repeat("$(", 1_000_000), wantErrAt: 2*maxOpeners + 2},
		{name: "nested coproc keywords", script: strings.Repeat("coproc ", 300_000), wantErrAt: 7*maxOpeners + 1},
		{name: "keywords inside quotes count too", script: "echo '" + strings.Repeat("if ", maxOpeners+1) + "'", wantErrAt: 7 + 3*maxOpeners},
		{name: "within the bound", script: strings.Repeat("echo $(date); ", maxOpeners/2), wantCommands: maxOpeners},
		{name: "words that only start like keywords", script: strings.Repeat("iffy done_ ", maxOpeners+1), wantCommands: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Analyze(Source{Text: tt.script, Map: textpos.Verbatim(tt.script, 1, 1), Shell: "bash"})
			if tt.wantErrAt == 0 {
				if len(res.Errors) != 0 || len(res.Commands) != tt.wantCommands {
					t.Errorf("%d errors %v, %d commands; want none, %d", len(res.Errors), res.Errors, len(res.Commands), tt.wantCommands)
				}
				return
			}
			want := model.ParseError{Message: tooNestedMessage, Pos: model.Pos{Line: 1, Col: tt.wantErrAt, EndLine: 1, EndCol: tt.wantErrAt + 1}}
			if len(res.Errors) != 1 || res.Errors[0] != want || len(res.Commands) != 0 {
				t.Errorf("errors %+v, %d commands; want %+v and none", res.Errors, len(res.Commands), want)
			}
		})
	}
}

// TestRecoveryBound checks that a long script with a syntax error on every line is not
// read again and again: the parser's work stays a small multiple of the script.
func TestRecoveryBound(t *testing.T) {
	script := strings.Repeat("echo ;;\n", 20_000) + "echo ok\n"
	start := time.Now()
	res := Analyze(Source{Text: script, Map: textpos.Verbatim(script, 1, 1), Shell: "bash"})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("took %v", elapsed)
	}
	// 160 KB read at most 4 times plus 1 MiB: 11 resumptions, not maxRecoveries.
	if len(res.Errors) != 11 {
		t.Errorf("%d errors, want 11", len(res.Errors))
	}
}
