package work_test

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/work"
)

// exampleLayer is a 3x3 convolution (2 -> 2 channels, padding 1) on a 1 x 2
// x 3 x 3 input of 16-bit fixed-point codes.
func exampleLayer() work.Layer {
	ly := nn.Layer{Name: "conv", Kind: nn.KindConv, N: 1, C: 2, H: 3, W: 3, K: 2, R: 3, S: 3,
		StrideH: 1, StrideW: 1, Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1}
	act := []int32{
		0, 3, 0, 12, 0, 0, 7, 0, 1, // channel 0
		0, 0, 60, 0, 2, 0, 0, 0, 15, // channel 1
	}
	wgt := make([]int32, 2*2*3*3)
	for i := range wgt {
		wgt[i] = int32([]int{0, 1, -3, 0, 127, 8}[i%6])
	}
	fx := func(shape []int, codes []int32) *quant.Tensor {
		return &quant.Tensor{Shape: shape, Codes: codes, Scheme: quant.SchemeFixed16, Bits: 16, Signed: true, Mag: 0, Frac: 15}
	}
	return work.Layer{Layer: ly, Act: fx(ly.InputShape(), act), Wgt: fx(ly.WeightShape(), wgt)}
}

func ExampleCompute() {
	r, err := work.Compute(exampleLayer(), work.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("multiplies:", r.MACs())
	for _, s := range []work.Scheme{work.Base, work.A, work.Ae, work.WeAe, work.BitFusion} {
		fmt.Printf("%-9s work %6d  speedup %6.2f\n", s, r.Work(s), r.Speedup(s))
	}
	// Output:
	// multiplies: 324
	// Base      work  82944  speedup   1.00
	// A         work  18944  speedup   4.38
	// Ae        work   1952  speedup  42.49
	// We+Ae     work    130  speedup 638.03
	// BitFusion work  20736  speedup   4.00
}

func ExampleDNNsimPreset() {
	o := work.DNNsimPreset()
	r, err := work.Compute(exampleLayer(), o)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.Encoding, "zero cost", o.ZeroCost, "P =", o.Bits)
	fmt.Println("term pairs:", r.TermPairWork(), "speedup:", fmt.Sprintf("%.2f", r.Speedup(work.WeAe)))
	// Output:
	// dnnsim zero cost 1 P = 16
	// term pairs: 400 speedup: 207.36
}

func ExampleDefaultOptions() {
	o := work.DefaultOptions()
	fmt.Printf("%s, zero cost %d, P = %d, groups of %d, BitFusion bricks of %d bits\n", o.Encoding, o.ZeroCost, o.Bits, o.Group, o.BrickBits)
	fmt.Println(o.Validate())
	o.ZeroCost = 2
	fmt.Println(o.Validate())
	// Output:
	// csd, zero cost 0, P = 16, groups of 16, BitFusion bricks of 2 bits
	// <nil>
	// work: options.zero_cost = 2, want 0 (papers' potential) or 1 (DNNsim)
}

func ExampleOptions_Validate() {
	o := work.DefaultOptions()
	o.Schemes = []work.Scheme{"We+Ae", "Stripes"}
	fmt.Println(o.Validate())
	// Output:
	// work: options.schemes[1]: unknown scheme "Stripes" (want one of Base, A, W, W+A, Ap, Ap-dyn, Ae, We, W+Ap, W+Ae, We+Ae, Wp+Ap, BitFusion)
}

func ExampleSchemes() {
	fmt.Println(work.Schemes())
	// Output:
	// [Base A W W+A Ap Ap-dyn Ae We W+Ap W+Ae We+Ae Wp+Ap BitFusion]
}

func ExampleParseScheme() {
	s, _ := work.ParseScheme("laconic")
	fmt.Println(s)
	_, err := work.ParseScheme("tpu")
	fmt.Println(err != nil)
	// Output:
	// We+Ae
	// true
}

