import { Random } from '../random.js';
import { MinHeap } from '../minHeap.js';
import { GEAR_CLASSES, type GearClass } from './gear.js';
import { reportingDefaults, type ReportingOptions, type ReportingRegime } from './reportingProfile.js';
import { drawVessel, type SimulatedVessel } from './vessel.js';
import { vesselDeliveries, type Delivery, type SimulationSpan } from './vesselDeliveries.js';

export interface FleetOptions {
  /** same seed → same fleet, same tracks, same deliveries */
  readonly seed: number | string;
  /** number of vessels */
  readonly vessels: number;
  /** simulated event-time span, hours */
  readonly hours: number;
  /** event time of the span's start: epoch ms, ISO 8601 or Date; default 2024-01-01T00:00:00Z */
  readonly start?: number | string | Date;
  /** relative weights of the gear classes; default equal. Counts are apportioned exactly, not sampled */
  readonly classMix?: Partial<Record<GearClass, number>>;
  /** a regime for every vessel, or the full reporting options (regime mix, class B share, noise, …) */
  readonly reporting?: ReportingRegime | ReportingOptions;
}

export interface FleetSimulation {
  readonly vessels: readonly SimulatedVessel[];
  /** every delivered position, in arrival order (`deliveredAt`, ties by vessel then generation order) */
  readonly positions: readonly Delivery[];
}

export const DEFAULT_START = Date.UTC(2024, 0, 1);

/** Maritime identification digits of flag states with large fishing or merchant fleets. */
const MIDS = ['412', '416', '431', '440', '224', '273', '338', '503', '636', '538', '477', '563', '419', '525', '710'];

export function spanOf(opts: Pick<FleetOptions, 'start' | 'hours'>): SimulationSpan {
  const start = opts.start === undefined ? DEFAULT_START
    : opts.start instanceof Date ? opts.start.getTime()
    : typeof opts.start === 'string' ? Date.parse(opts.start) : opts.start;
  if (!Number.isFinite(start)) throw new RangeError(`simulateFleet: option start=${String(opts.start)} is not a date; pass epoch ms or ISO 8601`);
  if (!(opts.hours > 0)) throw new RangeError(`simulateFleet: option hours=${opts.hours} must be positive`);
  return { start, end: start + opts.hours * 3_600_000 };
}

/** Gear counts proportional to the weights (largest remainder), so a balanced mix is exactly balanced. */
function apportion(n: number, mix: Partial<Record<GearClass, number>>): GearClass[] {
  const weights = GEAR_CLASSES.map((g) => Math.max(0, mix[g] ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('simulateFleet: option classMix gives no gear a positive weight');
  const exact = weights.map((w) => (w / total) * n);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < n - counts.reduce((a, b) => a + b, 0); k++) counts[order[k]![1]]!++;
  return GEAR_CLASSES.flatMap((g, i) => Array<GearClass>(counts[i]!).fill(g));
}

/** The fleet's vessels (gear, MMSI, behaviour and reporting parameters), without simulating them. */
export function planFleet(opts: Pick<FleetOptions, 'seed' | 'vessels' | 'classMix' | 'reporting'>): SimulatedVessel[] {
  if (!Number.isInteger(opts.vessels) || opts.vessels < 0) {
    throw new RangeError(`simulateFleet: option vessels=${opts.vessels} must be a whole number ≥ 0`);
  }
  const root = new Random(`fleet/${String(opts.seed)}`);
  const gears = apportion(opts.vessels, opts.classMix ?? { trawlers: 1, drifting_longlines: 1, purse_seines: 1, non_fishing: 1 });
  // shuffle so gear is not readable from the vessel index (Fisher–Yates with the seeded stream)
  const shuffle = root.fork('gears');
  for (let i = gears.length - 1; i > 0; i--) {
    const j = shuffle.int(0, i);
    [gears[i], gears[j]] = [gears[j]!, gears[i]!];
  }
  const reporting = reportingDefaults(opts.reporting);
  const ids = root.fork('mmsi');
  const used = new Set<string>();
  return gears.map((gear, i) => {
    let mmsi: string;
    do mmsi = ids.pick(MIDS) + String(ids.int(0, 999_999)).padStart(6, '0');
    while (used.has(mmsi));
    used.add(mmsi);
    return drawVessel(mmsi, gear, `${root.key}/vessel/${i}`, reporting);
  });
}

interface Pending {
  readonly delivery: Delivery;
  readonly vessel: number;
  readonly seq: number;
}

const byArrival = (a: Pending, b: Pending): boolean =>
  a.delivery.deliveredAt < b.delivery.deliveredAt ||
  (a.delivery.deliveredAt === b.delivery.deliveredAt && (a.vessel < b.vessel || (a.vessel === b.vessel && a.seq < b.seq)));

/**
 * The fleet's positions in arrival order, generated lazily: memory holds only the messages still in
 * flight (bounded by the longest delivery latency), so it can drive a stream for any span.
 */
export function* arrivals(vessels: readonly SimulatedVessel[], span: SimulationSpan): Generator<Delivery> {
  const sources = vessels.map((v) => ({ it: vesselDeliveries(v, span), frontier: span.start, done: false, seq: 0 }));
  // vessels ordered by the event time of their last generated fix: none can deliver anything earlier
  const byFrontier = new MinHeap<number>((a, b) => sources[a]!.frontier < sources[b]!.frontier || (sources[a]!.frontier === sources[b]!.frontier && a < b));
  sources.forEach((_, i) => byFrontier.push(i));
  const inFlight = new MinHeap<Pending>(byArrival);
  for (;;) {
    const lowest = byFrontier.peek();
    const safeUntil = lowest === undefined ? Infinity : sources[lowest]!.frontier;
    const next = inFlight.peek();
    if (next !== undefined && next.delivery.deliveredAt <= safeUntil) {
      inFlight.pop();
      yield next.delivery;
      continue;
    }
    if (lowest === undefined) return;
    byFrontier.pop();
    const src = sources[lowest]!;
    const r = src.it.next();
    if (r.done) {
      src.done = true;
      continue;
    }
    const d = r.value;
    inFlight.push({ delivery: d, vessel: lowest, seq: src.seq++ });
    // event time of the fix: every later fix of this vessel is at least this late, and so is its delivery
    const t = typeof d.position.timestamp === 'number' ? Math.round(d.position.timestamp * 1000) : Date.parse(d.position.timestamp);
    src.frontier = Math.max(src.frontier, t);
    byFrontier.push(lowest);
  }
}

/** A streaming fleet: its vessels now, its positions lazily in arrival order. */
export function streamFleet(opts: FleetOptions): { vessels: SimulatedVessel[]; positions: Iterable<Delivery>; span: SimulationSpan } {
  const span = spanOf(opts);
  const vessels = planFleet(opts);
  return { vessels, positions: { [Symbol.iterator]: () => arrivals(vessels, span) }, span };
}

/** Simulate a fleet and collect every delivered position, in arrival order. */
export function simulateFleet(opts: FleetOptions): FleetSimulation {
  const { vessels, positions } = streamFleet(opts);
  return { vessels, positions: Array.from(positions) };
}
