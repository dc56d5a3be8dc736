package tfjs

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// transposeRef is the obvious transpose: output axis i is input axis perm[i].
func transposeRef(data []float32, shape, perm []int) ([]float32, []int) {
	out := make([]int, len(shape))
	for i, p := range perm {
		out[i] = shape[p]
	}
	n := len(data)
	res := make([]float32, n)
	idx := make([]int, len(shape))
	for o := 0; o < n; o++ {
		// multi-index of o in the output shape
		r := o
		for i := len(out) - 1; i >= 0; i-- {
			idx[i] = r % out[i]
			r /= out[i]
		}
		src := make([]int, len(shape))
		for i, p := range perm {
			src[p] = idx[i]
		}
		s := 0
		for i := range shape {
			s = s*shape[i] + src[i]
		}
		res[o] = data[s]
	}
	return res, out
}

func randomWeight(rng *rand.Rand, shape ...int) *weight {
	n := 1
	for _, d := range shape {
		n *= d
	}
	w := &weight{name: "w", shape: shape, data: make([]float32, n), codes: make([]uint8, n), min: -1, scale: 0.01}
	for i := range w.codes {
		w.codes[i] = uint8(rng.IntN(256))
		w.data[i] = float32(float64(w.codes[i])*0.01 - 1)
	}
	return w
}

// checkCodes verifies that a converted tensor's stored codes follow its data.
func checkCodes(t *testing.T, name string, tn *nn.Tensor) {
	t.Helper()
	if tn.Stored == nil || len(tn.Stored.Codes) != len(tn.Data) {
		t.Fatalf("%s: stored codes missing or of the wrong length", name)
	}
	for i, c := range tn.Stored.Codes {
		if want := float32(float64(c)*float64(tn.Stored.Scale) + float64(tn.Stored.Min)); math.Abs(float64(want-tn.Data[i])) > 1e-6 {
			t.Fatalf("%s[%d]: data %v does not match code %d (%v)", name, i, tn.Data[i], c, want)
		}
	}
}

func TestKernelLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 20; trial++ {
		kh, kw, ci, co := 1+rng.IntN(4), 1+rng.IntN(4), 1+rng.IntN(5), 1+rng.IntN(6)
		w := randomWeight(rng, kh, kw, ci, co)
		got := convKernel(w)
		want, shape := transposeRef(w.data, w.shape, []int{3, 2, 0, 1})
		if !reflect.DeepEqual(got.Shape, shape) || !reflect.DeepEqual(got.Data, want) {
			t.Fatalf("convKernel %v: differs from the reference transpose", w.shape)
		}
		checkCodes(t, "conv", got)

		// Depthwise H W C M -> (C*M) 1 H W equals the transpose to C M H W.
		m := 1 + rng.IntN(3)
		dw := randomWeight(rng, kh, kw, ci, m)
		gd := depthwiseKernel(dw)
		wd, _ := transposeRef(dw.data, dw.shape, []int{2, 3, 0, 1})
		if !reflect.DeepEqual(gd.Shape, []int{ci * m, 1, kh, kw}) || !reflect.DeepEqual(gd.Data, wd) {
			t.Fatalf("depthwiseKernel %v: differs from the reference transpose", dw.shape)
		}
		checkCodes(t, "depthwise", gd)

		// Dense In x Out -> Out x In, plain and transposed.
		in, out := 1+rng.IntN(7), 1+rng.IntN(5)
		dn := randomWeight(rng, in, out)
		wt, _ := transposeRef(dn.data, dn.shape, []int{1, 0})
		if g := denseKernel(dn, false, nil); !reflect.DeepEqual(g.Data, wt) || !reflect.DeepEqual(g.Shape, []int{out, in}) {
			t.Fatalf("denseKernel %v differs from the transpose", dn.shape)
		}
		dt := &weight{shape: []int{out, in}, data: wt}
		if g := denseKernel(dt, true, nil); !reflect.DeepEqual(g.Data, wt) {
			t.Fatalf("denseKernel with transpose_b differs")
		}
	}
}

