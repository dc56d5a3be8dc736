package infer

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Tap observes the forward pass. Run calls it after each node with the
// node, its compute geometry (nil unless the node is a Conv or Dense), the
// node's input tensors and its output. A dense layer's first input is given
// as N x In (flattened). The tensors are never modified afterwards; Run drops
// its own references to them once their last consumer has run, so a tap that
// keeps a tensor keeps it alive and one that does not lets it be freed.
// A non-nil error stops the pass and is returned by Run.
type Tap func(node *nn.Node, layer *nn.Layer, inputs []*nn.Tensor, output *nn.Tensor) error

// Options configure a forward pass.
type Options struct {
	// Tap, if set, is called after every node.
	Tap Tap `json:"-"`
	// Input, if set, is called before every Conv and Dense node computes,
	// with the node and its activation input (as the previous node produced
	// it, not flattened); the node computes with the tensor it returns,
	// which must have as many elements. Returning x unchanged is a no-op;
	// a hook that rounds x to fixed point simulates quantized activations.
	// x must not be modified in place: other consumers may read it. The Tap
	// sees the tensor the hook returned.
	Input func(node *nn.Node, x *nn.Tensor) *nn.Tensor `json:"-"`
	// Outputs names the nodes whose outputs Run returns. Empty means the
	// graph's outputs, or its last node when it declares none.
	Outputs []string `json:"outputs,omitempty"`
	// Workers is the number of goroutines a node's work is split over
	// (matrix multiplies, im2col, depthwise convolution, pooling,
	// batch-norm), or, in RunBatch, the number of sub-batches; 0 means
	// GOMAXPROCS. Results are the same bits for every value.
	Workers int `json:"workers"`
}

// DefaultOptions returns options that return the graph's outputs, with no
// tap, using every available core.
func DefaultOptions() Options { return Options{} }

// Validate checks the options.
func (o Options) Validate() error {
	if o.Workers < 0 {
		return fmt.Errorf("infer: Options.Workers = %d, want >= 0 (0 = all cores)", o.Workers)
	}
	return nil
}

// Run computes the graph on an input batch (N x C x H x W, or N x In for
// vector inputs) and returns the requested outputs by node name. Shapes are
// inferred and checked before any computation, so a malformed graph or input
// fails with an error naming the node before any work is done.
func Run(g *nn.Graph, input *nn.Tensor, opts Options) (map[string]*nn.Tensor, error) {
	return RunContext(context.Background(), g, input, opts)
}

// RunContext is Run with a context checked between nodes.
func RunContext(ctx context.Context, g *nn.Graph, input *nn.Tensor, opts Options) (map[string]*nn.Tensor, error) {
	if g == nil {
		return nil, errors.New("infer: nil graph")
	}
	name, err := singleInput(g)
	if err != nil {
		return nil, err
	}
	return RunInputs(ctx, g, map[string]*nn.Tensor{name: input}, opts)
}

// RunInputs is Run for graphs with one or more Input nodes: inputs maps
// every Input node's name to its tensor.
func RunInputs(ctx context.Context, g *nn.Graph, inputs map[string]*nn.Tensor, opts Options) (map[string]*nn.Tensor, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if g == nil {
		return nil, errors.New("infer: nil graph")
	}
	inShapes := make(map[string][]int, len(inputs))
	for name, t := range inputs {
		if t == nil {
			return nil, fmt.Errorf("infer: graph %q: nil input tensor for %q", g.Name, name)
		}
		if err := t.Validate(); err != nil {
			return nil, fmt.Errorf("infer: graph %q: input %q: %w", g.Name, name, err)
		}
		inShapes[name] = t.Shape
	}
	shapes, err := ShapesFor(g, inShapes)
	if err != nil {
		return nil, err
	}
	outputs := opts.Outputs
	if len(outputs) == 0 {
		outputs = g.Outputs
	}
	if len(outputs) == 0 {
		outputs = []string{g.Nodes[len(g.Nodes)-1].Name}
	}
	// Reference counts: the number of consumers still to run, plus one for
	// every requested output.
	refs := make(map[string]int, len(g.Nodes))
	for _, n := range g.Nodes {
		for _, in := range n.Inputs {
			refs[in]++
		}
	}
	for _, o := range outputs {
		if _, ok := shapes[o]; !ok {
			return nil, fmt.Errorf("infer: graph %q: requested output %q is not a node", g.Name, o)
		}
		refs[o]++
	}
	live := make(map[string]*nn.Tensor)
	var sc scratch
	// A tap or an Input hook may keep the tensors it sees: no buffer reuse then.
	sc.reuse.start(opts.Tap == nil && opts.Input == nil, inputs)
	for _, n := range g.Nodes {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("infer: graph %q: %w", g.Name, err)
		}
		ins := make([]*nn.Tensor, len(n.Inputs))
		for i, name := range n.Inputs {
			ins[i] = live[name]
		}
		var (
			layer *nn.Layer
			out   *nn.Tensor
		)
		if opts.Input != nil && n.IsCompute() && ins[0] != nil {
			x := opts.Input(n, ins[0])
			if x == nil || len(x.Data) != len(ins[0].Data) {
				return nil, fmt.Errorf("infer: graph %q: node %q: Options.Input hook returned a tensor of another size", g.Name, n.Name)
			}
			ins[0] = x
		}
		if n.Op == nn.OpInput {
			out = inputs[n.Name]
		} else {
			sc.reuse.prepare(n, ins, live, refs)
			out, layer, err = forward(g, n, ins, shapes, &sc, opts.Workers)
			if err != nil {
				return nil, fmt.Errorf("infer: graph %q: node %q (%s): %w", g.Name, n.Name, n.Op, err)
			}
		}
		if opts.Tap != nil {
			tapIns := ins
			if layer != nil && layer.Kind == nn.KindDense && len(ins[0].Shape) != 2 {
				tapIns = slices.Clone(ins)
				tapIns[0] = view(ins[0], layer.InputShape())
			}
			if err := opts.Tap(n, layer, tapIns, out); err != nil {
				return nil, err
			}
		}
		if refs[n.Name] > 0 {
			live[n.Name] = out
		}
		for _, name := range n.Inputs {
			refs[name]--
			if refs[name] == 0 {
				dead := live[name]
				delete(live, name)
				sc.reuse.release(name, dead, out, live)
			}
		}
		if liveHook != nil {
			liveHook(n.Name, len(live))
		}
	}
	res := make(map[string]*nn.Tensor, len(outputs))
	for _, o := range outputs {
		res[o] = live[o]
	}
	return res, nil
}

