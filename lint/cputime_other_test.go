//go:build !unix

package lint

import "time"

// processCPU is not measured here; the CPU metrics are left out.
func processCPU() (time.Duration, bool) { return 0, false }