// TestDenseAfterFlatten checks the weight permutation semantically: a dense
// layer applied to the NHWC flatten of an image (TensorFlow.js) equals the
// converted layer applied to the NCHW flatten (nn). Small integers keep the
// sums exact.
func TestDenseAfterFlatten(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 20; trial++ {
		H, W, C, O := 1+rng.IntN(4), 1+rng.IntN(4), 1+rng.IntN(4), 1+rng.IntN(4)
		n := H * W * C
		img := make([]float32, n) // NHWC
		for i := range img {
			img[i] = float32(rng.IntN(9) - 4)
		}
		k := &weight{shape: []int{n, O}, data: make([]float32, n*O)}
		for i := range k.data {
			k.data[i] = float32(rng.IntN(9) - 4)
		}
		s := imageShape(H, W, C).flatten()
		conv := denseKernel(k, false, s.flat)
		nchw, _ := transposeRef(img, []int{H, W, C}, []int{2, 0, 1})
		for o := 0; o < O; o++ {
			var want, got float32
			for i := 0; i < n; i++ {
				want += img[i] * k.data[i*O+o]
				got += nchw[i] * conv.Data[o*n+i]
			}
			if want != got {
				t.Fatalf("%dx%dx%d: output %d: nn %v, TensorFlow.js %v", H, W, C, o, got, want)
			}
		}
	}
}

