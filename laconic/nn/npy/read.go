package npy

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"codeberg.org/sbinet/npyio"
	"codeberg.org/sbinet/npyio/npy/float16"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Read reads a .npy file into a float32 tensor with the file's shape, in C
// order. Element types are converted as the package documentation says.
// Errors name the file and wrap ErrFormat, ErrTruncated or ErrUnsupported
// when the content is at fault.
func Read(path string) (*nn.Tensor, error) {
	t, _, err := readFile(path)
	return t, err
}

// ReadHeader reads and validates only the header of a .npy file: its shape
// and element type, without loading the data. The file must be long enough
// for the data the header declares.
func ReadHeader(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, fmt.Errorf("npy: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Header{}, fmt.Errorf("npy: %w", err)
	}
	h, err := readHeader(bufio.NewReaderSize(f, 4096), st.Size())
	if err != nil {
		return Header{}, fmt.Errorf("npy: read %s: %w", path, err)
	}
	return h, nil
}

func readFile(path string) (*nn.Tensor, Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Header{}, fmt.Errorf("npy: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, Header{}, fmt.Errorf("npy: %w", err)
	}
	if st.IsDir() {
		return nil, Header{}, fmt.Errorf("npy: read %s: is a directory", path)
	}
	br := bufio.NewReaderSize(f, 1<<16)
	h, err := readHeader(br, st.Size())
	if err != nil {
		return nil, h, fmt.Errorf("npy: read %s: %w", path, err)
	}
	t, err := decodeData(br, h)
	if err != nil {
		return nil, h, fmt.Errorf("npy: read %s: %w", path, err)
	}
	return t, h, nil
}

// Decode reads one .npy array from r. Data is read only as far as the header
// declares and memory grows with the bytes actually received, so a header
// declaring a huge shape over a short stream costs no more than the stream.
func Decode(r io.Reader) (*nn.Tensor, error) {
	t, err := decodeStream(r)
	if err != nil {
		return nil, fmt.Errorf("npy: decode: %w", err)
	}
	return t, nil
}

// decodeStream decodes from a reader of unknown length.
func decodeStream(r io.Reader) (*nn.Tensor, error) {
	h, err := readHeader(r, -1)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, r, h.DataSize())
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if n < h.DataSize() {
		return nil, fmt.Errorf("%w: shape %v of %s needs %d data bytes, the stream has %d", ErrTruncated,
			h.Shape, h.DType, h.DataSize(), n)
	}
	return decodeData(bytes.NewReader(buf.Bytes()), h)
}

// decodeData decodes the data that follows a validated header; r must hold
// at least h.DataSize() bytes (readHeader checked this against the file size).
func decodeData(r io.Reader, h Header) (*nn.Tensor, error) {
	n := int(h.NumElements())
	var data []float32
	var err error
	if h.DType == "<f4" {
		data, err = decodeF4LE(r, n)
	} else {
		data, err = decodeNpyio(r, h.DType, n)
	}
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: the data ended early (file changed while reading?)", ErrTruncated)
		}
		return nil, err
	}
	shape := append([]int{}, h.Shape...)
	if h.Fortran {
		data = fortranToC(data, shape)
	}
	return &nn.Tensor{Shape: shape, Data: data}, nil
}

// decodeF4LE is the fast path: little-endian float32, converted a chunk at
// a time straight into the output.
func decodeF4LE(r io.Reader, n int) ([]float32, error) {
	out := make([]float32, n)
	buf := make([]byte, min(4*n, 1<<16))
	for i := 0; i < n; {
		m := min(len(buf)/4, n-i)
		if _, err := io.ReadFull(r, buf[:4*m]); err != nil {
			return nil, err
		}
		dst := out[i : i+m]
		for j := range dst {
			dst[j] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:]))
		}
		i += m
	}
	return out, nil
}

// decodeNpyio decodes n elements of type dt with npyio. npyio is given a
// header rebuilt from the validated one (a flat C-order shape), so it never
// sees the file's own header text.
func decodeNpyio(r io.Reader, dt DType, n int) (out []float32, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("%w: decoding %s data failed: %v", ErrFormat, dt, p)
		}
	}()
	hdr := encodeHeader(dt, []int{n})
	rd, err := npyio.NewReader(io.MultiReader(bytes.NewReader(hdr), r))
	if err != nil {
		return nil, fmt.Errorf("npyio: %w", err)
	}
	out = make([]float32, n)
	switch dt.Kind() {
	case "f2":
		var v []float16.Num
		err = rd.Read(&v)
		if err == nil && len(v) == n {
			for i, x := range v {
				out[i] = x.Float32()
			}
		}
		return checkLen(out, len(v), n, err)
	case "f4":
		var v []float32
		err = rd.Read(&v)
		copy(out, v)
		return checkLen(out, len(v), n, err)
	case "f8":
		var v []float64
		err = rd.Read(&v)
		return convert(out, v, n, err)
	case "i1":
		var v []int8
		err = rd.Read(&v)
		return convert(out, v, n, err)
	case "i2":
		var v []int16
		err = rd.Read(&v)
		return convert(out, v, n, err)
	case "i4":
		var v []int32
		err = rd.Read(&v)
		return convert(out, v, n, err)
	case "i8":
		var v []int64
		err = rd.Read(&v)
		return convert(out, v, n, err)
	case "u1":
		var v []uint8
		err = rd.Read(&v)
		return convert(out, v, n, err)
	case "u2":
		var v []uint16
		err = rd.Read(&v)
		return convert(out, v, n, err)
	}
	return nil, fmt.Errorf("%w: element type %s", ErrUnsupported, dt)
}

type number interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~float64
}

func convert[T number](out []float32, v []T, n int, err error) ([]float32, error) {
	if err == nil && len(v) == n {
		for i, x := range v {
			out[i] = float32(x)
		}
	}
	return checkLen(out, len(v), n, err)
}

func checkLen(out []float32, got, n int, err error) ([]float32, error) {
	if err != nil && !(n == 0 && errors.Is(err, io.EOF)) {
		return nil, err
	}
	if got != n {
		return nil, fmt.Errorf("%w: decoded %d elements, want %d", ErrTruncated, got, n)
	}
	return out, nil
}

// fortranToC reorders column-major data of the given shape into row-major
// order. Element (i0, ..., ik) sits at i0 + d0*(i1 + d1*(i2 + ...)) in the
// input and at ((i0*d1 + i1)*d2 + ...) in the output.
func fortranToC(data []float32, shape []int) []float32 {
	if len(shape) < 2 || len(data) == 0 {
		return data
	}
	fstride := make([]int, len(shape))
	s := 1
	for k, d := range shape {
		fstride[k] = s
		s *= d
	}
	out := make([]float32, len(data))
	nn.StridedCopy(out, data, shape, fstride)
	return out
}
