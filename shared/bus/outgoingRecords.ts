import type { OutgoingRecord } from './bus.js';

/** What every bus producer refuses before sending: records a consumer could not read back. */
export function checkOutgoingRecords(topic: string, records: readonly OutgoingRecord[]): void {
  if (!Array.isArray(records)) throw new TypeError(`send('${topic}'): records must be an array`);
  records.forEach((r, i) => {
    if (typeof r?.key !== 'string') throw new TypeError(`send('${topic}'): records[${i}].key must be a string`);
    if (typeof r.value !== 'string') throw new TypeError(`send('${topic}'): records[${i}].value must be a string (serialise it first)`);
    if (r.timestamp !== undefined && !Number.isSafeInteger(r.timestamp)) {
      throw new TypeError(`send('${topic}'): records[${i}].timestamp must be integer epoch ms`);
    }
  });
}
