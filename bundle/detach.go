package bundle

import (
	"strings"
	"unsafe"
)

// detacher copies a tree's text out of its source, so a large bundle's
// source can be let go once it is parsed: the text of a flow is mostly
// keys and values that repeat ("Type", "Next", "ResultPath", action
// names), so the copies take a fraction of the source. Recent short
// strings are remembered in a small table indexed by hash, and a string
// met again while still there is shared rather than copied; a miss only
// costs a copy, so the table never grows.
type detacher struct {
	src    []byte
	chunk  []byte // where the next copies go
	recent [1 << 12]string
}

// chunkSize is the size of one block of copied text.
const chunkSize = 64 << 10

// shareLen is the longest text looked up among the recent ones: longer
// texts (Jq programs, descriptions) rarely repeat exactly.
const shareLen = 48

// detach points every string, number and key under root at a copy of
// its text, and keeps the source text of each string with escapes, so
// nothing in the tree refers to src any more.
func detach(root *Node, src []byte) {
	d := &detacher{src: src}
	d.node(root)
}

func (d *detacher) node(n *Node) {
	switch n.Kind() {
	case String, Number:
		if n.wide() {
			w := (*wideText)(n.ptr)
			w.text = d.own(w.text)
			if n.Kind() == String {
				w.raw = d.copy(unsafe.String(&d.src[n.Start+1], n.End()-n.Start-2))
			}
			return
		}
		text := d.own(n.Text())
		n.ptr = unsafe.Pointer(unsafe.StringData(text))
	case Object:
		members := n.Members()
		for i := range members {
			m := &members[i]
			if m.keyLen >= 0 {
				m.key = unsafe.Pointer(unsafe.StringData(d.own(m.Key())))
			}
			d.node(&m.value)
		}
	case Array:
		for _, e := range n.Elems() {
			d.node(e)
		}
	}
}

// own returns s, or a copy of it when s lies in the source.
func (d *detacher) own(s string) string {
	if s == "" || !d.inSource(s) {
		return s
	}
	if len(s) > shareLen {
		return d.copy(s)
	}
	slot := &d.recent[textHash(s)&uint32(len(d.recent)-1)]
	if *slot != s {
		*slot = d.copy(s)
	}
	return *slot
}

// inSource reports whether s's bytes lie in d.src.
func (d *detacher) inSource(s string) bool {
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	base := uintptr(unsafe.Pointer(unsafe.SliceData(d.src)))
	return p >= base && p < base+uintptr(len(d.src))
}

// copy copies s into the current chunk, starting another when it is full.
func (d *detacher) copy(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > len(d.chunk) {
		if len(s) > chunkSize/4 {
			return strings.Clone(s) // large: its own allocation wastes no chunk
		}
		d.chunk = make([]byte, chunkSize)
	}
	n := copy(d.chunk, s)
	out := unsafe.String(&d.chunk[0], n)
	d.chunk = d.chunk[n:]
	return out
}

// textHash is FNV-1a over s.
func textHash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}
