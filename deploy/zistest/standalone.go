package zistest

import (
	"fmt"
	"net/http"
)

// A fake outside a test: NewServer makes one that its caller serves (the
// zisfake command does, on a real address), and Seed turns the misuse a
// test would fail on into an error, since there is no test to fail.

// reporter is where seeding reports misuse: the test under New, a
// seedError under NewServer.
type reporter interface {
	Helper()
	Fatalf(format string, args ...any)
}

// seedError is a seeding misuse on a server made by NewServer; Seed
// recovers it.
type seedError struct{ msg string }

func (e seedError) Error() string { return e.msg }

// standalone reports misuse by unwinding to Seed, which holds the only
// recover for it: the seeding methods hold the lock with a deferred
// unlock, so unwinding leaves the server usable.
type standalone struct{}

func (standalone) Helper() {}

func (standalone) Fatalf(format string, args ...any) { panic(seedError{fmt.Sprintf(format, args...)}) }

// NewServer makes a fake registry that is not tied to a test and not yet
// served: serve it with ServeHTTP (it is an http.Handler). Call the Seed*
// methods only inside Seed.
func NewServer(opts ...Option) (*Server, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("zistest: %w", err)
	}
	return newServer(standalone{}, cfg), nil
}

// ServeHTTP answers one request as the registry.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serve(w, r) }

// Seed runs fn, which calls Seed* methods, and returns the first misuse
// (an invalid key, an unknown integration or connection type) as an
// error. On a server made by New, misuse fails the test as it always
// does.
func (s *Server) Seed(fn func(*Server)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(seedError)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	fn(s)
	return nil
}
