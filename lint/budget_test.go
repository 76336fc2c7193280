package lint

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/zislint/zislint/rules"
)

// currentLimit reads the soft memory limit without changing it.
func currentLimit() int64 { return debug.SetMemoryLimit(-1) }

// While large bundles are linted the limit follows their total size, and
// with none it is lifted; small bundles leave it alone.
func TestMemoryBudgetFollowsLargeBundles(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetMemoryLimit(currentLimit())
	debug.SetMemoryLimit(math.MaxInt64)
	var b memoryBudget
	size := rules.DetachSize * 4
	endFirst := b.hold(size)
	if got, want := currentLimit(), budgetBase+int64(budgetPerByte*float64(size)); got != want {
		t.Errorf("one large bundle: limit %d, want %d", got, want)
	}
	endSecond := b.hold(size)
	if got, want := currentLimit(), budgetBase+int64(budgetPerByte*float64(2*size)); got != want {
		t.Errorf("two large bundles: limit %d, want %d", got, want)
	}
	b.hold(rules.DetachSize - 1)() // a small one changes nothing
	if got, want := currentLimit(), budgetBase+int64(budgetPerByte*float64(2*size)); got != want {
		t.Errorf("after a small bundle: limit %d, want %d", got, want)
	}
	endFirst()
	endSecond()
	if got := currentLimit(); got != math.MaxInt64 {
		t.Errorf("no large bundle: limit %d, want none", got)
	}
}

// A limit set from outside is the user's: lint leaves it as it is.
func TestMemoryBudgetKeepsOutsideLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	defer debug.SetMemoryLimit(currentLimit())
	debug.SetMemoryLimit(1 << 30)
	var b memoryBudget
	b.hold(rules.DetachSize * 8)()
	if got := currentLimit(); got != 1<<30 {
		t.Errorf("limit %d, want the outside 1 GiB", got)
	}
}
