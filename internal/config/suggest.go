package config

import "fmt"

// maxSuggestLength bounds the words compared, so that a hostile value costs little.
const maxSuggestLength = 64

// Suggest returns the candidate closest to got when it is close enough to be what was
// meant (at most a third of its letters, and at most three, differ: a swap of two
// neighbours counts once), or "". It serves
// every "did you mean" of pipeguard: configuration keys, rule ids, flag values.
func Suggest(got string, candidates []string) string {
	if len(got) > maxSuggestLength {
		return ""
	}
	best, bestDistance := "", 0
	for _, c := range candidates {
		if len(c) > maxSuggestLength || c == got {
			continue
		}
		d := editDistance(got, c)
		if d > min(3, max(1, len([]rune(c))/3)) {
			continue
		}
		if best == "" || d < bestDistance {
			best, bestDistance = c, d
		}
	}
	return best
}

// DidYouMean returns ` (did you mean "x"?)` for the closest candidate, or "".
func DidYouMean(got string, candidates []string) string {
	if s := Suggest(got, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// editDistance counts the insertions, deletions, substitutions and swaps of adjacent
// code points that turn a into b (the optimal string alignment distance).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := make([][]int, len(ra)+1)
	for i := range rows {
		rows[i] = make([]int, len(rb)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(ra)][len(rb)]
}
