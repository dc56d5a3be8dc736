package tfjs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// kerasTopology is a layers model's topology: either {model_config: ...}
// (Keras' model.to_json() inside keras_version/backend) or the model
// config itself.
type kerasTopology struct {
	ModelConfig *kerasModel `json:"model_config"`
	kerasModel
}

type kerasModel struct {
	ClassName string          `json:"class_name"`
	Config    json.RawMessage `json:"config"`
}

type kerasFunctional struct {
	Name         string            `json:"name"`
	Layers       []kerasLayer      `json:"layers"`
	InputLayers  []json.RawMessage `json:"input_layers"`
	OutputLayers []json.RawMessage `json:"output_layers"`
}

type kerasLayer struct {
	Name         string          `json:"name"`
	ClassName    string          `json:"class_name"`
	Config       layerConfig     `json:"config"`
	InboundNodes json.RawMessage `json:"inbound_nodes"`
	inputs       []string
}

// layerConfig holds the fields of every supported Keras layer config.
type layerConfig struct {
	Name            string          `json:"name"`
	BatchInputShape []*int          `json:"batch_input_shape"`
	BatchShape      []*int          `json:"batch_shape"`
	Filters         int             `json:"filters"`
	KernelSize      json.RawMessage `json:"kernel_size"`
	Strides         json.RawMessage `json:"strides"`
	Padding         json.RawMessage `json:"padding"`
	DataFormat      string          `json:"data_format"`
	DilationRate    json.RawMessage `json:"dilation_rate"`
	Activation      string          `json:"activation"`
	UseBias         *bool           `json:"use_bias"`
	DepthMultiplier int             `json:"depth_multiplier"`
	Groups          int             `json:"groups"`
	Axis            json.RawMessage `json:"axis"`
	Epsilon         *float64        `json:"epsilon"`
	Center          *bool           `json:"center"`
	Scale           *bool           `json:"scale"`
	MaxValue        *float64        `json:"max_value"`
	NegativeSlope   *float64        `json:"negative_slope"`
	Threshold       *float64        `json:"threshold"`
	PoolSize        json.RawMessage `json:"pool_size"`
	Units           int             `json:"units"`
	TargetShape     []int           `json:"target_shape"`
	KeepDims        bool            `json:"keepdims"`
}

// layersBuilder converts a Keras layers model.
type layersBuilder struct {
	file    string
	weights map[string]*weight
	g       *nn.Graph
	shapes  map[string]shapeInfo
}

func convertLayers(file string, topo json.RawMessage, weights map[string]*weight, name string) (*nn.Graph, error) {
	var t kerasTopology
	if err := json.Unmarshal(topo, &t); err != nil {
		return nil, fmt.Errorf("%s: modelTopology: %w", file, err)
	}
	model := t.kerasModel
	if t.ModelConfig != nil {
		model = *t.ModelConfig
	}
	var fn kerasFunctional
	switch model.ClassName {
	case "Model", "Functional":
		if err := json.Unmarshal(model.Config, &fn); err != nil {
			return nil, fmt.Errorf("%s: model config: %w", file, err)
		}
	case "Sequential":
		if err := json.Unmarshal(model.Config, &fn); err != nil {
			// Older Sequential configs are a bare list of layers.
			if err2 := json.Unmarshal(model.Config, &fn.Layers); err2 != nil {
				return nil, fmt.Errorf("%s: Sequential config: %w", file, err)
			}
		}
		if err := chainSequential(&fn); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	case "":
		return nil, fmt.Errorf("%s: modelTopology has no model class (want a Keras Model, Functional or Sequential)", file)
	default:
		return nil, fmt.Errorf("%s: unsupported model class %q (want Model, Functional or Sequential)", file, model.ClassName)
	}
	if len(fn.Layers) == 0 {
		return nil, fmt.Errorf("%s: the model has no layers", file)
	}
	names := make([]string, len(fn.Layers))
	for i := range fn.Layers {
		l := &fn.Layers[i]
		if l.Name == "" {
			l.Name = l.Config.Name
		}
		if l.Name == "" {
			return nil, fmt.Errorf("%s: layer %d (%s) has no name", file, i, l.ClassName)
		}
		if l.inputs == nil {
			in, err := parseInbound(l.InboundNodes)
			if err != nil {
				return nil, fmt.Errorf("%s: layer %q: %w", file, l.Name, err)
			}
			l.inputs = in
		}
		names[i] = l.Name
	}
	order, err := topoSort(names, func(i int) []string { return fn.Layers[i].inputs })
	if err != nil {
		return nil, fmt.Errorf("%s: layer graph: %w", file, err)
	}
	b := &layersBuilder{file: file, weights: weights, g: &nn.Graph{Name: name}, shapes: map[string]shapeInfo{}}
	for _, i := range order {
		if err := b.layer(&fn.Layers[i]); err != nil {
			return nil, fmt.Errorf("%s: layer %q (%s): %w", file, fn.Layers[i].Name, fn.Layers[i].ClassName, err)
		}
	}
	for _, o := range fn.OutputLayers {
		ref, err := parseLayerRef(o)
		if err != nil {
			return nil, fmt.Errorf("%s: output_layers: %w", file, err)
		}
		if b.g.Node(ref) == nil {
			return nil, fmt.Errorf("%s: output layer %q does not exist", file, ref)
		}
		b.g.Outputs = append(b.g.Outputs, ref)
	}
	if len(b.g.Outputs) == 0 {
		b.g.Outputs = unconsumed(b.g)
	}
	return b.g, nil
}