func ExamplePrecision() {
	f16 := quant.Tensor{Bits: 16, Signed: true}
	u8 := quant.Tensor{Bits: 8}
	fmt.Println(work.Precision(0, f16.Format()), work.Precision(5, f16.Format()), work.Precision(255, u8.Format()))
	// Output:
	// 1 4 8
}

func ExampleLayerResult_Work() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	fmt.Println("Laconic:", r.Work(work.WeAe), "term pairs; Loom:", r.Work(work.WpAp), "bit pairs with pa, pw =", r.ActPrecision, r.WgtPrecision)
	// Output:
	// Laconic: 130 term pairs; Loom: 18144 bit pairs with pa, pw = 7 8
}

func ExampleLayerResult_Merge() {
	a, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	b, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	if err := a.Merge(b); err != nil {
		fmt.Println(err)
	}
	fmt.Println(a.MACs(), a.Act.Values, a.Wgt.Values)
	// Output:
	// 648 36 36
}

func ExampleLayerTable() {
	mem := memory.NewGoAllocator()
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	rec, err := work.LayerTable(mem, work.Meta{Model: "example", Quant: "fixed16"}, []work.LayerResult{r})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rec.Release()
	fmt.Println(rec.NumRows(), "rows;", rec.Schema().Field(5).Name, rec.Schema().Field(6).Name, rec.Schema().Field(7).Name)
	// Output:
	// 13 rows; scheme work speedup
}

func ExampleTotals() {
	mem := memory.NewGoAllocator()
	l1 := exampleLayer()
	l2 := exampleLayer()
	l2.Layer.Name = "conv2"
	var res []work.LayerResult
	for _, l := range []work.Layer{l1, l2} {
		r, _ := work.Compute(l, work.DefaultOptions())
		res = append(res, r)
	}
	layers, _ := work.LayerTable(mem, work.Meta{Model: "example"}, res)
	defer layers.Release()
	tot, err := work.Totals(mem, layers)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tot.Release()
	for _, t := range work.TotalRows(work.Rows(work.Meta{Model: "example"}, res))[:3] {
		fmt.Printf("%s %s layers=%d work=%d speedup=%.2f\n", t.Model, t.Scheme, t.Layers, t.Work, t.Speedup)
	}
	fmt.Println(tot.NumRows(), "total rows")
	// Output:
	// example Base layers=2 work=165888 speedup=1.00
	// example A layers=2 work=37888 speedup=4.38
	// example W layers=2 work=110592 speedup=1.50
	// 13 total rows
}

func ExampleCharacterizationTable() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	c := work.CharRows(work.Meta{Model: "example"}, []work.LayerResult{r})[0]
	fmt.Printf("activations: %.2f zero, bit sparsity %.3f, precision %d, csd terms %.3f\n",
		c.ActZeroFraction, c.ActBitSparsity, c.ActPrecision, c.ActTermsCSD)
	mem := memory.NewGoAllocator()
	rec, _ := work.CharacterizationTable(mem, work.Meta{Model: "example"}, []work.LayerResult{r})
	defer rec.Release()
	fmt.Println(rec.NumRows(), "row")
	// Output:
	// activations: 0.61 zero, bit sparsity 0.937, precision 7, csd terms 0.667
	// 1 row
}

func ExampleHistogramTable() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	for _, h := range work.HistRows(work.Meta{}, []work.LayerResult{r}) {
		if h.Tensor == "weight" && h.Encoding == "csd" && h.Count > 0 {
			fmt.Println(h.Terms, "terms:", h.Count)
		}
	}
	mem := memory.NewGoAllocator()
	rec, _ := work.HistogramTable(mem, work.Meta{}, []work.LayerResult{r})
	defer rec.Release()
	fmt.Println(rec.Schema().Field(3).Name, rec.Schema().Field(5).Name, rec.Schema().Field(6).Name)
	// Output:
	// 0 terms: 12
	// 1 terms: 12
	// 2 terms: 12
	// tensor terms count
}

