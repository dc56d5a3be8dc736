package work

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/laconiclab/toolkit/laconic/quant"
	"github.com/laconiclab/toolkit/laconic/terms"
)

// Compute returns the potential work of every scheme for one layer, and the
// characterisation of its activation and weight codes.
//
// Multiplies are those of Layer.MACs(): every output position of every
// filter times every input channel of its group and kernel offset, padded
// positions included. A padded position is a zero activation (code 0): it
// has no terms, precision 0, is skipped by the zero-skipping schemes and,
// with ZeroCost 1, costs one step like any zero operand. For affine codes
// this means padding is code 0, not the zero point: the accelerator is
// assumed never to fetch padded positions.
//
// The result is exact (int64 arithmetic) and independent of how many
// goroutines compute it: each scheme is a sum over the multiplies of
// f(a)*g(w), computed per input channel and kernel offset as (sum of g
// over the group's filters) x (windowed, strided sum of f over the output
// positions), about activations x kernel area + weights operations instead
// of one per multiply.
func Compute(l Layer, o Options) (LayerResult, error) {
	return ComputeContext(context.Background(), l, o)
}

// ComputeContext is Compute with cancellation, checked between channels.
func ComputeContext(ctx context.Context, l Layer, o Options) (LayerResult, error) {
	if err := o.Validate(); err != nil {
		return LayerResult{}, err
	}
	g, err := l.check(o)
	if err != nil {
		return LayerResult{}, err
	}
	af, wf := format(l.Act), format(l.Wgt)
	alut, err := lutFor(o.Encoding, af)
	if err != nil {
		return LayerResult{}, err
	}
	wlut, err := lutFor(o.Encoding, wf)
	if err != nil {
		return LayerResult{}, err
	}
	name := l.Layer.Name
	r := LayerResult{Name: name, Kind: l.Layer.Kind, Options: o,
		ActQuant: quantName(l.Act), WgtQuant: quantName(l.Wgt)}

	procs := runtime.GOMAXPROCS(0)
	// Weights: per-channel sums over filters, histogram, group precisions.
	wp, err := weightPass(ctx, l, g, o.Group, wlut.counts, procs)
	if err != nil {
		return LayerResult{}, err
	}
	defer putHist(wp.hist)
	if r.Wgt, err = statsFromHist(wp.hist, wf); err != nil {
		return LayerResult{}, err
	}
	r.Wgt.Groups, r.Wgt.GroupPrecisionSum = wp.groups, wp.gpSum

	// Activations: dynamic precision of every group (n, channel group, y, x).
	workers := min(procs, g.C)
	pg, groups, pgSum := groupPrecisions(l.Act.Codes, g.N, g.C, g.H*g.W, o.Group, af, workers)

	e := &engine{g: g, act: l.Act.Codes, pg: pg, group: o.Group, alo: af.Min(), alut: alut.counts, gnz: wp.gnz, gt: wp.gt}
	parts := make([]partial, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range parts {
		wg.Add(1)
		go func(p *partial) {
			defer wg.Done()
			e.init(p)
			for {
				c := int(next.Add(1) - 1)
				if c >= g.C || p.bad {
					return
				}
				if c%16 == 0 && ctx.Err() != nil {
					return
				}
				e.channel(p, c)
			}
		}(&parts[w])
	}
	wg.Wait()
	ahist := parts[0].ahist
	defer putHist(ahist)
	for i := range parts {
		p := &parts[i]
		if i > 0 {
			for j, v := range p.ahist {
				ahist[j] += v
			}
			putHist(p.ahist)
		}
		if p.bad {
			return LayerResult{}, codeError(l)
		}
		r.Sums.add(p.sums)
	}
	if err := ctx.Err(); err != nil {
		return LayerResult{}, err
	}
	r.Sums.MACs = l.Layer.MACs()
	if r.Act, err = statsFromHist(ahist, af); err != nil {
		return LayerResult{}, err
	}
	r.Act.Groups, r.Act.GroupPrecisionSum = groups, pgSum

	r.ActPrecision, r.actProfiled = l.ActPrecision, l.ActPrecision == 0
	if r.actProfiled {
		r.ActPrecision = r.Act.Precision
	}
	r.WgtPrecision, r.wgtProfiled = l.WgtPrecision, l.WgtPrecision == 0
	if r.wgtProfiled {
		r.WgtPrecision = r.Wgt.Precision
	}
	return r, nil
}

func quantName(t *quant.Tensor) string {
	if t.Scheme == "fixed16" {
		return fmt.Sprintf("%s(%d:%d)", t.Scheme, t.Mag, t.Frac)
	}
	if t.Scheme == "" {
		return fmt.Sprintf("int%d", t.Bits)
	}
	return string(t.Scheme)
}

// codeError finds the first code outside its format's range (slow path,
// only taken when the fast path saw one).
func codeError(l Layer) error {
	for _, x := range []struct {
		field string
		t     *quant.Tensor
	}{{"activations", l.Act}, {"weights", l.Wgt}} {
		f := format(x.t)
		for i, v := range x.t.Codes {
			if v < f.Min() || v > f.Max() {
				return fmt.Errorf("work: layer %q: %s: code %d at element %d outside the %d-bit %s range [%d, %d]",
					l.Layer.Name, x.field, v, i, f.Bits, signedness(f), f.Min(), f.Max())
			}
		}
	}
	return fmt.Errorf("work: layer %q: code outside its format's range", l.Layer.Name)
}

func signedness(f terms.Format) string {
	if f.Signed {
		return "signed"
	}
	return "unsigned"
}

// groupPrecisions returns the dynamic precision of every group of `group`
// consecutive channels at the same (n, y, x), laid out (n, group, y, x),
// with the number of groups and the sum of their precisions.
func groupPrecisions(codes []int32, n, c, hw, group int, f terms.Format, workers int) ([]uint8, int64, int64) {
	ng := (c + group - 1) / group
	pg := make([]uint8, n*ng*hw)
	items := n * ng
	sums := make([]int64, max(1, workers))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range sums {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			or := make([]uint32, hw)
			for {
				it := int(next.Add(1) - 1)
				if it >= items {
					return
				}
				b, gi := it/ng, it%ng
				clear(or)
				for ch := gi * group; ch < min(c, (gi+1)*group); ch++ {
					src := codes[(b*c+ch)*hw : (b*c+ch+1)*hw]
					if f.Signed {
						for i, v := range src {
							or[i] |= magnitude(v, true)
						}
					} else {
						for i, v := range src {
							or[i] |= uint32(v)
						}
					}
				}
				dst := pg[it*hw : (it+1)*hw]
				var s int64
				for i, m := range or {
					p := Precision(m, f)
					dst[i] = uint8(p)
					s += int64(p)
				}
				sums[w] += s
			}
		}(w)
	}
	wg.Wait()
	var total int64
	for _, s := range sums {
		total += s
	}
	return pg, int64(items * hw), total
}

