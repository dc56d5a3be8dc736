package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
	"github.com/laconiclab/toolkit/laconic/table"
	"github.com/laconiclab/toolkit/laconic/terms"
)

func init() {
	register(&command{
		name:    "terms",
		summary: "term count of every 8- or 16-bit value under an encoding (binary, csd, booth4, dnnsim)",
		run:     runTerms,
	})
}

func termsUsage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintln(w, "usage: laconic terms [--encoding binary|csd|booth4|dnnsim] [--bits 8|16] [--unsigned]")
		fmt.Fprintln(w, "                     [--format csv|parquet|arrow] [--out FILE]")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Writes one row per value of the format (signed: -2^(P-1)..2^(P-1)-1, two's complement;")
		fmt.Fprintln(w, "unsigned: 0..2^P-1) with columns value,terms: the number of signed powers of two the")
		fmt.Fprintln(w, "encoding writes the value with. CSV goes to standard output unless --out is given;")
		fmt.Fprintln(w, "parquet and arrow need --out. The format defaults to --out's extension, else csv.")
		fmt.Fprintln(w)
		fs.PrintDefaults()
	}
}

func runTerms(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("terms", flag.ContinueOnError)
	fs.SetOutput(stderr)
	encName := fs.String("encoding", string(terms.CSD), "term encoding: binary, csd, booth4 or dnnsim")
	bits := fs.Int("bits", 16, "value width P: 8 or 16")
	unsigned := fs.Bool("unsigned", false, "unsigned values 0..2^P-1 (default: signed two's complement)")
	formatName := fs.String("format", "", "output format: csv, parquet or arrow (default from --out's extension, else csv)")
	out := fs.String("out", "", "output file; - for standard output (default: CSV on standard output)")
	fs.Usage = termsUsage(fs, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "laconic terms: "+format+"\n", a...)
		fmt.Fprintln(stderr, `Run "laconic terms -h" for the flags.`)
		return 2
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected arguments %q", fs.Args())
	}
	enc, err := terms.ParseEncoding(*encName)
	if err != nil {
		return usageErr("--encoding: %v", err)
	}
	f := terms.Format{Bits: *bits, Signed: !*unsigned}
	if err := f.Validate(); err != nil {
		return usageErr("--bits: %v", err)
	}
	var format table.Format
	switch {
	case *formatName != "":
		if format, err = table.ParseFormat(*formatName); err != nil {
			return usageErr("--format: %v", err)
		}
	case *out != "" && *out != "-":
		if format, err = table.FormatFromPath(*out); err != nil {
			if t, rerr := atomicfile.Resolve(*out); rerr != nil || !t.InPlace {
				return usageErr("--out: %v; give --format", err)
			}
			format = table.CSV // a device or FIFO: CSV unless --format says otherwise
		}
	default:
		format = table.CSV
	}
	if *out == "" && format != table.CSV {
		return usageErr("--format %s writes binary data: give --out FILE (or --out - for standard output)", format)
	}
	if err := checkOut(*out); err != nil {
		fmt.Fprintf(stderr, "laconic terms: %v\n", err)
		return 1
	}

	rec, err := termsTable(memory.DefaultAllocator, enc, f)
	if err != nil {
		fmt.Fprintf(stderr, "laconic terms: %v\n", err)
		return 1
	}
	defer rec.Release()
	if err := writeTable(stdout, *out, format, rec); err != nil {
		fmt.Fprintf(stderr, "laconic terms: %v\n", err)
		return 1
	}
	return 0
}

// termsTable builds the value,terms table of every code of f under e, with
// the encoding and format in the provenance. The caller releases it.
func termsTable(mem memory.Allocator, e terms.Encoding, f terms.Format) (arrow.RecordBatch, error) {
	tab, err := terms.NewTable(e, f)
	if err != nil {
		return nil, err
	}
	prov := table.Provenance{
		Encoding: string(e),
		Quant:    f.String(),
		Extra:    map[string]string{"laconic.bits": strconv.Itoa(f.Bits), "laconic.signed": strconv.FormatBool(f.Signed)},
	}
	md := prov.Metadata()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "value", Type: arrow.PrimitiveTypes.Int32},
		{Name: "terms", Type: arrow.PrimitiveTypes.Int32},
	}, &md)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	n := int(f.Max()-f.Min()) + 1
	vals := b.Field(0).(*array.Int32Builder)
	counts := b.Field(1).(*array.Int32Builder)
	vals.Reserve(n)
	counts.Reserve(n)
	for v := f.Min(); v <= f.Max(); v++ {
		vals.UnsafeAppend(v)
		counts.UnsafeAppend(int32(tab.Count(v)))
	}
	return b.NewRecordBatch(), nil
}
