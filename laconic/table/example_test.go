package table_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/table"
)

type layerRow struct {
	Model   string  `arrow:"model"`
	Layer   string  `arrow:"layer"`
	MACs    int64   `arrow:"macs"`
	Speedup float64 `arrow:"speedup"`
}

var rows = []layerRow{
	{"mobilenet_v2", "conv1", 10838016, 31.5},
	{"mobilenet_v2", "conv2", 3612672, 12.25},
}

var prov = table.Provenance{Model: "mobilenet_v2", Quant: "fixed16:13.2", Encoding: "csd", ZeroCost: "0"}

func ExampleFromRows() {
	rec, err := table.FromRows(memory.DefaultAllocator, rows, prov)
	if err != nil {
		panic(err)
	}
	defer rec.Release()
	fmt.Println(rec.NumRows(), rec.Schema().Field(2))
	// Output: 2 macs: type=int64
}

func ExampleSchemaOf() {
	fields, _ := table.SchemaOf(reflect.TypeFor[layerRow]())
	for _, f := range fields {
		fmt.Println(f.Name, f.Type)
	}
	// Output:
	// model utf8
	// layer utf8
	// macs int64
	// speedup float64
}

func ExampleProvenance_Metadata() {
	md := prov.Metadata()
	fmt.Println(md.Keys())
	// Output: [laconic.encoding laconic.model laconic.quant laconic.version laconic.zero_cost]
}

func ExampleWriteTo() {
	rec, _ := table.FromRows(memory.DefaultAllocator, rows, prov)
	defer rec.Release()
	if err := table.WriteTo(os.Stdout, table.CSV, rec); err != nil {
		panic(err)
	}
	// Output:
	// model,layer,macs,speedup
	// mobilenet_v2,conv1,10838016,31.5
	// mobilenet_v2,conv2,3612672,12.25
}

func ExampleWrite() {
	dir, _ := os.MkdirTemp("", "laconic-table")
	defer os.RemoveAll(dir)
	rec, _ := table.FromRows(memory.DefaultAllocator, rows, prov)
	defer rec.Release()
	path := filepath.Join(dir, "layers.parquet")
	if err := table.Write(path, table.Parquet, rec); err != nil {
		panic(err)
	}
	back, err := table.Read(path, memory.DefaultAllocator)
	if err != nil {
		panic(err)
	}
	defer back.Release()
	enc, _ := back.Schema().Metadata().GetValue("laconic.encoding")
	fmt.Println(back.NumRows(), enc)
	// Output: 2 csd
}

func ExampleParseFormat() {
	f, err := table.ParseFormat("arrow")
	fmt.Println(f, f.Ext(), err)
	_, err = table.ParseFormat("xlsx")
	fmt.Println(err)
	// Output:
	// arrow .arrow <nil>
	// table: unknown format "xlsx" (want csv, parquet or arrow)
}

func ExampleFormatFromPath() {
	for _, p := range []string{"out/layers.parquet", "t.feather", "t.CSV"} {
		f, _ := table.FormatFromPath(p)
		fmt.Println(f)
	}
	// Output:
	// parquet
	// arrow
	// csv
}

func ExampleReadParquet() {
	dir, _ := os.MkdirTemp("", "laconic-table")
	defer os.RemoveAll(dir)
	rec, _ := table.FromRows(memory.DefaultAllocator, rows, prov)
	defer rec.Release()
	path := filepath.Join(dir, "t.parquet")
	_ = table.Write(path, table.Parquet, rec)
	back, _ := table.ReadParquet(path, memory.DefaultAllocator)
	defer back.Release()
	fmt.Println(back.Schema().Equal(rec.Schema()), back.Column(3))
	// Output: true [31.5 12.25]
}

func ExampleReadIPC() {
	dir, _ := os.MkdirTemp("", "laconic-table")
	defer os.RemoveAll(dir)
	rec, _ := table.FromRows(memory.DefaultAllocator, rows, prov)
	defer rec.Release()
	path := filepath.Join(dir, "t.arrow")
	_ = table.Write(path, table.Arrow, rec)
	back, _ := table.ReadIPC(path, memory.DefaultAllocator)
	defer back.Release()
	model, _ := back.Schema().Metadata().GetValue("laconic.model")
	fmt.Println(back.NumRows(), model, back.Column(2))
	// Output: 2 mobilenet_v2 [10838016 3612672]
}

func ExampleReadCSV() {
	dir, _ := os.MkdirTemp("", "laconic-table")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "t.csv")
	_ = os.WriteFile(path, []byte("layer,bits,ratio\nconv1,16,0.5\nconv2,,2\n"), 0o644)
	rec, err := table.ReadCSV(path, memory.DefaultAllocator)
	if err != nil {
		panic(err)
	}
	defer rec.Release()
	for _, f := range rec.Schema().Fields() {
		fmt.Println(f.Name, f.Type)
	}
	fmt.Println(rec.Column(1))
	// Output:
	// layer utf8
	// bits int64
	// ratio float64
	// [16 (null)]
}

func ExampleRead() {
	_, err := table.Read("results.xlsx", memory.DefaultAllocator)
	fmt.Println(err)
	// Output: table: cannot tell the format of "results.xlsx" from its extension (want .csv, .parquet or .arrow)
}

func ExampleConcat() {
	mem := memory.DefaultAllocator
	a, _ := table.FromRows(mem, rows[:1], prov)
	defer a.Release()
	b, _ := table.FromRows(mem, rows[1:], prov)
	defer b.Release()
	all, err := table.Concat(mem, a, b)
	if err != nil {
		panic(err)
	}
	defer all.Release()
	var buf bytes.Buffer
	_ = table.WriteTo(&buf, table.CSV, all)
	fmt.Print(buf.String())
	// Output:
	// model,layer,macs,speedup
	// mobilenet_v2,conv1,10838016,31.5
	// mobilenet_v2,conv2,3612672,12.25
}

func ExampleWithMetadata() {
	mem := memory.DefaultAllocator
	a, _ := table.FromRows(mem, rows[:1], table.Provenance{Model: "a"})
	defer a.Release()
	b, _ := table.FromRows(mem, rows[1:], table.Provenance{Model: "b"})
	defer b.Release()
	_, err := table.Concat(mem, a, b)
	fmt.Println(err != nil)
	common := table.Provenance{Model: "a,b"}.Metadata()
	a2, b2 := table.WithMetadata(a, common), table.WithMetadata(b, common)
	defer a2.Release()
	defer b2.Release()
	all, err := table.Concat(mem, a2, b2)
	fmt.Println(all.NumRows(), err)
	all.Release()
	// Output:
	// true
	// 2 <nil>
}

func ExampleFormats() {
	for _, f := range table.Formats() {
		fmt.Println(f, f.Ext())
	}
	// Output:
	// csv .csv
	// parquet .parquet
	// arrow .arrow
}
