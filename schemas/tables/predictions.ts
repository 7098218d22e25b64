import { nullable, required } from './column.js';
import { defineTable, type RowOf } from './tableDef.js';

/**
 * One row per model per fired pane of a key's window. Classifiers (the fishing-gear model) fill
 * `label` and `probabilities`; regressors (the PUE model) fill `value`. A shadow model writes its own
 * rows beside the champion's, told apart by `model_role`.
 */
export const predictions = defineTable({
  name: 'predictions',
  description:
    'Model predictions: one row per model per fired pane of an event-time window of one key (vessel or plant).',
  columns: [
    required('row_id', 'string',
      'Deterministic id: hash of stream, key, window bounds, pane index, model, model version and role. ' +
      'A replay after a crash rewrites the same id, so the table never holds duplicates.'),
    required('stream', 'string', 'Stream name from driftline.yaml, e.g. `vessels` or `plants`.'),
    required('key', 'string', 'The key the window belongs to: vessel MMSI or plant/hall id.'),
    required('window_start', 'timestamp', 'Start of the event-time window, inclusive (UTC).'),
    required('window_end', 'timestamp', 'End of the event-time window, exclusive (UTC).'),
    required('pane_timing', 'string',
      'Why the pane fired: `EARLY` (before the watermark passed the window end), `ON_TIME` (the watermark passed it; ' +
      'one per window), `LATE` (a late event within allowed lateness updated the window, or the window expired).',
      { values: ['EARLY', 'ON_TIME', 'LATE'] }),
    required('pane_index', 'int64', 'Position of this pane among the panes of its window, from 0.'),
    required('is_final', 'bool', 'True for the last pane the window will ever fire (its allowed lateness has expired).'),
    required('event_count', 'int64', 'Number of events in the window when the pane fired.'),
    required('model', 'string', 'Model name, e.g. `fishing-gear` or `cooling-pue`.'),
    required('model_version', 'string', 'Model version, as in models/<name>/<version>/manifest.json.'),
    required('model_role', 'string', '`champion` for the model whose output is used, `shadow` for one evaluated beside it.',
      { values: ['champion', 'shadow'] }),
    nullable('label', 'string', 'Classifiers: the most probable class. NULL for regression models.'),
    nullable('value', 'float64', 'Regression models: the predicted quantity (cooling-pue: the predicted PUE). NULL for classifiers.'),
    nullable('probabilities', 'json', 'Classifiers: JSON object mapping each class to its probability. NULL for regression models.'),
    required('processed_at', 'timestamp',
      'Wall-clock time the row was produced (UTC). The only column that can differ between a run and its replay.'),
    required('config_hash', 'string', 'Hash of the stream configuration that produced the row (window, features, model).'),
  ],
  primaryKey: 'row_id',
  onConflict: { kind: 'ignore' },
  partitioning: { column: 'window_end', granularity: 'DAY' },
  clustering: ['stream', 'key'],
});

export type PredictionRow = RowOf<typeof predictions>;
