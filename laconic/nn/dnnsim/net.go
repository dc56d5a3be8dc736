package dnnsim

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/npy"
)

// File and folder names of the DNNsim layout.
const (
	ModelsDir      = "models"
	TracesDir      = "net_traces"
	ParamsFile     = "trace_params.csv"
	PrecisionFile  = "precision.txt"
	weightPrefix   = "wgt-"
	activationPref = "act-"
)

// LayerInfo describes one compute layer of a trace folder: its
// trace_params.csv line, its kind, its precision and its geometry.
type LayerInfo struct {
	Name  string       `json:"name"`
	Input string       `json:"input,omitempty"` // 7-column form only
	Kind  nn.LayerKind `json:"kind"`            // from the name, refined to grouped/depthwise by the weights
	// The numbers of the trace_params.csv line. Dense and LSTM layers keep
	// Kx, Ky, Stride and Padding but their geometry does not use them.
	Nn        int            `json:"nn"`
	Kx        int            `json:"kx"`
	Ky        int            `json:"ky"`
	Stride    int            `json:"stride"`
	Padding   int            `json:"padding"`
	Line      int            `json:"line"` // line of trace_params.csv
	Precision LayerPrecision `json:"precision"`
	// Geometry is the layer applied to batch file 0 (N from that file).
	Geometry nn.Layer `json:"geometry"`
}

// Net is a network of a DNNsim trace folder, opened by Open. It holds only
// the description; Sample loads one layer's data at a time.
type Net struct {
	Name string `json:"name"`
	// Dir is the folder that holds models/ and net_traces/.
	Dir    string      `json:"dir"`
	Layers []LayerInfo `json:"layers"`
	// Batches is the number of activation files per layer
	// (act-<layer>-0.npy ... act-<layer>-<Batches-1>.npy).
	Batches int `json:"batches"`
	// HasPrecision reports whether precision.txt was present; without it
	// every layer has DefaultLayerPrecision.
	HasPrecision bool `json:"has_precision"`
}

// WeightPath returns the path of a layer's weight file.
func WeightPath(dir, net, layer string) string {
	return filepath.Join(dir, TracesDir, net, weightPrefix+layer+".npy")
}

// ActivationPath returns the path of a layer's activation file for a batch.
func ActivationPath(dir, net, layer string, batch int) string {
	return filepath.Join(dir, TracesDir, net, activationPref+layer+"-"+strconv.Itoa(batch)+".npy")
}

