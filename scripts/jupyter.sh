#!/usr/bin/env bash
# Opens the notebooks of notebooks/ in the classic Jupyter Notebook server
# with the GoNB kernel that scripts/setup-notebooks.sh registered in
# .cache/jupyter. Installs the Debian package jupyter-notebook when the
# server is missing. Extra arguments go to `jupyter notebook`
# (e.g. --port 8890); by default it listens on 127.0.0.1:8888 without
# opening a browser: open the URL with the token it prints.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export JUPYTER_DATA_DIR="$ROOT/.cache/jupyter"
export PATH="$ROOT/.cache/bin:$PATH"

say() { echo "jupyter: $*"; }
fail() { echo "jupyter: $*" >&2; exit 1; }

[ -f "$JUPYTER_DATA_DIR/kernels/gonb/kernel.json" ] ||
  fail "the GoNB kernel is not registered in $JUPYTER_DATA_DIR: run 'make setup-notebooks' first"

have_server() { /usr/bin/python3 -c 'import notebook' >/dev/null 2>&1 && command -v jupyter-notebook >/dev/null 2>&1; }
if ! have_server; then
  command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] ||
    fail "the Jupyter Notebook server is missing: install the Debian package jupyter-notebook (or 'pip install notebook' for /usr/bin/python3)"
  say "installing jupyter-notebook with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends jupyter-notebook ||
    { apt-get -o DPkg::Lock::Timeout=600 update && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends jupyter-notebook; } ||
    fail "apt-get could not install jupyter-notebook"
  have_server || fail "jupyter-notebook installed but /usr/bin/python3 cannot import notebook"
fi

root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--allow-root)
cd "$ROOT/notebooks"
say "serving $ROOT/notebooks (kernel: Go (gonb)); stop with Ctrl-C"
exec jupyter-notebook --no-browser --ip=127.0.0.1 "${root_flag[@]}" "$@"
