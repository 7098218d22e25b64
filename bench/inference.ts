/**
 * `npm run bench:inference`: what the model runtime costs on top of bare TensorFlow.js, on the
 * fishing-gear model with the wasm backend, all measured in one run (the machine is shared and noisy,
 * so only figures from the same run compare):
 *   - raw_predict_on_batch_rows_per_s: the baseline, bare `model.predictOnBatch` on pre-normalised rows
 *     (tensor in, predictOnBatch, dataSync out, dispose);
 *   - runtime_rows_per_s: `ServedModel.predictBatch` on the same feature rows in natural units
 *     (normalisation, the same tfjs calls, a BatchPrediction);
 *   - ratio: median over repetitions of runtime/raw, each repetition alternating single calls of the
 *     two and taking median call times (paired, so load from other processes cancels);
 *   - windows_per_s_with_features: fishingFeatures on simulated 24 h windows + the runtime's inference.
 * Rates are per second of this process's CPU time, not wall time: the machine is shared, and wall time
 * would mostly measure the scheduler. Warm-up first, then repetitions that alternate single calls of
 * raw and runtime; medians reported.
 * Last stdout line: the JSON figure. Progress on stderr.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { windowTracks, type TrackWindow } from '../services/predict/trackWindows.js';
import { fishingFeatures, fishingFeatureSpec } from '../shared/features/fishing/fishingFeatures.js';
import { selectBackend } from '../shared/models/backend.js';
import { loadLayersModel } from '../shared/models/modelFiles.js';
import { ModelRegistry } from '../shared/models/modelRegistry.js';
import { simulateFleet } from '../shared/simulation/vessels/fleet.js';
import { trackPointsByVessel } from '../shared/simulation/vessels/trackPoints.js';

const { values: args } = parseArgs({
  options: {
    'models-dir': { type: 'string', default: fileURLToPath(new URL('../models/', import.meta.url)) },
    'model-version': { type: 'string' },
    'batch-size': { type: 'string', default: '1024' },
    reps: { type: 'string', default: '9' },
    vessels: { type: 'string', default: '64' },
    hours: { type: 'string', default: '48' },
  },
});
const batchSize = Number(args['batch-size']);
const reps = Number(args.reps);
const log = (m: string): void => void process.stderr.write(`bench:inference: ${m}\n`);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const selection = await selectBackend({ prefer: 'wasm' });
if (selection.backend !== 'wasm') throw new Error(`bench:inference needs the wasm backend; got ${selection.backend} (${JSON.stringify(selection.skipped)})`);

const registry = new ModelRegistry({ modelsDir: args['models-dir'] });
const served = await registry.load('fishing-gear', fishingFeatureSpec, {
  retrain: 'npm run train:fishing',
  ...(args['model-version'] !== undefined ? { version: args['model-version'] } : {}),
});
const raw = await loadLayersModel(served.dir);
const width = served.width;
log(`model ${served.dir} (${width} features -> ${served.outputs} classes), backend ${selection.backend}${selection.simd ? ' SIMD' : ''}`);

// Simulated vessels cut into the model's windows: realistic feature rows and realistic points.
const simStart = performance.now();
const fleet = simulateFleet({ seed: 'bench-inference', vessels: Number(args.vessels), hours: Number(args.hours) });
const windows: TrackWindow[] = windowTracks(trackPointsByVessel(fleet.positions), served.manifest.window);
log(`simulated ${fleet.positions.length} positions -> ${windows.length} windows in ${((performance.now() - simStart) / 1000).toFixed(1)} s`);

const featureRows = windows.map((w) => fishingFeatures(w.points));
// one batch of ready feature rows (natural units), cycling through the windows
const rows = new Float32Array(batchSize * width);
for (let i = 0; i < batchSize; i++) rows.set(featureRows[i % featureRows.length], i * width);
// the baseline gets them normalised up front, so it does strictly less work than the runtime
const { mean, std } = served.manifest.normalisation;
const normalised = rows.map((v, k) => (v - mean[k % width]) / std[k % width]);

function rawBatch(): number {
  const x = tf.tensor2d(normalised, [batchSize, width]);
  const y = raw.predictOnBatch(x) as tf.Tensor;
  const out = y.dataSync();
  x.dispose();
  y.dispose();
  return out[0];
}

function runtimeBatch(): number {
  return served.predictBatch(rows, batchSize).values[0];
}

const featureBuffer = new Float32Array(windows.length * width);
function windowsWithFeatures(): number {
  for (let i = 0; i < windows.length; i++) featureBuffer.set(fishingFeatures(windows[i].points), i * width);
  return served.predictBatch(featureBuffer, windows.length).values[0];
}

// Same answers from both paths, or the comparison is meaningless.
const check = served.predictBatch(rows, batchSize).values;
const x = tf.tensor2d(normalised, [batchSize, width]);
const y = raw.predictOnBatch(x) as tf.Tensor;
const rawCheck = y.dataSync();
tf.dispose([x, y]);
let maxDiff = 0;
for (let k = 0; k < check.length; k++) maxDiff = Math.max(maxDiff, Math.abs(check[k] - rawCheck[k]));
if (maxDiff > 1e-4) throw new Error(`runtime and raw predictOnBatch disagree by ${maxDiff}: the benchmark would compare different work`);

/**
 * CPU milliseconds `fn` takes (process.cpuUsage: user + system). Other helpers share the 2 cores, so
 * wall-clock time mostly measures when the scheduler lets this process run (calls of ~1 ms took
 * 1–90 ms wall here); CPU time counts only the work itself. Wall time is kept for the log.
 */
