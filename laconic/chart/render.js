// Renders one echarts option to an SVG document with echarts' server-side
// renderer (no browser, no DOM). Usage:
//   node render.js ECHARTS_JS WIDTH HEIGHT < option.json > chart.svg
// The option is JSON on standard input; the SVG goes to standard output.
'use strict';
const [lib, w, h] = process.argv.slice(-3);
const width = Number(w), height = Number(h);
if (!(width > 0 && height > 0)) {
  process.stderr.write(`render.js: bad size ${w}x${h}\n`);
  process.exit(2);
}
const echarts = require(lib);
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  let option;
  try {
    option = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    process.stderr.write(`render.js: option is not valid JSON: ${e.message}\n`);
    process.exit(2);
  }
  option.animation = false;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  process.stdout.write(svg);
  process.stdout.write('\n');
});
