package table

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

type sampleRow struct {
	Model  string  `arrow:"model"`
	Layer  int     `arrow:"layer"`
	Bits   int32   `arrow:"bits"`
	Sparse bool    `arrow:"sparse"`
	Ratio  float32 `arrow:"ratio"`
	Cycles float64 `arrow:"cycles"`
	Note   string  `arrow:"-"`
}

var sampleRows = []sampleRow{
	{"mobilenet_v2", 0, 16, true, 0.5, 1.25e9, "x"},
	{"inception, \"v3\"", -3, 8, false, 1.0 / 3, 0.1, ""},
	{"", 1 << 40, 0, true, -2, -7, ""},
}

var sampleProv = Provenance{Model: "mobilenet_v2", Quant: "fixed16:13.2", Encoding: "csd", ZeroCost: "0", Extra: map[string]string{"laconic.note": "test"}}

func checked(t *testing.T) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

func sample(t *testing.T, mem memory.Allocator) arrow.RecordBatch {
	t.Helper()
	rec, err := FromRows(mem, sampleRows, sampleProv)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// cells renders every value of rec as a string, row by row.
func cells(rec arrow.RecordBatch) [][]string {
	var out [][]string
	for i := 0; i < int(rec.NumRows()); i++ {
		var row []string
		for j := 0; j < int(rec.NumCols()); j++ {
			row = append(row, cell(rec.Column(j), i))
		}
		out = append(out, row)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			mem := checked(t)
			rec := sample(t, mem)
			defer rec.Release()
			path := filepath.Join(t.TempDir(), "sub", "dir", "t"+f.Ext())
			if err := Write(path, f, rec); err != nil {
				t.Fatal(err)
			}
			back, err := Read(path, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer back.Release()
			if got, want := cells(back), cells(rec); !equalCells(got, want) {
				t.Errorf("values differ:\n got %q\nwant %q", got, want)
			}
			for j := 0; j < int(rec.NumCols()); j++ {
				if back.ColumnName(j) != rec.ColumnName(j) {
					t.Errorf("column %d named %q, want %q", j, back.ColumnName(j), rec.ColumnName(j))
				}
			}
			if f == CSV {
				want := []arrow.DataType{arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64, arrow.FixedWidthTypes.Boolean, arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Float64}
				for j, dt := range want {
					if !arrow.TypeEqual(back.Schema().Field(j).Type, dt) {
						t.Errorf("CSV column %d read as %s, want %s", j, back.Schema().Field(j).Type, dt)
					}
				}
				return
			}
			// Parquet and IPC keep types and provenance.
			if !back.Schema().Equal(rec.Schema()) {
				t.Errorf("schema %s, want %s", back.Schema(), rec.Schema())
			}
			md := back.Schema().Metadata()
			for _, kv := range [][2]string{{"laconic.version", Version}, {"laconic.model", "mobilenet_v2"}, {"laconic.encoding", "csd"}, {"laconic.note", "test"}, {"laconic.quant", "fixed16:13.2"}} {
				if v, ok := md.GetValue(kv[0]); !ok || v != kv[1] {
					t.Errorf("metadata %s = %q, %v; want %q", kv[0], v, ok, kv[1])
				}
			}
		})
	}
}

func equalCells(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x00") != strings.Join(b[i], "\x00") {
			return false
		}
	}
	return true
}

func TestDeterministic(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			mem := checked(t)
			dir := t.TempDir()
			var files [][]byte
			for k := 0; k < 2; k++ {
				rec := sample(t, mem) // rebuilt: same input, new buffers
				path := filepath.Join(dir, string(rune('a'+k))+f.Ext())
				if err := Write(path, f, rec); err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := WriteTo(&buf, f, rec); err != nil {
					t.Fatal(err)
				}
				rec.Release()
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b, buf.Bytes()) {
					t.Errorf("Write and WriteTo differ")
				}
				files = append(files, b)
			}
			if !bytes.Equal(files[0], files[1]) {
				t.Errorf("two writes of the same table differ (%d and %d bytes)", len(files[0]), len(files[1]))
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 2 {
				t.Errorf("directory holds %d files, want 2 (no temporary files left)", len(entries))
			}
		})
	}
}

