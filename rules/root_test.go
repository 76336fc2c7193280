package rules

import "testing"

func TestConfigCacheParsesEachContentOnce(t *testing.T) {
	c := &configCache{entries: map[string]configEntry{}}
	v1 := []byte("integrations:\n  - key: acme_one\n    bundle: bundle.json\n")
	a, err := c.parse("zislint.yaml", v1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.parse("zislint.yaml", append([]byte(nil), v1...))
	if a != b {
		t.Error("the same file parsed twice")
	}
	edited, _ := c.parse("zislint.yaml", []byte("integrations:\n  - key: acme_two\n    bundle: bundle.json\n"))
	if edited == a || edited.Integrations[0].Key != "acme_two" {
		t.Error("an edited file must be parsed anew")
	}
	if _, err := c.parse("bad.yaml", []byte("integrations: [")); err == nil {
		t.Error("a broken config must keep its error")
	}
	if _, err := c.parse("bad.yaml", []byte("integrations: [")); err == nil {
		t.Error("a broken config must keep its error when cached")
	}
	for i := 0; i < configCacheSize*2; i++ {
		c.parse("zislint.yaml", []byte("integrations: []\n#"+string(rune('a'+i%26))+string(rune('0'+i/26))))
	}
	if len(c.entries) > configCacheSize {
		t.Errorf("%d entries, bound %d", len(c.entries), configCacheSize)
	}
}
