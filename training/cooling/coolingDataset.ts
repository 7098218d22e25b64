import { plantTelemetrySchema } from '../../schemas/messages/plantTelemetry.js';
import { COOLING_FEATURE_WIDTH, coolingFeatureRows } from '../../shared/features/cooling/coolingFeatures.js';
import type { PlantConfig } from '../../shared/simulation/plant/plantConfig.js';
import { simulatePlants } from '../../shared/simulation/plant/plantSimulator.js';
import { utcDay } from './daySplit.js';

/** Simulated telemetry turned into model rows, with what evaluation needs to slice errors. */
export interface CoolingDataset {
  readonly rows: number;
  readonly width: number;
  /** feature rows, row-major (`coolingFeatureSpec` layout) */
  readonly x: Float32Array;
  /** metered PUE (what a real plant would give as the label) */
  readonly pue: Float32Array;
  /** the simulator's true PUE, before meter noise: shows the noise floor */
  readonly truePue: Float32Array;
  readonly day: Int32Array;
  readonly plantIndex: Uint8Array;
  /** total IT load / design IT capacity */
  readonly itFraction: Float32Array;
  /** 0 free cooling (no chillers), 1 chillers running, 2 drycoolers */
  readonly mode: Uint8Array;
  readonly plants: readonly string[];
}

export const COOLING_MODES = ['free_cooling', 'chillers', 'drycoolers'] as const;

export interface DatasetOptions {
  readonly seed: number | string;
  readonly days: number;
  readonly start?: string;
}

/**
 * Simulate the halls and pass every message through the telemetry schema, exactly as the stream
 * would, before computing features: training sees what serving sees.
 */
export function buildCoolingDataset(plants: readonly PlantConfig[], options: DatasetOptions): CoolingDataset {
  const samples = simulatePlants(plants, { seed: options.seed, days: options.days, ...(options.start !== undefined ? { start: options.start } : {}) });
  const n = samples.length;
  const parsed = samples.map((s, i) => {
    const r = plantTelemetrySchema.safeParse(s.message);
    if (!r.success) throw new Error(`simulated sample ${i} (${s.message.plant_id} ${String(s.message.timestamp)}) fails the plant telemetry schema: ${r.error.message}`);
    return r.data;
  });
  const plantIds = plants.map((p) => p.plantId);
  const design = new Map(plants.map((p) => [p.plantId, p.designItKw]));
  const pue = new Float32Array(n);
  const truePue = new Float32Array(n);
  const day = new Int32Array(n);
  const plantIndex = new Uint8Array(n);
  const itFraction = new Float32Array(n);
  const mode = new Uint8Array(n);
  parsed.forEach((t, i) => {
    if (t.pue === null) throw new Error(`simulated sample ${i} has no pue; the simulator always meters PUE`);
    pue[i] = t.pue;
    truePue[i] = samples[i].point.pue;
    day[i] = utcDay(t.timestamp);
    plantIndex[i] = plantIds.indexOf(t.plant_id);
    itFraction[i] = (t.it_load_kw + t.network_room_it_load_kw) / (design.get(t.plant_id) ?? Number.NaN);
    mode[i] = t.drycoolers_running > 0 ? 2 : t.chillers_running > 0 ? 1 : 0;
  });
  return { rows: n, width: COOLING_FEATURE_WIDTH, x: coolingFeatureRows(parsed), pue, truePue, day, plantIndex, itFraction, mode, plants: plantIds };
}
