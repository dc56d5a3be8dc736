package ortref

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/npy"
)

// ErrAbsent is returned by Find when Node.js or onnxruntime-node is not
// installed.
var ErrAbsent = errors.New("onnxruntime-node is not installed (run `make bench-ort` or scripts/bench-ort/setup.sh)")

// Paths locate the pieces Start needs.
type Paths struct {
	// Node is the node executable.
	Node string
	// Script is scripts/bench-ort/ort.js.
	Script string
	// ModuleDir holds node_modules/onnxruntime-node.
	ModuleDir string
}

// Find locates node, the driver script and the installed onnxruntime-node
// under the repository root, returning ErrAbsent (wrapped) when one is
// missing.
func Find(root string) (Paths, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return Paths{}, fmt.Errorf("ortref: node: %w", ErrAbsent)
	}
	p := Paths{
		Node:      node,
		Script:    filepath.Join(root, "scripts", "bench-ort", "ort.js"),
		ModuleDir: filepath.Join(root, ".cache", "bench-ort"),
	}
	for _, f := range []string{p.Script, filepath.Join(p.ModuleDir, "node_modules", "onnxruntime-node", "package.json")} {
		if _, err := os.Stat(f); err != nil {
			return Paths{}, fmt.Errorf("ortref: %s: %w", f, ErrAbsent)
		}
	}
	return p, nil
}

// RepoRoot returns the nearest directory at or above dir holding a go.mod.
func RepoRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", fmt.Errorf("ortref: no go.mod above %s", dir)
		}
		d = up
	}
}

// Engine is a running Node.js process holding onnxruntime sessions.
type Engine struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// Start launches the driver script.
func Start(p Paths) (*Engine, error) {
	cmd := exec.Command(p.Node, p.Script)
	cmd.Env = append(os.Environ(), "ORT_DIR="+p.ModuleDir)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ortref: starting %s: %w", p.Script, err)
	}
	return &Engine{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}, nil
}

// Close ends the process.
func (e *Engine) Close() error {
	e.in.Close()
	return e.cmd.Wait()
}

func (e *Engine) call(req map[string]any, reply any) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := e.in.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("ortref: %s: %w", req["cmd"], err)
	}
	line, err := e.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("ortref: %s: reading the reply: %w", req["cmd"], err)
	}
	var failed struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(line, &failed) == nil && failed.Error != "" {
		return fmt.Errorf("ortref: %s: %s", req["cmd"], failed.Error)
	}
	return json.Unmarshal(line, reply)
}

// Input describes a model input as onnxruntime sees it.
type Input struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

// Session is what Load reports about a model.
type Session struct {
	Inputs  []Input  `json:"inputs"`
	Outputs []string `json:"outputs"`
}

// Load creates a session id for an ONNX file with the given number of
// intra-op threads.
func (e *Engine) Load(id, model string, threads int) (Session, error) {
	var s Session
	err := e.call(map[string]any{"cmd": "load", "id": id, "model": model, "threads": threads}, &s)
	return s, err
}

// Run runs session id iters times on the .npy input and returns each run's
// wall time in milliseconds.
func (e *Engine) Run(id, input string, iters int) ([]float64, error) {
	var r struct {
		MS []float64 `json:"ms"`
	}
	err := e.call(map[string]any{"cmd": "run", "id": id, "input": input, "iters": iters}, &r)
	return r.MS, err
}

// Outputs runs session id once and writes every output as a float32 .npy
// file under dir; it returns the files in the session's output order.
func (e *Engine) Outputs(id, input, dir string, outputs []string) ([]string, error) {
	var r struct {
		Files map[string]string `json:"files"`
	}
	if err := e.call(map[string]any{"cmd": "outputs", "id": id, "input": input, "dir": dir}, &r); err != nil {
		return nil, err
	}
	files := make([]string, len(outputs))
	for i, o := range outputs {
		f, ok := r.Files[o]
		if !ok {
			return nil, fmt.Errorf("ortref: output %q was not written", o)
		}
		files[i] = f
	}
	return files, nil
}

// WriteInput writes x (1 x C x H x W) in the layout onnxruntime's
// session expects: as is when its first input is NCHW, transposed when it is
// NHWC.
func WriteInput(path string, x *nn.Tensor, s Session) error {
	if len(s.Inputs) != 1 {
		return fmt.Errorf("onnxruntime reports %d inputs, want 1", len(s.Inputs))
	}
	shape := s.Inputs[0].Shape
	c, h, w := x.Shape[1], x.Shape[2], x.Shape[3]
	switch {
	case slices.Equal(shape[1:], []int{c, h, w}):
		return npy.Write(path, x)
	case slices.Equal(shape[1:], []int{h, w, c}):
		t := nn.NewTensor(1, h, w, c)
		nn.StridedCopy(t.Data, x.Data, t.Shape, []int{c * h * w, w, 1, h * w})
		return npy.Write(path, t)
	}
	return fmt.Errorf("onnxruntime input shape %v fits neither %v nor NHWC", shape, x.Shape)
}
