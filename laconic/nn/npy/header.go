package npy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Limits applied to headers before anything is allocated.
const (
	// MaxHeaderLen is the largest header dictionary accepted, in bytes.
	// NumPy itself refuses headers above 10000 bytes by default.
	MaxHeaderLen = 1 << 20
	// MaxRank is the largest number of dimensions accepted (NumPy's own
	// limit in version 2).
	MaxRank = 64
)

// Sentinel errors, wrapped (with %w) by every error this package returns
// about a file's content.
var (
	// ErrFormat: not a .npy file, or a corrupt header.
	ErrFormat = errors.New("npy: invalid file format")
	// ErrTruncated: the file ends before the data its header declares.
	ErrTruncated = errors.New("npy: truncated data")
	// ErrUnsupported: a valid file with an element type or layout this
	// package does not convert.
	ErrUnsupported = errors.New("npy: unsupported array")
)

var magic = []byte("\x93NUMPY")

// Header is the parsed, validated header of a .npy file.
type Header struct {
	Major, Minor int   // format version (1.0, 2.0 or 3.0)
	DType        DType // element type, e.g. "<f4"
	Fortran      bool  // data stored in column-major (Fortran) order
	Shape        []int // dimensions; empty for a scalar
	// DataOffset is the number of bytes before the array data.
	DataOffset int64
}

// NumElements returns the product of the dimensions (1 for a scalar).
func (h Header) NumElements() int64 {
	n := int64(1)
	for _, d := range h.Shape {
		n *= int64(d)
	}
	return n
}

// DataSize returns the number of data bytes the header declares.
func (h Header) DataSize() int64 { return h.NumElements() * int64(h.DType.Size()) }

// DType is a NumPy type string of a supported element type: a byte-order
// character ('<', '>' or '|') followed by a kind and size ("f4", "i2", ...).
type DType string

// dtypeInfo describes a supported element kind.
type dtypeInfo struct {
	size int
}

var dtypes = map[string]dtypeInfo{
	"f2": {2}, "f4": {4}, "f8": {8},
	"i1": {1}, "i2": {2}, "i4": {4}, "i8": {8},
	"u1": {1}, "u2": {2},
}

// Size returns the element size in bytes (0 for an unsupported type).
func (d DType) Size() int {
	if len(d) != 3 {
		return 0
	}
	return dtypes[string(d[1:])].size
}

// Kind returns the kind and size without the byte order, e.g. "f4".
func (d DType) Kind() string {
	if len(d) != 3 {
		return ""
	}
	return string(d[1:])
}

// BigEndian reports whether multi-byte elements are stored big-endian.
func (d DType) BigEndian() bool { return len(d) == 3 && d[0] == '>' }

// parseDType validates a descr string and returns its canonical form
// (one-byte types get '|').
func parseDType(s string) (DType, error) {
	if len(s) != 3 {
		return "", fmt.Errorf("%w: element type %q (supported: f2, f4, f8, i1, i2, i4, i8, u1, u2)", ErrUnsupported, s)
	}
	info, ok := dtypes[s[1:]]
	if !ok {
		return "", fmt.Errorf("%w: element type %q (supported: f2, f4, f8, i1, i2, i4, i8, u1, u2)", ErrUnsupported, s)
	}
	switch order := s[0]; {
	case info.size == 1 && (order == '|' || order == '<' || order == '>' || order == '='):
		return DType("|" + s[1:]), nil
	case order == '<' || order == '>':
		return DType(s), nil
	case order == '=':
		return "", fmt.Errorf("%w: element type %q has native byte order; save it with an explicit '<' or '>'", ErrUnsupported, s)
	default:
		return "", fmt.Errorf("%w: element type %q: byte order %q", ErrFormat, s, order)
	}
}

