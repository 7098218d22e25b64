import { z } from 'zod';
import type { AisReception } from './aisDecoder.js';
import { mmsiKey } from './vesselPositionMapping.js';

/**
 * What driftline knows about one vessel from its static reports (types 5, 19, 24 A and B): one row
 * per MMSI in the `vessels` table, carried beside predictions. AIS "not available" values (empty
 * text, IMO 0, ship type 0, dimension 0, draught 0) are null.
 */
export const vesselRecordSchema = z.strictObject({
  mmsi: z.string().regex(/^\d{9}$/).describe('MMSI, nine digits'),
  shipname: z.string().nullable(),
  callsign: z.string().nullable(),
  imo: z.number().int().positive().nullable(),
  shiptype: z.number().int().min(1).max(255).nullable().describe('AIS ship and cargo type (30 = fishing)'),
  to_bow: z.number().int().positive().nullable().describe('metres from the GNSS antenna to the bow'),
  to_stern: z.number().int().positive().nullable(),
  to_port: z.number().int().positive().nullable(),
  to_starboard: z.number().int().positive().nullable(),
  length: z.number().int().positive().nullable().describe('to_bow + to_stern, metres'),
  beam: z.number().int().positive().nullable().describe('to_port + to_starboard, metres'),
  draught: z.number().positive().nullable().describe('metres (type 5 only)'),
  destination: z.string().nullable().describe('type 5 only'),
  updated_at: z.number().describe('receiver time of the latest static report, epoch ms'),
});

export type VesselRecord = z.output<typeof vesselRecordSchema>;

/** The fields one static report sets; fields it does not carry are absent (not null). */
export type VesselUpdate = Partial<VesselRecord> & Pick<VesselRecord, 'mmsi' | 'updated_at'>;

const text = (s: string) => (s === '' ? null : s);
const positive = (n: number) => (n > 0 ? n : null);

function dimensions(m: { to_bow: number; to_stern: number; to_port: number; to_starboard: number }) {
  return { to_bow: positive(m.to_bow), to_stern: positive(m.to_stern), to_port: positive(m.to_port), to_starboard: positive(m.to_starboard) };
}

/** The part of a vessel record a decoded static report carries, or null for other messages. */
export function toVesselUpdate(reception: AisReception): VesselUpdate | null {
  const m = reception.message;
  const base = { mmsi: mmsiKey(m.mmsi), updated_at: reception.receivedAt };
  switch (m.type) {
    case 5:
      return {
        ...base,
        shipname: text(m.shipname),
        callsign: text(m.callsign),
        imo: positive(m.imo),
        shiptype: positive(m.shiptype),
        ...dimensions(m),
        draught: positive(m.draught),
        destination: text(m.destination),
      };
    case 19:
      return { ...base, shipname: text(m.shipname), shiptype: positive(m.shiptype), ...dimensions(m) };
    case 24:
      if (m.part === 'A') return { ...base, shipname: text(m.shipname) };
      return {
        ...base,
        shiptype: positive(m.shiptype),
        callsign: text(m.callsign),
        // auxiliary craft report their mother ship instead of dimensions
        ...(m.to_bow === undefined ? {} : dimensions({ to_bow: m.to_bow, to_stern: m.to_stern!, to_port: m.to_port!, to_starboard: m.to_starboard! })),
      };
    default:
      return null;
  }
}

const EMPTY: Omit<VesselRecord, 'mmsi' | 'updated_at'> = {
  shipname: null,
  callsign: null,
  imo: null,
  shiptype: null,
  to_bow: null,
  to_stern: null,
  to_port: null,
  to_starboard: null,
  length: null,
  beam: null,
  draught: null,
  destination: null,
};

/**
 * Merges a static report into the vessel's record: class B vessels send name (24 A) and the rest
 * (24 B) separately, so a report only overwrites the fields it carries. An older report (by
 * receiver time) never overwrites a newer one.
 */
export function mergeVesselRecord(previous: VesselRecord | undefined, update: VesselUpdate): VesselRecord {
  if (previous && previous.updated_at > update.updated_at) return previous;
  const merged = { ...EMPTY, ...previous } as VesselRecord;
  for (const [k, v] of Object.entries(update)) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  merged.length = merged.to_bow !== null && merged.to_stern !== null ? merged.to_bow + merged.to_stern : null;
  merged.beam = merged.to_port !== null && merged.to_starboard !== null ? merged.to_port + merged.to_starboard : null;
  return merged;
}

/** In-memory vessel records of one ingest, by MMSI; bounded so a feed of random MMSIs cannot grow it forever. */
export class VesselRegistry {
  private readonly records = new Map<string, VesselRecord>();

  constructor(private readonly maxVessels = 200_000) {}

  /** Applies a static report; returns the vessel's merged record, or null if the message is not static data. */
  apply(reception: AisReception): VesselRecord | null {
    const update = toVesselUpdate(reception);
    if (!update) return null;
    const merged = mergeVesselRecord(this.records.get(update.mmsi), update);
    this.records.delete(update.mmsi); // re-insert: Map order is then least recently updated first
    this.records.set(update.mmsi, merged);
    if (this.records.size > this.maxVessels) this.records.delete(this.records.keys().next().value as string);
    return merged;
  }

  get(mmsi: string): VesselRecord | undefined {
    return this.records.get(mmsi);
  }

  get size(): number {
    return this.records.size;
  }
}
