package tfjs

// Checks the loader against TensorFlow.js itself: a slow, obviously correct
// NCHW interpreter (written here, independent of package infer) runs the
// converted graph on the golden images, and every layer's output must match
// the golden activations that scripts/golden/gen.js recorded with
// TensorFlow.js 4.22.0, by name.

import (
	"encoding/json"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// repoDir is the repository root seen from this package.
var repoDir = filepath.Join("..", "..", "..")

// cachedModelDir returns the cached model's directory or skips the test.
func cachedModelDir(t testing.TB, name string) string {
	t.Helper()
	c, err := zoo.DefaultCache()
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.Cached(name)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skipf("model %s is not in the cache %s: run \"make models\" (or laconic fetch %s)", name, c.Dir, name)
	}
	m, _ := zoo.Lookup(name)
	return c.Path(m)
}

type goldenTensor struct {
	Name         string       `json:"name"`
	Shape        []int        `json:"shape"`
	Mean         float64      `json:"mean"`
	ZeroFraction float64      `json:"zero_fraction"`
	Samples      [][2]float64 `json:"samples"`
}

type goldenFile struct {
	Model         string         `json:"model"`
	Image         string         `json:"image"`
	Input         goldenTensor   `json:"input"`
	Layers        []goldenTensor `json:"layers"`
	Probabilities []float64      `json:"probabilities"`
	Top           int            `json:"top"`
}

// refTensor is a batch-1 activation without the batch axis (C,H,W or F).
type refTensor struct {
	shape []int
	data  []float32
}

// loadImageRef reproduces nsfwjs's preprocessing: pixels/255 as float32,
// then TensorFlow.js's resizeBilinear with alignCorners (double-precision
// interpolation of float32 values, stored as float32). Returns C,H,W.
func loadImageRef(t testing.TB, path string, size int) refTensor {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	H, W := b.Dy(), b.Dx()
	px := make([]float32, H*W*3) // HWC
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			for c, v := range []uint32{r >> 8, g >> 8, bl >> 8} {
				px[(y*W+x)*3+c] = float32(float64(v) / 255)
			}
		}
	}
	out := refTensor{shape: []int{3, size, size}, data: make([]float32, 3*size*size)}
	ratio := func(in, o int) float64 {
		if o > 1 {
			return float64(in-1) / float64(o-1)
		}
		return float64(in) / float64(o)
	}
	rr, cr := ratio(H, size), ratio(W, size)
	for r := 0; r < size; r++ {
		fr := rr * float64(r)
		r0 := int(math.Max(0, math.Floor(fr)))
		rf := fr - float64(r0)
		r1 := min(H-1, int(math.Ceil(fr)))
		for c := 0; c < size; c++ {
			fc := cr * float64(c)
			c0 := int(math.Max(0, math.Floor(fc)))
			cf := fc - float64(c0)
			c1 := min(W-1, int(math.Ceil(fc)))
			for d := 0; d < 3; d++ {
				tl := float64(px[(r0*W+c0)*3+d])
				tr := float64(px[(r0*W+c1)*3+d])
				bl := float64(px[(r1*W+c0)*3+d])
				br := float64(px[(r1*W+c1)*3+d])
				top := tl + (tr-tl)*cf
				bot := bl + (br-bl)*cf
				out.data[(d*size+r)*size+c] = float32(top + (bot-top)*rf)
			}
		}
	}
	return out
}

// samePad returns TensorFlow's "same" padding before and after.
func samePad(in, k, s, d int) (int, int) {
	eff := (k-1)*d + 1
	out := (in + s - 1) / s
	total := max((out-1)*s+eff-in, 0)
	return total / 2, total - total/2
}

func applyAct(v float64, a nn.Activation) float64 {
	switch a {
	case nn.ActReLU:
		return math.Max(0, v)
	case nn.ActReLU6:
		return math.Min(6, math.Max(0, v))
	case nn.ActSigmoid:
		return 1 / (1 + math.Exp(-v))
	}
	return v
}

func stride(s [2]int) (int, int) { return max(s[0], 1), max(s[1], 1) }

