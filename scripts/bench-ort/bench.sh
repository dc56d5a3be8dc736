#!/bin/sh
# `make bench-ort`: installs onnxruntime-node (if missing) and times the Go
# forward pass side by side with onnxruntime on the zoo's ONNX models.
# Extra arguments go to the benchmark command (-threads, -rounds, -iters,
# -image, -models).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/bench-ort/setup.sh"
cd "$root"
exec "${GO:-go}" run ./laconic/infer/internal/benchort "$@"
