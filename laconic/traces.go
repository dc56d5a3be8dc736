package laconic

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/dnnsim"
)

// TraceOptions configures WriteTraces.
type TraceOptions struct {
	// Batch is the number of images per batch file (act-<layer>-<k>.npy);
	// 0 writes one file per image. A batch's activations of every layer
	// are held in memory until its files are written, so large batches of
	// large networks need memory accordingly.
	Batch int
	// Precision, when set, is written as models/<net>/precision.txt (one
	// entry per compute layer); without it DNNsim's defaults apply.
	Precision *dnnsim.Precision
	// Progress, when set, is called after every layer of every batch.
	Progress func(Progress)
}

// TraceReport is what WriteTraces wrote.
type TraceReport struct {
	Dir, Net string
	// Layers are the trace names of the compute layers, in order.
	Layers  []string
	Batches int
	// Files and Bytes count the files of models/<net> and net_traces/<net>.
	Files   int
	Bytes   int64
	Elapsed time.Duration
}

// WriteTraces runs model (a zoo name, fetched if needed, or a *Model) on
// images and writes every compute layer's weights and input activations as
// network net of a DNNsim trace folder dir: models/<net>/trace_params.csv
// (and precision.txt with opts.Precision), net_traces/<net>/wgt-<layer>.npy
// and act-<layer>-<k>.npy for batch k. The folder then loads with
// PotentialsFromTraces and SimulateTraces, `laconic potentials --traces`,
// and DNNsim itself (see dnnsim.Writer for the layout's details).
// trace_params.csv is written last, so a failed run never looks complete.
func WriteTraces(ctx context.Context, model any, images []string, dir, net string, opts TraceOptions) (*TraceReport, error) {
	m, err := resolveModel(ctx, model, "WriteTraces")
	if err != nil {
		return nil, err
	}
	if err := needImages("WriteTraces", images); err != nil {
		return nil, err
	}
	if opts.Batch < 0 {
		return nil, fmt.Errorf("laconic: WriteTraces: batch %d: want 0 (one image per file) or more", opts.Batch)
	}
	if dir == "" {
		return nil, errors.New("laconic: WriteTraces: no output directory")
	}
	if net == "" {
		net = m.name()
	}
	batch := opts.Batch
	if batch == 0 {
		batch = 1
	}
	start := time.Now()
	w, err := dnnsim.NewWriter(dir, net, opts.Precision)
	if err != nil {
		return nil, fmt.Errorf("laconic: WriteTraces: %w", err)
	}
	layers := len(m.Graph.ComputeNodes())
	batches := (len(images) + batch - 1) / batch
	done := 0
	for b := 0; b < batches; b++ {
		imgs := images[b*batch : min(len(images), (b+1)*batch)]
		var samples []nn.Sample
		err := m.Samples(ctx, imgs, len(imgs), func(s nn.Sample) error {
			samples = append(samples, s)
			done++
			if opts.Progress != nil {
				opts.Progress(Progress{Layer: s.Layer.Name, Done: done, Total: layers * batches})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("laconic: WriteTraces: %w", err)
		}
		if err := w.WriteBatch(samples); err != nil {
			return nil, fmt.Errorf("laconic: WriteTraces: batch %d (%s): %w", b, strings.Join(baseNames(imgs), ","), err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("laconic: WriteTraces: %w", err)
	}
	rep := &TraceReport{Dir: dir, Net: net, Layers: w.Names(), Batches: batches}
	for _, sub := range []string{filepath.Join(dir, dnnsim.ModelsDir, net), filepath.Join(dir, dnnsim.TracesDir, net)} {
		err := filepath.WalkDir(sub, func(_ string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rep.Files++
			rep.Bytes += info.Size()
			return nil
		})
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("laconic: WriteTraces: %w", err)
		}
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}
