package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/table"
	"github.com/laconiclab/toolkit/laconic/terms"
)

func runTermsCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestTermsCSV(t *testing.T) {
	tests := []struct {
		args        []string
		rows        int
		first, last string
		check       map[int32]int // value -> terms
	}{
		{[]string{"terms", "--encoding", "csd", "--bits", "8"}, 256, "-128,1", "127,2", map[int32]int{7: 2, -7: 2, 0: 0, 85: 4}},
		{[]string{"terms", "--encoding", "binary", "--bits", "8", "--unsigned"}, 256, "0,0", "255,8", map[int32]int{7: 3, 128: 1}},
		{[]string{"terms", "--encoding=booth4", "--bits=16"}, 65536, "-32768,1", "32767,2", nil},
		{[]string{"terms", "--encoding", "dnnsim", "--bits", "16"}, 65536, "-32768,0", "32767,2", map[int32]int{14043: 10, 27: 4, 219: 6, 1000: 3, -219: 6}},
		{[]string{"terms", "--bits", "16", "--unsigned", "--encoding", "csd"}, 65536, "0,0", "65535,2", map[int32]int{0xAAAB: 9, 0xFFFF: 2}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runTermsCLI(tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if lines[0] != "value,terms" || len(lines) != tc.rows+1 || lines[1] != tc.first || lines[len(lines)-1] != tc.last {
				t.Fatalf("%d lines, header %q, first %q, last %q", len(lines), lines[0], lines[1], lines[len(lines)-1])
			}
			for _, l := range lines[1:] {
				v, c, _ := strings.Cut(l, ",")
				vi, _ := strconv.Atoi(v)
				ci, _ := strconv.Atoi(c)
				if want, ok := tc.check[int32(vi)]; ok && ci != want {
					t.Errorf("value %d: %d terms, want %d", vi, ci, want)
				}
			}
		})
	}
}

// TestTermsFiles writes every format and reads it back, comparing with
// terms.Count.
func TestTermsFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ args []string }{
		{[]string{"--format", "parquet", "--out", filepath.Join(dir, "a.bin")}},
		{[]string{"--out", filepath.Join(dir, "b.arrow")}},
		{[]string{"--out", filepath.Join(dir, "c.csv")}},
		{[]string{"--format", "csv", "--out", filepath.Join(dir, "d.parquet")}},
	} {
		args := append([]string{"terms", "--encoding", "dnnsim", "--bits", "8"}, tc.args...)
		code, out, errOut := runTermsCLI(args...)
		if code != 0 || out != "" {
			t.Fatalf("%v: exit %d, stdout %q, stderr %s", args, code, out, errOut)
		}
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, c := range []struct {
		file string
		read func(string, memory.Allocator) (arrow.RecordBatch, error)
	}{
		{"a.bin", table.ReadParquet}, {"b.arrow", table.ReadIPC}, {"c.csv", table.ReadCSV}, {"d.parquet", table.ReadCSV},
	} {
		rec, err := c.read(filepath.Join(dir, c.file), mem)
		if err != nil {
			t.Fatal(err)
		}
		if rec.NumRows() != 256 {
			t.Errorf("%s: %d rows", c.file, rec.NumRows())
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			v := int32(intAt(rec.Column(0), i))
			got := intAt(rec.Column(1), i)
			want, _ := terms.Count(terms.DNNsim, v, terms.Format{Bits: 8, Signed: true})
			if int(got) != want {
				t.Fatalf("%s: value %d has %d terms, want %d", c.file, v, got, want)
			}
		}
		if c.file == "a.bin" || c.file == "b.arrow" {
			if enc, _ := rec.Schema().Metadata().GetValue("laconic.encoding"); enc != "dnnsim" {
				t.Errorf("%s: provenance encoding %q", c.file, enc)
			}
		}
		rec.Release()
	}
}

// intAt reads an int32 (Arrow files) or int64 (CSV) column.
func intAt(a arrow.Array, i int) int64 {
	switch a := a.(type) {
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	}
	panic("unexpected column type " + a.DataType().String())
}

func TestTermsUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"terms", "--encoding", "ternary"}, `unknown encoding "ternary"`},
		{[]string{"terms", "--bits", "12"}, "bits = 12, want 8 or 16"},
		{[]string{"terms", "--bits", "x"}, "invalid value"},
		{[]string{"terms", "--format", "xlsx"}, `unknown format "xlsx"`},
		{[]string{"terms", "--format", "parquet"}, "give --out FILE"},
		{[]string{"terms", "--format", "arrow"}, "give --out FILE"},
		{[]string{"terms", "--out", filepath.Join(dir, "x.txt")}, "cannot tell the format"},
		{[]string{"terms", "--frobnicate"}, "flag provided but not defined"},
		{[]string{"terms", "extra"}, "unexpected arguments"},
	}
	for _, tc := range tests {
		code, out, errOut := runTermsCLI(tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("usage errors left files: %v", entries)
	}
	if code, _, errOut := runTermsCLI("terms", "-h"); code != 0 || !strings.Contains(errOut, "usage: laconic terms") {
		t.Errorf("-h: exit %d, %q", code, errOut)
	}
	// A write failure is exit 1: the output path is a directory.
	if err := os.Mkdir(filepath.Join(dir, "busy.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runTermsCLI("terms", "--bits", "8", "--out", filepath.Join(dir, "busy.csv")); code != 1 || errOut == "" {
		t.Errorf("write failure: exit %d, %q", code, errOut)
	}
}

func TestTermsTableLeaks(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := termsTable(mem, terms.CSD, terms.Format{Bits: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 65536 || rec.Column(0).(*array.Int32).Value(65535) != 65535 {
		t.Errorf("rows %d", rec.NumRows())
	}
	if _, err := termsTable(mem, "x", terms.Format{Bits: 8}); err == nil {
		t.Error("unknown encoding accepted")
	}
}