// chainSequential gives Sequential layers an input layer and inbound links.
func chainSequential(fn *kerasFunctional) error {
	if len(fn.Layers) == 0 {
		return fmt.Errorf("Sequential model has no layers")
	}
	first := &fn.Layers[0]
	prev := ""
	if first.ClassName != "InputLayer" {
		shape := first.Config.BatchInputShape
		if shape == nil {
			shape = first.Config.BatchShape
		}
		if shape == nil {
			return fmt.Errorf("Sequential model: the first layer %q has no batch_input_shape", first.Name)
		}
		in := kerasLayer{Name: "input", ClassName: "InputLayer", Config: layerConfig{BatchInputShape: shape}, inputs: []string{}}
		fn.Layers = append([]kerasLayer{in}, fn.Layers...)
	}
	for i := range fn.Layers {
		l := &fn.Layers[i]
		if l.Name == "" {
			l.Name = l.Config.Name
		}
		if i == 0 {
			l.inputs = []string{}
		} else {
			l.inputs = []string{prev}
		}
		prev = l.Name
	}
	fn.OutputLayers = nil
	return nil
}

// parseInbound reads Keras 2 inbound_nodes: [[["name", 0, 0, {}], ...]].
func parseInbound(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return []string{}, nil
	}
	var nodes [][]json.RawMessage
	if err := json.Unmarshal(raw, &nodes); err != nil {
		return nil, fmt.Errorf("inbound_nodes: want [[[name, 0, 0, {}], ...]]: %w", err)
	}
	switch len(nodes) {
	case 0:
		return []string{}, nil
	case 1:
	default:
		return nil, fmt.Errorf("the layer is called %d times (shared layers are not supported)", len(nodes))
	}
	out := make([]string, 0, len(nodes[0]))
	for _, r := range nodes[0] {
		ref, err := parseLayerRef(r)
		if err != nil {
			return nil, fmt.Errorf("inbound_nodes: %w", err)
		}
		out = append(out, ref)
	}
	return out, nil
}

// parseLayerRef reads ["name", nodeIndex, tensorIndex, ...] and requires
// both indices to be 0.
func parseLayerRef(raw json.RawMessage) (string, error) {
	var ref []json.RawMessage
	if err := json.Unmarshal(raw, &ref); err != nil || len(ref) < 3 {
		return "", fmt.Errorf("want a reference [name, node index, tensor index], got %.60s", raw)
	}
	var name string
	var node, tensor float64
	if json.Unmarshal(ref[0], &name) != nil || json.Unmarshal(ref[1], &node) != nil || json.Unmarshal(ref[2], &tensor) != nil {
		return "", fmt.Errorf("want a reference [name, node index, tensor index], got %.60s", raw)
	}
	if node != 0 || tensor != 0 {
		return "", fmt.Errorf("reference to %q uses node %v, tensor %v (only 0, 0 is supported)", name, node, tensor)
	}
	return name, nil
}