// weightResult is what the weight pass gathers.
type weightResult struct {
	gnz, gt       []int64 // per input channel and kernel offset (C x R*S)
	hist          []int64 // histogram of the codes
	groups, gpSum int64   // weight groups and the sum of their precisions
}

// weightPass walks the weights once, in memory order, filters spread over
// the goroutines: it sums nz(w) and tw over the filters of each channel's
// group, builds the code histogram and the dynamic precision of every group
// of `group` consecutive input channels of one filter at one kernel offset.
func weightPass(ctx context.Context, l Layer, g geom, group int, wlut []uint8, procs int) (weightResult, error) {
	codes := l.Wgt.Codes
	f := format(l.Wgt)
	lo, span := f.Min(), uint32(len(wlut))
	workers := max(1, min(procs, g.K))
	type part struct {
		gnz, gt       []int32
		hist          []int64
		groups, gpSum int64
		bad           bool
	}
	parts := make([]part, workers)
	chunk := max(1, g.K/(8*workers))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range parts {
		wg.Add(1)
		go func(p *part) {
			defer wg.Done()
			p.gnz, p.gt = make([]int32, g.C*g.RS), make([]int32, g.C*g.RS)
			p.hist = getHist(len(wlut))
			or := make([]uint32, g.RS)
			for {
				k0 := int(next.Add(int64(chunk))) - chunk
				if k0 >= g.K || p.bad || ctx.Err() != nil {
					return
				}
				for k := k0; k < min(g.K, k0+chunk); k++ {
					row := codes[k*g.Cg*g.RS : (k+1)*g.Cg*g.RS]
					c0 := (k / g.Kg) * g.Cg * g.RS
					gnz, gt := p.gnz[c0:c0+len(row)], p.gt[c0:c0+len(row)]
					for i, v := range row {
						idx := uint32(v - lo)
						if idx >= span {
							p.bad = true
							return
						}
						p.hist[idx]++
						c := int32(wlut[idx])
						gt[i] += c
						gnz[i] += nonZero(c) // an operand is zero when it has no terms
					}
					for ch0 := 0; ch0 < g.Cg; ch0 += group {
						clear(or)
						for ch := ch0; ch < min(g.Cg, ch0+group); ch++ {
							for i, v := range row[ch*g.RS : (ch+1)*g.RS] {
								or[i] |= magnitude(v, f.Signed)
							}
						}
						for _, m := range or {
							p.gpSum += int64(Precision(m, f))
						}
						p.groups += int64(g.RS)
					}
				}
			}
		}(&parts[w])
	}
	wg.Wait()
	res := weightResult{gnz: make([]int64, g.C*g.RS), gt: make([]int64, g.C*g.RS), hist: parts[0].hist}
	bad := false
	for i := range parts {
		p := &parts[i]
		bad = bad || p.bad
		for j := range res.gnz {
			res.gnz[j] += int64(p.gnz[j])
			res.gt[j] += int64(p.gt[j])
		}
		if i > 0 {
			for j, v := range p.hist {
				res.hist[j] += v
			}
			putHist(p.hist)
		}
		res.groups += p.groups
		res.gpSum += p.gpSum
	}
	if bad {
		putHist(res.hist)
		return res, codeError(l)
	}
	if err := ctx.Err(); err != nil {
		putHist(res.hist)
		return res, err
	}
	return res, nil
}

