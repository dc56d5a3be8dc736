// Package table builds the toolkit's tidy Apache Arrow tables (one row per
// model, layer and configuration, typed columns, units in column names) with
// provenance in the schema metadata, and writes and reads them as Parquet,
// Arrow IPC and CSV.
//
// Building: FromRows turns a slice of structs with `arrow:"name"` tags into
// a record batch; Provenance.Metadata records how the table was computed
// (toolkit version, model and checksum, quantization, encoding, zero-cost
// convention, configuration) under "laconic.*" keys.
//
// Writing: Write(path, format, rec) writes atomically (the file appears
// complete or not at all) and WriteTo(w, format, rec) streams, e.g. to
// standard output. Formats (ParseFormat, FormatFromPath):
//
//   - Parquet: Snappy-compressed, one row group, with the Arrow schema and
//     the provenance in the file's key/value metadata.
//   - Arrow: the Arrow IPC file format (Feather v2), with the schema
//     metadata.
//   - CSV: a header row, then one line per row; integers in decimal,
//     floats in their shortest round-trip form, nulls as empty cells. CSV
//     keeps neither Arrow types nor provenance.
//
// Output is deterministic: the same record gives byte-identical files.
//
// Reading: ReadParquet, ReadIPC and ReadCSV (or Read, by extension) return
// one record batch with all rows, allocated from the given allocator; CSV
// column types are inferred (int64, float64, bool, string). Corrupt or
// truncated files give errors wrapping ErrCorrupt and naming the file. The
// readers check the sizes a file declares before the Arrow and Parquet
// decoders allocate for them (row counts up to MaxReadRows, flatbuffer
// vectors, column chunk ranges), decode within a memory budget that grows
// with the file size (64 MiB plus 1 KiB per byte of file), and check the
// buffers of what they decoded, so that a damaged file can neither exhaust
// memory nor cause a panic later.
//
// Combining: Concat appends batches of identical schemas; WithMetadata
// replaces a batch's provenance.
package table
