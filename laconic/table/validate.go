package table

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// validateRecord checks that the buffers of every column of rec are large
// enough for its length and that offsets and dictionary indices stay in
// range: a corrupt file can declare more rows than its buffers hold, and
// reading such an array would panic later. Supported column types: null,
// boolean, numeric and other fixed-width types, string and binary (also
// large), dictionaries of those, lists, fixed-size lists and structs;
// other types (views, unions, run-end encoded, extensions) are rejected.
func validateRecord(rec arrow.RecordBatch) error {
	if rec.NumCols() == 0 && rec.NumRows() != 0 {
		return fmt.Errorf("%w: %d rows without columns", ErrCorrupt, rec.NumRows())
	}
	for j, col := range rec.Columns() {
		if int64(col.Len()) != rec.NumRows() {
			return fmt.Errorf("%w: column %q has %d rows, the batch %d", ErrCorrupt, rec.ColumnName(j), col.Len(), rec.NumRows())
		}
		if err := validateData(col.Data(), 0); err != nil {
			return fmt.Errorf("%w: column %q: %v", ErrCorrupt, rec.ColumnName(j), err)
		}
	}
	return nil
}

// maxNullRows bounds the length of columns of the null type, which have
// no buffers that would bound it.
const maxNullRows = 1 << 31

func bufLen(d arrow.ArrayData, i int) int {
	bs := d.Buffers()
	if i >= len(bs) || bs[i] == nil {
		return 0
	}
	return bs[i].Len()
}

func validateData(d arrow.ArrayData, depth int) error {
	if depth > maxFieldDepth {
		return fmt.Errorf("nested deeper than %d", maxFieldDepth)
	}
	n, off := d.Len(), d.Offset()
	if n < 0 || off < 0 {
		return fmt.Errorf("negative length or offset")
	}
	end := off + n
	dt := d.DataType()
	if dt.ID() == arrow.NULL {
		if n > maxNullRows {
			return fmt.Errorf("null column of %d rows (limit %d)", n, maxNullRows)
		}
		return nil
	}
	if bufLen(d, 0) > 0 {
		if bufLen(d, 0) < (end+7)/8 {
			return fmt.Errorf("validity bitmap of %d bytes for %d values", bufLen(d, 0), end)
		}
	} else if d.NullN() > 0 {
		return fmt.Errorf("%d nulls without a validity bitmap", d.NullN())
	}
	children := d.Children()
	switch dt.ID() {
	case arrow.STRING, arrow.BINARY:
		last, err := lastOffset(d, 4, end)
		if err == nil && last > int64(bufLen(d, 2)) {
			err = fmt.Errorf("offsets reach %d in %d value bytes", last, bufLen(d, 2))
		}
		return err
	case arrow.LARGE_STRING, arrow.LARGE_BINARY:
		last, err := lastOffset(d, 8, end)
		if err == nil && last > int64(bufLen(d, 2)) {
			err = fmt.Errorf("offsets reach %d in %d value bytes", last, bufLen(d, 2))
		}
		return err
	case arrow.LIST, arrow.MAP, arrow.LARGE_LIST:
		width := 4
		if dt.ID() == arrow.LARGE_LIST {
			width = 8
		}
		if len(children) != 1 {
			return fmt.Errorf("%s with %d children", dt, len(children))
		}
		last, err := lastOffset(d, width, end)
		if err == nil && last > int64(children[0].Len()) {
			err = fmt.Errorf("offsets reach %d in %d child values", last, children[0].Len())
		}
		if err != nil {
			return err
		}
		return validateData(children[0], depth+1)
	case arrow.FIXED_SIZE_LIST:
		size := dt.(*arrow.FixedSizeListType).Len()
		if len(children) != 1 || int64(children[0].Len()) < int64(end)*int64(size) {
			return fmt.Errorf("fixed-size list of %d values without its child values", end)
		}
		return validateData(children[0], depth+1)
	case arrow.STRUCT:
		if len(children) != dt.(*arrow.StructType).NumFields() {
			return fmt.Errorf("struct with %d children for %d fields", len(children), dt.(*arrow.StructType).NumFields())
		}
		for _, c := range children {
			if c.Len() < end {
				return fmt.Errorf("struct child of %d values for %d rows", c.Len(), end)
			}
			if err := validateData(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	case arrow.DICTIONARY:
		return validateDictionary(d, dt.(*arrow.DictionaryType), end, depth)
	}
	fw, ok := dt.(arrow.FixedWidthDataType)
	if !ok || len(children) > 0 {
		return fmt.Errorf("unsupported column type %s", dt)
	}
	if need := (int64(end)*int64(fw.BitWidth()) + 7) / 8; int64(bufLen(d, 1)) < need {
		return fmt.Errorf("%s data of %d bytes for %d values", dt, bufLen(d, 1), end)
	}
	return nil
}

func validateDictionary(d arrow.ArrayData, dt *arrow.DictionaryType, end, depth int) error {
	dict := d.Dictionary()
	if dict == nil {
		return fmt.Errorf("dictionary column without a dictionary")
	}
	if err := validateData(dict, depth+1); err != nil {
		return err
	}
	idx, ok := dt.IndexType.(arrow.FixedWidthDataType)
	if !ok {
		return fmt.Errorf("dictionary index type %s", dt.IndexType)
	}
	w := idx.BitWidth() / 8
	if w < 1 || bufLen(d, 1) < end*w {
		return fmt.Errorf("dictionary indices of %d bytes for %d values", bufLen(d, 1), end)
	}
	b := d.Buffers()[1].Bytes()
	for i := d.Offset(); i < end; i++ {
		var k uint64
		switch w {
		case 1:
			k = uint64(b[i])
		case 2:
			k = uint64(binary.LittleEndian.Uint16(b[2*i:]))
		case 4:
			k = uint64(binary.LittleEndian.Uint32(b[4*i:]))
		default:
			k = binary.LittleEndian.Uint64(b[8*i:])
		}
		if k >= uint64(dict.Len()) { // negative signed indices wrap to large values
			if bufLen(d, 0) > 0 && d.Buffers()[0].Bytes()[i/8]&(1<<(i%8)) == 0 {
				continue // a null slot may hold any index
			}
			return fmt.Errorf("dictionary index %d outside a dictionary of %d values", k, dict.Len())
		}
	}
	return nil
}

// lastOffset checks the offsets of a variable-size array (width 4 or 8
// bytes): enough of them, non-negative and non-decreasing. It returns the
// last one.
func lastOffset(d arrow.ArrayData, width, end int) (int64, error) {
	if end == 0 && bufLen(d, 1) == 0 {
		return 0, nil
	}
	if bufLen(d, 1) < (end+1)*width {
		return 0, fmt.Errorf("%d offset bytes for %d values", bufLen(d, 1), end)
	}
	ob := d.Buffers()[1].Bytes()
	at := func(i int) int64 {
		if width == 4 {
			return int64(int32(binary.LittleEndian.Uint32(ob[4*i:])))
		}
		return int64(binary.LittleEndian.Uint64(ob[8*i:]))
	}
	prev := at(d.Offset())
	if prev < 0 {
		return 0, fmt.Errorf("negative offset")
	}
	for i := d.Offset() + 1; i <= end; i++ {
		o := at(i)
		if o < prev {
			return 0, fmt.Errorf("decreasing offsets")
		}
		prev = o
	}
	return prev, nil
}
