package tfjs

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"strings"
)

// artifact is a model.json: topology plus weights manifest.
type artifact struct {
	Format          string          `json:"format"`
	GeneratedBy     string          `json:"generatedBy"`
	ConvertedBy     string          `json:"convertedBy"`
	ModelTopology   json.RawMessage `json:"modelTopology"`
	WeightsManifest []manifestGroup `json:"weightsManifest"`
	// file is the name of the file the artifact came from.
	file string
}

type manifestGroup struct {
	Paths   []string     `json:"paths"`
	Weights []weightSpec `json:"weights"`
}

type weightSpec struct {
	Name         string        `json:"name"`
	Shape        []int         `json:"shape"`
	Dtype        string        `json:"dtype"`
	Quantization *quantization `json:"quantization"`
}

type quantization struct {
	Dtype string   `json:"dtype"`
	Min   *float64 `json:"min"`
	Scale *float64 `json:"scale"`
}

// weight is one decoded tensor in the file's own layout.
type weight struct {
	name  string
	shape []int
	data  []float32
	// codes are the stored uint8 values when the file quantizes the tensor
	// to uint8 (value = min + scale*code), nil otherwise.
	codes      []uint8
	min, scale float32
	used       bool
}

func (w *weight) len() int { return len(w.data) }

// Model file names, in the order they are tried.
const (
	modelJSONFile  = "model.json"
	modelMinJSFile = "model.min.js"
	minJSSuffix    = ".min.js"
)

// readArtifact reads model.json or model.min.js from fsys.
func readArtifact(fsys fs.FS) (*artifact, error) {
	var (
		file string
		js   []byte
	)
	if data, err := fs.ReadFile(fsys, modelJSONFile); err == nil {
		file = modelJSONFile
		if js, err = JSLiteralToJSON(data); err != nil {
			return nil, fmt.Errorf("%s: malformed JSON: %w", file, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", modelJSONFile, err)
	} else if data, err := fs.ReadFile(fsys, modelMinJSFile); err == nil {
		file = modelMinJSFile
		if js, err = UnwrapJS(data); err != nil {
			return nil, fmt.Errorf("%s: malformed model literal: %w", file, err)
		}
	} else if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no %s or %s (not a TensorFlow.js model directory)", modelJSONFile, modelMinJSFile)
	} else {
		return nil, fmt.Errorf("%s: %w", modelMinJSFile, err)
	}
	a := &artifact{file: file}
	if err := json.Unmarshal(js, a); err != nil {
		return nil, fmt.Errorf("%s: not a TensorFlow.js model: %w", file, err)
	}
	if len(a.ModelTopology) == 0 || string(a.ModelTopology) == "null" {
		return nil, fmt.Errorf("%s: no modelTopology", file)
	}
	return a, nil
}

// bytesPerElement returns the stored size of one element, or an error for
// dtypes the loader does not read.
func (s weightSpec) bytesPerElement() (int, error) {
	if q := s.Quantization; q != nil {
		switch q.Dtype {
		case "uint8":
			return 1, nil
		case "uint16", "float16":
			return 2, nil
		}
		return 0, fmt.Errorf("weight %q: unsupported quantization dtype %q (want uint8, uint16 or float16)", s.Name, q.Dtype)
	}
	switch s.Dtype {
	case "float32", "int32":
		return 4, nil
	case "bool":
		return 1, nil
	}
	return 0, fmt.Errorf("weight %q: unsupported dtype %q (want float32, int32 or bool)", s.Name, s.Dtype)
}

// numElements returns the element count of a shape, or an error for
// negative dimensions or absurd sizes.
func numElements(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d != 0 && n > math.MaxInt32/d {
			return 0, fmt.Errorf("shape %v is too large", shape)
		}
		n *= d
	}
	return n, nil
}

// readWeights reads every manifest group's shards and decodes the tensors.
func readWeights(fsys fs.FS, a *artifact) (map[string]*weight, []*weight, error) {
	byName := map[string]*weight{}
	var order []*weight
	for gi, g := range a.WeightsManifest {
		var data []byte
		for _, p := range g.Paths {
			b, err := readShard(fsys, p)
			if err != nil {
				return nil, nil, err
			}
			data = append(data, b...)
		}
		need := 0
		for _, s := range g.Weights {
			n, err := numElements(s.Shape)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: weight %q: %w", a.file, s.Name, err)
			}
			bpe, err := s.bytesPerElement()
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", a.file, err)
			}
			need += n * bpe
		}
		if need != len(data) {
			return nil, nil, fmt.Errorf("%s: weights group %d (%s) needs %d bytes, its shards hold %d: truncated or mismatched shard files",
				a.file, gi, strings.Join(g.Paths, ", "), need, len(data))
		}
		off := 0
		for _, s := range g.Weights {
			w, used, err := decodeWeight(s, data[off:])
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", a.file, err)
			}
			off += used
			if _, dup := byName[s.Name]; dup {
				return nil, nil, fmt.Errorf("%s: weight %q appears twice in the manifest", a.file, s.Name)
			}
			byName[s.Name] = w
			order = append(order, w)
		}
	}
	return byName, order, nil
}