func ExampleDNNsimTable() {
	r, _ := work.Compute(exampleLayer(), work.DNNsimPreset())
	row := work.DNNsimRows(work.Meta{Model: "example"}, []work.LayerResult{r})[0]
	fmt.Printf("%s: %d multiplies, work %d, reduction %.2f%%, speedup %.2f\n", row.Layer, row.Multiplies, row.Work, row.WorkReductionPct, row.Speedup)
	mem := memory.NewGoAllocator()
	rec, _ := work.DNNsimTable(mem, work.Meta{Model: "example"}, []work.LayerResult{r})
	defer rec.Release()
	fmt.Println(rec.NumRows(), "row")
	// Output:
	// conv: 324 multiplies, work 400, reduction 99.52%, speedup 207.36
	// 1 row
}

func ExampleComputeContext() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := work.ComputeContext(ctx, exampleLayer(), work.DefaultOptions())
	fmt.Println(err)
	// Output:
	// context canceled
}

func ExampleRows() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	for _, row := range work.Rows(work.Meta{Model: "example", Quant: "fixed16"}, []work.LayerResult{r})[:2] {
		fmt.Println(row.Model, row.Layer, row.Kind, row.MACs, row.Scheme, row.Work, row.Speedup, row.Quant, row.Encoding)
	}
	// Output:
	// example conv conv 324 Base 82944 1 fixed16 csd
	// example conv conv 324 A 18944 4.378378378378378 fixed16 csd
}

func ExampleTotalRows() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	t := work.TotalRows(work.Rows(work.Meta{Model: "example"}, []work.LayerResult{r, r}))
	fmt.Println(t[0].Scheme, t[0].Layers, t[0].BaseWork, t[10].Scheme, t[10].Work)
	// Output:
	// Base 2 165888 We+Ae 260
}

func ExampleCharRows() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	c := work.CharRows(work.Meta{}, []work.LayerResult{r})[0]
	fmt.Printf("weights: %.2f zero, precision %d, terms binary %.2f csd %.2f booth4 %.2f dnnsim %.2f\n",
		c.WgtZeroFraction, c.WgtPrecision, c.WgtTermsBinary, c.WgtTermsCSD, c.WgtTermsBooth4, c.WgtTermsDNNsim)
	// Output:
	// weights: 0.33 zero, precision 8, terms binary 1.83 csd 1.00 booth4 1.17 dnnsim 1.00
}

func ExampleHistRows() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	h := work.HistRows(work.Meta{Model: "m"}, []work.LayerResult{r})[0]
	fmt.Println(h.Model, h.Layer, h.Tensor, h.Encoding, h.Terms, h.Count)
	// Output:
	// m conv activation binary 0 11
}

func ExampleDNNsimRows() {
	r, _ := work.Compute(exampleLayer(), work.DNNsimPreset())
	d := work.DNNsimRows(work.Meta{}, []work.LayerResult{r})[0]
	fmt.Println(d.Multiplies, d.Work, d.BaseWork)
	// Output:
	// 324 400 82944
}

func ExampleLayerResult_Speedup() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	fmt.Printf("%.2f %.2f\n", r.Speedup(work.W), r.Speedup(work.ApDyn))
	// Output:
	// 1.50 8.36
}

func ExampleLayerResult_TermPairWork() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions()) // zero cost 0
	fmt.Println(r.Work(work.WeAe), r.TermPairWork())
	// Output:
	// 130 400
}

func ExampleTensorStats() {
	r, _ := work.Compute(exampleLayer(), work.DefaultOptions())
	a := r.Act
	fmt.Printf("%d values, %.3f zero, bit sparsity %.3f of %d magnitude bits, %.3f csd terms, group precision %.2f\n",
		a.Values, a.ZeroFraction(), a.BitSparsity(), a.MagnitudeBits(), a.MeanTerms("csd"), a.MeanGroupPrecision())
	// Output:
	// 18 values, 0.611 zero, bit sparsity 0.937 of 15 magnitude bits, 0.667 csd terms, group precision 3.33
}
