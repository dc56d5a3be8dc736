package infer

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

func TestResizeBilinear(t *testing.T) {
	tests := []struct {
		name   string
		src    []float32
		h, w   int
		oh, ow int
		mode   string
		want   []float32
	}{
		// tf.image.resizeBilinear's documented behaviour on a 2x2 image
		// [[2, 2], [4, 4]] resized to 3x3.
		{"asymmetric", []float32{2, 2, 4, 4}, 2, 2, 3, 3, ResizeAsymmetric, []float32{2, 2, 2, 10.0 / 3, 10.0 / 3, 10.0 / 3, 4, 4, 4}},
		{"align corners", []float32{2, 2, 4, 4}, 2, 2, 3, 3, ResizeAlignCorners, []float32{2, 2, 2, 3, 3, 3, 4, 4, 4}},
		// Half-pixel centres, one row [0, 1] to four columns: sources
		// -0.25, 0.25, 0.75, 1.25 (clamped at the borders).
		{"half pixel", []float32{0, 1}, 1, 2, 1, 4, ResizeHalfPixel, []float32{0, 0.25, 0.75, 1}},
		{"identity", []float32{1, 2, 3, 4, 5, 6}, 2, 3, 2, 3, ResizeAlignCorners, []float32{1, 2, 3, 4, 5, 6}},
		{"identity half", []float32{1, 2, 3, 4, 5, 6}, 2, 3, 2, 3, ResizeHalfPixel, []float32{1, 2, 3, 4, 5, 6}},
		{"downscale align", []float32{0, 1, 2, 3, 4}, 1, 5, 1, 3, ResizeAlignCorners, []float32{0, 2, 4}},
		{"to one pixel", []float32{0, 1, 2, 3}, 2, 2, 1, 1, ResizeAlignCorners, []float32{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]float32, tc.oh*tc.ow)
			resizeBilinear(tc.src, tc.h, tc.w, got, tc.oh, tc.ow, tc.mode)
			for i := range got {
				if math.Abs(float64(got[i]-tc.want[i])) > 1e-6 {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// gradient is a deterministic test picture.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 255 / max(w-1, 1)), G: uint8(y * 255 / max(h-1, 1)), B: uint8((x + y) % 256), A: 255})
		}
	}
	return img
}

func writeImage(t testing.TB, dir, name string, img image.Image) string {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if strings.HasSuffix(name, ".jpg") {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	} else {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadImage(t *testing.T) {
	dir := t.TempDir()
	pngPath := writeImage(t, dir, "g.png", gradient(16, 8))
	jpgPath := writeImage(t, dir, "g.jpg", gradient(16, 8))
	spec := nn.InputSpec{Height: 8, Width: 16, Channels: 3, Std: [3]float32{1, 1, 1}, Resize: ResizeAlignCorners}

	x, err := LoadImage(pngPath, spec)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 3, 8, 16}; !equalInts(x.Shape, want) {
		t.Fatalf("shape %v, want %v", x.Shape, want)
	}
	// Same size: the tensor is the pixels / 255 exactly.
	img := gradient(16, 8)
	for y := 0; y < 8; y++ {
		for xx := 0; xx < 16; xx++ {
			c := img.NRGBAAt(xx, y)
			for ch, v := range []uint8{c.R, c.G, c.B} {
				if got := x.Data[(ch*8+y)*16+xx]; got != float32(v)/255 {
					t.Fatalf("pixel (%d,%d,%d) = %v, want %v", ch, y, xx, got, float32(v)/255)
				}
			}
		}
	}
	// JPEG is lossy but close.
	xj, err := LoadImage(jpgPath, spec)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x.Data {
		if math.Abs(float64(x.Data[i]-xj.Data[i])) > 0.1 {
			t.Fatalf("jpeg element %d = %v, png %v", i, xj.Data[i], x.Data[i])
		}
	}
	// Mean/std normalisation maps [0, 1] to [-1, 1].
	spec2 := spec
	spec2.Mean, spec2.Std = [3]float32{0.5, 0.5, 0.5}, [3]float32{0.5, 0.5, 0.5}
	x2, err := LoadImage(pngPath, spec2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x.Data {
		if want := (x.Data[i] - 0.5) / 0.5; x2.Data[i] != want {
			t.Fatalf("normalised element %d = %v, want %v", i, x2.Data[i], want)
		}
	}
	// Resizing and batches.
	spec3 := spec
	spec3.Height, spec3.Width = 5, 7
	b, err := LoadImages([]string{pngPath, jpgPath, pngPath}, spec3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{3, 3, 5, 7}; !equalInts(b.Shape, want) {
		t.Fatalf("batch shape %v, want %v", b.Shape, want)
	}
	per := 3 * 5 * 7
	for i := 0; i < per; i++ {
		if b.Data[i] != b.Data[2*per+i] {
			t.Fatal("batch images 0 and 2 differ")
		}
	}
	// Corners are kept by alignCorners.
	if b.Data[0] != x.Data[0] || b.Data[per/3-1] != x.Data[8*16-1] {
		t.Fatalf("align-corners resize moved the corners: %v %v", b.Data[0], b.Data[per/3-1])
	}
	// Grey specification.
	grey := spec
	grey.Channels = 1
	g, err := LoadImage(pngPath, grey)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Data) != 8*16 {
		t.Fatalf("grey tensor has %d values", len(g.Data))
	}
}

func TestLoadImageErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeImage(t, dir, "ok.png", gradient(4, 4))
	garbage := filepath.Join(dir, "garbage.png")
	os.WriteFile(garbage, []byte("this is not an image"), 0o644)
	data, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "trunc.png")
	os.WriteFile(trunc, data[:len(data)/2], 0o644)
	spec := nn.InputSpec{Height: 4, Width: 4, Channels: 3, Std: [3]float32{1, 1, 1}}
	tests := []struct {
		name string
		path string
		spec nn.InputSpec
		sub  string
	}{
		{"missing", filepath.Join(dir, "missing.png"), spec, "missing.png"},
		{"garbage", garbage, spec, "garbage.png"},
		{"truncated", trunc, spec, "trunc.png"},
		{"zero std", good, nn.InputSpec{Height: 4, Width: 4, Channels: 3}, "Std[0]"},
		{"bad size", good, nn.InputSpec{Height: 0, Width: 4, Channels: 3, Std: [3]float32{1, 1, 1}}, "Height"},
		{"bad resize", good, nn.InputSpec{Height: 4, Width: 4, Channels: 3, Std: [3]float32{1, 1, 1}, Resize: "lanczos"}, "Resize"},
		{"bad channels", good, nn.InputSpec{Height: 4, Width: 4, Channels: 4, Std: [3]float32{1, 1, 1}}, "Channels"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadImage(tc.path, tc.spec)
			if err == nil || !strings.Contains(err.Error(), tc.sub) {
				t.Fatalf("error %v, want one containing %q", err, tc.sub)
			}
			if _, err := LoadImages([]string{good, tc.path}, tc.spec); err == nil {
				t.Fatal("LoadImages accepted it")
			}
		})
	}
	if _, err := LoadImages(nil, spec); err == nil {
		t.Fatal("LoadImages accepted no paths")
	}
}

func FuzzLoadImage(f *testing.F) {
	var buf bytes.Buffer
	png.Encode(&buf, gradient(3, 2))
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:buf.Len()/2])
	buf.Reset()
	jpeg.Encode(&buf, gradient(5, 3), nil)
	f.Add(buf.Bytes())
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	dir := f.TempDir()
	spec := nn.InputSpec{Height: 4, Width: 4, Channels: 3, Std: [3]float32{1, 1, 1}, Resize: ResizeHalfPixel}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "fuzz.img")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		x, err := LoadImage(p, spec)
		if err != nil {
			if !strings.Contains(err.Error(), p) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if err := x.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := x.CheckFinite(); err != nil {
			t.Fatal(err)
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
