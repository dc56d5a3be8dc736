package arch

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
)

func mustSim(t *testing.T, cfg Config, l nn.Layer, a, w *quant.Tensor) LayerResult {
	t.Helper()
	r, err := Simulate(cfg, l, a, w)
	if err != nil {
		t.Fatalf("%s: %v", cfg.Name, err)
	}
	return r
}

func TestInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	kinds := []nn.LayerKind{nn.KindConv, nn.KindGrouped, nn.KindDepthwise, nn.KindDense}
	for iter := 0; iter < 60; iter++ {
		kind := kinds[iter%len(kinds)]
		l, a, w := randomLayer(rng, kind, 16)
		for _, m := range []Model{Laconic, Pragmatic, Stripes} {
			cfg := randomConfig(rng, m, SyncTile)
			at := func(s Sync, d int) int64 {
				c := cfg
				c.Sync, c.QueueDepth = s, d
				return mustSim(t, c, l, a, w).Cycles
			}
			ideal, tile := at(SyncIdeal, 0), at(SyncTile, 0)
			for d := 0; d < 4; d++ {
				col, lpe := at(SyncColumn, d), at(SyncLPE, d)
				if !(tile >= col && col >= lpe && lpe >= ideal) {
					t.Fatalf("%s %s depth %d: want tile %d >= column %d >= lpe %d >= ideal %d", m, kind, d, tile, col, lpe, ideal)
				}
				if d > 0 {
					if prev := at(SyncLPE, d-1); lpe > prev {
						t.Fatalf("%s: lpe depth %d (%d cycles) slower than depth %d (%d)", m, d, lpe, d-1, prev)
					}
				}
			}
			// More wires are never slower, in any mode.
			for _, s := range []Sync{SyncTile, SyncColumn, SyncLPE, SyncIdeal} {
				c := cfg
				c.Sync = s
				wu, au := c.unitBits(16)
				c.Memory.WeightWires, c.Memory.ActWires = wu, au
				prev := mustSim(t, c, l, a, w).Cycles
				for _, wires := range []int{2, 4, 16, 0} {
					c.Memory.WeightWires, c.Memory.ActWires = wu*wires, au*wires
					cur := mustSim(t, c, l, a, w).Cycles
					if cur > prev {
						t.Fatalf("%s %s: %dx wires took %d cycles, fewer wires %d", m, s, wires, cur, prev)
					}
					prev = cur
				}
			}
			// A free zero product is never slower than a one-cycle one.
			c := cfg
			c.ZeroCost = 1
			one := mustSim(t, c, l, a, w).Cycles
			c.ZeroCost = 0
			if zero := mustSim(t, c, l, a, w).Cycles; zero > one {
				t.Fatalf("%s: zero cost 0 took %d cycles, 1 took %d", m, zero, one)
			}
		}
	}
}

// TestLaconicNeverBelowTermPairBound checks cycles * lanes >= work for
// every preset and mode (the ideal term-pair bound).
func TestLaconicNeverBelowTermPairBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for iter := 0; iter < 40; iter++ {
		l, a, w := randomLayer(rng, []nn.LayerKind{nn.KindConv, nn.KindDense, nn.KindDepthwise}[iter%3], 16)
		for _, s := range []Sync{SyncTile, SyncColumn, SyncLPE, SyncIdeal} {
			cfg := randomConfig(rng, Laconic, s)
			r := mustSim(t, cfg, l, a, w)
			lanes := int64(cfg.Columns * cfg.Rows * cfg.Lanes)
			if r.Cycles*lanes < r.Activity.Work {
				t.Fatalf("%s: %d cycles x %d lanes < work %d", s, r.Cycles, lanes, r.Activity.Work)
			}
		}
	}
}