func TestCSVText(t *testing.T) {
	mem := checked(t)
	b := array.NewRecordBuilder(mem, arrow.NewSchema([]arrow.Field{
		{Name: "value", Type: arrow.PrimitiveTypes.Int32},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "u", Type: arrow.PrimitiveTypes.Uint8},
	}, nil))
	defer b.Release()
	b.Field(0).(*array.Int32Builder).AppendValues([]int32{-1, 7}, nil)
	b.Field(1).(*array.Float64Builder).AppendValues([]float64{0.1, 0}, []bool{true, false})
	b.Field(2).(*array.Uint8Builder).AppendValues([]uint8{255, 0}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	if err := WriteTo(&buf, CSV, rec); err != nil {
		t.Fatal(err)
	}
	if want := "value,x,u\n-1,0.1,255\n7,,0\n"; buf.String() != want {
		t.Errorf("CSV %q, want %q", buf.String(), want)
	}
	path := filepath.Join(t.TempDir(), "n.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(path, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if !back.Column(1).IsNull(1) || back.Column(1).NullN() != 1 {
		t.Errorf("empty cell not read as null: %v", back.Column(1))
	}
}

func TestCSVInference(t *testing.T) {
	tests := []struct {
		name, text string
		types      []arrow.DataType
		rows       int64
	}{
		{"mixed int float", "a,b\n1,2\n3,4.5\n", []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64}, 2},
		{"bool and string", "a,b\ntrue,x\nfalse,1\n", []arrow.DataType{arrow.FixedWidthTypes.Boolean, arrow.BinaryTypes.String}, 2},
		{"empty column", "a,b\n,1\n,2\n", []arrow.DataType{arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64}, 2},
		{"header only", "a,b\n", []arrow.DataType{arrow.BinaryTypes.String, arrow.BinaryTypes.String}, 0},
		{"NaN float", "x\nNaN\n1\n", []arrow.DataType{arrow.PrimitiveTypes.Float64}, 2},
		{"quoted", "s\n\"a,b\"\n\"line\nbreak\"\n", []arrow.DataType{arrow.BinaryTypes.String}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checked(t)
			rec, err := decodeSafe([]byte(tc.text), mem, readCSV)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			if rec.NumRows() != tc.rows {
				t.Errorf("%d rows, want %d", rec.NumRows(), tc.rows)
			}
			for j, dt := range tc.types {
				if !arrow.TypeEqual(rec.Schema().Field(j).Type, dt) {
					t.Errorf("column %d is %s, want %s", j, rec.Schema().Field(j).Type, dt)
				}
			}
		})
	}
}

func TestEmptyTable(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			mem := checked(t)
			rec, err := FromRows[sampleRow](mem, nil, sampleProv)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			path := filepath.Join(t.TempDir(), "e"+f.Ext())
			if err := Write(path, f, rec); err != nil {
				t.Fatal(err)
			}
			back, err := Read(path, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer back.Release()
			if back.NumRows() != 0 || back.NumCols() != rec.NumCols() {
				t.Errorf("%d rows %d columns", back.NumRows(), back.NumCols())
			}
		})
	}
}

// TestReadChunked reads files of several row groups / batches, as other
// writers produce them.
func TestReadChunked(t *testing.T) {
	mem := checked(t)
	rec := sample(t, mem)
	defer rec.Release()
	dir := t.TempDir()

	var pq bytes.Buffer
	fw, err := pqarrow.NewFileWriter(rec.Schema(), &pq, parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(1)), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	var arrowBuf bytes.Buffer
	iw, err := ipc.NewFileWriter(&arrowBuf, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []arrow.RecordBatch{rec.NewSlice(0, 1), rec.NewSlice(1, 3)} {
		if err := iw.Write(part); err != nil {
			t.Fatal(err)
		}
		part.Release()
	}
	if err := iw.Close(); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"t.parquet": pq.Bytes(), "t.arrow": arrowBuf.Bytes()} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := Read(path, mem)
		if err != nil {
			t.Fatal(err)
		}
		if !equalCells(cells(back), cells(rec)) {
			t.Errorf("%s: values differ: %q", name, cells(back))
		}
		back.Release()
	}
}

