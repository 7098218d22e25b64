import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../tests/fixtures/captureLogger.js';
import { writeTinyRegressor } from '../../tests/fixtures/tinyModels.js';
import { plantInputFields, type PlantTelemetry } from '../../schemas/messages/plantTelemetry.js';
import type { FeatureSpec } from '../../shared/features/featureSpec.js';
import { ModelRegistry } from '../../shared/models/modelRegistry.js';
import type { ServedModel } from '../../shared/models/servedModel.js';
import { memorySink } from './lineSink.js';
import { predictPlants } from './predictPlants.js';

/** stand-in for the cooling features: the 19 inputs as they are */
const spec: FeatureSpec = { name: 'tiny-plant', version: 1, features: [...plantInputFields] };
function rawInputs(samples: readonly PlantTelemetry[]): Float32Array {
  const out = new Float32Array(samples.length * plantInputFields.length);
  samples.forEach((s, i) => plantInputFields.forEach((f, j) => (out[i * plantInputFields.length + j] = s[f])));
  return out;
}

const header = ['plant_id', 'timestamp', ...plantInputFields, 'pue'].join(',');
const values = [2000, 30, 2, 60, 2, 55, 3, 18, 1, 0, 2, 12, 1.5, 14, 20, 40, 55, 4, 180];
const line = (id: string, ts: string, v: readonly (number | string)[] = values, pue = '1.12') => [id, ts, ...v, pue].join(',');

let dir: string;
let model: ServedModel;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftline-predict-plants-'));
  await writeTinyRegressor(join(dir, 'models'), { name: 'cooling-pue', spec });
  model = await new ModelRegistry({ modelsDir: join(dir, 'models'), logger: captureLogger().logger }).load('cooling-pue', spec);
});
afterAll(async () => {
  model.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('predictPlants', () => {
  it('prints one line per row with key, timestamp, pue and model identity; bad rows named and skipped', async () => {
    const file = join(dir, 'plant.csv');
    const bad = [...values];
    bad[2] = 2.5; // pumps running must be a whole number
    await writeFile(file, [header, line('hall-1', '1714564800'), line('hall-1', '2024-05-01T12:05:00Z', bad), line('hall-2', '2024-05-01T12:05:00Z', values, '')].join('\n'));
    const { sink, lines } = memorySink();
    const warnings: string[] = [];
    const summary = await predictPlants({ file, model, features: rawInputs, write: sink, warn: (m) => warnings.push(m), batchSize: 1 });
    expect(summary).toMatchObject({ rows: 3, skippedRows: 1 });
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${file}:3: field "process_water_pumps_running": .*got 2.5; row skipped$`))]);
    const out = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => Object.keys(o))).toEqual([
      ['key', 'timestamp', 'pue', 'model', 'model_version'],
      ['key', 'timestamp', 'pue', 'model', 'model_version'],
    ]);
    expect(out.map((o) => [o.key, o.timestamp, o.model, o.model_version])).toEqual([
      ['hall-1', '2024-05-01T12:00:00.000Z', 'cooling-pue', 'v1'],
      ['hall-2', '2024-05-01T12:05:00.000Z', 'cooling-pue', 'v1'],
    ]);
    const direct = model.predictBatch(Float32Array.from(values)).value(0);
    expect(out[0].pue as number).toBeCloseTo(direct, 5);
    expect(out[1].pue).toBe(out[0].pue);
  });
});
