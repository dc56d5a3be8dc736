package work

import (
	"sync"

	"github.com/laconiclab/toolkit/laconic/terms"
)

// lut is the term count of every code of one format under one encoding,
// indexed by code - format minimum, and the largest count.
type lut struct {
	counts []uint8
	max    int
}

type lutKey struct {
	e terms.Encoding
	f terms.Format
}

var (
	lutMu    sync.Mutex
	lutCache = map[lutKey]*lut{}
)

// lutFor returns the cached lookup table of encoding e for format f.
func lutFor(e terms.Encoding, f terms.Format) (*lut, error) {
	lutMu.Lock()
	defer lutMu.Unlock()
	k := lutKey{e, f}
	if l, ok := lutCache[k]; ok {
		return l, nil
	}
	t, err := terms.NewTable(e, f)
	if err != nil {
		return nil, err
	}
	lo, hi := f.Min(), f.Max()
	l := &lut{counts: make([]uint8, int(hi-lo)+1)}
	for v := lo; v <= hi; v++ {
		c := t.Count(v)
		l.counts[v-lo] = uint8(c)
		if c > l.max {
			l.max = c
		}
	}
	lutCache[k] = l
	return l, nil
}

// encodingIndex returns the position of e in terms.Encodings().
func encodingIndex(e terms.Encoding) int {
	for i, x := range terms.Encodings() {
		if x == e {
			return i
		}
	}
	return -1
}
