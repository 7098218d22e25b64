import { describe, expect, it } from 'vitest';
import { parseTrackRow } from './trackRow.js';

const row = (cells: Record<string, string>, line = 7) => parseTrackRow({ line, cells: { mmsi: '227006760', timestamp: '1714564800', lat: '47.5', lon: '-4.2', speed: '3.4', course: '181.5', ...cells } }, 'tracks.csv');

describe('parseTrackRow', () => {
  it('reads unix seconds or ISO 8601 into epoch ms, speed in knots, course in degrees', () => {
    expect(row({})).toEqual({ ok: true, key: '227006760', point: { t: 1_714_564_800_000, lat: 47.5, lon: -4.2, speed: 3.4, course: 181.5 } });
    const iso = row({ timestamp: '2024-05-01T12:00:00Z' });
    expect(iso.ok && iso.point.t).toBe(1_714_564_800_000);
    const offset = row({ timestamp: '2024-05-01T14:00:00+02:00' });
    expect(offset.ok && offset.point.t).toBe(1_714_564_800_000);
    const fractional = row({ timestamp: '1714564800.25' });
    expect(fractional.ok && fractional.point.t).toBe(1_714_564_800_250);
  });

  it('maps empty cells and AIS not-available codes for speed and course to null', () => {
    expect(row({ speed: '', course: '' })).toMatchObject({ ok: true, point: { speed: null, course: null } });
    expect(row({ speed: '102.3', course: '360' })).toMatchObject({ ok: true, point: { speed: null, course: null } });
  });

  it('rejects bad cells naming file, line and field', () => {
    const cases: [Record<string, string>, string][] = [
      [{ lat: '95' }, 'lat'],
      [{ lon: 'east' }, 'lon'],
      [{ lat: '' }, 'lat'],
      [{ mmsi: '' }, 'mmsi'],
      [{ speed: '-1' }, 'speed'],
      [{ course: '400' }, 'course'],
      [{ timestamp: '2024-05-01 12:00' }, 'timestamp'],
      [{ timestamp: '2024-05-01T12:00:00' }, 'timestamp'],
      [{ timestamp: '1e20' }, 'timestamp'],
      [{ timestamp: '99999999999999999' }, 'timestamp'],
    ];
    for (const [cells, field] of cases) {
      const r = row(cells);
      expect(r.ok, JSON.stringify(cells)).toBe(false);
      if (!r.ok) expect(r.problem).toMatchObject({ file: 'tracks.csv', line: 7, field });
    }
  });
});
