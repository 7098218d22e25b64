import { vesselPositionSchema } from '../../schemas/messages/vesselPosition.js';
import type { Row } from '../../schemas/tables/tables.js';
import type { AisReject } from '../../shared/ais/aisDecoder.js';
import type { AisPositionEvent } from '../../shared/ais/aisIngest.js';
import type { VesselRecord } from '../../shared/ais/vesselRecord.js';
import type { OutgoingRecord } from '../../shared/bus/bus.js';
import { deadLetterRecord, type DeadLetterReason } from '../../shared/deadLetters/deadLetter.js';

export type PositionRecord = { readonly ok: true; readonly record: OutgoingRecord } | { readonly ok: false; readonly dead: OutgoingRecord; readonly reason: DeadLetterReason };

/**
 * A decoded AIS position as the stream's bus record: key MMSI, value the position validated and
 * normalised by `vesselPositionSchema` (event time in epoch ms), exactly what the MQTT ingest writes
 * for a driftline JSON position, so the feature worker cannot tell the two inputs apart.
 */
export function positionRecord(event: AisPositionEvent, stream: string, arrivedAt: number): PositionRecord {
  const parsed = vesselPositionSchema.safeParse(event.position);
  if (parsed.success) return { ok: true, record: { key: event.key, value: JSON.stringify(parsed.data), timestamp: arrivedAt } };
  // the mapping already nulls sentinels and rejects off-globe positions; this guards the contract
  const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const reason: DeadLetterReason = parsed.error.issues.some((i) => i.code === 'too_big' || i.code === 'too_small') ? 'impossible_value' : 'schema_violation';
  const dead = deadLetterRecord({
    topic: event.reception.source, payload: event.reception.nmea.join('\n'), payload_encoding: 'utf8',
    reason, detail, received_at: arrivedAt, stream, source: event.reception.source,
  });
  return { ok: false, dead, reason };
}

/** Off-globe positions (lat 95) come from the mapping as rejects; they are impossible values, not bad NMEA. */
const IMPOSSIBLE = /^(lat|lon) -?[\d.]+ is outside/;

export function rejectReason(reject: AisReject): DeadLetterReason {
  return IMPOSSIBLE.test(reject.reason) ? 'impossible_value' : 'bad_nmea';
}

/** A rejected AIS line as a `dead_letters` bus record: raw sentence, the decoder's reason as detail. */
export function rejectRecord(reject: AisReject, stream: string): OutgoingRecord {
  return deadLetterRecord({
    topic: reject.source, payload: reject.sentence, payload_encoding: 'utf8',
    reason: rejectReason(reject), detail: reject.reason, received_at: reject.receivedAt, stream, source: reject.source,
  });
}

/** The `vessels` table row of a merged static record (length, beam, draught, destination are not columns). */
export function vesselRow(v: VesselRecord): Row<'vessels'> {
  return {
    mmsi: v.mmsi, shipname: v.shipname, shiptype: v.shiptype, callsign: v.callsign, imo: v.imo,
    to_bow: v.to_bow, to_stern: v.to_stern, to_port: v.to_port, to_starboard: v.to_starboard, updated_at: v.updated_at,
  };
}