// readHeader reads and validates the header from r, which holds avail bytes
// in all (avail < 0: unknown). It never allocates more than the header
// length, which is itself bounded by avail and MaxHeaderLen.
func readHeader(r io.Reader, avail int64) (Header, error) {
	var h Header
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return h, fmt.Errorf("%w: file too short for a .npy header", ErrFormat)
		}
		return h, err
	}
	if !bytes.Equal(pre[:6], magic) {
		return h, fmt.Errorf("%w: missing the \\x93NUMPY magic string", ErrFormat)
	}
	h.Major, h.Minor = int(pre[6]), int(pre[7])
	var lenBytes int
	switch {
	case h.Major == 1 && h.Minor == 0:
		lenBytes = 2
	case (h.Major == 2 || h.Major == 3) && h.Minor == 0:
		lenBytes = 4
	default:
		return h, fmt.Errorf("%w: unknown format version %d.%d (want 1.0, 2.0 or 3.0)", ErrFormat, h.Major, h.Minor)
	}
	var lb [4]byte
	if _, err := io.ReadFull(r, lb[:lenBytes]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return h, fmt.Errorf("%w: file too short for a .npy header", ErrFormat)
		}
		return h, err
	}
	var hlen int64
	if lenBytes == 2 {
		hlen = int64(binary.LittleEndian.Uint16(lb[:2]))
	} else {
		hlen = int64(binary.LittleEndian.Uint32(lb[:4]))
	}
	h.DataOffset = 8 + int64(lenBytes) + hlen
	if hlen > MaxHeaderLen {
		return h, fmt.Errorf("%w: header length %d exceeds the limit of %d bytes", ErrFormat, hlen, MaxHeaderLen)
	}
	if avail >= 0 && h.DataOffset > avail {
		return h, fmt.Errorf("%w: header length %d runs past the end of the %d-byte file", ErrTruncated, hlen, avail)
	}
	buf := make([]byte, hlen)
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return h, fmt.Errorf("%w: header length %d runs past the end of the file", ErrTruncated, hlen)
		}
		return h, err
	}
	if err := parseDict(buf, &h); err != nil {
		return h, err
	}
	size := int64(h.DType.Size())
	n := int64(1)
	for _, d := range h.Shape {
		if d != 0 && n > math.MaxInt64/size/int64(d) {
			return h, fmt.Errorf("%w: shape %v is too large", ErrFormat, h.Shape)
		}
		n *= int64(d)
	}
	if avail >= 0 && h.DataSize() > avail-h.DataOffset {
		return h, fmt.Errorf("%w: shape %v of %s needs %d data bytes, the file has %d", ErrTruncated,
			h.Shape, h.DType, h.DataSize(), avail-h.DataOffset)
	}
	return h, nil
}

// parseDict parses the header dictionary, a Python literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// followed by spaces and a newline. Keys may come in any order; each of the
// three must appear once and no other key is allowed (as NumPy requires).
func parseDict(buf []byte, h *Header) error {
	p := &dictParser{s: string(buf)}
	if err := p.parse(h); err != nil {
		if errors.Is(err, ErrUnsupported) || errors.Is(err, ErrFormat) {
			return fmt.Errorf("header %q: %w", clip(p.s, 120), err)
		}
		return fmt.Errorf("%w: header %q: %v", ErrFormat, clip(p.s, 120), err)
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

type dictParser struct {
	s   string
	pos int
}

func (p *dictParser) ws() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *dictParser) peek() byte {
	p.ws()
	if p.pos >= len(p.s) {
		return 0
	}
	return p.s[p.pos]
}

func (p *dictParser) expect(c byte) error {
	if p.peek() != c {
		return fmt.Errorf("expected %q at offset %d", c, p.pos)
	}
	p.pos++
	return nil
}

func (p *dictParser) str() (string, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", fmt.Errorf("expected a string at offset %d", p.pos)
	}
	end := strings.IndexByte(p.s[p.pos+1:], q)
	if end < 0 {
		return "", fmt.Errorf("unterminated string at offset %d", p.pos)
	}
	v := p.s[p.pos+1 : p.pos+1+end]
	if strings.IndexByte(v, '\\') >= 0 {
		return "", fmt.Errorf("escape sequences are not supported in %q", v)
	}
	p.pos += end + 2
	return v, nil
}

