package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// needEcharts fails the test with the set-up instruction when the library
// is not installed: `make test` installs it first.
func needEcharts(t *testing.T) []byte {
	t.Helper()
	lib, err := Echarts()
	if err != nil {
		t.Fatalf("%v", err)
	}
	return lib
}

// needNode skips the test when Node.js is absent.
func needNode(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: SVG export untested")
	}
}

var scriptSrc = regexp.MustCompile(`(?i)<script[^>]*\ssrc\s*=`)

func TestHTMLIsStandalone(t *testing.T) {
	lib := needEcharts(t)
	c, err := Bars(grouped())
	if err != nil {
		t.Fatal(err)
	}
	page, err := HTML(c)
	if err != nil {
		t.Fatal(err)
	}
	if scriptSrc.Match(page) {
		t.Errorf("page loads a script: %s", scriptSrc.Find(page))
	}
	if bytes.Contains(page, []byte("go-echarts.github.io")) {
		t.Error("page mentions the go-echarts assets host")
	}
	// The library is inlined whole (it contains nothing to escape).
	if !bytes.Contains(page, bytes.TrimSpace(lib)) {
		t.Error("page does not inline the echarts library")
	}
	for _, want := range []string{`id="chart_potential_speedup"`, "<title>Potential speedup</title>", `"logBase":10`, `"We+Ae"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("page lacks %s", want)
		}
	}
	// The library comes before the chart's script.
	if bytes.Index(page, []byte("setOption(option_chart_potential_speedup)")) < bytes.Index(page, bytes.TrimSpace(lib)) {
		t.Error("chart script runs before the library is loaded")
	}
	// Rendering again gives the same bytes, and the header does not pile up.
	again, err := HTML(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page, again) {
		t.Error("second rendering differs")
	}
	c2, _ := Bars(grouped())
	other, err := HTML(c2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page, other) {
		t.Error("same data, different page")
	}
}

func TestSaveHTML(t *testing.T) {
	needEcharts(t)
	c, err := Bars(grouped())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sub", "speedup.html")
	if err := SaveHTML(c, path); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := HTML(c)
	if !bytes.Equal(page, want) {
		t.Error("file differs from HTML")
	}
	// With the library missing, the existing file stays as it was.
	t.Setenv(EchartsEnv, filepath.Join(t.TempDir(), "nope.js"))
	if err := SaveHTML(c, path); !errors.Is(err, ErrNoEcharts) {
		t.Fatalf("error = %v, want ErrNoEcharts", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, page) {
		t.Error("failed save changed the file")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the page", len(entries))
	}
}

func TestMissingEcharts(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		env  string
		want []string
	}{
		{"env names a missing file", filepath.Join(dir, "missing.js"), []string{EchartsEnv, "missing.js", "make setup-charts"}},
		{"env names a directory without dist", dir, []string{filepath.Join(dir, "dist", "echarts.min.js"), "make setup-charts"}},
		{"no cache anywhere", "", []string{"make setup-charts", EchartsEnv}},
	}
	saved := searchStarts
	defer func() { searchStarts = saved }()
	searchStarts = func() []string { return []string{dir} }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EchartsEnv, tc.env)
			_, err := EchartsPath()
			if !errors.Is(err, ErrNoEcharts) {
				t.Fatalf("error = %v, want ErrNoEcharts", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			c, _ := Bars(grouped())
			if _, err := HTML(c); !errors.Is(err, ErrNoEcharts) {
				t.Errorf("HTML error = %v", err)
			}
			if _, err := NotebookHTML(c, "x1", true); !errors.Is(err, ErrNoEcharts) {
				t.Errorf("NotebookHTML error = %v", err)
			}
			if _, err := NotebookHTML(c, "x1", false); err != nil {
				t.Errorf("NotebookHTML without the library: %v", err)
			}
		})
	}
}

func TestEchartsFromEnv(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "dist", "echarts.min.js")
	if err := os.MkdirAll(filepath.Dir(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	body := []byte("var echarts = {setOption: 1}; // </script> inside")
	if err := os.WriteFile(fake, body, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{fake, dir} {
		t.Setenv(EchartsEnv, env)
		p, err := EchartsPath()
		if err != nil || p != fake {
			t.Fatalf("EchartsPath with %s = %q, %v", env, p, err)
		}
	}
	lib, err := Echarts()
	if err != nil || !bytes.Equal(lib, body) {
		t.Fatalf("Echarts = %q, %v", lib, err)
	}
	c, _ := Bars(grouped())
	page, err := HTML(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(`// <\/script> inside`)) {
		t.Error("library's </script> not escaped")
	}
	// Not echarts at all.
	if err := os.WriteFile(fake, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Echarts(); !errors.Is(err, ErrNoEcharts) || !strings.Contains(err.Error(), "does not look like") {
		t.Errorf("error = %v", err)
	}
}

// checkSVG parses svg as XML and checks it holds every text.
func checkSVG(t *testing.T, svg []byte, texts ...string) {
	t.Helper()
	if !bytes.HasPrefix(svg, []byte("<svg")) {
		t.Fatalf("not an SVG: %.60q", svg)
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var chars strings.Builder
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not valid XML: %v", err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = v.Name.Local
			}
		case xml.CharData:
			chars.Write(v)
			chars.WriteByte('\n')
		}
	}
	if root != "svg" {
		t.Errorf("root element %q", root)
	}
	for _, want := range texts {
		if !strings.Contains(chars.String(), want) {
			t.Errorf("SVG text lacks %q", want)
		}
	}
}

