package rules

import "testing"

func TestSuggest(t *testing.T) {
	states := []string{"GetUserProfile", "CheckRefundAmount", "Finish", "InitiateRefund"}
	tests := []struct{ name, want string }{
		{"Finsh", "Finish"},
		{"finish", "Finish"},                    // case alone
		{"GetUserProfil", "GetUserProfile"},     // one edit
		{"CheckRefundAmt", "CheckRefundAmount"}, // three edits on a long name
		{"Start", ""},                           // nothing close
		{"X", ""},                               // too short to guess
		{"InitiateRefunds", "InitiateRefund"},   // plural
	}
	for _, tt := range tests {
		if got := suggest(tt.name, states); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"kitten", "sitting", 10, 3},
		{"", "abc", 10, 3},
		{"same", "same", 10, 0},
		{"abcdef", "uvwxyz", 3, 3}, // capped at max
		{"a", "abcdefgh", 3, 3},    // length gap alone exceeds max
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

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