// nonZero is 1 for v != 0 and 0 for v == 0, without a branch.
func nonZero(v int32) int32 { return int32(uint32(v|-v) >> 31) }

// Histogram buffers are reused: a 16-bit histogram is 512 KiB.
var histPool = map[int]*sync.Pool{}
var histPoolMu sync.Mutex

func getHist(n int) []int64 {
	histPoolMu.Lock()
	p, ok := histPool[n]
	if !ok {
		p = &sync.Pool{New: func() any { h := make([]int64, n); return &h }}
		histPool[n] = p
	}
	histPoolMu.Unlock()
	return *p.Get().(*[]int64)
}

func putHist(h []int64) {
	clear(h)
	histPoolMu.Lock()
	p := histPool[len(h)]
	histPoolMu.Unlock()
	if p != nil {
		p.Put(&h)
	}
}

// engine computes the sums channel by channel.
type engine struct {
	g     geom
	act   []int32
	pg    []uint8
	group int
	alo   int32
	alut  []uint8
	// gnz and gt hold, per input channel c and kernel offset, the sums of
	// nz(w) and tw over the filters of c's group (C x R*S).
	gnz, gt []int64
}

// partial is one goroutine's buffers and partial sums.
type partial struct {
	sums  Sums
	ahist []int64
	bad   bool
	// planes of the padded input (Hu x Wu), summed over the batch: nz(a),
	// ta, pg, [pg > 0].
	nz, t, pg, pgnz []int32
	fnz, ft, fpg    []int64 // windowed sums per kernel offset
	fpgnz           []int64
	win             windower
}

func (e *engine) init(p *partial) {
	g := e.g
	p.ahist = getHist(len(e.alut))
	if !g.whole {
		n := g.Hu * g.Wu
		p.nz, p.t, p.pg, p.pgnz = make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
		p.win = newWindower(g)
	}
	p.fnz, p.ft, p.fpg, p.fpgnz = make([]int64, g.RS), make([]int64, g.RS), make([]int64, g.RS), make([]int64, g.RS)
}

// channel adds input channel c's contribution to p.
func (e *engine) channel(p *partial, c int) {
	g := e.g
	if g.whole {
		e.wholeSums(p, c)
	} else {
		e.planes(p, c)
		p.win.sums(p.nz, p.fnz)
		p.win.sums(p.t, p.ft)
		p.win.sums(p.pg, p.fpg)
		p.win.sums(p.pgnz, p.fpgnz)
	}
	if p.bad {
		return
	}
	gnz, gt := e.gnz[c*g.RS:(c+1)*g.RS], e.gt[c*g.RS:(c+1)*g.RS]
	pos := int64(g.N) * int64(g.OH) * int64(g.OW) // positions each kernel offset visits
	kg := int64(g.Kg)
	s := &p.sums
	var snz, st, spg, spgnz, sgnz, sgt int64
	for i := 0; i < g.RS; i++ {
		s.BothNonZero += p.fnz[i] * gnz[i]
		s.ActTermsWgtNZ += p.ft[i] * gnz[i]
		s.TermPairs += p.ft[i] * gt[i]
		snz += p.fnz[i]
		st += p.ft[i]
		spg += p.fpg[i]
		spgnz += p.fpgnz[i]
		sgnz += gnz[i]
		sgt += gt[i]
	}
	s.ActNonZero += kg * snz
	s.ActTerms += kg * st
	s.GroupPrec += kg * spg
	s.GroupPrecZero += kg * (int64(g.RS)*pos - spgnz)
	s.WgtNonZero += pos * sgnz
	s.WgtTerms += pos * sgt
}

