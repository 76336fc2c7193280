package bundle

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrNumberRange is the error of a number JSON allows but a 64-bit float
// cannot hold, such as 1e309 or -1e999.
var ErrNumberRange = errors.New("number out of range")

// Float returns the value of a Number node. A number too large for a
// float64 is an error wrapping ErrNumberRange, never a default: JSON
// decoders reject it or read it as infinity, and a Wait of 1e309 seconds
// must not become one of 0. A number too small to tell from 0 (1e-400)
// is 0, as every decoder reads it.
func (n *Node) Float() (float64, error) {
	if n == nil || n.Kind() != Number {
		return 0, fmt.Errorf("not a number")
	}
	f, err := strconv.ParseFloat(n.Text(), 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %s is beyond ±1.8e308, the largest a 64-bit float holds; write a number within that range", ErrNumberRange, n.Text())
	}
	return f, nil
}

// NumbersOutOfRange lists the numbers of the bundle that no float64
// holds, in source order. The linter reports them and the simulator
// refuses to run a bundle with one: they share this one check.
func (b *Bundle) NumbersOutOfRange() []*Node {
	var out []*Node
	var walk func(n *Node)
	walk = func(n *Node) {
		switch n.Kind() {
		case Number:
			if _, err := n.Float(); err != nil {
				out = append(out, n)
			}
		case Array:
			for _, e := range n.Elems() {
				walk(e)
			}
		case Object:
			members := n.Members()
			for i := range members {
				m := &members[i]
				walk(m.Value())
			}
		}
	}
	if b.Root != nil {
		walk(b.Root)
	}
	return out
}
