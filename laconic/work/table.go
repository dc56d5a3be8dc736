package work

import (
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/laconiclab/toolkit/laconic/table"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// Meta describes what a set of layer results was computed from; it fills
// the model and quant columns and the tables' provenance.
type Meta struct {
	Model       string // model name
	ModelSHA256 string // checksum of the model files, when known
	// Quant names the quantization as it was chosen (for example
	// "fixed16-profiled", "affine8", "raw", "fixed16-dnnsim"); empty means
	// the activation codes' scheme.
	Quant string
	// Extra holds further provenance key/value pairs (images, trace folder).
	Extra map[string]string
}

// Row is one row of the per-layer potentials table: one (model, layer,
// scheme). Work is in term-pair (single-bit product) units; Speedup is
// Base work / Work (+Inf when the scheme does no work).
type Row struct {
	Model        string  `arrow:"model"`
	Index        int     `arrow:"layer_index"`
	Layer        string  `arrow:"layer"`
	Kind         string  `arrow:"kind"`
	MACs         int64   `arrow:"macs"`
	Scheme       string  `arrow:"scheme"`
	Work         int64   `arrow:"work"`
	Speedup      float64 `arrow:"speedup"`
	Quant        string  `arrow:"quant"`
	Encoding     string  `arrow:"encoding"`
	ZeroCost     int     `arrow:"zero_cost"`
	Bits         int     `arrow:"bits"`
	ActPrecision int     `arrow:"act_precision"`
	WgtPrecision int     `arrow:"wgt_precision"`
}

// Rows returns the per-layer rows of the selected schemes (Options.Schemes),
// layer by layer in the order given.
func Rows(meta Meta, results []LayerResult) []Row {
	var rows []Row
	for _, r := range results {
		base := r.Work(Base)
		for _, s := range r.Options.schemes() {
			w := r.Work(s)
			rows = append(rows, Row{Model: meta.Model, Index: r.Index, Layer: r.Name, Kind: string(r.Kind),
				MACs: r.MACs(), Scheme: string(s), Work: w, Speedup: speedup(base, w),
				Quant: quantColumn(meta, r), Encoding: string(r.Options.Encoding), ZeroCost: r.Options.ZeroCost,
				Bits: r.Options.Bits, ActPrecision: r.ActPrecision, WgtPrecision: r.WgtPrecision})
		}
	}
	return rows
}

func quantColumn(meta Meta, r LayerResult) string {
	if meta.Quant != "" {
		return meta.Quant
	}
	q, _, _ := strings.Cut(r.ActQuant, "(")
	return q
}

// provenance returns the provenance of tables built from results, which
// must share one Options value.
func provenance(meta Meta, results []LayerResult, kind string) (table.Provenance, error) {
	p := table.Provenance{Model: meta.Model, ModelSHA256: meta.ModelSHA256,
		Extra: map[string]string{"laconic.table": kind}}
	maps.Copy(p.Extra, meta.Extra)
	if len(results) == 0 {
		p.Quant = meta.Quant
		return p, nil
	}
	o := results[0].Options
	for _, r := range results[1:] {
		if fmt.Sprint(r.Options) != fmt.Sprint(o) {
			return p, fmt.Errorf("work: layer %q was computed with options %+v, layer %q with %+v: one table needs one configuration",
				results[0].Name, o, r.Name, r.Options)
		}
	}
	cfg, err := json.Marshal(o)
	if err != nil {
		return p, fmt.Errorf("work: options as JSON: %w", err)
	}
	p.Quant = quantColumn(meta, results[0])
	p.Encoding = string(o.Encoding)
	p.ZeroCost = strconv.Itoa(o.ZeroCost)
	p.Config = string(cfg)
	return p, nil
}

// rowTable builds the table of kind from the rows that rows derives from
// results, with their provenance.
func rowTable[R any](mem memory.Allocator, meta Meta, results []LayerResult, kind string,
	rows func(Meta, []LayerResult) []R) (arrow.RecordBatch, error) {
	p, err := provenance(meta, results, kind)
	if err != nil {
		return nil, err
	}
	return table.FromRows(mem, rows(meta, results), p)
}

// LayerTable returns the per-layer potentials table (columns of Row, one
// row per layer and scheme) with provenance in its schema metadata. The
// results must share one Options value. The caller releases the record.
func LayerTable(mem memory.Allocator, meta Meta, results []LayerResult) (arrow.RecordBatch, error) {
	return rowTable(mem, meta, results, "potentials", Rows)
}

// TotalRow is one network total: the sum of a scheme's work over a model's
// layers and the potential speedup Base work / work, weighted by work
// (never an average of per-layer ratios).
type TotalRow struct {
	Model    string  `arrow:"model"`
	Scheme   string  `arrow:"scheme"`
	Layers   int     `arrow:"layers"`
	MACs     int64   `arrow:"macs"`
	BaseWork int64   `arrow:"base_work"`
	Work     int64   `arrow:"work"`
	Speedup  float64 `arrow:"speedup"`
	Quant    string  `arrow:"quant"`
	Encoding string  `arrow:"encoding"`
	ZeroCost int     `arrow:"zero_cost"`
	Bits     int     `arrow:"bits"`
}

// TotalRows sums rows per (model, quant, encoding, zero_cost, bits,
// scheme), in order of first appearance: Work and MACs add up, BaseWork is
// the sum of MACs*bits*bits, Speedup = BaseWork / Work.
func TotalRows(rows []Row) []TotalRow {
	type key struct {
		model, quant, enc, scheme string
		zc, bits                  int
	}
	idx := map[key]int{}
	var out []TotalRow
	for _, r := range rows {
		k := key{r.Model, r.Quant, r.Encoding, r.Scheme, r.ZeroCost, r.Bits}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, TotalRow{Model: r.Model, Scheme: r.Scheme, Quant: r.Quant, Encoding: r.Encoding,
				ZeroCost: r.ZeroCost, Bits: r.Bits})
		}
		t := &out[i]
		t.Layers++
		t.MACs += r.MACs
		t.BaseWork += r.MACs * int64(r.Bits) * int64(r.Bits)
		t.Work += r.Work
	}
	for i := range out {
		out[i].Speedup = speedup(out[i].BaseWork, out[i].Work)
	}
	return out
}