func TestSVG(t *testing.T) {
	needNode(t)
	needEcharts(t)
	bars, _ := Bars(grouped())
	panels, err := PanelBars(Panels{Title: "Laconic vs bit-parallel", XLabel: "network", Categories: []string{"net_a", "net_b"},
		Panels: []Panel{
			{YLabel: "speedup", RefLine: 1, Series: []Series{{"128 wires", []float64{2, 3}}, {"1K wires", []float64{12, 15}}}},
			{YLabel: "energy efficiency", Series: []Series{{"128 wires", []float64{2.1, 2.2}}, {"1K wires", []float64{1.8, 1.9}}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	layers, _ := LayerBreakdown(Layers{Title: "Per layer", Layers: []string{"conv_1", "conv_2"}, Bars: []Series{{"Base", []float64{1, 2}}}, Lines: []Series{{"speedup", []float64{3, 4}}}})
	lines, _ := Lines(XY{Title: "Speedup vs wires", LogX: true, XLabel: "wires", Series: []XYSeries{{"net_a", []float64{16, 32, 64}, []float64{1, 2, 3}}}})
	hist, _ := TermHistogram(Histogram{Title: "Terms of 8-bit values", Series: []Series{{"binary", []float64{1, 8, 28}}, {"csd", []float64{1, 14, 60}}}})
	for _, tc := range []struct {
		c     *Chart
		w, h  int
		texts []string
	}{
		{bars, 0, 0, []string{"Potential speedup", "mobilenet_v2", "inception_v3", "We+Ae", "speedup"}},
		{panels, 800, 700, []string{"Laconic vs bit-parallel", "net_a", "128 wires", "1K wires", "energy efficiency"}},
		{layers, 0, 0, []string{"Per layer", "conv_2", "Base", "speedup"}},
		{lines, 640, 400, []string{"Speedup vs wires", "16", "64", "net_a", "wires"}},
		{hist, 0, 0, []string{"Terms of 8-bit values", "binary", "csd", "terms"}},
	} {
		t.Run(tc.c.ID(), func(t *testing.T) {
			svg, err := SVG(tc.c, tc.w, tc.h)
			if err != nil {
				t.Fatal(err)
			}
			checkSVG(t, svg, tc.texts...)
			w, h := tc.w, tc.h
			if w == 0 {
				w, h = tc.c.Size()
			}
			if size := regexp.MustCompile(`<svg[^>]*width="(\d+)" height="(\d+)"`).FindSubmatch(svg); size == nil || string(size[1]) != strconv.Itoa(w) || string(size[2]) != strconv.Itoa(h) {
				t.Errorf("SVG size %q, want %dx%d", size, w, h)
			}
		})
	}
	// Deterministic, and SaveSVG writes the same bytes.
	a, err := SVG(bars, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bars.svg")
	if err := SaveSVG(bars, path, 0, 0); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !bytes.Equal(a, b) {
		t.Error("SVG rendering is not deterministic")
	}
}

func TestSVGErrors(t *testing.T) {
	c, _ := Bars(grouped())
	t.Run("no node", func(t *testing.T) {
		t.Setenv(NodeEnv, filepath.Join(t.TempDir(), "no-node"))
		_, err := SVG(c, 0, 0)
		if !errors.Is(err, ErrNoNode) || !strings.Contains(err.Error(), "apt-get install nodejs") {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("no echarts", func(t *testing.T) {
		needNode(t)
		t.Setenv(EchartsEnv, filepath.Join(t.TempDir(), "missing.js"))
		path := filepath.Join(t.TempDir(), "x.svg")
		if err := SaveSVG(c, path, 0, 0); !errors.Is(err, ErrNoEcharts) {
			t.Errorf("error = %v", err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Error("failed SaveSVG left a file")
		}
	})
	t.Run("broken library", func(t *testing.T) {
		needNode(t)
		fake := filepath.Join(t.TempDir(), "echarts.min.js")
		os.WriteFile(fake, []byte("throw new Error('broken echarts')"), 0o644)
		t.Setenv(EchartsEnv, fake)
		_, err := SVG(c, 0, 0)
		if err == nil || !strings.Contains(err.Error(), "broken echarts") {
			t.Errorf("error = %v, want node's message", err)
		}
	})
	t.Run("bad size", func(t *testing.T) {
		if _, err := SVG(c, -1, 10); err == nil {
			t.Error("no error")
		}
	})
	t.Run("nil chart", func(t *testing.T) {
		if _, err := SVG(nil, 0, 0); err == nil {
			t.Error("no error")
		}
		if _, err := HTML(nil); err == nil {
			t.Error("no error")
		}
	})
}
