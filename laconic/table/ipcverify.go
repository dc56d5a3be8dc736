package table

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
)

// The Arrow IPC readers trust the lengths inside the flatbuffers of a file:
// a corrupt vector length makes them allocate whatever it says, which can
// exhaust memory and stop the process (an allocation failure cannot be
// recovered). Before a file reaches them, the functions below walk every
// flatbuffer table and vector the readers will use (the footer, the schema
// with its nested fields and metadata, the record batch and dictionary
// messages) and check that they lie inside the file, and that the blocks
// and compressed buffers the footer points to fit in it. The layouts are
// those of Arrow's Schema.fbs, Message.fbs and File.fbs.

var errMeta = errors.New("malformed Arrow metadata")

// maxUncompressed bounds the declared uncompressed size of one compressed
// IPC buffer (Arrow's own default limit for a message body).
const maxUncompressed = 256 << 20

// maxFieldDepth bounds the nesting of schema fields.
const maxFieldDepth = 64

type fbuf struct {
	b      []byte
	budget int // tables left to visit: a flatbuffer may share tables
}

func newFbuf(b []byte) *fbuf { return &fbuf{b: b, budget: len(b)/4 + 16} }

func (f *fbuf) u16(p int) (int, error) {
	if p < 0 || p+2 > len(f.b) {
		return 0, errMeta
	}
	return int(binary.LittleEndian.Uint16(f.b[p:])), nil
}

func (f *fbuf) u32(p int) (int, error) {
	if p < 0 || p+4 > len(f.b) {
		return 0, errMeta
	}
	return int(binary.LittleEndian.Uint32(f.b[p:])), nil
}

func (f *fbuf) i64(p int) (int64, error) {
	if p < 0 || p+8 > len(f.b) {
		return 0, errMeta
	}
	return int64(binary.LittleEndian.Uint64(f.b[p:])), nil
}

type fbTable struct {
	f                *fbuf
	t, vt, vts, size int
}

// table checks the table at t (its vtable and inline size).
func (f *fbuf) table(t int) (fbTable, error) {
	if f.budget--; f.budget < 0 {
		return fbTable{}, fmt.Errorf("%w: too many tables", errMeta)
	}
	so, err := f.u32(t)
	if err != nil {
		return fbTable{}, err
	}
	vt := t - int(int32(uint32(so)))
	vts, err := f.u16(vt)
	if err != nil {
		return fbTable{}, err
	}
	size, err := f.u16(vt + 2)
	if err != nil {
		return fbTable{}, err
	}
	if vts < 4 || vts%2 != 0 || vt+vts > len(f.b) || size < 4 || t+size > len(f.b) {
		return fbTable{}, fmt.Errorf("%w: bad table at %d", errMeta, t)
	}
	return fbTable{f, t, vt, vts, size}, nil
}

// root returns the root table of the flatbuffer.
func (f *fbuf) root() (fbTable, error) {
	r, err := f.u32(0)
	if err != nil {
		return fbTable{}, err
	}
	return f.table(r)
}

// field returns the position of field i, 0 when absent, checking that n
// bytes fit inside the table.
func (t fbTable) field(i, n int) (int, error) {
	if 4+2*i+2 > t.vts {
		return 0, nil
	}
	off, err := t.f.u16(t.vt + 4 + 2*i)
	if err != nil || off == 0 {
		return 0, err
	}
	if off+n > t.size {
		return 0, fmt.Errorf("%w: field %d outside its table", errMeta, i)
	}
	return t.t + off, nil
}

// ref follows the offset stored in field i; 0 when absent.
func (t fbTable) ref(i int) (int, error) {
	p, err := t.field(i, 4)
	if err != nil || p == 0 {
		return 0, err
	}
	v, err := t.f.u32(p)
	if err != nil {
		return 0, err
	}
	if p+v >= len(t.f.b) {
		return 0, fmt.Errorf("%w: field %d points outside", errMeta, i)
	}
	return p + v, nil
}

// vector checks the vector of elem-byte elements in field i and returns
// the position of its first element and its length.
func (t fbTable) vector(i, elem int) (start, n int, err error) {
	v, err := t.ref(i)
	if err != nil || v == 0 {
		return 0, 0, err
	}
	n, err = t.f.u32(v)
	if err != nil {
		return 0, 0, err
	}
	if n > (len(t.f.b)-v-4)/elem {
		return 0, 0, fmt.Errorf("%w: vector of %d elements in a %d-byte buffer", errMeta, n, len(t.f.b))
	}
	return v + 4, n, nil
}

// sub returns the table in field i, ok false when absent.
func (t fbTable) sub(i int) (fbTable, bool, error) {
	v, err := t.ref(i)
	if err != nil || v == 0 {
		return fbTable{}, false, err
	}
	s, err := t.f.table(v)
	return s, err == nil, err
}

