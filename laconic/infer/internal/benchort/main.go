// Command bench-ort times the toolkit's forward pass side by side with
// onnxruntime's CPU engine on the zoo's ONNX models, on the same input (a
// real image prepared as the model's input specification says), and prints
// per-image times and the throughput ratio (onnxruntime time / Go time:
// above 1 means the Go pass is faster).
//
// Rounds alternate the two engines (a batch of runs of one, then of the
// other) so that load from other processes affects both alike; the
// summary quotes medians over all runs. Run it with `make bench-ort`, which
// first installs onnxruntime-node into the git-ignored .cache/bench-ort.
//
//	go run ./laconic/infer/internal/benchort -threads 1,2 -rounds 7 -iters 10
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/laconiclab/toolkit/laconic/infer"
	"github.com/laconiclab/toolkit/laconic/infer/internal/ortref"
	"github.com/laconiclab/toolkit/laconic/nn"
	"github.com/laconiclab/toolkit/laconic/nn/onnx"
	"github.com/laconiclab/toolkit/laconic/zoo"
)

func main() {
	threads := flag.String("threads", "1,2", "comma-separated thread counts (Go workers and GOMAXPROCS; onnxruntime intra-op threads)")
	rounds := flag.Int("rounds", 7, "alternating rounds per thread count")
	iters := flag.Int("iters", 10, "runs of each engine per round")
	image := flag.String("image", "data/images/astronaut.png", "input image (relative to the repository root)")
	models := flag.String("models", "", "comma-separated zoo models (default: every ONNX model of the zoo)")
	flag.Parse()
	if err := run(*threads, *rounds, *iters, *image, *models); err != nil {
		fmt.Fprintln(os.Stderr, "bench-ort:", err)
		os.Exit(1)
	}
}

func run(threadList string, rounds, iters int, image, modelList string) error {
	root, err := ortref.RepoRoot(".")
	if err != nil {
		return err
	}
	paths, err := ortref.Find(root)
	if err != nil {
		return err
	}
	var ts []int
	for _, f := range strings.Split(threadList, ",") {
		t, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || t < 1 {
			return fmt.Errorf("-threads: %q is not a positive integer", f)
		}
		ts = append(ts, t)
	}
	names := zoo.Names()
	if modelList != "" {
		names = strings.Split(modelList, ",")
	}
	eng, err := ortref.Start(paths)
	if err != nil {
		return err
	}
	defer eng.Close()
	tmp, err := os.MkdirTemp("", "bench-ort")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Printf("CPU: %s, GOMAXPROCS at start %d, %s\n", cpuModel(), runtime.GOMAXPROCS(0), time.Now().UTC().Format(time.RFC3339))
	for _, name := range names {
		m, err := zoo.Lookup(name)
		if err != nil {
			return err
		}
		if m.Format != zoo.FormatONNX {
			continue
		}
		if ok, err := zoo.Cached(name); err != nil || !ok {
			return fmt.Errorf("%s is not in the model cache (run `make models`)", name)
		}
		dir, err := zoo.CacheDir()
		if err != nil {
			return err
		}
		file := filepath.Join(dir, filepath.FromSlash(m.Entry))
		g, err := onnx.Load(file)
		if err != nil {
			return err
		}
		x, err := infer.LoadImage(filepath.Join(root, image), m.Input)
		if err != nil {
			return err
		}
		macs, err := modelMACs(g, x.Shape)
		if err != nil {
			return err
		}
		for _, t := range ts {
			id := fmt.Sprintf("%s-%d", name, t)
			sess, err := eng.Load(id, file, t)
			if err != nil {
				return err
			}
			in := filepath.Join(tmp, id+".npy")
			if err := ortref.WriteInput(in, x, sess); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			prev := runtime.GOMAXPROCS(t)
			opts := infer.DefaultOptions()
			opts.Workers = t
			runGo := func(k int) ([]float64, error) {
				ms := make([]float64, k)
				for i := range ms {
					t0 := time.Now()
					if _, err := infer.Run(g, x, opts); err != nil {
						return nil, err
					}
					ms[i] = float64(time.Since(t0).Nanoseconds()) / 1e6
				}
				return ms, nil
			}
			// Throughput on a batch split over the workers (RunBatch):
			// per-image time is the batch's time over its size.
			nb := 2 * t
			batch := nn.NewTensor(append([]int{nb}, x.Shape[1:]...)...)
			for i := 0; i < nb; i++ {
				copy(batch.Data[i*len(x.Data):], x.Data)
			}
			runBatch := func(k int) ([]float64, error) {
				ms := make([]float64, k)
				for i := range ms {
					t0 := time.Now()
					if _, err := infer.RunBatch(context.Background(), g, batch, opts); err != nil {
						return nil, err
					}
					ms[i] = float64(time.Since(t0).Nanoseconds()) / 1e6 / float64(nb)
				}
				return ms, nil
			}
			// Warm up both engines.
			if _, err := eng.Run(id, in, 3); err != nil {
				return err
			}
			if _, err := runGo(3); err != nil {
				return err
			}
			var allGo, allORT, allBatch, ratios, batchRatios []float64
			for r := 0; r < rounds; r++ {
				o, err := eng.Run(id, in, iters)
				if err != nil {
					return err
				}
				gm, err := runGo(iters)
				if err != nil {
					return err
				}
				bm, err := runBatch(max(1, iters/nb))
				if err != nil {
					return err
				}
				mo, mg, mb := median(o), median(gm), median(bm)
				ratios = append(ratios, mo/mg)
				batchRatios = append(batchRatios, mo/mb)
				allGo = append(allGo, gm...)
				allORT = append(allORT, o...)
				allBatch = append(allBatch, bm...)
				fmt.Printf("%-10s threads=%d round %d: onnxruntime %7.2f ms  go %7.2f ms  ratio %.3f  go RunBatch(%d images) %7.2f ms/image  ratio %.3f\n", name, t, r+1, mo, mg, mo/mg, nb, mb, mo/mb)
			}
			mb := median(allBatch)
			fmt.Printf("%-10s threads=%d SUMMARY RunBatch: go %.2f ms/image on batches of %d split over %d workers (%.2f GMAC/s), throughput ratio go/onnxruntime %.3f (median of rounds %.3f)\n",
				name, t, mb, nb, t, float64(macs)/mb/1e6, median(allORT)/mb, median(batchRatios))
			mo, mg := median(allORT), median(allGo)
			fmt.Printf("%-10s threads=%d SUMMARY: onnxruntime %.2f ms/image, go %.2f ms/image (%.2f GMAC/s), throughput ratio go/onnxruntime %.3f (median of rounds %.3f, range %.3f-%.3f)\n",
				name, t, mo, mg, float64(macs)/mg/1e6, mo/mg, median(ratios), slices.Min(ratios), slices.Max(ratios))
			runtime.GOMAXPROCS(prev)
		}
	}
	return nil
}

func modelMACs(g *nn.Graph, shape []int) (int64, error) {
	shapes, err := infer.Shapes(g, shape)
	if err != nil {
		return 0, err
	}
	var macs int64
	for _, n := range g.ComputeNodes() {
		l, err := infer.LayerOf(g, n, shapes)
		if err != nil {
			return 0, err
		}
		macs += l.MACs()
	}
	return macs, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
