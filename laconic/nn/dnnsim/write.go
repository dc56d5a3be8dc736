package dnnsim

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/npy"
)

// TraceName returns the name under which a layer of the given kind is
// written, such that DNNsim (and KindFromName) classify it as that kind and
// that it can be part of a file name:
//
//  1. every character other than ASCII letters, digits, '_', '.', '+' and
//     '-' becomes '-' (DNNsim itself turns '/' in Caffe names into '-');
//  2. a convolution loses the markers that would make it dense or LSTM:
//     "fc" becomes "f_c", "inner_prod" "inner-prod", "Linear" "Line_ar",
//     "lstm" "l_stm"; "encoder"/"decoder" become "en_coder"/"de_coder"
//     (DNNsim types those as training-mode layers);
//  3. a dense layer without a dense marker gets the prefix "fc_";
//  4. an LSTM loses dense markers as in 2 and gets the prefix "lstm_" if
//     it has no "lstm".
//
// Names that need none of this are returned unchanged.
func TraceName(name string, kind nn.LayerKind) (string, error) {
	if name == "" {
		return "", errors.New("dnnsim: empty layer name")
	}
	b := []byte(name)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '+' || c == '-'
		if !ok {
			b[i] = '-'
		}
	}
	// Multi-byte characters became several '-'; that is fine.
	s := string(b)
	denseBreak := strings.NewReplacer("fc", "f_c", "inner_prod", "inner-prod", "Linear", "Line_ar")
	seqBreak := strings.NewReplacer("encoder", "en_coder", "decoder", "de_coder")
	lstmBreak := strings.NewReplacer("lstm", "l_stm")
	s = seqBreak.Replace(s)
	switch kind {
	case nn.KindConv, nn.KindGrouped, nn.KindDepthwise:
		s = lstmBreak.Replace(denseBreak.Replace(s))
	case nn.KindDense:
		if KindFromName(s) != nn.KindDense {
			s = "fc_" + s
		}
	case nn.KindLSTM:
		s = denseBreak.Replace(s)
		if KindFromName(s) != nn.KindLSTM {
			s = "lstm_" + s
		}
	default:
		return "", fmt.Errorf("dnnsim: layer %q: unknown kind %q", name, kind)
	}
	if got, want := KindFromName(s), kind; got != want && !(got == nn.KindConv && !isDenseKind(want)) {
		return "", fmt.Errorf("dnnsim: layer %q: cannot name it as a %s layer (got %q)", name, kind, s)
	}
	return s, nil
}

// Writer writes a DNNsim trace folder batch by batch, from the toolkit's own
// samples (for example a forward pass). Create it with NewWriter, call
// WriteBatch once per batch with the same layers in the same order, then
// Close, which writes trace_params.csv last: until then the network does not
// appear in Nets, and a failed write never looks like a complete one.
//
// What is written, per layer (named by TraceName):
//
//   - wgt-<name>.npy from the first batch: K x C/groups x R x S for a
//     convolution (R along X, S along Y), K x C for dense and LSTM;
//   - act-<name>-<k>.npy for batch k: N x C x H x W (H along X) for a
//     convolution; a dense or LSTM layer's input keeps its shape when it is
//     N x c x h x w (the flattened form DNNsim reads for fully connected
//     layers after a convolution), otherwise N x C;
//   - one trace_params.csv line in the 6-column form name,Nn,Kx,Ky,stride,
//     padding: samples carry no input-layer names, and DNNsim reads that
//     form with an empty input. Dense and LSTM lines are name,K,1,1,1,0.
//
// trace_params.csv has one stride and one padding for both axes: a layer
// with StrideH != StrideW is an error. A layer whose padding is not the same
// on all four sides is written with its padding applied to the activations
// (zeros materialised in the act file) and padding 0, which gives the same
// windows and the same multiplies; reading it back then gives H and W of
// the padded input. A grouped or depthwise layer is written as a
// convolution whose weights have C/groups channels; it is recognised again
// when read. (DNNsim itself expects depthwise layers with one filter per
// channel and grouped layers with two groups.)
type Writer struct {
	dir, net string
	prec     *Precision
	layers   []writeLayer
	batches  int
	closed   bool
}