func TestBitParallelLoopNest(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	cd := func(a, b int) int64 { return int64((a + b - 1) / b) }
	for iter := 0; iter < 100; iter++ {
		kind := []nn.LayerKind{nn.KindConv, nn.KindGrouped, nn.KindDepthwise, nn.KindDense, nn.KindLSTM}[iter%5]
		l, a, w := randomLayer(rng, kind, 16)
		cfg := randomConfig(rng, BitParallel, SyncTile)
		cfg.Memory = Memory{}
		cfg.FoldFirstLayer = false
		r := mustSim(t, cfg, l, a, w)
		var want int64
		if kind == nn.KindDense || kind == nn.KindLSTM {
			want = int64(l.N) * cd(l.K, cfg.Rows) * cd(l.C, cfg.Lanes)
		} else {
			want = int64(l.N) * cd(l.K, cfg.Rows) * cd(l.OutH()*l.OutW(), cfg.Columns) * int64(l.R*l.S) * cd(l.C/l.Groups, cfg.Lanes)
		}
		if r.Cycles != want || r.Steps != want {
			t.Fatalf("%s %+v on %dx%dx%d: %d cycles, %d steps, want %d", kind, l, cfg.Columns, cfg.Rows, cfg.Lanes, r.Cycles, r.Steps, want)
		}
		if r.Activity.MACs != l.MACs() {
			t.Fatalf("MACs %d, want %d", r.Activity.MACs, l.MACs())
		}
	}
}

// TestDNNsimFullyConnectedRoundRobin pins the round-robin definition on a
// hand-computed case: items cost 5, 1, 1 on two columns -> 6 cycles.
func TestDNNsimFullyConnectedRoundRobin(t *testing.T) {
	l := nn.Layer{Name: "fc", Kind: nn.KindDense, N: 1, C: 3, K: 1, H: 1, W: 1, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}
	// csd terms: 0b10101 = 21 -> 3 terms; 1 -> 1 term.
	acts := &quant.Tensor{Shape: []int{1, 3}, Codes: []int32{21, 1, 1}, Bits: 16, Signed: true}
	wgts := &quant.Tensor{Shape: []int{1, 3}, Codes: []int32{0b101010101, 1, 1}, Bits: 16, Signed: true}
	cfg, _ := Preset(PresetDNNsimLac)
	cfg.Columns, cfg.Rows, cfg.Lanes, cfg.Encoding = 2, 1, 1, "csd"
	r := mustSim(t, cfg, l, acts, wgts)
	// item 0: 3*5 = 15 cycles on column 0 (ends 15), issue 1;
	// item 1: 1 cycle on column 1 (ends 2), issue 2;
	// item 2: column 0 busy until 15 -> starts 15, ends 16; issue 16.
	if r.Cycles != 16 || r.Steps != 3 {
		t.Fatalf("cycles %d steps %d, want 16 and 3", r.Cycles, r.Steps)
	}
}

