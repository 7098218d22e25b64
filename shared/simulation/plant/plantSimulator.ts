import { Random } from '../random.js';
import { ItLoadProcess } from './itLoad.js';
import { INITIAL_PLANT_STATE, solveOperatingPoint, type OperatingPoint, type PlantState } from './plantModel.js';
import { installedEquipment, type InstalledEquipment, type PlantConfig } from './plantConfig.js';
import { measureAir, telemetryMessage, type PlantTelemetryMessage } from './sensorReadings.js';
import { SetpointController } from './setpointController.js';
import { WeatherProcess, type OutsideAir } from './weather.js';

export const SAMPLE_PERIOD_MS = 300_000;
export const DEFAULT_START = '2025-01-01T00:00:00Z';

export interface PlantSimulationOptions {
  /** the whole run follows from this seed (with the plant id); same seed, same samples */
  readonly seed: number | string;
  /** event time of the first sample: ISO 8601 or epoch ms; default 2025-01-01T00:00:00Z */
  readonly start?: string | number;
  /** sample period, ms; default 5 minutes, as in Gao 2014 */
  readonly periodMs?: number;
}

/** One simulated sample: the message the plant publishes, plus the ground truth behind it. */
export interface SimulatedSample {
  readonly message: PlantTelemetryMessage;
  /** true outside air (the message carries sensor readings of it) */
  readonly air: OutsideAir;
  readonly point: OperatingPoint;
}

export function parseStart(start: string | number | undefined): number {
  const ms = typeof start === 'number' ? start : Date.parse(start ?? DEFAULT_START);
  if (!Number.isFinite(ms)) throw new Error(`plant simulator: start ${JSON.stringify(start)} is not an ISO 8601 time or epoch ms (e.g. "2025-01-01T00:00:00Z")`);
  return ms;
}

/**
 * One hall stepped sample by sample. Each hall draws from its own random stream forked from the seed
 * by plant id, so simulating one hall alone or within the fleet gives the same samples.
 */
export class PlantSimulator {
  readonly plant: PlantConfig;
  readonly installed: InstalledEquipment;
  readonly periodMs: number;
  private tMs: number;
  private state: PlantState = INITIAL_PLANT_STATE;
  private readonly weather: WeatherProcess;
  private readonly load: ItLoadProcess;
  private readonly control: SetpointController;
  private readonly sensors: Random;

  constructor(plant: PlantConfig, options: PlantSimulationOptions) {
    this.plant = plant;
    this.installed = installedEquipment(plant);
    this.periodMs = options.periodMs ?? SAMPLE_PERIOD_MS;
    if (!Number.isInteger(this.periodMs) || this.periodMs <= 0) {
      throw new Error(`plant simulator: periodMs must be a positive integer of milliseconds, got ${this.periodMs}`);
    }
    this.tMs = parseStart(options.start);
    const random = new Random(options.seed).fork(plant.plantId);
    this.weather = new WeatherProcess(plant.climate, plant.utcOffsetHours, random.fork('weather'));
    const growthEpochMs = Date.UTC(new Date(this.tMs).getUTCFullYear(), 0, 1);
    this.load = new ItLoadProcess(plant.load, plant.designItKw, plant.utcOffsetHours, growthEpochMs, random.fork('load'));
    this.control = new SetpointController(plant.control, plant.utcOffsetHours, random.fork('control'));
    this.sensors = random.fork('sensors');
  }

  /** event time of the next sample, epoch ms */
  get nextTimeMs(): number {
    return this.tMs;
  }

  next(): SimulatedSample {
    const tMs = this.tMs;
    const dtS = this.periodMs / 1000;
    const air = this.weather.step(tMs, dtS);
    const load = this.load.step(tMs, dtS);
    const measured = measureAir(air, this.sensors);
    const setpoints = this.control.update(tMs, measured.wetBulbC);
    const point = solveOperatingPoint(this.plant, this.installed, this.state, {
      serverKw: load.serverKw,
      networkRoomKw: load.networkRoomKw,
      air,
      ...setpoints,
    });
    this.state = point.state;
    this.tMs += this.periodMs;
    const message = telemetryMessage(
      { plantId: this.plant.plantId, tMs, serverKw: load.serverKw, networkRoomKw: load.networkRoomKw, air, ...setpoints, point },
      measured,
      this.sensors,
    );
    return { message, air, point };
  }
}

/** Endless stream of one hall's telemetry messages, for a streaming simulator service. */
export function* plantTelemetryStream(plant: PlantConfig, options: PlantSimulationOptions): Generator<PlantTelemetryMessage, never> {
  const sim = new PlantSimulator(plant, options);
  for (;;) yield sim.next().message;
}

/**
 * Several halls merged in event-time order (ties in fleet order), endless: what a fleet of plants
 * publishing every 5 minutes looks like on the wire.
 */
export function* fleetTelemetryStream(plants: readonly PlantConfig[], options: PlantSimulationOptions): Generator<PlantTelemetryMessage, never> {
  if (plants.length === 0) throw new Error('plant simulator: fleetTelemetryStream needs at least one plant');
  const sims = plants.map((p) => new PlantSimulator(p, options));
  for (;;) {
    let first = sims[0];
    for (const s of sims) if (s.nextTimeMs < first.nextTimeMs) first = s;
    yield first.next().message;
  }
}

export interface BulkSimulationOptions extends PlantSimulationOptions {
  /** how many days to simulate per hall */
  readonly days: number;
}

/** Bulk form for training and tests: `days` of samples for each hall, hall by hall, in time order. */
export function simulatePlants(plants: readonly PlantConfig[], options: BulkSimulationOptions): SimulatedSample[] {
  const period = options.periodMs ?? SAMPLE_PERIOD_MS;
  if (!(options.days > 0)) throw new Error(`plant simulator: days must be positive, got ${options.days}`);
  const steps = Math.round((options.days * 86_400_000) / period);
  const out: SimulatedSample[] = [];
  for (const plant of plants) {
    const sim = new PlantSimulator(plant, options);
    for (let i = 0; i < steps; i++) out.push(sim.next());
  }
  return out;
}
