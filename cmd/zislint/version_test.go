package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "zislint (unknown version: no build information)"},
		{"release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}},
			"zislint v1.2.3 go1.26.8"},
		{"empty version is devel", &debug.BuildInfo{Main: debug.Module{}}, "zislint (devel)"},
		{"checkout with revision", &debug.BuildInfo{
			GoVersion: "go1.26.8",
			Main:      debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{
				{Key: "vcs", Value: "git"},
				{Key: "vcs.revision", Value: "c865450aa1"},
				{Key: "vcs.modified", Value: "false"},
			},
		}, "zislint (devel) (revision c865450aa1) go1.26.8"},
		{"modified checkout", &debug.BuildInfo{
			GoVersion: "go1.26.8",
			Main:      debug.Module{Version: "v0.0.0-20250101000000-c865450aa1bb+dirty"},
			Settings: []debug.BuildSetting{
				{Key: "vcs.revision", Value: "c865450aa1bb"},
				{Key: "vcs.modified", Value: "true"},
			},
		}, "zislint v0.0.0-20250101000000-c865450aa1bb+dirty (revision c865450aa1bb, modified) go1.26.8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionLine(tt.info); got != tt.want {
				t.Errorf("versionLine() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	code, stdout, stderr := runCLI(t, "version")
	if code != exitOK || stderr != "" {
		t.Fatalf("zislint version: exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, "zislint ") || !strings.HasSuffix(stdout, "\n") || strings.Count(stdout, "\n") != 1 {
		t.Errorf("zislint version printed %q, want one line starting with \"zislint \"", stdout)
	}
	if code, _, stderr := runCLI(t, "version", "extra"); code != exitUsage || stderr == "" {
		t.Errorf("zislint version extra: exit %d, stderr %q; want exit %d and a message", code, stderr, exitUsage)
	}
	if _, stdout, _ := runCLI(t, "help"); !strings.Contains(stdout, "zislint version") {
		t.Errorf("usage does not mention zislint version:\n%s", stdout)
	}
}
