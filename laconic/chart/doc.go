// Package chart draws the toolkit's figures with go-echarts and shows them
// in GoNB notebooks or saves them as standalone HTML and static SVG files,
// all offline.
//
// # Figures
//
// Each builder takes a small plain-data struct and returns a *Chart:
//
//   - Bars(Grouped): grouped (or stacked) bars, one group per category and
//     one bar per series; potential speedup per scheme (series) per network
//     (category) on a logarithmic axis (LogY).
//   - PanelBars(Panels): several grouped bar panels sharing the category
//     axis; speedup and energy efficiency per network and accelerator
//     configuration.
//   - LayerBreakdown(Layers): bars per layer (side by side or stacked by
//     scheme) with optional lines on a second axis (speedup per layer).
//   - Lines(XY): lines over a numeric x axis, base-2 logarithmic with LogX;
//     speedup versus weight-interface wires, one line per network.
//   - TermHistogram(Histogram): bars per term count, one series per
//     encoding or tensor, optionally as percentages.
//   - WaterfallChart(Waterfall): a multiplicative waterfall on a
//     logarithmic axis, labelled steps each multiplying the running value
//     by a factor (drawn as candlesticks), with total bars; the account of
//     the gap between a potential and a simulated speedup.
//
// The package knows nothing of models: the adapters GroupedFromRecord,
// XYFromRecord, PanelsFromRecord and HistogramFromRecord (and Pivot, which
// also filters rows) pivot tidy Arrow record batches by column names;
// ColumnsFromRecord makes one series of each named column of a wide table.
// Categories and series keep the order of their first row. TableHTML and
// DisplayTable show a record batch as an HTML table.
//
// # Determinism
//
// The element id of a chart is fixed when it is built (the ID field, or
// IDFromTitle of the title), the option JSON has sorted keys and animation
// is off: the same data gives byte-identical HTML and SVG files.
//
// # Offline echarts
//
// Charts never load scripts from the web. The echarts library
// (EchartsVersion, npm package echarts, dist/echarts.min.js) is installed by
// `make setup-charts` into the git-ignored repository cache .cache/npm, or
// named by the environment variable LACONIC_ECHARTS (EchartsPath). HTML
// and SaveHTML inline it into the page; Display inlines it into the first
// chart of a notebook kernel. When it is missing these functions return an
// error wrapping ErrNoEcharts that says to run `make setup-charts`.
//
// # Static SVG
//
// SVG and SaveSVG run echarts' server-side SVG renderer under Node.js (the
// node on PATH, or LACONIC_NODE): no browser is involved. A missing node is
// an error wrapping ErrNoNode.
//
// # Notebooks
//
// Display shows an interactive chart in a GoNB cell; DisplaySVG shows the
// static rendering, which also reads where notebook scripts do not run.
package chart
