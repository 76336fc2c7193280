package repofs

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// DefaultMaxFileSize is the largest file zislint reads unless told
// otherwise: far above any real bundle, fixture or config (ZIS itself
// takes bundles of a few megabytes), far below what would hurt a runner.
const DefaultMaxFileSize int64 = 32 << 20

// FlagName is the command-line flag that changes the limit; messages
// name it so the fix is one search away.
const FlagName = "--max-file-size"

var maxFileSize atomic.Int64

func init() { maxFileSize.Store(DefaultMaxFileSize) }

// MaxFileSize returns the largest file, in bytes, that is read.
func MaxFileSize() int64 { return maxFileSize.Load() }

// SetMaxFileSize sets the limit for the whole process. The command line
// sets it once, from --max-file-size, before reading anything.
func SetMaxFileSize(n int64) { maxFileSize.Store(n) }

// ParseSize reads a size in bytes: a whole number, optionally followed by
// K, M or G (powers of 1024, with or without "B" or "iB").
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	shift := 0
	switch {
	case strings.HasSuffix(t, "K"):
		shift = 10
	case strings.HasSuffix(t, "M"):
		shift = 20
	case strings.HasSuffix(t, "G"):
		shift = 30
	}
	if shift > 0 {
		t = t[:len(t)-1]
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n <= 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("%q is not a size: use a positive number of bytes, optionally with K, M or G (e.g. 64M)", s)
	}
	return n << shift, nil
}

// SizeFlag is a flag.Value that sets the process-wide limit.
type SizeFlag struct{ n int64 }

// NewSizeFlag returns a flag starting at the current limit.
func NewSizeFlag() *SizeFlag { return &SizeFlag{n: MaxFileSize()} }

func (f *SizeFlag) String() string {
	if f == nil || f.n == 0 {
		return ""
	}
	return formatSize(f.n)
}

// Set parses and applies a size.
func (f *SizeFlag) Set(s string) error {
	n, err := ParseSize(s)
	if err != nil {
		return err
	}
	f.n = n
	SetMaxFileSize(n)
	return nil
}

// formatSize writes n in the largest unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		shift  uint
	}{{"G", 30}, {"M", 20}, {"K", 10}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func tooLarge(op, path string, limit int64) error {
	return refuse(op, path, ErrTooLarge, "the file is larger than %d bytes (%s); raise the limit with %s if it is meant to be this big", limit, formatSize(limit), FlagName)
}
