package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/zislint/zislint/simulate/explore"
)

// exploreFlags are zislint test's flags for --explore.
type exploreFlags struct {
	on     bool
	write  bool
	budget time.Duration
	seed   uint64
}

func (e *exploreFlags) add(fset *flag.FlagSet) {
	fset.BoolVar(&e.on, "explore", false, "search each flow for fixtures that take transitions no fixture takes, starting from the fixtures -run keeps")
	fset.BoolVar(&e.write, "write", false, "with --explore: save the fixtures found, with their goldens, in the tests folder")
	fset.DurationVar(&e.budget, "budget", explore.DefaultBudget, "with --explore: stop searching after this long")
	fset.Uint64Var(&e.seed, "seed", 1, "with --explore: the seed of the search; the same seed finds the same fixtures")
}

// wanted reports whether the command line asks for an exploration; the
// flags that go only with --explore count, so that runExplore can say
// they lack it.
func (e *exploreFlags) wanted(fset *flag.FlagSet) bool {
	if e.on {
		return true
	}
	asked := false
	fset.Visit(func(f *flag.Flag) {
		asked = asked || f.Name == "write" || f.Name == "budget" || f.Name == "seed"
	})
	return asked
}

// exploreConflicts are the flags of zislint test that do not go with
// --explore.
var exploreConflicts = []string{"update", "format", "graph", "graph-format", "cover", "cover-profile", "cover-min", "new", "job-spec", "flow"}

// runExplore explores the bundles under paths and prints what it found.
func runExplore(e exploreFlags, fset *flag.FlagSet, paths []string, env, runPattern string, stdout, stderr io.Writer) int {
	if msg := e.check(fset); msg != "" {
		fmt.Fprintf(stderr, "zislint test: %s\n", msg)
		return exitUsage
	}
	filter, bundles, ok := testTargets(runPattern, paths, stderr)
	if !ok {
		return exitUsage
	}
	x := explore.New(explore.Options{Seed: e.seed, Budget: e.budget, Write: e.write, Env: env, Filter: filter, Log: stderr})
	for _, b := range bundles {
		x.Bundle(b)
	}
	if err := explore.WriteText(stdout, x.Flows); err != nil {
		fmt.Fprintf(stderr, "zislint test: %v\n", err)
		return exitUsage
	}
	fmt.Fprintln(stderr, x.Summary())
	if x.Broken {
		return exitUsage
	}
	return exitOK
}

// check returns what is wrong with the flags, or "".
func (e exploreFlags) check(fset *flag.FlagSet) string {
	if !e.on {
		return "--write, --budget and --seed go with --explore"
	}
	if e.budget <= 0 {
		return fmt.Sprintf("--budget %v: give a duration above zero, e.g. 10s", e.budget)
	}
	var conflict string
	fset.Visit(func(f *flag.Flag) {
		for _, name := range exploreConflicts {
			if f.Name == name && conflict == "" {
				conflict = "--" + name + " does not go with --explore, which prints its own report"
			}
		}
	})
	return conflict
}
