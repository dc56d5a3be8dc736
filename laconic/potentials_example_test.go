package laconic

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/work"
)

// potExampleImage writes a 12x10 gradient PNG.
func potExampleImage(dir, name string) string {
	img := image.NewRGBA(image.Rect(0, 0, 12, 10))
	for y := 0; y < 10; y++ {
		for x := 0; x < 12; x++ {
			img.Set(x, y, color.RGBA{uint8(20 * x), uint8(25 * y), uint8(x * y), 255})
		}
	}
	p := filepath.Join(dir, name)
	f, _ := os.Create(p)
	png.Encode(f, img)
	f.Close()
	return p
}

func ExamplePotentials() {
	dir, _ := os.MkdirTemp("", "potentials")
	defer os.RemoveAll(dir)
	img := potExampleImage(dir, "gradient.png")
	// A zoo model name ("inception_v3") works the same; here a small
	// network built in memory.
	m := tinyModel(1)
	res, err := Potentials(context.Background(), m, []string{img}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	for _, t := range work.TotalRows(work.Rows(work.Meta{Model: res.Model}, res.Results)) {
		if t.Scheme == "Base" || t.Scheme == "Ae" || t.Scheme == "We+Ae" {
			fmt.Printf("%s %-5s %.2fx\n", t.Model, t.Scheme, t.Speedup)
		}
	}
	fmt.Println(res.Layers.NumRows(), "rows,", res.Totals.NumRows(), "totals")
	// Output:
	// tiny Base  1.00x
	// tiny Ae    5.51x
	// tiny We+Ae 16.83x
	// 52 rows, 13 totals
}

func ExamplePotentialsFromTraces() {
	dir, _ := os.MkdirTemp("", "traces")
	defer os.RemoveAll(dir)
	// A DNNsim trace folder written from the toolkit's own forward pass.
	img := potExampleImage(dir, "gradient.png")
	var batch []nn.Sample
	tinyModel(1).Samples(context.Background(), []string{img}, 1, func(s nn.Sample) error {
		s.Input = s.Input.Clone()
		batch = append(batch, s)
		return nil
	})
	if err := dnnsim.Write(dir, "tiny", [][]nn.Sample{batch}, nil); err != nil {
		fmt.Println(err)
		return
	}
	res, err := PotentialsFromTraces(context.Background(), dir, "tiny", DNNsimPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	for _, r := range work.DNNsimRows(work.Meta{}, res.Results) {
		fmt.Printf("%-6s %5d multiplies, work %6d, reduction %5.2f%%, speedup %6.2fx\n", r.Layer, r.Multiplies, r.Work, r.WorkReductionPct, r.Speedup)
	}
	// Output:
	// conv1   1728 multiplies, work   7891, reduction 98.22%, speedup  56.06x
	// dw       576 multiplies, work   1205, reduction 99.18%, speedup 122.37x
	// pw       384 multiplies, work   1042, reduction 98.94%, speedup  94.34x
	// fc       480 multiplies, work   1633, reduction 98.67%, speedup  75.25x
}

func ExampleDefaultPotentialOptions() {
	o := DefaultPotentialOptions()
	fmt.Println(o.Quant, o.Work.Encoding, o.Work.ZeroCost, o.Work.Bits, o.Validate())
	o.Quant = "int4"
	fmt.Println(o.Validate())
	// Output:
	// fixed16 csd 0 16 <nil>
	// laconic: potential options: quant = "int4", want one of fixed16, affine8, raw, dnnsim
}

func ExampleDNNsimPotentialOptions() {
	o := DNNsimPotentialOptions()
	fmt.Println(o.Quant, o.Work.Encoding, o.Work.ZeroCost, o.Work.Bits)
	// Output:
	// dnnsim dnnsim 1 16
}

func ExampleQuants() {
	fmt.Println(Quants())
	// Output:
	// [fixed16 affine8 raw dnnsim]
}

func ExamplePotentialTables() {
	fmt.Println(PotentialTables())
	// Output:
	// [layers totals characterization histogram dnnsim]
}

func ExampleDefaultImages() {
	dir, _ := os.MkdirTemp("", "images")
	defer os.RemoveAll(dir)
	potExampleImage(dir, "b.png")
	potExampleImage(dir, "a.png")
	os.Setenv("LACONIC_IMAGES", dir) // default: data/images of the repository
	defer os.Unsetenv("LACONIC_IMAGES")
	imgs, err := DefaultImages(2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range imgs {
		fmt.Println(filepath.Base(p))
	}
	// Output:
	// a.png
	// b.png
}

func ExamplePotentialResult_Table() {
	dir, _ := os.MkdirTemp("", "potentials")
	defer os.RemoveAll(dir)
	res, err := Potentials(context.Background(), tinyModel(1), []string{potExampleImage(dir, "g.png")}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	rec, _ := res.Table("characterization")
	fmt.Println(rec.NumRows(), "layers characterised")
	_, err = res.Table("pies")
	fmt.Println(err)
	// Output:
	// 4 layers characterised
	// laconic: unknown table "pies" (want layers, totals, characterization, histogram, dnnsim)
}

func ExamplePotentialResult_Release() {
	dir, _ := os.MkdirTemp("", "potentials")
	defer os.RemoveAll(dir)
	res, err := Potentials(context.Background(), tinyModel(1), []string{potExampleImage(dir, "g.png")}, DefaultPotentialOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Release() // frees the tables; Results stay usable
	fmt.Println(res.Layers == nil, len(res.Results))
	// Output:
	// true 4
}
