package arch

import (
	"fmt"
	"math/bits"
	"sync"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// checkTensor verifies a quantized tensor's format, length and code range.
func checkTensor(what, layer string, t *quant.Tensor, want int) error {
	if t == nil {
		return fmt.Errorf("arch: layer %q: missing %s tensor", layer, what)
	}
	f := terms.Format{Bits: t.Bits, Signed: t.Signed}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("arch: layer %q: %s: %v", layer, what, err)
	}
	if len(t.Codes) != want {
		return fmt.Errorf("arch: layer %q: %s have %d codes (shape %v), want %d", layer, what, len(t.Codes), t.Shape, want)
	}
	lo, hi := f.Min(), f.Max()
	for i, v := range t.Codes {
		if v < lo || v > hi {
			return fmt.Errorf("arch: layer %q: %s code %d = %d outside the %d-bit %s range [%d, %d]",
				layer, what, i, v, t.Bits, map[bool]string{true: "signed", false: "unsigned"}[t.Signed], lo, hi)
		}
	}
	if t.ZeroPoint < lo || t.ZeroPoint > hi {
		return fmt.Errorf("arch: layer %q: %s zero point %d outside the code range", layer, what, t.ZeroPoint)
	}
	return nil
}

// costFunc maps the codes of one tensor to per-value cycle factors.
type costFunc struct {
	kind  int // costOne, costTerms, costBitLen, costConst
	table *terms.Table
	c     uint8 // costConst value
	sign  bool  // costBitLen: signed codes need a sign bit
	width int   // costBitLen: format width (cap)
}

const (
	costOne = iota
	costTerms
	costBitLen
	costConst
)

func (f costFunc) of(v int32) uint8 {
	switch f.kind {
	case costTerms:
		return uint8(f.table.Count(v))
	case costBitLen:
		if v < 0 {
			v = -v
		}
		p := bits.Len32(uint32(v))
		if f.sign {
			p = min(p+1, f.width)
		}
		return uint8(p)
	case costConst:
		return f.c
	}
	return 1
}

// fill writes the cost of every code of src into dst.
func (f costFunc) fill(dst []uint8, src []int32) {
	switch f.kind {
	case costTerms:
		// Codes were range-checked: CountInt32 cannot fail.
		if err := f.table.CountInt32(dst, src); err != nil {
			panic(err)
		}
	default:
		for i, v := range src {
			dst[i] = f.of(v)
		}
	}
}

// costData is a layer's cost factors for one cost function pair: the
// per-value cycle factors of the padded (and possibly folded) activations
// and of the weights, and the loop-nest geometry. It depends on the
// configuration only through the cost functions and the fold flag, so a
// sweep computes it once per layer for every configuration that shares them.
type costData struct {
	N, C, H, W int // input after padding (and folding)
	K, Cg      int // filters, channels per group
	R, S       int
	G, Kg      int // groups, filters per group
	SH, SW     int
	OH, OW     int
	folded     bool

	fa []uint8 // N*C*H*W (dense: N*C); nil when constCost on a convolution
	fw []uint8 // K*Cg*R*S (dense: K*C); nil when constCost on a convolution

	constCost bool  // every fa and every fw is the same value
	ca, cw    uint8 // those values when constCost

	wFilterSum []int64 // sum of fw over each filter's (unfolded) weights
	gSum, gNZ  []int64 // groupWeightSums, computed on first use
	gOnce      sync.Once
}

// prep is a layer made ready for one configuration.
type prep struct {
	*costData
	cfg   Config
	layer nn.Layer
	p     int // operand bits
	dense bool
	z     uint32 // zero cost

	kA, kW int64 // wire bits per unit of fa / fw

	inBits  int64 // P x input values
	outBits int64 // P x output values
}

// costKey identifies a costData.
type costKey struct {
	model     Model
	enc       terms.Encoding
	precision Precision
	fold      bool
	skipConst bool // constCost convolutions need no arrays
}

