package nn

import "fmt"

// LayerKind classifies compute layers.
type LayerKind string

// Compute layer kinds.
const (
	KindConv      LayerKind = "conv"      // convolution (groups == 1)
	KindGrouped   LayerKind = "grouped"   // grouped convolution, 1 < groups < channels
	KindDepthwise LayerKind = "depthwise" // depthwise convolution, groups == channels
	KindDense     LayerKind = "dense"     // fully connected, Gemm, MatMul
	KindLSTM      LayerKind = "lstm"      // LSTM gates, computed as dense
)

// Layer is the geometry of one compute layer applied to a batch: everything
// that determines which activation meets which weight. A dense layer (and an
// LSTM treated as dense) has H = W = R = S = 1 and C = inputs, K = outputs.
//
// The input activation tensor is N x C x H x W (NCHW); weights are
// K x C/Groups x R x S (OIHW). The output is N x K x OutH x OutW with
//
//	OutH = (H + Pad.Top + Pad.Bottom - R) / StrideH + 1
//	OutW = (W + Pad.Left + Pad.Right - S) / StrideW + 1
type Layer struct {
	Name             string
	Kind             LayerKind
	N                int // batch
	C, H, W          int // input channels, height, width
	K                int // filters (outputs)
	R, S             int // kernel height, width
	StrideH, StrideW int
	Pad              Pad
	Groups           int
}

// OutH returns the output height.
func (l Layer) OutH() int { return (l.H+l.Pad.Top+l.Pad.Bottom-l.R)/l.StrideH + 1 }

// OutW returns the output width.
func (l Layer) OutW() int { return (l.W+l.Pad.Left+l.Pad.Right-l.S)/l.StrideW + 1 }

// MACs returns the number of multiplies: N*K*OutH*OutW*(C/Groups)*R*S.
func (l Layer) MACs() int64 {
	return int64(l.N) * int64(l.K) * int64(l.OutH()) * int64(l.OutW()) * int64(l.C/l.Groups) * int64(l.R) * int64(l.S)
}

// InputShape returns N,C,H,W (dense: N,C).
func (l Layer) InputShape() []int {
	if l.Kind == KindDense || l.Kind == KindLSTM {
		return []int{l.N, l.C}
	}
	return []int{l.N, l.C, l.H, l.W}
}

// WeightShape returns K, C/Groups, R, S (dense: K, C).
func (l Layer) WeightShape() []int {
	if l.Kind == KindDense || l.Kind == KindLSTM {
		return []int{l.K, l.C}
	}
	return []int{l.K, l.C / l.Groups, l.R, l.S}
}

// Validate checks the geometry and names the layer and field at fault.
func (l Layer) Validate() error {
	pos := func(name string, v int) error {
		if v <= 0 {
			return fmt.Errorf("nn: layer %q: %s = %d, want > 0", l.Name, name, v)
		}
		return nil
	}
	for _, f := range []struct {
		n string
		v int
	}{{"N", l.N}, {"C", l.C}, {"H", l.H}, {"W", l.W}, {"K", l.K}, {"R", l.R}, {"S", l.S},
		{"StrideH", l.StrideH}, {"StrideW", l.StrideW}, {"Groups", l.Groups}} {
		if err := pos(f.n, f.v); err != nil {
			return err
		}
	}
	if l.Pad.Top < 0 || l.Pad.Bottom < 0 || l.Pad.Left < 0 || l.Pad.Right < 0 {
		return fmt.Errorf("nn: layer %q: negative padding %+v", l.Name, l.Pad)
	}
	if l.C%l.Groups != 0 || l.K%l.Groups != 0 {
		return fmt.Errorf("nn: layer %q: groups %d must divide channels %d and filters %d", l.Name, l.Groups, l.C, l.K)
	}
	if l.H+l.Pad.Top+l.Pad.Bottom < l.R || l.W+l.Pad.Left+l.Pad.Right < l.S {
		return fmt.Errorf("nn: layer %q: kernel %dx%d larger than padded input %dx%d", l.Name, l.R, l.S,
			l.H+l.Pad.Top+l.Pad.Bottom, l.W+l.Pad.Left+l.Pad.Right)
	}
	switch l.Kind {
	case KindConv, KindGrouped, KindDepthwise:
	case KindDense, KindLSTM:
		if l.H != 1 || l.W != 1 || l.R != 1 || l.S != 1 || l.Groups != 1 {
			return fmt.Errorf("nn: layer %q: a %s layer needs H=W=R=S=Groups=1", l.Name, l.Kind)
		}
	default:
		return fmt.Errorf("nn: layer %q: unknown kind %q", l.Name, l.Kind)
	}
	return nil
}

// CheckTensors verifies that an input activation tensor and a weight tensor
// have the shapes the layer expects. Dense layers also accept an N x C x 1 x 1
// input and K x C x 1 x 1 weights.
func (l Layer) CheckTensors(act, wgt *Tensor) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if act == nil || wgt == nil {
		return fmt.Errorf("nn: layer %q: missing activation or weight tensor", l.Name)
	}
	if err := act.Validate(); err != nil {
		return fmt.Errorf("nn: layer %q: activations: %w", l.Name, err)
	}
	if err := wgt.Validate(); err != nil {
		return fmt.Errorf("nn: layer %q: weights: %w", l.Name, err)
	}
	if act.Len() != NumElements(l.InputShape()) {
		return fmt.Errorf("nn: layer %q: activations have shape %v, want %v", l.Name, act.Shape, l.InputShape())
	}
	if wgt.Len() != NumElements(l.WeightShape()) {
		return fmt.Errorf("nn: layer %q: weights have shape %v, want %v", l.Name, wgt.Shape, l.WeightShape())
	}
	return nil
}

// Sample is one compute layer's data: its geometry, the float32 input
// activations of a batch (NCHW) and its weights (OIHW or Out x In). Forward
// passes and trace readers produce Samples; the work and arch packages
// consume their quantized form.
type Sample struct {
	Layer   Layer
	Input   *Tensor
	Weights *Tensor
}
