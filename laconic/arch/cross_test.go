package arch

import (
	"math/rand/v2"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/terms"
	"github.com/laconiclab/toolkit/laconic/work"
)

// TestWorkMatchesPotential cross-checks the Laconic work (sum over products
// of max(ZeroCost, ta*tw)) against package work's We+Ae potential on the
// same codes, for every encoding and zero-cost convention.
func TestWorkMatchesPotential(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	kinds := []nn.LayerKind{nn.KindConv, nn.KindGrouped, nn.KindDepthwise, nn.KindDense}
	for iter := 0; iter < 24; iter++ {
		kind := kinds[iter%len(kinds)]
		bits := 16
		if iter%3 == 0 {
			bits = 8
		}
		l, a, w := randomLayer(rng, kind, bits)
		a.ZeroPoint, w.ZeroPoint = 0, 0 // package work pads with code 0
		for _, e := range terms.Encodings() {
			for z := 0; z < 2; z++ {
				cfg := randomConfig(rng, Laconic, SyncTile)
				cfg.Encoding, cfg.ZeroCost, cfg.FoldFirstLayer = e, z, false
				r := mustSim(t, cfg, l, a, w)
				o := work.DefaultOptions()
				o.Encoding, o.ZeroCost, o.Bits = e, z, 16
				p, err := work.Compute(work.Layer{Layer: l, Act: a, Wgt: w}, o)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := r.Activity.Work, p.Work(work.WeAe); got != want {
					t.Fatalf("%s %s zero cost %d: arch work %d, work.WeAe %d", kind, e, z, got, want)
				}
				if r.MACs != p.MACs() || r.Activity.Products != p.MACs() {
					t.Fatalf("MACs %d/%d, work %d", r.MACs, r.Activity.Products, p.MACs())
				}
			}
		}
	}
}
