package ghexpr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// describe renders a context as `path[flags]{funcs}@start-end`, flags C computed,
// W whole, D derived, U untrusted, A author-controlled, O opaque.
func describe(c Context) string {
	flags := ""
	for _, f := range []struct {
		on   bool
		name string
	}{{c.Computed, "C"}, {c.Whole, "W"}, {c.Derived, "D"}, {c.Untrusted, "U"}, {c.AuthorControlled, "A"}, {c.Opaque, "O"}} {
		if f.on {
			flags += f.name
		}
	}
	s := c.Path
	if flags != "" {
		s += "[" + flags + "]"
	}
	if len(c.Funcs) > 0 {
		s += "{" + strings.Join(c.Funcs, ",") + "}"
	}
	return fmt.Sprintf("%s@%d-%d", s, c.Start, c.End)
}

func describeAll(cs []Context) string {
	var out []string
	for _, c := range cs {
		out = append(out, describe(c))
	}
	return strings.Join(out, " ")
}

func TestReads(t *testing.T) {
	tests := []struct {
		expr string
		want string
	}{
		// Plain names: the fast path.
		{"secrets.NPM_TOKEN", "secrets.NPM_TOKEN@0-17"},
		{"  github.sha ", "github.sha@2-12"},
		{"github.head_ref", "github.head_ref[U]@0-15"},
		{"github.event.issue.number", "github.event.issue.number@0-25"},
		{"github.event.pull_request.head.sha", "github.event.pull_request.head.sha@0-34"},
		{"github.event.commits.*.message", "github.event.commits.*.message[U]@0-30"},
		{"inputs.my-input", "inputs.my-input[A]@0-15"},
		{"github.event.client_payload.body", "github.event.client_payload.body[A]@0-32"},
		{"Github.Event.Inputs.name", "Github.Event.Inputs.name[A]@0-24"},
		{"inputs", "inputs[WA]@0-6"},
		{"secrets", "secrets[W]@0-7"},
		{"true", ""},
		{"null", ""},
		// Index forms are folded into the path.
		{"github.event['issue']['title']", "github.event.issue.title[U]@0-30"},
		{"github.event.commits[0].message", "github.event.commits.*.message[U]@0-31"},
		{"GitHub.Event.Issue.Title", "GitHub.Event.Issue.Title[U]@0-24"},
		{"(github.event.issue).title", "github.event.issue.title[U]@0-26"},
		{"github.event.*.body", "github.event.*.body[U]@0-19"},
		// Whole objects.
		{"toJSON(github.event)", "github.event[WU]{toJSON}@7-19"},
		{"toJSON(secrets)", "secrets[W]{toJSON}@7-14"},
		{"toJSON(secrets.X)", "secrets.X{toJSON}@7-16"},
		{"toJSON(github.event.issue.title)", "github.event.issue.title[U]{toJSON}@7-31"},
		{"secrets[format('{0}_TOKEN', matrix.env)]", "secrets.*[CW]@0-40 matrix.env[O]{format}@28-38"},
		{"github.event.commits[github.run_attempt].message", "github.event.commits.*.message[CU]@0-48 github.run_attempt[O]@21-39"},
		{"secrets[github.event.issue.title]", "secrets.*[CW]@0-33 github.event.issue.title[O]@8-32"},
		{"join(github.event.commits.*.message)", "github.event.commits.*.message[U]{join}@5-35"},
		{"toJSON(github.event.inputs)", "github.event.inputs[WA]{toJSON}@7-26"},
		// Functions and what reaches the result.
		{"fromJSON(secrets.CONFIG).token", "secrets.CONFIG[D]{fromJSON}@9-23"},
		{"fromJSON(steps.meta.outputs.json)[0]", "steps.meta.outputs.json[D]{fromJSON}@9-32"},
		{"format('{0}', github.event.issue.title)", "github.event.issue.title[U]{format}@14-38"},
		{"contains(github.event.issue.title, 'x')", "github.event.issue.title[O]{contains}@9-33"},
		{"format('{0}', inputs.title)", "inputs.title[A]{format}@14-26"},
		{"contains(inputs.labels, 'x') || inputs.x == 'y'", "inputs.labels[O]{contains}@9-22 inputs.x[O]@32-40"},
		{"startsWith(github.head_ref, 'x') && github.head_ref", "github.head_ref[O]{startsWith}@11-26 github.head_ref[U]@36-51"},
		{"format('{0}', contains(toJSON(github.event), 'x'))", "github.event[WO]{toJSON,contains,format}@30-42"},
		{"github.head_ref || 'main'", "github.head_ref[U]@0-15"},
		{"github.event.issue.title == 'x'", "github.event.issue.title[O]@0-24"},
		{"secrets.WINDOWS_PFX_BASE64 != ''", "secrets.WINDOWS_PFX_BASE64[O]@0-26"},
		{"format('{0}', secrets.X)", "secrets.X{format}@14-23"},
		{"!github.event.pull_request.head.repo.fork", "github.event.pull_request.head.repo.fork[O]@1-41"},
		{"1 == 1", ""},
		// `[*]` is GitHub's, not actionlint's: read as the object filter `.*`.
		{"join(fromJSON(steps.p.outputs.urls)[*].type, ',')", "steps.p.outputs.urls[D]{fromJSON,join}@14-34"},
		{"github.event.commits[*].message", "github.event.commits.*.message[U]@0-31"},
		{"contains('[*]', github.head_ref)", "github.head_ref[O]{contains}@16-31"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := Reads(tt.expr)
			if err != nil {
				t.Fatalf("Reads(%q): %v", tt.expr, err)
			}
			if s := describeAll(got); s != tt.want {
				t.Errorf("Reads(%q)\n got %s\nwant %s", tt.expr, s, tt.want)
			}
		})
	}
}

