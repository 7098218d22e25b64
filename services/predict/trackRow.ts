import { vesselPositionSchema } from '../../schemas/messages/vesselPosition.js';
import type { TrackPoint } from '../../shared/features/trackPoint.js';
import { numberCell, textCell, timeCell } from './cellValues.js';
import type { CsvRecord, RowProblem } from './csvRecords.js';

export const TRACK_COLUMNS = ['mmsi', 'timestamp', 'lat', 'lon', 'speed', 'course'] as const;

/** AIS "not available" codes some exports keep as numbers (ITU-R M.1371: SOG 1023 -> 102.3 kn, COG 3600 -> 360°). */
const SPEED_NOT_AVAILABLE = 102.3;
const COURSE_NOT_AVAILABLE = 360;

export type TrackRowResult = { ok: true; key: string; point: TrackPoint } | { ok: false; problem: RowProblem };

function describe(value: unknown): string {
  return value === undefined ? 'empty' : JSON.stringify(value);
}

/**
 * One CSV row -> a vessel's track point, validated by the same schema as MQTT position messages.
 * Empty speed/course and AIS "not available" codes become null; any other bad value rejects the row.
 */
export function parseTrackRow(record: CsvRecord, file: string): TrackRowResult {
  const c = record.cells;
  let speed = numberCell(c.speed);
  if (speed === SPEED_NOT_AVAILABLE) speed = undefined;
  let course = numberCell(c.course);
  if (course === COURSE_NOT_AVAILABLE) course = undefined;
  const raw = {
    mmsi: textCell(c.mmsi),
    timestamp: timeCell(c.timestamp),
    lat: numberCell(c.lat),
    lon: numberCell(c.lon),
    speed: speed ?? null,
    course: course ?? null,
  };
  const parsed = vesselPositionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? '');
    const value = (raw as Record<string, unknown>)[field];
    const hint = field === 'timestamp' ? ' (unix seconds or ISO 8601 with a zone, e.g. 2024-05-01T12:00:00Z)' : '';
    return { ok: false, problem: { file, line: record.line, field, message: `${issue.message}; got ${describe(value)}${hint}` } };
  }
  const v = parsed.data;
  if (Number.isNaN(new Date(v.timestamp).getTime())) {
    return { ok: false, problem: { file, line: record.line, field: 'timestamp', message: `not a date within ±275,000 years of 1970; got ${describe(raw.timestamp)}` } };
  }
  return { ok: true, key: v.mmsi, point: { t: v.timestamp, lat: v.lat, lon: v.lon, speed: v.speed, course: v.course } };
}
