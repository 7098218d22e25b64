import { nullable, required } from './column.js';
import { defineTable, type RowOf } from './tableDef.js';

/** Input the pipeline could not use. Nothing is dropped silently: it lands here with a reason. */
export const deadLetters = defineTable({
  name: 'dead_letters',
  description: 'Input the pipeline could not use (bad JSON, schema violations, identity mismatches, rows a sink rejected), with the reason.',
  columns: [
    required('id', 'string',
      'Deterministic id of the failure (see schemas/tables/rowId.ts): the same failure replayed yields the same id.'),
    required('source', 'string', 'Where the input came from: `mqtt`, `pubsub`, `bus`, an AIS feed (`tcp:host:port`, `udp:…`, `mqtt:topic`, `ais-catcher:topic`), or the sink that rejected it (`duckdb`, `bigquery`).'),
    nullable('topic', 'string', 'MQTT topic, Pub/Sub subscription, bus topic or warehouse table the input arrived on.'),
    nullable('stream', 'string', 'The stream the topic belongs to, when known.'),
    required('payload', 'string', 'The raw payload as received: UTF-8 text, or base64 when it was not valid UTF-8 (see payload_encoding).'),
    required('payload_encoding', 'string', 'How `payload` is encoded: `utf8` or `base64`.', { values: ['utf8', 'base64'] }),
    required('reason', 'string',
      'Short machine-readable reason: `unknown_topic`, `bad_json`, `schema_violation`, `impossible_value`, ' +
      '`identity_mismatch` (ingest); `bad_nmea` (AIS feeds); `duplicate` (the same key and event time again), ' +
      '`invalid_event` (the windowing engine could not use it) (feature worker); `invalid_row`, `rejected` (a sink refused the row).'),
    nullable('detail', 'string', 'Human-readable detail: the failing field and rule, or the error text of the sink.'),
    required('received_at', 'timestamp', 'Wall-clock time the input was received (UTC).'),
  ],
  primaryKey: 'id',
  onConflict: { kind: 'ignore' },
  partitioning: { column: 'received_at', granularity: 'DAY' },
  clustering: ['reason', 'source'],
});

export type DeadLetterRow = RowOf<typeof deadLetters>;
