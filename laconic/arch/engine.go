package arch

// tally accumulates a layer's simulation.
type tally struct {
	steps      int64 // loop-nest steps (conv) or work items (dense)
	cycles     int64 // on-chip cycles
	peCycles   int64 // cycles summed over the PEs that compute
	wBits      int64 // weight-interface (weight buffer read) bits
	aBits      int64 // activation-interface (activation buffer read) bits
	xSum       int64 // transfer cycles summed over steps
	pairs      int64 // sum over products of fa*fw
	nzProducts int64 // products with fa*fw > 0
	products   int64 // products processed (folded geometry)
}

// xfer returns the cycles needed to move wbits and abits over the
// configured interfaces (0 wires = unlimited).
func (pr *prep) xfer(wbits, abits int64) int64 {
	m := pr.cfg.Memory
	return max(ceilDiv64(wbits, int64(m.WeightWires)), ceilDiv64(abits, int64(m.ActWires)))
}

// queue is the decoupled-unit recurrence shared by SyncColumn and SyncLPE
// (and, with one unit and depth 0, SyncTile). For step s with transfer
// time x[s] and unit costs c[u][s]:
//
//	b[s] = max(a[s-1], max_u start[u][s-D])      (D >= 1)
//	b[s] = max(a[s-1], max_u finish[u][s-1])     (D == 0)
//	a[s] = b[s] + x[s]
//	start[u][s]  = max(finish[u][s-1], b[s])
//	finish[u][s] = max(start[u][s] + c[u][s], a[s])
//
// b is when the operands of step s start to stream over the interfaces, a
// when the last of them arrives. A unit holds the operands of the step it
// computes plus D queued steps; the broadcast of step s waits until every
// unit has started step s-D (a queue slot is free).
type queue struct {
	d          int
	fin        []int64
	ring       []int64
	aPrev      int64
	maxFinPrev int64
	s          int64
}

func newQueue(units, depth int) *queue {
	q := &queue{d: depth, fin: make([]int64, units)}
	if depth > 0 {
		q.ring = make([]int64, depth)
	}
	return q
}

func (q *queue) step(costs []uint32, x int64) {
	b := q.aPrev
	if q.d == 0 {
		b = max(b, q.maxFinPrev)
	} else if q.s >= int64(q.d) {
		b = max(b, q.ring[q.s%int64(q.d)])
	}
	a := b + x
	var maxStart, maxFin int64
	for u, c := range costs {
		st := max(q.fin[u], b)
		f := max(st+int64(c), a)
		q.fin[u] = f
		maxStart = max(maxStart, st)
		maxFin = max(maxFin, f)
	}
	if q.d > 0 {
		q.ring[q.s%int64(q.d)] = maxStart
	}
	q.aPrev = a
	q.maxFinPrev = maxFin
	q.s++
}

func (q *queue) total() int64 { return q.maxFinPrev }

// fgroup describes one filter group (Rows consecutive filters).
type fgroup struct {
	f0, f1 int     // filters [f0, f1)
	g0, ng int     // conv groups spanned: [g0, g0+ng)
	mw     []uint8 // [(j*RS+rs)*Cg + k]: max fw over the group's filters of conv group g0+j
	ws     []int64 // [rs*CG + cg]: sum of fw over the group's filters and the lanes of cg
}

func (pr *prep) filterGroups() []fgroup {
	rows, lanes := pr.cfg.Rows, pr.cfg.Lanes
	rs := pr.R * pr.S
	cgN := ceilDiv(pr.Cg, lanes)
	per := pr.Cg * rs
	var out []fgroup
	for f0 := 0; f0 < pr.K; f0 += rows {
		f1 := min(f0+rows, pr.K)
		g0 := f0 / pr.Kg
		ng := (f1-1)/pr.Kg - g0 + 1
		fg := fgroup{f0: f0, f1: f1, g0: g0, ng: ng, mw: make([]uint8, ng*rs*pr.Cg), ws: make([]int64, rs*cgN)}
		for f := f0; f < f1; f++ {
			j := f/pr.Kg - g0
			w := pr.fw[f*per : (f+1)*per] // [k][r][s]
			for k := 0; k < pr.Cg; k++ {
				for q := 0; q < rs; q++ {
					v := w[k*rs+q]
					i := (j*rs+q)*pr.Cg + k
					if v > fg.mw[i] {
						fg.mw[i] = v
					}
					fg.ws[q*cgN+k/lanes] += int64(v)
				}
			}
		}
		out = append(out, fg)
	}
	return out
}

