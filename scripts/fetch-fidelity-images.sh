#!/usr/bin/env bash
# Extracts the fidelity photo set (data/imageset/fidelity.tsv) from Debian
# packages into data/fidelity-images/ (or $LACONIC_IMAGES).
#
# gcompris-qt-data keeps its photos inside Qt resource files; the Go
# extractor laconic/imageset/internal/fetch reads them and checks every
# photo's SHA-256 against the list. python3-skimage and darknet give the
# other photos. Idempotent: nothing is downloaded when every listed photo is
# already there with the right checksum. Needs apt-get and dpkg-deb
# (Debian); installs nothing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
list="$root/data/imageset/fidelity.tsv"
dest="${LACONIC_IMAGES:-$root/data/fidelity-images}"

# file  sha256 pairs of the list, checked with sha256sum -c.
if [[ -d "$dest" ]] && awk -F'\t' 'NR > 1 { print $2 "  " $1 }' "$list" |
  (cd "$dest" && sha256sum --status -c - 2>/dev/null); then
  echo "fidelity-images: all $(($(wc -l <"$list") - 1)) photos present in $dest"
  exit 0
fi

for tool in apt-get dpkg-deb sha256sum go; do
  if ! command -v "$tool" >/dev/null; then
    echo "fidelity-images: $tool is needed (Debian or Ubuntu, and Go) to extract the photos" >&2
    exit 1
  fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt's download user must be able to write here

# Package versions the list was made from (Debian 12 "bookworm"); the
# checksums decide whether a newer version still has the same photos.
declare -A versions=(
  [gcompris-qt-data]="3.1-2"
  [python3-skimage]="0.19.3-8"
  [darknet]="0.0.0+git20180914.61c9d02e-2+b4"
)
download() {
  local pkg="$1"
  (cd "$tmp" && apt-get download -q "$pkg=${versions[$pkg]}" >/dev/null 2>&1) ||
    (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1)
}
for pkg in gcompris-qt-data python3-skimage darknet; do
  echo "fidelity-images: downloading $pkg"
  if ! download "$pkg"; then
    echo "fidelity-images: apt-get download $pkg failed; updating the package lists and retrying"
    apt-get update -q >/dev/null || true
    if ! download "$pkg"; then
      echo "fidelity-images: cannot download $pkg with apt-get download (are Debian's package archives reachable?)" >&2
      exit 1
    fi
  fi
  deb=("$tmp"/"${pkg}"_*.deb)
  dpkg-deb -x "${deb[0]}" "$tmp/root"
done

cd "$root"
go run ./laconic/imageset/internal/fetch -root "$tmp/root" -list "$list" -out "$dest"