func TestLoadTinyLayers(t *testing.T) {
	m := tinyLayers(1)
	g, err := LoadFS(m.files(), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	gm, err := LoadFS(m.minFiles(), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.Nodes, gm.Nodes) {
		t.Fatal("model.json and model.min.js forms give different graphs")
	}
	type row struct {
		name   string
		op     nn.Op
		inputs []string
	}
	want := []row{
		{"input_1", nn.OpInput, nil}, {"pad", nn.OpZeroPad, []string{"input_1"}},
		{"conv", nn.OpConv, []string{"pad"}}, {"dw", nn.OpConv, []string{"conv"}},
		{"bn", nn.OpBatchNorm, []string{"dw"}}, {"relu6", nn.OpReLU6, []string{"bn"}},
		{"add", nn.OpAdd, []string{"relu6", "conv"}}, {"side", nn.OpConv, []string{"add"}},
		{"cat", nn.OpConcat, []string{"add", "side"}}, {"pool", nn.OpAvgPool, []string{"cat"}},
		{"flat", nn.OpFlatten, []string{"pool"}}, {"drop", nn.OpIdentity, []string{"flat"}},
		{"dense", nn.OpDense, []string{"drop"}},
	}
	if len(g.Nodes) != len(want) {
		t.Fatalf("%d nodes, want %d", len(g.Nodes), len(want))
	}
	for i, w := range want {
		n := g.Nodes[i]
		if n.Name != w.name || n.Op != w.op || !reflect.DeepEqual(append([]string{}, n.Inputs...), append([]string{}, w.inputs...)) {
			t.Errorf("node %d: %s %s %v, want %s %s %v", i, n.Name, n.Op, n.Inputs, w.name, w.op, w.inputs)
		}
	}
	if !reflect.DeepEqual(g.Outputs, []string{"dense"}) {
		t.Errorf("outputs %v", g.Outputs)
	}
	node := g.Node
	if a := node("input_1").Attrs; !reflect.DeepEqual(a.Shape, []int{2, 6, 6}) {
		t.Errorf("input shape %v, want C,H,W = [2 6 6]", a.Shape)
	}
	if p := node("pad").Attrs.Pad; p != (nn.Pad{Bottom: 1, Right: 1}) {
		t.Errorf("pad %+v", p)
	}
	if a := node("conv").Attrs; a.Stride != [2]int{2, 2} || a.SamePadding || a.Activation != nn.ActReLU || a.Groups != 1 {
		t.Errorf("conv attrs %+v", a)
	}
	if a := node("dw").Attrs; !a.SamePadding || a.Groups != 4 || node("dw").Bias != nil {
		t.Errorf("depthwise attrs %+v", a)
	}
	if a := node("cat").Attrs; a.Axis != 1 {
		t.Errorf("concat axis %d, want 1 (channels)", a.Axis)
	}
	if a := node("pool").Attrs; a.Kernel != [2]int{2, 2} || a.Stride != [2]int{1, 1} {
		t.Errorf("pool attrs %+v", a)
	}
	if a := node("dense").Attrs; a.Activation != nn.ActSoftmax {
		t.Errorf("dense activation %q", a.Activation)
	}
	// Weights: layout, values and codes against the file's tensors.
	kw := m.weights["conv/kernel"]
	conv := node("conv").Weights
	if !reflect.DeepEqual(conv.Shape, []int{4, 2, 3, 3}) {
		t.Fatalf("conv weights %v", conv.Shape)
	}
	for o := 0; o < 4; o++ {
		for i := 0; i < 2; i++ {
			for h := 0; h < 3; h++ {
				for x := 0; x < 3; x++ {
					src := ((h*3+x)*2+i)*4 + o
					dst := ((o*2+i)*3+h)*3 + x
					if conv.Data[dst] != kw.value(src) || conv.Stored.Codes[dst] != kw.codes[src] {
						t.Fatalf("conv weight [%d %d %d %d] wrong", o, i, h, x)
					}
				}
			}
		}
	}
	for _, n := range []string{"conv", "dw", "side", "dense"} {
		checkCodes(t, n, node(n).Weights)
	}
	checkCodes(t, "dense bias", node("dense").Bias)
	// Batch-norm folding.
	bn := node("bn")
	for c := 0; c < 4; c++ {
		gm, bt := m.weights["bn/gamma"].value(c), m.weights["bn/beta"].value(c)
		mu, v := m.weights["bn/moving_mean"].value(c), m.weights["bn/moving_variance"].value(c)
		s := float64(gm) / math.Sqrt(float64(v)+0.001)
		if math.Abs(float64(bn.Scale.Data[c])-s) > 1e-6*math.Abs(s) || math.Abs(float64(bn.Shift.Data[c])-(float64(bt)-float64(mu)*s)) > 1e-5 {
			t.Errorf("batch-norm channel %d: scale %v shift %v", c, bn.Scale.Data[c], bn.Shift.Data[c])
		}
	}
	if bn.Scale.Stored != nil {
		t.Error("folded batch-norm parameters must not claim stored codes")
	}
}

// TestTinyLayersDense runs the tiny model in the reference interpreter and
// recomputes its Dense layer the TensorFlow.js way (NHWC flatten, In x Out
// kernel) from the file's own weights.
func TestTinyLayersDense(t *testing.T) {
	m := tinyLayers(2)
	g, err := LoadFS(m.files(), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	in := refTensor{shape: []int{2, 6, 6}, data: make([]float32, 72)}
	for i := range in.data {
		in.data[i] = rng.Float32()
	}
	vals := refRun(t, g, in)
	pool := vals["pool"] // C,H,W = 5,2,2
	nhwc, _ := transposeRef(pool.data, pool.shape, []int{1, 2, 0})
	k, b := m.weights["dense/kernel"], m.weights["dense/bias"]
	logits := make([]float32, 3)
	for o := range logits {
		s := float64(b.value(o))
		for i := range nhwc {
			s += float64(nhwc[i]) * float64(k.value(i*3+o))
		}
		logits[o] = float32(s)
	}
	softmax(logits)
	got := vals["dense"].data
	for o := range logits {
		if math.Abs(float64(got[o]-logits[o])) > 1e-6 {
			t.Fatalf("dense output %v, want %v", got, logits)
		}
	}
	if fl := vals["flat"]; len(fl.data) != 20 {
		t.Fatalf("flatten has %d values, want 20", len(fl.data))
	}
}

func TestLoadTinyGraph(t *testing.T) {
	m := tinyGraph(1)
	g, err := LoadFS(m.files(), "tinyg")
	if err != nil {
		t.Fatal(err)
	}
	gm, err := LoadFS(m.minFiles(), "tinyg")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.Nodes, gm.Nodes) {
		t.Fatal("model.json and model.min.js forms give different graphs")
	}
	var names []string
	for _, n := range g.Nodes {
		names = append(names, n.Name+":"+string(n.Op))
	}
	want := "input:Input mul:BatchNorm sub:BatchNorm conv:Conv dw:Conv add:Add pool:AvgPool squeeze:Flatten fc:Dense prob:Softmax Identity:Identity"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("nodes\n got %s\nwant %s", got, want)
	}
	if !reflect.DeepEqual(g.Outputs, []string{"Identity"}) {
		t.Errorf("outputs %v", g.Outputs)
	}
	mul, sub := g.Node("mul"), g.Node("sub")
	for c := 0; c < 3; c++ {
		if mul.Scale.Data[c] != 2 || mul.Shift.Data[c] != 0 || sub.Scale.Data[c] != 1 || sub.Shift.Data[c] != -1 {
			t.Fatalf("input scaling: mul %v+%v, sub %v+%v", mul.Scale.Data, mul.Shift.Data, sub.Scale.Data, sub.Shift.Data)
		}
	}
	conv := g.Node("conv")
	if conv.Attrs.Activation != nn.ActReLU6 || !conv.Attrs.SamePadding || conv.Attrs.Stride != [2]int{2, 2} || conv.Bias == nil {
		t.Errorf("fused conv %+v", conv.Attrs)
	}
	if dw := g.Node("dw"); dw.Attrs.Groups != 4 || dw.Attrs.Activation != nn.ActNone || !reflect.DeepEqual(dw.Weights.Shape, []int{4, 1, 3, 3}) {
		t.Errorf("depthwise %+v %v", dw.Attrs, dw.Weights.Shape)
	}
	if fc := g.Node("fc"); !reflect.DeepEqual(fc.Weights.Shape, []int{2, 4}) {
		t.Errorf("matmul weights %v", fc.Weights.Shape)
	}
	in := refTensor{shape: []int{3, 5, 5}, data: make([]float32, 75)}
	for i := range in.data {
		in.data[i] = float32(i%7) / 7
	}
	out := refRun(t, g, in)["Identity"]
	if len(out.data) != 2 || math.Abs(float64(out.data[0]+out.data[1])-1) > 1e-6 {
		t.Errorf("softmax output %v", out.data)
	}
}