func TestReadsErrors(t *testing.T) {
	tests := []struct {
		expr    string
		message string
		offset  int
	}{
		{"github.event.", "unexpected end of input while parsing object property dereference like 'a.b' or array element dereference like 'a.*'. expecting \"IDENT\", \"*\"", 13},
		{"a }} b", "unexpected `}}` inside the expression", 2},
		{`"x"`, "got unexpected character '\"' while lexing expression, expecting 'a'..'z', 'A'..'Z', '_', '0'..'9', ''', '}', '(', ')', '[', ']', '.', '!', '<', '>', '=', '&', '|', '*', ',', ' '. do you mean string literals? only single quotes are available for string delimiter", 0},
		{"f(" + strings.Repeat("a,", maxTokens) + "a)", "expression of more than 2048 tokens is not analysed", 2048},
		{strings.Repeat("(", maxLen+1), "expression of 8193 bytes is longer than the 8192 analysed", 0},
	}
	for _, tt := range tests {
		t.Run(tt.expr[:min(len(tt.expr), 20)], func(t *testing.T) {
			got, err := Reads(tt.expr)
			if err == nil {
				t.Fatalf("Reads(%q) = %v, want an error", tt.expr, got)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Reads(%q) error %v is not an *Error", tt.expr, err)
			}
			if e.Message != tt.message || e.Offset != tt.offset {
				t.Errorf("error = %q at %d, want %q at %d", e.Message, e.Offset, tt.message, tt.offset)
			}
		})
	}
}

