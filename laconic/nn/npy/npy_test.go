package npy

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// ramp reproduces make_golden.py's ramp: (i - offset) * scale, then the
// conversion to the stored type and to float32.
func ramp(n int, scale float64, offset int, conv func(float64) float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(conv(float64(i-offset) * scale))
	}
	return out
}

func ident(x float64) float64 { return x }
func f32(x float64) float64   { return float64(float32(x)) }

func TestReadGolden(t *testing.T) {
	// Fortran-order file: values are ramp(24) laid out in C order of (2,3,4).
	tests := []struct {
		file  string
		shape []int
		want  []float32
	}{
		{"f4_c_2x3.npy", []int{2, 3}, ramp(6, 0.25, 2, f32)},
		{"f4_fortran_2x3x4.npy", []int{2, 3, 4}, ramp(24, 0.5, 5, f32)},
		{"f4_be_3x2.npy", []int{3, 2}, ramp(6, 1.5, 3, f32)},
		{"f8_2x2.npy", []int{2, 2}, ramp(4, 0.1, 1, ident)},
		{"f2_4.npy", []int{4}, ramp(4, 0.5, 2, ident)},
		{"i1_5.npy", []int{5}, ramp(5, 50, 2, ident)},
		{"u1_5.npy", []int{5}, ramp(5, 60, 0, ident)},
		{"i2_be_2x2.npy", []int{2, 2}, ramp(4, 1000, 2, ident)},
		{"u2_3.npy", []int{3}, ramp(3, 30000, 0, ident)},
		{"i4_3.npy", []int{3}, []float32{-16777216, 0, 16777216}},                 // 2^24+1 rounds to 2^24
		{"i8_3.npy", []int{3}, []float32{-(1 << 40), 0, 1 << 40}},                 // 2^40+1 rounds to 2^40
		{"f4_scalar.npy", []int{}, []float32{3.5}},                                // rank 0
		{"f4_empty_0x4.npy", []int{0, 4}, []float32{}},                            // no elements
		{"f4_v2_2x2.npy", []int{2, 2}, ramp(4, 2, 0, f32)},                        // format 2.0
		{"f4_v3_2x2.npy", []int{2, 2}, ramp(4, 3, 0, f32)},                        // format 3.0
		{"f4_fortran_2x3x4.npy", []int{2, 3, 4}, ramp(24, 0.5, 5, ident)},         // same values, other conversion path
		{"f4_c_2x3.npy", []int{2, 3}, []float32{-0.5, -0.25, 0, 0.25, 0.5, 0.75}}, // literal values
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := Read(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Shape, tc.shape) {
				t.Fatalf("shape %v, want %v", got.Shape, tc.shape)
			}
			if !slices.Equal(got.Data, tc.want) {
				t.Fatalf("data %v, want %v", got.Data, tc.want)
			}
			if err := got.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestReadHeaderGolden(t *testing.T) {
	h, err := ReadHeader(filepath.Join("testdata", "f4_fortran_2x3x4.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if h.DType != "<f4" || !h.Fortran || !slices.Equal(h.Shape, []int{2, 3, 4}) || h.DataOffset != 128 ||
		h.Major != 1 || h.NumElements() != 24 || h.DataSize() != 96 {
		t.Fatalf("header %+v", h)
	}
	h, err = ReadHeader(filepath.Join("testdata", "i2_be_2x2.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if h.DType != ">i2" || !h.DType.BigEndian() || h.DType.Kind() != "i2" || h.DType.Size() != 2 {
		t.Fatalf("header %+v", h)
	}
}

// TestHeaderMatchesNumpy compares the header bytes with those numpy.save
// writes (recorded in testdata/headers.json by make_golden.py).
func TestHeaderMatchesNumpy(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "headers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Shape []int
		Hex   string
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		got := hex.EncodeToString(encodeHeader("<f4", c.Shape))
		if got != c.Hex {
			t.Errorf("shape %v:\n got %s\nwant %s", c.Shape, got, c.Hex)
		}
		// And our parser reads numpy's header back.
		b, _ := hex.DecodeString(c.Hex)
		h, err := readHeader(bytes.NewReader(b), -1)
		if err != nil {
			t.Errorf("shape %v: %v", c.Shape, err)
			continue
		}
		if !slices.Equal(h.Shape, c.Shape) || h.DataOffset != int64(len(b)) || h.DataOffset%64 != 0 {
			t.Errorf("shape %v: parsed %+v", c.Shape, h)
		}
	}
}

// TestEncodeMatchesNumpyFile checks whole files byte for byte.
func TestEncodeMatchesNumpyFile(t *testing.T) {
	for _, name := range []string{"f4_c_2x3.npy", "f4_scalar.npy", "f4_empty_0x4.npy"} {
		want, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		tn, err := Read(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Encode(&buf, tn); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: encoded bytes differ from numpy's:\n got %q\nwant %q", name, buf.Bytes(), want)
		}
	}
}

func randomTensor(rng *rand.Rand, maxRank, maxDim int) *nn.Tensor {
	rank := rng.IntN(maxRank + 1)
	shape := make([]int, rank)
	for i := range shape {
		shape[i] = rng.IntN(maxDim + 1)
	}
	t := nn.NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = math.Float32frombits(rng.Uint32()) // every bit pattern, NaNs included
	}
	return t
}

func sameBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

func TestWriteReadRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	for i := range 200 {
		want := randomTensor(rng, 5, 6)
		path := filepath.Join(dir, "sub", "t.npy")
		if err := Write(path, want); err != nil {
			t.Fatal(err)
		}
		got, err := Read(path)
		if err != nil {
			t.Fatalf("case %d shape %v: %v", i, want.Shape, err)
		}
		if !slices.Equal(got.Shape, want.Shape) || !sameBits(got.Data, want.Data) {
			t.Fatalf("case %d: shape %v -> %v, data differ", i, want.Shape, got.Shape)
		}
		// An independent reader (npyio, on the file as written) agrees.
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := npyio.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		var flat []float32
		if err := r.Read(&flat); err != nil && len(want.Data) > 0 {
			t.Fatal(err)
		}
		f.Close()
		if !sameBits(flat, want.Data) || !slices.Equal(r.Header.Descr.Shape, want.Shape) && len(want.Shape) > 0 {
			t.Fatalf("case %d: npyio reads shape %v, want %v", i, r.Header.Descr.Shape, want.Shape)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "sub"))
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

// TestFastPathMatchesNpyio: the direct float32 decoder equals npyio's, bit
// for bit, on random data of sizes around the chunk boundary.
func TestFastPathMatchesNpyio(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 7, 16383, 16384, 16385, 40000} {
		raw := make([]byte, 4*n)
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		fast, err := decodeF4LE(bytes.NewReader(raw), n)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := decodeNpyio(bytes.NewReader(raw), "<f4", n)
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(fast, slow) {
			t.Fatalf("n=%d: fast path differs from npyio", n)
		}
		// And from the obvious definition.
		for i := range n {
			if math.Float32bits(fast[i]) != binary.LittleEndian.Uint32(raw[4*i:]) {
				t.Fatalf("n=%d: element %d", n, i)
			}
		}
	}
}

// TestNpyioPathTypes decodes every supported type through npyio and checks
// against a direct conversion of random values.
func TestNpyioPathTypes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 1000
	for _, tc := range []struct {
		dt   DType
		gen  func(b []byte, bo binary.ByteOrder) float32
		size int
	}{
		{"|i1", func(b []byte, _ binary.ByteOrder) float32 { return float32(int8(b[0])) }, 1},
		{"|u1", func(b []byte, _ binary.ByteOrder) float32 { return float32(b[0]) }, 1},
		{"<i2", func(b []byte, bo binary.ByteOrder) float32 { return float32(int16(bo.Uint16(b))) }, 2},
		{">i2", func(b []byte, bo binary.ByteOrder) float32 { return float32(int16(bo.Uint16(b))) }, 2},
		{"<u2", func(b []byte, bo binary.ByteOrder) float32 { return float32(bo.Uint16(b)) }, 2},
		{">u2", func(b []byte, bo binary.ByteOrder) float32 { return float32(bo.Uint16(b)) }, 2},
		{"<i4", func(b []byte, bo binary.ByteOrder) float32 { return float32(int32(bo.Uint32(b))) }, 4},
		{">i8", func(b []byte, bo binary.ByteOrder) float32 { return float32(int64(bo.Uint64(b))) }, 8},
		{">f4", func(b []byte, bo binary.ByteOrder) float32 { return math.Float32frombits(bo.Uint32(b)) }, 4},
		{"<f8", func(b []byte, bo binary.ByteOrder) float32 { return float32(math.Float64frombits(bo.Uint64(b))) }, 8},
	} {
		var bo binary.ByteOrder = binary.LittleEndian
		if tc.dt.BigEndian() {
			bo = binary.BigEndian
		}
		raw := make([]byte, n*tc.size)
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		got, err := decodeNpyio(bytes.NewReader(raw), tc.dt, n)
		if err != nil {
			t.Fatalf("%s: %v", tc.dt, err)
		}
		for i := range n {
			want := tc.gen(raw[i*tc.size:], bo)
			if math.Float32bits(got[i]) != math.Float32bits(want) && !(want != want && got[i] != got[i]) {
				t.Fatalf("%s element %d: %v, want %v", tc.dt, i, got[i], want)
			}
		}
	}
}

// TestFortranToC against the index formula, on random shapes.
func TestFortranToC(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100 {
		rank := 1 + rng.IntN(5)
		shape := make([]int, rank)
		n := 1
		for i := range shape {
			shape[i] = 1 + rng.IntN(4)
			n *= shape[i]
		}
		in := make([]float32, n)
		for i := range in {
			in[i] = float32(i)
		}
		got := fortranToC(in, shape)
		idx := make([]int, rank)
		for c := range n {
			// Unravel c in C order.
			r := c
			for k := rank - 1; k >= 0; k-- {
				idx[k] = r % shape[k]
				r /= shape[k]
			}
			// Fortran offset.
			f, s := 0, 1
			for k := range rank {
				f += idx[k] * s
				s *= shape[k]
			}
			if got[c] != in[f] {
				t.Fatalf("shape %v: C index %d got %v, want %v", shape, c, got[c], in[f])
			}
		}
	}
}

// header builds a version 1.0 file with the given dictionary and data.
func header(dict string, data []byte) []byte {
	var b bytes.Buffer
	b.Write(magic)
	b.Write([]byte{1, 0})
	binary.Write(&b, binary.LittleEndian, uint16(len(dict)))
	b.WriteString(dict)
	b.Write(data)
	return b.Bytes()
}

func corruptCases() []struct {
	name string
	data []byte
	want error
} {
	good, _ := os.ReadFile(filepath.Join("testdata", "f4_c_2x3.npy"))
	v2 := append([]byte{}, magic...)
	v2 = append(v2, 2, 0, 0xff, 0xff, 0xff, 0xff)
	d := func(s string) string { return s + "\n" }
	four := make([]byte, 4)
	return []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrFormat},
		{"short", []byte("\x93NUM"), ErrFormat},
		{"bad magic", []byte("\x93NUMPZ\x01\x00\x00\x00"), ErrFormat},
		{"version 4.0", []byte("\x93NUMPY\x04\x00\x00\x00"), ErrFormat},
		{"version 1.1", []byte("\x93NUMPY\x01\x01\x00\x00"), ErrFormat},
		{"no header length", []byte("\x93NUMPY\x01\x00\x10"), ErrFormat},
		{"header of 4 GiB", v2, ErrFormat},
		{"header past end", good[:50], ErrTruncated},
		{"data truncated", good[:len(good)-1], ErrTruncated},
		{"no data", good[:128], ErrTruncated},
		{"not a dict", header(d("hello"), nil), ErrFormat},
		{"empty dict", header(d("{}"), nil), ErrFormat},
		{"missing shape", header(d("{'descr': '<f4', 'fortran_order': False}"), nil), ErrFormat},
		{"extra key", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}"), four), ErrFormat},
		{"duplicate key", header(d("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}"), four), ErrFormat},
		{"unterminated", header(d("{'descr: '<f4'"), nil), ErrFormat},
		{"negative dim", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"), nil), ErrFormat},
		{"int shape", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': 3, }"), nil), ErrFormat},
		{"paren int", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': (3), }"), nil), ErrFormat},
		{"huge shape", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }"), nil), ErrFormat},
		{"shape beyond file", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }"), four), ErrTruncated},
		{"dim overflow", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"), nil), ErrFormat},
		{"fortran maybe", header(d("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (), }"), four), ErrFormat},
		{"object", header(d("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"), four), ErrUnsupported},
		{"complex", header(d("{'descr': '<c8', 'fortran_order': False, 'shape': (), }"), make([]byte, 8)), ErrUnsupported},
		{"uint32", header(d("{'descr': '<u4', 'fortran_order': False, 'shape': (), }"), four), ErrUnsupported},
		{"bool", header(d("{'descr': '|b1', 'fortran_order': False, 'shape': (), }"), four), ErrUnsupported},
		{"native order", header(d("{'descr': '=f4', 'fortran_order': False, 'shape': (), }"), four), ErrUnsupported},
		{"bad order", header(d("{'descr': '!f4', 'fortran_order': False, 'shape': (), }"), four), ErrFormat},
		{"structured", header(d("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (), }"), four), ErrUnsupported},
		{"escape", header(d("{'descr': '<f\\4', 'fortran_order': False, 'shape': (), }"), four), ErrFormat},
		{"trailing text", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': (), } x"), four), ErrFormat},
		{"too many dims", header(d("{'descr': '<f4', 'fortran_order': False, 'shape': ("+strings.Repeat("1,", 65)+"), }"), four), ErrFormat},
	}
}

func TestCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range corruptCases() {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".npy")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Read(path)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Read: error %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			if _, err := Decode(bytes.NewReader(tc.data)); err == nil {
				t.Fatalf("Decode accepted it")
			}
		})
	}
}