// refRun interprets the graph node by node with direct loops.
func refRun(t testing.TB, g *nn.Graph, input refTensor) map[string]refTensor {
	t.Helper()
	vals := map[string]refTensor{}
	for _, n := range g.Nodes {
		var in []refTensor
		for _, name := range n.Inputs {
			in = append(in, vals[name])
		}
		var out refTensor
		switch n.Op {
		case nn.OpInput:
			out = input
		case nn.OpConv:
			x := in[0]
			C, H, W := x.shape[0], x.shape[1], x.shape[2]
			K, cg, R, S := n.Weights.Shape[0], n.Weights.Shape[1], n.Weights.Shape[2], n.Weights.Shape[3]
			G := max(n.Attrs.Groups, 1)
			sh, sw := stride(n.Attrs.Stride)
			dh, dw := stride(n.Attrs.Dilation)
			pad := n.Attrs.Pad
			if n.Attrs.SamePadding {
				pad.Top, pad.Bottom = samePad(H, R, sh, dh)
				pad.Left, pad.Right = samePad(W, S, sw, dw)
			}
			OH := (H+pad.Top+pad.Bottom-((R-1)*dh+1))/sh + 1
			OW := (W+pad.Left+pad.Right-((S-1)*dw+1))/sw + 1
			out = refTensor{shape: []int{K, OH, OW}, data: make([]float32, K*OH*OW)}
			acc := make([]float64, OH*OW)
			for k := 0; k < K; k++ {
				grp := k / (K / G)
				for i := range acc {
					acc[i] = 0
					if n.Bias != nil {
						acc[i] = float64(n.Bias.Data[k])
					}
				}
				for ci := 0; ci < cg; ci++ {
					c := grp*cg + ci
					if c >= C {
						t.Fatalf("%s: channel %d out of range", n.Name, c)
					}
					for r := 0; r < R; r++ {
						for s := 0; s < S; s++ {
							w := float64(n.Weights.Data[((k*cg+ci)*R+r)*S+s])
							for oy := 0; oy < OH; oy++ {
								y := oy*sh - pad.Top + r*dh
								if y < 0 || y >= H {
									continue
								}
								row := x.data[(c*H+y)*W : (c*H+y+1)*W]
								a := acc[oy*OW : (oy+1)*OW]
								for ox := range a {
									if xx := ox*sw - pad.Left + s*dw; xx >= 0 && xx < W {
										a[ox] += w * float64(row[xx])
									}
								}
							}
						}
					}
				}
				for i, v := range acc {
					out.data[k*OH*OW+i] = float32(applyAct(v, n.Attrs.Activation))
				}
			}
		case nn.OpDense:
			x := in[0]
			O, I := n.Weights.Shape[0], n.Weights.Shape[1]
			if len(x.data) != I {
				t.Fatalf("%s: input has %d values, weights want %d", n.Name, len(x.data), I)
			}
			out = refTensor{shape: []int{O}, data: make([]float32, O)}
			for o := 0; o < O; o++ {
				sum := 0.0
				if n.Bias != nil {
					sum = float64(n.Bias.Data[o])
				}
				for i := 0; i < I; i++ {
					sum += float64(n.Weights.Data[o*I+i]) * float64(x.data[i])
				}
				out.data[o] = float32(sum)
			}
			if n.Attrs.Activation == nn.ActSoftmax {
				softmax(out.data)
			} else {
				for i, v := range out.data {
					out.data[i] = float32(applyAct(float64(v), n.Attrs.Activation))
				}
			}
		case nn.OpBatchNorm:
			x := in[0]
			C := x.shape[0]
			per := len(x.data) / C
			out = refTensor{shape: x.shape, data: make([]float32, len(x.data))}
			for i, v := range x.data {
				c := i / per
				out.data[i] = float32(float64(n.Scale.Data[c])*float64(v) + float64(n.Shift.Data[c]))
			}
		case nn.OpReLU, nn.OpReLU6, nn.OpSigmoid, nn.OpIdentity:
			act := map[nn.Op]nn.Activation{nn.OpReLU: nn.ActReLU, nn.OpReLU6: nn.ActReLU6, nn.OpSigmoid: nn.ActSigmoid}[n.Op]
			out = refTensor{shape: in[0].shape, data: make([]float32, len(in[0].data))}
			for i, v := range in[0].data {
				out.data[i] = float32(applyAct(float64(v), act))
			}
		case nn.OpSoftmax:
			out = refTensor{shape: in[0].shape, data: append([]float32(nil), in[0].data...)}
			softmax(out.data)
		case nn.OpAdd:
			out = refTensor{shape: in[0].shape, data: make([]float32, len(in[0].data))}
			for i := range out.data {
				s := 0.0
				for _, x := range in {
					s += float64(x.data[i])
				}
				out.data[i] = float32(s)
			}
		case nn.OpConcat:
			if n.Attrs.Axis != 1 {
				t.Fatalf("%s: reference concat supports only channels", n.Name)
			}
			shape := append([]int(nil), in[0].shape...)
			var data []float32
			for i, x := range in {
				if i > 0 {
					shape[0] += x.shape[0]
				}
				data = append(data, x.data...) // channel-major: concatenation is appending
			}
			out = refTensor{shape: shape, data: data}
		case nn.OpMaxPool, nn.OpAvgPool:
			x := in[0]
			C, H, W := x.shape[0], x.shape[1], x.shape[2]
			R, S := n.Attrs.Kernel[0], n.Attrs.Kernel[1]
			sh, sw := stride(n.Attrs.Stride)
			var pad nn.Pad
			if n.Attrs.SamePadding {
				pad.Top, pad.Bottom = samePad(H, R, sh, 1)
				pad.Left, pad.Right = samePad(W, S, sw, 1)
			}
			OH := (H+pad.Top+pad.Bottom-R)/sh + 1
			OW := (W+pad.Left+pad.Right-S)/sw + 1
			out = refTensor{shape: []int{C, OH, OW}, data: make([]float32, C*OH*OW)}
			for c := 0; c < C; c++ {
				for oy := 0; oy < OH; oy++ {
					for ox := 0; ox < OW; ox++ {
						best, sum, cnt := math.Inf(-1), 0.0, 0
						for r := 0; r < R; r++ {
							for s := 0; s < S; s++ {
								y, xx := oy*sh-pad.Top+r, ox*sw-pad.Left+s
								if y < 0 || y >= H || xx < 0 || xx >= W {
									continue
								}
								v := float64(x.data[(c*H+y)*W+xx])
								best = math.Max(best, v)
								sum += v
								cnt++
							}
						}
						if n.Op == nn.OpMaxPool {
							out.data[(c*OH+oy)*OW+ox] = float32(best)
						} else {
							out.data[(c*OH+oy)*OW+ox] = float32(sum / float64(cnt))
						}
					}
				}
			}
		case nn.OpGlobalAvgPool:
			x := in[0]
			C := x.shape[0]
			per := len(x.data) / C
			out = refTensor{shape: []int{C, 1, 1}, data: make([]float32, C)}
			for c := 0; c < C; c++ {
				s := 0.0
				for _, v := range x.data[c*per : (c+1)*per] {
					s += float64(v)
				}
				out.data[c] = float32(s / float64(per))
			}
		case nn.OpZeroPad:
			x := in[0]
			C, H, W := x.shape[0], x.shape[1], x.shape[2]
			p := n.Attrs.Pad
			OH, OW := H+p.Top+p.Bottom, W+p.Left+p.Right
			out = refTensor{shape: []int{C, OH, OW}, data: make([]float32, C*OH*OW)}
			for c := 0; c < C; c++ {
				for y := 0; y < H; y++ {
					copy(out.data[(c*OH+y+p.Top)*OW+p.Left:], x.data[(c*H+y)*W:(c*H+y+1)*W])
				}
			}
		case nn.OpFlatten:
			out = refTensor{shape: []int{len(in[0].data)}, data: in[0].data}
		case nn.OpReshape:
			out = refTensor{shape: n.Attrs.Shape, data: in[0].data}
		default:
			t.Fatalf("%s: reference interpreter has no %s", n.Name, n.Op)
		}
		vals[n.Name] = out
	}
	return vals
}