func TestPlainName(t *testing.T) {
	for name, want := range map[string]bool{
		"secrets.X": true, "github.event.commits.*.message": true, "a-b.c_d": true, "x": true,
		"": false, "*": false, "a.": false, ".a": false, "a..b": false, "1a": false, "a.-b": false,
		"a.b*": false, "a.*b": false, "a b": false, "a['b']": false, "a.1": false,
	} {
		if got := isPlainName(name); got != want {
			t.Errorf("isPlainName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestConditionAlways(t *testing.T) {
	tests := []struct {
		cond   string
		always bool
	}{
		{"always()", true},
		{"${{ always() }}", true},
		{"Always()", true},
		{"always() && github.event_name == 'push'", true},
		{"!cancelled()", true},
		{"success() || failure()", true},
		{"failure() || github.event_name == 'schedule'", true},
		{"!(always() && steps.a.outcome == 'success')", true},
		{"always() == true", true},
		{"!always()", false},
		{"failure()", false},
		{"cancelled()", false},
		{"success()", false},
		{"always() && false", false},
		{"always() && failure()", false},
		{"github.event_name == 'push'", false},
		{"contains(github.ref, 'always()')", false},
		{"always", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			c := ParseCondition(tt.cond, nil)
			if c.Invalid != "" {
				t.Fatalf("invalid: %s", c.Invalid)
			}
			if c.Always != tt.always {
				t.Errorf("Always(%q) = %v, want %v", tt.cond, c.Always, tt.always)
			}
		})
	}
}

func TestConditionReadsAndInvalid(t *testing.T) {
	tests := []struct {
		cond      string
		reads     string
		invalid   string
		invalidAt int
	}{
		{"${{ github.event_name == 'push' }}", "github.event_name[O]@4-21", "", 0},
		{"  ${{ inputs.publish }} ", "inputs.publish[A]@6-20", "", 0},
		{"github.event.issue.pull_request && contains(github.event.comment.body, '/run')", "github.event.issue.pull_request@0-31 github.event.comment.body[O]{contains}@44-69", "", 0},
		{"${{ github.event_name == 'push' }} && ${{ true }}", "", "got unexpected character '$' while lexing expression, expecting 'a'..'z', 'A'..'Z', '_', '0'..'9', ''', '}', '(', ')', '[', ']', '.', '!', '<', '>', '=', '&', '|', '*', ',', ' '", 0},
		{"${{ github.ref == }}", "", "unexpected end of input while parsing variable access, function call, null, bool, int, float or string. expecting \"IDENT\", \"(\", \"INTEGER\", \"FLOAT\", \"STRING\"", 18},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			c := ParseCondition(tt.cond, nil)
			if got := describeAll(c.Reads); got != tt.reads {
				t.Errorf("reads = %s, want %s", got, tt.reads)
			}
			if c.Invalid != tt.invalid || c.InvalidAt != tt.invalidAt {
				t.Errorf("invalid = %q at %d, want %q at %d", c.Invalid, c.InvalidAt, tt.invalid, tt.invalidAt)
			}
		})
	}
}

// describeGuards renders guards as `kind(detail)[events]@start-end`.
func describeGuards(gs []Guard) string {
	var out []string
	for _, g := range gs {
		s := g.Kind + "(" + g.Detail + ")"
		if len(g.Events) > 0 {
			s += "[" + strings.Join(g.Events, ",") + "]"
		}
		out = append(out, fmt.Sprintf("%s@%d-%d", s, g.Start, g.End))
	}
	return strings.Join(out, " ")
}