// TestFoldFirstLayer checks DNNsim's folded geometry on AlexNet's and
// InceptionV3's first layers: 227x227x3, 11x11 stride 4 -> 48 channels,
// 57x57, 3x3 kernel, 55x55 outputs; 299x299x3, 3x3 stride 2 -> 12
// channels, 150x150, 2x2 kernel, 149x149 outputs.
func TestFoldFirstLayer(t *testing.T) {
	for _, c := range []struct {
		h, r, s      int
		c, hh, rr, o int
	}{{227, 11, 4, 48, 57, 3, 55}, {299, 3, 2, 12, 150, 2, 149}} {
		l := nn.Layer{Name: "conv1", Kind: nn.KindConv, N: 1, C: 3, H: c.h, W: c.h, K: 4, R: c.r, S: c.r, StrideH: c.s, StrideW: c.s, Groups: 1}
		a := &quant.Tensor{Codes: make([]int32, 3*c.h*c.h), Bits: 16, Signed: true}
		w := &quant.Tensor{Codes: make([]int32, 4*3*c.r*c.r), Bits: 16, Signed: true}
		cfg, _ := Preset(PresetDNNsimBase)
		pr, err := newLayerCache(l, a, w).prepare(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !pr.folded || pr.C != c.c || pr.H != c.hh || pr.R != c.rr || pr.OH != c.o || pr.OW != c.o {
			t.Fatalf("fold of %+v: C %d H %d R %d out %dx%d", c, pr.C, pr.H, pr.R, pr.OH, pr.OW)
		}
		r := mustSim(t, cfg, l, a, w)
		// one filter group, ceil(55*55/16) window groups, 3x3 kernel, 3 channel groups
		want := int64((c.o*c.o+15)/16) * int64(c.rr*c.rr) * int64((c.c+15)/16)
		if r.Cycles != want {
			t.Fatalf("folded baseline cycles %d, want %d", r.Cycles, want)
		}
	}
}

func TestValidateNamesField(t *testing.T) {
	base, _ := Preset(PresetLac128)
	cases := []struct {
		field string
		edit  func(*Config)
	}{
		{"model", func(c *Config) { c.Model = "tpu" }},
		{"lanes", func(c *Config) { c.Lanes = 0 }},
		{"columns", func(c *Config) { c.Columns = -1 }},
		{"rows", func(c *Config) { c.Rows = 1 << 20 }},
		{"sync", func(c *Config) { c.Sync = "global" }},
		{"queue_depth", func(c *Config) { c.QueueDepth = -2 }},
		{"zero_cost", func(c *Config) { c.ZeroCost = 2 }},
		{"encoding", func(c *Config) { c.Encoding = "gray" }},
		{"memory.weight_wires", func(c *Config) { c.Memory.WeightWires = 4 }},
		{"memory.weight_wires", func(c *Config) { c.Memory.WeightWires = -1 }},
		{"memory.act_wires", func(c *Config) { c.Memory.ActWires = 3 }},
		{"memory.weight_buffer_bytes", func(c *Config) { c.Memory.WeightBufferBytes = -1 }},
		{"memory.act_buffer_bytes", func(c *Config) { c.Memory.ActBufferBytes = -5 }},
		{"memory.offchip_bits_per_cycle", func(c *Config) { c.Memory.OffChipBitsPerCycle = -1 }},
		{"precision", func(c *Config) { c.Model = Stripes; c.Precision = "" }},
		{"memory.weight_wires", func(c *Config) { c.Model = BitParallel; c.Memory.WeightWires = 8 }},
	}
	for _, c := range cases {
		cfg := base
		c.edit(&cfg)
		err := cfg.Validate()
		if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.field+":") {
			t.Errorf("%s: err = %v", c.field, err)
		}
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted an invalid configuration", c.field)
		}
	}
	for _, p := range Presets() {
		if err := p.Validate(); err != nil {
			t.Errorf("preset %s: %v", p.Name, err)
		}
	}
}

func TestBadInputs(t *testing.T) {
	cfg, _ := Preset(PresetLac128)
	good := nn.Layer{Name: "c", Kind: nn.KindConv, N: 1, C: 2, H: 3, W: 3, K: 2, R: 1, S: 1, StrideH: 1, StrideW: 1, Groups: 1}
	acts := &quant.Tensor{Codes: make([]int32, 18), Bits: 16, Signed: true}
	wgts := &quant.Tensor{Codes: make([]int32, 4), Bits: 16, Signed: true}
	if _, err := Simulate(cfg, good, acts, wgts); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		l    nn.Layer
		a, w *quant.Tensor
		want string
	}{
		{"short activations", good, &quant.Tensor{Codes: make([]int32, 17), Bits: 16, Signed: true}, wgts, "activations have 17 codes"},
		{"nil weights", good, acts, nil, "missing weights"},
		{"code out of range", good, acts, &quant.Tensor{Codes: []int32{0, 0, 40000, 0}, Bits: 16, Signed: true}, "outside"},
		{"bad bits", good, &quant.Tensor{Codes: make([]int32, 18), Bits: 12}, wgts, "bits"},
		{"zero filters", func() nn.Layer { l := good; l.K = 0; return l }(), acts, wgts, "K = 0"},
		{"unsigned negative", good, acts, &quant.Tensor{Codes: []int32{0, -1, 0, 0}, Bits: 8}, "outside"},
	}
	for _, c := range cases {
		_, err := Simulate(cfg, c.l, c.a, c.w)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}
