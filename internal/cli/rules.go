package cli

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pipeguard/pipeguard/internal/config"
	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/report"
	"github.com/pipeguard/pipeguard/internal/scan"
)

// runRules lists every rule: id, severity, platforms and title, or the Markdown catalog
// with --format markdown.
func runRules(args []string, env Env) error {
	c := newCommand("rules", "Usage: pipeguard rules [--format table|markdown] [--policy DIR]…\n\nLists every rule: built-in, pipeguard's own and those of --policy directories.\n")
	var policyDirs stringList
	c.fs.Var(&policyDirs, "policy", "also load the Rego policies in `DIR`")
	format := c.fs.String("format", "table", "table or markdown")
	if _, err := c.parse(args, env); err != nil {
		return err
	}
	if err := checkChoice("--format", *format, []string{"table", "markdown"}); err != nil {
		return err
	}
	eng, err := loadEngine(context.Background(), engine.Options{PolicyDirs: policyDirs})
	if err != nil {
		return err
	}
	rules := scan.Rules(eng)
	if *format == "markdown" {
		return report.WriteRulesMarkdown(env.Stdout, rules)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tPERSONA\tPLATFORMS\tTITLE")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Persona, strings.Join(r.Platforms, ","), r.Title)
	}
	return tw.Flush()
}

// runExplain prints the full help of one rule.
func runExplain(args []string, env Env) error {
	c := newCommand("explain", "Usage: pipeguard explain RULE [--policy DIR]…\n\nPrints the full help of one rule.\n")
	var policyDirs stringList
	c.fs.Var(&policyDirs, "policy", "also load the Rego policies in `DIR`")
	rest, err := c.parse(args, env)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("usage: pipeguard explain RULE")
	}
	eng, err := loadEngine(context.Background(), engine.Options{PolicyDirs: policyDirs})
	if err != nil {
		return err
	}
	rules := scan.Rules(eng)
	i := slices.IndexFunc(rules, func(r model.Rule) bool { return r.ID == rest[0] })
	if i < 0 {
		return usagef("unknown rule %q%s; run 'pipeguard rules' for the list", rest[0], config.DidYouMean(rest[0], scan.RuleIDs(rules)))
	}
	r := rules[i]
	fmt.Fprintf(env.Stdout, "%s — %s\n\n", r.ID, r.Title)
	fmt.Fprintf(env.Stdout, "Severity:   %s\nConfidence: %s\nCategory:   %s\nPlatforms:  %s\nPersona:    %s\n",
		r.Severity, r.Confidence, r.Category, strings.Join(r.Platforms, ", "), r.Persona)
	if r.CWE != "" {
		fmt.Fprintf(env.Stdout, "CWE:        %s\n", r.CWE)
	}
	fmt.Fprintf(env.Stdout, "\n%s\n\nHow to fix:\n%s\n", r.Description, r.Help)
	return nil
}

// runPolicy runs `policy test`: the Rego unit tests of the built-in policies and of the
// given user policy directories.
func runPolicy(args []string, env Env) (int, error) {
	if len(args) == 0 || args[0] != "test" {
		return ExitUsage, usagef("usage: pipeguard policy test [DIR…]")
	}
	c := newCommand("policy test", "Usage: pipeguard policy test [DIR…]\n\nRuns the Rego unit tests (*_test.rego) of the built-in policies and of the policy directories DIR.\n")
	dirs, err := c.parse(args[1:], env)
	if err != nil {
		return ExitUsage, err
	}
	eng, err := loadEngine(context.Background(), engine.Options{PolicyDirs: dirs, Tests: true})
	if err != nil {
		return exitCodeOf(err), err
	}
	results, err := engine.RunPolicyTests(context.Background(), eng)
	if err != nil {
		return ExitInternal, err
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Name < results[j].Name })
	failed := 0
	for _, r := range results {
		status := "PASS"
		if !r.Pass() {
			status = "FAIL"
			failed++
		}
		fmt.Fprintf(env.Stdout, "%s %s.%s\n", status, r.Package, r.Name)
		if r.Error != nil {
			fmt.Fprintf(env.Stdout, "  error: %v\n", r.Error)
		}
	}
	fmt.Fprintf(env.Stdout, "%d passed, %d failed\n", len(results)-failed, failed)
	if failed > 0 {
		return ExitFindings, nil
	}
	return ExitOK, nil
}
