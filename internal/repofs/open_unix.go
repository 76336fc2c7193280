//go:build unix

package repofs

import "syscall"

// openNonBlock keeps open from waiting for a writer on a FIFO.
const openNonBlock = syscall.O_NONBLOCK