function timed(fn: () => number, wall?: number[]): number {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (Number.isNaN(fn())) log('NaN output');
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  wall?.push(t1 - t0);
  return (cpu.user + cpu.system) / 1000;
}

// Warm-up (~1 s of CPU), and size each repetition to ~0.25 s of CPU per side.
const warmCpu = process.cpuUsage();
let calls = 0;
const cpuMsSince = (since: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};
while (cpuMsSince(warmCpu) < 1000 || calls < 10) {
  rawBatch();
  runtimeBatch();
  calls++;
}
const perCall = cpuMsSince(warmCpu) / 2 / calls;
const pairs = Math.max(5, Math.round(250 / perCall));
windowsWithFeatures();
log(`warm: ~${perCall.toFixed(2)} CPU ms per batch of ${batchSize}; ${reps} repetitions of ${pairs} raw/runtime call pairs, plus ${windows.length} windows with features`);

// Calls alternate one by one (raw, runtime, runtime, raw, ...) and each is timed alone; the median call
// time per repetition shrugs off GC pauses and cache disturbance from other processes.
const before = tf.memory().numTensors;
const rawRates: number[] = [];
const runtimeRates: number[] = [];
const ratios: number[] = [];
const windowRates: number[] = [];
const wallRaw: number[] = [];
const wallRuntime: number[] = [];
for (let r = 0; r < reps; r++) {
  const rawMs: number[] = [];
  const runtimeMs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if ((i + r) % 2 === 0) {
      rawMs.push(timed(rawBatch, wallRaw));
      runtimeMs.push(timed(runtimeBatch, wallRuntime));
    } else {
      runtimeMs.push(timed(runtimeBatch, wallRuntime));
      rawMs.push(timed(rawBatch, wallRaw));
    }
  }
  const rawRate = (batchSize * 1000) / median(rawMs);
  const runtimeRate = (batchSize * 1000) / median(runtimeMs);
  rawRates.push(rawRate);
  runtimeRates.push(runtimeRate);
  ratios.push(runtimeRate / rawRate);
  windowRates.push((windows.length * 1000) / timed(windowsWithFeatures));
  log(`rep ${r + 1}/${reps}: raw ${Math.round(rawRate)} rows/s, runtime ${Math.round(runtimeRate)} rows/s (${(runtimeRate / rawRate).toFixed(3)}), ${Math.round(windowRates[r])} windows/s with features`);
}
if (tf.memory().numTensors !== before) throw new Error(`tensor leak during the benchmark: ${before} -> ${tf.memory().numTensors} tensors`);

const result = {
  bench: 'inference',
  model: 'fishing-gear',
  runtime_rows_per_s: Math.round(median(runtimeRates)),
  raw_predict_on_batch_rows_per_s: Math.round(median(rawRates)),
  ratio: Math.round(median(ratios) * 1000) / 1000,
  windows_per_s_with_features: Math.round(median(windowRates)),
  backend: selection.backend,
};
log(`wall-clock medians for comparison (inflated by other processes): raw ${Math.round((batchSize * 1000) / median(wallRaw))} rows/s, runtime ${Math.round((batchSize * 1000) / median(wallRuntime))} rows/s`);
log(`model_version ${served.version}, batch ${batchSize}, ${windows.length} windows averaging ${Math.round(windows.reduce((a, w) => a + w.points.length, 0) / windows.length)} points`);
raw.dispose();
served.dispose();
process.stdout.write(`${JSON.stringify(result)}\n`);