// Totals returns the network totals of a per-layer potentials table (as
// LayerTable builds it, possibly several concatenated): one row per (model,
// quant, encoding, zero_cost, bits, scheme) with the columns of TotalRow.
// The provenance of the input is kept, with laconic.table = "totals". The
// caller releases the result.
func Totals(mem memory.Allocator, layers arrow.RecordBatch) (arrow.RecordBatch, error) {
	if layers == nil {
		return nil, fmt.Errorf("work: totals of a nil table")
	}
	cols := map[string]arrow.Array{}
	for _, name := range []string{"model", "scheme", "macs", "work", "bits", "quant", "encoding", "zero_cost"} {
		ix := layers.Schema().FieldIndices(name)
		if len(ix) == 0 {
			return nil, fmt.Errorf("work: totals: the table has no %q column (want a table from LayerTable)", name)
		}
		cols[name] = layers.Column(ix[0])
	}
	str := func(name string, i int) (string, error) {
		c, ok := cols[name].(*array.String)
		if !ok {
			return "", fmt.Errorf("work: totals: column %q is %s, want utf8", name, cols[name].DataType())
		}
		return c.Value(i), nil
	}
	i64 := func(name string, i int) (int64, error) {
		c, ok := cols[name].(*array.Int64)
		if !ok {
			return 0, fmt.Errorf("work: totals: column %q is %s, want int64", name, cols[name].DataType())
		}
		return c.Value(i), nil
	}
	rows := make([]Row, layers.NumRows())
	for i := range rows {
		r := &rows[i]
		var err error
		var zc, bits int64
		for _, f := range []func() error{
			func() error { r.Model, err = str("model", i); return err },
			func() error { r.Scheme, err = str("scheme", i); return err },
			func() error { r.Quant, err = str("quant", i); return err },
			func() error { r.Encoding, err = str("encoding", i); return err },
			func() error { r.MACs, err = i64("macs", i); return err },
			func() error { r.Work, err = i64("work", i); return err },
			func() error { zc, err = i64("zero_cost", i); return err },
			func() error { bits, err = i64("bits", i); return err },
		} {
			if err := f(); err != nil {
				return nil, err
			}
		}
		r.ZeroCost, r.Bits = int(zc), int(bits)
	}
	p := table.Provenance{Extra: map[string]string{}}
	md := layers.Schema().Metadata()
	for i, k := range md.Keys() {
		if k != "laconic.version" {
			p.Extra[k] = md.Values()[i]
		}
	}
	p.Extra["laconic.table"] = "totals"
	return table.FromRows(mem, TotalRows(rows), p)
}

