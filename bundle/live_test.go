package bundle

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestLiveMembers checks both ways liveMembers finds shadowed keys: by
// comparing keys in a small object and with an index in a large one.
func TestLiveMembers(t *testing.T) {
	for _, size := range []int{3, 32, 33, 100} {
		var b strings.Builder
		b.WriteString(`{"dup": 0`)
		var want []string
		for i := 1; i < size-1; i++ {
			fmt.Fprintf(&b, `, "k%d": %d`, i, i)
			want = append(want, fmt.Sprintf("k%d", i))
		}
		fmt.Fprintf(&b, `, "dup": %d}`, size-1)
		want = append(want, "dup")
		obj, _, err := ParseJSON([]byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		live := liveMembers(obj)
		var got []string
		for _, m := range live {
			got = append(got, m.Key())
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d members: live keys %q, want %q", size, got, want)
		}
		if last := live[len(live)-1]; last != &obj.Members()[size-1] {
			t.Errorf("%d members: the later \"dup\" is not the one kept", size)
		}
	}
}