// layerCache holds the validated operands of one layer and its costData
// per costKey; it is safe for concurrent use.
type layerCache struct {
	layer      nn.Layer
	acts, wgts *quant.Tensor
	checkOnce  sync.Once
	checkErr   error
	mu         sync.Mutex
	costs      map[costKey]*costEntry
}

type costEntry struct {
	once sync.Once
	cd   *costData
	err  error
}

func newLayerCache(layer nn.Layer, acts, wgts *quant.Tensor) *layerCache {
	return &layerCache{layer: layer, acts: acts, wgts: wgts, costs: map[costKey]*costEntry{}}
}

func (lc *layerCache) check() error {
	lc.checkOnce.Do(func() {
		l := lc.layer
		if err := l.Validate(); err != nil {
			lc.checkErr = fmt.Errorf("arch: %w", err)
			return
		}
		if err := checkTensor("activations", l.Name, lc.acts, nn.NumElements(l.InputShape())); err != nil {
			lc.checkErr = err
			return
		}
		lc.checkErr = checkTensor("weights", l.Name, lc.wgts, nn.NumElements(l.WeightShape()))
	})
	return lc.checkErr
}

// prepare validates the layer and tensors against the configuration and
// returns the layer made ready for it.
func (lc *layerCache) prepare(cfg Config) (*prep, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := lc.check(); err != nil {
		return nil, err
	}
	layer, acts, wgts := lc.layer, lc.acts, lc.wgts
	dense := layer.Kind == nn.KindDense || layer.Kind == nn.KindLSTM
	p := max(acts.Bits, wgts.Bits)
	wu, au := cfg.unitBits(p)
	if w := cfg.Memory.WeightWires; w > 0 && w < wu {
		return nil, fmt.Errorf("%w %s: memory.weight_wires: %d wires cannot carry one %d-bit weight unit of layer %q", ErrConfig, cfg.Name, w, wu, layer.Name)
	}
	if a := cfg.Memory.ActWires; a > 0 && a < au {
		return nil, fmt.Errorf("%w %s: memory.act_wires: %d wires cannot carry one %d-bit activation unit of layer %q", ErrConfig, cfg.Name, a, au, layer.Name)
	}
	pr := &prep{cfg: cfg, layer: layer, p: p, dense: dense, z: uint32(cfg.ZeroCost)}
	tb := int64(termBits(p))
	switch cfg.Model {
	case BitParallel:
		pr.kA, pr.kW = int64(p), int64(p)
	case Stripes:
		pr.kA, pr.kW = 1, int64(p)
	case Pragmatic:
		pr.kA, pr.kW = tb, int64(p)
	case Laconic:
		pr.kA, pr.kW = tb, tb
	}
	pr.inBits = int64(p) * int64(len(acts.Codes))
	if dense {
		pr.outBits = int64(p) * int64(layer.N) * int64(layer.K)
	} else {
		pr.outBits = int64(p) * int64(layer.N) * int64(layer.K) * int64(layer.OutH()) * int64(layer.OutW())
	}

	key := costKey{model: cfg.Model, fold: cfg.FoldFirstLayer && !dense}
	switch cfg.Model {
	case Laconic, Pragmatic:
		key.enc = cfg.Encoding
	case Stripes:
		key.precision = cfg.Precision
	}
	constant := cfg.Model == BitParallel || (cfg.Model == Stripes && cfg.Precision == PrecisionProfiled)
	key.skipConst = constant && !dense && (cfg.Sync == SyncTile || cfg.Sync == SyncIdeal)
	lc.mu.Lock()
	e := lc.costs[key]
	if e == nil {
		e = &costEntry{}
		lc.costs[key] = e
	}
	lc.mu.Unlock()
	e.once.Do(func() { e.cd, e.err = computeCosts(cfg, layer, acts, wgts, key) })
	if e.err != nil {
		return nil, e.err
	}
	pr.costData = e.cd
	return pr, nil
}

