import type { AisReception, AisReject } from '../../shared/ais/aisDecoder.js';

/**
 * One decoded message as a JSON line: gpsd's fields, then what AIS-catcher adds beside them —
 * `channel`, `nmea` (the sentences), and `rxuxtime` (unix seconds) / `station_id` when a tag block
 * carried them.
 */
export function decodedLine(reception: AisReception): string {
  const out: Record<string, unknown> = { ...reception.message, channel: reception.channel, nmea: reception.nmea };
  if (reception.receivedAtFrom === 'receiver') out.rxuxtime = reception.receivedAt / 1000;
  if (reception.station !== null) out.station_id = reception.station;
  return JSON.stringify(out);
}

/** One rejected sentence as a JSON line: `{"line":N,"sentence":"...","reason":"..."}`. */
export function rejectLine(reject: AisReject): string {
  return JSON.stringify({ line: reject.line, sentence: reject.sentence, reason: reject.reason });
}
