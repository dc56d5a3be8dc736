// Renders one echarts option to an SVG document with echarts' server-side
// renderer (no browser, no DOM). Usage:
//   node render.js ECHARTS_JS WIDTH HEIGHT < option.json > chart.svg
// The option is JSON on standard input; the SVG goes to standard output.
'use strict';
const path = require('path');
const { pathToFileURL } = require('url');
const [lib, w, h] = process.argv.slice(-3);
const width = Number(w), height = Number(h);
if (!(width > 0 && height > 0)) {
  process.stderr.write(`render.js: bad size ${w}x${h}\n`);
  process.exit(2);
}
const echarts = require(lib);

// Without a canvas, echarts lays text out with zrender's built-in estimate
// of Helvetica-like character widths. SVG viewers on Linux usually draw
// sans-serif text with DejaVu Sans, which runs about 12% wider, so legend
// entries laid out with the estimate overlap there. The estimate is widened
// by TEXT_WIDTH_SCALE: with Helvetica or Arial a little more space is left,
// with DejaVu Sans no text collides.
const TEXT_WIDTH_SCALE = 1.15;

// widenText wraps zrender's canvas-free measureText (from the zrender
// package installed next to echarts) with the scale; without that package,
// echarts' own estimate stays.
async function widenText() {
  const platform = path.join(path.dirname(lib), '..', '..', 'zrender', 'lib', 'core', 'platform.js');
  let estimate;
  try {
    estimate = (await import(pathToFileURL(platform).href)).platformApi.measureText;
  } catch (e) {
    process.stderr.write(`render.js: warning: ${platform}: ${e.message}; text widths unscaled\n`);
    return;
  }
  echarts.setPlatformAPI({
    measureText: (text, font) => ({ width: estimate(text, font).width * TEXT_WIDTH_SCALE }),
  });
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  let option;
  try {
    option = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    process.stderr.write(`render.js: option is not valid JSON: ${e.message}\n`);
    process.exit(2);
  }
  await widenText();
  option.animation = false;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  process.stdout.write(svg);
  process.stdout.write('\n');
});