// computeCosts builds the costData of a layer for a cost key.
func computeCosts(cfg Config, layer nn.Layer, acts, wgts *quant.Tensor, key costKey) (*costData, error) {
	fA, fW, err := costFuncs(cfg, acts, wgts)
	if err != nil {
		return nil, fmt.Errorf("arch: layer %q: %w", layer.Name, err)
	}
	cd := &costData{}
	if fA.kind != costTerms && fA.kind != costBitLen && (fW.kind == costOne || fW.kind == costConst) {
		cd.constCost = true
		cd.ca, cd.cw = fA.of(0), fW.of(0)
	}
	wshape := layer.WeightShape()
	per := nn.NumElements(wshape) / wshape[0]
	cd.wFilterSum = make([]int64, wshape[0])

	if layer.Kind == nn.KindDense || layer.Kind == nn.KindLSTM {
		cd.N, cd.C, cd.H, cd.W = layer.N, layer.C, 1, 1
		cd.K, cd.Cg, cd.R, cd.S, cd.G, cd.Kg = layer.K, layer.C, 1, 1, 1, layer.K
		cd.SH, cd.SW, cd.OH, cd.OW = 1, 1, 1, 1
	} else {
		l := layer
		cd.N, cd.C, cd.H, cd.W = l.N, l.C, l.H+l.Pad.Top+l.Pad.Bottom, l.W+l.Pad.Left+l.Pad.Right
		cd.K, cd.G = l.K, l.Groups
		cd.Cg, cd.Kg = l.C/l.Groups, l.K/l.Groups
		cd.R, cd.S, cd.SH, cd.SW = l.R, l.S, l.StrideH, l.StrideW
		cd.OH, cd.OW = l.OutH(), l.OutW()
	}
	fold := key.fold && layer.C == 3 && layer.Groups == 1 && (layer.StrideH > 1 || layer.StrideW > 1)

	if cd.constCost && key.skipConst {
		for f := range cd.wFilterSum {
			cd.wFilterSum[f] = int64(per) * int64(cd.cw)
		}
		if fold {
			cd.foldGeometry()
		}
		return cd, nil
	}

	faOrig := make([]uint8, len(acts.Codes))
	fA.fill(faOrig, acts.Codes)
	fw := make([]uint8, len(wgts.Codes))
	fW.fill(fw, wgts.Codes)
	for f := range cd.wFilterSum {
		var s int64
		for _, v := range fw[f*per : (f+1)*per] {
			s += int64(v)
		}
		cd.wFilterSum[f] = s
	}
	cd.fw = fw
	if layer.Kind == nn.KindDense || layer.Kind == nn.KindLSTM {
		cd.fa = faOrig
		return cd, nil
	}

	// Pad the activation costs.
	l := layer
	hp, wp := cd.H, cd.W
	padA := fA.of(acts.ZeroPoint)
	fa := make([]uint8, l.N*l.C*hp*wp)
	if padA != 0 {
		for i := range fa {
			fa[i] = padA
		}
	}
	for n := 0; n < l.N; n++ {
		for c := 0; c < l.C; c++ {
			for h := 0; h < l.H; h++ {
				src := ((n*l.C+c)*l.H + h) * l.W
				dst := ((n*l.C+c)*hp+h+l.Pad.Top)*wp + l.Pad.Left
				copy(fa[dst:dst+l.W], faOrig[src:src+l.W])
			}
		}
	}
	cd.fa = fa
	if fold {
		cd.fold(padA, fW.of(wgts.ZeroPoint))
	}
	return cd, nil
}

// foldGeometry applies the geometry change of fold without any data.
func (cd *costData) foldGeometry() {
	sh, sw := cd.SH, cd.SW
	cd.C, cd.Cg = cd.C*sh*sw, cd.C*sh*sw
	cd.H, cd.W = ceilDiv(cd.H, sh), ceilDiv(cd.W, sw)
	cd.R, cd.S = ceilDiv(cd.R, sh), ceilDiv(cd.S, sw)
	cd.SH, cd.SW = 1, 1
	cd.OH, cd.OW = cd.H-cd.R+1, cd.W-cd.S+1
	cd.folded = true
}