// unconsumed returns the nodes whose output no node reads.
func unconsumed(g *nn.Graph) []string {
	read := map[string]bool{}
	for _, n := range g.Nodes {
		for _, in := range n.Inputs {
			read[in] = true
		}
	}
	var out []string
	for _, n := range g.Nodes {
		if !read[n.Name] && n.Op != nn.OpInput {
			out = append(out, n.Name)
		}
	}
	return out
}

// intPair reads an int or a list of one or two ints; def is used when raw
// is absent or null.
func intPair(raw json.RawMessage, field string, def [2]int) ([2]int, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return def, nil
	}
	var v int
	if json.Unmarshal(raw, &v) == nil {
		return [2]int{v, v}, nil
	}
	var l []int
	if err := json.Unmarshal(raw, &l); err != nil || len(l) == 0 || len(l) > 2 {
		return def, fmt.Errorf("%s: want an int or a list of two ints, got %.40s", field, raw)
	}
	if len(l) == 1 {
		return [2]int{l[0], l[0]}, nil
	}
	return [2]int{l[0], l[1]}, nil
}

// paddingMode reads "valid" or "same".
func paddingMode(raw json.RawMessage) (padMode, error) {
	var s string
	if len(raw) == 0 {
		return padValid, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("padding: want \"valid\" or \"same\", got %.40s", raw)
	}
	switch strings.ToLower(s) {
	case "valid":
		return padValid, nil
	case "same":
		return padSame, nil
	}
	return 0, fmt.Errorf("padding %q is not supported (want valid or same)", s)
}

// activation maps a Keras activation name.
func activation(name string) (nn.Activation, error) {
	switch name {
	case "", "linear":
		return nn.ActNone, nil
	case "relu":
		return nn.ActReLU, nil
	case "relu6":
		return nn.ActReLU6, nil
	case "softmax":
		return nn.ActSoftmax, nil
	case "sigmoid":
		return nn.ActSigmoid, nil
	}
	return "", fmt.Errorf("activation %q is not supported (want linear, relu, relu6, softmax or sigmoid)", name)
}

// weight returns the layer's weight named param ("kernel", "bias", ...).
func (b *layersBuilder) weight(layer, param string, rank int) (*weight, error) {
	w := b.weights[layer+"/"+param]
	if w == nil {
		suffix := "/" + layer + "/" + param
		for n, c := range b.weights {
			if strings.HasSuffix(n, suffix) {
				if w != nil {
					return nil, fmt.Errorf("weight %s/%s is ambiguous in the manifest", layer, param)
				}
				w = c
			}
		}
	}
	if w == nil {
		return nil, fmt.Errorf("weight %s/%s is missing from the weights manifest", layer, param)
	}
	if rank > 0 && len(w.shape) != rank {
		return nil, fmt.Errorf("weight %s has shape %v, want rank %d", w.name, w.shape, rank)
	}
	w.used = true
	return w, nil
}

func (b *layersBuilder) input(l *kerasLayer, want int) ([]shapeInfo, error) {
	if want >= 0 && len(l.inputs) != want {
		return nil, fmt.Errorf("has %d inputs, want %d", len(l.inputs), want)
	}
	if want < 0 && len(l.inputs) < 1 {
		return nil, fmt.Errorf("has no inputs")
	}
	out := make([]shapeInfo, len(l.inputs))
	for i, n := range l.inputs {
		s, ok := b.shapes[n]
		if !ok {
			return nil, fmt.Errorf("reads %q, which has no output", n)
		}
		out[i] = s
	}
	return out, nil
}

func (b *layersBuilder) add(n *nn.Node, s shapeInfo) error {
	if err := s.check(); err != nil {
		return err
	}
	b.g.Nodes = append(b.g.Nodes, n)
	b.shapes[n.Name] = s
	return nil
}

func checkFormat(c layerConfig) error {
	if c.DataFormat != "" && c.DataFormat != "channels_last" {
		return fmt.Errorf("data_format %q is not supported (want channels_last)", c.DataFormat)
	}
	return nil
}

