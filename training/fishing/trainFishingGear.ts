import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import { fishingFeatureHash, fishingFeatureSpec } from '../../shared/features/fishing/fishingFeatures.js';
import { modelManifestSchema, type ModelManifest } from '../../shared/models/manifest.js';
import { saveLayersModel } from '../../shared/models/modelFiles.js';
import { DEFAULT_REGIME_WEIGHTS } from '../../shared/simulation/vessels/reportingProfile.js';
import { planFleet, spanOf } from '../../shared/simulation/vessels/fleet.js';
import { GEAR_CLASSES } from '../../shared/simulation/vessels/gear.js';
import type { SimulatedVessel } from '../../shared/simulation/vessels/vessel.js';
import { fitNormalisation, normaliseRows } from './featureNormalisation.js';
import { trainClassifier } from './classifierTraining.js';
import { buildGearModel } from './gearModel.js';
import { evaluateByRegime, evaluateGearModel } from './gearEvaluation.js';
import { FISHING_MODEL_NAME, FISHING_WINDOW_MS } from './fishingModelConfig.js';
import { splitByVessel } from './vesselSplit.js';
import { windowRows, type WindowRow } from './windowedDataset.js';


interface Options {
  seed: number;
  vessels: number;
  hours: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  hidden: string;
  modelsDir: string;
  modelVersion: string;
}

const log = (msg: string): void => void process.stderr.write(`[train:fishing] ${msg}\n`);
const seconds = (t0: number): string => ((performance.now() - t0) / 1000).toFixed(1);

function simulateWindows(vessels: readonly SimulatedVessel[], hours: number, label: string): WindowRow[] {
  const t0 = performance.now();
  const step = Math.max(1, Math.floor(vessels.length / 10));
  const rows = windowRows(vessels, spanOf({ hours }), FISHING_WINDOW_MS, {
    onVessel: (done) => {
      if (done % step === 0 || done === vessels.length) log(`${label}: simulated ${done}/${vessels.length} vessels (${seconds(t0)} s)`);
    },
  });
  log(`${label}: ${rows.length} windows, ${rows.reduce((a, r) => a + r.points, 0)} positions in ${seconds(t0)} s`);
  return rows;
}

