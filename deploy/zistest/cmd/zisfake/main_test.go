package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain makes the test binary act as zisfake when asked, so the
// signal test runs the real command without building it separately.
func TestMain(m *testing.M) {
	if os.Getenv("ZISFAKE_TEST_AS_COMMAND") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "ZISFAKE_TEST_AS_COMMAND=1")
	return cmd
}

var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// TestStopsOnSignal starts the command, makes a request, sends each of
// SIGINT and SIGTERM, and checks that it stops cleanly with its state
// dumped and the request logged.
func TestStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := command("-addr", "127.0.0.1:0", "-integration", "app", "-dump")
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			lines := bufio.NewScanner(stderr)
			url := ""
			for url == "" && lines.Scan() {
				if m := listening.FindStringSubmatch(lines.Text()); m != nil {
					url = m[1]
				}
			}
			if url == "" {
				t.Fatal("the command never said where it listens")
			}
			resp, err := http.Get(url + "/_zisfake/state")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var log strings.Builder
			for lines.Scan() {
				log.WriteString(lines.Text() + "\n")
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit: %v\n%s", err, log.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the command did not stop")
			}
			if !strings.Contains(log.String(), "GET /_zisfake/state 200") || !strings.Contains(log.String(), "stopping") {
				t.Errorf("log:\n%s\nwant the request's line and the stop", log.String())
			}
			var st struct {
				Integrations []struct{ Key string } `json:"integrations"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &st); err != nil || len(st.Integrations) != 1 || st.Integrations[0].Key != "app" {
				t.Errorf("dump: %v\n%s", err, stdout.String())
			}
		})
	}
}

func TestBadFlagsExit2(t *testing.T) {
	var stderr bytes.Buffer
	cmd := command("-connection", "nope")
	cmd.Stderr = &stderr
	err := cmd.Run()
	exitErr, ok := err.(*exec.ExitError)
	if !ok || exitErr.ExitCode() != 2 || !strings.Contains(stderr.String(), "integration:name:type:allowed_domain") {
		t.Errorf("exit %v; want 2 and the flag's form\n%s", err, stderr.String())
	}
}