func (p *dictParser) word() string {
	p.ws()
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *dictParser) shape() ([]int, error) {
	if err := p.expect('('); err != nil {
		return nil, fmt.Errorf("shape must be a tuple: %v", err)
	}
	shape := []int{}
	for {
		if p.peek() == ')' {
			p.pos++
			break
		}
		w := p.word()
		w = strings.TrimSuffix(w, "L") // Python 2 long integers
		if w == "" {
			return nil, fmt.Errorf("expected a dimension at offset %d", p.pos)
		}
		d, err := strconv.ParseInt(w, 10, 64)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("invalid dimension %q", w)
		}
		if len(shape) == MaxRank {
			return nil, fmt.Errorf("more than %d dimensions", MaxRank)
		}
		shape = append(shape, int(d))
		switch p.peek() {
		case ',':
			p.pos++
		case ')':
			if len(shape) == 1 {
				return nil, fmt.Errorf("(%d) is not a tuple; a one-dimensional shape is written (%d,)", d, d)
			}
		default:
			return nil, fmt.Errorf("expected ',' or ')' at offset %d", p.pos)
		}
	}
	return shape, nil
}

func (p *dictParser) parse(h *Header) error {
	if err := p.expect('{'); err != nil {
		return err
	}
	seen := map[string]bool{}
	for {
		if p.peek() == '}' {
			p.pos++
			break
		}
		key, err := p.str()
		if err != nil {
			return err
		}
		if seen[key] {
			return fmt.Errorf("key %q appears twice", key)
		}
		seen[key] = true
		if err := p.expect(':'); err != nil {
			return err
		}
		switch key {
		case "descr":
			if c := p.peek(); c == '[' || c == '{' {
				return fmt.Errorf("%w: structured element types are not supported", ErrUnsupported)
			}
			s, err := p.str()
			if err != nil {
				return err
			}
			if h.DType, err = parseDType(s); err != nil {
				return err
			}
		case "fortran_order":
			switch w := p.word(); w {
			case "True":
				h.Fortran = true
			case "False":
				h.Fortran = false
			default:
				return fmt.Errorf("fortran_order must be True or False, not %q", w)
			}
		case "shape":
			if h.Shape, err = p.shape(); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected key %q", key)
		}
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
		default:
			return fmt.Errorf("expected ',' or '}' at offset %d", p.pos)
		}
	}
	p.ws()
	if p.pos != len(p.s) {
		return fmt.Errorf("unexpected text after the dictionary at offset %d", p.pos)
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return fmt.Errorf("missing key %q", k)
		}
	}
	return nil
}

// growthDigits is the room NumPy leaves for the first axis to grow to
// (len(str(8*2**64-1))), and align the boundary the data starts on.
const (
	growthDigits = 21
	align        = 64
)

// encodeHeader returns the header bytes numpy.save writes for a C-order
// array of the given type and shape.
func encodeHeader(dtype DType, shape []int) []byte {
	var dict strings.Builder
	dict.WriteString("{'descr': '")
	dict.WriteString(string(dtype))
	dict.WriteString("', 'fortran_order': False, 'shape': (")
	for i, d := range shape {
		if i > 0 {
			dict.WriteString(", ")
		}
		dict.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		dict.WriteString(",")
	}
	dict.WriteString("), }")
	if len(shape) > 0 {
		if pad := growthDigits - len(strconv.Itoa(shape[0])); pad > 0 {
			dict.WriteString(strings.Repeat(" ", pad))
		}
	}
	hlen := dict.Len() + 1 // with the final newline
	major, lenBytes := 1, 2
	if pre := 8 + lenBytes; hlen+align-(pre+hlen)%align > math.MaxUint16 {
		major, lenBytes = 2, 4
	}
	pre := 8 + lenBytes
	pad := align - (pre+hlen)%align
	total := hlen + pad
	out := make([]byte, 0, pre+total)
	out = append(out, magic...)
	out = append(out, byte(major), 0)
	if lenBytes == 2 {
		out = binary.LittleEndian.AppendUint16(out, uint16(total))
	} else {
		out = binary.LittleEndian.AppendUint32(out, uint32(total))
	}
	out = append(out, dict.String()...)
	out = append(out, bytes.Repeat([]byte{' '}, pad)...)
	out = append(out, '\n')
	return out
}
