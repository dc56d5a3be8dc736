package table

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
)

// Write writes rec to path in the given format, atomically: the file
// appears complete or not at all (a failed write leaves any previous file
// in place). Missing parent directories are created. The same record
// always gives the same bytes.
func Write(path string, format Format, rec arrow.RecordBatch) error {
	if err := checkWrite(format, rec); err != nil {
		return fmt.Errorf("table: write %s: %w", path, err)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return writeTo(w, format, rec) }); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	return nil
}

// WriteTo writes rec to w in the given format (for standard output and
// in-memory buffers). It never closes w.
func WriteTo(w io.Writer, format Format, rec arrow.RecordBatch) error {
	if err := checkWrite(format, rec); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if err := writeTo(w, format, rec); err != nil {
		return fmt.Errorf("table: write %s: %w", format, err)
	}
	return nil
}

func checkWrite(format Format, rec arrow.RecordBatch) error {
	if _, err := ParseFormat(string(format)); err != nil {
		return err
	}
	if rec == nil {
		return fmt.Errorf("nil record batch")
	}
	return nil
}

// noClose hides a writer's Close method: the Parquet writer closes writers
// that have one.
type noClose struct{ io.Writer }

func writeTo(w io.Writer, format Format, rec arrow.RecordBatch) error {
	w = noClose{w}
	switch format {
	case Parquet:
		return writeParquet(w, rec)
	case Arrow:
		return writeIPC(w, rec)
	}
	return writeCSV(w, rec)
}

func writeParquet(w io.Writer, rec arrow.RecordBatch) error {
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy))
	fw, err := pqarrow.NewFileWriter(rec.Schema(), w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

func writeIPC(w io.Writer, rec arrow.RecordBatch) error {
	fw, err := ipc.NewFileWriter(w, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

// writeCSV writes a header row with the column names, then one line per
// row. Integers are written in decimal, floats in the shortest form that
// reads back to the same value ('g' format), booleans as true/false, nulls
// as empty cells; other types use Arrow's own value formatting.
func writeCSV(w io.Writer, rec arrow.RecordBatch) error {
	cw := csv.NewWriter(w)
	ncol := int(rec.NumCols())
	row := make([]string, ncol)
	for j := 0; j < ncol; j++ {
		row[j] = rec.ColumnName(j)
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		for j := 0; j < ncol; j++ {
			row[j] = cell(rec.Column(j), i)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cell(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return ""
	}
	switch a := a.(type) {
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i))
	case *array.Int8:
		return strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Int16:
		return strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.Uint8:
		return strconv.FormatUint(uint64(a.Value(i)), 10)
	case *array.Uint16:
		return strconv.FormatUint(uint64(a.Value(i)), 10)
	case *array.Uint32:
		return strconv.FormatUint(uint64(a.Value(i)), 10)
	case *array.Uint64:
		return strconv.FormatUint(a.Value(i), 10)
	case *array.Float32:
		return strconv.FormatFloat(float64(a.Value(i)), 'g', -1, 32)
	case *array.Float64:
		return strconv.FormatFloat(a.Value(i), 'g', -1, 64)
	}
	return a.ValueStr(i)
}