func TestLenientHeaders(t *testing.T) {
	four := []byte{0, 0, 0x80, 0x3f} // 1.0
	for _, dict := range []string{
		"{'shape': (), 'fortran_order': False, 'descr': '<f4'}\n",          // other key order
		"{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": ()}   ", // double quotes, no comma
		"{'descr':'<f4','fortran_order':False,'shape':(1L,),}\n",           // Python 2 long, tight spacing
		"{ 'descr' : '<f4' ,\n 'fortran_order' : True , 'shape' : ( 1 , ) }",
	} {
		got, err := Decode(bytes.NewReader(header(dict, four)))
		if err != nil {
			t.Errorf("%q: %v", dict, err)
			continue
		}
		if got.Len() != 1 || got.Data[0] != 1 {
			t.Errorf("%q: %v", dict, got)
		}
	}
}

func TestTrailingBytesIgnored(t *testing.T) {
	good, _ := os.ReadFile(filepath.Join("testdata", "f4_c_2x3.npy"))
	path := filepath.Join(t.TempDir(), "x.npy")
	os.WriteFile(path, append(good, 1, 2, 3), 0o644)
	got, err := Read(path)
	if err != nil || got.Len() != 6 {
		t.Fatalf("%v %v", got, err)
	}
}

func TestReadErrorsNameFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.npy")
	if _, err := Read(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing file: %v", err)
	}
	if _, err := ReadHeader(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing file header: %v", err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("directory: %v", err)
	}
	if _, err := ReadNPZ(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing npz: %v", err)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keep.npy")
	orig := &nn.Tensor{Shape: []int{2}, Data: []float32{1, 2}}
	if err := Write(path, orig); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, bad := range []*nn.Tensor{
		nil,
		{Shape: []int{3}, Data: []float32{1, 2}},
		{Shape: []int{-1}, Data: nil},
		{Shape: make([]int, 65), Data: []float32{0}},
	} {
		if err := Write(path, bad); err == nil || !strings.Contains(err.Error(), path) {
			t.Fatalf("Write(%v): %v", bad, err)
		}
		if err := Encode(&bytes.Buffer{}, bad); err == nil {
			t.Fatalf("Encode(%v) accepted", bad)
		}
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("a failed write changed the file")
	}
	// A directory where the parent should be.
	if err := Write(filepath.Join(path, "x.npy"), orig); err == nil {
		t.Fatal("write under a file succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestReadNPZGolden(t *testing.T) {
	got, err := ReadNPZ(filepath.Join("testdata", "pair.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !slices.Equal(got["a"].Shape, []int{2, 3}) || !slices.Equal(got["a"].Data, ramp(6, 0.25, 2, f32)) ||
		!slices.Equal(got["b"].Shape, []int{3}) || !slices.Equal(got["b"].Data, ramp(3, 7, 0, ident)) {
		t.Fatalf("pair.npz: %v", got)
	}
	got, err = ReadNPZ(filepath.Join("testdata", "pair_compressed.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !slices.Equal(got["arr_0"].Data, ramp(4, 0.5, 0, ident)) ||
		!slices.Equal(got["w"].Shape, []int{2, 2, 2}) || !slices.Equal(got["w"].Data, ramp(8, 1, 4, ident)) {
		t.Fatalf("pair_compressed.npz: %v", got)
	}
}

func TestReadNPZCorrupt(t *testing.T) {
	good, _ := os.ReadFile(filepath.Join("testdata", "pair.npz"))
	comp, _ := os.ReadFile(filepath.Join("testdata", "pair_compressed.npz"))
	flip := func(b []byte, i int) []byte { c := append([]byte{}, b...); c[i] ^= 0xff; return c }
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"empty":            nil,
		"truncated":        good[:len(good)/2],
		"not zip":          []byte("hello world, this is not a zip archive at all........."),
		"flipped data":     flip(good, 120), // inside the first member's data: checksum error
		"flipped deflate":  flip(comp, 60),
		"flipped npy head": flip(good, 58), // the magic string of the first member
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".npz")
		os.WriteFile(path, data, 0o644)
		if _, err := ReadNPZ(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
