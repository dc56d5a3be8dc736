package infer

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

// TestRunBatch: splitting a batch over workers gives Run's bits.
func TestRunBatch(t *testing.T) {
	g := smallNet(9)
	r := rand.New(rand.NewPCG(9, 9))
	x := randTensor(r, 7, 3, 10, 10)
	want, err := Run(g, x, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{0, 1, 2, 3, 7, 20} {
		var calls atomic.Int64
		opts := Options{Workers: workers, Tap: func(*nn.Node, *nn.Layer, []*nn.Tensor, *nn.Tensor) error {
			calls.Add(1)
			return nil
		}}
		got, err := RunBatch(context.Background(), g, x, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got["fc"].Shape, want["fc"].Shape) || !slices.Equal(got["fc"].Data, want["fc"].Data) {
			t.Fatalf("workers=%d: %v %v, want %v %v", workers, got["fc"].Shape, got["fc"].Data, want["fc"].Shape, want["fc"].Data)
		}
		if calls.Load() == 0 {
			t.Fatalf("workers=%d: the tap was never called", workers)
		}
	}
}

func TestRunBatchErrors(t *testing.T) {
	g := smallNet(9)
	boom := errors.New("boom")
	opts := Options{Workers: 3, Tap: func(n *nn.Node, _ *nn.Layer, _ []*nn.Tensor, _ *nn.Tensor) error {
		if n.Name == "pw" {
			return boom
		}
		return nil
	}}
	if _, err := RunBatch(context.Background(), g, nn.NewTensor(4, 3, 10, 10), opts); !errors.Is(err, boom) {
		t.Fatalf("error %v, want the tap's", err)
	}
	if _, err := RunBatch(context.Background(), g, nn.NewTensor(4, 3, 9, 10), DefaultOptions()); err == nil {
		t.Fatal("wrong input size: no error")
	}
	if _, err := RunBatch(context.Background(), nil, nn.NewTensor(1), DefaultOptions()); err == nil {
		t.Fatal("nil graph: no error")
	}
	if _, err := RunBatch(context.Background(), g, nil, DefaultOptions()); err == nil {
		t.Fatal("nil input: no error")
	}
}

// TestZooDeterministic: a zoo model (when cached) gives the same bits on
// two runs, with 1 and 2 workers, and through RunBatch.
func TestZooDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	m, _ := zoo.Lookup("blazeface")
	if ok, err := zoo.Cached(m.Name); err != nil || !ok {
		t.Skip("blazeface is not in the model cache: run `make models`")
	}
	g := loadZooGraph(t, m)
	r := rand.New(rand.NewPCG(1, 1))
	x := randTensor(r, 2, 3, 256, 256)
	var ref map[string]*nn.Tensor
	for i, workers := range []int{1, 1, 2, 2} {
		var out map[string]*nn.Tensor
		var err error
		if i == 3 {
			out, err = RunBatch(context.Background(), g, x, Options{Workers: workers})
		} else {
			out, err = Run(g, x, Options{Workers: workers})
		}
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = out
			continue
		}
		for name, v := range ref {
			if !slices.Equal(out[name].Data, v.Data) {
				t.Fatalf("run %d (workers=%d): output %q differs from the first run", i, workers, name)
			}
		}
	}
}