type writeLayer struct {
	param    TraceParam
	geometry nn.Layer // as given, N zeroed
	padAct   bool     // materialise the padding in the act files
}

// NewWriter starts writing network net under dir (dir/models/net and
// dir/net_traces/net, created as needed). prec may be nil (no precision.txt;
// readers then use DefaultLayerPrecision); otherwise it must have one entry
// per layer. An existing trace_params.csv of the network is removed first.
func NewWriter(dir, net string, prec *Precision) (*Writer, error) {
	if err := checkName(net); err != nil {
		return nil, fmt.Errorf("dnnsim: network: %w", err)
	}
	if prec != nil {
		if err := prec.Validate(); err != nil {
			return nil, fmt.Errorf("dnnsim: precision: %w", err)
		}
	}
	params := filepath.Join(dir, ModelsDir, net, ParamsFile)
	if err := os.Remove(params); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("dnnsim: %w", err)
	}
	return &Writer{dir: dir, net: net, prec: prec}, nil
}

// Names returns the trace names of the layers (after the first batch).
func (w *Writer) Names() []string {
	out := make([]string, len(w.layers))
	for i, l := range w.layers {
		out[i] = l.param.Name
	}
	return out
}

// WriteBatch writes one batch: samples[i] is layer i. The first batch fixes
// the layers and writes their weights; later batches must have the same
// layers, names and geometry (the batch size N may differ).
func (w *Writer) WriteBatch(samples []nn.Sample) error {
	if w.closed {
		return errors.New("dnnsim: WriteBatch after Close")
	}
	if len(samples) == 0 {
		return errors.New("dnnsim: WriteBatch with no samples")
	}
	if w.batches == 0 {
		if err := w.plan(samples); err != nil {
			return err
		}
	} else if len(samples) != len(w.layers) {
		return fmt.Errorf("dnnsim: batch %d has %d layers, batch 0 had %d", w.batches, len(samples), len(w.layers))
	}
	for i, s := range samples {
		wl := w.layers[i]
		if err := s.Layer.CheckTensors(s.Input, s.Weights); err != nil {
			return fmt.Errorf("dnnsim: batch %d, layer %d: %w", w.batches, i, err)
		}
		g := s.Layer
		g.N = 0
		if g != wl.geometry {
			return fmt.Errorf("dnnsim: batch %d, layer %d (%q): geometry %+v differs from batch 0's %+v", w.batches, i, s.Layer.Name, g, wl.geometry)
		}
		act := actTensor(s, wl.padAct)
		if err := npy.Write(ActivationPath(w.dir, w.net, wl.param.Name, w.batches), act); err != nil {
			return fmt.Errorf("dnnsim: layer %q: %w", s.Layer.Name, err)
		}
	}
	w.batches++
	return nil
}

// plan checks the first batch's layers and writes their weights.
func (w *Writer) plan(samples []nn.Sample) error {
	if w.prec != nil && len(w.prec.Layers) != len(samples) {
		return fmt.Errorf("dnnsim: precision has %d layers, the batch %d", len(w.prec.Layers), len(samples))
	}
	seen := map[string]string{}
	layers := make([]writeLayer, len(samples))
	for i, s := range samples {
		l := s.Layer
		if err := l.CheckTensors(s.Input, s.Weights); err != nil {
			return fmt.Errorf("dnnsim: layer %d: %w", i, err)
		}
		name, err := TraceName(l.Name, l.Kind)
		if err != nil {
			return err
		}
		if prev, dup := seen[name]; dup {
			return fmt.Errorf("dnnsim: layers %q and %q would both be written as %q; rename one", prev, l.Name, name)
		}
		seen[name] = l.Name
		wl := writeLayer{param: TraceParam{Name: name, Nn: l.K, Kx: 1, Ky: 1, Stride: 1}}
		wl.geometry = l
		wl.geometry.N = 0
		if !isDenseKind(l.Kind) {
			if l.StrideH != l.StrideW {
				return fmt.Errorf("dnnsim: layer %q: stride %dx%d: trace_params.csv has one stride for both axes", l.Name, l.StrideH, l.StrideW)
			}
			wl.param.Kx, wl.param.Ky, wl.param.Stride = l.R, l.S, l.StrideH
			p := l.Pad
			if p.Top == p.Bottom && p.Top == p.Left && p.Top == p.Right {
				wl.param.Padding = p.Top
			} else {
				wl.padAct = true
			}
		}
		if err := wl.param.Validate(); err != nil {
			return fmt.Errorf("dnnsim: layer %q: %w", l.Name, err)
		}
		wgt := &nn.Tensor{Shape: l.WeightShape(), Data: s.Weights.Data}
		if err := npy.Write(WeightPath(w.dir, w.net, name), wgt); err != nil {
			return fmt.Errorf("dnnsim: layer %q: %w", l.Name, err)
		}
		layers[i] = wl
	}
	w.layers = layers
	return nil
}