// edit returns a copy of the model's files with model.json rewritten.
func edit(m tinyModel, from, to string) fstest.MapFS {
	fs := m.files()
	s := string(m.json)
	if !strings.Contains(s, from) {
		panic("edit: " + from + " not found")
	}
	fs["model.json"] = &fstest.MapFile{Data: []byte(strings.Replace(s, from, to, 1))}
	return fs
}

func TestLoadErrors(t *testing.T) {
	lm, gm := tinyLayers(1), tinyGraph(1)
	truncated := lm.files()
	truncated["group1-shard1of1"] = &fstest.MapFile{Data: lm.shard[:len(lm.shard)-3]}
	noShard := lm.files()
	delete(noShard, "group1-shard1of1")
	badB64 := lm.minFiles()
	badB64["group1-shard1of1.min.js"] = &fstest.MapFile{Data: []byte(`a.exports="@@@@";`)}
	badLiteral := lm.minFiles()
	badLiteral["model.min.js"] = &fstest.MapFile{Data: []byte(`a.exports={modelTopology:{a:1,,}};`)}
	noExports := lm.minFiles()
	noExports["model.min.js"] = &fstest.MapFile{Data: []byte(`var x = 1;`)}
	cases := []struct {
		name string
		fsys fstest.MapFS
		want []string // substrings of the error
	}{
		{"empty directory", fstest.MapFS{}, []string{"model.json", "model.min.js"}},
		{"truncated shard", truncated, []string{"model.json", "group1-shard1of1", "needs", "bytes"}},
		{"missing shard", noShard, []string{"group1-shard1of1", "missing"}},
		{"bad base64", badB64, []string{"group1-shard1of1.min.js", "base64"}},
		{"malformed literal", badLiteral, []string{"model.min.js", "malformed", "offset"}},
		{"no exports", noExports, []string{"model.min.js", "exports"}},
		{"malformed JSON", fstest.MapFS{"model.json": {Data: []byte(`{"modelTopology": [}`)}}, []string{"model.json", "malformed"}},
		{"unknown layer class", edit(lm, `"class_name":"Dropout"`, `"class_name":"LSTM"`), []string{`layer "drop"`, `"LSTM"`}},
		{"unknown activation", edit(lm, `"activation":"relu"`, `"activation":"elu"`), []string{`layer "conv"`, `"elu"`}},
		{"missing weight", edit(lm, `"name":"side/kernel"`, `"name":"other/kernel"`), []string{`layer "side"`, "side/kernel", "missing"}},
		{"wrong kernel shape", edit(lm, `"filters":4`, `"filters":5`), []string{`layer "conv"`, "conv/kernel"}},
		{"unknown input", edit(lm, `["relu6",0,0,{}]`, `["nothere",0,0,{}]`), []string{"nothere"}},
		{"unsupported op", edit(gm, `"op":"AvgPool"`, `"op":"LRN"`), []string{`node "pool"`, `"LRN"`}},
		{"unsupported fused op", edit(gm, b64("Relu6"), b64("Elu")), []string{`node "conv"`, "fused_ops"}},
		{"const without value", edit(gm, `"name":"fc_b"`, `"name":"fc_bias"`), []string{`"fc_bias"`, "weights manifest"}},
		{"graph cycle", edit(gm, `"input":["mul","shift/y"]`, `"input":["conv","shift/y"]`), []string{"cycle"}},
		{"unknown format", edit(gm, `"format":"graph-model"`, `"format":"saved-model"`), []string{"saved-model"}},
		{"bad quantization", edit(lm, `"dtype":"uint8"`, `"dtype":"int4"`), []string{"int4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadFS(c.fsys, "tiny")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadNamesDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mymodel")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	m := tinyLayers(3)
	os.WriteFile(filepath.Join(dir, "model.json"), m.json, 0o644)
	os.WriteFile(filepath.Join(dir, "group1-shard1of1"), m.shard[:10], 0o644)
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("error %v should name %s and say truncated", err, dir)
	}
	os.WriteFile(filepath.Join(dir, "group1-shard1of1"), m.shard, 0o644)
	g, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "mymodel" || !strings.Contains(g.Source, dir) {
		t.Errorf("graph name %q source %q", g.Name, g.Source)
	}
}

func TestDecodeDtypes(t *testing.T) {
	f32 := func(v float32) []byte {
		b := math.Float32bits(v)
		return []byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24)}
	}
	mn, sc := -1.0, 0.5
	cases := []struct {
		name string
		spec weightSpec
		data []byte
		want []float32
	}{
		{"float32", weightSpec{Shape: []int{2}, Dtype: "float32"}, append(f32(1.5), f32(-2)...), []float32{1.5, -2}},
		{"int32", weightSpec{Shape: []int{2}, Dtype: "int32"}, []byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, []float32{1, -1}},
		{"uint8", weightSpec{Shape: []int{3}, Dtype: "float32", Quantization: &quantization{Dtype: "uint8", Min: &mn, Scale: &sc}},
			[]byte{0, 2, 255}, []float32{-1, 0, 126.5}},
		{"uint16", weightSpec{Shape: []int{1}, Dtype: "float32", Quantization: &quantization{Dtype: "uint16", Min: &mn, Scale: &sc}},
			[]byte{0x00, 0x01}, []float32{127}},
		{"float16", weightSpec{Shape: []int{4}, Dtype: "float32", Quantization: &quantization{Dtype: "float16"}},
			[]byte{0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0x00, 0x7c}, []float32{1, -2, float32(math.Ldexp(1, -24)), float32(math.Inf(1))}},
		{"bool", weightSpec{Shape: []int{2}, Dtype: "bool"}, []byte{0, 3}, []float32{0, 1}},
	}
	for _, c := range cases {
		w, n, err := decodeWeight(c.spec, c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n != len(c.data) || !reflect.DeepEqual(w.data, c.want) {
			t.Errorf("%s: got %v (%d bytes), want %v (%d bytes)", c.name, w.data, n, c.want, len(c.data))
		}
	}
}

