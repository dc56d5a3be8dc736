package table

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Concat returns one record batch with the rows of recs in order. The
// batches must have identical schemas: the same fields (names, types,
// nullability) and the same metadata (provenance); use WithMetadata first
// to combine tables of different provenance. The caller releases the
// result; recs are not released.
func Concat(mem memory.Allocator, recs ...arrow.RecordBatch) (arrow.RecordBatch, error) {
	if len(recs) == 0 {
		return nil, fmt.Errorf("table: concat: no record batches")
	}
	sc := recs[0].Schema()
	var rows int64
	for i, r := range recs {
		if r == nil {
			return nil, fmt.Errorf("table: concat: batch %d is nil", i)
		}
		if err := sameSchema(sc, r.Schema()); err != nil {
			return nil, fmt.Errorf("table: concat: batch %d: %w", i, err)
		}
		rows += r.NumRows()
	}
	cols := make([]arrow.Array, sc.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	parts := make([]arrow.Array, len(recs))
	for j := range cols {
		for i, r := range recs {
			parts[i] = r.Column(j)
		}
		c, err := array.Concatenate(parts, mem)
		if err != nil {
			return nil, fmt.Errorf("table: concat column %q: %w", sc.Field(j).Name, err)
		}
		cols[j] = c
	}
	return array.NewRecordBatch(sc, cols, rows), nil
}

func sameSchema(a, b *arrow.Schema) error {
	if a.NumFields() != b.NumFields() {
		return fmt.Errorf("%d columns, want %d", b.NumFields(), a.NumFields())
	}
	for j := 0; j < a.NumFields(); j++ {
		if fa, fb := a.Field(j), b.Field(j); !fa.Equal(fb) {
			return fmt.Errorf("column %d is %s, want %s", j, fb, fa)
		}
	}
	if ma, mb := a.Metadata(), b.Metadata(); !ma.Equal(mb) {
		return fmt.Errorf("schema metadata differs (%v, want %v)", mb, ma)
	}
	return nil
}

// WithMetadata returns rec with its schema metadata replaced by md (for
// example Provenance.Metadata()). The columns are shared, not copied; the
// caller releases the result.
func WithMetadata(rec arrow.RecordBatch, md arrow.Metadata) arrow.RecordBatch {
	sc := arrow.NewSchema(rec.Schema().Fields(), &md)
	return array.NewRecordBatch(sc, rec.Columns(), rec.NumRows())
}