func (b *layersBuilder) layer(l *kerasLayer) error {
	c := l.Config
	if err := checkFormat(c); err != nil {
		return err
	}
	n := &nn.Node{Name: l.Name, Inputs: append([]string(nil), l.inputs...)}
	switch l.ClassName {
	case "InputLayer":
		if len(l.inputs) != 0 {
			return fmt.Errorf("an input layer has inputs")
		}
		shape := c.BatchInputShape
		if shape == nil {
			shape = c.BatchShape
		}
		dims := make([]int, 0, 3)
		for i, d := range shape {
			if i == 0 {
				continue
			}
			if d == nil || *d <= 0 {
				return fmt.Errorf("batch_input_shape %s: every dimension but the batch must be fixed", fmtShape(shape))
			}
			dims = append(dims, *d)
		}
		s, ok := inputNode(n, dims)
		if !ok {
			return fmt.Errorf("batch_input_shape %s: want [null, H, W, C] or [null, F]", fmtShape(shape))
		}
		return b.add(n, s)

	case "Conv2D", "DepthwiseConv2D":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		if !in[0].isImage() {
			return fmt.Errorf("input %q is not an image (shape %v)", l.inputs[0], in[0].tf)
		}
		k, err := intPair(c.KernelSize, "kernel_size", [2]int{})
		if err != nil {
			return err
		}
		stride, err := intPair(c.Strides, "strides", [2]int{1, 1})
		if err != nil {
			return err
		}
		dil, err := intPair(c.DilationRate, "dilation_rate", [2]int{1, 1})
		if err != nil {
			return err
		}
		mode, err := paddingMode(c.Padding)
		if err != nil {
			return err
		}
		act, err := activation(c.Activation)
		if err != nil {
			return err
		}
		if act == nn.ActSoftmax {
			return fmt.Errorf("a softmax activation on a convolution is not supported")
		}
		H, W, C := in[0].tf[0], in[0].tf[1], in[0].tf[2]
		var K int
		if l.ClassName == "Conv2D" {
			w, err := b.weight(l.Name, "kernel", 4)
			if err != nil {
				return err
			}
			groups := max(c.Groups, 1)
			if w.shape[0] != k[0] || w.shape[1] != k[1] || w.shape[2]*groups != C || (c.Filters != 0 && w.shape[3] != c.Filters) {
				return fmt.Errorf("kernel %s has shape %v, want [%d %d %d %d]", w.name, w.shape, k[0], k[1], C/groups, c.Filters)
			}
			if groups > 1 && w.shape[3]%groups != 0 {
				return fmt.Errorf("groups %d do not divide %d filters", groups, w.shape[3])
			}
			K = w.shape[3]
			n.Weights = convKernel(w)
			n.Attrs.Groups = groups
		} else {
			w, err := b.weight(l.Name, "depthwise_kernel", 4)
			if err != nil {
				return err
			}
			m := max(c.DepthMultiplier, 1)
			if w.shape[0] != k[0] || w.shape[1] != k[1] || w.shape[2] != C || w.shape[3] != m {
				return fmt.Errorf("depthwise kernel %s has shape %v, want [%d %d %d %d]", w.name, w.shape, k[0], k[1], C, m)
			}
			K = C * m
			n.Weights = depthwiseKernel(w)
			n.Attrs.Groups = C
		}
		if c.UseBias == nil || *c.UseBias {
			bw, err := b.weight(l.Name, "bias", 1)
			if err != nil {
				return err
			}
			if bw.len() != K {
				return fmt.Errorf("bias %s has %d values, want %d", bw.name, bw.len(), K)
			}
			n.Bias = vectorTensor(bw)
		}
		oh, err := outSize(H, k[0], stride[0], dil[0], mode, 0, 0)
		if err != nil {
			return err
		}
		ow, err := outSize(W, k[1], stride[1], dil[1], mode, 0, 0)
		if err != nil {
			return err
		}
		n.Op = nn.OpConv
		n.Attrs.Kernel = k
		n.Attrs.Stride = stride
		n.Attrs.Dilation = dil
		n.Attrs.SamePadding = mode == padSame
		n.Attrs.Activation = act
		return b.add(n, imageShape(oh, ow, K))

	case "Dense":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		F := in[0].features()
		if F == 0 {
			return fmt.Errorf("input %q has shape %v; a Dense layer here needs a vector (flatten first)", l.inputs[0], in[0].tf)
		}
		act, err := activation(c.Activation)
		if err != nil {
			return err
		}
		w, err := b.weight(l.Name, "kernel", 2)
		if err != nil {
			return err
		}
		if w.shape[0] != F || (c.Units != 0 && w.shape[1] != c.Units) {
			return fmt.Errorf("kernel %s has shape %v, want [%d %d]", w.name, w.shape, F, c.Units)
		}
		n.Op = nn.OpDense
		n.Weights = denseKernel(w, false, in[0].flat)
		if c.UseBias == nil || *c.UseBias {
			bw, err := b.weight(l.Name, "bias", 1)
			if err != nil {
				return err
			}
			if bw.len() != w.shape[1] {
				return fmt.Errorf("bias %s has %d values, want %d", bw.name, bw.len(), w.shape[1])
			}
			n.Bias = vectorTensor(bw)
		}
		n.Attrs.Activation = act
		return b.add(n, vectorShape(w.shape[1]))

	case "BatchNormalization":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		if err := lastAxis(c.Axis, len(in[0].tf)); err != nil {
			return err
		}
		if in[0].flat != nil {
			return fmt.Errorf("batch-norm of a flattened image is not supported")
		}
		C := in[0].channels()
		mean, err := b.weight(l.Name, "moving_mean", 1)
		if err != nil {
			return err
		}
		variance, err := b.weight(l.Name, "moving_variance", 1)
		if err != nil {
			return err
		}
		var gamma, beta []float32
		if c.Scale == nil || *c.Scale {
			w, err := b.weight(l.Name, "gamma", 1)
			if err != nil {
				return err
			}
			gamma = w.data
		}
		if c.Center == nil || *c.Center {
			w, err := b.weight(l.Name, "beta", 1)
			if err != nil {
				return err
			}
			beta = w.data
		}
		for _, v := range [][]float32{mean.data, variance.data, gamma, beta} {
			if v != nil && len(v) != C {
				return fmt.Errorf("a parameter has %d values, want one per channel (%d)", len(v), C)
			}
		}
		eps := 1e-3
		if c.Epsilon != nil {
			eps = *c.Epsilon
		}
		n.Op = nn.OpBatchNorm
		if n.Scale, n.Shift, err = foldBatchNorm(gamma, beta, mean.data, variance.data, eps); err != nil {
			return err
		}
		return b.add(n, in[0])

	case "ReLU":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		if (c.NegativeSlope != nil && *c.NegativeSlope != 0) || (c.Threshold != nil && *c.Threshold != 0) {
			return fmt.Errorf("negative_slope and threshold must be 0")
		}
		switch {
		case c.MaxValue == nil:
			n.Op = nn.OpReLU
		case *c.MaxValue == 6:
			n.Op = nn.OpReLU6
		default:
			return fmt.Errorf("max_value %v is not supported (want none or 6)", *c.MaxValue)
		}
		return b.add(n, in[0])

	case "Activation", "Softmax":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		act := nn.ActSoftmax
		if l.ClassName == "Activation" {
			if act, err = activation(c.Activation); err != nil {
				return err
			}
		} else if err := lastAxis(c.Axis, len(in[0].tf)); err != nil {
			return err
		}
		switch act {
		case nn.ActNone:
			n.Op = nn.OpIdentity
		case nn.ActReLU:
			n.Op = nn.OpReLU
		case nn.ActReLU6:
			n.Op = nn.OpReLU6
		case nn.ActSigmoid:
			n.Op = nn.OpSigmoid
		case nn.ActSoftmax:
			if len(in[0].nn) != 1 || in[0].flat != nil {
				return fmt.Errorf("softmax over %v: only vectors are supported", in[0].tf)
			}
			n.Op = nn.OpSoftmax
		}
		return b.add(n, in[0])

	case "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		n.Op = nn.OpIdentity
		return b.add(n, in[0])

	case "ZeroPadding2D":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		if !in[0].isImage() {
			return fmt.Errorf("input %q is not an image", l.inputs[0])
		}
		pad, err := zeroPadding(c.Padding)
		if err != nil {
			return err
		}
		n.Op = nn.OpZeroPad
		n.Attrs.Pad = pad
		s := in[0].tf
		return b.add(n, imageShape(s[0]+pad.Top+pad.Bottom, s[1]+pad.Left+pad.Right, s[2]))

	case "MaxPooling2D", "AveragePooling2D":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		if !in[0].isImage() {
			return fmt.Errorf("input %q is not an image", l.inputs[0])
		}
		k, err := intPair(c.PoolSize, "pool_size", [2]int{2, 2})
		if err != nil {
			return err
		}
		stride, err := intPair(c.Strides, "strides", k)
		if err != nil {
			return err
		}
		mode, err := paddingMode(c.Padding)
		if err != nil {
			return err
		}
		s := in[0].tf
		oh, err := outSize(s[0], k[0], stride[0], 1, mode, 0, 0)
		if err != nil {
			return err
		}
		ow, err := outSize(s[1], k[1], stride[1], 1, mode, 0, 0)
		if err != nil {
			return err
		}
		n.Op = nn.OpMaxPool
		if l.ClassName == "AveragePooling2D" {
			n.Op = nn.OpAvgPool
		}
		n.Attrs.Kernel = k
		n.Attrs.Stride = stride
		n.Attrs.SamePadding = mode == padSame
		return b.add(n, imageShape(oh, ow, s[2]))

	case "GlobalAveragePooling2D":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		if !in[0].isImage() {
			return fmt.Errorf("input %q is not an image", l.inputs[0])
		}
		n.Op = nn.OpGlobalAvgPool
		C := in[0].tf[2]
		s := shapeInfo{tf: []int{C}, nn: []int{C, 1, 1}}
		if c.KeepDims {
			s = imageShape(1, 1, C)
		}
		return b.add(n, s)

	case "Flatten":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		n.Op = nn.OpFlatten
		return b.add(n, in[0].flatten())

	case "Reshape":
		in, err := b.input(l, 1)
		if err != nil {
			return err
		}
		out, err := reshape(in[0], c.TargetShape)
		if err != nil {
			return err
		}
		if len(out.nn) == 1 {
			n.Op = nn.OpFlatten
		} else {
			n.Op = nn.OpReshape
			n.Attrs.Shape = append([]int(nil), out.nn...)
		}
		return b.add(n, out)

	case "Add":
		in, err := b.input(l, -1)
		if err != nil {
			return err
		}
		for i := 1; i < len(in); i++ {
			if !slices.Equal(in[i].tf, in[0].tf) || !slices.Equal(in[i].flat, in[0].flat) {
				return fmt.Errorf("inputs %q %v and %q %v differ in shape", l.inputs[0], in[0].tf, l.inputs[i], in[i].tf)
			}
		}
		n.Op = nn.OpAdd
		return b.add(n, in[0])

	case "Concatenate":
		in, err := b.input(l, -1)
		if err != nil {
			return err
		}
		axis := -1
		if len(c.Axis) > 0 {
			if err := json.Unmarshal(c.Axis, &axis); err != nil {
				return fmt.Errorf("axis: want an int, got %.40s", c.Axis)
			}
		}
		out, nnAxis, err := concat(in, axis)
		if err != nil {
			return err
		}
		n.Op = nn.OpConcat
		n.Attrs.Axis = nnAxis
		return b.add(n, out)
	}
	return fmt.Errorf("unknown layer class %q (supported: InputLayer, Conv2D, DepthwiseConv2D, Dense, BatchNormalization, ReLU, Activation, Softmax, Dropout, ZeroPadding2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, Reshape, Add, Concatenate)", l.ClassName)
}

