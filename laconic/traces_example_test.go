package laconic_test

import (
	"context"
	"fmt"
	"image/color"
	"log"
	"os"

	"github.com/laconiclab/toolkit/laconic"
)

// Write a model's forward pass on two images as a DNNsim trace folder (one
// activation file per image), then read it back as DNNsim traces.
func ExampleWriteTraces() {
	dir, _ := os.MkdirTemp("", "traces")
	defer os.RemoveAll(dir)
	path, _ := writeTinyClassifier(dir)
	red, _ := writeSolid(dir, "red.png", 8, 8, color.NRGBA{R: 220, G: 20, B: 20, A: 255})
	blue, _ := writeSolid(dir, "blue.png", 8, 8, color.NRGBA{R: 10, G: 40, B: 230, A: 255})
	m, err := laconic.LoadModelFile(path)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	rep, err := laconic.WriteTraces(ctx, m, []string{red, blue}, dir, "tiny", laconic.TraceOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Net, rep.Layers, rep.Batches, "batch files,", rep.Files, "files")

	res, err := laconic.PotentialsFromTraces(ctx, dir, "tiny", laconic.DNNsimPotentialOptions())
	if err != nil {
		log.Fatal(err)
	}
	defer res.Release()
	for _, r := range res.Results { // summed over both images
		fmt.Println(r.Name, r.MACs(), "multiplies")
	}
	// Output:
	// tiny [conv fc] 2 batch files, 7 files
	// conv 1728 multiplies
	// fc 8 multiplies
}
