import { fishingFeatures } from '../../shared/features/fishing/fishingFeatures.js';
import type { TrackPoint } from '../../shared/features/trackPoint.js';
import { trackPointFromInput } from '../../shared/simulation/vessels/trackPoints.js';
import type { SimulatedVessel } from '../../shared/simulation/vessels/vessel.js';
import { vesselDeliveries, type SimulationSpan } from '../../shared/simulation/vessels/vesselDeliveries.js';

/** One labelled example: the features of one tumbling window of one vessel. */
export interface WindowRow {
  /** index of the vessel in the fleet: the split key */
  readonly vessel: number;
  readonly mmsi: string;
  readonly gear: string;
  readonly regime: string;
  /** window start, epoch ms */
  readonly windowStart: number;
  readonly points: number;
  readonly features: Float32Array;
}

/** event-time tumbling window start containing `t` (windows aligned to the epoch, as the stream aligns them) */
export function tumblingWindowStart(t: number, sizeMs: number): number {
  return Math.floor(t / sizeMs) * sizeMs;
}

/**
 * Simulate each vessel, deliver its positions, cut them into tumbling event-time windows and extract
 * features with the same function the stream uses. Windows with fewer than `minPoints` positions are
 * skipped (the stream would still score them; training on near-empty windows only teaches noise).
 */
export function windowRows(
  vessels: readonly SimulatedVessel[],
  span: SimulationSpan,
  windowMs: number,
  opts: { minPoints?: number; onVessel?: (done: number) => void; vesselIndexOffset?: number } = {},
): WindowRow[] {
  const minPoints = opts.minPoints ?? 1;
  const rows: WindowRow[] = [];
  vessels.forEach((v, i) => {
    const byWindow = new Map<number, TrackPoint[]>();
    for (const d of vesselDeliveries(v, span)) {
      const p = trackPointFromInput(d.position);
      const w = tumblingWindowStart(p.t, windowMs);
      let list = byWindow.get(w);
      if (list === undefined) byWindow.set(w, (list = []));
      list.push(p);
    }
    for (const [w, pts] of [...byWindow].sort((a, b) => a[0] - b[0])) {
      if (pts.length < minPoints) continue;
      rows.push({
        vessel: i + (opts.vesselIndexOffset ?? 0), mmsi: v.mmsi, gear: v.gear, regime: v.reporting.regime,
        windowStart: w, points: pts.length, features: fishingFeatures(pts),
      });
    }
    opts.onVessel?.(i + 1);
  });
  return rows;
}
