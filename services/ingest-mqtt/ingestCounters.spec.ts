import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { IngestCounters } from './ingestCounters.js';

describe('IngestCounters', () => {
  it('counts received, valid, dead letters by reason and acks; pending is what is not yet acknowledged', () => {
    const c = new IngestCounters();
    for (let i = 0; i < 5; i++) c.received();
    expect(c.stats()).toMatchObject({ received: 5, valid: 0, pending: 5 });
    c.acknowledged(3, new Map([['bad_json', 1]]), 3, 1);
    expect(c.stats()).toEqual({
      received: 5, valid: 3, acked: 3, ackSkipped: 1, pending: 1,
      deadLetters: { unknown_topic: 0, bad_json: 1, schema_violation: 0, impossible_value: 0, identity_mismatch: 0, bad_nmea: 0 },
    });
  });

  it('with receivedWhenDurable, counts a message as received once its batch is durable', () => {
    const c = new IngestCounters();
    for (let i = 0; i < 5; i++) c.received();
    expect(c.stats({ receivedWhenDurable: true })).toMatchObject({ received: 0, valid: 0, pending: 5 });
    c.acknowledged(3, new Map([['impossible_value', 1]]), 4, 0);
    expect(c.stats({ receivedWhenDurable: true })).toMatchObject({ received: 4, valid: 3, pending: 1 });
  });

  it('shows another thread\'s counts through a SharedArrayBuffer', async () => {
    const shared = new SharedArrayBuffer(IngestCounters.BYTES);
    // a plain-JS worker writing the layout's first slot (received), as the ingest thread does
    const worker = new Worker('const { workerData } = require("node:worker_threads"); const v = new Float64Array(workerData); for (let i = 0; i < 1000; i++) v[0]++;', { eval: true, workerData: shared });
    await new Promise((resolve) => worker.once('exit', resolve));
    expect(new IngestCounters(shared).stats()).toMatchObject({ received: 1000, pending: 1000 });
  });

  it('refuses a buffer too small for its slots', () => {
    expect(() => new IngestCounters(new ArrayBuffer(8))).toThrow(/needs \d+ bytes/);
  });
});
