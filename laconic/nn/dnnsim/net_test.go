package dnnsim

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/npy"
)

func testPrecision() *Precision {
	return &Precision{Layers: []LayerPrecision{
		{8, 1, 1, 7}, {8, 2, 0, 8}, {7, 3, 0, 7}, {8, 3, 0, 8}, {8, 3, 0, 8}, {7, 3, 4, 9},
	}}
}

func TestWriteOpenRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		prec *Precision
		ns   []int
	}{
		{"one batch, default precision", nil, []int{2}},
		{"three batches of different sizes, precision.txt", testPrecision(), []int{2, 1, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, batches := writeFixture(t, tc.prec, tc.ns...)
			net, err := Open(dir, "tiny")
			if err != nil {
				t.Fatal(err)
			}
			if net.Name != "tiny" || net.Batches != len(tc.ns) || len(net.Layers) != 6 || net.HasPrecision != (tc.prec != nil) {
				t.Fatalf("net %+v", net)
			}
			for i, info := range net.Layers {
				want := batches[0][i].Layer
				if info.Name != want.Name || info.Kind != want.Kind || info.Geometry != want || info.Line != i+1 || info.Input != "" {
					t.Errorf("layer %d: %+v, want geometry %+v", i, info, want)
				}
				wantPrec := DefaultLayerPrecision()
				if tc.prec != nil {
					wantPrec = tc.prec.Layers[i]
				}
				if info.Precision != wantPrec {
					t.Errorf("layer %d precision %+v, want %+v", i, info.Precision, wantPrec)
				}
			}
			for b := range net.Batches {
				i := 0
				for s, err := range net.Samples(b) {
					if err != nil {
						t.Fatal(err)
					}
					checkSample(t, s, normalized(batches[b][i]))
					i++
				}
				if i != 6 {
					t.Fatalf("batch %d: %d samples", b, i)
				}
			}
			// The 4-D input of the dense layer stays 4-D in its file, as
			// DNNsim traces of a fully connected layer after a convolution are.
			h, err := npy.ReadHeader(ActivationPath(dir, "tiny", "fc4", 0))
			if err != nil || !slices.Equal(h.Shape, []int{tc.ns[0], 6, 2, 3}) {
				t.Fatalf("fc4 act header %v %v", h.Shape, err)
			}
		})
	}
}

func TestTraceParamsFileForm(t *testing.T) {
	dir, _ := writeFixture(t, nil, 1)
	got, err := os.ReadFile(filepath.Join(dir, ModelsDir, "tiny", ParamsFile))
	if err != nil {
		t.Fatal(err)
	}
	want := "conv1,4,3,2,2,1\ndw2,4,3,3,1,1\ngroup3,6,1,1,1,0\nfc4,5,1,1,1,0\nlstm5,8,1,1,1,0\nLinear6,3,1,1,1,0\n"
	if string(got) != want {
		t.Fatalf("trace_params.csv:\n%s\nwant\n%s", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, ModelsDir, "tiny", PrecisionFile)); !os.IsNotExist(err) {
		t.Fatalf("precision.txt written without a precision: %v", err)
	}
}

