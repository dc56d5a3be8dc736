#!/usr/bin/env bash
# Extracts a few real photographs from Debian packages into data/images/.
#
# The images come from python3-skimage (scikit-image's sample data) and
# darknet (its sample pictures); data/images/PROVENANCE.md records each
# one's package, version, original path and licence. Each image is checked
# against the SHA-256 below: the golden activations under
# laconic/infer/testdata/golden/ were computed from exactly these bytes.
#
# Idempotent: images already present with the right checksum are kept, and
# nothing is downloaded when all are there. Needs apt-get and dpkg-deb
# (Debian); installs nothing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/data/images"

# name  package  path inside the package  sha256
images=(
  "chelsea.png   python3-skimage usr/lib/python3/dist-packages/skimage/data/chelsea.png   596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb"
  "coffee.png    python3-skimage usr/lib/python3/dist-packages/skimage/data/coffee.png    cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7"
  "astronaut.png python3-skimage usr/lib/python3/dist-packages/skimage/data/astronaut.png 88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"
  "rocket.jpg    python3-skimage usr/lib/python3/dist-packages/skimage/data/rocket.jpg    c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c"
  "dog.jpg       darknet         usr/share/darknet/data/dog.jpg                           5a9522051c3cec2bbd2f6323fccba32e8fbf3ddcc2b3e2fd46b04c720bc6f866"
  "eagle.jpg     darknet         usr/share/darknet/data/eagle.jpg                         f95f57297fd51a6c5ddceb5ed6916fa759d1d65f402fee34c05b31a9608755c0"
)
# Package versions the checksums were taken from (Debian 12 "bookworm").
declare -A versions=(
  [python3-skimage]="0.19.3-8"
  [darknet]="0.0.0+git20180914.61c9d02e-2+b4"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

missing=()
for entry in "${images[@]}"; do
  read -r name pkg path sum <<<"$entry"
  if [[ -f "$dest/$name" && "$(sha "$dest/$name")" == "$sum" ]]; then
    continue
  fi
  missing+=("$entry")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "images: all ${#images[@]} images present in data/images"
  exit 0
fi

for tool in apt-get dpkg-deb sha256sum; do
  if ! command -v "$tool" >/dev/null; then
    echo "images: $tool is needed (Debian or Ubuntu) to extract the sample images" >&2
    exit 1
  fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt's download user must be able to write here

pkgs=()
for entry in "${missing[@]}"; do
  read -r _ pkg _ _ <<<"$entry"
  [[ " ${pkgs[*]-} " == *" $pkg "* ]] || pkgs+=("$pkg")
done

download() {
  local pkg="$1"
  # The pinned version first, then whatever the archive has now (the image
  # checksums decide whether it is still the same data).
  (cd "$tmp" && apt-get download -q "$pkg=${versions[$pkg]}" >/dev/null 2>&1) ||
    (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1)
}

for pkg in "${pkgs[@]}"; do
  echo "images: downloading $pkg"
  if ! download "$pkg"; then
    echo "images: apt-get download $pkg failed; updating the package lists and retrying"
    apt-get update -q >/dev/null || true
    if ! download "$pkg"; then
      echo "images: cannot download $pkg with apt-get download (are Debian's package archives reachable?)" >&2
      exit 1
    fi
  fi
  deb=("$tmp"/"${pkg}"_*.deb)
  dpkg-deb -x "${deb[0]}" "$tmp/root"
done

mkdir -p "$dest"
for entry in "${missing[@]}"; do
  read -r name pkg path sum <<<"$entry"
  src="$tmp/root/$path"
  if [[ ! -f "$src" ]]; then
    echo "images: $pkg no longer ships $path" >&2
    exit 1
  fi
  got="$(sha "$src")"
  if [[ "$got" != "$sum" ]]; then
    echo "images: $path in $pkg has sha256 $got, want $sum; the package changed (see data/images/PROVENANCE.md)" >&2
    exit 1
  fi
  cp "$src" "$dest/.$name.tmp"
  mv "$dest/.$name.tmp" "$dest/$name"
  echo "images: $name <- $pkg:/$path"
done
