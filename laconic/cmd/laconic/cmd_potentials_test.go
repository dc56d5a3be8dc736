package main

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/table"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// traceFolder writes a small DNNsim trace folder: a 3x3 convolution with
// stride 2 and padding 1, a depthwise convolution and a dense layer, two
// batch files.
func traceFolder(t *testing.T, dir, net string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	tensor := func(relu bool, shape ...int) *nn.Tensor {
		x := nn.NewTensor(shape...)
		for i := range x.Data {
			v := float32(rng.NormFloat64())
			if relu {
				v = max(0, v*4)
			} else {
				v *= 0.2
			}
			x.Data[i] = v
		}
		return x
	}
	conv := nn.Layer{Name: "conv1", Kind: nn.KindConv, N: 2, C: 3, H: 9, W: 9, K: 4, R: 3, S: 3, StrideH: 2, StrideW: 2,
		Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 1}
	dw := nn.Layer{Name: "conv2_dw", Kind: nn.KindDepthwise, N: 2, C: 4, H: 5, W: 5, K: 4, R: 3, S: 3, StrideH: 1, StrideW: 1,
		Pad: nn.Pad{Top: 1, Bottom: 1, Left: 1, Right: 1}, Groups: 4}
	fc := nn.Layer{Name: "fc3", Kind: nn.KindDense, N: 2, C: 100, H: 1, W: 1, K: 7, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}
	var batches [][]nn.Sample
	wgts := map[string]*nn.Tensor{}
	for b := 0; b < 2; b++ {
		var samples []nn.Sample
		for _, l := range []nn.Layer{conv, dw, fc} {
			if wgts[l.Name] == nil {
				wgts[l.Name] = tensor(false, l.WeightShape()...)
			}
			samples = append(samples, nn.Sample{Layer: l, Input: tensor(true, l.InputShape()...), Weights: wgts[l.Name]})
		}
		batches = append(batches, samples)
	}
	if err := dnnsim.Write(dir, net, batches, nil); err != nil {
		t.Fatal(err)
	}
}

func runCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestPotentialsTracesCSV(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "toy")
	code, out, errOut := runCLI("potentials", "--traces", dir, "--preset", "dnnsim")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0][:9], ",") != "model,layer_index,layer,kind,multiplies,work,base_work,work_reduction_pct,speedup" {
		t.Fatalf("dnnsim table:\n%s", out)
	}
	if rows[1][2] != "conv1" || rows[2][3] != "depthwise" || rows[3][3] != "dense" {
		t.Errorf("layers: %v", rows)
	}
	// conv1: 2 batch files x 2 images x 4 filters x 5x5 outputs x 3 channels x 3x3.
	if rows[1][4] != "10800" {
		t.Errorf("conv1 multiplies %s, want 10800", rows[1][4])
	}
	if !strings.Contains(errOut, "layer 6/6") || !strings.Contains(errOut, "potential speedup") || !strings.Contains(errOut, "s (work") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

func TestPotentialsTracesFiles(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "toy")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	cases := []struct {
		args []string
		file string
		rows int64
	}{
		{[]string{"--table", "layers", "--format", "parquet"}, "layers.parquet", 3 * 13},
		{[]string{"--table", "totals"}, "totals.arrow", 13},
		{[]string{"--table", "characterization", "--encoding", "csd"}, "char.csv", 3},
		{[]string{"--table", "histogram", "--schemes", "We+Ae,Base"}, "hist.parquet", -1},
	}
	for _, c := range cases {
		out := filepath.Join(dir, "out", c.file)
		args := append([]string{"potentials", "--traces", dir, "--net", "toy", "--preset", "dnnsim", "--out", out}, c.args...)
		code, stdout, errOut := runCLI(args...)
		if code != 0 || stdout != "" {
			t.Fatalf("%v: exit %d, stdout %q: %s", c.args, code, stdout, errOut)
		}
		rec, err := table.Read(out, mem)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if c.rows >= 0 && rec.NumRows() != c.rows {
			t.Errorf("%s: %d rows, want %d", c.file, rec.NumRows(), c.rows)
		}
		rec.Release()
	}
}

func TestPotentialsUsageErrors(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "toy")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "--model"},
		{[]string{"--model", "mobilenet_v2", "--traces", dir}, 2, "not both"},
		{[]string{"--net", "toy", "--model", "mobilenet_v2"}, 2, "--net needs --traces"},
		{[]string{"--traces", dir, "--images", "3"}, 2, "--model only"},
		{[]string{"--traces", dir, "--encoding", "gray"}, 2, "gray"},
		{[]string{"--traces", dir, "--zero-cost", "5"}, 2, "zero_cost"},
		{[]string{"--traces", dir, "--bits", "8"}, 2, "bits"},
		{[]string{"--traces", dir, "--quant", "int4"}, 2, "int4"},
		{[]string{"--traces", dir, "--preset", "scnn"}, 2, "scnn"},
		{[]string{"--traces", dir, "--format", "parquet"}, 2, "needs --out"},
		{[]string{"--traces", dir, "--format", "xlsx", "--out", "x.xlsx"}, 2, "xlsx"},
		{[]string{"--traces", dir, "--table", "pies"}, 2, "pies"},
		{[]string{"--traces", dir, "--schemes", "Ae,TPU"}, 2, "TPU"},
		{[]string{"--traces", dir, "extra"}, 2, "extra"},
		{[]string{"--bogus"}, 2, "bogus"},
		{[]string{"--traces", filepath.Join(dir, "none")}, 1, "none"},
		{[]string{"--traces", dir, "--net", "other"}, 1, "other"},
		{[]string{"--model", "no-such-model", "--image", "x.png"}, 1, "no-such-model"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(append([]string{"potentials"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", c.args, code, c.code, errOut, c.want)
		}
	}
	if code, _, _ := runCLI("potentials", "-h"); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
}

// Several networks: --net is needed and the error lists them.
func TestPotentialsSeveralNets(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "alpha")
	traceFolder(t, dir, "beta")
	code, _, errOut := runCLI("potentials", "--traces", dir, "--preset", "dnnsim")
	if code != 1 || !strings.Contains(errOut, "alpha") || !strings.Contains(errOut, "beta") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI("potentials", "--traces", dir, "--net", "beta", "--preset", "dnnsim", "--progress"); code != 0 {
		t.Errorf("--net beta: exit %d: %s", code, errOut)
	}
}

// The same run twice writes byte-identical files.
func TestPotentialsDeterministic(t *testing.T) {
	dir := t.TempDir()
	traceFolder(t, dir, "toy")
	var outs [][]byte
	for i := 0; i < 2; i++ {
		p := filepath.Join(dir, "run"+string(rune('0'+i))+".parquet")
		if code, _, errOut := runCLI("potentials", "--traces", dir, "--out", p); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("two runs wrote different bytes")
	}
}

func TestPotentialsModel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real network")
	}
	if ok, err := zoo.Cached("mobilenet_v2"); err != nil || !ok {
		t.Skip("mobilenet_v2 is not cached (make models)")
	}
	code, out, errOut := runCLI("potentials", "--model", "mobilenet_v2", "--images", "1", "--table", "totals", "--quant", "raw")
	if code != 0 {
		if strings.Contains(errOut, "images") {
			t.Skip(errOut)
		}
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "mobilenet_v2,We+Ae,") || !strings.Contains(out, "raw-weights+affine8-activations,csd,0,8") {
		t.Errorf("totals:\n%s", out)
	}
}
