//go:build !unix

package repofs

// openNonBlock is 0 where FIFOs do not block an open.
const openNonBlock = 0
