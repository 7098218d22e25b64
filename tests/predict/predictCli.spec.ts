import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantInputFields } from '../../schemas/messages/plantTelemetry.js';
import { coolingFeatureSpec } from '../../shared/features/cooling/coolingFeatureSpec.js';
import { fishingFeatureSpec } from '../../shared/features/fishing/fishingFeatures.js';
import { writeTinyClassifier, writeTinyRegressor } from '../fixtures/tinyModels.js';

/**
 * `driftline predict` end to end, as a user runs it, against fixture models that take the real
 * feature specs (so the real extractors run) but carry untrained weights: this checks plumbing,
 * windows, output format and error handling, not model quality.
 */
const bin = fileURLToPath(new URL('../../bin/driftline.js', import.meta.url));
const DAY = 86_400_000;
let dir: string;
let modelsDir: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, 'predict', ...args], { encoding: 'utf8', env: { ...process.env, DRIFTLINE_LOG_LEVEL: 'warn' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftline-predict-cli-'));
  modelsDir = join(dir, 'models');
  const labels = ['trawlers', 'drifting_longlines', 'purse_seines', 'non_fishing'];
  const width = fishingFeatureSpec.features.length;
  const zeros = new Array<number>(width).fill(0);
  const ones = new Array<number>(width).fill(1);
  await writeTinyClassifier(modelsDir, { name: 'fishing-gear', version: 'v1', spec: fishingFeatureSpec, labels, window: { kind: 'tumbling', size_ms: DAY }, mean: zeros, std: ones, seed: 3 });
  await writeTinyClassifier(modelsDir, { name: 'fishing-gear', version: 'v2', spec: fishingFeatureSpec, labels, window: { kind: 'tumbling', size_ms: DAY }, mean: zeros, std: ones, seed: 4 });
  await writeTinyClassifier(modelsDir, { name: 'fishing-gear', version: 'stale', spec: { ...fishingFeatureSpec, version: fishingFeatureSpec.version - 1 }, labels, mean: zeros, std: ones });
  const cw = coolingFeatureSpec.features.length;
  await writeTinyRegressor(modelsDir, { name: 'cooling-pue', version: 'v1', spec: coolingFeatureSpec, mean: new Array<number>(cw).fill(0), std: new Array<number>(cw).fill(100) });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function csv(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('driftline predict fishing-gear', () => {
  it('prints one JSON line per vessel and day window; bad rows are named on stderr and skipped', async () => {
    const rows = ['MMSI,timestamp,lat,lon,speed,course,shipname'];
    // vessel A: a day of 10-minute fixes, then two more the next day; vessel B: hourly, ISO times
    for (let k = 0; k < 144; k++) rows.push(`227006760,${1714521600 + k * 600},${47 + k * 0.001},${-4 + Math.sin(k / 9) * 0.01},${(3 + Math.sin(k)).toFixed(1)},${(k * 7) % 360},NOTRE DAME`);
    rows.push('227006760,1714608000,47.2,-4.1,3.0,10,NOTRE DAME', '227006760,1714611600,47.25,-4.1,,,NOTRE DAME');
    for (let h = 0; h < 12; h++) rows.push(`v-B,2024-05-01T${String(h).padStart(2, '0')}:30:00Z,10,${20 + h * 0.2},12.1,90,`);
    rows.push('227006760,1714521600,91,-4,3,10,BAD LAT', 'v-B,2024-05-01T25:00:00Z,10,20,12,90,');
    const file = await csv('tracks.csv', `${rows.join('\n')}\n`);
    const r = cli('fishing-gear', '--input', file, '--models-dir', modelsDir);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.key, l.window_start, l.window_end, l.points, l.model, l.model_version])).toEqual([
      ['227006760', '2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z', 144, 'fishing-gear', 'v2'],
      ['227006760', '2024-05-02T00:00:00.000Z', '2024-05-03T00:00:00.000Z', 2, 'fishing-gear', 'v2'],
      ['v-B', '2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z', 12, 'fishing-gear', 'v2'],
    ]);
    for (const l of r.lines) {
      const probs = l.probabilities as Record<string, number>;
      expect(Object.keys(probs)).toEqual(['trawlers', 'drifting_longlines', 'purse_seines', 'non_fishing']);
      expect(Object.values(probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(Object.keys(probs)).toContain(l.label);
    }
    const problems = r.stderr.split('\n').filter((l) => l.startsWith(file));
    expect(problems).toEqual([
      `${file}:160: field "lat": Too big: expected number to be <=90; got 91; row skipped`,
      expect.stringMatching(new RegExp(`^${file}:161: field "timestamp": .*got "2024-05-01T25:00:00Z".*row skipped$`)),
    ]);
    expect(r.stderr).toMatch(/160 rows read \(2 skipped\), 3 windows scored with fishing-gear v2/);
  });

  it('serves the version asked for', async () => {
    const file = await csv('one.csv', 'mmsi,timestamp,lat,lon,speed,course\n1,1714521600,1,1,1,1\n');
    const v1 = cli('fishing-gear', '--input', file, '--models-dir', modelsDir, '--model-version', 'v1');
    const v2 = cli('fishing-gear', '--input', file, '--models-dir', modelsDir);
    expect(v1.code).toBe(0);
    expect(v1.lines[0].model_version).toBe('v1');
    expect(v2.lines[0].model_version).toBe('v2');
    expect(v1.lines[0].probabilities).not.toEqual(v2.lines[0].probabilities);
  });

  it('refuses a model trained on other features, naming both hashes and npm run train:fishing', async () => {
    const file = await csv('one-more.csv', 'mmsi,timestamp,lat,lon,speed,course\n1,1714521600,1,1,1,1\n');
    const r = cli('fishing-gear', '--input', file, '--models-dir', modelsDir, '--model-version', 'stale');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(join(modelsDir, 'fishing-gear', 'stale'));
    expect(r.stderr).toContain('npm run train:fishing');
    expect(r.stderr).toMatch(/manifest feature_hash [0-9a-f]{64}, code's featureHash\(fishing-track v\d+\) [0-9a-f]{64}/);
  });

  it('exits 1 on an unreadable file or a header without the required columns', async () => {
    const missing = cli('fishing-gear', '--input', join(dir, 'nope.csv'), '--models-dir', modelsDir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'nope.csv')}`);
    const file = await csv('noheader.csv', '1,1714521600,1,1,1,1\n');
    const headerless = cli('fishing-gear', '--input', file, '--models-dir', modelsDir);
    expect(headerless.code).toBe(1);
    expect(headerless.stderr).toMatch(/noheader\.csv:1: header lacks columns mmsi, timestamp, lat, lon, speed, course/);
  });
});

describe('driftline predict cooling', () => {
  it('prints one JSON line per row with pue', async () => {
    const header = ['plant_id', 'timestamp', ...plantInputFields].join(',');
    const values = [2000, 30, 2, 60, 2, 55, 3, 18, 1, 0, 2, 12, 1.5, 14, 20, 40, 55, 4, 180];
    const file = await csv('plant.csv', [header, ['hall-1', '1714564800', ...values].join(','), ['hall-1', '2024-05-01T12:05:00Z', ...values.slice(0, -1), 400].join(',')].join('\n'));
    const r = cli('cooling', '--input', file, '--models-dir', modelsDir);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(Object.keys(r.lines[0])).toEqual(['key', 'timestamp', 'pue', 'model', 'model_version']);
    expect(r.lines[0]).toMatchObject({ key: 'hall-1', timestamp: '2024-05-01T12:00:00.000Z', model: 'cooling-pue', model_version: 'v1' });
    expect(typeof r.lines[0].pue).toBe('number');
    expect(r.stderr).toContain(`${file}:3: field "wind_direction_deg"`);
  });
});
