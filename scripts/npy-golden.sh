#!/usr/bin/env bash
# Regenerate the NumPy-written golden files of laconic/nn/npy/testdata (small
# .npy/.npz files and numpy.save's header bytes for many shapes), which the Go
# tests compare against. Needs Debian's python3-numpy; installs it with apt-get
# when missing and running as root. Not part of `make test` (the files are
# committed).
set -euo pipefail

cd "$(dirname "$0")/../laconic/nn/npy/testdata"
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
		apt-get install -y --no-install-recommends python3-numpy >/dev/null ||
			{ apt-get update -qq && apt-get install -y --no-install-recommends python3-numpy >/dev/null; }
	else
		echo "npy-golden: needs python3-numpy (apt-get install python3-numpy)" >&2
		exit 1
	fi
fi
/usr/bin/python3 make_golden.py
echo "npy-golden: regenerated $(pwd) with numpy $(/usr/bin/python3 -c 'import numpy; print(numpy.__version__)')"
