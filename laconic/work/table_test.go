package work

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/laconiclab/toolkit/laconic/nn"
)

func testResults(t *testing.T, o Options) []LayerResult {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, 12))
	var out []LayerResult
	for i, k := range []nn.LayerKind{nn.KindConv, nn.KindDepthwise, nn.KindDense} {
		l := randLayer(rng, k)
		l.Layer.Name = "layer" + string(rune('a'+i))
		r, err := Compute(l, o)
		if err != nil {
			t.Fatal(err)
		}
		r.Index = i
		out = append(out, r)
	}
	return out
}

func metadata(rec arrow.RecordBatch, key string) string {
	md := rec.Schema().Metadata()
	if i := md.FindKey(key); i >= 0 {
		return md.Values()[i]
	}
	return ""
}

func TestTablesRelease(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res := testResults(t, DefaultOptions())
	meta := Meta{Model: "toy", Quant: "fixed16-profiled", Extra: map[string]string{"laconic.images": "a.png"}}
	cases := []struct {
		name  string
		build func() (arrow.RecordBatch, error)
		rows  int64
		cols  []string
	}{
		{"layers", func() (arrow.RecordBatch, error) { return LayerTable(mem, meta, res) }, int64(len(res) * NumSchemes),
			[]string{"model", "layer", "kind", "macs", "scheme", "work", "speedup", "quant", "encoding", "zero_cost", "bits"}},
		{"characterization", func() (arrow.RecordBatch, error) { return CharacterizationTable(mem, meta, res) }, int64(len(res)),
			[]string{"act_zero_fraction", "wgt_bit_sparsity", "act_precision", "act_group_precision_mean", "wgt_terms_dnnsim"}},
		{"histogram", func() (arrow.RecordBatch, error) { return HistogramTable(mem, meta, res) }, int64(len(HistRows(meta, res))),
			[]string{"model", "layer", "tensor", "encoding", "terms", "count"}},
		{"dnnsim", func() (arrow.RecordBatch, error) { return DNNsimTable(mem, meta, res) }, int64(len(res)),
			[]string{"multiplies", "work", "work_reduction_pct", "speedup"}},
	}
	for _, c := range cases {
		rec, err := c.build()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if rec.NumRows() != c.rows {
			t.Errorf("%s: %d rows, want %d", c.name, rec.NumRows(), c.rows)
		}
		for _, col := range c.cols {
			if len(rec.Schema().FieldIndices(col)) != 1 {
				t.Errorf("%s: no column %q", c.name, col)
			}
		}
		if metadata(rec, "laconic.model") != "toy" || metadata(rec, "laconic.encoding") != "csd" ||
			metadata(rec, "laconic.zero_cost") != "0" || metadata(rec, "laconic.images") != "a.png" ||
			!strings.Contains(metadata(rec, "laconic.config"), `"bits":16`) {
			t.Errorf("%s: provenance %v", c.name, rec.Schema().Metadata())
		}
		rec.Release()
	}
}

func TestHistogramRowsSumToValues(t *testing.T) {
	res := testResults(t, DefaultOptions())
	sum := map[string]int64{}
	for _, h := range HistRows(Meta{}, res) {
		sum[h.Layer+h.Tensor+h.Encoding] += h.Count
	}
	for _, r := range res {
		for _, e := range []string{"binary", "csd", "booth4", "dnnsim"} {
			if sum[r.Name+"activation"+e] != r.Act.Values || sum[r.Name+"weight"+e] != r.Wgt.Values {
				t.Errorf("%s %s: histogram sums %d/%d, values %d/%d", r.Name, e, sum[r.Name+"activation"+e], sum[r.Name+"weight"+e], r.Act.Values, r.Wgt.Values)
			}
		}
	}
}

// Totals weight layers by work: total Base work / total scheme work.
func TestTotalsWeightedByWork(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res := testResults(t, DefaultOptions())
	rows := Rows(Meta{Model: "toy"}, res)
	rec, err := LayerTable(mem, Meta{Model: "toy"}, res)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	tot, err := Totals(mem, rec)
	if err != nil {
		t.Fatal(err)
	}
	defer tot.Release()
	if tot.NumRows() != NumSchemes {
		t.Fatalf("%d total rows, want %d", tot.NumRows(), NumSchemes)
	}
	if metadata(tot, "laconic.table") != "totals" || metadata(tot, "laconic.model") != "toy" {
		t.Errorf("totals provenance %v", tot.Schema().Metadata())
	}
	schemes := tot.Column(tot.Schema().FieldIndices("scheme")[0]).(*array.String)
	speed := tot.Column(tot.Schema().FieldIndices("speedup")[0]).(*array.Float64)
	work := tot.Column(tot.Schema().FieldIndices("work")[0]).(*array.Int64)
	for i := 0; i < int(tot.NumRows()); i++ {
		s := Scheme(schemes.Value(i))
		var base, w int64
		var meanRatio float64
		for _, r := range res {
			base += r.Work(Base)
			w += r.Work(s)
			meanRatio += r.Speedup(s) / float64(len(res))
		}
		if work.Value(i) != w {
			t.Errorf("%s: total work %d, want %d", s, work.Value(i), w)
		}
		if want := float64(base) / float64(w); speed.Value(i) != want && !(math.IsInf(want, 1) && math.IsInf(speed.Value(i), 1)) {
			t.Errorf("%s: speedup %v, want %v (average of ratios would be %v)", s, speed.Value(i), want, meanRatio)
		}
	}
	if got := TotalRows(rows); len(got) != NumSchemes || got[0].Layers != len(res) {
		t.Errorf("TotalRows: %+v", got)
	}
	// A table without the needed columns is an error, not a panic.
	hist, err := HistogramTable(mem, Meta{}, res)
	if err != nil {
		t.Fatal(err)
	}
	defer hist.Release()
	if _, err := Totals(mem, hist); err == nil || !strings.Contains(err.Error(), "scheme") {
		t.Errorf("totals of a histogram table: %v", err)
	}
	if _, err := Totals(mem, nil); err == nil {
		t.Error("totals of nil: no error")
	}
}

func TestTablesRejectMixedOptions(t *testing.T) {
	a := testResults(t, DefaultOptions())
	b := testResults(t, DNNsimPreset())
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	if _, err := LayerTable(mem, Meta{}, append(a[:1:1], b[0])); err == nil {
		t.Fatal("mixed options: no error")
	}
}

func TestSchemeSelection(t *testing.T) {
	o := DefaultOptions()
	o.Schemes = []Scheme{WeAe, Base}
	res := testResults(t, o)
	rows := Rows(Meta{}, res)
	if len(rows) != 2*len(res) || rows[0].Scheme != "Base" || rows[1].Scheme != "We+Ae" {
		t.Fatalf("rows %+v", rows[:2])
	}
}