// Nets lists the networks of a trace folder: the sub-folders of dir/models
// that hold a trace_params.csv, sorted by name.
func Nets(dir string) ([]string, error) {
	models := filepath.Join(dir, ModelsDir)
	entries, err := os.ReadDir(models)
	if err != nil {
		return nil, fmt.Errorf("dnnsim: %s is not a DNNsim trace folder (it needs %s/<net>/%s): %w", dir, ModelsDir, ParamsFile, err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if st, err := os.Stat(filepath.Join(models, e.Name(), ParamsFile)); err == nil && st.Mode().IsRegular() {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// Open reads the description of network net from the DNNsim trace folder
// dir and checks it against the headers of every trace file, without
// loading any data. With net == "" the folder must hold exactly one
// network. Errors name the file and the layer at fault.
func Open(dir, net string) (*Net, error) {
	if net == "" {
		names, err := Nets(dir)
		if err != nil {
			return nil, err
		}
		switch len(names) {
		case 0:
			return nil, fmt.Errorf("dnnsim: no network in %s (no %s/<net>/%s)", dir, ModelsDir, ParamsFile)
		case 1:
			net = names[0]
		default:
			return nil, fmt.Errorf("dnnsim: %s holds %d networks %v: name one", dir, len(names), names)
		}
	}
	if err := checkName(net); err != nil {
		return nil, fmt.Errorf("dnnsim: network: %w", err)
	}
	paramsPath := filepath.Join(dir, ModelsDir, net, ParamsFile)
	f, err := os.Open(paramsPath)
	if err != nil {
		return nil, fmt.Errorf("dnnsim: network %q: missing %s: %w", net, paramsPath, err)
	}
	params, err := ParseTraceParams(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("dnnsim: %s: %w", paramsPath, err)
	}
	n := &Net{Name: net, Dir: dir}

	prec := DefaultPrecision(len(params))
	precPath := filepath.Join(dir, ModelsDir, net, PrecisionFile)
	if f, err := os.Open(precPath); err == nil {
		p, err := ParsePrecision(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("dnnsim: %s: %w", precPath, err)
		}
		if len(p.Layers) != len(params) {
			return nil, fmt.Errorf("dnnsim: %s has values for %d layers on each line, %s has %d layers: want one value per layer",
				precPath, len(p.Layers), paramsPath, len(params))
		}
		prec, n.HasPrecision = p, true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("dnnsim: %w", err)
	}

	traces := filepath.Join(dir, TracesDir, net)
	if st, err := os.Stat(traces); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("dnnsim: network %q: missing trace folder %s", net, traces)
	}
	for {
		if _, err := os.Stat(ActivationPath(dir, net, params[0].Name, n.Batches)); err != nil {
			break
		}
		n.Batches++
	}
	if n.Batches == 0 {
		return nil, fmt.Errorf("dnnsim: layer %q: missing activations %s", params[0].Name, ActivationPath(dir, net, params[0].Name, 0))
	}

	for i, p := range params {
		info := LayerInfo{
			Name: p.Name, Input: p.Input, Kind: KindFromName(p.Name),
			Nn: p.Nn, Kx: p.Kx, Ky: p.Ky, Stride: p.Stride, Padding: p.Padding,
			Line: p.Line, Precision: prec.Layers[i],
		}
		wpath := WeightPath(dir, net, p.Name)
		wh, err := header(wpath, p)
		if err != nil {
			return nil, err
		}
		for b := range n.Batches {
			apath := ActivationPath(dir, net, p.Name, b)
			ah, err := header(apath, p)
			if err != nil {
				return nil, err
			}
			g, _, _, err := geometry(p, ah.Shape, wh.Shape, apath, wpath)
			if err != nil {
				return nil, err
			}
			if b == 0 {
				info.Geometry = g
				info.Kind = g.Kind
			} else if err := sameExceptN(info.Geometry, g); err != nil {
				return nil, fmt.Errorf("dnnsim: layer %q: %s: %w", p.Name, apath, err)
			}
		}
		n.Layers = append(n.Layers, info)
	}
	return n, nil
}

func header(path string, p TraceParam) (npy.Header, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return npy.Header{}, fmt.Errorf("dnnsim: layer %q (%s line %d): missing file %s", p.Name, ParamsFile, p.Line, path)
	}
	h, err := npy.ReadHeader(path)
	if err != nil {
		return h, fmt.Errorf("dnnsim: layer %q: %w", p.Name, err)
	}
	return h, nil
}

func sameExceptN(a, b nn.Layer) error {
	a.N, b.N = 0, 0
	if a != b {
		return fmt.Errorf("geometry %+v differs from batch 0's %+v", b, a)
	}
	return nil
}

// geometry derives a layer's geometry from its trace_params line and the
// shapes of its activation and weight files, and returns the shapes the
// tensors take in the toolkit's conventions.
//
// Convolution: activations N x C x X x Y map to NCHW with H = X, W = Y, and
// weights K x C/groups x Kx x Ky to OIHW with R = Kx, S = Ky; no axis is
// moved. Rank-2 weights (K x C) and activations (N x C) are taken as 1x1.
// Dense/LSTM: activations N x In, N x C x X x Y (flattened to N x C*X*Y) or
// T x B x In (LSTM steps, flattened to T*B x In); weights K x In or
// K x C x X x Y (flattened).
func geometry(p TraceParam, act, wgt []int, apath, wpath string) (l nn.Layer, actShape, wgtShape []int, err error) {
	fail := func(format string, a ...any) (nn.Layer, []int, []int, error) {
		return nn.Layer{}, nil, nil, fmt.Errorf("dnnsim: layer %q (%s line %d): "+format, append([]any{p.Name, ParamsFile, p.Line}, a...)...)
	}
	kind := KindFromName(p.Name)
	l = nn.Layer{Name: p.Name, Kind: kind, StrideH: 1, StrideW: 1, Groups: 1}
	if isDenseKind(kind) {
		switch {
		case len(act) == 2:
			l.N, l.C = act[0], act[1]
		case len(act) == 4:
			l.N, l.C = act[0], act[1]*act[2]*act[3]
		case len(act) == 3 && kind == nn.KindLSTM:
			l.N, l.C = act[0]*act[1], act[2]
		default:
			return fail("activations %s have shape %v, want batch x inputs or batch x channels x X x Y", apath, act)
		}
		switch len(wgt) {
		case 2:
			l.K = wgt[0]
			if wgt[1] != l.C {
				return fail("weights %s have %d inputs (shape %v), activations %s have %d (shape %v)", wpath, wgt[1], wgt, apath, l.C, act)
			}
		case 4:
			l.K = wgt[0]
			if in := wgt[1] * wgt[2] * wgt[3]; in != l.C {
				return fail("weights %s have %d inputs (shape %v), activations %s have %d (shape %v)", wpath, in, wgt, apath, l.C, act)
			}
		default:
			return fail("weights %s have shape %v, want outputs x inputs", wpath, wgt)
		}
		if l.K != p.Nn {
			return fail("Nn = %d but weights %s have %d outputs (shape %v)", p.Nn, wpath, l.K, wgt)
		}
		l.H, l.W, l.R, l.S = 1, 1, 1, 1
		actShape, wgtShape = []int{l.N, l.C}, []int{l.K, l.C}
	} else {
		var wc int
		switch len(wgt) {
		case 4:
			l.K, wc, l.R, l.S = wgt[0], wgt[1], wgt[2], wgt[3]
		case 2:
			l.K, wc, l.R, l.S = wgt[0], wgt[1], 1, 1
		default:
			return fail("weights %s have shape %v, want filters x channels x Kx x Ky", wpath, wgt)
		}
		switch len(act) {
		case 4:
			l.N, l.C, l.H, l.W = act[0], act[1], act[2], act[3]
		case 2:
			l.N, l.C, l.H, l.W = act[0], act[1], 1, 1
		default:
			return fail("activations %s have shape %v, want batch x channels x X x Y", apath, act)
		}
		if l.K != p.Nn {
			return fail("Nn = %d but weights %s have %d filters (shape %v)", p.Nn, wpath, l.K, wgt)
		}
		if l.R != p.Kx || l.S != p.Ky {
			return fail("kernel Kx x Ky = %d x %d but weights %s are %d x %d (shape %v)", p.Kx, p.Ky, wpath, l.R, l.S, wgt)
		}
		if wc <= 0 || l.C%wc != 0 {
			return fail("weights %s have %d channels, which does not divide the %d input channels of %s", wpath, wc, l.C, apath)
		}
		l.Groups = l.C / wc
		switch {
		case l.Groups == 1:
			l.Kind = nn.KindConv
		case wc == 1:
			l.Kind = nn.KindDepthwise
		default:
			l.Kind = nn.KindGrouped
		}
		if l.K%l.Groups != 0 {
			return fail("%d filters cannot be split into the %d groups that weights %s (%d channels) and activations %s (%d channels) imply",
				l.K, l.Groups, wpath, wc, apath, l.C)
		}
		l.StrideH, l.StrideW = p.Stride, p.Stride
		l.Pad = nn.Pad{Top: p.Padding, Bottom: p.Padding, Left: p.Padding, Right: p.Padding}
		actShape, wgtShape = []int{l.N, l.C, l.H, l.W}, []int{l.K, wc, l.R, l.S}
	}
	if err := l.Validate(); err != nil {
		return fail("activations %s, weights %s: %w", apath, wpath, err)
	}
	return l, actShape, wgtShape, nil
}

// Sample loads layer i's weights and the activations of one batch file and
// returns them with the layer's geometry (N from that file). Only this
// layer's two files are read.
func (n *Net) Sample(i, batch int) (nn.Sample, error) {
	if i < 0 || i >= len(n.Layers) {
		return nn.Sample{}, fmt.Errorf("dnnsim: network %q: layer index %d out of range 0..%d", n.Name, i, len(n.Layers)-1)
	}
	if batch < 0 || batch >= n.Batches {
		return nn.Sample{}, fmt.Errorf("dnnsim: network %q: batch %d out of range 0..%d", n.Name, batch, n.Batches-1)
	}
	info := n.Layers[i]
	p := TraceParam{Name: info.Name, Nn: info.Nn, Kx: info.Kx, Ky: info.Ky, Stride: info.Stride, Padding: info.Padding, Line: info.Line}
	wpath := WeightPath(n.Dir, n.Name, info.Name)
	apath := ActivationPath(n.Dir, n.Name, info.Name, batch)
	wgt, err := npy.Read(wpath)
	if err != nil {
		return nn.Sample{}, fmt.Errorf("dnnsim: layer %q: %w", info.Name, err)
	}
	act, err := npy.Read(apath)
	if err != nil {
		return nn.Sample{}, fmt.Errorf("dnnsim: layer %q: %w", info.Name, err)
	}
	l, actShape, wgtShape, err := geometry(p, act.Shape, wgt.Shape, apath, wpath)
	if err != nil {
		return nn.Sample{}, err
	}
	if err := sameExceptN(info.Geometry, l); err != nil {
		return nn.Sample{}, fmt.Errorf("dnnsim: layer %q: %s or %s changed since Open: %w", info.Name, apath, wpath, err)
	}
	act.Shape, wgt.Shape = actShape, wgtShape
	if err := l.CheckTensors(act, wgt); err != nil {
		return nn.Sample{}, fmt.Errorf("dnnsim: %s, %s: %w", apath, wpath, err)
	}
	return nn.Sample{Layer: l, Input: act, Weights: wgt}, nil
}

// Samples returns the layers of one batch in order, loading each only when
// the loop reaches it, so a network's traces are never all in memory. The
// sequence stops after the first error. Weights are read again for every
// batch.
func (n *Net) Samples(batch int) iter.Seq2[nn.Sample, error] {
	return func(yield func(nn.Sample, error) bool) {
		for i := range n.Layers {
			s, err := n.Sample(i, batch)
			if !yield(s, err) || err != nil {
				return
			}
		}
	}
}
