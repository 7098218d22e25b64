import { z } from 'zod';
import type { OutgoingRecord } from '../bus/bus.js';

/**
 * A message the pipeline could not accept, as it travels on the bus topic `dead_letters` to the
 * warehouse's `dead_letters` table. Nothing is dropped silently: every rejected payload is kept
 * verbatim with the reason it was rejected.
 */
export const DEAD_LETTER_TOPIC = 'dead_letters';

export const deadLetterReasons = [
  /** the MQTT topic matches no stream */
  'unknown_topic',
  /** not UTF-8 or not JSON */
  'bad_json',
  /** wrong shape or types: missing/unknown fields, strings for numbers, not an object */
  'schema_violation',
  /** right type but physically impossible: lat 95, negative load, percentage 140 */
  'impossible_value',
  /** the id in the payload differs from the id in the topic (one device publishing as another) */
  'identity_mismatch',
  /** an AIS feed's line that does not decode: bad checksum, truncated, bad fill bits, lost fragments, not AIS-catcher JSON */
  'bad_nmea',
] as const;

export type DeadLetterReason = (typeof deadLetterReasons)[number];

export const deadLetterSchema = z.object({
  /** where the payload arrived, e.g. the MQTT topic */
  topic: z.string(),
  /** the raw payload: UTF-8 text, or base64 when it was not valid UTF-8 */
  payload: z.string(),
  payload_encoding: z.enum(['utf8', 'base64']),
  reason: z.enum(deadLetterReasons),
  /** human-readable specifics, e.g. the zod path and message */
  detail: z.string(),
  /** processing time the message was received, epoch ms */
  received_at: z.number(),
  /** the stream the topic belongs to, when known */
  stream: z.string().nullable(),
  /** which ingest produced it, e.g. `mqtt` */
  source: z.string(),
});

export type DeadLetter = z.output<typeof deadLetterSchema>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Raw payload bytes as stored: text when they are valid UTF-8, else base64. */
export function payloadText(payload: Uint8Array): { payload: string; payload_encoding: 'utf8' | 'base64' } {
  try {
    return { payload: utf8.decode(payload), payload_encoding: 'utf8' };
  } catch {
    return { payload: Buffer.from(payload).toString('base64'), payload_encoding: 'base64' };
  }
}

/** The bus record for a dead letter, keyed by its topic (so one noisy topic stays in one partition). */
export function deadLetterRecord(d: DeadLetter): OutgoingRecord {
  return { key: d.topic, value: JSON.stringify(d), timestamp: d.received_at };
}

/** Parses a `dead_letters` bus record's value (for the warehouse lander). */
export function parseDeadLetter(value: string): DeadLetter {
  return deadLetterSchema.parse(JSON.parse(value));
}