func TestConcat(t *testing.T) {
	mem := checked(t)
	a := sample(t, mem)
	defer a.Release()
	b := sample(t, mem)
	defer b.Release()
	empty := a.NewSlice(0, 0)
	defer empty.Release()
	c, err := Concat(mem, a, b, empty)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	if c.NumRows() != 6 || !equalCells(cells(c)[3:], cells(a)) || !c.Schema().Metadata().Equal(a.Schema().Metadata()) {
		t.Errorf("concat: %d rows %q", c.NumRows(), cells(c))
	}

	other, err := FromRows(mem, sampleRows, Provenance{Model: "other"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	type narrow struct {
		Model string `arrow:"model"`
	}
	n, _ := FromRows(mem, []narrow{{"m"}}, sampleProv)
	defer n.Release()
	type renamed struct {
		Model string `arrow:"name"`
		Layer int    `arrow:"layer"`
	}
	r, _ := FromRows(mem, []renamed{{"m", 1}}, sampleProv)
	defer r.Release()
	n2, _ := FromRows(mem, []narrow{{"m"}}, sampleProv)
	defer n2.Release()
	tests := []struct {
		name string
		recs []arrow.RecordBatch
		want string
	}{
		{"none", nil, "no record batches"},
		{"nil batch", []arrow.RecordBatch{a, nil}, "batch 1 is nil"},
		{"provenance", []arrow.RecordBatch{a, other}, "batch 1: schema metadata differs"},
		{"columns", []arrow.RecordBatch{a, n}, "batch 1: 1 columns, want 6"},
		{"names", []arrow.RecordBatch{n2, r}, "batch 1: 2 columns, want 1"},
	}
	for _, tc := range tests {
		if _, err := Concat(mem, tc.recs...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// WithMetadata makes them compatible.
	o2 := WithMetadata(other, a.Schema().Metadata())
	defer o2.Release()
	c2, err := Concat(mem, a, o2)
	if err != nil {
		t.Fatal(err)
	}
	c2.Release()
}

func TestFormats(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		err  string
	}{
		{"csv", CSV, ""}, {"parquet", Parquet, ""}, {"arrow", Arrow, ""},
		{"json", "", `unknown format "json"`}, {"CSV", "", "unknown format"}, {"", "", "unknown format"},
	}
	for _, tc := range tests {
		f, err := ParseFormat(tc.in)
		if f != tc.want || (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseFormat(%q) = %q, %v", tc.in, f, err)
		}
	}
	paths := []struct {
		path string
		want Format
	}{
		{"a/b.csv", CSV}, {"x.PARQUET", Parquet}, {"x.pq", Parquet}, {"x.arrow", Arrow}, {"x.feather", Arrow}, {"x.ipc", Arrow}, {"x.txt", ""}, {"noext", ""},
	}
	for _, tc := range paths {
		f, err := FormatFromPath(tc.path)
		if f != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("FormatFromPath(%q) = %q, %v", tc.path, f, err)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	mem := checked(t)
	rec := sample(t, mem)
	defer rec.Release()
	dir := t.TempDir()
	if err := Write(filepath.Join(dir, "x.json"), "json", rec); err == nil || !strings.Contains(err.Error(), "x.json") {
		t.Errorf("unknown format: %v", err)
	}
	if err := Write(filepath.Join(dir, "nil.csv"), CSV, nil); err == nil || !strings.Contains(err.Error(), "nil record batch") {
		t.Errorf("nil record: %v", err)
	}
	if err := WriteTo(&bytes.Buffer{}, "xls", rec); err == nil {
		t.Error("WriteTo accepted an unknown format")
	}
	// A directory in the way: the write fails and leaves nothing behind.
	if err := os.Mkdir(filepath.Join(dir, "busy.parquet"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(filepath.Join(dir, "busy.parquet"), Parquet, rec); err == nil {
		t.Error("writing over a directory succeeded")
	}
	if err := WriteTo(failWriter{}, Arrow, rec); err == nil {
		t.Error("a failing writer gave no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only busy.parquet", names)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestReadErrors(t *testing.T) {
	mem := checked(t)
	rec := sample(t, mem)
	defer rec.Release()
	dir := t.TempDir()
	good := map[Format][]byte{}
	for _, f := range []Format{Parquet, Arrow} {
		var buf bytes.Buffer
		if err := WriteTo(&buf, f, rec); err != nil {
			t.Fatal(err)
		}
		good[f] = buf.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"garbage.parquet", []byte("not a parquet file at all"), "not a valid table file"},
		{"truncated.parquet", good[Parquet][:len(good[Parquet])/2], "not a valid table file"},
		{"empty.parquet", nil, "not a valid table file"},
		{"garbage.arrow", []byte("ARROW1\x00\x00garbage"), "not a valid table file"},
		{"truncated.arrow", good[Arrow][:len(good[Arrow])-20], "not a valid table file"},
		{"empty.csv", nil, "empty file, want a header row"},
		{"ragged.csv", []byte("a,b\n1\n"), "wrong number of fields"},
		{"quote.csv", []byte("a\n\"x\n"), "not a valid table file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := Read(path, mem)
			if err == nil {
				r.Release()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) || !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v, want %q naming %s", err, tc.want, path)
			}
		})
	}
	if _, err := ReadParquet(filepath.Join(dir, "missing.parquet"), mem); err == nil || !strings.Contains(err.Error(), "missing.parquet") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "x.txt"), mem); err == nil {
		t.Error("unknown extension accepted")
	}
}

// fuzzSeeds returns valid files of format f and a few damaged copies.
func fuzzSeeds(f *testing.F, format Format) [][]byte {
	mem := memory.NewGoAllocator()
	rec, err := FromRows(mem, sampleRows, sampleProv)
	if err != nil {
		f.Fatal(err)
	}
	defer rec.Release()
	var buf bytes.Buffer
	if err := WriteTo(&buf, format, rec); err != nil {
		f.Fatal(err)
	}
	b := buf.Bytes()
	flipped := append([]byte(nil), b...)
	flipped[len(flipped)/2] ^= 0xff
	return [][]byte{b, b[:len(b)/2], b[:len(b)-9], flipped, {}, []byte("PAR1\x00\x00\x00\x00PAR1")}
}

// fuzzDecode decodes data: it must fail cleanly or give a readable record,
// without leaks and without allocating far more than the input warrants
// (a corrupt size field must not reserve gigabytes).
func fuzzDecode(t *testing.T, data []byte, decode func([]byte, memory.Allocator) (arrow.RecordBatch, error)) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rec, err := decodeSafe(data, mem, decode)
	runtime.ReadMemStats(&after)
	if a, limit := after.TotalAlloc-before.TotalAlloc, uint64(64<<20+4096*len(data)); a > limit {
		t.Fatalf("decoding %d bytes allocated %d MiB (err %v)", len(data), a>>20, err)
	}
	if err != nil {
		return
	}
	_ = cells(rec) // every value must be readable
	rec.Release()
	mem.AssertSize(t, 0)
}

func FuzzReadParquet(f *testing.F) {
	for _, s := range fuzzSeeds(f, Parquet) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, readParquet) })
}

