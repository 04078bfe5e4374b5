package cli

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pipeguard/pipeguard/internal/engine"
	"github.com/pipeguard/pipeguard/internal/report"
)

// runRules lists every rule: id, severity, platforms and title, or the Markdown catalog
// with --format markdown.
func runRules(args []string, env Env) error {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var policyDirs stringList
	fs.Var(&policyDirs, "policy", "also load the Rego policies in `DIR`")
	format := fs.String("format", "table", "table or markdown")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if *format != "table" && *format != "markdown" {
		return usagef("unknown --format %q for rules (want table or markdown)", *format)
	}
	eng, err := engine.Load(context.Background(), engine.Options{PolicyDirs: policyDirs})
	if err != nil {
		return err
	}
	if *format == "markdown" {
		return report.WriteRulesMarkdown(env.Stdout, eng.Rules())
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tPERSONA\tPLATFORMS\tTITLE")
	for _, r := range eng.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Persona, strings.Join(r.Platforms, ","), r.Title)
	}
	return tw.Flush()
}

// runExplain prints the full help of one rule.
func runExplain(args []string, env Env) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var policyDirs stringList
	fs.Var(&policyDirs, "policy", "also load the Rego policies in `DIR`")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if fs.NArg() != 1 {
		return usagef("usage: pipeguard explain RULE")
	}
	eng, err := engine.Load(context.Background(), engine.Options{PolicyDirs: policyDirs})
	if err != nil {
		return err
	}
	r, ok := eng.Rule(fs.Arg(0))
	if !ok {
		return usagef("unknown rule %q; run 'pipeguard rules' for the list", fs.Arg(0))
	}
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
	eng, err := engine.Load(context.Background(), engine.Options{PolicyDirs: args[1:]})
	if err != nil {
		return ExitInternal, err
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