func TestConditionGuards(t *testing.T) {
	events := []string{"push", "pull_request", "pull_request_target"}
	tests := []struct {
		cond string
		want string
	}{
		// Same repository.
		{"github.event.pull_request.head.repo.full_name == github.repository",
			"same-repo(github.event.pull_request.head.repo.full_name == github.repository)@0-66"},
		{"${{ github.repository == github.event.pull_request.head.repo.full_name }}",
			"same-repo(github.repository == github.event.pull_request.head.repo.full_name)@4-70"},
		{"!github.event.pull_request.head.repo.fork", "same-repo(!github.event.pull_request.head.repo.fork)@0-41"},
		{"github.event.pull_request.head.repo.fork == false", "same-repo(github.event.pull_request.head.repo.fork == false)@0-49"},
		{"github.event.pull_request.head.repo.fork != true", "same-repo(github.event.pull_request.head.repo.fork != true)@0-48"},
		{"github.event.pull_request.head.repo.id == github.repository_id", "same-repo(github.event.pull_request.head.repo.id == github.repository_id)@0-62"},
		{"github.event.workflow_run.head_repository.full_name == github.repository", "same-repo(github.event.workflow_run.head_repository.full_name == github.repository)@0-72"},
		{"github.event.pull_request.head.repo.owner.login == github.repository_owner", "same-repo(github.event.pull_request.head.repo.owner.login == github.repository_owner)@0-74"},
		{"github.event.pull_request.head.repo.full_name == 'octo/repo'", "same-repo(github.event.pull_request.head.repo.full_name == 'octo/repo')@0-60"},
		{"github.event['pull_request']['head']['repo']['fork'] == false", "same-repo(github.event['pull_request']['head']['repo']['fork'] == false)@0-61"},
		{"github.event.pull_request.head.repo.full_name != github.repository", ""},
		{"github.event.pull_request.head.repo.fork", ""},
		{"github.event.pull_request.head.repo.fork == true", ""},
		{"github.repository == 'octo/repo'", ""},
		// Actors, associations and labels.
		{"github.actor == 'octocat'", "actor(github.actor == 'octocat')@0-25"},
		{"'octocat' == github.triggering_actor", "actor('octocat' == github.triggering_actor)@0-36"},
		{"github.event.sender.login == 'octocat'", "actor(github.event.sender.login == 'octocat')@0-38"},
		{"github.event.pull_request.user.login == 'dependabot[bot]'", "actor(github.event.pull_request.user.login == 'dependabot[bot]')@0-57"},
		{"contains(fromJSON('[\"a\", \"b\"]'), github.actor)", "actor(contains(fromJSON('[\"a\", \"b\"]'), github.actor))@0-46"},
		{"contains('a,b', github.actor)", "actor(contains('a,b', github.actor))@0-29"},
		{"github.event.comment.author_association == 'OWNER'", "actor(github.event.comment.author_association == 'OWNER')@0-50"},
		{"github.event.comment.author_association == 'member'", "actor(github.event.comment.author_association == 'member')@0-51"},
		{"contains(fromJSON('[\"OWNER\",\"MEMBER\"]'), github.event.comment.author_association)", "actor(contains(fromJSON('[\"OWNER\",\"MEMBER\"]'), github.event.comment.author_association))@0-81"},
		{"contains('OWNER,MEMBER,COLLABORATOR', github.event.issue.author_association)", "actor(contains('OWNER,MEMBER,COLLABORATOR', github.event.issue.author_association))@0-76"},
		{"contains(fromJSON('[\"OWNER\",\"CONTRIBUTOR\"]'), github.event.comment.author_association)", ""},
		{"contains('OWNER,NONE', github.event.comment.author_association)", ""},
		{"github.event.comment.author_association == 'CONTRIBUTOR'", ""},
		{"github.event.comment.author_association != 'NONE'", ""},
		{"contains(github.event.pull_request.labels.*.name, 'safe to test')", "actor(contains(github.event.pull_request.labels.*.name, 'safe to test'))@0-65"},
		{"github.event.label.name == 'ok-to-test'", "actor(github.event.label.name == 'ok-to-test')@0-39"},
		{"github.event.sender.type != 'Bot'", ""},
		{"github.actor != 'dependabot[bot]'", ""},
		{"contains(github.event.comment.body, '/test')", ""},
		// Events.
		{"github.event_name == 'push'", "event(github.event_name == 'push')[push]@0-27"},
		{"github.event_name == 'PUSH'", "event(github.event_name == 'PUSH')[push]@0-27"},
		{"github.event_name != 'pull_request_target'", "event(github.event_name != 'pull_request_target')[push,pull_request]@0-42"},
		{"contains(fromJSON('[\"push\",\"schedule\"]'), github.event_name)", "event(contains(fromJSON('[\"push\",\"schedule\"]'), github.event_name))[push]@0-60"},
		{"github.event_name == 'push' || github.event_name == 'pull_request'", "event(github.event_name == 'push' || github.event_name == 'pull_request')[push,pull_request]@0-66"},
		// Combinations.
		{"github.event_name == 'push' && github.actor == 'octocat'", "event(github.event_name == 'push')[push]@0-27 actor(github.actor == 'octocat')@31-56"},
		{"github.event_name == 'push' || github.actor == 'octocat'", "actor(github.event_name == 'push' || github.actor == 'octocat')[pull_request,pull_request_target]@0-56"},
		{"github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository",
			"same-repo(github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository)[pull_request]@0-105"},
		{"github.event_name != 'pull_request' || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == 'o/r')",
			"event(github.event_name != 'pull_request' || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == 'o/r'))[push,pull_request_target,pull_request]@0-134 " +
				"same-repo(github.event_name != 'pull_request' || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == 'o/r'))[pull_request]@0-134"},
		{"(github.event_name == 'push' || github.actor == 'a') || github.actor == 'b'", "actor((github.event_name == 'push' || github.actor == 'a') || github.actor == 'b')[pull_request,pull_request_target]@0-75"},
		{"github.actor == 'a' || github.event.pull_request.head.repo.fork == false", "actor(github.actor == 'a' || github.event.pull_request.head.repo.fork == false)@0-72"},
		{"github.event.pull_request.head.repo.fork == false || (github.event.pull_request.head.repo.fork == true && contains(github.event.pull_request.labels.*.name, 'ok'))",
			"actor(github.event.pull_request.head.repo.fork == false || (github.event.pull_request.head.repo.fork == true && contains(github.event.pull_request.labels.*.name, 'ok')))@0-162"},
		{"(github.event_name == 'push' && github.event.pull_request.head.repo.fork == false) || github.actor == 'a'",
			"actor((github.event_name == 'push' && github.event.pull_request.head.repo.fork == false) || github.actor == 'a')[pull_request,pull_request_target]@0-105"},
		{"github.actor == 'a' || github.event.pull_request.head.repo.fork", ""},
		{"contains(fromJSON('[\"OWNER\",\"MEMBER\"]'), github.event.comment.author_association || github.event.issue.author_association)",
			"actor(contains(fromJSON('[\"OWNER\",\"MEMBER\"]'), github.event.comment.author_association || github.event.issue.author_association))@0-122"},
		{"contains(fromJSON('[\"OWNER\",\"MEMBER\"]'), github.event.comment.author_association || github.event.comment.body)", ""},
		{"(github.event_name == 'a' && github.event_name == 'b') || (github.event_name == 'c' && github.event_name == 'd')", ""},
		{"github.actor == 'a' || (github.actor == 'b' && github.event_name == 'push')", "actor(github.actor == 'a' || (github.actor == 'b' && github.event_name == 'push'))@0-75"},
		{"(github.event_name != 'pull_request_target' || !github.event.pull_request.head.repo.fork) && always()",
			"same-repo(github.event_name != 'pull_request_target' || !github.event.pull_request.head.repo.fork)[pull_request_target]@1-88"},
		{"!(github.actor == 'octocat')", ""},
		{"!(github.event.pull_request.head.repo.fork)", "same-repo(!(github.event.pull_request.head.repo.fork))@0-43"},
		{"${{ always() && (github.event.pull_request.head.repo.full_name == github.repository || github.event_name == 'push') && github.event_name == 'push' }}",
			"same-repo(github.event.pull_request.head.repo.full_name == github.repository || github.event_name == 'push')[pull_request,pull_request_target]@17-114 " +
				"event(github.event_name == 'push')[push]@119-146"},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			c := ParseCondition(tt.cond, events)
			if c.Invalid != "" {
				t.Fatalf("invalid: %s", c.Invalid)
			}
			if got := describeGuards(c.Guards); got != tt.want {
				t.Errorf("guards of %q\n got %s\nwant %s", tt.cond, got, tt.want)
			}
			for _, g := range c.Guards {
				if tt.cond[g.Start:g.End] != g.Detail {
					t.Errorf("detail %q is not the text at %d-%d", g.Detail, g.Start, g.End)
				}
			}
		})
	}
}

