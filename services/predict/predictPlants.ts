import type { PlantTelemetry } from '../../schemas/messages/plantTelemetry.js';
import type { ServedModel } from '../../shared/models/servedModel.js';
import { formatProblem, readCsvRecords } from './csvRecords.js';
import type { LineSink } from './lineSink.js';
import { PLANT_COLUMNS, parsePlantRow } from './plantRow.js';
import type { PredictSummary } from './predictTracks.js';
import { roundOutput } from './roundOutput.js';

/** one feature row per sample, row-major */
export type PlantFeatures = (samples: readonly PlantTelemetry[]) => Float32Array;

export interface PredictPlantsOptions {
  readonly file: string;
  /** a regression model over plant samples, already loaded and feature-checked */
  readonly model: ServedModel;
  readonly features: PlantFeatures;
  readonly write: LineSink;
  readonly warn: (message: string) => void;
  readonly batchSize?: number;
}

/**
 * `driftline predict cooling`: one prediction per CSV row, in file order, scored in batches while
 * the file streams in (rows are independent samples, so nothing waits for the end of the file).
 */
export async function predictPlants(o: PredictPlantsOptions): Promise<PredictSummary> {
  const { model, file } = o;
  const batchSize = o.batchSize ?? 1024;
  const target = model.manifest.target ?? 'value';
  const batch: PlantTelemetry[] = [];
  let rows = 0;
  let skippedRows = 0;
  let scored = 0;
  const onProblem = (p: Parameters<typeof formatProblem>[0]): void => {
    skippedRows++;
    o.warn(formatProblem(p));
  };

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const features = o.features(batch);
    if (features.length !== batch.length * model.width) {
      throw new Error(`feature extractor returned ${features.length} values for ${batch.length} samples but model ${model.dir} takes ${model.width} per sample (${model.manifest.feature_spec.name} v${model.manifest.feature_spec.version}); fix the extractor to follow its spec`);
    }
    const out = model.predictBatch(features, batch.length);
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      const s = batch[i];
      const value = out.value(i);
      if (Number.isNaN(value)) o.warn(`${file}: plant ${s.plant_id} at ${new Date(s.timestamp).toISOString()}: features not finite, no ${target}`);
      text += `${JSON.stringify({
        key: s.plant_id,
        timestamp: new Date(s.timestamp).toISOString(),
        [target]: roundOutput(value),
        model: out.model,
        model_version: out.model_version,
      })}\n`;
    }
    scored += batch.length;
    batch.length = 0;
    await o.write(text);
  };

  for await (const record of readCsvRecords(file, { required: PLANT_COLUMNS, onProblem })) {
    rows++;
    const result = parsePlantRow(record, file);
    if (!result.ok) {
      onProblem(result.problem);
      continue;
    }
    batch.push(result.sample);
    if (batch.length === batchSize) await flush();
  }
  await flush();
  return { rows, skippedRows, windows: scored, skippedWindows: 0 };
}