// groupWeightSums returns, per conv group g, position rs and channel k, the
// sum of fw over the group's filters and the number of non-zero fw:
// index (g*RS+rs)*Cg + k. They are computed once per costData.
func (pr *prep) groupWeightSums() (sum, nz []int64) {
	pr.gOnce.Do(func() { pr.gSum, pr.gNZ = pr.computeGroupWeightSums() })
	return pr.gSum, pr.gNZ
}

func (pr *prep) computeGroupWeightSums() (sum, nz []int64) {
	rs := pr.R * pr.S
	per := pr.Cg * rs
	sum = make([]int64, pr.G*rs*pr.Cg)
	nz = make([]int64, len(sum))
	for f := 0; f < pr.K; f++ {
		g := f / pr.Kg
		w := pr.fw[f*per : (f+1)*per]
		for k := 0; k < pr.Cg; k++ {
			for q := 0; q < rs; q++ {
				v := w[k*rs+q]
				i := (g*rs+q)*pr.Cg + k
				sum[i] += int64(v)
				if v != 0 {
					nz[i]++
				}
			}
		}
	}
	return sum, nz
}

// windowBases fills bases with the input offsets (within one channel plane)
// of windows [w0, w0+len(bases)) in raster order.
func (pr *prep) windowBases(bases []int, w0 int) {
	for i := range bases {
		w := w0 + i
		oh, ow := w/pr.OW, w%pr.OW
		bases[i] = oh*pr.SH*pr.W + ow*pr.SW
	}
}

// workFactorized adds to t the products, term pairs and non-zero products
// of one sample from its per-(channel, position) activation sums over all
// windows: every window meets every filter of its conv group, so
// sum_products fa*fw = sum_{g,k,rs} (sum_windows fa) * (sum_filters fw).
func (pr *prep) workFactorized(t *tally, saAll, nzAll []int64, wsum, wnz []int64) {
	rs := pr.R * pr.S
	for g := 0; g < pr.G; g++ {
		for q := 0; q < rs; q++ {
			for k := 0; k < pr.Cg; k++ {
				c := g*pr.Cg + k
				i := (g*rs+q)*pr.Cg + k
				t.pairs += saAll[q*pr.C+c] * wsum[i]
				t.nzProducts += nzAll[q*pr.C+c] * wnz[i]
			}
		}
	}
	t.products += int64(pr.K) * int64(pr.OH*pr.OW) * int64(pr.Cg) * int64(rs)
}

// segment is a run of windows of one output row: the input offset of the
// first and how many there are (consecutive windows are SW apart).
type segment struct{ base, n int }

// segments splits windows [w0, w0+n) into runs of one output row.
func (pr *prep) segments(dst []segment, w0, n int) []segment {
	dst = dst[:0]
	for w := w0; w < w0+n; {
		oh, ow := w/pr.OW, w%pr.OW
		k := min(pr.OW-ow, w0+n-w)
		dst = append(dst, segment{base: oh*pr.SH*pr.W + ow*pr.SW, n: k})
		w += k
	}
	return dst
}

// actSums computes, for the windows of segs of sample n, the max and sum of
// fa at every (rs, c) (index rs*C + c), and adds the sums and non-zero
// counts into saAll and nzAll when they are not nil.
func (pr *prep) actSums(n int, segs []segment, ma []uint8, sa []int64, saAll, nzAll []int64) {
	hw := pr.H * pr.W
	nOff := n * pr.C * hw
	sw := pr.SW
	for c := 0; c < pr.C; c++ {
		for r := 0; r < pr.R; r++ {
			for s := 0; s < pr.S; s++ {
				off := nOff + c*hw + r*pr.W + s
				var m uint8
				var sum, nz uint32
				for _, sg := range segs {
					p := off + sg.base
					if sw == 1 {
						for _, v := range pr.fa[p : p+sg.n] {
							m = max(m, v)
							sum += uint32(v)
							nz += (uint32(v) + 255) >> 8
						}
						continue
					}
					for i := 0; i < sg.n; i++ {
						v := pr.fa[p+i*sw]
						m = max(m, v)
						sum += uint32(v)
						nz += (uint32(v) + 255) >> 8
					}
				}
				i := (r*pr.S+s)*pr.C + c
				if ma != nil {
					ma[i] = m
				}
				if sa != nil {
					sa[i] = int64(sum)
				}
				if saAll != nil {
					saAll[i] += int64(sum)
					nzAll[i] += int64(nz)
				}
			}
		}
	}
}

