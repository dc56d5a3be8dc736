#!/usr/bin/env bash
# Installs what the notebooks under notebooks/ need, skipping every step
# that is already done:
#   1. Jupyter's notebook runner (Debian packages jupyter-nbconvert,
#      jupyter-client, python3-nbclient), run by /usr/bin/python3;
#   2. the GoNB kernel and goimports, built from the versions pinned in go.mod
#      (`go install tool`) into .cache/bin;
#   3. the kernel registration, in the isolated Jupyter data directory
#      .cache/jupyter (notebooks see this repository's module through their
#      first cell, `!*go mod edit -require=... -replace=...=${GONB_DIR}/..`:
#      a go.work workspace instead would mix the module graphs and break the
#      build of packages that import Arrow's Parquet support);
#   4. the echarts library for charts (scripts/setup-charts.sh).
# Everything but the Debian packages lives in the git-ignored .cache/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache"
BIN="$CACHE/bin"
export JUPYTER_DATA_DIR="$CACHE/jupyter"
GO="${GO:-go}"
GONB_VERSION=v0.11.4

say() { echo "setup-notebooks: $*"; }
fail() { echo "setup-notebooks: $*" >&2; exit 1; }

# --- 1. Jupyter ---------------------------------------------------------
have_jupyter() {
  [ -x /usr/bin/python3 ] && command -v jupyter-nbconvert >/dev/null 2>&1 &&
    /usr/bin/python3 -c 'import nbformat, nbclient, nbconvert, jupyter_client' >/dev/null 2>&1
}
if have_jupyter; then
  say "Jupyter nbconvert/nbclient already installed"
else
  command -v apt-get >/dev/null 2>&1 ||
    fail "Jupyter is missing and apt-get is not available: install jupyter-nbconvert, jupyter-client and python3-nbclient (or the nbconvert, nbclient and jupyter_client Python packages for /usr/bin/python3)"
  [ "$(id -u)" = 0 ] ||
    fail "Jupyter is missing: run as root, or install first: apt-get install -y --no-install-recommends jupyter-nbconvert jupyter-client python3-nbclient"
  pkgs=(jupyter-nbconvert jupyter-client python3-nbclient)
  say "installing ${pkgs[*]} with apt-get"
  apt_install() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${pkgs[@]}"; }
  if ! apt_install; then
    say "retrying after apt-get update"
    apt-get -o DPkg::Lock::Timeout=600 update || fail "apt-get update failed: is the Debian archive reachable?"
    apt_install || fail "apt-get could not install ${pkgs[*]}"
  fi
  have_jupyter || fail "Jupyter still incomplete after apt-get: /usr/bin/python3 cannot import nbformat, nbclient, nbconvert and jupyter_client"
fi

# --- 2. GoNB and goimports ------------------------------------------------
command -v "$GO" >/dev/null 2>&1 || fail "the Go toolchain ($GO) is not on PATH"
tool_version() { "$GO" version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'; }
if [ -x "$BIN/gonb" ] && [ -x "$BIN/goimports" ] && [ "$(tool_version "$BIN/gonb")" = "$GONB_VERSION" ]; then
  say "gonb $GONB_VERSION and goimports already in $BIN"
else
  say "building gonb and goimports (go install tool) into $BIN"
  mkdir -p "$BIN"
  (cd "$ROOT" && GOBIN="$BIN" "$GO" install tool) ||
    fail "'go install tool' failed: go.mod must declare github.com/janpfeifer/gonb and golang.org/x/tools/cmd/goimports as tools"
fi
export PATH="$BIN:$PATH"

# --- 3. Kernel registration -----------------------------------------------
KERNEL_JSON="$JUPYTER_DATA_DIR/kernels/gonb/kernel.json"
if [ -f "$KERNEL_JSON" ] && grep -q -- "\"$BIN/gonb\"" "$KERNEL_JSON" && grep -q -- '"-raw_error=true"' "$KERNEL_JSON" &&
  grep -q -- '"-go_work="' "$KERNEL_JSON"; then
  say "GoNB kernel already registered in $JUPYTER_DATA_DIR"
else
  say "registering the GoNB kernel in $JUPYTER_DATA_DIR"
  # --force_deps: gopls (editor help only) is not installed; goimports is.
  if ! out="$(cd "$ROOT" && gonb --install --force_deps --raw_error 2>&1)" || [ ! -f "$KERNEL_JSON" ]; then
    echo "$out" >&2
    fail "gonb --install did not register the kernel in $KERNEL_JSON"
  fi
fi

# --- 4. echarts -----------------------------------------------------------
"$ROOT/scripts/setup-charts.sh"

say "ready: run 'make test-notebooks' (or scripts/test-notebooks.sh notebooks/NAME.ipynb)"