// readShard returns the raw bytes of one shard: the binary file itself, or
// the base64 string of its ".min.js" wrapper.
func readShard(fsys fs.FS, p string) ([]byte, error) {
	if p == "" || path.IsAbs(p) || strings.Contains(p, "..") || !fs.ValidPath(p) {
		return nil, fmt.Errorf("shard path %q is not a plain relative path", p)
	}
	b, err := fs.ReadFile(fsys, p)
	if err == nil {
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	js := p + minJSSuffix
	src, err := fs.ReadFile(fsys, js)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("weights shard %s (or %s) is missing", p, js)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", js, err)
	}
	s, err := unwrapJSString(src)
	if err != nil {
		return nil, fmt.Errorf("%s: malformed shard wrapper: %w", js, err)
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(out, s)
	if err != nil {
		return nil, fmt.Errorf("%s: bad base64: %w", js, err)
	}
	return out[:n], nil
}

// decodeWeight decodes one tensor from the start of data and returns it
// with the number of bytes it used. TensorFlow.js dequantizes as
// value = code*scale + min in double precision, stored as float32; so does
// this function.
func decodeWeight(s weightSpec, data []byte) (*weight, int, error) {
	n, err := numElements(s.Shape)
	if err != nil {
		return nil, 0, fmt.Errorf("weight %q: %w", s.Name, err)
	}
	bpe, err := s.bytesPerElement()
	if err != nil {
		return nil, 0, err
	}
	if len(data) < n*bpe {
		return nil, 0, fmt.Errorf("weight %q needs %d bytes, %d left", s.Name, n*bpe, len(data))
	}
	w := &weight{name: s.Name, shape: append([]int(nil), s.Shape...), data: make([]float32, n)}
	if q := s.Quantization; q != nil {
		if q.Dtype == "float16" {
			for i := range w.data {
				w.data[i] = halfToFloat(binary.LittleEndian.Uint16(data[2*i:]))
			}
			return w, 2 * n, nil
		}
		if q.Min == nil || q.Scale == nil {
			return nil, 0, fmt.Errorf("weight %q: quantization %s needs min and scale", s.Name, q.Dtype)
		}
		mn, sc := *q.Min, *q.Scale
		if math.IsNaN(mn) || math.IsInf(mn, 0) || math.IsNaN(sc) || math.IsInf(sc, 0) {
			return nil, 0, fmt.Errorf("weight %q: quantization min %v, scale %v must be finite", s.Name, mn, sc)
		}
		switch q.Dtype {
		case "uint8":
			w.codes = append([]uint8(nil), data[:n]...)
			w.min, w.scale = float32(mn), float32(sc)
			for i, c := range w.codes {
				w.data[i] = float32(float64(c)*sc + mn)
			}
			return w, n, nil
		case "uint16":
			for i := range w.data {
				w.data[i] = float32(float64(binary.LittleEndian.Uint16(data[2*i:]))*sc + mn)
			}
			return w, 2 * n, nil
		}
	}
	switch s.Dtype {
	case "float32":
		for i := range w.data {
			w.data[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
		}
		return w, 4 * n, nil
	case "int32":
		for i := range w.data {
			w.data[i] = float32(int32(binary.LittleEndian.Uint32(data[4*i:])))
		}
		return w, 4 * n, nil
	default: // bool
		for i := range w.data {
			if data[i] != 0 {
				w.data[i] = 1
			}
		}
		return w, n, nil
	}
}

// halfToFloat converts an IEEE 754 half-precision value.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := int(h>>10) & 0x1f
	frac := uint32(h & 0x3ff)
	switch {
	case exp == 0:
		// zero or subnormal: frac * 2^-24
		v := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	default:
		return math.Float32frombits(sign | uint32(exp-15+127)<<23 | frac<<13)
	}
}
