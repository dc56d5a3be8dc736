package table

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/metadata"
)

// The Snappy decoder allocates the decoded length written at the start of
// a compressed page, whatever the page header says, before decoding (up to
// 4 GiB for a corrupt page). checkSnappyPages walks the pages of every
// Snappy-compressed column chunk and checks that this length does not
// exceed the page's uncompressed size, which the reader bounds. The page
// headers are Thrift compact-protocol PageHeader structs (parquet.thrift);
// a header that cannot be parsed ends the walk and is left to the reader.

var (
	errThrift     = errors.New("unreadable thrift data")
	errThriftSize = errors.New("thrift container larger than its data")
)

// thriftReader reads the Thrift compact protocol.
type thriftReader struct {
	b     []byte
	p     int
	depth int
}

func (r *thriftReader) byte() (byte, error) {
	if r.p >= len(r.b) {
		return 0, errThrift
	}
	r.p++
	return r.b[r.p-1], nil
}

func (r *thriftReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(r.b[r.p:])
	if n <= 0 {
		return 0, errThrift
	}
	r.p += n
	return v, nil
}

func (r *thriftReader) zigzag() (int64, error) {
	u, err := r.uvarint()
	return int64(u>>1) ^ -int64(u&1), err
}

// Thrift compact types.
const (
	tStop   = 0
	tTrue   = 1
	tFalse  = 2
	tByte   = 3
	tI16    = 4
	tI32    = 5
	tI64    = 6
	tDouble = 7
	tBinary = 8
	tList   = 9
	tSet    = 10
	tMap    = 11
	tStruct = 12
)

// fields calls fn for every field of the struct at the reader's position
// with its id and type; fn must consume the value (or call skip).
func (r *thriftReader) fields(fn func(id int, typ byte) error) error {
	if r.depth++; r.depth > 32 {
		return errThrift
	}
	defer func() { r.depth-- }()
	id := 0
	for {
		h, err := r.byte()
		if err != nil {
			return err
		}
		typ := h & 0x0f
		if typ == tStop {
			return nil
		}
		if d := int(h >> 4); d != 0 {
			id += d
		} else {
			v, err := r.zigzag()
			if err != nil {
				return err
			}
			id = int(v)
		}
		if err := fn(id, typ); err != nil {
			return err
		}
	}
}

func (r *thriftReader) skip(typ byte) error {
	switch typ {
	case tTrue, tFalse:
		return nil
	case tByte:
		_, err := r.byte()
		return err
	case tI16, tI32, tI64:
		_, err := r.uvarint()
		return err
	case tDouble:
		if r.p+8 > len(r.b) {
			return errThrift
		}
		r.p += 8
		return nil
	case tBinary:
		n, err := r.uvarint()
		if err != nil {
			return err
		}
		if n > uint64(len(r.b)-r.p) {
			return errThriftSize
		}
		r.p += int(n)
		return nil
	case tList, tSet:
		h, err := r.byte()
		if err != nil {
			return err
		}
		n := uint64(h >> 4)
		if n == 15 {
			if n, err = r.uvarint(); err != nil {
				return err
			}
		}
		if n > uint64(len(r.b)-r.p) { // every element takes at least one byte
			return errThriftSize
		}
		et := h & 0x0f
		for i := uint64(0); i < n; i++ {
			if et == tTrue || et == tFalse {
				et = tByte // booleans in lists are one byte each
			}
			if err := r.skip(et); err != nil {
				return err
			}
		}
		return nil
	case tMap:
		n, err := r.uvarint()
		if err != nil {
			return err
		}
		if n > uint64(len(r.b)-r.p) {
			return errThriftSize
		}
		if n == 0 {
			return nil
		}
		kv, err := r.byte()
		if err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			if err := r.skip(kv >> 4); err != nil {
				return err
			}
			if err := r.skip(kv & 0x0f); err != nil {
				return err
			}
		}
		return nil
	case tStruct:
		return r.fields(func(_ int, t byte) error { return r.skip(t) })
	}
	return errThrift
}

func (r *thriftReader) i32(typ byte) (int64, error) {
	if typ != tI32 {
		return 0, errThrift
	}
	return r.zigzag()
}

