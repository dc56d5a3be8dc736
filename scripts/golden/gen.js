#!/usr/bin/env node
// Generates golden reference activations for the zoo's TensorFlow.js models.
//
// For each (model, image) pair it loads the model from the toolkit's cache
// (the nsfwjs model.min.js and group1-shard*.min.js files, required as
// modules), preprocesses the image exactly as nsfwjs@4.4.0 does
// (dist/cjs/core.js, NSFWJS.prototype.infer: pixels / 255, then
// tf.image.resizeBilinear(alignCorners = true) to the model's size), runs the
// model on TensorFlow.js's pure-JavaScript CPU backend and records, for the
// input and for every layer (layers models) or every executable non-constant
// node (graph models), the shape, mean, fraction of zeros and values at
// deterministic pseudo-random flat indices (NHWC order, as TensorFlow.js
// stores them). Output: laconic/infer/testdata/golden/<model>__<image>.json.
//
// Usage: node gen.js [model:image ...]
//   Without arguments it generates the default set below. Environment:
//   LACONIC_CACHE (model cache, default data/models), LACONIC_IMAGES (default
//   data/images), GOLDEN_OUT (default laconic/infer/testdata/golden).
'use strict';

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const TFJS_VERSION = '4.22.0';
const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.LACONIC_CACHE || path.join(ROOT, 'data', 'models');
const IMAGES = process.env.LACONIC_IMAGES || path.join(ROOT, 'data', 'images');
const OUT = process.env.GOLDEN_OUT || path.join(ROOT, 'laconic', 'infer', 'testdata', 'golden');

// Models: input size and kind, from nsfwjs@4.4.0 dist/cjs/models/*.js.
const MODELS = {
  mobilenet_v2: { size: 224, type: 'layers' },
  mobilenet_v2_mid: { size: 224, type: 'graph' },
  inception_v3: { size: 299, type: 'layers' },
};

// PNG images only: lossless, so every decoder yields the same pixels.
const DEFAULT_SET = [
  'mobilenet_v2:chelsea.png', 'mobilenet_v2:coffee.png', 'mobilenet_v2:astronaut.png',
  'mobilenet_v2_mid:chelsea.png', 'mobilenet_v2_mid:coffee.png', 'mobilenet_v2_mid:astronaut.png',
  'inception_v3:chelsea.png',
];

const MAX_SAMPLES = 200; // per layer
const SAMPLE_BUDGET = 40000; // per file, keeps files under 1 MB
const MAX_FILE_BYTES = 1 << 20;
const SEED = 20190622;

function fail(msg) {
  console.error('golden: ' + msg);
  process.exit(1);
}

// mulberry32: a small seeded PRNG giving uniform uint32 values.
function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// fnv1a hashes a string to a uint32 (per-layer seeds).
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// sampleIndices returns n distinct sorted indices in [0, len), all of them
// when len <= n, chosen by a PRNG seeded from SEED and the tensor's name.
function sampleIndices(len, n, name) {
  if (len <= n) return Array.from({ length: len }, (_, i) => i);
  const rnd = mulberry32((SEED ^ fnv1a(name)) >>> 0);
  const set = new Set();
  while (set.size < n) set.add(rnd() % len);
  return Array.from(set).sort((a, b) => a - b);
}

// round7 rounds to 7 significant digits (and turns -0 into 0).
function round7(v) {
  if (v === 0) return 0;
  return Number(v.toPrecision(7));
}

function stats(name, shape, data, nSamples) {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i];
    if (data[i] === 0) zeros++;
  }
  const idx = sampleIndices(data.length, nSamples, name);
  return {
    name,
    shape,
    mean: round7(sum / data.length),
    zero_fraction: round7(zeros / data.length),
    samples: idx.map((i) => [i, round7(data[i])]),
  };
}

function decodeImage(file) {
  const buf = fs.readFileSync(file);
  let img;
  if (/\.png$/i.test(file)) {
    img = PNG.sync.read(buf); // RGBA, 8 bits per channel
  } else if (/\.jpe?g$/i.test(file)) {
    img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
  } else {
    fail(`${file}: unsupported image type (want .png or .jpg)`);
  }
  const { width, height, data } = img;
  const rgb = new Int32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[3 * i] = data[4 * i];
    rgb[3 * i + 1] = data[4 * i + 1];
    rgb[3 * i + 2] = data[4 * i + 2];
  }
  // The same tensor tf.browser.fromPixels gives: int32 [height, width, 3].
  return tf.tensor3d(rgb, [height, width, 3], 'int32');
}

// preprocess follows nsfwjs@4.4.0 NSFWJS.prototype.infer.
function preprocess(img, size) {
  return tf.tidy(() => {
    const normalized = img.toFloat().div(tf.scalar(255));
    let resized = normalized;
    if (img.shape[0] !== size || img.shape[1] !== size) {
      resized = tf.image.resizeBilinear(normalized, [size, size], true);
    }
    return resized.reshape([1, size, size, 3]);
  });
}

