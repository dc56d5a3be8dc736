// Package table builds the toolkit's tidy Apache Arrow tables (one row per
// model, layer and configuration, typed columns, units in column names) with
// provenance in the schema metadata, and writes and reads them as Parquet,
// Arrow IPC and CSV.
package table
