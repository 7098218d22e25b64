/**
 * `npm run train:cooling`: simulate the fleet of halls, split by day, train the PUE regressor on the
 * CPU with fixed seeds, evaluate on held-out days and write `models/cooling-pue/<version>/`.
 * Progress goes to stderr; the last stdout line is the run summary as JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { coolingFeatureHash, coolingFeatureSpec } from '../../shared/features/cooling/coolingFeatureSpec.js';
import { selectBackend } from '../../shared/models/backend.js';
import { modelManifestSchema, type ModelManifest } from '../../shared/models/manifest.js';
import { saveLayersModel } from '../../shared/models/modelFiles.js';
import { FLEET } from '../../shared/simulation/plant/fleet.js';
import { DEFAULT_START, SAMPLE_PERIOD_MS } from '../../shared/simulation/plant/plantSimulator.js';
import { buildCoolingDataset } from './coolingDataset.js';
import { splitDays, type SplitPart } from './daySplit.js';
import { standardisationOf, standardiseRows } from './featureStandardisation.js';
import { buildPueNetwork, foldTargetScaling } from './pueNetwork.js';
import { evaluatePue } from './pueEvaluation.js';
import { standardisedMae, trainRegressor, type TrainingSet } from './regressionTrainer.js';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '2014' },
    days: { type: 'string', default: '365' },
    epochs: { type: 'string', default: '24' },
    'rows-per-epoch': { type: 'string', default: '120000' },
    'batch-size': { type: 'string', default: '256' },
    version: { type: 'string', default: '1.0.0' },
    out: { type: 'string', default: 'models/cooling-pue' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  process.stderr.write(`usage: npm run train:cooling -- [options]
  --seed N             seed for simulation, split, initial weights and shuffling (default 2014)
  --days N             simulated days per hall (default 365)
  --epochs N           training epochs (default 24)
  --rows-per-epoch N   training rows sampled per epoch (default 120000)
  --batch-size N       mini-batch size (default 256)
  --version V          version folder to write (default 1.0.0)
  --out DIR            model folder (default models/cooling-pue)
  --no-write           train and evaluate, write nothing
`);
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

const seed = intArg('seed', args.seed);
const days = intArg('days', args.days);
const epochs = intArg('epochs', args.epochs);
const rowsPerEpoch = intArg('rows-per-epoch', args['rows-per-epoch']);
const batchSize = intArg('batch-size', args['batch-size']);
const log = (line: string): void => void process.stderr.write(`[train:cooling] ${line}\n`);

const started = performance.now();
// wasm runs the same arithmetic on every machine; prefer it over tfjs-node so the run is repeatable
const backend = await selectBackend({ prefer: 'wasm' });
log(`backend ${backend.backend}${backend.simd === undefined ? '' : backend.simd ? ' (SIMD)' : ''}`);

log(`simulating ${FLEET.length} halls × ${days} days, seed ${seed}`);
const data = buildCoolingDataset(FLEET, { seed, days, start: DEFAULT_START });
log(`${data.rows} samples in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const TEST_FRACTION = 0.2;
const VALIDATION_FRACTION = 0.1;
const parts = splitDays(data.day, { seed, testFraction: TEST_FRACTION, validationFraction: VALIDATION_FRACTION });
const rowsOf = (part: SplitPart): number[] => {
  const out: number[] = [];
  for (let i = 0; i < data.rows; i++) if (parts.get(data.day[i]) === part) out.push(i);
  return out;
};
const trainRows = rowsOf('train');
const validationRows = rowsOf('validation');
const testRows = rowsOf('test');
const dayCount = (part: SplitPart): number => [...parts.values()].filter((p) => p === part).length;
log(`split by UTC day: train ${dayCount('train')} days / ${trainRows.length} rows, validation ${dayCount('validation')} / ${validationRows.length}, test ${dayCount('test')} / ${testRows.length}`);

const norm = standardisationOf(data.x, data.width, trainRows);
let yMean = 0;
for (const r of trainRows) yMean += data.pue[r];
yMean /= trainRows.length;
let yVar = 0;
for (const r of trainRows) yVar += (data.pue[r] - yMean) ** 2;
const yStd = Math.sqrt(yVar / trainRows.length);
const setOf = (rows: readonly number[]): TrainingSet => ({
  x: standardiseRows(data.x, data.width, rows, norm),
  y: Float32Array.from(rows, (r) => (data.pue[r] - yMean) / yStd),
  width: data.width,
});
const trainSet = setOf(trainRows);
const validationSet = setOf(validationRows);
const testSet = setOf(testRows);

const network = { hidden: [50, 50, 50, 50, 50], activation: 'elu' as const };
const model = buildPueNetwork({ inputs: data.width, ...network, seed });
const trainer = { epochs, batchSize, rowsPerEpoch, learningRateStart: 2e-3, learningRateEnd: 2e-5, seed };
log(`training ${network.hidden.length}×${network.hidden[0]} ${network.activation} MLP, ${model.countParams()} parameters, ${JSON.stringify(trainer)}`);
const trainStarted = performance.now();
const result = await trainRegressor(model, trainSet, validationSet, { ...trainer, log });
const trainSeconds = (performance.now() - trainStarted) / 1000;
log(`best epoch ${result.bestEpoch}, validation MAE ${(standardisedMae(model, validationSet) * yStd).toFixed(5)} PUE`);

foldTargetScaling(model, yMean, yStd);
// score the held-out days through the saved form: raw features, manifest normalisation, model output = PUE
const predicted = new Float32Array(testRows.length);
{
  const batch = 8192;
  for (let s = 0; s < testRows.length; s += batch) {
    const n = Math.min(batch, testRows.length - s);
    const out = tf.tidy(() => (model.predictOnBatch(tf.tensor2d(testSet.x.subarray(s * data.width, (s + n) * data.width), [n, data.width])) as tf.Tensor).dataSync());
    predicted.set(out, s);
  }
}
const metrics = evaluatePue(data, testRows, predicted, yMean);
log(`test days: MAE ${String(metrics.mae_pue)} PUE, RMSE ${String(metrics.rmse_pue)}, constant-predictor MAE ${String(metrics.baseline_constant_mae_pue)}, meter-noise MAE ${String(metrics.meter_noise_mae_pue)}`);

const version = args.version ?? '1.0.0';
const totalSeconds = (performance.now() - started) / 1000;
const manifest: ModelManifest = modelManifestSchema.parse({
  name: 'cooling-pue',
  version,
  task: 'regression',
  created_at: new Date().toISOString(),
  feature_spec: coolingFeatureSpec,
  feature_hash: coolingFeatureHash,
  normalisation: norm,
  target: 'pue',
  window: { kind: 'tumbling', size_ms: SAMPLE_PERIOD_MS },
  training: {
    data: `simulated cooling plants (shared/simulation/plant): ${FLEET.map((p) => p.plantId).join(', ')}; ${days} days each from ${DEFAULT_START}, one sample per 5 minutes; label = metered PUE (true PUE + N(0, 0.001))`,
    seed,
    split: `by UTC calendar day, all halls together: ${Math.round(TEST_FRACTION * 100)}% of days held out for test, ${Math.round(VALIDATION_FRACTION * 100)}% for validation (epoch choice), seeded shuffle of days`,
    train_rows: trainRows.length,
    test_rows: testRows.length,
    validation_rows: validationRows.length,
    days: { train: dayCount('train'), validation: dayCount('validation'), test: dayCount('test') },
    target_normalisation_folded_into_output_layer: { mean: yMean, std: yStd },
    network: { ...network, parameters: model.countParams(), loss: 'mean squared error (standardised target)', optimizer: 'adam, cosine-decayed learning rate' },
    trainer,
    best_epoch: result.bestEpoch,
    backend: backend.backend,
    train_seconds: Math.round(trainSeconds),
    total_seconds: Math.round(totalSeconds),
    command: 'npm run train:cooling',
  },
  metrics: { ...metrics, goal_mae_pue: 0.004, meets_goal: (metrics.mae_pue as number) <= 0.004 },
});

if (!args['no-write']) {
  const dir = join(args.out ?? 'models/cooling-pue', version);
  await mkdir(dir, { recursive: true });
  await saveLayersModel(model, dir);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`wrote ${dir}/{model.json,weights.bin,manifest.json}`);
}
log(`done in ${totalSeconds.toFixed(0)} s`);
process.stdout.write(`${JSON.stringify({ model: 'cooling-pue', version, mae_pue: metrics.mae_pue, rmse_pue: metrics.rmse_pue, test_rows: testRows.length, best_epoch: result.bestEpoch, train_seconds: Math.round(trainSeconds), total_seconds: Math.round(totalSeconds) })}\n`);
