package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dockerBuild is the go build step of the Dockerfile, split into words.
type dockerBuild struct {
	env   []string // VAR=value words before go
	flags []string // the words after "go build"
}

// flagValue returns the value of -name=value or -name value in b.flags.
func (b dockerBuild) flagValue(name string) (string, bool) {
	for i, w := range b.flags {
		switch {
		case w == "-"+name && i+1 < len(b.flags):
			return b.flags[i+1], true
		case strings.HasPrefix(w, "-"+name+"="):
			return strings.TrimPrefix(w, "-"+name+"="), true
		}
	}
	return "", false
}

// TestDockerfileBuildFlags holds the action image's build to what it
// promises: a static binary (CGO off, for the empty scratch image)
// without local paths (-trimpath) or symbol tables (-s -w), written
// where the image copies it from and runs it. The go tool checks the
// flags with -n, which plans the build without compiling: the other
// tests run the command through the test binary, so a go test needs no
// second build of every dependency.
func TestDockerfileBuildFlags(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	b := findDockerBuild(t, text)
	if !slices.Contains(b.env, "CGO_ENABLED=0") {
		t.Errorf("the build sets %q; want CGO_ENABLED=0, so the binary runs on scratch", b.env)
	}
	if !slices.Contains(b.flags, "-trimpath") {
		t.Errorf("go build %q lacks -trimpath", b.flags)
	}
	ldflags, _ := b.flagValue("ldflags")
	if f := strings.Fields(ldflags); !slices.Contains(f, "-s") || !slices.Contains(f, "-w") {
		t.Errorf("go build -ldflags %q; want -s -w", ldflags)
	}
	if last := b.flags[len(b.flags)-1]; last != "./cmd/zislint" {
		t.Errorf("go build builds %q; want ./cmd/zislint", last)
	}
	out, ok := b.flagValue("o")
	if !ok {
		t.Fatalf("go build %q has no -o", b.flags)
	}
	if want := "COPY --from=build " + out + " "; !strings.Contains(text, want) {
		t.Errorf("the image does not copy the binary from %s (no line with %q)", out, want)
	}
	if want := `ENTRYPOINT ["` + out + `", "action"]`; !strings.Contains(text, want) {
		t.Errorf("the image's entry point is not %s", want)
	}

	// The go tool must accept the flags as written, for this package.
	args := append([]string{"build", "-n"}, b.flags...)
	for i, a := range args {
		if a == out {
			args[i] = filepath.Join(t.TempDir(), "zislint")
		}
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), b.env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, lastLines(string(msg), 20))
	}
}

// findDockerBuild returns the Dockerfile's one RUN step with go build.
func findDockerBuild(t *testing.T, dockerfile string) dockerBuild {
	t.Helper()
	var found []dockerBuild
	for _, line := range strings.Split(dockerfile, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "RUN ")
		if !ok {
			continue
		}
		words := shellWords(rest)
		var b dockerBuild
		for len(words) > 0 && strings.Contains(words[0], "=") {
			b.env, words = append(b.env, words[0]), words[1:]
		}
		if len(words) >= 2 && words[0] == "go" && words[1] == "build" {
			b.flags = words[2:]
			found = append(found, b)
		}
	}
	if len(found) != 1 || len(found[0].flags) == 0 {
		t.Fatalf("the Dockerfile has %d RUN steps with go build and a package; want one", len(found))
	}
	return found[0]
}

// shellWords splits a command line as a shell would for the simple
// quoting the Dockerfile uses: double or single quotes group words and
// are removed.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func TestShellWords(t *testing.T) {
	got := shellWords(`CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o '/a b' ./cmd/zislint`)
	want := []string{"CGO_ENABLED=0", "go", "build", "-trimpath", "-ldflags=-s -w", "-o", "/a b", "./cmd/zislint"}
	if !slices.Equal(got, want) {
		t.Errorf("shellWords = %q, want %q", got, want)
	}
}
