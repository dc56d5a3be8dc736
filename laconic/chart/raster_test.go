package chart

import (
	"bytes"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
)

func needRsvg(t *testing.T) {
	t.Helper()
	if _, err := rsvgPath(); err != nil {
		t.Fatalf("%v", err)
	}
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

func TestConvertSVG(t *testing.T) {
	needRsvg(t)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="red"/></svg>`)
	png, err := ConvertSVG(svg, "png", 2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, pngMagic) {
		t.Fatalf("PNG output starts with %q", png[:min(8, len(png))])
	}
	// The IHDR chunk holds width and height: twice the SVG's size.
	if w, h := be32(png[16:20]), be32(png[20:24]); w != 80 || h != 40 {
		t.Errorf("PNG is %dx%d, want 80x40 at scale 2", w, h)
	}
	pdf, err := ConvertSVG(svg, "pdf", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("PDF output starts with %q", pdf[:min(8, len(pdf))])
	}
	for _, bad := range []struct {
		svg    string
		format string
		scale  float64
		want   string
	}{
		{string(svg), "gif", 1, `format "gif"`},
		{string(svg), "png", 0, "scale 0"},
		{string(svg), "png", 17, "scale 17"},
		{"not svg", "png", 1, "not an SVG document"},
		{"<svg><unclosed", "png", 1, "conversion with"},
	} {
		if _, err := ConvertSVG([]byte(bad.svg), bad.format, bad.scale); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ConvertSVG(%.20q, %s, %v) error = %v, want one mentioning %q", bad.svg, bad.format, bad.scale, err, bad.want)
		}
	}
}

func be32(b []byte) int { return int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3]) }

func TestConvertSVGWithoutRsvg(t *testing.T) {
	t.Setenv(RsvgEnv, "/nonexistent/rsvg-convert")
	_, err := ConvertSVG([]byte(`<svg/>`), "png", 1)
	if !errors.Is(err, ErrNoRsvg) || !strings.Contains(err.Error(), "librsvg2-bin") {
		t.Errorf("error = %v, want ErrNoRsvg with the package to install", err)
	}
}

var imgData = regexp.MustCompile(`<div class="item" id="fig_7"[^>]*><img alt="Potential speedup" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"></div>`)

func TestNotebookBundle(t *testing.T) {
	needNode(t)
	needEcharts(t)
	needRsvg(t)
	c, err := Bars(grouped())
	if err != nil {
		t.Fatal(err)
	}
	b, err := NotebookBundle(c, "fig_7", false)
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := b.Data["image/svg+xml"].(string)
	if !strings.HasPrefix(svg, "<svg") {
		t.Fatalf("image/svg+xml = %.40q", svg)
	}
	png, _ := b.Data["image/png"].([]byte)
	if !bytes.HasPrefix(png, pngMagic) {
		t.Fatal("no PNG form")
	}
	w, h := c.Size()
	if be32(png[16:20]) != PNGScale*w || be32(png[20:24]) != PNGScale*h {
		t.Errorf("PNG %dx%d, want %dx%d", be32(png[16:20]), be32(png[20:24]), PNGScale*w, PNGScale*h)
	}
	md, _ := b.Metadata["image/png"].(map[string]int)
	if md["width"] != w || md["height"] != h {
		t.Errorf("PNG metadata %v, want width %d height %d", md, w, h)
	}
	page, _ := b.Data["text/html"].(string)
	m := imgData.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the HTML form holds no static image inside its chart element:\n%.600s", page)
	}
	if dec, err := base64.StdEncoding.DecodeString(m[1]); err != nil || string(dec) != svg {
		t.Errorf("the HTML's static image is not the SVG form (err %v)", err)
	}
	if !strings.Contains(page, `el.innerHTML = "";`) || !strings.Contains(page, "chart.setOption(") {
		t.Error("the script does not replace the static image with the interactive chart")
	}
	if b.Notice != "" {
		t.Errorf("notice %q with every tool installed", b.Notice)
	}

	// Without rsvg-convert the bundle keeps SVG and HTML and says why.
	t.Setenv(RsvgEnv, "/nonexistent/rsvg-convert")
	b, err = NotebookBundle(c, "fig_7", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Data["image/png"]; ok || b.Data["image/svg+xml"] == nil || !strings.Contains(b.Notice, "no PNG form") {
		t.Errorf("without rsvg-convert: forms %v, notice %q", keys(b.Data), b.Notice)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
