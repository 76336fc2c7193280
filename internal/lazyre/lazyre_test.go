package lazyre

import (
	"sync"
	"testing"
)

func TestNewCompilesOnceOnFirstUse(t *testing.T) {
	re := New(`^a+$`)
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Go(func() { got[i] = re() })
	}
	wg.Wait()
	for i, r := range got {
		if r != got[0] {
			t.Fatalf("call %d returned another regexp", i)
		}
	}
	if !re().MatchString("aaa") || re().MatchString("ab") {
		t.Error("the compiled expression does not match as written")
	}
}

func TestNewPanicsOnABadExpressionOnlyWhenUsed(t *testing.T) {
	re := New(`(`) // must not panic here
	defer func() {
		if recover() == nil {
			t.Error("an invalid expression compiled without a panic")
		}
	}()
	re()
}