// convTile simulates a convolution under SyncTile or SyncIdeal (the latter
// only needs the sums). Steps are visited window group first: a sum of step
// durations does not depend on the order.
func (pr *prep) convTile() tally {
	var t tally
	if pr.constCost {
		return pr.convTileConst()
	}
	cols, lanes := pr.cfg.Columns, pr.cfg.Lanes
	rs := pr.R * pr.S
	cgN := ceilDiv(pr.Cg, lanes)
	nw := pr.OH * pr.OW
	fgs := pr.filterGroups()
	wsum, wnz := pr.groupWeightSums()
	ma := make([]uint8, rs*pr.C)
	sa := make([]int64, rs*pr.C)
	saAll := make([]int64, rs*pr.C)
	nzAll := make([]int64, rs*pr.C)
	var segs []segment
	z := pr.z
	for n := 0; n < pr.N; n++ {
		clear(saAll)
		clear(nzAll)
		for w0 := 0; w0 < nw; w0 += cols {
			nwin := int64(min(cols, nw-w0))
			segs = pr.segments(segs, w0, int(nwin))
			pr.actSums(n, segs, ma, sa, saAll, nzAll)
			for fi := range fgs {
				fg := &fgs[fi]
				nf := int64(fg.f1 - fg.f0)
				for q := 0; q < rs; q++ {
					for cg := 0; cg < cgN; cg++ {
						k0 := cg * lanes
						lc := min(lanes, pr.Cg-k0)
						cost := z
						var asum int64
						for j := 0; j < fg.ng; j++ {
							av := ma[q*pr.C+(fg.g0+j)*pr.Cg+k0 : q*pr.C+(fg.g0+j)*pr.Cg+k0+lc]
							as := sa[q*pr.C+(fg.g0+j)*pr.Cg+k0 : q*pr.C+(fg.g0+j)*pr.Cg+k0+lc]
							wv := fg.mw[(j*rs+q)*pr.Cg+k0 : (j*rs+q)*pr.Cg+k0+lc]
							for l, a := range av {
								if p := uint32(a) * uint32(wv[l]); p > cost {
									cost = p
								}
								asum += as[l]
							}
						}
						wbits := fg.ws[q*cgN+cg] * pr.kW
						abits := asum * pr.kA
						x := pr.xfer(wbits, abits)
						t.steps++
						t.cycles += max(int64(cost), x)
						t.xSum += x
						t.peCycles += int64(cost) * nwin * nf
						t.wBits += wbits
						t.aBits += abits
					}
				}
			}
		}
		pr.workFactorized(&t, saAll, nzAll, wsum, wnz)
	}
	return t
}

