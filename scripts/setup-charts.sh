#!/usr/bin/env bash
# Installs rsvg-convert (Debian librsvg2-bin) for PNG and PDF figures, and
# the echarts JavaScript library that laconic/chart inlines into
# standalone HTML files and notebook outputs and runs under Node.js for SVG
# export. The package goes into the git-ignored cache .cache/npm of the
# repository (override with LACONIC_NPM_PREFIX); nothing is loaded from the
# web when a chart is shown. Safe to run again: it does nothing when the
# pinned version is already there.
set -euo pipefail

ECHARTS_VERSION=5.6.0
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="${LACONIC_NPM_PREFIX:-$ROOT/.cache/npm}"
PKG="$PREFIX/node_modules/echarts"
LIB="$PKG/dist/echarts.min.js"

installed_version() {
  [ -f "$PKG/package.json" ] || return 1
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$PKG/package.json" 2>/dev/null
}

# PNG and PDF export (and the PNG form of notebook charts) convert the SVG
# with librsvg's rsvg-convert (Debian librsvg2-bin).
if ! command -v rsvg-convert >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup-charts: installing librsvg2-bin (rsvg-convert) with apt-get" >&2
    apt-get install -y --no-install-recommends librsvg2-bin >/dev/null ||
      { apt-get update >/dev/null && apt-get install -y --no-install-recommends librsvg2-bin >/dev/null; } || {
      echo "setup-charts: apt-get could not install librsvg2-bin; install rsvg-convert and run 'make setup-charts' again" >&2
      exit 1
    }
  else
    echo "setup-charts: rsvg-convert is needed for PNG and PDF figures: install librsvg2-bin (Debian) and run 'make setup-charts' again" >&2
    exit 1
  fi
fi

if [ -s "$LIB" ] && [ "$(installed_version || true)" = "$ECHARTS_VERSION" ]; then
  echo "setup-charts: echarts $ECHARTS_VERSION already in $PKG"
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup-charts: node and npm are needed to install echarts $ECHARTS_VERSION." >&2
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup-charts: installing nodejs and npm with apt-get" >&2
    apt-get install -y --no-install-recommends nodejs npm ||
      { apt-get update && apt-get install -y --no-install-recommends nodejs npm; } || {
      echo "setup-charts: apt-get could not install nodejs and npm; install Node.js (with npm) and run 'make setup-charts' again" >&2
      exit 1
    }
  else
    echo "setup-charts: install Node.js with npm (Debian: apt-get install nodejs npm) and run 'make setup-charts' again" >&2
    exit 1
  fi
fi

mkdir -p "$PREFIX"
# A private package.json keeps npm from walking up into another project.
[ -f "$PREFIX/package.json" ] || printf '{\n  "name": "laconic-toolkit-cache",\n  "private": true\n}\n' >"$PREFIX/package.json"
echo "setup-charts: npm install echarts@$ECHARTS_VERSION into $PREFIX"
if ! npm install --prefix "$PREFIX" --no-save --no-package-lock --ignore-scripts \
  --no-audit --no-fund --loglevel=error "echarts@$ECHARTS_VERSION"; then
  echo "setup-charts: npm could not install echarts@$ECHARTS_VERSION (is the npm registry reachable?)" >&2
  exit 1
fi
if [ ! -s "$LIB" ]; then
  echo "setup-charts: $LIB is missing after npm install" >&2
  exit 1
fi
echo "setup-charts: echarts $(installed_version) ready: $LIB"
