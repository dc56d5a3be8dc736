package infer

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/laconiclab/toolkit/laconic/nn"
)

// RunBatch is Run for a batch of images split over cores: the N images of
// input are divided into opts.Workers (0: GOMAXPROCS, at most N) contiguous
// sub-batches, each computed by one goroutine with a single-threaded pass,
// and the outputs are joined along the batch axis. Every image's outputs
// are the same bits as Run's on the whole batch, or on that image alone.
//
// The tap, if any, is called concurrently from the workers, each time with
// the tensors of one sub-batch (their first dimension is that sub-batch's
// size); it must be safe for concurrent use. The first error of any worker
// stops the others between nodes and is returned.
func RunBatch(ctx context.Context, g *nn.Graph, input *nn.Tensor, opts Options) (map[string]*nn.Tensor, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if g == nil {
		return nil, errors.New("infer: nil graph")
	}
	if input == nil {
		return nil, fmt.Errorf("infer: graph %q: nil input tensor", g.Name)
	}
	if err := input.Validate(); err != nil {
		return nil, fmt.Errorf("infer: graph %q: input: %w", g.Name, err)
	}
	n := input.Shape[0]
	workers := min(resolveWorkers(opts.Workers), n)
	if workers <= 1 {
		return RunContext(ctx, g, input, opts)
	}
	per := nn.NumElements(input.Shape[1:])
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	parts := make([]map[string]*nn.Tensor, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		sub := &nn.Tensor{Shape: append([]int{hi - lo}, input.Shape[1:]...), Data: input.Data[lo*per : hi*per]}
		o := opts
		o.Workers = 1
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w], errs[w] = RunContext(ctx, g, sub, o)
			if errs[w] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	// Report the error that stopped the others, not their cancellation.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
		if err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	res := make(map[string]*nn.Tensor, len(parts[0]))
	for name, t0 := range parts[0] {
		shape := append([]int{n}, t0.Shape[1:]...)
		out := nn.NewTensor(shape...)
		off := 0
		for _, p := range parts {
			off += copy(out.Data[off:], p[name].Data)
		}
		res[name] = out
	}
	return res, nil
}
