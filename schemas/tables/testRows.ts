import type { DeadLetterRow } from './deadLetters.js';
import type { LateEventRow } from './lateEvents.js';
import type { PredictionRow } from './predictions.js';
import { predictionRowId } from './rowId.js';
import type { VesselRow } from './vessels.js';

/** Sample rows for specs and benches: one classifier row, one regressor row, and one of each other table. */
export function classifierPrediction(overrides: Partial<PredictionRow> = {}): PredictionRow {
  const identity = {
    stream: 'vessels', key: '227006760', window_start: Date.UTC(2024, 4, 1, 10), window_end: Date.UTC(2024, 4, 1, 11),
    pane_index: 0, model: 'fishing-gear', model_version: '1', model_role: 'champion' as const, ...overrides,
  };
  return {
    row_id: predictionRowId(identity),
    pane_timing: 'ON_TIME', is_final: true, event_count: 57,
    label: 'trawlers', probabilities: { trawlers: 0.81, drifting_longlines: 0.12, other: 0.07 },
    processed_at: Date.UTC(2024, 4, 1, 11, 0, 2, 345), config_hash: 'c0ffee',
    ...identity,
    ...overrides,
  };
}

export function regressorPrediction(overrides: Partial<PredictionRow> = {}): PredictionRow {
  const identity = {
    stream: 'plants', key: 'hall-7', window_start: Date.UTC(2024, 4, 1, 10), window_end: Date.UTC(2024, 4, 1, 10, 5),
    pane_index: 0, model: 'pue', model_version: '2024.05', model_role: 'shadow' as const, ...overrides,
  };
  return {
    row_id: predictionRowId(identity),
    pane_timing: 'ON_TIME', is_final: true, event_count: 1,
    value: 1.1234, processed_at: Date.UTC(2024, 4, 1, 10, 5, 1), config_hash: 'beef',
    ...identity,
    ...overrides,
  };
}

export function deadLetter(overrides: Partial<DeadLetterRow> = {}): DeadLetterRow {
  return {
    id: 'dl-1', source: 'mqtt', topic: 'driftline/vessels/1/position', stream: 'vessels',
    payload: '{"mmsi":"1","lat":95', payload_encoding: 'utf8', reason: 'bad_json',
    detail: 'Unexpected end of JSON input', received_at: Date.UTC(2024, 4, 1, 10, 0, 0, 1),
    ...overrides,
  };
}

export function lateEvent(overrides: Partial<LateEventRow> = {}): LateEventRow {
  return {
    id: 'le-1', stream: 'vessels', key: '227006760', event_time: Date.UTC(2024, 4, 1, 8),
    watermark: Date.UTC(2024, 4, 1, 10), reason: 'late', detail: 'behind watermark by 2h',
    payload: { mmsi: '227006760', lat: 47.1, lon: -4.2, speed: 3.1, course: null, heading: null },
    received_at: Date.UTC(2024, 4, 1, 10, 0, 5),
    ...overrides,
  };
}

export function vessel(overrides: Partial<VesselRow> = {}): VesselRow {
  return {
    mmsi: '227006760', shipname: "L'ESPOIR", shiptype: 30, callsign: 'FGHI', imo: 9123456,
    to_bow: 12, to_stern: 8, to_port: 3, to_starboard: 4, updated_at: Date.UTC(2024, 4, 1, 9),
    ...overrides,
  };
}
