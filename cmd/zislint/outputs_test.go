package main

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/zislint/zislint/lint"
)

var updateOutputs = flag.Bool("update-outputs", false, "rewrite testdata/outputs/*.golden from the code")

// outputDirs are the bundles whose lint output must not change when the
// linter is made faster: every format, byte for byte. The corpus is
// shared with the project but not copied into it, so it may be absent,
// and its output (which quotes its source lines) is kept only as a
// SHA-256 digest.
var outputDirs = []struct {
	name, dir string
	optional  bool
}{
	{"rules_testdata", "../../rules/testdata", false},
	{"lint_testdata", "../../lint/testdata", false},
	{"testdata", "../../testdata", false},
	{"corpus", "../../../shared/corpus", true},
}

// TestOutputsUnchanged runs "zislint lint --format F DIR" for each format
// and folder and compares exit code, stdout and stderr with the golden
// file recorded before the speed work began.
func TestOutputsUnchanged(t *testing.T) {
	for _, d := range outputDirs {
		if _, err := os.Stat(d.dir); err != nil {
			if d.optional {
				t.Logf("skipping %s: %v", d.name, err)
				continue
			}
			t.Fatal(err)
		}
		for _, format := range lint.Formats {
			t.Run(d.name+"/"+format, func(t *testing.T) {
				got := placeholder(lintOutput(format, d.dir), "../..", "$REPO")
				golden := filepath.Join("testdata", "outputs", d.name+"."+format+".golden")
				if d.optional {
					got = digest(got, d.dir)
					golden = filepath.Join("testdata", "outputs", d.name+"."+format+".sha256")
				}
				if *updateOutputs {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("output of lint --format %s %s changed; got:\n%s", format, d.dir, got)
				}
			})
		}
	}
}

// lintOutput is the exit code, stdout and stderr of one lint run.
func lintOutput(format, dir string) []byte {
	var stdout, stderr bytes.Buffer
	code := run([]string{"lint", "--format", format, dir}, &stdout, &stderr)
	return fmt.Appendf(nil, "exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout.Bytes(), stderr.Bytes())
}

// digest is the SHA-256 of out, with the folder's absolute path (which
// SARIF's file URIs hold) written as a placeholder, so the digest does
// not depend on where the checkout is.
func digest(out []byte, dir string) []byte {
	sum := sha256.Sum256(placeholder(out, dir, "$DIR"))
	return fmt.Appendf(nil, "%x\n", sum)
}

// placeholder writes name for the absolute path of dir in out: SARIF
// names files outside the working folder by absolute file URIs, which
// differ from checkout to checkout.
func placeholder(out []byte, dir, name string) []byte {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return out
	}
	return bytes.ReplaceAll(out, []byte(abs), []byte(name))
}