// tables calls fn for every table of the vector of tables in field i.
func (t fbTable) tables(i int, fn func(fbTable) error) error {
	start, n, err := t.vector(i, 4)
	if err != nil {
		return err
	}
	for j := 0; j < n; j++ {
		p := start + 4*j
		v, err := t.f.u32(p)
		if err != nil {
			return err
		}
		s, err := t.f.table(p + v)
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

func checkKeyValues(t fbTable, i int) error {
	return t.tables(i, func(kv fbTable) error {
		if _, _, err := kv.vector(0, 1); err != nil {
			return err
		}
		_, _, err := kv.vector(1, 1)
		return err
	})
}

// Type union members with vectors or strings (Schema.fbs).
const (
	fbTypeTimestamp = 10
	fbTypeUnion     = 14
)

func checkField(t fbTable, depth int) error {
	if depth > maxFieldDepth {
		return fmt.Errorf("%w: fields nested deeper than %d", errMeta, maxFieldDepth)
	}
	if _, _, err := t.vector(0, 1); err != nil { // name
		return err
	}
	kind := 0
	if p, err := t.field(2, 1); err != nil {
		return err
	} else if p != 0 {
		kind = int(t.f.b[p])
	}
	if typ, ok, err := t.sub(3); err != nil {
		return err
	} else if ok {
		switch kind {
		case fbTypeTimestamp:
			if _, _, err := typ.vector(1, 1); err != nil {
				return err
			}
		case fbTypeUnion:
			if _, _, err := typ.vector(1, 4); err != nil {
				return err
			}
		}
	}
	if dict, ok, err := t.sub(4); err != nil {
		return err
	} else if ok {
		if _, _, err := dict.sub(1); err != nil {
			return err
		}
	}
	if err := t.tables(5, func(c fbTable) error { return checkField(c, depth+1) }); err != nil {
		return err
	}
	return checkKeyValues(t, 6)
}

func checkSchema(s fbTable) error {
	if err := s.tables(1, func(fl fbTable) error { return checkField(fl, 0) }); err != nil {
		return err
	}
	if err := checkKeyValues(s, 2); err != nil {
		return err
	}
	_, _, err := s.vector(3, 8)
	return err
}

// Message header union members (Message.fbs).
const (
	fbMsgSchema          = 1
	fbMsgDictionaryBatch = 2
	fbMsgRecordBatch     = 3
)

// fbBuffer is a buffer of a record batch body: offset and length.
type fbBuffer struct{ off, n int64 }

// checkRecordBatch checks a RecordBatch table and returns its buffers and
// whether they are compressed.
func checkRecordBatch(rb fbTable) (bufs []fbBuffer, compressed bool, err error) {
	if p, err := rb.field(0, 8); err != nil {
		return nil, false, err
	} else if p != 0 {
		if n, _ := rb.f.i64(p); n < 0 || n > MaxReadRows {
			return nil, false, fmt.Errorf("%w: batch of %d rows (limit %d)", errMeta, n, MaxReadRows)
		}
	}
	start, n, err := rb.vector(1, 16) // nodes: length, null count
	if err != nil {
		return nil, false, err
	}
	for j := 0; j < n; j++ {
		ln, _ := rb.f.i64(start + 16*j)
		nulls, _ := rb.f.i64(start + 16*j + 8)
		if ln < 0 || ln > MaxReadRows || nulls < 0 || nulls > ln {
			return nil, false, fmt.Errorf("%w: array of %d values, %d nulls (limit %d)", errMeta, ln, nulls, MaxReadRows)
		}
	}
	start, n, err = rb.vector(2, 16)
	if err != nil {
		return nil, false, err
	}
	for j := 0; j < n; j++ {
		off, _ := rb.f.i64(start + 16*j)
		ln, _ := rb.f.i64(start + 16*j + 8)
		bufs = append(bufs, fbBuffer{off, ln})
	}
	_, compressed, err = rb.sub(3)
	if err != nil {
		return nil, false, err
	}
	if _, _, err := rb.vector(4, 8); err != nil {
		return nil, false, err
	}
	return bufs, compressed, nil
}

// checkMessage checks a Message flatbuffer and returns its body length
// and, for record and dictionary batches, their buffers.
func checkMessage(b []byte) (bodyLen int64, bufs []fbBuffer, compressed bool, err error) {
	f := newFbuf(b)
	m, err := f.root()
	if err != nil {
		return 0, nil, false, err
	}
	kind := 0
	if p, err := m.field(1, 1); err != nil {
		return 0, nil, false, err
	} else if p != 0 {
		kind = int(b[p])
	}
	if p, err := m.field(3, 8); err != nil {
		return 0, nil, false, err
	} else if p != 0 {
		bodyLen, _ = f.i64(p)
	}
	if err := checkKeyValues(m, 4); err != nil {
		return 0, nil, false, err
	}
	h, ok, err := m.sub(2)
	if err != nil || !ok {
		return bodyLen, nil, false, err
	}
	switch kind {
	case fbMsgSchema:
		err = checkSchema(h)
	case fbMsgRecordBatch:
		bufs, compressed, err = checkRecordBatch(h)
	case fbMsgDictionaryBatch:
		var rb fbTable
		if rb, ok, err = h.sub(1); err == nil && ok {
			bufs, compressed, err = checkRecordBatch(rb)
		}
	}
	return bodyLen, bufs, compressed, err
}

// message splits an encapsulated IPC message at data[0:]: the optional
// continuation marker, the metadata length and the flatbuffer. It returns
// the flatbuffer and the number of bytes before the body.
func message(data []byte) (fb []byte, head int, err error) {
	if len(data) < 4 {
		return nil, 0, fmt.Errorf("%w: truncated message", errMeta)
	}
	p := 0
	if binary.LittleEndian.Uint32(data) == 0xFFFFFFFF {
		p = 4
	}
	if len(data) < p+4 {
		return nil, 0, fmt.Errorf("%w: truncated message", errMeta)
	}
	n := int(int32(binary.LittleEndian.Uint32(data[p:])))
	p += 4
	if n < 0 || n > len(data)-p {
		return nil, 0, fmt.Errorf("%w: message metadata of %d bytes in %d", errMeta, n, len(data)-p)
	}
	return data[p : p+n], p + n, nil
}

// checkBody checks that the buffers lie in the body and that compressed
// buffers declare a plausible uncompressed size.
func checkBody(body []byte, bufs []fbBuffer, compressed bool) error {
	for _, bf := range bufs {
		if bf.off < 0 || bf.n < 0 || bf.off > int64(len(body)) || bf.n > int64(len(body))-bf.off {
			return fmt.Errorf("%w: buffer [%d, +%d) outside a %d-byte body", errMeta, bf.off, bf.n, len(body))
		}
		if compressed && bf.n >= 8 {
			u := int64(binary.LittleEndian.Uint64(body[bf.off:]))
			if u < -1 || u > maxUncompressed {
				return fmt.Errorf("%w: compressed buffer declares %d bytes", errMeta, u)
			}
		}
	}
	return nil
}

const ipcMagic = "ARROW1"

// checkIPCFile checks the footer of an Arrow IPC file and every block it
// lists. Files the reader rejects by their size, trailing magic or footer
// length are left to it (the same tests as the reader's).
func checkIPCFile(data []byte) error {
	const tail = 4 + len(ipcMagic)
	const minSize = 2*len(ipcMagic) + 4
	if len(data) <= minSize || string(data[len(data)-len(ipcMagic):]) != ipcMagic {
		return nil
	}
	n := int64(binary.LittleEndian.Uint32(data[len(data)-tail:]))
	if n <= 0 || n+int64(minSize) > int64(len(data)) {
		return nil
	}
	f := newFbuf(data[int64(len(data)-tail)-n : len(data)-tail])
	footer, err := f.root()
	if err != nil {
		return err
	}
	if s, ok, err := footer.sub(1); err != nil {
		return err
	} else if ok {
		if err := checkSchema(s); err != nil {
			return err
		}
	}
	if err := checkKeyValues(footer, 4); err != nil {
		return err
	}
	for _, field := range []int{2, 3} { // dictionaries, record batches: Block structs
		start, nb, err := footer.vector(field, 24)
		if err != nil {
			return err
		}
		for j := 0; j < nb; j++ {
			off, _ := f.i64(start + 24*j)
			meta, _ := f.u32(start + 24*j + 8)
			body, _ := f.i64(start + 24*j + 16)
			meta = int(int32(uint32(meta)))
			size := int64(len(data))
			if off < 0 || meta < 0 || body < 0 || off > size || int64(meta) > size-off || body > size-off-int64(meta) {
				return fmt.Errorf("%w: block %d lies outside the file", errMeta, j)
			}
			fb, _, err := message(data[off : off+int64(meta)])
			if err != nil {
				return err
			}
			_, bufs, compressed, err := checkMessage(fb)
			if err != nil {
				return err
			}
			if err := checkBody(data[off+int64(meta):off+int64(meta)+body], bufs, compressed); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkSerializedSchema checks the base64 IPC schema message Parquet files
// written from Arrow keep under "ARROW:schema".
func checkSerializedSchema(b64 string) error {
	// Decoded as the Parquet reader does: padded base64 when the length
	// allows it, else unpadded.
	var data []byte
	var err error
	if len(b64)%4 == 0 {
		data, err = base64.StdEncoding.DecodeString(b64)
	}
	if len(data) == 0 || err != nil {
		if data, err = base64.RawStdEncoding.DecodeString(b64); err != nil {
			return fmt.Errorf("%w: %v", errMeta, err)
		}
	}
	fb, head, err := message(data)
	if err != nil {
		return err
	}
	bodyLen, _, _, err := checkMessage(fb)
	if err != nil {
		return err
	}
	if bodyLen < 0 || bodyLen > int64(len(data)-head) {
		return fmt.Errorf("%w: schema message body of %d bytes", errMeta, bodyLen)
	}
	return nil
}