func FuzzReadIPC(f *testing.F) {
	for _, s := range fuzzSeeds(f, Arrow) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, readIPC) })
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range fuzzSeeds(f, CSV) {
		f.Add(s)
	}
	f.Add([]byte("a,b\n1,\n,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, readCSV) })
}

// TestSnappyPages checks the page walk on a valid file (every column's
// pages are parsed) and on a page whose Snappy length was enlarged.
func TestSnappyPages(t *testing.T) {
	mem := checked(t)
	rec := sample(t, mem)
	defer rec.Release()
	var buf bytes.Buffer
	if err := WriteTo(&buf, Parquet, rec); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	pf, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := checkSnappyPages(pf.MetaData(), data)
	if err != nil || pages < int(rec.NumCols()) {
		t.Fatalf("valid file: %d pages checked, %v; want at least one per column", pages, err)
	}
	// Corrupt the Snappy length of the first page of column 0.
	cc, _ := pf.MetaData().RowGroup(0).ColumnChunk(0)
	start := cc.DataPageOffset()
	if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && start > cc.DictionaryPageOffset() {
		start = cc.DictionaryPageOffset()
	}
	r := &thriftReader{b: data, p: int(start)}
	h, err := readPageHeader(r)
	if err != nil || h.uncompressed <= 0 {
		t.Fatalf("first page header: %+v, %v", h, err)
	}
	bad := append([]byte(nil), data...)
	bad[r.p] |= 0x80 // a longer varint: the declared length grows by at least 128
	bad[r.p+1] = 0x7f
	if _, err := checkSnappyPages(pf.MetaData(), bad); err == nil || !errors.Is(err, ErrCorrupt) {
		t.Errorf("enlarged Snappy length: %v", err)
	}
	path := filepath.Join(t.TempDir(), "bad.parquet")
	_ = os.WriteFile(path, bad, 0o644)
	if _, err := ReadParquet(path, mem); err == nil || !strings.Contains(err.Error(), "Snappy page declares") {
		t.Errorf("ReadParquet: %v", err)
	}
}

// ipcPositions locates, in an IPC file written by WriteTo, the length
// words of the footer schema's field vector and metadata vector, and the
// first record batch block and its message.
type ipcPositions struct {
	fieldsLen, metaLen int // positions of vector lengths (uint32)
	blockOff           int // position of the first record batch Block
	batchLen, nodesLen int // positions of the batch's row count (int64) and node vector length
	nodeLen            int // position of the first node's length (int64)
}

func locateIPC(t *testing.T, data []byte) ipcPositions {
	t.Helper()
	n := int(binary.LittleEndian.Uint32(data[len(data)-10:]))
	base := len(data) - 10 - n
	f := newFbuf(data[base : len(data)-10])
	footer, err := f.root()
	if err != nil {
		t.Fatal(err)
	}
	schema, _, _ := footer.sub(1)
	var pos ipcPositions
	v, _ := schema.ref(1)
	pos.fieldsLen = base + v
	v, _ = schema.ref(2)
	pos.metaLen = base + v
	start, nb, _ := footer.vector(3, 24)
	if nb < 1 {
		t.Fatal("no record batch block")
	}
	pos.blockOff = base + start
	off := int(binary.LittleEndian.Uint64(data[base+start:]))
	fb, head, err := message(data[off:])
	if err != nil {
		t.Fatal(err)
	}
	mbase := off + head - len(fb)
	mf := newFbuf(fb)
	m, _ := mf.root()
	rb, _, _ := m.sub(2)
	p, _ := rb.field(0, 8)
	pos.batchLen = mbase + p
	v, _ = rb.ref(1)
	pos.nodesLen = mbase + v
	pos.nodeLen = mbase + v + 4
	return pos
}

func TestIPCCorruptSizes(t *testing.T) {
	mem := checked(t)
	rec := sample(t, mem)
	defer rec.Release()
	var buf bytes.Buffer
	if err := WriteTo(&buf, Arrow, rec); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	pos := locateIPC(t, good)
	put32 := func(p int, v uint32) func([]byte) { return func(b []byte) { binary.LittleEndian.PutUint32(b[p:], v) } }
	put64 := func(p int, v uint64) func([]byte) { return func(b []byte) { binary.LittleEndian.PutUint64(b[p:], v) } }
	tests := []struct {
		name  string
		patch func([]byte)
		want  string
	}{
		{"field vector", put32(pos.fieldsLen, 0x7fffffff), "vector of 2147483647 elements"},
		{"metadata vector", put32(pos.metaLen, 1<<30), "vector of 1073741824 elements"},
		{"batch rows", put64(pos.batchLen, 1<<40), "batch of 1099511627776 rows"},
		{"node length", put64(pos.nodeLen, 1<<50), "array of 1125899906842624 values"},
		{"node vector", put32(pos.nodesLen, 1<<28), "vector of 268435456 elements"},
		{"block offset", put64(pos.blockOff, 1<<40), "block 0 lies outside the file"},
		{"block body", put64(pos.blockOff+16, 1<<40), "block 0 lies outside the file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := append([]byte(nil), good...)
			tc.patch(bad)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := decodeSafe(bad, mem, readIPC)
			runtime.ReadMemStats(&after)
			if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if a := after.TotalAlloc - before.TotalAlloc; a > 16<<20 {
				t.Errorf("allocated %d MiB", a>>20)
			}
		})
	}
	// The unpatched file still reads.
	r, err := decodeSafe(good, mem, readIPC)
	if err != nil {
		t.Fatal(err)
	}
	r.Release()
}

