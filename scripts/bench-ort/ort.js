// Runs ONNX models with onnxruntime-node's CPU engine for the toolkit's
// benchmark (`make bench-ort`) and its cross-check test. It reads one JSON
// command per line on stdin and answers one JSON line on stdout:
//
//   {"cmd":"load","id":"m1","model":"x.onnx","threads":1}       -> {"inputs":[{"name","shape"}],"outputs":[names]}
//   {"cmd":"run","id":"m1","input":"x.npy","iters":10}          -> {"ms":[...]}   (per-run wall time)
//   {"cmd":"outputs","id":"m1","input":"x.npy","dir":"out/"}    -> {"files":{"name":"out/0.npy",...}}
//
// Inputs and outputs are little-endian float32 C-order .npy files. The
// module directory holding node_modules/onnxruntime-node is ORT_DIR.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const ortDir = process.env.ORT_DIR;
if (!ortDir) {
  console.error('ort.js: set ORT_DIR to the folder holding node_modules/onnxruntime-node');
  process.exit(2);
}
const ort = require(path.join(ortDir, 'node_modules', 'onnxruntime-node'));

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + hlen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True")) {
    throw new Error(`${file}: want little-endian float32 in C order, header ${header}`);
  }
  const m = header.match(/'shape':\s*\(([^)]*)\)/);
  const shape = m[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = buf.readFloatLE(start + 4 * i);
  return { shape, data };
}

function writeNpy(file, dims, data) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.alloc(4 * data.length);
  for (let i = 0; i < data.length; i++) body.writeFloatLE(data[i], 4 * i);
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
  fs.renameSync(tmp, file);
}

const sessions = new Map();

function feeds(sess, file) {
  const x = readNpy(file);
  return { [sess.inputNames[0]]: new ort.Tensor('float32', x.data, x.shape) };
}

async function handle(c) {
  switch (c.cmd) {
    case 'load': {
      const s = await ort.InferenceSession.create(c.model, {
        intraOpNumThreads: c.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
      sessions.set(c.id, s);
      return { inputs: s.inputMetadata.map((m) => ({ name: m.name, shape: m.shape })), outputs: s.outputNames };
    }
    case 'run': {
      const s = sessions.get(c.id);
      const f = feeds(s, c.input);
      const ms = [];
      for (let i = 0; i < c.iters; i++) {
        const t0 = process.hrtime.bigint();
        await s.run(f);
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return { ms };
    }
    case 'outputs': {
      const s = sessions.get(c.id);
      const res = await s.run(feeds(s, c.input));
      fs.mkdirSync(c.dir, { recursive: true });
      const files = {};
      s.outputNames.forEach((name, i) => {
        const file = path.join(c.dir, `${i}.npy`);
        writeNpy(file, res[name].dims, res[name].data);
        files[name] = file;
      });
      return { files };
    }
  }
  throw new Error(`unknown command ${JSON.stringify(c.cmd)}`);
}

const rl = readline.createInterface({ input: process.stdin });
let chain = Promise.resolve();
rl.on('line', (line) => {
  if (line.trim() === '') return;
  chain = chain.then(async () => {
    let reply;
    try {
      reply = await handle(JSON.parse(line));
    } catch (e) {
      reply = { error: String(e && e.message ? e.message : e) };
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  });
});
