package rules

import "testing"

// A key from the bundle reads as one name in a message: a key holding a
// line break and a forged workflow command is quoted, escapes and all.
func TestKeyNameQuotesAllButPlainWords(t *testing.T) {
	for in, want := range map[string]string{
		"StringEquals":                      "StringEquals",
		"Is_Present2":                       "Is_Present2",
		"":                                  `""`,
		"x\n::error file=README.md::forged": `"x\n::error file=README.md::forged"`,
		"\x1b[31mred":                       `"\x1b[31mred"`,
		"two words":                         `"two words"`,
	} {
		if got := keyName(in); got != want {
			t.Errorf("keyName(%q) = %s, want %s", in, got, want)
		}
	}
}
