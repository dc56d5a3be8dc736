package table

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is a file format for tables.
type Format string

// Table file formats.
const (
	// CSV is comma-separated text with a header row. It keeps column names
	// and values but neither Arrow types (integers read back as int64) nor
	// provenance metadata.
	CSV Format = "csv"
	// Parquet is Apache Parquet (Snappy-compressed) with the Arrow schema
	// and the provenance metadata stored in the file's key/value metadata.
	Parquet Format = "parquet"
	// Arrow is the Arrow IPC file format (also known as Feather v2), with
	// the schema metadata.
	Arrow Format = "arrow"
)

// Formats returns every format in a fixed order.
func Formats() []Format { return []Format{CSV, Parquet, Arrow} }

// ParseFormat returns the format named s ("csv", "parquet" or "arrow").
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("table: unknown format %q (want csv, parquet or arrow)", s)
}

// Ext returns the usual file extension of the format, with the dot.
func (f Format) Ext() string { return "." + string(f) }

// FormatFromPath returns the format a file name's extension names: .csv;
// .parquet or .pq; .arrow, .ipc or .feather (case-insensitive).
func FormatFromPath(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".parquet", ".pq":
		return Parquet, nil
	case ".arrow", ".ipc", ".feather":
		return Arrow, nil
	}
	return "", fmt.Errorf("table: cannot tell the format of %q from its extension (want .csv, .parquet or .arrow)", path)
}