// pageHeader holds what the walk needs of a parquet PageHeader.
type pageHeader struct {
	typ                      int64 // 0 data, 1 index, 2 dictionary, 3 data v2
	uncompressed, compressed int64
	levels                   int64 // v2: definition + repetition level bytes
	v2Compressed             bool  // v2: is_compressed (default true)
}

func readPageHeader(r *thriftReader) (pageHeader, error) {
	h := pageHeader{typ: -1, uncompressed: -1, compressed: -1, v2Compressed: true}
	err := r.fields(func(id int, typ byte) error {
		var err error
		switch id {
		case 1:
			h.typ, err = r.i32(typ)
		case 2:
			h.uncompressed, err = r.i32(typ)
		case 3:
			h.compressed, err = r.i32(typ)
		case 8: // DataPageHeaderV2
			if typ != tStruct {
				return errThrift
			}
			err = r.fields(func(id int, typ byte) error {
				switch id {
				case 5, 6:
					n, err := r.i32(typ)
					if n < 0 {
						return errThrift
					}
					h.levels += n
					return err
				case 7:
					h.v2Compressed = typ == tTrue
					return r.skip(typ)
				}
				return r.skip(typ)
			})
		default:
			err = r.skip(typ)
		}
		return err
	})
	return h, err
}

// checkSnappyPages checks the Snappy pages of every column chunk of md
// against data, the whole file. It returns the number of pages checked.
func checkSnappyPages(md *metadata.FileMetaData, data []byte) (int, error) {
	pages := 0
	for i := 0; i < md.NumRowGroups(); i++ {
		rg := md.RowGroup(i)
		for j := 0; j < rg.NumColumns(); j++ {
			cc, err := rg.ColumnChunk(j)
			if err != nil || cc.Compression() != compress.Codecs.Snappy {
				continue
			}
			start := cc.DataPageOffset()
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && start > cc.DictionaryPageOffset() {
				start = cc.DictionaryPageOffset()
			}
			end := start + cc.TotalCompressedSize()
			if start < 0 || end > int64(len(data)) || end < start {
				continue // checked by checkParquetRows
			}
			n, err := checkSnappyChunk(data[start:end])
			pages += n
			if err != nil {
				return pages, fmt.Errorf("row group %d column %d: %w", i, j, err)
			}
		}
	}
	return pages, nil
}

func checkSnappyChunk(chunk []byte) (pages int, err error) {
	for p := 0; p < len(chunk); {
		r := &thriftReader{b: chunk, p: p}
		h, err := readPageHeader(r)
		if err != nil || h.compressed < 0 || h.uncompressed < 0 || h.compressed > int64(len(chunk)-r.p) {
			return pages, nil // left to the reader
		}
		payload := chunk[r.p : r.p+int(h.compressed)]
		limit := h.uncompressed
		switch h.typ {
		case 0, 2:
		case 3:
			if !h.v2Compressed || h.levels > int64(len(payload)) {
				payload = nil
			} else {
				payload = payload[h.levels:]
				limit -= h.levels
			}
		default:
			payload = nil
		}
		if len(payload) > 0 {
			if n, k := binary.Uvarint(payload); k > 0 && n > uint64(max(limit, 0)) {
				return pages, fmt.Errorf("%w: Snappy page declares %d decoded bytes, its header %d", ErrCorrupt, n, limit)
			}
			pages++
		}
		p = r.p + int(h.compressed)
	}
	return pages, nil
}

// checkParquetFooter walks the Thrift FileMetaData at the end of a Parquet
// file before the reader decodes it: the decoder reserves room for as many
// list elements as a list header claims, so a corrupt count would allocate
// far more than the footer could hold. Only such impossible sizes are
// reported; anything else the walk cannot read is left to the reader.
func checkParquetFooter(data []byte) error {
	const tail = 8 // footer length + "PAR1"
	if len(data) < 12 || string(data[len(data)-4:]) != "PAR1" {
		return nil
	}
	n := int64(binary.LittleEndian.Uint32(data[len(data)-tail:]))
	if n > int64(len(data)-tail) {
		return nil
	}
	r := &thriftReader{b: data[int64(len(data)-tail)-n : len(data)-tail]}
	if err := r.skip(tStruct); errors.Is(err, errThriftSize) {
		return fmt.Errorf("%w: file metadata: %v", ErrCorrupt, err)
	}
	return nil
}
