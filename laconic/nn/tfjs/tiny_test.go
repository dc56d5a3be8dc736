package tfjs

// Tiny hand-made TensorFlow.js models for tests, fuzz seeds and examples.

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"testing/fstest"
)

type obj = map[string]any

// tinyWeight is one tensor of a tiny model: uint8 codes with min/scale.
type tinyWeight struct {
	name       string
	shape      []int
	codes      []uint8
	min, scale float64
}

func (w tinyWeight) spec() obj {
	return obj{"name": w.name, "shape": w.shape, "dtype": "float32",
		"quantization": obj{"dtype": "uint8", "min": w.min, "scale": w.scale}}
}

// value returns element i dequantized as TensorFlow.js does.
func (w tinyWeight) value(i int) float32 { return float32(float64(w.codes[i])*w.scale + w.min) }

func newTinyWeight(rng *rand.Rand, name string, shape ...int) tinyWeight {
	n := 1
	for _, d := range shape {
		n *= d
	}
	w := tinyWeight{name: name, shape: shape, codes: make([]uint8, n),
		min: -1 + rng.Float64()*0.5, scale: 0.01 + rng.Float64()*0.01}
	for i := range w.codes {
		w.codes[i] = uint8(rng.IntN(256))
	}
	return w
}

// positiveWeight has values in (0.5, 3): batch-norm variances and gammas.
func positiveWeight(rng *rand.Rand, name string, n int) tinyWeight {
	w := newTinyWeight(rng, name, n)
	w.min, w.scale = 0.5, 0.01
	return w
}

type tinyModel struct {
	json    []byte // model.json
	shard   []byte // group1-shard1of1
	weights map[string]tinyWeight
}

func packModel(topology obj, format string, ws []tinyWeight) tinyModel {
	var shard []byte
	var specs []obj
	m := tinyModel{weights: map[string]tinyWeight{}}
	for _, w := range ws {
		shard = append(shard, w.codes...)
		specs = append(specs, w.spec())
		m.weights[w.name] = w
	}
	art := obj{"modelTopology": topology,
		"weightsManifest": []obj{{"paths": []string{"group1-shard1of1"}, "weights": specs}}}
	if format != "" {
		art["format"] = format
	}
	b, err := json.Marshal(art)
	if err != nil {
		panic(err)
	}
	m.json, m.shard = b, shard
	return m
}

func inbound(names ...string) []any {
	if len(names) == 0 {
		return []any{}
	}
	refs := make([]any, len(names))
	for i, n := range names {
		refs[i] = []any{n, 0, 0, obj{}}
	}
	return []any{refs}
}

func kerasLayerObj(name, class string, config obj, inputs ...string) obj {
	config["name"] = name
	return obj{"name": name, "class_name": class, "config": config, "inbound_nodes": inbound(inputs...)}
}

