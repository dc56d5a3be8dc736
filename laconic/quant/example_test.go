package quant_test

import (
	"fmt"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

func ExampleFixed16() {
	t := &nn.Tensor{Shape: []int{4}, Data: []float32{1.3, -0.625, 0.1, 9000}}
	a := quant.DefaultActivationFixed()
	q, err := quant.Fixed16(t, a.Mag, a.Frac)
	fmt.Println(q.Codes, err)
	_, err = quant.Fixed16(t, 8, 8)
	fmt.Println(err)
	// Output:
	// [5 -3 0 32767] <nil>
	// quant: fixed16 split mag=8 frac=8 invalid: want mag, frac >= 0 and mag+frac = 15 (16 bits with the sign)
}

func ExampleFixed16Profiled() {
	t := &nn.Tensor{Shape: []int{3}, Data: []float32{0.5, -3.2, 1}}
	q, _ := quant.Fixed16Profiled(t)
	fmt.Println(q.Mag, q.Frac, q.Codes)
	// Output: 2 13 [4096 -26214 8192]
}

func ExampleProfileFixed16() {
	t := &nn.Tensor{Shape: []int{2}, Data: []float32{0.25, 100}}
	fmt.Println(quant.ProfileFixed16(t))
	// Output: fixed16:7.8
}

func ExampleAffine8() {
	t := &nn.Tensor{Shape: []int{4}, Data: []float32{-1, 0, 1, 3}}
	q, _ := quant.Affine8(t)
	fmt.Printf("scale %.5f zero point %d codes %v\n", q.Scale, q.ZeroPoint, q.Codes)
	// Output: scale 0.01569 zero point 64 codes [0 64 128 255]
}

func ExampleRawCodes() {
	t := &nn.Tensor{
		Shape:  []int{3},
		Data:   []float32{-0.5, 0, 0.77},
		Stored: &nn.Stored{Codes: []uint8{0, 50, 127}, Min: -0.5, Scale: 0.01},
	}
	q, _ := quant.RawCodes(t)
	fmt.Println(q.Codes, q.ZeroPoint)
	_, err := quant.RawCodes(&nn.Tensor{Shape: []int{1}, Data: []float32{1}})
	fmt.Println(err)
	// Output:
	// [0 50 127] 50
	// quant: raw codes: tensor [1] has no stored codes (its model file stores floats; use fixed16 or affine8)
}

func ExamplePrecision() {
	w := &nn.Tensor{Shape: []int{3}, Data: []float32{0.001, -0.004, 0.002}}
	q, _ := quant.Fixed16(w, 0, 15) // codes 33, -131, 66
	fmt.Println(quant.Precision(q))
	// Output: 9
}

func ExampleGroupPrecisions() {
	// One image, 3 channels of 2 positions; groups of 2 channels.
	q := &quant.Tensor{Shape: []int{1, 3, 2}, Codes: []int32{1, 0, 7, 2, 100, 0}, Bits: 16, Signed: true}
	p, _ := quant.GroupPrecisions(q, 2)
	fmt.Println(p)
	// Output: [4 3 4 3 8 1]
}

func ExampleProfileGroups() {
	q := &quant.Tensor{Shape: []int{1, 3, 2}, Codes: []int32{1, 0, 7, 2, 100, 0}, Bits: 16, Signed: true}
	gp, _ := quant.ProfileGroups(q, 2)
	fmt.Printf("%d groups, mean %.2f per group, %.2f per value, max %d\n", gp.Groups, gp.MeanPerGroup, gp.MeanPerValue, gp.Max)
	// Output: 4 groups, mean 4.00 per group, 3.83 per value, max 8
}

func ExampleConfig_Quantize() {
	t := &nn.Tensor{Shape: []int{2}, Data: []float32{0.5, -0.25}}
	for _, c := range []quant.Config{quant.DefaultWeightFixed(), {Scheme: quant.SchemeAffine8}} {
		q, err := c.Quantize(t)
		fmt.Println(c, q.Codes, err)
	}
	// Output:
	// fixed16:0.15 [16384 -8192] <nil>
	// affine8 [255 0] <nil>
}

func ExampleConfig_Validate() {
	fmt.Println(quant.DefaultActivationFixed().Validate())
	fmt.Println(quant.Config{Scheme: quant.SchemeFixed16, Mag: 4, Frac: 4}.Validate())
	// Output:
	// <nil>
	// quant: fixed16 split mag=4 frac=4 invalid: want mag, frac >= 0 and mag+frac = 15 (16 bits with the sign)
}

func ExampleDefaultActivationFixed() {
	fmt.Println(quant.DefaultActivationFixed(), quant.DefaultWeightFixed())
	// Output: fixed16:13.2 fixed16:0.15
}

func ExampleParseScheme() {
	s, err := quant.ParseScheme("affine8")
	fmt.Println(s, err, quant.Schemes())
	// Output: affine8 <nil> [fixed16 affine8 raw]
}

func ExampleTensor_Operands() {
	q, _ := quant.Fixed16(&nn.Tensor{Shape: []int{2}, Data: []float32{-1.75, 2}}, 13, 2)
	ops, f := q.Operands()
	fmt.Println(ops, f, q.Magnitudes())
	// Output: [-7 8] int16 [7 8]
}

func ExampleTensor_TermStats() {
	q, _ := quant.Fixed16(&nn.Tensor{Shape: []int{4}, Data: []float32{0, 1.75, -1.75, 0.25}}, 13, 2)
	s, _ := q.TermStats(terms.CSD)
	counts, _ := q.TermCounts(terms.CSD)
	fmt.Println(counts, s.Terms, s.MeanTerms(), s.ZeroFraction())
	// Output: [0 2 2 1] 5 1.25 0.25
}

func ExampleTensor_Dequantize() {
	q, _ := quant.Affine8(&nn.Tensor{Shape: []int{3}, Data: []float32{0, 1, 2.55}})
	fmt.Printf("%.2f\n", q.Dequantize().Data)
	// Output: [0.00 1.00 2.55]
}

func ExampleTensor_Validate() {
	q := &quant.Tensor{Shape: []int{2}, Codes: []int32{1, 300}, Bits: 8}
	fmt.Println(q.Validate())
	// Output: quant: code 1 = 300 outside the uint8 range [0, 255]
}

func ExampleTensor_Value() {
	q, _ := quant.Fixed16(&nn.Tensor{Shape: []int{2}, Data: []float32{1.3, -0.2}}, 13, 2)
	fmt.Println(q.Len(), q.Format(), q.Value(0), q.Value(1))
	// Output: 2 int16 1.25 -0.25
}

func ExampleTensor_TermCounts() {
	q, _ := quant.Affine8(&nn.Tensor{Shape: []int{3}, Data: []float32{0, 1, 2.55}}) // codes 0, 100, 255
	c, _ := q.TermCounts(terms.Binary)
	fmt.Println(q.Codes, c)
	// Output: [0 100 255] [0 3 8]
}

func ExampleSchemes() {
	for _, s := range quant.Schemes() {
		fmt.Println(s)
	}
	// Output:
	// fixed16
	// affine8
	// raw
}

func ExampleConfig_String() {
	fmt.Println(quant.Config{Scheme: quant.SchemeFixed16, Profiled: true}, quant.Config{Scheme: quant.SchemeRaw})
	// Output: fixed16:profiled raw
}
