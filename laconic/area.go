package laconic

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/laconiclab/toolkit/laconic/arch"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
	"github.com/laconiclab/toolkit/laconic/table"
)

// GapResult is AttributeGap's account of one network: the steps and
// their Arrow table (release with Release).
type GapResult struct {
	Steps []arch.GapStep
	Table arrow.RecordBatch
}

// Release releases the table.
func (r *GapResult) Release() {
	if r != nil && r.Table != nil {
		r.Table.Release()
		r.Table = nil
	}
}

// AttributeGap runs model (a zoo name or a *Model) on images, all in one
// batch, quantizes both operands with profiled 16-bit fixed point and
// accounts for the gap between the Laconic potential and the simulated
// speedup of cfg over its baseline one factor at a time (arch.Attribute).
// mem builds the table (memory.DefaultAllocator when nil).
func AttributeGap(ctx context.Context, model any, images []string, cfg arch.Config, opt arch.GapOptions, mem memory.Allocator) (*GapResult, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	m, err := resolveModel(ctx, model, "AttributeGap")
	if err != nil {
		return nil, err
	}
	if err := needImages("AttributeGap", images); err != nil {
		return nil, err
	}
	name := m.name()
	var layers []arch.LayerData
	err = m.Samples(ctx, images, len(images), func(s nn.Sample) error {
		a, err := simQuantize(QuantFixed16, s.Input, true, dnnsim.DefaultLayerPrecision())
		if err != nil {
			return fmt.Errorf("laconic: layer %q: activations: %w", s.Layer.Name, err)
		}
		w, err := simQuantize(QuantFixed16, s.Weights, false, dnnsim.DefaultLayerPrecision())
		if err != nil {
			return fmt.Errorf("laconic: layer %q: weights: %w", s.Layer.Name, err)
		}
		layers = append(layers, arch.LayerData{Model: name, Layer: s.Layer, Acts: a, Wgts: w})
		return nil
	})
	if err != nil {
		return nil, err
	}
	steps, err := arch.Attribute(ctx, layers, cfg, opt)
	if err != nil {
		return nil, fmt.Errorf("laconic: AttributeGap %s: %w", name, err)
	}
	rec, err := table.FromRows(mem, steps, table.Provenance{Model: name, ModelSHA256: m.Info.TarballSHA256, Quant: quantLabel(QuantFixed16),
		Config: arch.ConfigsJSON([]arch.Config{cfg}),
		Extra: map[string]string{"laconic.table": "gap", "laconic.images": strings.Join(baseNames(images), ","),
			"laconic.batch": strconv.Itoa(len(images))}})
	if err != nil {
		return nil, err
	}
	return &GapResult{Steps: steps, Table: rec}, nil
}
