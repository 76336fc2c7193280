//go:build unix

package lint

import (
	"syscall"
	"time"
)

// processCPU returns the user plus system CPU time the process has used,
// over all its threads (the garbage collector's workers too). Unlike
// wall time it does not grow while the process waits for a core, so
// two halves measured on a busy machine compare fairly.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