// tinyLayers is a 6x6x2 layers model exercising every conversion: padding,
// strided and depthwise convolutions, batch-norm, ReLU6, pooling, a residual
// add, concatenation, a flatten of a 2x2x5 image into a Dense layer, dropout.
func tinyLayers(seed uint64) tinyModel {
	rng := rand.New(rand.NewPCG(seed, 1))
	ws := []tinyWeight{
		newTinyWeight(rng, "conv/kernel", 3, 3, 2, 4),
		newTinyWeight(rng, "conv/bias", 4),
		newTinyWeight(rng, "dw/depthwise_kernel", 3, 3, 4, 1),
		positiveWeight(rng, "bn/gamma", 4),
		newTinyWeight(rng, "bn/beta", 4),
		newTinyWeight(rng, "bn/moving_mean", 4),
		positiveWeight(rng, "bn/moving_variance", 4),
		newTinyWeight(rng, "side/kernel", 1, 1, 4, 1),
		newTinyWeight(rng, "dense/kernel", 20, 3),
		newTinyWeight(rng, "dense/bias", 3),
	}
	layers := []any{
		kerasLayerObj("input_1", "InputLayer", obj{"batch_input_shape": []any{nil, 6, 6, 2}, "dtype": "float32"}),
		kerasLayerObj("pad", "ZeroPadding2D", obj{"padding": []any{[]int{0, 1}, []int{0, 1}}, "data_format": "channels_last"}, "input_1"),
		kerasLayerObj("conv", "Conv2D", obj{"filters": 4, "kernel_size": []int{3, 3}, "strides": []int{2, 2}, "padding": "valid",
			"activation": "relu", "use_bias": true, "dilation_rate": []int{1, 1}}, "pad"),
		kerasLayerObj("dw", "DepthwiseConv2D", obj{"kernel_size": []int{3, 3}, "strides": []int{1, 1}, "padding": "same",
			"depth_multiplier": 1, "activation": "linear", "use_bias": false}, "conv"),
		kerasLayerObj("bn", "BatchNormalization", obj{"axis": -1, "epsilon": 0.001, "center": true, "scale": true}, "dw"),
		kerasLayerObj("relu6", "ReLU", obj{"max_value": 6, "negative_slope": 0, "threshold": 0}, "bn"),
		kerasLayerObj("add", "Add", obj{}, "relu6", "conv"),
		kerasLayerObj("side", "Conv2D", obj{"filters": 1, "kernel_size": []int{1, 1}, "strides": []int{1, 1}, "padding": "valid",
			"activation": "linear", "use_bias": false}, "add"),
		kerasLayerObj("cat", "Concatenate", obj{"axis": -1}, "add", "side"),
		kerasLayerObj("pool", "AveragePooling2D", obj{"pool_size": []int{2, 2}, "strides": []int{1, 1}, "padding": "valid"}, "cat"),
		kerasLayerObj("flat", "Flatten", obj{"data_format": "channels_last"}, "pool"),
		kerasLayerObj("drop", "Dropout", obj{"rate": 0.5}, "flat"),
		kerasLayerObj("dense", "Dense", obj{"units": 3, "activation": "softmax", "use_bias": true}, "drop"),
	}
	topo := obj{"keras_version": "2.2.4", "backend": "tensorflow", "model_config": obj{"class_name": "Model",
		"config": obj{"name": "tiny", "layers": layers,
			"input_layers": []any{[]any{"input_1", 0, 0}}, "output_layers": []any{[]any{"dense", 0, 0}}}}}
	return packModel(topo, "", ws)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func listS(vals ...string) obj {
	l := make([]string, len(vals))
	for i, v := range vals {
		l[i] = b64(v)
	}
	return obj{"list": obj{"s": l}}
}

func listI(vals ...int) obj {
	l := make([]string, len(vals))
	for i, v := range vals {
		l[i] = itoa(v)
	}
	return obj{"list": obj{"i": l}}
}

func itoa(v int) string { b, _ := json.Marshal(v); return string(b) }

func tfNodeObj(name, op string, attr obj, inputs ...string) obj {
	n := obj{"name": name, "op": op, "attr": attr}
	if len(inputs) > 0 {
		n["input"] = inputs
	}
	return n
}

// tinyGraph is a 5x5x3 graph model with the operators of nsfwjs's
// mobilenet_v2_mid: input scaling, fused and depthwise convolutions, a
// residual AddV2, average pooling, squeeze, fused matmul and softmax.
func tinyGraph(seed uint64) tinyModel {
	rng := rand.New(rand.NewPCG(seed, 2))
	mulY := tinyWeight{name: "scale/y", shape: []int{}, codes: []uint8{2}, min: 0, scale: 1}
	subY := tinyWeight{name: "shift/y", shape: []int{}, codes: []uint8{1}, min: 0, scale: 1}
	ws := []tinyWeight{
		mulY, subY,
		newTinyWeight(rng, "conv_w", 3, 3, 3, 4),
		newTinyWeight(rng, "conv_b", 4),
		newTinyWeight(rng, "dw_w", 3, 3, 4, 1),
		newTinyWeight(rng, "dw_b", 4),
		newTinyWeight(rng, "fc_w", 4, 2),
		newTinyWeight(rng, "fc_b", 2),
	}
	same, valid := obj{"s": b64("SAME")}, obj{"s": b64("VALID")}
	nhwc := obj{"s": b64("NHWC")}
	nodes := []any{
		tfNodeObj("input", "Placeholder", obj{"shape": obj{"shape": obj{"dim": []obj{{"size": "-1"}, {"size": "5"}, {"size": "5"}, {"size": "3"}}}},
			"dtype": obj{"type": "DT_FLOAT"}}),
		tfNodeObj("scale/y", "Const", obj{}),
		tfNodeObj("shift/y", "Const", obj{}),
		tfNodeObj("conv_w", "Const", obj{}),
		tfNodeObj("conv_b", "Const", obj{}),
		tfNodeObj("dw_w", "Const", obj{}),
		tfNodeObj("dw_b", "Const", obj{}),
		tfNodeObj("fc_w", "Const", obj{}),
		tfNodeObj("fc_b", "Const", obj{}),
		// Listed out of order on purpose: the loader sorts topologically.
		tfNodeObj("sub", "Sub", obj{}, "mul", "shift/y"),
		tfNodeObj("mul", "Mul", obj{}, "scale/y", "input"),
		tfNodeObj("conv", "_FusedConv2D", obj{"strides": listI(1, 2, 2, 1), "padding": same, "data_format": nhwc,
			"dilations": listI(1, 1, 1, 1), "num_args": obj{"i": "1"}, "fused_ops": listS("BiasAdd", "Relu6")}, "sub", "conv_w", "conv_b"),
		tfNodeObj("dw", "FusedDepthwiseConv2dNative", obj{"strides": listI(1, 1, 1, 1), "padding": same, "data_format": nhwc,
			"dilations": listI(1, 1, 1, 1), "num_args": obj{"i": "1"}, "fused_ops": listS("BiasAdd")}, "conv", "dw_w", "dw_b"),
		tfNodeObj("add", "AddV2", obj{}, "conv", "dw"),
		tfNodeObj("pool", "AvgPool", obj{"ksize": listI(1, 3, 3, 1), "strides": listI(1, 1, 1, 1), "padding": valid, "data_format": nhwc}, "add"),
		tfNodeObj("squeeze", "Squeeze", obj{"squeeze_dims": listI(1, 2)}, "pool"),
		tfNodeObj("fc", "_FusedMatMul", obj{"transpose_a": obj{"b": false}, "transpose_b": obj{"b": false},
			"num_args": obj{"i": "1"}, "fused_ops": listS("BiasAdd")}, "squeeze", "fc_w", "fc_b"),
		tfNodeObj("prob", "Softmax", obj{}, "fc"),
		tfNodeObj("Identity", "Identity", obj{}, "prob"),
	}
	return packModel(obj{"node": nodes, "versions": obj{}}, "graph-model", ws)
}

// files returns the model as model.json plus a binary shard.
func (m tinyModel) files() fstest.MapFS {
	return fstest.MapFS{
		"model.json":       {Data: m.json},
		"group1-shard1of1": {Data: m.shard},
	}
}

var (
	reKey    = regexp.MustCompile(`"([A-Za-z_$][A-Za-z0-9_$]*)":`)
	reTrue   = regexp.MustCompile(`:true\b`)
	reFalse  = regexp.MustCompile(`:false\b`)
	reZeroPt = regexp.MustCompile(`([:,\[-])0\.(\d)`)
)

// jsify rewrites JSON the way a minifier writes JavaScript literals:
// unquoted keys, !0 and !1, and numbers like .5.
func jsify(js []byte) string {
	s := reKey.ReplaceAllString(string(js), "$1:")
	s = reTrue.ReplaceAllString(s, ":!0")
	s = reFalse.ReplaceAllString(s, ":!1")
	return reZeroPt.ReplaceAllString(s, "$1.$2")
}

// minFiles returns the model in nsfwjs's minified JavaScript form.
func (m tinyModel) minFiles() fstest.MapFS {
	model := `!function(e){"object"==typeof exports&&"undefined"!=typeof module?module.exports=e():window.model=e()}` +
		`(function(){return function(a,n,i){a.exports=` + jsify(m.json) + `}({})});`
	shard := `!function(e){module.exports=e()}(function(){var h={};h.exports="` +
		base64.StdEncoding.EncodeToString(m.shard) + `";return h.exports});`
	return fstest.MapFS{
		"model.min.js":            {Data: []byte(model)},
		"group1-shard1of1.min.js": {Data: []byte(shard)},
	}
}
