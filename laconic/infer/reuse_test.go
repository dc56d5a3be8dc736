package infer

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// TestReuseKeepsResults: a pass without a tap (which overwrites and
// recycles intermediate storage) gives the same bits as one with a tap,
// returns every requested output intact and leaves the input untouched.
func TestReuseKeepsResults(t *testing.T) {
	g := smallNet(12)
	// Extra consumers: an output that is also an intermediate, and a view.
	g.Nodes = append(g.Nodes,
		&nn.Node{Name: "relu_in", Op: nn.OpReLU, Inputs: []string{"in"}},
		&nn.Node{Name: "id", Op: nn.OpIdentity, Inputs: []string{"relu6"}},
		&nn.Node{Name: "relu_id", Op: nn.OpReLU, Inputs: []string{"id"}},
		&nn.Node{Name: "sum", Op: nn.OpAdd, Inputs: []string{"relu_id", "relu_id"}},
	)
	outs := []string{"fc", "relu6", "sum", "relu_in"}
	r := rand.New(rand.NewPCG(12, 12))
	x := randTensor(r, 2, 3, 10, 10)
	orig := slices.Clone(x.Data)
	tap := func(*nn.Node, *nn.Layer, []*nn.Tensor, *nn.Tensor) error { return nil }
	want, err := Run(g, x, Options{Outputs: outs, Tap: tap})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := Run(g, x, Options{Outputs: outs})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			if !slices.Equal(got[o].Data, want[o].Data) {
				t.Fatalf("output %q differs without a tap", o)
			}
		}
		if !slices.Equal(x.Data, orig) {
			t.Fatal("the input was modified")
		}
	}
}
