#!/usr/bin/env bash
# Fuzzes every Fuzz target of the module (found with `go test -list`), one
# after another, FUZZTIME each (default 20000x: a count, not a duration,
# because a duration-based -fuzztime can end with a spurious "context
# deadline exceeded" failure in Go 1.26's fuzzing coordinator, golang/go
# issue 75804). New failing inputs are written to the package's
# testdata/fuzz/<target>/ by `go test`, where plain `go test` replays them.
# Usage: scripts/fuzz.sh [PACKAGE_PATTERN]   (default ./...)
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
GO="${GO:-go}"
FUZZTIME="${FUZZTIME:-20000x}"
PATTERN="${1:-./...}"

pkgs="$("$GO" list "$PATTERN")" || { echo "fuzz: go list $PATTERN failed" >&2; exit 1; }
pass=0 fail=0 failed=()
for pkg in $pkgs; do
  targets="$("$GO" test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)"
  for t in $targets; do
    echo "fuzz: $pkg $t ($FUZZTIME)"
    if "$GO" test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 10x "$pkg" 2>&1 |
      grep -v '^fuzz: elapsed'; [ "${PIPESTATUS[0]}" -eq 0 ]; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      failed+=("$pkg $t")
    fi
  done
done
for f in "${failed[@]}"; do echo "fuzz: FAILED $f"; done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