// loadArtifacts reads model.min.js and the shard wrappers from the cache.
function loadArtifacts(dir) {
  const modelFile = path.join(dir, 'model.min.js');
  if (!fs.existsSync(modelFile)) fail(`${modelFile} is missing: run "make models"`);
  const json = require(modelFile);
  const weightSpecs = [];
  const parts = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const shard = path.join(dir, p + '.min.js');
      const b64 = require(shard);
      if (typeof b64 !== 'string') fail(`${shard} does not export a base64 string`);
      parts.push(Buffer.from(b64, 'base64'));
    }
    weightSpecs.push(...group.weights);
  }
  const all = Buffer.concat(parts);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  });
}

async function loadModel(name) {
  const spec = MODELS[name];
  const handler = loadArtifacts(path.join(CACHE, name));
  if (spec.type === 'graph') return tf.loadGraphModel(handler);
  return tf.loadLayersModel(handler);
}

// runAll returns [{name, tensor}] for every layer or node, and the final output.
function runAll(name, model, x) {
  if (MODELS[name].type === 'layers') {
    const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    const multi = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output) });
    const outs = multi.predict(x);
    const final = model.predict(x);
    return {
      inputName: model.inputLayers[0].name,
      outputs: layers.map((l, i) => ({ name: l.name, tensor: outs[i] })),
      final,
    };
  }
  const nodes = model.artifacts.modelTopology.node;
  const placeholder = nodes.find((n) => n.op === 'Placeholder');
  const names = nodes.filter((n) => n.op !== 'Const' && n.op !== 'Placeholder').map((n) => n.name);
  const outs = model.execute({ [placeholder.name]: x }, names);
  const final = model.execute({ [placeholder.name]: x });
  return {
    inputName: placeholder.name,
    outputs: names.map((n, i) => ({ name: n, tensor: outs[i] })),
    final,
  };
}

function formatFile(doc) {
  // One layer per line: small diffs, readable files.
  const head = {
    model: doc.model,
    image: doc.image,
    tfjs_version: doc.tfjs_version,
    preprocess: doc.preprocess,
    seed: doc.seed,
    samples_per_layer: doc.samples_per_layer,
  };
  let s = JSON.stringify(head).slice(0, -1);
  s += ',\n"input":' + JSON.stringify(doc.input);
  s += ',\n"layers":[\n' + doc.layers.map((l) => JSON.stringify(l)).join(',\n') + '\n]';
  s += ',\n"probabilities":' + JSON.stringify(doc.probabilities);
  s += ',\n"top":' + doc.top + '}\n';
  return s;
}

async function generate(model, name, image) {
  const size = MODELS[name].size;
  const imgFile = path.join(IMAGES, image);
  if (!fs.existsSync(imgFile)) fail(`${imgFile} is missing: run "make images"`);
  const img = decodeImage(imgFile);
  const x = preprocess(img, size);
  img.dispose();
  const t0 = Date.now();
  const { inputName, outputs, final } = runAll(name, model, x);
  const nSamples = Math.min(MAX_SAMPLES, Math.floor(SAMPLE_BUDGET / (outputs.length + 1)));
  const input = stats(inputName, x.shape, x.dataSync(), nSamples);
  const layers = outputs.map(({ name: n, tensor }) => stats(n, tensor.shape, tensor.dataSync(), nSamples));
  const probs = Array.from(final.dataSync()).map(round7);
  let top = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[top]) top = i;
  tf.dispose([x, final, ...outputs.map((o) => o.tensor)]);
  const doc = {
    model: name,
    image,
    tfjs_version: TFJS_VERSION,
    preprocess: { size, scale: '1/255', resize: 'bilinear-align-corners' },
    seed: SEED,
    samples_per_layer: nSamples,
    input,
    layers,
    probabilities: probs,
    top,
  };
  const text = formatFile(doc);
  if (text.length > MAX_FILE_BYTES) fail(`${name}__${image}: ${text.length} bytes, over the 1 MiB limit`);
  const base = image.replace(/\.[^.]+$/, '');
  const out = path.join(OUT, `${name}__${base}.json`);
  fs.mkdirSync(OUT, { recursive: true });
  const tmp = out + '.tmp';
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, out);
  console.log(`golden: ${path.relative(ROOT, out)}: ${layers.length} layers, top ${top} (p=${probs[top]}), ` +
    `${(text.length / 1024).toFixed(0)} KiB, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function main() {
  if (tf.version.tfjs !== TFJS_VERSION) fail(`TensorFlow.js ${tf.version.tfjs} is installed, want ${TFJS_VERSION} (run npm ci in scripts/golden)`);
  await tf.setBackend('cpu');
  await tf.ready();
  const pairs = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_SET;
  const byModel = new Map();
  for (const p of pairs) {
    const [m, img] = p.split(':');
    if (!MODELS[m] || !img) fail(`bad pair "${p}": want MODEL:IMAGE with MODEL one of ${Object.keys(MODELS).join(', ')}`);
    if (!byModel.has(m)) byModel.set(m, []);
    byModel.get(m).push(img);
  }
  for (const [m, imgs] of byModel) {
    const model = await loadModel(m);
    for (const img of imgs) await generate(model, m, img);
    model.dispose();
  }
}

main().catch((e) => fail(e.stack || String(e)));
