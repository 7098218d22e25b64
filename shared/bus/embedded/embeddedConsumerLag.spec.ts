import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedBus } from './embeddedBus.js';
import { partitionFor } from './partitioner.js';

let dir: string;
let bus: EmbeddedBus;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-lag-'));
  bus = new EmbeddedBus({ path: join(dir, 'bus.sqlite'), partitions: 2, retentionIntervalMs: 0 });
});
afterEach(async () => {
  await bus.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('EmbeddedConsumer.lag (read lag for the bus-lag metric)', () => {
  it('counts, per partition, the records appended beyond what the consumer has polled, not what it committed', async () => {
    const producer = await bus.producer();
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const perPartition = [0, 0];
    for (const k of keys) perPartition[partitionFor(k, 2)]!++;
    await producer.send('t', keys.map((k) => ({ key: k, value: k })));
    const consumer = await bus.consumer({ group: 'g', topics: ['t'] });
    expect(consumer.lag()).toEqual([
      { topic: 't', partition: 0, records: perPartition[0] },
      { topic: 't', partition: 1, records: perPartition[1] },
    ]);

    const first = await consumer.poll({ maxRecords: 4, timeoutMs: 0 });
    expect(first).toHaveLength(4);
    expect(consumer.lag().reduce((n, p) => n + p.records, 0)).toBe(2);
    // nothing committed: the group's lag (committed offsets) still counts all six
    expect(bus.lag('g').reduce((n, p) => n + p.lag, 0)).toBe(6);

    await consumer.poll({ maxRecords: 10, timeoutMs: 0 });
    expect(consumer.lag().map((p) => p.records)).toEqual([0, 0]);
    await producer.send('t', [{ key: 'a', value: 'again' }]);
    expect(consumer.lag().find((p) => p.partition === partitionFor('a', 2))?.records).toBe(1);

    await consumer.close();
    expect(consumer.lag()).toEqual([]);
    await producer.close();
  });
});
