package arch

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// randomLayer draws a small layer of the given kind with its tensors.
func randomLayer(rng *rand.Rand, kind nn.LayerKind, bits int) (nn.Layer, *quant.Tensor, *quant.Tensor) {
	l := nn.Layer{Name: fmt.Sprintf("%s-%d", kind, rng.IntN(1000)), Kind: kind, N: 1 + rng.IntN(2), Groups: 1}
	switch kind {
	case nn.KindDense, nn.KindLSTM:
		l.C, l.K, l.H, l.W, l.R, l.S, l.StrideH, l.StrideW = 1+rng.IntN(40), 1+rng.IntN(20), 1, 1, 1, 1, 1, 1
	default:
		l.R, l.S = 1+rng.IntN(3), 1+rng.IntN(3)
		l.StrideH, l.StrideW = 1+rng.IntN(3), 1+rng.IntN(3)
		l.Pad = nn.Pad{Top: rng.IntN(2), Bottom: rng.IntN(3), Left: rng.IntN(2), Right: rng.IntN(3)}
		l.H, l.W = l.R+rng.IntN(6), l.S+rng.IntN(6)
		switch kind {
		case nn.KindConv:
			l.C, l.K = 1+rng.IntN(20), 1+rng.IntN(12)
			if rng.IntN(3) == 0 {
				l.C = 3 // first-layer folding candidates
				l.StrideH, l.StrideW = 2+rng.IntN(3), 2+rng.IntN(3)
				l.H, l.W = l.R+rng.IntN(9), l.S+rng.IntN(9)
			}
		case nn.KindGrouped:
			l.Groups = 2 + rng.IntN(2)
			l.C, l.K = l.Groups*(1+rng.IntN(5)), l.Groups*(1+rng.IntN(5))
		case nn.KindDepthwise:
			l.C = 1 + rng.IntN(12)
			l.Groups, l.K = l.C, l.C*(1+rng.IntN(2))
		}
	}
	signed := bits == 16
	acts := randomCodes(rng, nn.NumElements(l.InputShape()), bits, signed, 0.4)
	acts.Shape = l.InputShape()
	wgts := randomCodes(rng, nn.NumElements(l.WeightShape()), bits, signed, 0.2)
	wgts.Shape = l.WeightShape()
	if !signed && rng.IntN(2) == 0 {
		acts.ZeroPoint = rng.Int32N(256)
		wgts.ZeroPoint = rng.Int32N(256)
	}
	return l, acts, wgts
}

// randomConfig draws a valid configuration of the model.
func randomConfig(rng *rand.Rand, m Model, sync Sync) Config {
	c := DefaultConfig(m)
	c.Name = "rand"
	c.Columns, c.Rows, c.Lanes = 1+rng.IntN(5), 1+rng.IntN(6), 1+rng.IntN(5)
	c.Sync = sync
	c.QueueDepth = rng.IntN(4)
	c.ZeroCost = rng.IntN(2)
	c.FoldFirstLayer = rng.IntN(2) == 0
	encs := terms.Encodings()
	c.Encoding = encs[rng.IntN(len(encs))]
	if rng.IntN(2) == 0 {
		c.Precision = PrecisionDynamic
	} else {
		c.Precision = PrecisionProfiled
	}
	wu, au := c.unitBits(16)
	c.Memory = Memory{}
	if rng.IntN(3) > 0 {
		c.Memory.WeightWires = wu + rng.IntN(40)
	}
	if rng.IntN(3) > 0 {
		c.Memory.ActWires = au + rng.IntN(40)
	}
	if rng.IntN(2) == 0 {
		c.Memory.WeightBufferBytes = int64(rng.IntN(64))
		c.Memory.ActBufferBytes = int64(rng.IntN(64))
		c.Memory.OffChipBitsPerCycle = 1 + rng.IntN(64)
	}
	return c
}

// TestMatchesReference checks the fast engine against the per-multiply
// reference on random small layers: every model, every synchronisation
// mode, every layer kind, strides, padding, groups, batches, folding,
// limited and unlimited interfaces.
func TestMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []nn.LayerKind{nn.KindConv, nn.KindGrouped, nn.KindDepthwise, nn.KindDense, nn.KindLSTM}
	models := []Model{BitParallel, Laconic, Stripes, Pragmatic}
	syncs := []Sync{SyncTile, SyncColumn, SyncLPE, SyncIdeal}
	n := 0
	for iter := 0; iter < 12; iter++ {
		for _, kind := range kinds {
			for _, m := range models {
				for _, s := range syncs {
					bits := 16
					if rng.IntN(3) == 0 {
						bits = 8
					}
					l, acts, wgts := randomLayer(rng, kind, bits)
					cfg := randomConfig(rng, m, s)
					got, err := Simulate(cfg, l, acts, wgts)
					if err != nil {
						t.Fatalf("%s %s %s: %v", kind, m, s, err)
					}
					want := refSim(cfg, l, acts, wgts)
					if g := fromResult(got); g != want {
						t.Fatalf("%s/%s/%s layer %+v\nconfig %s\nfast %+v\nref  %+v", kind, m, s, l, cfg.JSON(), g, want)
					}
					n++
				}
			}
		}
	}
	t.Logf("%d random layer x configuration pairs equal the reference", n)
}

func TestPresetsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, cfg := range Presets() {
		for _, kind := range []nn.LayerKind{nn.KindConv, nn.KindDepthwise, nn.KindDense} {
			l, acts, wgts := randomLayer(rng, kind, 16)
			got, err := Simulate(cfg, l, acts, wgts)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := fromResult(got), refSim(cfg, l, acts, wgts); g != w {
				t.Fatalf("%s %s:\nfast %+v\nref  %+v", cfg.Name, kind, g, w)
			}
		}
	}
}