// fold applies DNNsim's first-layer transformation to the padded cost
// tensors: a C-channel input with strides sh, sw becomes a stride-1 input
// of C*sh*sw channels, ceil(H/sh) x ceil(W/sw) positions, and the kernel
// becomes ceil(R/sh) x ceil(S/sw). Element (k, i, j) moves to channel
// (j%sw)*sh*C + (i%sh)*C + k at (i/sh, j/sw); uncovered positions hold the
// cost of a zero.
func (cd *costData) fold(padA, padW uint8) {
	sh, sw, c := cd.SH, cd.SW, cd.C
	h0, w0, r0, s0 := cd.H, cd.W, cd.R, cd.S
	oldA, oldW := cd.fa, cd.fw
	cd.foldGeometry()
	nc, nh, nw, nr, ns := cd.C, cd.H, cd.W, cd.R, cd.S
	fa := make([]uint8, cd.N*nc*nh*nw)
	if padA != 0 {
		for i := range fa {
			fa[i] = padA
		}
	}
	for n := 0; n < cd.N; n++ {
		for k := 0; k < c; k++ {
			for i := 0; i < h0; i++ {
				for j := 0; j < w0; j++ {
					ck := (j%sw)*sh*c + (i%sh)*c + k
					fa[((n*nc+ck)*nh+i/sh)*nw+j/sw] = oldA[((n*c+k)*h0+i)*w0+j]
				}
			}
		}
	}
	fw := make([]uint8, cd.K*nc*nr*ns)
	if padW != 0 {
		for i := range fw {
			fw[i] = padW
		}
	}
	for f := 0; f < cd.K; f++ {
		for k := 0; k < c; k++ {
			for i := 0; i < r0; i++ {
				for j := 0; j < s0; j++ {
					ck := (j%sw)*sh*c + (i%sh)*c + k
					fw[((f*nc+ck)*nr+i/sh)*ns+j/sw] = oldW[((f*c+k)*r0+i)*s0+j]
				}
			}
		}
	}
	cd.fa, cd.fw = fa, fw
}

func costFuncs(cfg Config, acts, wgts *quant.Tensor) (fA, fW costFunc, err error) {
	table := func(t *quant.Tensor) (*terms.Table, error) {
		return terms.SharedTable(cfg.Encoding, terms.Format{Bits: t.Bits, Signed: t.Signed})
	}
	switch cfg.Model {
	case BitParallel:
		return costFunc{kind: costOne}, costFunc{kind: costOne}, nil
	case Laconic:
		ta, err := table(acts)
		if err != nil {
			return fA, fW, err
		}
		tw, err := table(wgts)
		if err != nil {
			return fA, fW, err
		}
		return costFunc{kind: costTerms, table: ta}, costFunc{kind: costTerms, table: tw}, nil
	case Pragmatic:
		ta, err := table(acts)
		if err != nil {
			return fA, fW, err
		}
		return costFunc{kind: costTerms, table: ta}, costFunc{kind: costOne}, nil
	case Stripes:
		bl := costFunc{kind: costBitLen, sign: acts.Signed, width: acts.Bits}
		if cfg.Precision == PrecisionDynamic {
			return bl, costFunc{kind: costOne}, nil
		}
		var pa uint8
		for _, v := range acts.Codes {
			pa = max(pa, bl.of(v))
		}
		return costFunc{kind: costConst, c: pa}, costFunc{kind: costOne}, nil
	}
	return fA, fW, fmt.Errorf("unknown model %q", cfg.Model)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func ceilDiv64(a, b int64) int64 {
	if b <= 0 {
		return 0
	}
	return (a + b - 1) / b
}