// lastAxis accepts an axis (int or one-element list) that is the last axis
// of a tensor of the given rank (without the batch axis).
func lastAxis(raw json.RawMessage, rank int) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var a int
	if json.Unmarshal(raw, &a) != nil {
		var l []int
		if json.Unmarshal(raw, &l) != nil || len(l) != 1 {
			return fmt.Errorf("axis %.40s: want one axis", raw)
		}
		a = l[0]
	}
	if a != -1 && a != rank {
		return fmt.Errorf("axis %d is not supported (want the channel axis, -1 or %d)", a, rank)
	}
	return nil
}

// concat returns the output shape of a concatenation along a TensorFlow.js
// axis (counting the batch as axis 0) and the nn axis.
func concat(in []shapeInfo, axis int) (shapeInfo, int, error) {
	rank := len(in[0].tf)
	if axis < 0 {
		axis += rank + 1
	}
	if axis < 1 || axis > rank {
		return shapeInfo{}, 0, fmt.Errorf("axis %d out of range for rank %d inputs", axis, rank+1)
	}
	out := append([]int(nil), in[0].tf...)
	for i, s := range in {
		if s.flat != nil {
			return shapeInfo{}, 0, fmt.Errorf("concatenating flattened images is not supported")
		}
		if len(s.tf) != rank {
			return shapeInfo{}, 0, fmt.Errorf("input %d has rank %d, want %d", i, len(s.tf)+1, rank+1)
		}
		for d := range s.tf {
			if d != axis-1 && s.tf[d] != in[0].tf[d] {
				return shapeInfo{}, 0, fmt.Errorf("input %d has shape %v, incompatible with %v", i, s.tf, in[0].tf)
			}
		}
		if i > 0 {
			out[axis-1] += s.tf[axis-1]
		}
	}
	if rank == 1 {
		if len(in[0].nn) != 1 {
			return shapeInfo{}, 0, fmt.Errorf("concatenating pooled vectors is not supported")
		}
		return vectorShape(out[0]), 1, nil
	}
	if rank != 3 {
		return shapeInfo{}, 0, fmt.Errorf("rank %d concatenation is not supported", rank+1)
	}
	// NHWC axes 1, 2, 3 are NCHW axes 2, 3, 1.
	nnAxis := [4]int{0, 2, 3, 1}[axis]
	return imageShape(out[0], out[1], out[2]), nnAxis, nil
}