async function main(o: Options): Promise<void> {
  const started = performance.now();
  await tf.setBackend('cpu'); // the reference backend: deterministic, and what every machine has
  const labels = [...GEAR_CLASSES];
  const hidden = o.hidden.split(',').map(Number);

  log(`fleet: ${o.vessels} vessels × ${o.hours} h, seed ${o.seed}`);
  const vessels = planFleet({ seed: o.seed, vessels: o.vessels });
  const rows = simulateWindows(vessels, o.hours, 'fleet');

  const split = splitByVessel(vessels.map((v, id) => ({ id, label: v.gear })), { validation: 0.1, test: 0.2 }, o.seed);
  const train = rows.filter((r) => split.train.has(r.vessel));
  const validation = rows.filter((r) => split.validation.has(r.vessel));
  const test = rows.filter((r) => split.test.has(r.vessel));
  log(`split by vessel: ${split.train.size}/${split.validation.size}/${split.test.size} vessels, ${train.length}/${validation.length}/${test.length} windows`);

  const normalisation = fitNormalisation(train.map((r) => r.features));
  const x = normaliseRows(train.map((r) => r.features), normalisation);
  const y = Int32Array.from(train.map((r) => labels.indexOf(r.gear as (typeof labels)[number])));
  const model = buildGearModel(fishingFeatureSpec.features.length, labels.length, o.seed, hidden);
  const t0 = performance.now();
  const curve: { epoch: number; loss: number; validation_macro_f1: number }[] = [];
  // keep the weights of the epoch that did best on the validation vessels (never the test vessels)
  let best = { epoch: 0, f1: -1, weights: [] as tf.Tensor[] };
  await trainClassifier(model, x, y, labels.length, {
    epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, seed: o.seed,
    onEpoch: (epoch, loss) => {
      if (epoch % 5 !== 0 && epoch !== o.epochs) return;
      const val = evaluateGearModel(model, normalisation, labels, validation).macro_f1;
      curve.push({ epoch, loss: Math.round(loss * 1e4) / 1e4, validation_macro_f1: val });
      log(`epoch ${epoch}/${o.epochs}: loss ${loss.toFixed(4)}, validation macro-F1 ${val.toFixed(4)} (${seconds(t0)} s)`);
      if (val > best.f1) {
        tf.dispose(best.weights);
        best = { epoch, f1: val, weights: model.getWeights().map((w) => w.clone()) };
      }
    },
  });
  model.setWeights(best.weights);
  tf.dispose(best.weights);
  log(`kept the weights of epoch ${best.epoch} (validation macro-F1 ${best.f1.toFixed(4)})`);
  const trainSeconds = (performance.now() - t0) / 1000;

  const testMetrics = evaluateGearModel(model, normalisation, labels, test);
  const byRegime = evaluateByRegime(model, normalisation, labels, test);
  log(`held-out vessels: macro-F1 ${testMetrics.macro_f1}, accuracy ${testMetrics.accuracy} over ${testMetrics.rows} windows`);

  // the same held-out vessels, same behaviour, seen only through ~hourly reports
  const testVessels = vessels.filter((_, i) => split.test.has(i)).map((v) => ({ ...v, reporting: { ...v.reporting, regime: 'sparse' as const } }));
  const sparseRows = simulateWindows(testVessels, o.hours, 'held-out vessels, hourly reporting');
  const sparse = evaluateGearModel(model, normalisation, labels, sparseRows);
  log(`held-out vessels, hourly reporting: macro-F1 ${sparse.macro_f1}, accuracy ${sparse.accuracy} over ${sparse.rows} windows`);

  const dir = join(resolve(o.modelsDir), FISHING_MODEL_NAME, o.modelVersion);
  await saveLayersModel(model, dir);
  const manifest: ModelManifest = {
    name: FISHING_MODEL_NAME,
    version: o.modelVersion,
    task: 'classification',
    created_at: new Date().toISOString(),
    feature_spec: {
      name: fishingFeatureSpec.name,
      version: fishingFeatureSpec.version,
      features: [...fishingFeatureSpec.features],
      params: JSON.parse(JSON.stringify(fishingFeatureSpec.params)) as Record<string, unknown>,
    },
    feature_hash: fishingFeatureHash,
    normalisation,
    labels,
    window: { kind: 'tumbling', size_ms: FISHING_WINDOW_MS },
    training: {
      data: `simulated by shared/simulation/vessels (planFleet seed ${o.seed}): ${o.vessels} vessels, equal gear mix, ` +
        `${o.hours} h each from 2024-01-01T00:00Z, reporting regimes ${JSON.stringify(DEFAULT_REGIME_WEIGHTS)}; ` +
        `features from every tumbling 24 h event-time window with ≥ 1 position`,
      seed: o.seed,
      split: 'by vessel, stratified by gear: 70% train / 10% validation / 20% test; no vessel on two sides; ' +
        'normalisation fitted on the training windows only',
      train_rows: train.length,
      test_rows: test.length,
      validation_rows: validation.length,
      vessels: { train: split.train.size, validation: split.validation.size, test: split.test.size },
      command: `npm run train:fishing -- --seed ${o.seed} --vessels ${o.vessels} --hours ${o.hours} --epochs ${o.epochs}`,
      model: `MLP ${fishingFeatureSpec.features.length}→${hidden.join('→')}→${labels.length}, relu, softmax, L2 1e-4, seeded initialisers`,
      optimiser: { name: 'adam', learning_rate: o.learningRate, batch_size: o.batchSize, epochs: o.epochs, shuffle: 'seeded Fisher–Yates per epoch' },
      backend: tf.getBackend(),
      train_seconds: Math.round(trainSeconds * 10) / 10,
      total_seconds: Math.round((performance.now() - started) / 100) / 10,
      learning_curve: curve,
      selected_epoch: best.epoch,
      selection: 'the evaluated epoch (every 5th) with the best validation macro-F1; the test vessels play no part',
    },
    metrics: {
      evaluated_on: `${split.test.size} held-out vessels (${test.length} windows), never seen in training`,
      macro_f1: testMetrics.macro_f1,
      accuracy: testMetrics.accuracy,
      per_class: testMetrics.per_class,
      confusion_matrix: testMetrics.confusion_matrix,
      confusion_matrix_axes: 'rows: true gear, columns: predicted gear, both in `labels` order',
      by_reporting_regime: byRegime,
      hourly_reporting: {
        evaluated_on: 'the same held-out vessels re-simulated with the same behaviour but ~1 position per hour',
        macro_f1: sparse.macro_f1,
        accuracy: sparse.accuracy,
        rows: sparse.rows,
        per_class: sparse.per_class,
        confusion_matrix: sparse.confusion_matrix,
      },
    },
  };
  modelManifestSchema.parse(manifest);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  model.dispose();
  log(`wrote ${dir} in ${seconds(started)} s total`);
  process.stdout.write(`${JSON.stringify({ model: FISHING_MODEL_NAME, version: o.modelVersion, macro_f1: testMetrics.macro_f1, hourly_macro_f1: sparse.macro_f1, seconds: Math.round((performance.now() - started) / 1000) })}\n`);
}

const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`expected a number, got ${v}`);
  return n;
};

const program = new Command('train:fishing')
  .description('simulate a labelled fleet, train the fishing-gear classifier on the CPU and write models/fishing-gear/<version>/')
  .option('--seed <n>', 'seed of the fleet, the split, the initialisers and the shuffle', num, 20240101)
  .option('--vessels <n>', 'vessels to simulate (split 70/10/20 by vessel)', num, 1000)
  .option('--hours <n>', 'hours simulated per vessel (one window per 24 h)', num, 48)
  .option('--epochs <n>', 'training epochs', num, 60)
  .option('--batch-size <n>', 'mini-batch size', num, 64)
  .option('--learning-rate <x>', 'Adam learning rate', num, 1e-3)
  .option('--hidden <list>', 'hidden layer widths, comma-separated', '64,32')
  .option('--models-dir <dir>', 'folder holding <model>/<version>/', 'models')
  .option('--model-version <v>', 'version folder to write', 'v1')
  .action(async (o: Options) => main(o));

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`[train:fishing] failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
