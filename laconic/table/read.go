package table

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// MaxReadRows is the largest number of rows the Parquet and IPC readers
// accept. Their row counts come from the file's metadata and size the
// buffers the readers allocate before any data is read, so a corrupt count
// could otherwise exhaust memory. The toolkit's own tables are far smaller.
// A Parquet file must also hold at least one byte per parquetRowsPerByte
// rows beyond the first parquetFreeRows (run-length and dictionary
// encodings compress constant columns, so a valid file can be much smaller
// than its rows, but not without bound).
const MaxReadRows = 1 << 26

const (
	parquetFreeRows    = 1 << 20
	parquetRowsPerByte = 64
)

// ErrCorrupt is wrapped by the errors of the readers for files that are
// not valid tables of their format.
var ErrCorrupt = errors.New("not a valid table file")

// Read reads the table at path in the format its extension names (see
// FormatFromPath). The caller releases the result.
func Read(path string, mem memory.Allocator) (arrow.RecordBatch, error) {
	f, err := FormatFromPath(path)
	if err != nil {
		return nil, err
	}
	switch f {
	case Parquet:
		return ReadParquet(path, mem)
	case Arrow:
		return ReadIPC(path, mem)
	}
	return ReadCSV(path, mem)
}

// ReadParquet reads a Parquet file into one record batch (all row groups
// concatenated), with the schema metadata the file stores. The caller
// releases the result.
func ReadParquet(path string, mem memory.Allocator) (arrow.RecordBatch, error) {
	return readFile(path, Parquet, mem, readParquet)
}

// ReadIPC reads an Arrow IPC file into one record batch (all batches
// concatenated), with its schema metadata. The caller releases the result.
func ReadIPC(path string, mem memory.Allocator) (arrow.RecordBatch, error) {
	return readFile(path, Arrow, mem, readIPC)
}

// ReadCSV reads a CSV file with a header row into one record batch. Column
// types are inferred from every cell of the column: int64 when all
// non-empty cells are decimal integers, else float64 when they all parse as
// numbers, else bool when they are all true/false, else string. Empty
// cells are nulls in int64, float64 and bool columns; a column with no
// non-empty cell is a string column. The caller releases the result.
func ReadCSV(path string, mem memory.Allocator) (arrow.RecordBatch, error) {
	return readFile(path, CSV, mem, readCSV)
}

// readFile reads the whole file and decodes it, turning any panic of a
// decoder on malformed input into an error naming the file.
func readFile(path string, f Format, mem memory.Allocator, decode func([]byte, memory.Allocator) (arrow.RecordBatch, error)) (rec arrow.RecordBatch, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("table: %w", err)
	}
	rec, err = decodeSafe(data, mem, decode)
	if err != nil {
		return nil, fmt.Errorf("table: read %s file %s: %w", f, path, err)
	}
	return rec, nil
}