// CharRow characterises one layer's activation and weight codes (the
// measures of the ISPASS 2019 follow-up): value sparsity (zero fraction),
// bit sparsity (zero bits among magnitude bits), profiled precision, mean
// dynamic group precision and mean terms per encoding.
type CharRow struct {
	Model            string  `arrow:"model"`
	Index            int     `arrow:"layer_index"`
	Layer            string  `arrow:"layer"`
	Kind             string  `arrow:"kind"`
	MACs             int64   `arrow:"macs"`
	Quant            string  `arrow:"quant"`
	ActQuant         string  `arrow:"act_quant"`
	WgtQuant         string  `arrow:"wgt_quant"`
	Group            int     `arrow:"group"`
	ActValues        int64   `arrow:"act_values"`
	WgtValues        int64   `arrow:"wgt_values"`
	ActZeroFraction  float64 `arrow:"act_zero_fraction"`
	WgtZeroFraction  float64 `arrow:"wgt_zero_fraction"`
	ActBitSparsity   float64 `arrow:"act_bit_sparsity"`
	WgtBitSparsity   float64 `arrow:"wgt_bit_sparsity"`
	ActPrecision     int     `arrow:"act_precision"`
	WgtPrecision     int     `arrow:"wgt_precision"`
	ActGroupPrecMean float64 `arrow:"act_group_precision_mean"`
	WgtGroupPrecMean float64 `arrow:"wgt_group_precision_mean"`
	ActTermsBinary   float64 `arrow:"act_terms_binary"`
	ActTermsCSD      float64 `arrow:"act_terms_csd"`
	ActTermsBooth4   float64 `arrow:"act_terms_booth4"`
	ActTermsDNNsim   float64 `arrow:"act_terms_dnnsim"`
	WgtTermsBinary   float64 `arrow:"wgt_terms_binary"`
	WgtTermsCSD      float64 `arrow:"wgt_terms_csd"`
	WgtTermsBooth4   float64 `arrow:"wgt_terms_booth4"`
	WgtTermsDNNsim   float64 `arrow:"wgt_terms_dnnsim"`
}

// CharRows returns one characterisation row per layer. The precisions are
// those the codes need (TensorStats.Precision), which may differ from the
// per-layer precisions a trace folder gives the schemes.
func CharRows(meta Meta, results []LayerResult) []CharRow {
	rows := make([]CharRow, len(results))
	for i, r := range results {
		a, w := r.Act, r.Wgt
		rows[i] = CharRow{Model: meta.Model, Index: r.Index, Layer: r.Name, Kind: string(r.Kind), MACs: r.MACs(),
			Quant: quantColumn(meta, r), ActQuant: r.ActQuant, WgtQuant: r.WgtQuant, Group: r.Options.Group,
			ActValues: a.Values, WgtValues: w.Values,
			ActZeroFraction: a.ZeroFraction(), WgtZeroFraction: w.ZeroFraction(),
			ActBitSparsity: a.BitSparsity(), WgtBitSparsity: w.BitSparsity(),
			ActPrecision: a.Precision, WgtPrecision: w.Precision,
			ActGroupPrecMean: a.MeanGroupPrecision(), WgtGroupPrecMean: w.MeanGroupPrecision(),
			ActTermsBinary: ratio(a.Terms[0], a.Values), ActTermsCSD: ratio(a.Terms[1], a.Values),
			ActTermsBooth4: ratio(a.Terms[2], a.Values), ActTermsDNNsim: ratio(a.Terms[3], a.Values),
			WgtTermsBinary: ratio(w.Terms[0], w.Values), WgtTermsCSD: ratio(w.Terms[1], w.Values),
			WgtTermsBooth4: ratio(w.Terms[2], w.Values), WgtTermsDNNsim: ratio(w.Terms[3], w.Values)}
	}
	return rows
}