func softmax(v []float32) {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, float64(x))
	}
	s := 0.0
	for _, x := range v {
		s += math.Exp(float64(x) - m)
	}
	for i, x := range v {
		v[i] = float32(math.Exp(float64(x)-m) / s)
	}
}

// nchwIndex converts a flat NHWC index of a golden shape into the flat
// index of the nn tensor (batch 1).
func nchwIndex(shape []int, i int) int {
	if len(shape) != 4 {
		return i
	}
	H, W, C := shape[1], shape[2], shape[3]
	c := i % C
	x := i / C % W
	y := i / (C * W) % H
	return (c*H+y)*W + x
}

// compareGolden checks one tensor; it returns the worst relative error.
func compareGolden(t *testing.T, gt goldenTensor, got refTensor, tol float64) float64 {
	t.Helper()
	n := 1
	for _, d := range gt.Shape[1:] {
		n *= d
	}
	if n != len(got.data) {
		t.Errorf("%s: golden shape %v has %d values, the converted graph gives %v (%d)", gt.Name, gt.Shape, n, got.shape, len(got.data))
		return math.Inf(1)
	}
	// Scale for near-zero values: the RMS of the sampled golden values.
	rms := 0.0
	for _, s := range gt.Samples {
		rms += s[1] * s[1]
	}
	rms = math.Sqrt(rms/float64(len(gt.Samples))) + 1e-12
	worst := 0.0
	for _, s := range gt.Samples {
		want := s[1]
		v := float64(got.data[nchwIndex(gt.Shape, int(s[0]))])
		e := math.Abs(v-want) / (math.Abs(want) + rms)
		worst = math.Max(worst, e)
		if e > tol {
			t.Errorf("%s[%d] (NHWC %v): got %v, want %v (relative error %.2g)", gt.Name, int(s[0]), gt.Shape, v, want, e)
			return e
		}
	}
	mean := 0.0
	for _, v := range got.data {
		mean += float64(v)
	}
	mean /= float64(len(got.data))
	if e := math.Abs(mean-gt.Mean) / (math.Abs(gt.Mean) + rms); e > tol {
		t.Errorf("%s: mean %v, want %v", gt.Name, mean, gt.Mean)
	}
	return worst
}