// reshape supports reshapes that keep the element order in both layouts.
func reshape(in shapeInfo, target []int) (shapeInfo, error) {
	total := 1
	for _, d := range in.tf {
		total *= d
	}
	dims := append([]int(nil), target...)
	unknown := -1
	prod := 1
	for i, d := range dims {
		switch {
		case d == -1 && unknown < 0:
			unknown = i
		case d > 0:
			prod *= d
		default:
			return shapeInfo{}, fmt.Errorf("target shape %v is invalid", target)
		}
	}
	if unknown >= 0 {
		if prod == 0 || total%prod != 0 {
			return shapeInfo{}, fmt.Errorf("cannot reshape %v to %v", in.tf, target)
		}
		dims[unknown] = total / prod
		prod = total
	}
	if prod != total {
		return shapeInfo{}, fmt.Errorf("cannot reshape %v (%d values) to %v", in.tf, total, target)
	}
	switch len(dims) {
	case 1:
		return in.flatten(), nil
	case 3:
		out := imageShape(dims[0], dims[1], dims[2])
		if !in.orderSafe() || !out.orderSafe() {
			return shapeInfo{}, fmt.Errorf("reshape %v to %v changes the element order between NHWC and NCHW; not supported", in.tf, dims)
		}
		return out, nil
	}
	return shapeInfo{}, fmt.Errorf("reshape to rank %d is not supported", len(dims)+1)
}

