package infer

import (
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // JPEG decoder
	_ "image/png"  // PNG decoder
	"io"
	"math"
	"os"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// Resize modes of nn.InputSpec.Resize.
const (
	// ResizeAlignCorners is tf.image.resizeBilinear with alignCorners=true:
	// source = dst * (in-1)/(out-1).
	ResizeAlignCorners = "bilinear-align-corners"
	// ResizeHalfPixel is tf.image.resizeBilinear with halfPixelCenters=true:
	// source = (dst+0.5) * in/out - 0.5.
	ResizeHalfPixel = "bilinear"
	// ResizeAsymmetric is tf.image.resizeBilinear with both flags false (the
	// tfjs default): source = dst * in/out.
	ResizeAsymmetric = "bilinear-asymmetric"
)

// CheckInputSpec reports whether an input specification can be used to load
// images, naming the field at fault.
func CheckInputSpec(spec nn.InputSpec) error {
	if spec.Height <= 0 || spec.Width <= 0 {
		return fmt.Errorf("infer: input spec: Height x Width = %d x %d, want positive", spec.Height, spec.Width)
	}
	if spec.Channels != 3 && spec.Channels != 1 {
		return fmt.Errorf("infer: input spec: Channels = %d, want 3 (RGB) or 1 (grey)", spec.Channels)
	}
	for c := 0; c < spec.Channels; c++ {
		if spec.Std[c] == 0 || math.IsNaN(float64(spec.Std[c])) {
			return fmt.Errorf("infer: input spec: Std[%d] = %v, want non-zero (use 1 for no scaling)", c, spec.Std[c])
		}
	}
	switch spec.Resize {
	case ResizeAlignCorners, ResizeHalfPixel, ResizeAsymmetric, "":
	default:
		return fmt.Errorf("infer: input spec: Resize = %q, want %q, %q or %q", spec.Resize, ResizeAlignCorners, ResizeHalfPixel, ResizeAsymmetric)
	}
	return nil
}

// MaxImagePixels bounds the size of an image LoadImage accepts (64
// megapixels), so that a corrupt header cannot ask for gigabytes.
const MaxImagePixels = 1 << 26

// LoadImage decodes a PNG or JPEG file and returns the 1 x C x H x W input
// tensor the spec describes:
//
//  1. every 8-bit sample p becomes float32(p)/255 (float32 division);
//  2. the image is resized to spec.Height x spec.Width with the spec's
//     bilinear mode, computed in float64 and rounded to float32 as
//     tf.image.resizeBilinear does (an empty Resize means "bilinear");
//  3. channel c becomes (v - Mean[c]) / Std[c] (skipped when Mean is 0 and
//     Std is 1).
//
// Colour images are RGB (alpha is dropped); grey images are replicated over
// three channels, and a one-channel spec takes the Rec. 601 luma
// 0.299 R + 0.587 G + 0.114 B.
func LoadImage(path string, spec nn.InputSpec) (*nn.Tensor, error) {
	if err := CheckInputSpec(spec); err != nil {
		return nil, fmt.Errorf("%w (loading %s)", err, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("infer: image: %w", err)
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil {
		return nil, fmt.Errorf("infer: image %s: cannot decode as PNG or JPEG: %w", path, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, fmt.Errorf("infer: image %s (%s): size %dx%d outside 1..%d pixels", path, format, cfg.Width, cfg.Height, MaxImagePixels)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("infer: image %s: %w", path, err)
	}
	img, format, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("infer: image %s: cannot decode as PNG or JPEG: %w", path, err)
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil, fmt.Errorf("infer: image %s (%s): empty image", path, format)
	}
	return ImageTensor(img, spec)
}

// ImageTensor converts a decoded image into a 1 x C x H x W input tensor as
// LoadImage describes.
func ImageTensor(img image.Image, spec nn.InputSpec) (*nn.Tensor, error) {
	if err := CheckInputSpec(spec); err != nil {
		return nil, err
	}
	src := pixels(img, spec.Channels)
	b := img.Bounds()
	h, w := b.Dy(), b.Dx()
	mode := spec.Resize
	if mode == "" {
		mode = ResizeHalfPixel
	}
	out := nn.NewTensor(1, spec.Channels, spec.Height, spec.Width)
	for c := 0; c < spec.Channels; c++ {
		resizeBilinear(src[c*h*w:(c+1)*h*w], h, w, out.Data[c*spec.Height*spec.Width:(c+1)*spec.Height*spec.Width], spec.Height, spec.Width, mode)
	}
	for c := 0; c < spec.Channels; c++ {
		m, s := spec.Mean[c], spec.Std[c]
		if m == 0 && s == 1 {
			continue
		}
		plane := out.Data[c*spec.Height*spec.Width : (c+1)*spec.Height*spec.Width]
		for i, v := range plane {
			plane[i] = (v - m) / s
		}
	}
	return out, nil
}

// pixels returns the image as C planes of float32(p)/255 values.
func pixels(img image.Image, channels int) []float32 {
	b := img.Bounds()
	h, w := b.Dy(), b.Dx()
	out := make([]float32, channels*h*w)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, bl := rgb8(img, b.Min.X+x, b.Min.Y+y)
			i := y*w + x
			if channels == 1 {
				out[i] = float32(0.299*float64(r)+0.587*float64(g)+0.114*float64(bl)) / 255
				continue
			}
			out[i] = float32(r) / 255
			out[h*w+i] = float32(g) / 255
			out[2*h*w+i] = float32(bl) / 255
		}
	}
	return out
}

// rgb8 returns the 8-bit, non-premultiplied colour samples of a pixel.
func rgb8(img image.Image, x, y int) (r, g, b uint8) {
	switch m := img.(type) {
	case *image.NRGBA:
		i := m.PixOffset(x, y)
		return m.Pix[i], m.Pix[i+1], m.Pix[i+2]
	case *image.Gray:
		v := m.Pix[m.PixOffset(x, y)]
		return v, v, v
	}
	c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
	return c.R, c.G, c.B
}

// resizeBilinear resizes one h x w plane to oh x ow as
// tf.image.resizeBilinear does: source coordinates and interpolation in
// float64, results rounded to float32.
func resizeBilinear(src []float32, h, w int, dst []float32, oh, ow int, mode string) {
	alignCorners := mode == ResizeAlignCorners
	halfPixel := mode == ResizeHalfPixel
	ratio := func(in, out int) float64 {
		if alignCorners && out > 1 {
			return float64(in-1) / float64(out-1)
		}
		return float64(in) / float64(out)
	}
	rh, rw := ratio(h, oh), ratio(w, ow)
	type tap struct {
		lo, hi int
		frac   float64
	}
	taps := func(n, in int, r float64) []tap {
		t := make([]tap, n)
		for i := range t {
			f := r * float64(i)
			if halfPixel {
				f = r*(float64(i)+0.5) - 0.5
			}
			lo := max(0, int(math.Floor(f)))
			t[i] = tap{lo: lo, hi: min(in-1, int(math.Ceil(f))), frac: f - float64(lo)}
		}
		return t
	}
	rows, cols := taps(oh, h, rh), taps(ow, w, rw)
	for y, ty := range rows {
		top := src[ty.lo*w : (ty.lo+1)*w]
		bot := src[ty.hi*w : (ty.hi+1)*w]
		for x, tx := range cols {
			tl, tr := float64(top[tx.lo]), float64(top[tx.hi])
			bl, br := float64(bot[tx.lo]), float64(bot[tx.hi])
			t := tl + (tr-tl)*tx.frac
			b := bl + (br-bl)*tx.frac
			dst[y*ow+x] = float32(t + (b-t)*ty.frac)
		}
	}
}

// LoadImages loads several images into one N x C x H x W batch, in order.
func LoadImages(paths []string, spec nn.InputSpec) (*nn.Tensor, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("infer: LoadImages: no image paths")
	}
	if err := CheckInputSpec(spec); err != nil {
		return nil, err
	}
	per := spec.Channels * spec.Height * spec.Width
	out := nn.NewTensor(len(paths), spec.Channels, spec.Height, spec.Width)
	for i, p := range paths {
		t, err := LoadImage(p, spec)
		if err != nil {
			return nil, err
		}
		copy(out.Data[i*per:(i+1)*per], t.Data)
	}
	return out, nil
}
