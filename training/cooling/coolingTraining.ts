import * as tf from '@tensorflow/tfjs';
import { coolingFeatureHash, coolingFeatureSpec } from '../../shared/features/cooling/coolingFeatureSpec.js';
import { modelManifestSchema, type ModelManifest } from '../../shared/models/manifest.js';
import type { PlantConfig } from '../../shared/simulation/plant/plantConfig.js';
import { SAMPLE_PERIOD_MS } from '../../shared/simulation/plant/plantSimulator.js';
import { SENSOR_NOISE } from '../../shared/simulation/plant/sensorReadings.js';
import { buildCoolingDataset } from './coolingDataset.js';
import { splitDays, type SplitPart } from './daySplit.js';
import { standardisationOf, standardiseRows } from './featureStandardisation.js';
import { buildPueNetwork, foldTargetScaling } from './pueNetwork.js';
import { evaluatePue } from './pueEvaluation.js';
import { standardisedMae, trainRegressor, type TrainingSet } from './regressionTrainer.js';

export const COOLING_MODEL_NAME = 'cooling-pue';
export const GOAL_MAE_PUE = 0.004;

export interface CoolingTrainingOptions {
  readonly plants: readonly PlantConfig[];
  readonly seed: number;
  readonly days: number;
  readonly start: string;
  readonly epochs: number;
  readonly rowsPerEpoch: number;
  readonly batchSize: number;
  readonly version: string;
  /** recorded in the manifest */
  readonly backend: string;
  readonly log: (line: string) => void;
}

export interface CoolingTrainingResult {
  /** outputs PUE directly (target scaling folded in); inputs standardised by `manifest.normalisation` */
  readonly model: tf.LayersModel;
  readonly manifest: ModelManifest;
}

const TEST_FRACTION = 0.2;
const VALIDATION_FRACTION = 0.1;
const NETWORK = { hidden: [50, 50, 50, 50, 50], activation: 'elu' as const };

/**
 * The whole training run as a function: simulate, split by day, standardise with training statistics,
 * train, evaluate the held-out days, describe it all in a manifest. Same options, same result.
 */
export async function trainCoolingModel(o: CoolingTrainingOptions): Promise<CoolingTrainingResult> {
  const started = performance.now();
  const { log } = o;
  log(`simulating ${o.plants.length} halls × ${o.days} days from ${o.start}, seed ${o.seed}`);
  const data = buildCoolingDataset(o.plants, { seed: o.seed, days: o.days, start: o.start });
  log(`${data.rows} samples in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const parts = splitDays(data.day, { seed: o.seed, testFraction: TEST_FRACTION, validationFraction: VALIDATION_FRACTION });
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

  const normalisation = standardisationOf(data.x, data.width, trainRows);
  let yMean = 0;
  for (const r of trainRows) yMean += data.pue[r];
  yMean /= trainRows.length;
  let yVar = 0;
  for (const r of trainRows) yVar += (data.pue[r] - yMean) ** 2;
  const yStd = Math.sqrt(yVar / trainRows.length) || 1;
  const setOf = (rows: readonly number[]): TrainingSet => ({
    x: standardiseRows(data.x, data.width, rows, normalisation),
    y: Float32Array.from(rows, (r) => (data.pue[r] - yMean) / yStd),
    width: data.width,
  });
  const trainSet = setOf(trainRows);
  const validationSet = setOf(validationRows);
  const testSet = setOf(testRows);

  const model = buildPueNetwork({ inputs: data.width, ...NETWORK, seed: o.seed });
  const trainer = { epochs: o.epochs, batchSize: o.batchSize, rowsPerEpoch: o.rowsPerEpoch, learningRateStart: 2e-3, learningRateEnd: 2e-5, seed: o.seed };
  log(`training ${NETWORK.hidden.length}×${NETWORK.hidden[0]} ${NETWORK.activation} MLP, ${model.countParams()} parameters, ${JSON.stringify(trainer)}`);
  const trainStarted = performance.now();
  const result = await trainRegressor(model, trainSet, validationSet, { ...trainer, log });
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  log(`best epoch ${result.bestEpoch}, validation MAE ${(standardisedMae(model, validationSet) * yStd).toFixed(5)} PUE`);

  foldTargetScaling(model, yMean, yStd);
  // score the held-out days as serving will: standardised features in, PUE out
  const predicted = new Float32Array(testRows.length);
  const batch = 8192;
  for (let s = 0; s < testRows.length; s += batch) {
    const n = Math.min(batch, testRows.length - s);
    const out = tf.tidy(() => (model.predictOnBatch(tf.tensor2d(testSet.x.subarray(s * data.width, (s + n) * data.width), [n, data.width])) as tf.Tensor).dataSync());
    predicted.set(out, s);
  }
  const metrics = evaluatePue(data, testRows, predicted, yMean);
  log(`test days: MAE ${String(metrics.mae_pue)} PUE, RMSE ${String(metrics.rmse_pue)}, constant-predictor MAE ${String(metrics.baseline_constant_mae_pue)}, meter-noise MAE ${String(metrics.meter_noise_mae_pue)}`);

  let pueMin = Number.POSITIVE_INFINITY;
  let pueMax = Number.NEGATIVE_INFINITY;
  for (const v of data.pue) {
    if (v < pueMin) pueMin = v;
    if (v > pueMax) pueMax = v;
  }
  const manifest = modelManifestSchema.parse({
    name: COOLING_MODEL_NAME,
    version: o.version,
    task: 'regression',
    created_at: new Date().toISOString(),
    feature_spec: coolingFeatureSpec,
    feature_hash: coolingFeatureHash,
    normalisation,
    target: 'pue',
    window: { kind: 'tumbling', size_ms: SAMPLE_PERIOD_MS },
    training: {
      data: `simulated cooling plants (shared/simulation/plant): ${o.plants.map((p) => p.plantId).join(', ')}; ${o.days} days each from ${o.start}, one sample per 5 minutes; label = metered PUE (true PUE + N(0, ${SENSOR_NOISE.pue}))`,
      seed: o.seed,
      split: `by UTC calendar day, all halls together: ${Math.round(TEST_FRACTION * 100)}% of days held out for test, ${Math.round(VALIDATION_FRACTION * 100)}% for validation (epoch choice), seeded shuffle of days; normalisation from training rows only`,
      train_rows: trainRows.length,
      test_rows: testRows.length,
      validation_rows: validationRows.length,
      days: { train: dayCount('train'), validation: dayCount('validation'), test: dayCount('test') },
      pue_range: { min: pueMin, max: pueMax },
      target_normalisation_folded_into_output_layer: { mean: yMean, std: yStd },
      network: { ...NETWORK, parameters: model.countParams(), loss: 'mean squared error on the standardised target', optimizer: 'adam, cosine-decayed learning rate, own seeded shuffling' },
      trainer,
      best_epoch: result.bestEpoch,
      history: result.history.map((h) => ({ epoch: h.epoch, validation_mae_pue: Math.round(h.validationMae * yStd * 1e6) / 1e6 })),
      backend: o.backend,
      train_seconds: Math.round(trainSeconds),
      total_seconds: Math.round((performance.now() - started) / 1000),
      command: 'npm run train:cooling',
    },
    metrics: { ...metrics, goal_mae_pue: GOAL_MAE_PUE, meets_goal: (metrics.mae_pue as number) <= GOAL_MAE_PUE },
  });
  return { model, manifest };
}