// wholeSums handles layers whose single kernel offset visits every input
// position once (1x1 stride 1 without padding, dense): the windowed sums are
// the channel's totals.
func (e *engine) wholeSums(p *partial, c int) {
	g := e.g
	hw := g.H * g.W
	span := uint32(len(e.alut))
	var nz, t, pg, pgnz int64
	for n := 0; n < g.N; n++ {
		row := e.act[(n*g.C+c)*hw : (n*g.C+c+1)*hw]
		prow := e.pg[(n*((g.C+e.group-1)/e.group)+c/e.group)*hw:][:hw]
		for i, v := range row {
			idx := uint32(v - e.alo)
			if idx >= span {
				p.bad = true
				return
			}
			p.ahist[idx]++
			c := int32(e.alut[idx])
			t += int64(c)
			nz += int64(nonZero(c))
			q := prow[i]
			pg += int64(q)
			pgnz += int64(nonZero(int32(q)))
		}
	}
	p.fnz[0], p.ft[0], p.fpg[0], p.fpgnz[0] = nz, t, pg, pgnz
}

// planes fills the padded planes of channel c, summed over the batch.
func (e *engine) planes(p *partial, c int) {
	g := e.g
	clear(p.nz)
	clear(p.t)
	clear(p.pg)
	clear(p.pgnz)
	hw := g.H * g.W
	ng := (g.C + e.group - 1) / e.group
	span := uint32(len(e.alut))
	xmax := min(g.W, g.Wu-g.pl) // columns beyond never meet a weight
	for n := 0; n < g.N; n++ {
		base := (n*g.C + c) * hw
		pbase := (n*ng + c/e.group) * hw
		for y := 0; y < g.H; y++ {
			row := e.act[base+y*g.W : base+(y+1)*g.W]
			py := y + g.pt
			lo := 0
			if py < g.Hu && xmax > 0 {
				prow := e.pg[pbase+y*g.W : pbase+y*g.W+xmax]
				off := py*g.Wu + g.pl
				nzr, tr, pgr, pgnzr := p.nz[off:off+xmax], p.t[off:off+xmax], p.pg[off:off+xmax], p.pgnz[off:off+xmax]
				for x, v := range row[:xmax] {
					idx := uint32(v - e.alo)
					if idx >= span {
						p.bad = true
						return
					}
					p.ahist[idx]++
					c := int32(e.alut[idx])
					tr[x] += c
					nzr[x] += nonZero(c)
					q := prow[x]
					pgr[x] += int32(q)
					pgnzr[x] += nonZero(int32(q))
				}
				lo = xmax
			}
			for _, v := range row[lo:] { // positions no window reaches
				idx := uint32(v - e.alo)
				if idx >= span {
					p.bad = true
					return
				}
				p.ahist[idx]++
			}
		}
	}
}

// windower computes, for every kernel offset (r, s), the sum of a padded
// plane over the positions (r + i*sh, s + j*sw), i < OH, j < OW, with
// per-residue prefix sums: first along each row for every s, then down the
// columns for every r.
type windower struct {
	g    geom
	pre  []int64 // row prefix sums by residue, len Wu + sw
	x    []int64 // Hu x S row sums
	prey []int64 // column prefix sums by residue, len Hu + sh
}

func newWindower(g geom) windower {
	return windower{g: g, pre: make([]int64, g.Wu+g.sw), x: make([]int64, g.Hu*g.S), prey: make([]int64, g.Hu+g.sh)}
}

func (w *windower) sums(plane []int32, out []int64) {
	g := w.g
	pre, sw, S, ow := w.pre, g.sw, g.S, g.OW*g.sw
	for y := 0; y < g.Hu; y++ {
		row := plane[y*g.Wu : (y+1)*g.Wu]
		clear(pre[:sw])
		for x, v := range row {
			pre[x+sw] = pre[x] + int64(v)
		}
		xr := w.x[y*S : (y+1)*S]
		for s := range xr {
			xr[s] = pre[s+ow] - pre[s]
		}
	}
	prey, sh, oh := w.prey, g.sh, g.OH*g.sh
	for s := 0; s < S; s++ {
		clear(prey[:sh])
		for y := 0; y < g.Hu; y++ {
			prey[y+sh] = prey[y] + w.x[y*S+s]
		}
		for r := 0; r < g.R; r++ {
			out[r*S+s] = prey[r+oh] - prey[r]
		}
	}
}
