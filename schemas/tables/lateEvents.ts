import { nullable, required } from './column.js';
import { defineTable, type RowOf } from './tableDef.js';

/**
 * Valid events the windows could not take: behind the watermark beyond allowed lateness, or dated
 * so far in the future that accepting them would drag the watermark ahead for everyone.
 */
export const lateEvents = defineTable({
  name: 'late_events',
  description: 'Valid events routed away from the windows: too late (behind watermark + allowed lateness) or too far in the future.',
  columns: [
    required('id', 'string', 'Deterministic id of the event (see schemas/tables/rowId.ts): a replay yields the same id.'),
    required('stream', 'string', 'Stream name from driftline.yaml.'),
    required('key', 'string', 'The key of the event: vessel MMSI or plant/hall id.'),
    required('event_time', 'timestamp', 'Event time the device reported (UTC).'),
    nullable('watermark', 'timestamp', 'The watermark when the event arrived (UTC); NULL if no watermark existed yet.'),
    required('reason', 'string',
      '`late`: event time was behind the watermark by more than the allowed lateness; ' +
      '`future`: event time was ahead of the wall clock by more than the configured tolerance.',
      { values: ['late', 'future'] }),
    nullable('detail', 'string', 'Human-readable cause, e.g. how far behind the watermark the event was.'),
    required('payload', 'json', 'The validated event, as JSON.'),
    required('received_at', 'timestamp', 'Wall-clock time the event was received (UTC).'),
  ],
  primaryKey: 'id',
  onConflict: { kind: 'ignore' },
  partitioning: { column: 'received_at', granularity: 'DAY' },
  clustering: ['stream', 'reason'],
});

export type LateEventRow = RowOf<typeof lateEvents>;