func TestEventGuardWithoutKnownTriggers(t *testing.T) {
	for _, cond := range []string{
		"github.event_name != 'pull_request_target'",
		"github.event_name == 'push' || github.actor == 'octocat'",
	} {
		if c := ParseCondition(cond, nil); len(c.Guards) != 0 {
			t.Errorf("guards of %q = %s, want none when the triggers are unknown", cond, describeGuards(c.Guards))
		}
	}
}

func FuzzParseCondition(f *testing.F) {
	for _, seed := range []string{
		"${{ always() && github.actor == 'x' }}",
		"!(github.event.pull_request.head.repo.fork) || contains(fromJSON('[\"a\"]'), github.actor)",
		"toJSON(secrets[format('{0}', matrix.x)]).a[0].*",
		"((((a))))", "f(", "'", "a }} b", "fromJSON('[1,')", "github.event_name != 'x' || github.event_name == 'y'",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := ParseCondition(s, []string{"push"})
		for _, r := range c.Reads {
			if r.Start < 0 || r.End > len(s) || r.Start > r.End {
				t.Fatalf("read %+v outside %q", r, s)
			}
		}
		for _, g := range c.Guards {
			if g.Start < 0 || g.End > len(s) || s[g.Start:g.End] != g.Detail {
				t.Fatalf("guard %+v outside %q", g, s)
			}
		}
		if c.InvalidAt < 0 || c.InvalidAt > len(s) {
			t.Fatalf("invalid at %d outside %q", c.InvalidAt, s)
		}
		reads, _ := Reads(s)
		for _, r := range reads {
			if r.Start < 0 || r.End > len(s) || r.Start >= r.End {
				t.Fatalf("read %+v outside %q", r, s)
			}
		}
	})
}

