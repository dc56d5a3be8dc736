package terms

import "sync"

type tableKey struct {
	e Encoding
	f Format
}

var shared sync.Map // tableKey -> *Table

// SharedTable returns a lookup table of encoding e for format f, built on
// first use and shared afterwards (tables are read-only and safe for
// concurrent use). It returns the errors of NewTable.
func SharedTable(e Encoding, f Format) (*Table, error) {
	k := tableKey{e, f}
	if t, ok := shared.Load(k); ok {
		return t.(*Table), nil
	}
	t, err := NewTable(e, f)
	if err != nil {
		return nil, err
	}
	got, _ := shared.LoadOrStore(k, t)
	return got.(*Table), nil
}
