package events

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// corpusDir holds real bundles from public repositories, shared with the
// project but never copied into it.
const corpusDir = "../../shared/corpus"

// inputPath is a path into a Zendesk event as bundles write it, in a
// ".$" value or a {{…}} placeholder.
var inputPath = regexp.MustCompile(`\$\.input\.[a-z_]+_event(\.[A-Za-z0-9_]+)*`)

// The paths real bundles read from their Zendesk events are paths the
// catalogue knows (or cannot rule out), for one of the events the
// bundle's job specs listen to. Production bundles work, so a path they
// read that the catalogue calls missing would be the catalogue's mistake.
func TestCorpusPathsAreKnown(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	if len(files) == 0 {
		t.Skip("no corpus at " + corpusDir)
	}
	checked := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		listened := bundleEvents(src)
		if len(listened) == 0 {
			continue
		}
		for _, path := range inputPath.FindAllString(string(src), -1) {
			checked++
			if !anyKnows(listened, path) {
				t.Errorf("%s: %s is not a path of any of %v", filepath.Base(file), path, types(listened))
			}
		}
	}
	if checked == 0 {
		t.Error("the corpus reads no event paths; the test checks nothing")
	}
}

// bundleEvents are the documented events a bundle's job specs name.
func bundleEvents(src []byte) []*Event {
	var b struct {
		Resources map[string]struct {
			Type       string `json:"type"`
			Properties struct {
				Source string `json:"event_source"`
				Type   string `json:"event_type"`
			} `json:"properties"`
		} `json:"resources"`
	}
	if json.Unmarshal(src, &b) != nil {
		return nil
	}
	var out []*Event
	for _, r := range b.Resources {
		if e, ok := Lookup(r.Properties.Source, r.Properties.Type); ok && r.Type == "ZIS::JobSpec" {
			out = append(out, e)
		}
	}
	return out
}

func anyKnows(list []*Event, path string) bool {
	for _, e := range list {
		if _, ok, open := e.Find(path); ok || open {
			return true
		}
	}
	return false
}

func types(list []*Event) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.Type)
	}
	return out
}
