package cli

import (
	"time"

	"github.com/pipeguard/pipeguard/internal/config"
)

// dateFlag is the `--now YYYY-MM-DD` flag of scan and credentials; the zero Time means
// today.
type dateFlag struct{ time.Time }

func (d *dateFlag) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(config.DateLayout)
}

func (d *dateFlag) Set(v string) error {
	t, err := config.ParseDate(v)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}
