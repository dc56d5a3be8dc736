// Package ortref drives onnxruntime's CPU engine (the npm package
// onnxruntime-node, run under Node.js by scripts/bench-ort/ort.js) as an
// independent reference for the forward pass: the cross-check test compares
// outputs with it and the benchmark command times it side by side with the
// Go pass. onnxruntime is never a dependency of the toolkit: Find reports
// ErrAbsent unless `make bench-ort` (or scripts/bench-ort/setup.sh) has
// installed it into the repository's git-ignored .cache/bench-ort.
package ortref
