#!/usr/bin/env bash
# Executes notebooks with the GoNB kernel and reports PASS or FAIL for each,
# then "N passed, N failed"; exits non-zero when any failed.
#
# Usage: scripts/test-notebooks.sh [--inplace] [NOTEBOOK.ipynb ...]
#   With no notebook given, runs every notebooks/*.ipynb.
#   --inplace  writes each notebook that passed back over its source, with
#              its fresh outputs (for committing notebooks with outputs).
# Environment: NB_TIMEOUT (seconds a cell may take, default 900).
#
# A notebook fails when nbconvert fails (kernel missing or dead, a cell
# timing out), when a cell has an error output (compile error, panic), or
# when a shell line (`!cmd`) failed: GoNB prints "exit status N" on stderr
# while nbconvert still succeeds. Cells run on after an error so that the
# executed copy records every failure with its output, and that copy is
# scanned (scripts/notebooks/check.py); so is the committed notebook, whose
# chart outputs must carry a static image form (with --inplace the fresh
# outputs replace it only when the run passed). Executed copies go to a
# temporary directory outside notebooks/, so they are never picked up as
# notebooks themselves.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache"
export JUPYTER_DATA_DIR="$CACHE/jupyter"
export PATH="$CACHE/bin:$PATH"
TIMEOUT="${NB_TIMEOUT:-900}"

inplace=0
notebooks=()
for arg in "$@"; do
  case "$arg" in
    --inplace) inplace=1 ;;
    -h | --help)
      sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) echo "test-notebooks: unknown option $arg (see --help)" >&2; exit 2 ;;
    *) notebooks+=("$arg") ;;
  esac
done
if [ ${#notebooks[@]} -eq 0 ]; then
  shopt -s nullglob
  notebooks=("$ROOT"/notebooks/*.ipynb)
  shopt -u nullglob
fi

# What the run needs, with what to do when it is missing.
if ! command -v jupyter-nbconvert >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import nbformat, nbclient' >/dev/null 2>&1; then
  echo "test-notebooks: Jupyter nbconvert is not installed: run 'make setup-notebooks'" >&2
  exit 2
fi
if [ ! -f "$JUPYTER_DATA_DIR/kernels/gonb/kernel.json" ]; then
  echo "test-notebooks: the GoNB kernel is not registered in $JUPYTER_DATA_DIR: run 'make setup-notebooks'" >&2
  exit 2
fi
for tool in gonb goimports; do
  if [ ! -x "$CACHE/bin/$tool" ]; then
    echo "test-notebooks: $CACHE/bin/$tool is missing: run 'make setup-notebooks'" >&2
    exit 2
  fi
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/laconic-notebooks.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
now() { date +%s.%N; }
for nb in "${notebooks[@]}"; do
  rel="${nb#"$ROOT"/}"
  if [ ! -f "$nb" ]; then
    echo "FAIL $rel (no such notebook)"
    failed=$((failed + 1))
    continue
  fi
  name="$(basename "$nb" .ipynb)"
  out="$tmp/$failed-$passed-$name"
  mkdir -p "$out"
  start="$(now)"
  jupyter-nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=gonb \
    --ExecutePreprocessor.timeout="$TIMEOUT" \
    --ExecutePreprocessor.record_timing=False \
    --ExecutePreprocessor.allow_errors=True \
    --output-dir="$out" --output "$name" "$nb" >"$out/nbconvert.log" 2>&1
  rc=$?
  executed="$out/$name.ipynb"
  : >"$out/problems.txt"
  # The committed notebook's own chart outputs must survive an untrusted open.
  # (With --inplace the executed copy, checked below, replaces it.)
  if [ $inplace -eq 0 ] && ! /usr/bin/python3 "$ROOT/scripts/notebooks/check.py" --charts "$nb" >"$out/committed.txt" 2>&1; then
    sed 's/^/committed notebook: /' "$out/committed.txt" >>"$out/problems.txt"
  fi
  if [ $rc -ne 0 ]; then
    echo "nbconvert exited with status $rc" >>"$out/problems.txt"
  fi
  if [ -f "$executed" ]; then
    /usr/bin/python3 "$ROOT/scripts/notebooks/check.py" "$executed" >>"$out/problems.txt" 2>&1
  elif [ $rc -eq 0 ]; then
    echo "nbconvert wrote no executed notebook" >>"$out/problems.txt"
  fi
  secs="$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
  if [ ! -s "$out/problems.txt" ]; then
    echo "PASS $rel (${secs}s)"
    passed=$((passed + 1))
    if [ $inplace -eq 1 ]; then
      cp "$executed" "$nb.tmp.$$" && mv "$nb.tmp.$$" "$nb" || {
        rm -f "$nb.tmp.$$"
        echo "     could not write $rel in place" >&2
      }
    fi
  else
    echo "FAIL $rel (${secs}s)"
    sed 's/^/     /' "$out/problems.txt"
    if [ $rc -ne 0 ]; then
      echo "     --- nbconvert output (end; GoNB's log lines left out) ---"
      grep -v '^[IWE][0-9]\{4\} ' "$out/nbconvert.log" | tail -n 25 | sed 's/^/     /'
    fi
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
