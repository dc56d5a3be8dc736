package table

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Version is the toolkit version recorded in every table's provenance.
const Version = "0.1.0"

// Provenance describes how a table was computed. It is stored in the
// schema metadata under the keys "laconic.<field>" (empty fields omitted).
type Provenance struct {
	Model       string // model name(s)
	ModelSHA256 string // checksum(s) of the model files
	Quant       string // quantization scheme and parameters
	Encoding    string // term encoding
	ZeroCost    string // cost of a product with zero terms ("0" or "1")
	Config      string // configuration as JSON
	// Extra holds further key/value pairs; keys are stored as given.
	Extra map[string]string
}

// Metadata returns the provenance as Arrow schema metadata, with the toolkit
// version under "laconic.version". Keys are sorted for determinism.
func (p Provenance) Metadata() arrow.Metadata {
	kv := map[string]string{"laconic.version": Version}
	add := func(k, v string) {
		if v != "" {
			kv[k] = v
		}
	}
	add("laconic.model", p.Model)
	add("laconic.model_sha256", p.ModelSHA256)
	add("laconic.quant", p.Quant)
	add("laconic.encoding", p.Encoding)
	add("laconic.zero_cost", p.ZeroCost)
	add("laconic.config", p.Config)
	for k, v := range p.Extra {
		add(k, v)
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = kv[k]
	}
	return arrow.NewMetadata(keys, vals)
}

type rowField struct {
	index int
	name  string
	typ   arrow.DataType
}

// SchemaOf returns the Arrow fields of a row struct type: every exported
// field with an `arrow:"name"` tag, in declaration order. Supported Go types:
// string, bool, int, int32, int64, float32, float64.
func SchemaOf(t reflect.Type) ([]arrow.Field, error) {
	fs, err := rowFields(t)
	if err != nil {
		return nil, err
	}
	out := make([]arrow.Field, len(fs))
	for i, f := range fs {
		out[i] = arrow.Field{Name: f.name, Type: f.typ}
	}
	return out, nil
}

func rowFields(t reflect.Type) ([]rowField, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("table: row type %v is not a struct", t)
	}
	var fs []rowField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, ok := sf.Tag.Lookup("arrow")
		if !ok || name == "-" || !sf.IsExported() {
			continue
		}
		var dt arrow.DataType
		switch sf.Type.Kind() {
		case reflect.String:
			dt = arrow.BinaryTypes.String
		case reflect.Bool:
			dt = arrow.FixedWidthTypes.Boolean
		case reflect.Int, reflect.Int64:
			dt = arrow.PrimitiveTypes.Int64
		case reflect.Int32:
			dt = arrow.PrimitiveTypes.Int32
		case reflect.Float32:
			dt = arrow.PrimitiveTypes.Float32
		case reflect.Float64:
			dt = arrow.PrimitiveTypes.Float64
		default:
			return nil, fmt.Errorf("table: field %s of %v has unsupported type %v", sf.Name, t, sf.Type)
		}
		fs = append(fs, rowField{index: i, name: name, typ: dt})
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("table: row type %v has no `arrow` tagged fields", t)
	}
	return fs, nil
}

// FromRows builds a record batch with one row per element of rows and one
// column per `arrow:"name"` tagged field of T, with the provenance in the
// schema metadata. The caller releases the result.
func FromRows[T any](mem memory.Allocator, rows []T, prov Provenance) (arrow.RecordBatch, error) {
	t := reflect.TypeFor[T]()
	fs, err := rowFields(t)
	if err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(fs))
	for i, f := range fs {
		fields[i] = arrow.Field{Name: f.name, Type: f.typ}
	}
	md := prov.Metadata()
	schema := arrow.NewSchema(fields, &md)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, r := range rows {
		v := reflect.ValueOf(r)
		for j, f := range fs {
			fv := v.Field(f.index)
			switch fb := b.Field(j).(type) {
			case *array.StringBuilder:
				fb.Append(fv.String())
			case *array.BooleanBuilder:
				fb.Append(fv.Bool())
			case *array.Int64Builder:
				fb.Append(fv.Int())
			case *array.Int32Builder:
				fb.Append(int32(fv.Int()))
			case *array.Float32Builder:
				fb.Append(float32(fv.Float()))
			case *array.Float64Builder:
				fb.Append(fv.Float())
			}
		}
	}
	return b.NewRecordBatch(), nil
}