// convTileConst is convTile when every product has the same cost (bit
// parallel, Stripes with a profiled precision): step durations depend only
// on how many windows, filters and channels a step holds, so each distinct
// step shape is counted once and multiplied.
func (pr *prep) convTileConst() tally {
	var t tally
	cols, rows, lanes := pr.cfg.Columns, pr.cfg.Rows, pr.cfg.Lanes
	rs := int64(pr.R * pr.S)
	nw := pr.OH * pr.OW
	cost := int64(max(pr.z, uint32(pr.ca)*uint32(pr.cw)))
	type shape struct {
		n    int64 // how many window groups
		nwin int64
	}
	wshapes := []shape{{n: int64(nw / cols), nwin: int64(cols)}}
	if r := nw % cols; r != 0 {
		wshapes = append(wshapes, shape{n: 1, nwin: int64(r)})
	}
	for f0 := 0; f0 < pr.K; f0 += rows {
		f1 := min(f0+rows, pr.K)
		nf := int64(f1 - f0)
		ng := int64((f1-1)/pr.Kg - f0/pr.Kg + 1)
		for k0 := 0; k0 < pr.Cg; k0 += lanes {
			lc := int64(min(lanes, pr.Cg-k0))
			for _, ws := range wshapes {
				if ws.n == 0 {
					continue
				}
				cnt := ws.n * rs * int64(pr.N)
				wbits := nf * lc * int64(pr.cw) * pr.kW
				abits := ws.nwin * ng * lc * int64(pr.ca) * pr.kA
				x := pr.xfer(wbits, abits)
				t.steps += cnt
				t.cycles += cnt * max(cost, x)
				t.xSum += cnt * x
				t.peCycles += cnt * cost * ws.nwin * nf
				t.wBits += cnt * wbits
				t.aBits += cnt * abits
			}
		}
	}
	t.products = int64(pr.N) * int64(pr.K) * int64(nw) * int64(pr.Cg) * rs
	if p := int64(pr.ca) * int64(pr.cw); p > 0 {
		t.pairs = t.products * p
		t.nzProducts = t.products
	}
	return t
}

// convQueue simulates a convolution under SyncColumn or SyncLPE, visiting
// steps in loop-nest order: sample, filter group, window group, kernel
// row, kernel column, channel group.
func (pr *prep) convQueue() tally {
	var t tally
	cols, rows, lanes := pr.cfg.Columns, pr.cfg.Rows, pr.cfg.Lanes
	lpe := pr.cfg.Sync == SyncLPE
	rs := pr.R * pr.S
	cgN := ceilDiv(pr.Cg, lanes)
	nw := pr.OH * pr.OW
	hw := pr.H * pr.W
	fgs := pr.filterGroups()
	wsum, wnz := pr.groupWeightSums()
	saAll := make([]int64, rs*pr.C)
	nzAll := make([]int64, rs*pr.C)
	units := cols
	if lpe {
		units = cols * rows
	}
	q := newQueue(units, pr.cfg.QueueDepth)
	costs := make([]uint32, units)
	bases := make([]int, cols)
	allSegs := pr.segments(nil, 0, nw)
	z := pr.z
	per := pr.Cg * rs
	for n := 0; n < pr.N; n++ {
		clear(saAll)
		clear(nzAll)
		pr.actSums(n, allSegs, nil, nil, saAll, nzAll)
		pr.workFactorized(&t, saAll, nzAll, wsum, wnz)
		nOff := n * pr.C * hw
		for fi := range fgs {
			fg := &fgs[fi]
			nf := fg.f1 - fg.f0
			for w0 := 0; w0 < nw; w0 += cols {
				b := bases[:min(cols, nw-w0)]
				pr.windowBases(b, w0)
				for r := 0; r < pr.R; r++ {
					for s := 0; s < pr.S; s++ {
						qq := r*pr.S + s
						for cg := 0; cg < cgN; cg++ {
							k0 := cg * lanes
							lc := min(lanes, pr.Cg-k0)
							clear(costs)
							var asum int64
							for i, base := range b {
								off := nOff + base + r*pr.W + s
								if !lpe {
									cost := z
									for j := 0; j < fg.ng; j++ {
										c0 := (fg.g0+j)*pr.Cg + k0
										wv := fg.mw[(j*rs+qq)*pr.Cg+k0 : (j*rs+qq)*pr.Cg+k0+lc]
										for l, wvl := range wv {
											a := pr.fa[off+(c0+l)*hw]
											asum += int64(a)
											if p := uint32(a) * uint32(wvl); p > cost {
												cost = p
											}
										}
									}
									costs[i] = cost
									t.peCycles += int64(cost) * int64(nf)
									continue
								}
								for j := 0; j < fg.ng; j++ {
									c0 := (fg.g0+j)*pr.Cg + k0
									for l := 0; l < lc; l++ {
										asum += int64(pr.fa[off+(c0+l)*hw])
									}
								}
								for f := fg.f0; f < fg.f1; f++ {
									c0 := (f/pr.Kg)*pr.Cg + k0
									w := pr.fw[f*per:]
									cost := z
									for l := 0; l < lc; l++ {
										a := pr.fa[off+(c0+l)*hw]
										if p := uint32(a) * uint32(w[(k0+l)*rs+qq]); p > cost {
											cost = p
										}
									}
									costs[i*rows+f-fg.f0] = cost
									t.peCycles += int64(cost)
								}
							}
							wbits := fg.ws[qq*cgN+cg] * pr.kW
							abits := asum * pr.kA
							x := pr.xfer(wbits, abits)
							q.step(costs, x)
							t.steps++
							t.xSum += x
							t.wBits += wbits
							t.aBits += abits
						}
					}
				}
			}
		}
	}
	t.cycles = q.total()
	return t
}

