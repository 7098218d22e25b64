import * as crypto from 'node:crypto';
import type { PredictionRow } from './predictions.js';

export type IdPart = string | number | boolean | null;

/** One-shot `crypto.hash` where Node has it (20.12+): a worker hashes every row it lands, and a Hash object costs twice as much. */
const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * A deterministic id from the parts that identify a row: 32 hex chars (128 bits) of the sha256 of
 * the parts as a JSON array. JSON keeps part boundaries unambiguous (`['a|b','c']` and
 * `['a','b|c']` differ), and 128 bits make a collision among billions of rows negligible while
 * staying well under BigQuery's 128-character insert id limit.
 */
export function rowId(parts: readonly IdPart[]): string {
  return sha256Hex(JSON.stringify(parts)).slice(0, 32);
}

export type PredictionIdentity = Pick<
  PredictionRow,
  'stream' | 'key' | 'window_start' | 'window_end' | 'pane_index' | 'model' | 'model_version' | 'model_role'
>;

/** `predictions.row_id`: the same pane of the same window scored by the same model always gets the same id. */
export function predictionRowId(p: PredictionIdentity): string {
  return rowId([
    'predictions', p.stream, p.key, p.window_start, p.window_end, p.pane_index, p.model, p.model_version, p.model_role,
  ]);
}