// zeroPadding reads ZeroPadding2D's padding: n, [h, w] or [[t, b], [l, r]].
func zeroPadding(raw json.RawMessage) (nn.Pad, error) {
	var v int
	if json.Unmarshal(raw, &v) == nil {
		return nn.Pad{Top: v, Bottom: v, Left: v, Right: v}, checkPad(nn.Pad{Top: v, Bottom: v, Left: v, Right: v})
	}
	var pair []int
	if json.Unmarshal(raw, &pair) == nil && len(pair) == 2 {
		p := nn.Pad{Top: pair[0], Bottom: pair[0], Left: pair[1], Right: pair[1]}
		return p, checkPad(p)
	}
	var pp [][]int
	if json.Unmarshal(raw, &pp) == nil && len(pp) == 2 && len(pp[0]) == 2 && len(pp[1]) == 2 {
		p := nn.Pad{Top: pp[0][0], Bottom: pp[0][1], Left: pp[1][0], Right: pp[1][1]}
		return p, checkPad(p)
	}
	return nn.Pad{}, fmt.Errorf("padding %.40s: want n, [h, w] or [[top, bottom], [left, right]]", raw)
}

func checkPad(p nn.Pad) error {
	if p.Top < 0 || p.Bottom < 0 || p.Left < 0 || p.Right < 0 {
		return fmt.Errorf("negative padding %+v", p)
	}
	return nil
}

func fmtShape(s []*int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		if d == nil {
			parts[i] = "null"
		} else {
			parts[i] = fmt.Sprint(*d)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