// TestSevenColumnForm: the same traces described with input names read the
// same samples and keep the names.
func TestSevenColumnForm(t *testing.T) {
	dir, batches := writeFixture(t, nil, 2)
	path := filepath.Join(dir, ModelsDir, "tiny", ParamsFile)
	f, _ := os.Open(path)
	params, err := ParseTraceParams(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	prev := "data"
	for i := range params {
		params[i].Input, prev = prev, params[i].Name
	}
	var buf bytes.Buffer
	if err := EncodeTraceParams(&buf, params); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "conv1,data,4,3,2,2,1\ndw2,conv1,4,") {
		t.Fatalf("7-column form: %q", buf.String())
	}
	writeText(t, path, buf.String())
	net, err := Open(dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if net.Layers[0].Input != "data" || net.Layers[3].Input != "group3" {
		t.Fatalf("inputs %q %q", net.Layers[0].Input, net.Layers[3].Input)
	}
	for i := range net.Layers {
		s, err := net.Sample(i, 0)
		if err != nil {
			t.Fatal(err)
		}
		checkSample(t, s, normalized(batches[0][i]))
	}
}

// TestAxesMapping writes DNNsim-style files by hand: activations
// batch x channels x X x Y and weights filters x channels x Kx x Ky, with
// X != Y and Kx != Ky, and checks X -> H, Y -> W, Kx -> R, Ky -> S and the
// output size DNNsim computes, (Nx - Kx + 2*padding)/stride + 1.
func TestAxesMapping(t *testing.T) {
	for _, tc := range []struct {
		nx, ny, kx, ky, stride, pad int
	}{
		{6, 4, 3, 1, 2, 1},
		{4, 6, 1, 3, 1, 0},
		{5, 5, 3, 3, 1, 1},
		{7, 3, 2, 3, 3, 2},
	} {
		dir := t.TempDir()
		act := nn.NewTensor(2, 3, tc.nx, tc.ny)
		wgt := nn.NewTensor(5, 3, tc.kx, tc.ky)
		for i := range act.Data {
			act.Data[i] = float32(i)
		}
		for i := range wgt.Data {
			wgt.Data[i] = -float32(i)
		}
		npy.Write(ActivationPath(dir, "n", "convA", 0), act)
		npy.Write(WeightPath(dir, "n", "convA"), wgt)
		writeText(t, filepath.Join(dir, ModelsDir, "n", ParamsFile),
			strings.Join([]string{"convA", "5", itoa(tc.kx), itoa(tc.ky), itoa(tc.stride), itoa(tc.pad)}, ",")+"\n")
		net, err := Open(dir, "n")
		if err != nil {
			t.Fatal(err)
		}
		g := net.Layers[0].Geometry
		if g.H != tc.nx || g.W != tc.ny || g.R != tc.kx || g.S != tc.ky || g.StrideH != tc.stride || g.StrideW != tc.stride ||
			g.Pad != (nn.Pad{Top: tc.pad, Bottom: tc.pad, Left: tc.pad, Right: tc.pad}) {
			t.Fatalf("%+v: geometry %+v", tc, g)
		}
		outX := (tc.nx-tc.kx+2*tc.pad)/tc.stride + 1
		outY := (tc.ny-tc.ky+2*tc.pad)/tc.stride + 1
		if g.OutH() != outX || g.OutW() != outY || g.MACs() != int64(2*5*outX*outY*3*tc.kx*tc.ky) {
			t.Fatalf("%+v: out %dx%d, DNNsim %dx%d", tc, g.OutH(), g.OutW(), outX, outY)
		}
		s, err := net.Sample(0, 0)
		if err != nil {
			t.Fatal(err)
		}
		// No axis moved: element (n, c, x, y) of the file is Input[n][c][x][y].
		if !sameTensor(s.Input, act) || !sameTensor(s.Weights, wgt) {
			t.Fatalf("%+v: data moved", tc)
		}
	}
}

func itoa(v int) string { return strconv.Itoa(v) }

func TestPrecisionFile(t *testing.T) {
	dir, _ := writeFixture(t, testPrecision(), 1)
	got, err := os.ReadFile(filepath.Join(dir, ModelsDir, "tiny", PrecisionFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(got), "\n")
	// Magnitudes are written with the sign bit counted: Mag + 1.
	want := []string{"9;9;8;9;9;8;", "1;2;3;3;3;3;", "2;1;1;1;1;5;", "7;8;7;8;8;9;"}
	if len(lines) != 6 || !slices.Equal(lines[1:5], want) || lines[5] != "" {
		t.Fatalf("precision.txt:\n%s", got)
	}
	// Rewriting the file by hand changes what Open reports, with the sign
	// bit removed from the magnitudes.
	writeText(t, filepath.Join(dir, ModelsDir, "tiny", PrecisionFile),
		"header\r\n16;1;2;3;4;5\r\n0;0;0;0;0;0\r\n1;1;1;1;1;1\r\n15;0;0;0;0;0\r\n")
	net, err := Open(dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if p := net.Layers[0].Precision; p != (LayerPrecision{ActMag: 15, ActFrac: 0, WgtMag: 0, WgtFrac: 15}) || p.ActBits() != 16 || p.WgtBits() != 16 {
		t.Fatalf("layer 0 precision %+v", p)
	}
	if p := net.Layers[1].Precision; p != (LayerPrecision{ActMag: 0, ActFrac: 0, WgtMag: 0, WgtFrac: 0}) || p.ActBits() != 1 {
		t.Fatalf("layer 1 precision %+v", p)
	}
	// Without the file: 13:2 and 0:15.
	os.Remove(filepath.Join(dir, ModelsDir, "tiny", PrecisionFile))
	net, err = Open(dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range net.Layers {
		if l.Precision != (LayerPrecision{13, 2, 0, 15}) || l.Precision.ActBits() != 16 || l.Precision.WgtBits() != 16 {
			t.Fatalf("default precision %+v", l.Precision)
		}
	}
}

func TestNets(t *testing.T) {
	dir := t.TempDir()
	if _, err := Nets(dir); err == nil {
		t.Fatal("folder without models/ accepted")
	}
	b := fixtureBatches(1, 1)
	for _, name := range []string{"zeta", "alpha"} {
		if err := Write(dir, name, b, nil); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(dir, ModelsDir, "caffe-only"), 0o755) // no trace_params.csv
	writeText(t, filepath.Join(dir, ModelsDir, "stray.txt"), "x")
	names, err := Nets(dir)
	if err != nil || !slices.Equal(names, []string{"alpha", "zeta"}) {
		t.Fatalf("Nets = %v, %v", names, err)
	}
	_, err = Open(dir, "")
	mustContain(t, err, "2 networks", "alpha", "zeta")
	one, _ := writeFixture(t, nil, 1)
	net, err := Open(one, "")
	if err != nil || net.Name != "tiny" {
		t.Fatalf("Open with the only network: %v", err)
	}
	_, err = Open(t.TempDir(), "")
	mustContain(t, err, "not a DNNsim trace folder")
}

func TestWriteAsymmetricPadding(t *testing.T) {
	// TensorFlow "same" padding with stride 2: one extra row and column at
	// the bottom and right.
	l := nn.Layer{Name: "conv_same", Kind: nn.KindConv, N: 1, C: 2, H: 4, W: 5, K: 3, R: 3, S: 3,
		StrideH: 2, StrideW: 2, Pad: nn.Pad{Top: 0, Bottom: 1, Left: 1, Right: 1}, Groups: 1}
	in := nn.NewTensor(l.InputShape()...)
	for i := range in.Data {
		in.Data[i] = float32(i + 1)
	}
	wgt := nn.NewTensor(l.WeightShape()...)
	dir := t.TempDir()
	if err := Write(dir, "same", [][]nn.Sample{{{Layer: l, Input: in, Weights: wgt}}}, nil); err != nil {
		t.Fatal(err)
	}
	net, err := Open(dir, "same")
	if err != nil {
		t.Fatal(err)
	}
	g := net.Layers[0].Geometry
	if g.H != 5 || g.W != 7 || g.Pad != (nn.Pad{}) || net.Layers[0].Padding != 0 {
		t.Fatalf("geometry %+v", g)
	}
	if g.OutH() != l.OutH() || g.OutW() != l.OutW() || g.MACs() != l.MACs() {
		t.Fatalf("out %dx%d MACs %d, want %dx%d MACs %d", g.OutH(), g.OutW(), g.MACs(), l.OutH(), l.OutW(), l.MACs())
	}
	s, err := net.Sample(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Reference: element (c, y, x) of the padded input.
	for c := range 2 {
		for y := range 5 {
			for x := range 7 {
				want := float32(0)
				if sy, sx := y-0, x-1; sy >= 0 && sy < 4 && sx >= 0 && sx < 5 {
					want = in.Data[(c*4+sy)*5+sx]
				}
				if got := s.Input.Data[(c*5+y)*7+x]; got != want {
					t.Fatalf("padded input (%d,%d,%d) = %v, want %v", c, y, x, got, want)
				}
			}
		}
	}
}

func TestStaleFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, "tiny", fixtureBatches(1, 1, 1, 1), testPrecision()); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, "tiny", fixtureBatches(2, 2), nil); err != nil {
		t.Fatal(err)
	}
	net, err := Open(dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if net.Batches != 1 || net.HasPrecision {
		t.Fatalf("batches %d, precision %v", net.Batches, net.HasPrecision)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, TracesDir, "tiny"))
	if len(entries) != 12 { // 6 weight files and 6 activation files
		t.Fatalf("%d files left", len(entries))
	}
}

func TestSampleAfterFileChanged(t *testing.T) {
	dir, _ := writeFixture(t, nil, 2)
	net, err := Open(dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	npy.Write(ActivationPath(dir, "tiny", "conv1", 0), nn.NewTensor(2, 3, 8, 7))
	_, err = net.Sample(0, 0)
	mustContain(t, err, "conv1", "changed since Open")
	os.Remove(WeightPath(dir, "tiny", "dw2"))
	_, err = net.Sample(1, 0)
	mustContain(t, err, "dw2", WeightPath(dir, "tiny", "dw2"))
	_, err = net.Sample(6, 0)
	mustContain(t, err, "layer index 6")
	_, err = net.Sample(0, 1)
	mustContain(t, err, "batch 1 out of range")
	// The iterator stops at the first error.
	n := 0
	for _, err := range net.Samples(0) {
		n++
		if err != nil {
			break
		}
	}
	if n != 1 {
		t.Fatalf("iterator yielded %d times", n)
	}
}
