import { Random } from '../random.js';
import { encodePosition, type SimulatedPosition } from './positionEncoder.js';
import { Receiver } from './receiver.js';
import { TrackIntegrator } from './trackIntegrator.js';
import { transmissionIntervalS } from './transmission.js';
import { plannerFor, type SimulatedVessel } from './vessel.js';

/** One position as it reaches the pipeline: when it arrived, and the message itself. */
export interface Delivery {
  /** processing time the message reaches the pipeline, epoch ms (≥ the fix's event time) */
  readonly deliveredAt: number;
  readonly position: SimulatedPosition;
}

/** sparse regime: about one fix an hour, the interval log-normally jittered, one hour in ten missed */
const SPARSE_INTERVAL_S = 3600;
const SPARSE_JITTER_SD = 0.25;
const SPARSE_MISS_RATE = 0.1;
/** delivery latency, ms: shore stations forward within seconds, satellite data arrives minutes to hours later */
const TERRESTRIAL_LATENCY_MEAN_MS = 1000;
const SATELLITE_LATENCY_MEAN_MS = 20 * 60_000;
const SATELLITE_LATENCY_CAP_MS = 3 * 3_600_000;
const SATELLITE_DUPLICATE_RATE = 0.05;

export interface SimulationSpan {
  /** event time of the first report, epoch ms */
  readonly start: number;
  /** event time after the last report, epoch ms */
  readonly end: number;
}

/**
 * All deliveries of one vessel's positions with event time in [start, end), generated in event-time
 * order of the fixes (a duplicate or a late copy follows its original; sort by `deliveredAt` for
 * arrival order). Deterministic in the vessel: same vessel and span → same deliveries.
 */
export function* vesselDeliveries(vessel: SimulatedVessel, span: SimulationSpan): Generator<Delivery> {
  const root = new Random(vessel.key);
  const integrator = new TrackIntegrator(plannerFor(vessel.behaviour), vessel.current, root.fork('behaviour'), {
    t: span.start - vessel.warmupHours * 3_600_000,
    ...vessel.origin,
  });
  const p = vessel.reporting;
  const rx = root.fork(`reception/${p.regime}`);
  const noise = root.fork(`noise/${p.regime}`);
  const receiver = new Receiver(p, rx, span.start);

  let t = span.start + rx.uniform(0, p.regime === 'sparse' ? SPARSE_INTERVAL_S * 1000 : 10_000);
  while (t < span.end) {
    const s = integrator.stateAt(t);
    let via: 'terrestrial' | 'satellite' | 'sparse' | null;
    let nextT: number;
    if (p.regime === 'sparse') {
      via = 'sparse';
      nextT = t + SPARSE_INTERVAL_S * 1000 * Math.exp(rx.normal(0, SPARSE_JITTER_SD)) * (rx.chance(SPARSE_MISS_RATE) ? 2 : 1);
    } else {
      const interval = transmissionIntervalS(p.aisClass, s.sog, s.turnRate, integrator.phase.atAnchor === true);
      nextT = t + interval * 1000 * rx.uniform(0.95, 1.05); // SOTDMA slot choice jitters the interval
      const heard = receiver.hear(t);
      via = heard.via;
      if (heard.skipTo !== undefined && heard.skipTo > nextT) nextT = heard.skipTo + rx.uniform(0, 10_000);
    }
    if (via !== null) {
      const position = encodePosition(vessel.mmsi, s, p, noise);
      const fixT = Math.round(t);
      if (via === 'satellite') {
        const latency = Math.min(SATELLITE_LATENCY_CAP_MS, 60_000 + rx.exponential(SATELLITE_LATENCY_MEAN_MS));
        yield { deliveredAt: Math.round(fixT + latency), position };
        if (rx.chance(SATELLITE_DUPLICATE_RATE)) yield { deliveredAt: Math.round(fixT + latency + rx.uniform(60_000, 3_600_000)), position: { ...position } };
      } else {
        let latency = 200 + rx.exponential(TERRESTRIAL_LATENCY_MEAN_MS);
        if (rx.chance(p.lateRate)) latency += rx.uniform(10_000, 600_000); // held back: arrives out of order
        yield { deliveredAt: Math.round(fixT + latency), position };
        if (via === 'terrestrial' && rx.chance(p.duplicateRate)) {
          yield { deliveredAt: Math.round(fixT + latency + rx.uniform(50, 30_000)), position: { ...position } };
        }
      }
    }
    t = nextT;
  }
}
