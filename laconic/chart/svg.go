package chart

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/laconiclab/toolkit/laconic/internal/atomicfile"
)

// NodeEnv names the environment variable that gives the Node.js executable
// for SVG export; when unset, "node" is looked up on PATH.
const NodeEnv = "LACONIC_NODE"

// ErrNoNode is returned (wrapped) when SVG export cannot find Node.js.
var ErrNoNode = errors.New("node (Node.js) not found")

// SVGTimeout bounds one SVG rendering.
var SVGTimeout = 2 * time.Minute

//go:embed render.js
var renderJS string

// lookTool finds an external tool: the executable the environment
// variable env names, else name on PATH; a failure wraps sentinel with why
// the tool is needed and how to install it.
func lookTool(name, env string, sentinel error, why string) (string, error) {
	if v := os.Getenv(env); v != "" {
		name = v
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("chart: %w (%v): %s or set %s", sentinel, err, why, env)
	}
	return p, nil
}

// runTool runs an external tool with stdin as its input, bounded by
// SVGTimeout, and returns its standard output and its trimmed standard
// error; a failure's error carries the first 2000 bytes of that stderr.
func runTool(path string, args []string, stdin io.Reader) (stdout []byte, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), SVGTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = stdin
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	err = cmd.Run()
	stderr = strings.TrimSpace(errOut.String())
	if err != nil {
		msg := stderr
		if len(msg) > 2000 {
			msg = msg[:2000] + "..."
		}
		return nil, stderr, fmt.Errorf("%v: %s", err, msg)
	}
	return out.Bytes(), stderr, nil
}

func nodePath() (string, error) {
	return lookTool("node", NodeEnv, ErrNoNode, "SVG export runs echarts under Node.js; install it (Debian: apt-get install nodejs)")
}

// SVG renders the chart to a static SVG document of width x height pixels
// (the chart's own size when either is 0) with echarts' server-side
// renderer running under Node.js: no browser is needed. Static output has
// no tooltips or legend toggling. It fails with errors wrapping ErrNoNode
// or ErrNoEcharts when a tool is missing.
func SVG(c *Chart, width, height int) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("chart: SVG of a nil chart")
	}
	if width < 0 || height < 0 {
		return nil, fmt.Errorf("chart %s: SVG size %dx%d: want positive sizes (0 for the chart's own)", c.id, width, height)
	}
	if width == 0 {
		width = c.width
	}
	if height == 0 {
		height = c.height
	}
	node, err := nodePath()
	if err != nil {
		return nil, err
	}
	lib, err := EchartsPath()
	if err != nil {
		return nil, err
	}
	option, err := c.Option()
	if err != nil {
		return nil, err
	}
	out, stderr, err := runTool(node, []string{"-e", renderJS, lib, strconv.Itoa(width), strconv.Itoa(height)}, strings.NewReader(option))
	if err != nil {
		return nil, fmt.Errorf("chart %s: SVG rendering with %s and %s failed: %w", c.id, node, lib, err)
	}
	if !bytes.HasPrefix(out, []byte("<svg")) {
		return nil, fmt.Errorf("chart %s: SVG rendering with %s produced no SVG (%d bytes; stderr: %s)", c.id, node, len(out), stderr)
	}
	return out, nil
}

// SaveSVG renders the chart with SVG and writes it to path atomically: on
// error the file is left as it was.
func SaveSVG(c *Chart, path string, width, height int) error {
	svg, err := SVG(c, width, height)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, svg)
}