func TestBudget(t *testing.T) {
	mem := checked(t)
	b := newBudget(mem, 0)
	x := b.Allocate(1 << 20)
	x = b.Reallocate(2<<20, x)
	x = b.Reallocate(1<<10, x)
	b.Free(x)
	if got := b.left.Load(); got != readBudgetBase {
		t.Errorf("budget left %d after freeing everything, want %d", got, readBudgetBase)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "more memory than the file's size allows") {
			t.Errorf("recovered %v", r)
		}
	}()
	b.Allocate(readBudgetBase + 1)
}

// TestThriftWalk checks that the Thrift walker reads the whole footer of
// valid files (with and without dictionary pages, empty tables) exactly.
func TestThriftWalk(t *testing.T) {
	mem := checked(t)
	full := sample(t, mem)
	defer full.Release()
	empty := full.NewSlice(0, 0)
	defer empty.Release()
	for _, rec := range []arrow.RecordBatch{full, empty} {
		var buf bytes.Buffer
		if err := WriteTo(&buf, Parquet, rec); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		n := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
		r := &thriftReader{b: data[len(data)-8-n : len(data)-8]}
		if err := r.skip(tStruct); err != nil || r.p != n {
			t.Errorf("%d rows: walk stopped at %d of %d: %v", rec.NumRows(), r.p, n, err)
		}
		if err := checkParquetFooter(data); err != nil {
			t.Error(err)
		}
		// A list claiming more elements than the footer holds.
		bad := append([]byte(nil), data...)
		copy(bad[len(bad)-8-n:], []byte{0x19, 0xfc, 0xff, 0xff, 0xff, 0x0f}) // field 1: list of 2^32-1 structs
		if err := checkParquetFooter(bad); err == nil || !errors.Is(err, ErrCorrupt) {
			t.Errorf("oversized list: %v", err)
		}
	}
}
