package infer

import (
	"github.com/laconiclab/toolkit/laconic/nn"
)

// Buffer reuse for passes without a tap. Without a tap nobody but the pass
// sees intermediate tensors, so an element-wise node (activation,
// batch-norm, add) may write its output over an input that no later node
// reads, and the storage of dropped tensors is recycled for later outputs
// instead of being allocated (and zeroed) again. With a tap every tensor
// stays as the tap saw it. Tensors the caller owns (the inputs) and
// requested outputs are never overwritten or recycled.

// reuseState tracks, for one pass, which inputs of the current node may be
// overwritten and the pool of recycled buffers by length.
type reuseState struct {
	on       bool
	external map[*float32]bool // data of the caller's input tensors
	dying    []bool            // per input of the current node
	pool     map[int][][]float32
}

func dataPtr(t *nn.Tensor) *float32 {
	if t == nil || len(t.Data) == 0 {
		return nil
	}
	return &t.Data[0]
}

// start enables reuse for a pass (when there is no tap).
func (r *reuseState) start(on bool, inputs map[string]*nn.Tensor) {
	r.on = on
	if !on {
		return
	}
	r.external = make(map[*float32]bool, len(inputs))
	for _, t := range inputs {
		r.external[dataPtr(t)] = true
	}
	r.pool = make(map[int][][]float32)
}

// aliased reports whether a live tensor other than name shares p.
func aliased(p *float32, name string, live map[string]*nn.Tensor) bool {
	for other, t := range live {
		if other != name && dataPtr(t) == p {
			return true
		}
	}
	return false
}

// prepare marks which inputs of n die at n and may be overwritten by it.
func (r *reuseState) prepare(n *nn.Node, ins []*nn.Tensor, live map[string]*nn.Tensor, refs map[string]int) {
	r.dying = r.dying[:0]
	for i, name := range n.Inputs {
		ok := false
		if r.on && ins[i] != nil {
			uses := 0
			for _, o := range n.Inputs {
				if o == name {
					uses++
				}
			}
			p := dataPtr(ins[i])
			ok = p != nil && refs[name] == uses && !r.external[p] && !aliased(p, name, live)
		}
		r.dying = append(r.dying, ok)
	}
}

// overwritable reports whether input i of the current node may be written.
func (r *reuseState) overwritable(i int) bool { return i < len(r.dying) && r.dying[i] }

// release recycles the storage of a tensor dropped from live, unless
// another live tensor or the node's output shares it.
func (r *reuseState) release(name string, t, out *nn.Tensor, live map[string]*nn.Tensor) {
	p := dataPtr(t)
	if !r.on || p == nil || r.external[p] || dataPtr(out) == p || aliased(p, name, live) {
		return
	}
	r.pool[len(t.Data)] = append(r.pool[len(t.Data)], t.Data)
}

// alloc returns a tensor of the given shape whose contents are arbitrary
// (recycled storage when available): only for outputs that are written in
// full.
func (r *reuseState) alloc(shape []int) *nn.Tensor {
	if r.on {
		n := nn.NumElements(shape)
		if bufs := r.pool[n]; len(bufs) > 0 {
			b := bufs[len(bufs)-1]
			r.pool[n] = bufs[:len(bufs)-1]
			return &nn.Tensor{Shape: append([]int(nil), shape...), Data: b}
		}
	}
	return nn.NewTensor(shape...)
}