// CharacterizationTable returns the characterisation table (columns of
// CharRow). The caller releases the record.
func CharacterizationTable(mem memory.Allocator, meta Meta, results []LayerResult) (arrow.RecordBatch, error) {
	return rowTable(mem, meta, results, "characterization", CharRows)
}

// HistRow is one bin of a term-count histogram: how many codes of a layer's
// activations or weights have Terms terms under Encoding.
type HistRow struct {
	Model    string `arrow:"model"`
	Index    int    `arrow:"layer_index"`
	Layer    string `arrow:"layer"`
	Tensor   string `arrow:"tensor"` // "activation" or "weight"
	Encoding string `arrow:"encoding"`
	Terms    int    `arrow:"terms"`
	Count    int64  `arrow:"count"`
}

// HistRows returns the term-count histograms in long form: for every layer,
// tensor and encoding, one row per term count from 0 to the largest count
// any code of the format can have under that encoding (empty bins
// included, so every layer of a format has the same rows).
func HistRows(meta Meta, results []LayerResult) []HistRow {
	var rows []HistRow
	for _, r := range results {
		for _, x := range []struct {
			name string
			s    TensorStats
		}{{"activation", r.Act}, {"weight", r.Wgt}} {
			for e, enc := range terms.Encodings() {
				for t, c := range x.s.Hist[e] {
					rows = append(rows, HistRow{Model: meta.Model, Index: r.Index, Layer: r.Name, Tensor: x.name,
						Encoding: string(enc), Terms: t, Count: c})
				}
			}
		}
	}
	return rows
}

// HistogramTable returns the term-count histogram table (columns of
// HistRow). The caller releases the record.
func HistogramTable(mem memory.Allocator, meta Meta, results []LayerResult) (arrow.RecordBatch, error) {
	return rowTable(mem, meta, results, "term_histogram", HistRows)
}

// DNNsimRow is what DNNsim reports for a layer's Laconic potential:
// the multiplies, the term-pair work sum of max(1, ta*tw), the work
// reduction 100*(1 - work/(multiplies*P*P)) in percent and the potential
// speedup multiplies*P*P / work.
type DNNsimRow struct {
	Model            string  `arrow:"model"`
	Index            int     `arrow:"layer_index"`
	Layer            string  `arrow:"layer"`
	Kind             string  `arrow:"kind"`
	Multiplies       int64   `arrow:"multiplies"`
	Work             int64   `arrow:"work"`
	BaseWork         int64   `arrow:"base_work"`
	WorkReductionPct float64 `arrow:"work_reduction_pct"`
	Speedup          float64 `arrow:"speedup"`
	Encoding         string  `arrow:"encoding"`
	Bits             int     `arrow:"bits"`
	ActPrecision     int     `arrow:"act_precision"`
	WgtPrecision     int     `arrow:"wgt_precision"`
}

// DNNsimRows returns DNNsim's per-layer potential report. The work is
// always the sum of max(1, ta*tw) (DNNsim's ZERO_COUNT convention), with
// ta and tw under the results' encoding (dnnsim with DNNsimPreset).
func DNNsimRows(meta Meta, results []LayerResult) []DNNsimRow {
	rows := make([]DNNsimRow, len(results))
	for i, r := range results {
		w, b := r.TermPairWork(), r.Work(Base)
		red := 0.0
		if b > 0 {
			red = 100 * (1 - float64(w)/float64(b))
		}
		rows[i] = DNNsimRow{Model: meta.Model, Index: r.Index, Layer: r.Name, Kind: string(r.Kind),
			Multiplies: r.MACs(), Work: w, BaseWork: b, WorkReductionPct: red, Speedup: speedup(b, w),
			Encoding: string(r.Options.Encoding), Bits: r.Options.Bits,
			ActPrecision: r.ActPrecision, WgtPrecision: r.WgtPrecision}
	}
	return rows
}

// DNNsimTable returns DNNsim's per-layer potential report as a table
// (columns of DNNsimRow). The caller releases the record.
func DNNsimTable(mem memory.Allocator, meta Meta, results []LayerResult) (arrow.RecordBatch, error) {
	return rowTable(mem, meta, results, "dnnsim_potentials", DNNsimRows)
}