func TestGoldenActivations(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoDir, "laconic", "infer", "testdata", "golden", "*.json"))
	if len(files) == 0 {
		t.Fatal("no golden files in laconic/infer/testdata/golden (run \"make golden\")")
	}
	sort.Strings(files)
	graphs := map[string]*nn.Graph{}
	for _, file := range files {
		base := filepath.Base(file)
		model := strings.SplitN(base, "__", 2)[0]
		if model == "inception_v3" && testing.Short() {
			continue
		}
		t.Run(strings.TrimSuffix(base, ".json"), func(t *testing.T) {
			dir := cachedModelDir(t, model)
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var gf goldenFile
			if err := json.Unmarshal(data, &gf); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			img := filepath.Join(repoDir, "data", "images", gf.Image)
			if _, err := os.Stat(img); err != nil {
				t.Skipf("%s is missing: run \"make images\"", img)
			}
			g := graphs[model]
			if g == nil {
				if g, err = Load(dir); err != nil {
					t.Fatal(err)
				}
				graphs[model] = g
			}
			spec, _ := zoo.Lookup(model)
			input := loadImageRef(t, img, spec.Input.Height)
			compareGolden(t, gf.Input, input, 1e-5)
			vals := refRun(t, g, input)
			worst := 0.0
			for _, l := range gf.Layers {
				got, ok := vals[l.Name]
				if !ok {
					t.Errorf("golden layer %q is not a node of the converted graph", l.Name)
					continue
				}
				worst = math.Max(worst, compareGolden(t, l, got, 1e-3))
			}
			if len(gf.Layers) != len(g.Nodes)-1 {
				t.Errorf("golden file has %d layers, the graph %d non-input nodes", len(gf.Layers), len(g.Nodes)-1)
			}
			out := vals[g.Outputs[0]]
			top := 0
			for i, v := range out.data {
				if v > out.data[top] {
					top = i
				}
			}
			if top != gf.Top {
				t.Errorf("top class %d, want %d (probabilities %v, want %v)", top, gf.Top, out.data, gf.Probabilities)
			}
			t.Logf("%d layers match TensorFlow.js; worst relative error %.2g; top class %d (%s)", len(gf.Layers), worst, top, spec.Labels[top])
		})
	}
}
