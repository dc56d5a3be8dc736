#!/usr/bin/env bash
# Fetch the ONNX operator test data (model.onnx + input/output TensorProtos for
# single operators) from Debian's libonnx-testdata package into a git-ignored
# cache. Idempotent: does nothing when the cache already holds the data.
#
# Usage: scripts/fetch-onnx-testdata.sh [DEST]   (default: data/onnx-testdata)
# Licence of the data: Expat (MIT), ONNX Project Contributors; see
# DEST/copyright, copied from the package.
set -euo pipefail

cd "$(dirname "$0")/.."
dest="${1:-data/onnx-testdata}"
pkg=libonnx-testdata
want_version=1.12.0-2
stamp="$dest/.complete"

if [[ -f "$stamp" ]]; then
	echo "onnx test data: already in $dest ($(cat "$stamp"))"
	exit 0
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
	echo "fetch-onnx-testdata: needs apt-get and dpkg-deb (Debian or Ubuntu)" >&2
	exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
download() {
	# Prefer the pinned version; accept the distribution's current one.
	apt-get download "$pkg=$want_version" >/dev/null 2>&1 || apt-get download "$pkg" >/dev/null 2>&1
}
if ! download; then
	echo "fetch-onnx-testdata: updating the apt package lists" >&2
	apt-get update >/dev/null 2>&1 || true
	if ! download; then
		echo "fetch-onnx-testdata: 'apt-get download $pkg' failed (is Debian's archive reachable? try 'apt-get update' as root)" >&2
		exit 1
	fi
fi
deb="$(ls "$pkg"_*.deb)"
dpkg-deb -x "$deb" x
src=x/usr/share/libonnx-testdata/data
[[ -d "$src/node" ]] || { echo "fetch-onnx-testdata: $deb has no $src/node" >&2; exit 1; }
cd - >/dev/null

mkdir -p "$(dirname "$dest")"
staging="$(mktemp -d "$(dirname "$dest")/.onnx-testdata.XXXXXX")"
chmod 755 "$staging"
cp -r "$tmp/$src/node" "$tmp/$src/pytorch-converted" "$staging/"
cp "$tmp/x/usr/share/doc/$pkg/copyright" "$staging/copyright"
version="$(dpkg-deb -f "$tmp/$deb" Version)"
echo "$pkg $version" >"$staging/.complete"
rm -rf "$dest"
mv "$staging" "$dest"
echo "onnx test data: $pkg $version extracted into $dest"
