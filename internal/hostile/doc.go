// Package hostile is pipeguard's hostile-input suite: files written by attackers (a
// fork's pull request is scanned in CI) that once crashed, hung or exhausted pipeguard,
// or made it print a secret whole. Each case runs the real pipeguard binary in a child
// process with limits on its wall time and peak memory (see hostile_test.go); the cases
// are in cases_test.go, the small reproducers in testdata/hostile, and the large ones
// are generated at test time.
package hostile
