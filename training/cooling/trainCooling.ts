/**
 * `npm run train:cooling`: simulate the fleet of halls, split by day, train the PUE regressor on the
 * CPU with fixed seeds, evaluate on held-out days and write `models/cooling-pue/<version>/`.
 * Progress goes to stderr; the last stdout line is the run summary as JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../../shared/models/backend.js';
import { saveLayersModel } from '../../shared/models/modelFiles.js';
import { FLEET } from '../../shared/simulation/plant/fleet.js';
import { DEFAULT_START } from '../../shared/simulation/plant/plantSimulator.js';
import { COOLING_MODEL_NAME, trainCoolingModel } from './coolingTraining.js';

const USAGE = `usage: npm run train:cooling -- [options]
  --seed N             seed for simulation, split, initial weights and shuffling (default 2014)
  --days N             simulated days per hall (default 365)
  --epochs N           training epochs (default 16)
  --rows-per-epoch N   training rows sampled per epoch (default 80000)
  --batch-size N       mini-batch size (default 256)
  --version V          version folder to write (default 1.0.0)
  --out DIR            model folder (default models/cooling-pue)
  --no-write           train and evaluate, write nothing
`;

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      seed: { type: 'string', default: '2014' },
      days: { type: 'string', default: '365' },
      epochs: { type: 'string', default: '16' },
      'rows-per-epoch': { type: 'string', default: '80000' },
      'batch-size': { type: 'string', default: '256' },
      version: { type: 'string', default: '1.0.0' },
      out: { type: 'string', default: `models/${COOLING_MODEL_NAME}` },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (err) {
  process.stderr.write(`train:cooling: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

if (args.help) {
  process.stderr.write(USAGE);
  process.exit(0);
}

function intArg(name: string, raw: string | undefined): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v <= 0) {
    process.stderr.write(`train:cooling: --${name} must be a positive integer, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return v;
}

const log = (line: string): void => void process.stderr.write(`[train:cooling] ${line}\n`);
const started = performance.now();
// wasm runs the same arithmetic on every machine; prefer it over tfjs-node so the run is repeatable
const backend = await selectBackend({ prefer: 'wasm' });
log(`backend ${backend.backend}${backend.simd === undefined ? '' : backend.simd ? ' (SIMD)' : ''}`);

const version = args.version ?? '1.0.0';
const { model, manifest } = await trainCoolingModel({
  plants: FLEET,
  seed: intArg('seed', args.seed),
  days: intArg('days', args.days),
  start: DEFAULT_START,
  epochs: intArg('epochs', args.epochs),
  rowsPerEpoch: intArg('rows-per-epoch', args['rows-per-epoch']),
  batchSize: intArg('batch-size', args['batch-size']),
  version,
  backend: backend.backend,
  log,
});

if (!args['no-write']) {
  const dir = join(args.out ?? `models/${COOLING_MODEL_NAME}`, version);
  await mkdir(dir, { recursive: true });
  await saveLayersModel(model, dir);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`wrote ${dir}/{model.json,weights.bin,manifest.json}`);
}
const totalSeconds = (performance.now() - started) / 1000;
log(`done in ${totalSeconds.toFixed(0)} s`);
const m = manifest.metrics;
process.stdout.write(`${JSON.stringify({ model: COOLING_MODEL_NAME, version, mae_pue: m.mae_pue, rmse_pue: m.rmse_pue, goal_mae_pue: m.goal_mae_pue, meets_goal: m.meets_goal, test_rows: manifest.training.test_rows, best_epoch: manifest.training.best_epoch, train_seconds: manifest.training.train_seconds, total_seconds: Math.round(totalSeconds) })}\n`);
