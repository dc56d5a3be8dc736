package terms

import "fmt"

// Table holds the term count of every code of one format under one
// encoding, for bulk counting by lookup.
type Table struct {
	Encoding Encoding
	Format   Format
	counts   []uint8 // indexed by code - Format.Min()
}

// NewTable builds the lookup table of encoding e for format f.
func NewTable(e Encoding, f Format) (*Table, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if _, err := ParseEncoding(string(e)); err != nil {
		return nil, err
	}
	lo, hi := f.Min(), f.Max()
	t := &Table{Encoding: e, Format: f, counts: make([]uint8, int(hi-lo)+1)}
	for v := lo; v <= hi; v++ {
		c, _ := count(e, v, f)
		t.counts[v-lo] = uint8(c)
	}
	return t, nil
}

// Count returns the term count of code v. It panics if v is outside the
// table's format (programmer misuse: quantized codes are always in range).
func (t *Table) Count(v int32) int { return int(t.counts[v-t.Format.Min()]) }

// CountInt32 writes the term count of every code of src into dst, which
// must be at least as long as src. It returns an error naming the first
// code outside the format's range.
func (t *Table) CountInt32(dst []uint8, src []int32) error {
	if len(dst) < len(src) {
		return fmt.Errorf("terms: destination holds %d counts, need %d", len(dst), len(src))
	}
	lo := t.Format.Min()
	n := uint32(len(t.counts))
	for i, v := range src {
		k := uint32(v - lo)
		if k >= n {
			return fmt.Errorf("terms: element %d = %d outside the %d-bit %s range", i, v, t.Format.Bits, signedness(t.Format))
		}
		dst[i] = t.counts[k]
	}
	return nil
}
