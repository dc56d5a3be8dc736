#!/bin/sh
# Installs onnxruntime-node (benchmark and cross-check only, never a runtime
# dependency of the toolkit) into the git-ignored .cache/bench-ort. The
# package's install script downloads from a host outside the npm registry, so
# it is skipped: the CPU library ships inside the package.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/.cache/bench-ort"
version=1.30.0
if [ -f "$dir/node_modules/onnxruntime-node/package.json" ] &&
	grep -q "\"version\": \"$version\"" "$dir/node_modules/onnxruntime-node/package.json"; then
	exit 0
fi
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"name": "bench-ort-cache", "private": true}' >"$dir/package.json"
(cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --no-save "onnxruntime-node@$version")
