package discover

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeguard/pipeguard/internal/testutil"
)

// TestCorpusDiscovery scans the corpus folders as a user would and checks how many of
// their files are found: every file of the Jenkins folder is a Jenkinsfile or a Groovy
// pipeline script, and every file of the CircleCI folder is a .circleci/ YAML file, all
// of them CircleCI configs but three other tools' files.
func TestCorpusDiscovery(t *testing.T) {
	for _, tt := range []struct {
		folder       string
		min, skipped int
	}{
		{"jenkins", 258, -1},
		{"circleci", 48, 3},
	} {
		t.Run(tt.folder, func(t *testing.T) {
			dir := testutil.CorpusDir(t, tt.folder)
			total := 0
			if err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					total++
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			res, err := Discover([]string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d of %d files discovered, %d skipped", tt.folder, len(res.Files), total, len(res.Skipped))
			if len(res.Files) < tt.min {
				found := map[string]bool{}
				for _, f := range res.Files {
					found[f.DiskPath] = true
				}
				_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() && !found[p] {
						t.Logf("not discovered: %s", strings.TrimPrefix(p, dir))
					}
					return nil
				})
				t.Errorf("%d files discovered, want at least %d", len(res.Files), tt.min)
			}
			for _, f := range res.Files {
				if f.Platform != tt.folder {
					t.Errorf("%s: platform %s", f.Path, f.Platform)
				}
			}
			if tt.skipped >= 0 {
				if len(res.Skipped) != tt.skipped || len(res.Files)+len(res.Skipped) != total {
					t.Errorf("skipped %+v; want %d, and every file either found or skipped", res.Skipped, tt.skipped)
				}
				for _, s := range res.Skipped {
					if s.Reason != ReasonNotCircleCI {
						t.Errorf("%s skipped because %q", s.Path, s.Reason)
					}
				}
			}
		})
	}
}