func decodeSafe(data []byte, mem memory.Allocator, decode func([]byte, memory.Allocator) (arrow.RecordBatch, error)) (rec arrow.RecordBatch, err error) {
	defer func() {
		if r := recover(); r != nil {
			rec, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	return decode(data, newBudget(mem, len(data)))
}

func readParquet(data []byte, mem memory.Allocator) (arrow.RecordBatch, error) {
	if err := checkParquetFooter(data); err != nil {
		return nil, err
	}
	pf, err := file.NewParquetReader(bytes.NewReader(data), file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer pf.Close()
	if err := checkParquetRows(pf.MetaData(), int64(len(data))); err != nil {
		return nil, err
	}
	if _, err := checkSnappyPages(pf.MetaData(), data); err != nil {
		return nil, err
	}
	if v := pf.MetaData().KeyValueMetadata().FindValue("ARROW:schema"); v != nil {
		if err := checkSerializedSchema(*v); err != nil {
			return nil, fmt.Errorf("%w: stored Arrow schema: %v", ErrCorrupt, err)
		}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	sc, err := fr.Schema()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer tbl.Release()
	return tableToRecord(tbl, cleanSchema(sc), mem)
}

// checkParquetRows checks the row and value counts of every row group
// against MaxReadRows and the size of the file, and that every column
// chunk lies inside the file.
func checkParquetRows(md *metadata.FileMetaData, size int64) error {
	limit := min(MaxReadRows, parquetFreeRows+parquetRowsPerByte*size)
	var total int64
	for i := 0; i < md.NumRowGroups(); i++ {
		rg := md.RowGroup(i)
		n := rg.NumRows()
		if n < 0 || n > limit-total {
			return fmt.Errorf("%w: row group %d declares %d rows (%d before it; limit %d for a %d-byte file)", ErrCorrupt, i, n, total, limit, size)
		}
		total += n
		for j := 0; j < rg.NumColumns(); j++ {
			cc, err := rg.ColumnChunk(j)
			if err != nil {
				return fmt.Errorf("%w: row group %d column %d: %v", ErrCorrupt, i, j, err)
			}
			if v := cc.NumValues(); v < 0 || v > limit {
				return fmt.Errorf("%w: row group %d column %d declares %d values (limit %d for a %d-byte file)", ErrCorrupt, i, j, v, limit, size)
			}
			// The reader allocates the chunk's byte range before reading it.
			start := cc.DataPageOffset()
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && start > cc.DictionaryPageOffset() {
				start = cc.DictionaryPageOffset()
			}
			if n := cc.TotalCompressedSize(); start < 0 || n < 0 || start > size || n > size-start {
				return fmt.Errorf("%w: row group %d column %d: bytes [%d, +%d) outside the %d-byte file", ErrCorrupt, i, j, start, n, size)
			}
		}
	}
	return nil
}

// parquetFieldID is the field metadata key the Parquet reader adds to
// every field; tables the toolkit writes carry no field IDs.
const parquetFieldID = "PARQUET:field_id"

// cleanSchema drops the Parquet field IDs the reader adds, so that a table
// reads back with the schema it was written with (file metadata included).
func cleanSchema(sc *arrow.Schema) *arrow.Schema {
	fields := sc.Fields()
	for i, f := range fields {
		if f.Metadata.FindKey(parquetFieldID) < 0 {
			continue
		}
		var keys, vals []string
		for k, key := range f.Metadata.Keys() {
			if key != parquetFieldID {
				keys = append(keys, key)
				vals = append(vals, f.Metadata.Values()[k])
			}
		}
		fields[i].Metadata = arrow.Metadata{}
		if len(keys) > 0 {
			fields[i].Metadata = arrow.NewMetadata(keys, vals)
		}
	}
	md := sc.Metadata()
	return arrow.NewSchema(fields, &md)
}

// tableToRecord concatenates the chunks of every column of tbl into a
// record batch of schema sc (tbl's fields, possibly other metadata).
func tableToRecord(tbl arrow.Table, sc *arrow.Schema, mem memory.Allocator) (arrow.RecordBatch, error) {
	if sc.NumFields() != int(tbl.NumCols()) {
		return nil, fmt.Errorf("%w: schema has %d fields, data %d columns", ErrCorrupt, sc.NumFields(), tbl.NumCols())
	}
	cols := make([]arrow.Array, tbl.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		chunks := tbl.Column(i).Data().Chunks()
		switch len(chunks) {
		case 0:
			cols[i] = array.MakeArrayOfNull(mem, tbl.Schema().Field(i).Type, 0)
		case 1:
			chunks[0].Retain()
			cols[i] = chunks[0]
		default:
			c, err := array.Concatenate(chunks, mem)
			if err != nil {
				return nil, err
			}
			cols[i] = c
		}
	}
	for i, c := range cols {
		if !arrow.TypeEqual(c.DataType(), sc.Field(i).Type) {
			return nil, fmt.Errorf("%w: column %q holds %s, schema says %s", ErrCorrupt, sc.Field(i).Name, c.DataType(), sc.Field(i).Type)
		}
	}
	rec := array.NewRecordBatch(sc, cols, tbl.NumRows())
	if err := validateRecord(rec); err != nil {
		rec.Release()
		return nil, err
	}
	return rec, nil
}

func readIPC(data []byte, mem memory.Allocator) (arrow.RecordBatch, error) {
	if err := checkIPCFile(data); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	r, err := ipc.NewFileReader(bytes.NewReader(data), ipc.WithAllocator(mem))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer r.Close()
	recs := make([]arrow.RecordBatch, 0, min(r.NumRecords(), 1024))
	var rows int64
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.RecordBatchAt(i)
		if err != nil {
			return nil, fmt.Errorf("%w: batch %d: %v", ErrCorrupt, i, err)
		}
		recs = append(recs, rec)
		if err := validateRecord(rec); err != nil {
			return nil, fmt.Errorf("batch %d: %w", i, err)
		}
		if rows += rec.NumRows(); rows > MaxReadRows {
			return nil, fmt.Errorf("%w: more than %d rows", ErrCorrupt, MaxReadRows)
		}
	}
	switch len(recs) {
	case 0:
		return emptyRecord(r.Schema(), mem), nil
	case 1:
		recs[0].Retain()
		return recs[0], nil
	}
	return Concat(mem, recs...)
}

func emptyRecord(sc *arrow.Schema, mem memory.Allocator) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	return b.NewRecordBatch()
}

type colKind int

const (
	kindInt colKind = iota
	kindFloat
	kindBool
	kindString
)

func readCSV(data []byte, mem memory.Allocator) (arrow.RecordBatch, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: empty file, want a header row", ErrCorrupt)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	var rows [][]string
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		rows = append(rows, row)
	}
	fields := make([]arrow.Field, len(header))
	kinds := make([]colKind, len(header))
	for j, name := range header {
		kinds[j] = inferKind(rows, j)
		t := arrow.DataType(arrow.BinaryTypes.String)
		switch kinds[j] {
		case kindInt:
			t = arrow.PrimitiveTypes.Int64
		case kindFloat:
			t = arrow.PrimitiveTypes.Float64
		case kindBool:
			t = arrow.FixedWidthTypes.Boolean
		}
		fields[j] = arrow.Field{Name: name, Type: t, Nullable: true}
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for _, row := range rows {
		for j, s := range row {
			fb := b.Field(j)
			if s == "" && kinds[j] != kindString {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.Int64Builder:
				v, _ := strconv.ParseInt(s, 10, 64)
				fb.Append(v)
			case *array.Float64Builder:
				v, _ := strconv.ParseFloat(s, 64)
				fb.Append(v)
			case *array.BooleanBuilder:
				fb.Append(s == "true")
			case *array.StringBuilder:
				fb.Append(s)
			}
		}
	}
	return b.NewRecordBatch(), nil
}

// inferKind returns the narrowest kind every non-empty cell of column j
// fits.
func inferKind(rows [][]string, j int) colKind {
	isInt, isFloat, isBool, any := true, true, true, false
	for _, row := range rows {
		s := row[j]
		if s == "" {
			continue
		}
		any = true
		if isInt {
			if _, err := strconv.ParseInt(s, 10, 64); err != nil {
				isInt = false
			}
		}
		if isFloat {
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				isFloat = false
			}
		}
		if isBool && s != "true" && s != "false" {
			isBool = false
		}
		if !isInt && !isFloat && !isBool {
			break
		}
	}
	switch {
	case !any:
		return kindString
	case isInt:
		return kindInt
	case isFloat:
		return kindFloat
	case isBool:
		return kindBool
	}
	return kindString
}