// liveHook, when set (by tests), sees the number of live tensors after each
// node.
var liveHook func(node string, live int)

// forward computes one node.
func forward(g *nn.Graph, n *nn.Node, ins []*nn.Tensor, shapes map[string][]int, sc *scratch, workers int) (*nn.Tensor, *nn.Layer, error) {
	shape := shapes[n.Name]
	for i, t := range ins {
		if t == nil {
			return nil, nil, fmt.Errorf("input %q was not computed", n.Inputs[i])
		}
	}
	x := ins[0]
	switch n.Op {
	case nn.OpConv, nn.OpDense:
		l, err := LayerOf(g, n, shapes)
		if err != nil {
			return nil, nil, err
		}
		if err := checkLayer(l); err != nil {
			return nil, nil, err
		}
		out := sc.reuse.alloc(shape)
		var bias []float32
		if n.Bias != nil {
			bias = n.Bias.Data
		}
		if err := layer(l, x.Data, n.Weights.Data, bias, n.Attrs.Activation, out.Data, sc, workers); err != nil {
			return nil, nil, err
		}
		return out, &l, nil
	case nn.OpBatchNorm:
		return batchNorm(x, n.Scale.Data, n.Shift.Data, sc.target(x, 0), workers), nil, nil
	case nn.OpReLU:
		return elementwise(x, nn.ActReLU, sc.target(x, 0)), nil, nil
	case nn.OpReLU6:
		return elementwise(x, nn.ActReLU6, sc.target(x, 0)), nil, nil
	case nn.OpSigmoid:
		return elementwise(x, nn.ActSigmoid, sc.target(x, 0)), nil, nil
	case nn.OpSoftmax:
		out := elementwise(x, nn.ActNone, sc.target(x, 0))
		softmax(out.Data, shape[len(shape)-1])
		return out, nil, nil
	case nn.OpIdentity:
		return view(x, shape), nil, nil
	case nn.OpFlatten, nn.OpReshape:
		return view(x, shape), nil, nil
	case nn.OpAdd:
		return add(ins, sc.target(x, 0)), nil, nil
	case nn.OpConcat:
		axis := n.Attrs.Axis
		if axis < 0 {
			axis += len(shape)
		}
		return concat(ins, axis, shape), nil, nil
	case nn.OpMaxPool:
		return pool(x, n.Attrs, true, shape, workers), nil, nil
	case nn.OpAvgPool:
		return pool(x, n.Attrs, false, shape, workers), nil, nil
	case nn.OpGlobalAvgPool:
		return globalAvgPool(x), nil, nil
	case nn.OpZeroPad:
		return zeroPad(x, n.Attrs, shape), nil, nil
	case nn.OpTranspose:
		return transpose(x, n.Attrs.Perm, shape), nil, nil
	}
	return nil, nil, fmt.Errorf("operation %q is not implemented", n.Op)
}

// Samples runs the graph on an input batch and calls fn with every compute
// layer's Sample (geometry, input activations, weights) in topological
// order. Activations are freed as soon as no later node needs them, so only
// the samples fn keeps stay in memory.
func Samples(g *nn.Graph, input *nn.Tensor, fn func(nn.Sample) error) error {
	return SamplesContext(context.Background(), g, input, fn)
}

// SamplesContext is Samples with a context checked between nodes.
func SamplesContext(ctx context.Context, g *nn.Graph, input *nn.Tensor, fn func(nn.Sample) error) error {
	opts := DefaultOptions()
	opts.Tap = func(node *nn.Node, layer *nn.Layer, inputs []*nn.Tensor, _ *nn.Tensor) error {
		if layer == nil {
			return nil
		}
		return fn(nn.Sample{Layer: *layer, Input: inputs[0], Weights: node.Weights})
	}
	_, err := RunContext(ctx, g, input, opts)
	return err
}
