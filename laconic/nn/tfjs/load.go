package tfjs

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Model formats as Info reports them.
const (
	LayersModel = "layers-model"
	GraphModel  = "graph-model"
)

// Load reads the TensorFlow.js model in dir (model.json or model.min.js
// plus its weight shards) and converts it to an nn.Graph named after the
// directory. Errors name the file and the layer or node at fault.
func Load(dir string) (*nn.Graph, error) {
	g, err := LoadFS(os.DirFS(dir), filepath.Base(filepath.Clean(dir)))
	if err != nil {
		return nil, fmt.Errorf("tfjs: %s: %w", dir, err)
	}
	g.Source = dir + " (" + g.Source + ")"
	return g, nil
}

// LoadFS is Load for a model directory given as a file system; name names
// the graph. Errors name files relative to fsys and are not prefixed.
func LoadFS(fsys fs.FS, name string) (*nn.Graph, error) {
	a, err := readArtifact(fsys)
	if err != nil {
		return nil, err
	}
	format, err := a.format()
	if err != nil {
		return nil, err
	}
	byName, _, err := readWeights(fsys, a)
	if err != nil {
		return nil, err
	}
	var g *nn.Graph
	if format == GraphModel {
		g, err = convertGraph(a.file, a.ModelTopology, byName, name)
	} else {
		g, err = convertLayers(a.file, a.ModelTopology, byName, name)
	}
	if err != nil {
		return nil, err
	}
	g.Source = "TensorFlow.js " + format
	if a.ConvertedBy != "" {
		g.Source += ", " + a.ConvertedBy
	}
	if err := g.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", a.file, err)
	}
	return g, nil
}

// format tells a layers model from a graph model.
func (a *artifact) format() (string, error) {
	switch a.Format {
	case LayersModel:
		return LayersModel, nil
	case GraphModel:
		return GraphModel, nil
	case "":
		var probe struct {
			Node        json.RawMessage `json:"node"`
			ModelConfig json.RawMessage `json:"model_config"`
			ClassName   string          `json:"class_name"`
		}
		if err := json.Unmarshal(a.ModelTopology, &probe); err != nil {
			return "", fmt.Errorf("%s: modelTopology is not an object: %w", a.file, err)
		}
		switch {
		case probe.Node != nil:
			return GraphModel, nil
		case probe.ModelConfig != nil || probe.ClassName != "":
			return LayersModel, nil
		}
		return "", fmt.Errorf("%s: modelTopology is neither a Keras model nor a TensorFlow graph", a.file)
	}
	return "", fmt.Errorf("%s: unknown format %q (want %s or %s)", a.file, a.Format, LayersModel, GraphModel)
}

// Info summarises a model file without converting it.
type Info struct {
	// Format is LayersModel or GraphModel.
	Format string
	// Classes counts the Keras layer classes (layers models) or TensorFlow
	// operators (graph models, Const included).
	Classes map[string]int
	// Tensors is the number of weight tensors in the manifest.
	Tensors int
	// Params is the total number of elements of those tensors.
	Params int64
	// Shards is the number of weight shard files.
	Shards int
}

// ClassNames returns the keys of Classes, sorted.
func (i *Info) ClassNames() []string {
	out := make([]string, 0, len(i.Classes))
	for k := range i.Classes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Inspect reads the model file in dir (not the weight shards) and counts its
// layers and parameters.
func Inspect(dir string) (*Info, error) {
	info, err := InspectFS(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("tfjs: %s: %w", dir, err)
	}
	return info, nil
}

// InspectFS is Inspect for a model directory given as a file system.
func InspectFS(fsys fs.FS) (*Info, error) {
	a, err := readArtifact(fsys)
	if err != nil {
		return nil, err
	}
	format, err := a.format()
	if err != nil {
		return nil, err
	}
	info := &Info{Format: format, Classes: map[string]int{}}
	for _, g := range a.WeightsManifest {
		info.Shards += len(g.Paths)
		for _, w := range g.Weights {
			n, err := numElements(w.Shape)
			if err != nil {
				return nil, fmt.Errorf("%s: weight %q: %w", a.file, w.Name, err)
			}
			info.Tensors++
			info.Params += int64(n)
		}
	}
	if format == GraphModel {
		var t tfGraph
		if err := json.Unmarshal(a.ModelTopology, &t); err != nil {
			return nil, fmt.Errorf("%s: modelTopology: %w", a.file, err)
		}
		for _, n := range t.Node {
			info.Classes[n.Op]++
		}
		return info, nil
	}
	var t kerasTopology
	if err := json.Unmarshal(a.ModelTopology, &t); err != nil {
		return nil, fmt.Errorf("%s: modelTopology: %w", a.file, err)
	}
	model := t.kerasModel
	if t.ModelConfig != nil {
		model = *t.ModelConfig
	}
	var fn kerasFunctional
	if err := json.Unmarshal(model.Config, &fn); err != nil {
		if err2 := json.Unmarshal(model.Config, &fn.Layers); err2 != nil {
			return nil, fmt.Errorf("%s: model config: %w", a.file, err)
		}
	}
	for _, l := range fn.Layers {
		info.Classes[l.ClassName]++
	}
	return info, nil
}