// dense simulates a fully-connected (or LSTM) layer: for each sample, work
// items (filter group x channel group, channel group inner) are dealt
// round-robin to the columns. The issue clock waits for the item's column
// to be free, the column is busy for max(compute, transfer), and the issue
// clock advances by max(1, transfer); a sample ends when the issue clock
// and every column are done. With unlimited interfaces this is DNNsim's
// fully-connected model.
func (pr *prep) denseSim() tally {
	var t tally
	cols, rows, lanes := pr.cfg.Columns, pr.cfg.Rows, pr.cfg.Lanes
	C := pr.C
	cgN := ceilDiv(C, lanes)
	type fgd struct {
		f0, f1 int
		mw     []uint8 // [k]
		ws     []int64 // [cg]
	}
	var fgs []fgd
	wsum := make([]int64, C)
	wnz := make([]int64, C)
	for f0 := 0; f0 < pr.K; f0 += rows {
		f1 := min(f0+rows, pr.K)
		g := fgd{f0: f0, f1: f1, mw: make([]uint8, C), ws: make([]int64, cgN)}
		for f := f0; f < f1; f++ {
			for k, v := range pr.fw[f*C : (f+1)*C] {
				g.mw[k] = max(g.mw[k], v)
				g.ws[k/lanes] += int64(v)
				wsum[k] += int64(v)
				if v != 0 {
					wnz[k]++
				}
			}
		}
		fgs = append(fgs, g)
	}
	colEnd := make([]int64, cols)
	z := pr.z
	for n := 0; n < pr.N; n++ {
		a := pr.fa[n*C : (n+1)*C]
		for k, v := range a {
			t.pairs += int64(v) * wsum[k]
			if v != 0 {
				t.nzProducts += wnz[k]
			}
		}
		t.products += int64(pr.K) * int64(C)
		clear(colEnd)
		var clock int64
		ci := 0
		for fi := range fgs {
			fg := &fgs[fi]
			nf := int64(fg.f1 - fg.f0)
			for cg := 0; cg < cgN; cg++ {
				k0 := cg * lanes
				k1 := min(k0+lanes, C)
				cost := z
				var asum int64
				for k := k0; k < k1; k++ {
					asum += int64(a[k])
					if p := uint32(a[k]) * uint32(fg.mw[k]); p > cost {
						cost = p
					}
				}
				wbits := fg.ws[cg] * pr.kW
				abits := asum * pr.kA
				x := pr.xfer(wbits, abits)
				clock = max(clock, colEnd[ci])
				colEnd[ci] = clock + max(int64(cost), x)
				clock += max(1, x)
				ci++
				if ci == cols {
					ci = 0
				}
				t.steps++
				t.xSum += x
				t.peCycles += int64(cost) * nf
				t.wBits += wbits
				t.aBits += abits
			}
		}
		end := clock
		for _, e := range colEnd {
			end = max(end, e)
		}
		t.cycles += end
	}
	return t
}

// run simulates the prepared layer.
func (pr *prep) run() tally {
	var t tally
	switch {
	case pr.dense:
		t = pr.denseSim()
	case pr.cfg.Sync == SyncColumn || pr.cfg.Sync == SyncLPE:
		t = pr.convQueue()
	default:
		t = pr.convTile()
	}
	if pr.cfg.Sync == SyncIdeal {
		work := t.pairs + int64(pr.z)*(t.products-t.nzProducts)
		lanes := int64(pr.cfg.Columns) * int64(pr.cfg.Rows) * int64(pr.cfg.Lanes)
		t.cycles = max(ceilDiv64(work, lanes), t.xSum)
		t.peCycles = ceilDiv64(work, int64(pr.cfg.Lanes))
	}
	return t
}