func TestReadsTextOrOpaque(t *testing.T) {
	tests := []struct {
		expr string
		want []bool // for each context in order: it reaches the result as text (not Opaque)
	}{
		{"steps.meta.outputs.title", []bool{true}},
		{"format('{0}', env.TITLE)", []bool{true}},
		{"steps.a.outputs.x || needs.b.outputs.y", []bool{true, true}},
		{"contains(steps.meta.outputs.title, 'x')", []bool{false}},
		{"steps.meta.outputs.title == 'x'", []bool{false}},
		{"!env.SKIP", []bool{false}},
		{"fromJSON(steps.m.outputs.json).title", []bool{true}},
		{"secrets[env.NAME]", []bool{true, false}},
	}
	for _, tt := range tests {
		got, err := Reads(tt.expr)
		if err != nil {
			t.Fatalf("Reads(%q): %v", tt.expr, err)
		}
		var asText []bool
		for _, c := range got {
			asText = append(asText, !c.Opaque)
		}
		if fmt.Sprint(asText) != fmt.Sprint(tt.want) {
			t.Errorf("Reads(%q): as text (not Opaque) %v, want %v", tt.expr, asText, tt.want)
		}
	}
}

func TestConditionPinned(t *testing.T) {
	tests := []struct {
		cond string
		want []string
	}{
		{"github.event.workflow_run.event == 'push' && github.event.workflow_run.head_branch == 'master'", []string{"github.event.workflow_run.event", "github.event.workflow_run.head_branch"}},
		{"${{ 'main' == github.head_ref }}", []string{"github.head_ref"}},
		{"github.head_ref == 'a' || github.head_ref == 'b' && github.actor == 'x'", []string{"github.head_ref"}},
		{"github.head_ref == 'a' || github.actor == 'x'", nil},
		{"contains(fromJSON('[\"a\", \"b\"]'), github.event.pull_request.head.ref)", []string{"github.event.pull_request.head.ref"}},
		{"contains('a b', github.head_ref)", nil},
		{"!(github.head_ref == 'a')", nil},
		{"github.head_ref != 'a'", nil},
		{"startsWith(github.head_ref, 'release/')", nil},
		{"github.head_ref == github.base_ref", nil},
		{"github.Event.Issue.Title == 1", []string{"github.event.issue.title"}},
		{"github.head_ref", nil},
	}
	for _, tt := range tests {
		got := ParseCondition(tt.cond, nil).Pinned
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("ParseCondition(%q).Pinned = %v, want %v", tt.cond, got, tt.want)
		}
	}
}
