import { nullable, required } from './column.js';
import { defineTable, type RowOf } from './tableDef.js';

/**
 * Static and voyage data of each vessel (AIS messages 5 and 24), one row per MMSI, so analysts can
 * join names and dimensions onto predictions. A newer report replaces an older one.
 */
export const vessels = defineTable({
  name: 'vessels',
  description: 'Latest static data of each vessel (AIS types 5 and 24): name, type, call sign, IMO and dimensions.',
  columns: [
    required('mmsi', 'string', 'Maritime Mobile Service Identity: the vessel id, as in `predictions.key` of vessel streams.'),
    nullable('shipname', 'string', 'Vessel name as broadcast.'),
    nullable('shiptype', 'int64', 'AIS ship and cargo type code (30 = fishing, 70-79 = cargo, ...).'),
    nullable('callsign', 'string', 'Radio call sign.'),
    nullable('imo', 'int64', 'IMO ship identification number.'),
    nullable('to_bow', 'int64', 'Distance from the GPS antenna to the bow, metres.'),
    nullable('to_stern', 'int64', 'Distance from the GPS antenna to the stern, metres.'),
    nullable('to_port', 'int64', 'Distance from the GPS antenna to port, metres.'),
    nullable('to_starboard', 'int64', 'Distance from the GPS antenna to starboard, metres.'),
    required('updated_at', 'timestamp', 'Event time of the report these values come from (UTC); the newest report wins.'),
  ],
  primaryKey: 'mmsi',
  onConflict: { kind: 'latest', versionColumn: 'updated_at' },
});

export type VesselRow = RowOf<typeof vessels>;
