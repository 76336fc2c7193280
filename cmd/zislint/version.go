package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// runVersion prints the module version the binary was built from: a
// release tag (or pseudo-version) when built with go install, "(devel)"
// when built from a checkout, with the VCS revision when it was stamped.
func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "zislint version: takes no arguments")
		return exitUsage
	}
	info, _ := debug.ReadBuildInfo() // nil without build information
	fmt.Fprintln(stdout, versionLine(info))
	return exitOK
}

// versionLine formats build information as
// "zislint VERSION [(revision REV[, modified])] GOVERSION".
func versionLine(info *debug.BuildInfo) string {
	if info == nil {
		return "zislint (unknown version: no build information)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	line := "zislint " + version
	var revision string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision != "" {
		line += " (revision " + revision
		if modified {
			line += ", modified"
		}
		line += ")"
	}
	if info.GoVersion != "" {
		line += " " + info.GoVersion
	}
	return line
}
