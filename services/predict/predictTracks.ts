import type { TrackPoint } from '../../shared/features/trackPoint.js';
import type { ServedModel } from '../../shared/models/servedModel.js';
import { formatProblem, readCsvRecords } from './csvRecords.js';
import type { LineSink } from './lineSink.js';
import { roundOutput } from './roundOutput.js';
import { parseTrackRow, TRACK_COLUMNS } from './trackRow.js';
import { windowTracks, type TrackWindow } from './trackWindows.js';

export type TrackFeatures = (points: readonly TrackPoint[]) => Float32Array;

export interface PredictTracksOptions {
  readonly file: string;
  /** a classification model over track windows, already loaded and feature-checked */
  readonly model: ServedModel;
  /** the feature extractor the model was trained with (its spec hash matched at load) */
  readonly features: TrackFeatures;
  readonly write: LineSink;
  /** one human-readable line per skipped row or window (stderr in the CLI) */
  readonly warn: (message: string) => void;
  /** windows per predictOnBatch call */
  readonly batchSize?: number;
}

export interface PredictSummary {
  readonly rows: number;
  readonly skippedRows: number;
  readonly windows: number;
  readonly skippedWindows: number;
}

/**
 * `driftline predict fishing-gear`: read a track CSV, window each vessel's track as the model was
 * trained, extract features per window and classify windows in batches. One JSON line per window.
 * The file is bounded, so it is read whole before windowing: every window is complete when scored.
 */
export async function predictTracks(o: PredictTracksOptions): Promise<PredictSummary> {
  const { model, file } = o;
  const batchSize = o.batchSize ?? 1024;
  const tracks = new Map<string, TrackPoint[]>();
  let rows = 0;
  let skippedRows = 0;
  const onProblem = (p: Parameters<typeof formatProblem>[0]): void => {
    skippedRows++;
    o.warn(formatProblem(p));
  };
  for await (const record of readCsvRecords(file, { required: TRACK_COLUMNS, onProblem })) {
    rows++;
    const result = parseTrackRow(record, file);
    if (!result.ok) {
      onProblem(result.problem);
      continue;
    }
    let track = tracks.get(result.key);
    if (track === undefined) tracks.set(result.key, (track = []));
    track.push(result.point);
  }

  const windows = windowTracks(tracks, model.manifest.window);
  const width = model.width;
  const buffer = new Float32Array(batchSize * width);
  const batch: TrackWindow[] = [];
  let skippedWindows = 0;

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const out = model.predictBatch(buffer, batch.length);
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      const w = batch[i];
      const probabilities = out.probabilities(i);
      const label = out.label(i);
      if (label === null) o.warn(`${file}: key ${w.key} window ${new Date(w.start).toISOString()}: features not finite, no label`);
      for (const k of Object.keys(probabilities)) probabilities[k] = roundOutput(probabilities[k]);
      text += `${JSON.stringify({
        key: w.key,
        window_start: new Date(w.start).toISOString(),
        window_end: new Date(w.end).toISOString(),
        points: w.points.length,
        label,
        probabilities,
        model: out.model,
        model_version: out.model_version,
      })}\n`;
    }
    batch.length = 0;
    await o.write(text);
  };

  for (const w of windows) {
    const where = `${file}: key ${w.key} window ${new Date(w.start).toISOString()}`;
    let row: Float32Array;
    try {
      row = o.features(w.points);
    } catch (err) {
      skippedWindows++;
      o.warn(`${where}: feature extraction failed: ${(err as Error).message}; window skipped`);
      continue;
    }
    if (row.length !== width) {
      throw new Error(`feature extractor returned ${row.length} values but model ${model.dir} takes ${width} (${model.manifest.feature_spec.name} v${model.manifest.feature_spec.version}); the code and the model disagree despite equal feature hashes: fix the extractor to follow its spec`);
    }
    buffer.set(row, batch.length * width);
    batch.push(w);
    if (batch.length === batchSize) await flush();
  }
  await flush();
  return { rows, skippedRows, windows: windows.length - skippedWindows, skippedWindows };
}
