import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../tests/fixtures/captureLogger.js';
import { tinySpec, writeTinyClassifier } from '../../tests/fixtures/tinyModels.js';
import type { TrackPoint } from '../../shared/features/trackPoint.js';
import { ModelRegistry } from '../../shared/models/modelRegistry.js';
import type { ServedModel } from '../../shared/models/servedModel.js';
import { memorySink } from './lineSink.js';
import { predictTracks } from './predictTracks.js';

/** stand-in extractor for the fixture spec: four numbers per window */
function tinyFeatures(points: readonly TrackPoint[]): Float32Array {
  const speeds = points.map((p) => p.speed ?? 0);
  const mean = speeds.reduce((a, b) => a + b, 0) / speeds.length;
  const std = Math.sqrt(speeds.reduce((a, b) => a + (b - mean) ** 2, 0) / speeds.length);
  const gap = points.length > 1 ? (points[points.length - 1].t - points[0].t) / 1000 / (points.length - 1) : 0;
  return Float32Array.from([mean, std, points.length, gap]);
}

const HOUR = 3_600_000;
let dir: string;
let model: ServedModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftline-predict-tracks-'));
  await writeTinyClassifier(join(dir, 'models'), { name: 'fishing-gear', window: { kind: 'tumbling', size_ms: 6 * HOUR } });
  model = await new ModelRegistry({ modelsDir: join(dir, 'models'), logger: captureLogger().logger }).load('fishing-gear', tinySpec);
});
afterAll(async () => {
  model.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function run(csv: string, batchSize?: number) {
  const file = join(dir, 'tracks.csv');
  await writeFile(file, csv);
  const { sink, lines } = memorySink();
  const warnings: string[] = [];
  const summary = await predictTracks({ file, model, features: tinyFeatures, write: sink, warn: (m) => warnings.push(m), ...(batchSize ? { batchSize } : {}) });
  return { summary, out: lines().map((l) => JSON.parse(l) as Record<string, unknown>), warnings, file };
}

describe('predictTracks', () => {
  it('prints one line per vessel window with bounds, point count, label, probabilities and model identity', async () => {
    const csv = [
      'mmsi,timestamp,lat,lon,speed,course,heading',
      '111,1714564800,47.5,-4.2,3.4,181.5,511', // 2024-05-01T12:00:00Z
      '111,2024-05-01T13:00:00Z,47.51,-4.21,3.1,170,511',
      '222,1714564800,10,20,12,90,',
      '111,1714586400,47.6,-4.3,,,', // 18:00, next 6 h window
    ].join('\n');
    const { out, warnings, summary } = await run(csv);
    expect(warnings).toEqual([]);
    expect(summary).toEqual({ rows: 4, skippedRows: 0, windows: 3, skippedWindows: 0 });
    expect(out.map((o) => [o.key, o.window_start, o.window_end, o.points])).toEqual([
      ['111', '2024-05-01T12:00:00.000Z', '2024-05-01T18:00:00.000Z', 2],
      ['111', '2024-05-01T18:00:00.000Z', '2024-05-02T00:00:00.000Z', 1],
      ['222', '2024-05-01T12:00:00.000Z', '2024-05-01T18:00:00.000Z', 1],
    ]);
    for (const o of out) {
      expect(Object.keys(o)).toEqual(['key', 'window_start', 'window_end', 'points', 'label', 'probabilities', 'model', 'model_version']);
      expect(o).toMatchObject({ model: 'fishing-gear', model_version: 'v1' });
      const probs = o.probabilities as Record<string, number>;
      expect(Object.keys(probs)).toEqual(['trawlers', 'drifting_longlines', 'non_fishing']);
      expect(Object.values(probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(o.label).toBe(Object.entries(probs).sort((a, b) => b[1] - a[1])[0][0]);
    }
  });

  it('matches the model served directly on the same features', async () => {
    const { out } = await run('mmsi,timestamp,lat,lon,speed,course\n9,0,1,1,5,10\n9,600,1,1,7,10\n');
    const direct = model.predictBatch(tinyFeatures([
      { t: 0, lat: 1, lon: 1, speed: 5, course: 10 },
      { t: 600_000, lat: 1, lon: 1, speed: 7, course: 10 },
    ]));
    const probs = out[0].probabilities as Record<string, number>;
    for (const [k, v] of Object.entries(direct.probabilities(0))) expect(probs[k]).toBeCloseTo(v, 5);
  });

  it('reports bad rows with file, line and field, and scores the rest', async () => {
    const csv = 'mmsi,timestamp,lat,lon,speed,course\n1,100,95,0,1,1\n1,200,0,0,1,1\n1,yesterday,0,0,1,1\n\n1,300,0,zero,1,1\n';
    const { out, warnings, summary, file } = await run(csv);
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^${file}:2: field "lat": .*got 95; row skipped$`)),
      expect.stringMatching(new RegExp(`^${file}:4: field "timestamp": .*got "yesterday".*; row skipped$`)),
      expect.stringMatching(new RegExp(`^${file}:6: field "lon": .*got "zero"; row skipped$`)),
    ]);
    expect(summary).toMatchObject({ rows: 4, skippedRows: 3, windows: 1 });
    expect(out).toHaveLength(1);
    expect(out[0].points).toBe(1);
  });

  it('gives the same lines whatever the batch size', async () => {
    const rows = ['mmsi,timestamp,lat,lon,speed,course'];
    for (let v = 0; v < 7; v++) for (let k = 0; k < 5; k++) rows.push(`v${v},${k * 9000 + v},0,0,${(v * 3 + k) % 11},0`);
    const csv = rows.join('\n');
    const big = await run(csv);
    const small = await run(csv, 3);
    expect(small.out.map((o) => [o.key, o.window_start, o.points, o.label])).toEqual(big.out.map((o) => [o.key, o.window_start, o.points, o.label]));
    small.out.forEach((o, i) => {
      const want = big.out[i].probabilities as Record<string, number>;
      for (const [k, v] of Object.entries(o.probabilities as Record<string, number>)) expect(v).toBeCloseTo(want[k], 5);
    });
    expect(big.out.length).toBeGreaterThan(7);
  });
});
