package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// Fingerprint identifies a finding across unrelated edits of its file: it hashes the rule,
// path (the file's path relative to its repository root, so that it does not depend on
// where pipeguard runs from), the job and step, and the evidence (or, without evidence,
// the message) with its white space normalized — never the line or column.
//
// Evaluate gives each finding Fingerprint(f, f.File); a scan replaces those with
// AssignFingerprints, which uses repository-relative paths and makes them unique.
func Fingerprint(f model.Finding, path string) string {
	evidence := f.Evidence
	if evidence == "" {
		evidence = f.Message
	}
	h := sha256.Sum256([]byte(strings.Join([]string{f.Rule, path, f.Job, f.Step, strings.Join(strings.Fields(evidence), " ")}, "\x00")))
	return hex.EncodeToString(h[:8])
}

// AssignFingerprints sets the fingerprint of each finding so that no two findings of
// the list share one, as SARIF partialFingerprints and GitLab Code Quality require.
// findings must be in position order (file, line, column). Findings whose Fingerprint
// would be equal (the same rule, job, step and evidence twice in one file) are told apart
// by their occurrence index in that order: the first keeps the plain fingerprint, the
// n-th (n ≥ 2) gets a hash of it and n. Inserting or removing unrelated lines keeps the
// order, so it keeps every fingerprint. path maps a finding's File to the path hashed.
func AssignFingerprints(findings []Evaluated, path func(file string) string) {
	seen := make(map[string]int, len(findings))
	for i := range findings {
		f := &findings[i].Finding
		fp := Fingerprint(*f, path(f.File))
		n := seen[fp]
		seen[fp] = n + 1
		if n > 0 {
			h := sha256.Sum256([]byte(fp + "#" + strconv.Itoa(n+1)))
			fp = hex.EncodeToString(h[:8])
		}
		f.Fingerprint = fp
	}
}