func TestJSLiteralToJSON(t *testing.T) {
	valid := []struct{ in, want string }{
		{`{a:1,b:"x"}`, `{"a":1,"b":"x"}`},
		{`{a:!0,b:!1,c:null,d:void 0}`, `{"a":true,"b":false,"c":null,"d":null}`},
		{`[.5,-.25,5.,1e3,-0,1E-2,0]`, `[0.5,-0.25,5,1000,0,0.01,0]`},
		{`{"quoted key":'single',0:1,$x_1:2,}`, `{"quoted key":"single","0":1,"$x_1":2}`},
		{` [ [] , {} ] `, `[[],{}]`},
		{`"a\"b\\c\n\x41\u00e9\u{0}"`, ``}, // \u{...} is not accepted
		{`"\ud83d\ude00"`, `"😀"`},
		{`{s:'it\'s'}`, `{"s":"it's"}`},
		{`true`, `true`},
	}
	for _, c := range valid {
		got, err := JSLiteralToJSON([]byte(c.in))
		if c.want == "" {
			if err == nil {
				t.Errorf("%s: accepted, want an error", c.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s: got %s, want %s", c.in, got, c.want)
		}
		if !json.Valid(got) {
			t.Errorf("%s: output %s is not valid JSON", c.in, got)
		}
	}
	invalid := []string{
		``, `{`, `{a}`, `{a:}`, `[1,,2]`, `[,]`, `{a:1 b:2}`, `0x10`, `010`, `1e`, `.`, `-`, `!2`, `!0x`,
		`{a:b}`, `"unterminated`, "\"line\nbreak\"", `'\q'`, `1 2`, `/* c */1`, `NaN`, `Infinity`, `1e999`,
		`void 1`, `{a:1}}`, `{[a]:1}`, "`t`", `"\x4"`, `"\08"`,
	}
	for _, in := range invalid {
		if out, err := JSLiteralToJSON([]byte(in)); err == nil {
			t.Errorf("%q: accepted as %s, want an error", in, out)
		} else if _, ok := err.(*SyntaxError); !ok {
			t.Errorf("%q: error %T, want *SyntaxError", in, err)
		}
	}
	deep := strings.Repeat("[", maxDepth+5) + strings.Repeat("]", maxDepth+5)
	if _, err := JSLiteralToJSON([]byte(deep)); err == nil || !strings.Contains(err.Error(), "nested") {
		t.Errorf("deep nesting: %v", err)
	}
}

func TestUnwrapJS(t *testing.T) {
	cases := []struct{ in, want string }{
		{`module.exports=e();a.exports={x:1}},{}]`, `{"x":1}`},
		{`exports="abc";`, `"abc"`},
		{`h.exports = [1,2] )`, `[1,2]`},
		{`myexports={a:1};exports={b:2}`, `{"b":2}`},
		{`x.exports=={a:1};y.exports={b:2}`, `{"b":2}`},
	}
	for _, c := range cases {
		got, err := UnwrapJS([]byte(c.in))
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{`var a=1`, `exports={a:1} junk`, `exports={a:1`} {
		if _, err := UnwrapJS([]byte(in)); err == nil {
			t.Errorf("%s: accepted", in)
		}
	}
	s, err := unwrapJSString([]byte(`h.exports="QUJD"});`))
	if err != nil || string(s) != "QUJD" {
		t.Errorf("unwrapJSString: %q %v", s, err)
	}
	if _, err := unwrapJSString([]byte(`h.exports={a:1}`)); err == nil {
		t.Error("unwrapJSString accepted an object")
	}
}

func TestTopoSort(t *testing.T) {
	names := []string{"c", "a", "b"}
	deps := map[string][]string{"c": {"b"}, "b": {"a"}}
	order, err := topoSort(names, func(i int) []string { return deps[names[i]] })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range order {
		got = append(got, names[i])
	}
	if strings.Join(got, "") != "abc" {
		t.Errorf("order %v", got)
	}
	deps["a"] = []string{"c"}
	if _, err := topoSort(names, func(i int) []string { return deps[names[i]] }); err == nil {
		t.Error("cycle not detected")
	}
	if _, err := topoSort([]string{"a"}, func(int) []string { return []string{"zz"} }); err == nil {
		t.Error("unknown input not detected")
	}
}

// TestRealModels checks the converted nsfwjs models against the counts
// their files and DATA.md give.
func TestRealModels(t *testing.T) {
	cases := []struct {
		model    string
		classes  map[string]int // layer classes or operators in the file
		ops      map[string]int // nn ops ("Depthwise" = Conv with Groups > 1)
		params   int64          // parameters stored in the file
		inputCHW []int
	}{
		{"mobilenet_v2",
			map[string]int{"Conv2D": 35, "DepthwiseConv2D": 17, "BatchNormalization": 52, "ReLU": 35, "Add": 10, "ZeroPadding2D": 5, "Dense": 3},
			map[string]int{"Conv": 35, "Depthwise": 17, "BatchNorm": 52, "ReLU6": 35, "Add": 10, "ZeroPad": 5, "Dense": 3, "AvgPool": 1},
			2619461, []int{3, 224, 224}},
		{"mobilenet_v2_mid",
			map[string]int{"_FusedConv2D": 35, "FusedDepthwiseConv2dNative": 17, "AddV2": 10, "_FusedMatMul": 1},
			map[string]int{"Conv": 35, "Depthwise": 17, "Add": 10, "Dense": 1, "BatchNorm": 2},
			4300775, []int{3, 224, 224}},
		{"inception_v3",
			map[string]int{"Conv2D": 94, "BatchNormalization": 94, "MaxPooling2D": 4, "AveragePooling2D": 10, "Concatenate": 15, "Dense": 3},
			map[string]int{"Conv": 94, "BatchNorm": 94, "ReLU": 94, "MaxPool": 4, "AvgPool": 10, "Concat": 15, "Dense": 3},
			22360869, []int{3, 299, 299}},
	}
	for _, c := range cases {
		t.Run(c.model, func(t *testing.T) {
			dir := cachedModelDir(t, c.model)
			info, err := Inspect(dir)
			if err != nil {
				t.Fatal(err)
			}
			if info.Params != c.params {
				t.Errorf("file stores %d parameters, want %d", info.Params, c.params)
			}
			for k, v := range c.classes {
				if info.Classes[k] != v {
					t.Errorf("%d %s in the file, want %d", info.Classes[k], k, v)
				}
			}
			g, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			ops := map[string]int{}
			stored := 0
			for _, n := range g.Nodes {
				k := string(n.Op)
				if n.Op == nn.OpConv && n.Attrs.Groups > 1 {
					k = "Depthwise"
				}
				ops[k]++
				for _, tn := range []*nn.Tensor{n.Weights, n.Bias} {
					if tn != nil && tn.Stored != nil {
						stored += len(tn.Stored.Codes)
					}
				}
			}
			for k, v := range c.ops {
				if ops[k] != v {
					t.Errorf("%d %s nodes, want %d", ops[k], k, v)
				}
			}
			if in := g.Nodes[0]; in.Op != nn.OpInput || !reflect.DeepEqual(in.Attrs.Shape, c.inputCHW) {
				t.Errorf("first node %s %s %v, want the input %v", in.Name, in.Op, in.Attrs.Shape, c.inputCHW)
			}
			if len(g.Outputs) != 1 {
				t.Errorf("outputs %v", g.Outputs)
			}
			t.Logf("%d nodes, %d compute layers, %d stored parameters, %d uint8 codes on compute weights", len(g.Nodes), len(g.ComputeNodes()), info.Params, stored)
		})
	}
}