// actTensor returns the activations in the form written to the act file.
func actTensor(s nn.Sample, pad bool) *nn.Tensor {
	l := s.Layer
	if isDenseKind(l.Kind) {
		if sh := s.Input.Shape; len(sh) == 4 && sh[0] == l.N {
			return s.Input
		}
		return &nn.Tensor{Shape: []int{l.N, l.C}, Data: s.Input.Data}
	}
	if !pad {
		return &nn.Tensor{Shape: []int{l.N, l.C, l.H, l.W}, Data: s.Input.Data}
	}
	H, W := l.H+l.Pad.Top+l.Pad.Bottom, l.W+l.Pad.Left+l.Pad.Right
	out := nn.NewTensor(l.N, l.C, H, W)
	for nc := range l.N * l.C {
		for y := range l.H {
			src := s.Input.Data[(nc*l.H+y)*l.W : (nc*l.H+y+1)*l.W]
			copy(out.Data[(nc*H+y+l.Pad.Top)*W+l.Pad.Left:], src)
		}
	}
	return out
}

// Close writes precision.txt (or removes a stale one when the writer has
// no precision), removes activation files of batches beyond those written
// that an earlier run left, and writes trace_params.csv.
func (w *Writer) Close() error {
	if w.closed {
		return errors.New("dnnsim: Close called twice")
	}
	w.closed = true
	if w.batches == 0 {
		return errors.New("dnnsim: no batch was written")
	}
	models := filepath.Join(w.dir, ModelsDir, w.net)
	precPath := filepath.Join(models, PrecisionFile)
	if w.prec != nil {
		if err := atomicfile.Write(precPath, w.prec.Encode); err != nil {
			return fmt.Errorf("dnnsim: %w", err)
		}
	} else if err := os.Remove(precPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dnnsim: %w", err)
	}
	for _, l := range w.layers {
		for k := w.batches; ; k++ {
			err := os.Remove(ActivationPath(w.dir, w.net, l.param.Name, k))
			if errors.Is(err, fs.ErrNotExist) {
				break
			}
			if err != nil {
				return fmt.Errorf("dnnsim: remove stale batch file: %w", err)
			}
		}
	}
	params := make([]TraceParam, len(w.layers))
	for i, l := range w.layers {
		params[i] = l.param
	}
	err := atomicfile.Write(filepath.Join(models, ParamsFile), func(wr io.Writer) error {
		return EncodeTraceParams(wr, params)
	})
	if err != nil {
		return fmt.Errorf("dnnsim: %w", err)
	}
	return nil
}

// Write writes network net under dir from batches[k][i], layer i of batch k,
// with an optional precision (nil: no precision.txt). It is NewWriter, one
// WriteBatch per batch and Close.
func Write(dir, net string, batches [][]nn.Sample, prec *Precision) error {
	if len(batches) == 0 {
		return errors.New("dnnsim: no batches to write")
	}
	w, err := NewWriter(dir, net, prec)
	if err != nil {
		return err
	}
	for _, b := range batches {
		if err := w.WriteBatch(b); err != nil {
			return err
		}
	}
	return w.Close()
}
