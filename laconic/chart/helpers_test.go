package chart

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// col describes one column of a test record: values is []string,
// []int64, []int32, []uint8, []float64, []float32 or []bool; null marks
// null cells (optional); dict stores strings as a dictionary column.
type col struct {
	name   string
	values any
	null   []bool
	dict   bool
}

// newRecord builds a record batch from columns; the caller releases it.
func newRecord(mem memory.Allocator, cols ...col) arrow.RecordBatch {
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	rows := -1
	for i, c := range cols {
		isNull := func(j int) bool { return c.null != nil && c.null[j] }
		var a arrow.Array
		switch v := c.values.(type) {
		case []string:
			if c.dict {
				dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
				b := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
				for j, s := range v {
					if isNull(j) {
						b.AppendNull()
					} else if err := b.AppendString(s); err != nil {
						panic(err)
					}
				}
				a = b.NewArray()
				b.Release()
				break
			}
			b := array.NewStringBuilder(mem)
			for j, s := range v {
				if isNull(j) {
					b.AppendNull()
				} else {
					b.Append(s)
				}
			}
			a = b.NewArray()
			b.Release()
		case []int64:
			b := array.NewInt64Builder(mem)
			for j, x := range v {
				if isNull(j) {
					b.AppendNull()
				} else {
					b.Append(x)
				}
			}
			a = b.NewArray()
			b.Release()
		case []int32:
			b := array.NewInt32Builder(mem)
			for j, x := range v {
				if isNull(j) {
					b.AppendNull()
				} else {
					b.Append(x)
				}
			}
			a = b.NewArray()
			b.Release()
		case []uint8:
			b := array.NewUint8Builder(mem)
			for j, x := range v {
				if isNull(j) {
					b.AppendNull()
				} else {
					b.Append(x)
				}
			}
			a = b.NewArray()
			b.Release()
		case []float64:
			b := array.NewFloat64Builder(mem)
			for j, x := range v {
				if isNull(j) {
					b.AppendNull()
				} else {
					b.Append(x)
				}
			}
			a = b.NewArray()
			b.Release()
		case []float32:
			b := array.NewFloat32Builder(mem)
			for j, x := range v {
				if isNull(j) {
					b.AppendNull()
				} else {
					b.Append(x)
				}
			}
			a = b.NewArray()
			b.Release()
		case []bool:
			b := array.NewBooleanBuilder(mem)
			for j, x := range v {
				if isNull(j) {
					b.AppendNull()
				} else {
					b.Append(x)
				}
			}
			a = b.NewArray()
			b.Release()
		default:
			panic(fmt.Sprintf("newRecord: unsupported column type %T", c.values))
		}
		if rows >= 0 && a.Len() != rows {
			panic("newRecord: columns of different lengths")
		}
		rows = a.Len()
		fields[i] = arrow.Field{Name: c.name, Type: a.DataType(), Nullable: true}
		arrs[i] = a
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), arrs, int64(rows))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}
