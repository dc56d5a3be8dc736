package tfjs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/laconiclab/toolkit/laconic/nn/tfjs"
)

// A two-layer model: a 4-input dense layer with uint8 weights.
const exampleModel = `{"format": "layers-model",
 "modelTopology": {"class_name": "Model", "config": {"name": "m", "layers": [
   {"name": "x", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4]}, "inbound_nodes": []},
   {"name": "fc", "class_name": "Dense", "config": {"units": 2, "activation": "relu"}, "inbound_nodes": [[["x", 0, 0, {}]]]}],
  "output_layers": [["fc", 0, 0]]}},
 "weightsManifest": [{"paths": ["group1-shard1of1"], "weights": [
   {"name": "fc/kernel", "shape": [4, 2], "dtype": "float32", "quantization": {"dtype": "uint8", "min": -1, "scale": 0.25}},
   {"name": "fc/bias", "shape": [2], "dtype": "float32", "quantization": {"dtype": "uint8", "min": 0, "scale": 0.5}}]}]}`

// The shard: kernel codes (In x Out, row-major), then bias codes.
var exampleShard = []byte{0, 1, 2, 3, 4, 5, 6, 7, 1, 2}

func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "tfjs-example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "model.json"), []byte(exampleModel), 0o644)
	os.WriteFile(filepath.Join(dir, "group1-shard1of1"), exampleShard, 0o644)

	g, err := tfjs.Load(dir)
	if err != nil {
		panic(err)
	}
	for _, n := range g.Nodes {
		fmt.Printf("%s %s %v activation=%q\n", n.Name, n.Op, n.Inputs, n.Attrs.Activation)
	}
	fc := g.Node("fc")
	fmt.Println("weights", fc.Weights.Shape, fc.Weights.Data) // Out x In
	fmt.Println("codes  ", fc.Weights.Stored.Codes)
	fmt.Println("bias   ", fc.Bias.Data, "outputs", g.Outputs)
	// Output:
	// x Input [] activation=""
	// fc Dense [x] activation="relu"
	// weights [2 4] [-1 -0.5 0 0.5 -0.75 -0.25 0.25 0.75]
	// codes   [0 2 4 6 1 3 5 7]
	// bias    [0.5 1] outputs [fc]
}

func ExampleLoadFS() {
	fsys := fstest.MapFS{
		"model.json":       {Data: []byte(exampleModel)},
		"group1-shard1of1": {Data: exampleShard[:8]}, // truncated
	}
	_, err := tfjs.LoadFS(fsys, "m")
	fmt.Println(err)
	// Output: model.json: weights group 0 (group1-shard1of1) needs 10 bytes, its shards hold 8: truncated or mismatched shard files
}

func ExampleInspect() {
	dir, _ := os.MkdirTemp("", "tfjs-example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "model.json"), []byte(exampleModel), 0o644)

	info, err := tfjs.Inspect(dir) // reads model.json only
	if err != nil {
		panic(err)
	}
	fmt.Println(info.Format, info.Tensors, "tensors,", info.Params, "parameters in", info.Shards, "shard")
	for _, c := range info.ClassNames() {
		fmt.Println(c, info.Classes[c])
	}
	// Output:
	// layers-model 2 tensors, 10 parameters in 1 shard
	// Dense 1
	// InputLayer 1
}

func ExampleInspectFS() {
	info, err := tfjs.InspectFS(fstest.MapFS{"model.json": {Data: []byte(exampleModel)}})
	fmt.Println(info.Params, err)
	// Output: 10 <nil>
}

func ExampleJSLiteralToJSON() {
	out, err := tfjs.JSLiteralToJSON([]byte(`{name:"conv",trainable:!1,momentum:.99,shape:[3,3,-1e-3],rate:void 0}`))
	fmt.Println(string(out), err)
	_, err = tfjs.JSLiteralToJSON([]byte(`{a:1,,}`))
	fmt.Println(err)
	// Output:
	// {"name":"conv","trainable":false,"momentum":0.99,"shape":[3,3,-0.001],"rate":null} <nil>
	// offset 5: unexpected ',', want an object key
}

func ExampleUnwrapJS() {
	src := `!function(e){module.exports=e()}(function(){var a={};a.exports={format:"layers-model",v:!0};return a.exports});`
	out, err := tfjs.UnwrapJS([]byte(src))
	fmt.Println(string(out), err)
	// Output: {"format":"layers-model","v":true} <nil>
}
